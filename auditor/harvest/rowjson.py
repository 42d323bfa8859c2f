"""The JSON values of a Hub record's fields (card data, tags): text DuckDB has checked and bounded in
size (hubrows.MAX_ROW_BYTES), read as a manifest's JSON would be told. DuckDB and Python's parser
take any nesting and keep the last of a key given twice, silently; here a value nested deeper than
safejson.MAX_DEPTH is not read (a row problem that fails the gate, as a JSON manifest that deep is
refused), and each key given twice is told, as a card's YAML tells it; a tag that is no string
is an unread entry (`tags`).
Linear: the nesting is measured only when the text has that many brackets, and only a value with a
key given twice is walked, without recursion."""

from __future__ import annotations

import json

from auditor.model import BAD_ROW, DUPLICATE_KEY, UNREAD_ENTRY, path_keys, twice_told
from auditor.readers import safejson
from auditor.readers.values import JSON, shorten

MAX_TOLD = 10  # problems of one kind in one field told one by one (keys given twice, tags); the rest counted
# A string value beginning so holds JSON text (Parquet's usual card data, or pandas' JSON Lines of it)
# and is read once more: here, and in the SQL that finds a row's upstreams (`nested_sql`).
NESTED = ("{", "[")

Problems = list[tuple[str, str, str]]  # (code, message, pointer in the row)


def parse(text: str | None, field: str, found: Problems, terms: frozenset[str] = frozenset()) -> JSON:
    """The value of `field`'s JSON text (None: no text, or too deep to read), the problems met added
    to `found`; text that is not JSON is given back as it is, for the caller to tell by its shape. A
    string holding JSON text (Parquet's usual card data) is read once more. `terms`: the fields of
    the value stating license or lineage (a key given twice inside one: model.twice_told)."""
    if text is None:
        return None
    safejson.MET.twice = safejson.MET.long = False
    try:
        value = _loads(text)
        if isinstance(value, str) and value.startswith(NESTED):
            value = _loads(value)
    except _TooDeep as deep:
        limit = safejson.MAX_DEPTH
        message = f"'{field}' is nested {deep.args[0]:,} levels deep, over the limit of {limit}; it is not read"
        found.append((BAD_ROW, message, field))  # nothing of it read: as a JSON manifest that deep, fatal
        return None
    except (ValueError, RecursionError):
        return text
    if safejson.MET.long:
        found.append((BAD_ROW, f"{safejson.long_number(value, (field,))}; '{field}' is not read", field))
        return None
    if safejson.MET.twice:  # nearly every row has no key given twice, and is not walked
        _tell_twice(_twice(value), field, found, terms)
    return value


def nested_sql(value: str) -> str:
    """DuckDB's reading of the JSON `value` (a column) as `parse` reads it: a string holding JSON
    text (NESTED) is that text's value, so that the rows DuckDB finds upstream are those Python reads."""
    text = f"({value}->>'$')"
    starts = " OR ".join(f"starts_with({text}, '{s}')" for s in NESTED)
    held = f"json_type({value}) = 'VARCHAR' AND ({starts}) AND json_valid({text})"
    return f"CASE WHEN {held} THEN {text}::JSON ELSE {value} END"


def tags(value: JSON, found: Problems) -> list[str]:
    """The row's tags, in place, one that is no string as empty (the first MAX_TOLD of those told
    one by one, the rest counted: a row may hold thousands). A tag may state the row's license
    or lineage (and, without card data, is its only statement of them), so a tag that cannot be read,
    or tags that are no list, are an unread entry that fails the asset; the string tags beside a bad
    one are read."""
    if value is None:
        return []
    if not isinstance(value, list):
        message = f"'tags' should be a list of strings, not {shorten(json.dumps(value))}; it is not read"
        found.append((UNREAD_ENTRY, message, "tags"))
        return []
    bad = [(i, tag) for i, tag in enumerate(value) if not isinstance(tag, str)]
    for i, tag in bad[:MAX_TOLD]:
        message = f"'tags[{i}]' should be a string, not {shorten(json.dumps(tag))}; it is not read"
        found.append((UNREAD_ENTRY, message, f"tags[{i}]"))
    if len(bad) > MAX_TOLD:
        more = f"{len(bad) - MAX_TOLD:,} more tags are no string (the first {MAX_TOLD} are told); they are not read"
        found.append((UNREAD_ENTRY, more, "tags"))
    return [tag if isinstance(tag, str) else "" for tag in value]


class _TooDeep(ValueError):
    pass


# made once: json.loads makes one a call given a hook; keys given twice are marked as in any manifest
_DECODER = json.JSONDecoder(object_pairs_hook=safejson.keyed_object, parse_int=safejson.integer)


def _loads(text: str) -> JSON:
    if text.count("[") + text.count("{") > safejson.MAX_DEPTH:  # else it cannot nest that deep
        depth = safejson.depth_of(text)
        if depth > safejson.MAX_DEPTH:
            raise _TooDeep(depth)
    return _DECODER.decode(text)


def _tell_twice(pointers: list[str], field: str, found: Problems, terms: frozenset[str]) -> None:
    """Each key given twice told, the first MAX_TOLD one by one; those of license or lineage first,
    so none of them is only counted."""
    deciding = [bool(terms.intersection(path_keys(p))) for p in pointers]
    pointers = [p for p, d in zip(pointers, deciding, strict=True) if d] + [
        p for p, d in zip(pointers, deciding, strict=True) if not d
    ]
    found.extend((*twice_told(p, path_keys(p), terms), f"{field}.{p}") for p in pointers[:MAX_TOLD])
    if len(pointers) > MAX_TOLD:
        more = f"{len(pointers) - MAX_TOLD:,} more fields are given twice (the first {MAX_TOLD} are told)"
        found.append((DUPLICATE_KEY, f"{more}; the last value of each is used", field))


def _twice(value: JSON) -> list[str]:
    """The pointers of the keys given twice in `value`'s objects, in document order (walked with a
    stack of its own: the value may be as deep as MAX_DEPTH)."""
    found: list[str] = []
    stack: list[tuple[JSON, str]] = [(value, "")]
    while stack:
        item, pointer = stack.pop()
        if isinstance(item, list):
            stack.extend((v, f"{pointer}[{i}]") for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, dict):
            prefix = f"{pointer}." if pointer else ""
            if isinstance(item, safejson.Twice):
                found.extend(prefix + k for k in item.keys_twice)
            stack.extend((v, prefix + k) for k, v in reversed(item.items()))
    return found
