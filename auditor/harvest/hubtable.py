"""Tables of Hub records: what the Hugging Face Hub's API returns for models and datasets (id, sha,
tags, cardData), as JSON Lines or Parquet, the usual form of Hub-wide metadata, or as the JSON
array the API answers with; the JSON forms may be gzip-compressed (`models.jsonl.gz`).

The table is scanned once, in bulk, by DuckDB (auditor/harvest/hubrows.py); Python sees one tuple
for each row it reads (its id, sha, lastModified, card data and tags as JSON text) and reads the
card data with the card reader's own field readers (hfcard.read_fields), so a row means what its
card would. A dump made with the huggingface_hub client names two fields its way (`card_data`,
`last_modified`: hubfields.CLIENT_NAMES), read where the API's names are absent. Rows of one id at
several shas are the revisions of one asset (auditor/versions.py),
dated by lastModified. For the audit of one release, only the rows of its lineage become records
(`lineage`, `read`'s focus); for the impact of a change to one asset, the rows of the lineage of
what descends from it (`descendants`).
The Hub's computed tags stand in for what the card data lacks: `license:x` for a license,
`dataset:org/name` for training data, `base_model:org/name` for a base model, and
`base_model:<relation>:org/name` says the relation the Hub inferred (adapter, finetune,
quantized, merge), which is taken over mlaudit's own inference from the card data.

Evidence points at the file, the row (the line of a JSON Lines file; `[i]`, the 0-based row
index, of a Parquet file or a JSON array) and the field. A row that cannot be read is a problem
naming its row (and its id, where that could be read: its asset is then described by a row that
could not be read, not left unresolved), and the rest are read. Bounds (hubrows): rows whose card
data and tags are over MAX_ROW_BYTES, lines over MAX_LINE_BYTES and rows past MAX_ROWS are
reported and not read; DuckDB's parsers are linear, and so is the rest, one pass over the rows.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable
from pathlib import Path

from auditor.harvest import gzipped, hfcard, hubfields, hubrelation, hubrows, hubunread, rowjson
from auditor.harvest.layout import Context, Ev
from auditor.identity import looks_like_hub_id
from auditor.model import BAD_ROW, AssetRecord, Evidence, Problem
from auditor.naming import asset_key
from auditor.readers.values import JSON, shorten
from auditor.vocabulary import HUB_KINDS

FORMAT = "hub-records"
RANK = 9  # a card on disk is read before the API's copy of its metadata
PINNABLE = False
HUB_LAYOUT = True  # a row's id is its Hub id
IN_FOLDER = False  # a table holds many assets: its folder is none of theirs
SUFFIXES = (".jsonl", ".ndjson", ".parquet", ".json")
HUB_FIELDS = (
    "sha",
    "tags",
    "cardData",
    "lastModified",
    "card_data",
    "last_modified",
)  # any, with an id, makes a record
JSONL_KEYS = tuple(f'"{k}"'.encode() for k in HUB_FIELDS)


def detect(path: Path, head: bytes) -> bool:
    """A table of Hub records: JSON Lines with a line that has an id and Hub record fields, a JSON
    array (the API's own answer) whose first element has them, either gzip-compressed or not, or
    Parquet with an id column and a Hub field's; or, named for the kind of its rows (models.jsonl), any such
    file of JSON objects or Parquet, whatever its first row's keys or size: one that cannot be read
    is then told, never skipped. A compressed file so named whose gzip data is corrupt from its
    start is taken for a table, to be told unreadable: a broken table must not pass unseen."""
    if not gzipped.stored_name(path).endswith(SUFFIXES):
        return False
    form, named = hubrows.form(path), is_named(path)
    if form == "parquet":
        return head.startswith(b"PAR1") and (named or _columns(path))
    if gzipped.compressed(path):
        inflated = gzipped.inflated_head(head, len(head))
        if inflated is None:  # a table by its name, corrupt from its first bytes: unreadable, not skipped
            return gzipped.is_gzip(head)
        head = inflated
    body = head.removeprefix(codecs.BOM_UTF8).lstrip()  # a BOM, as a Windows tool writes UTF-8
    if form == "array":
        first = body[1:].lstrip() if body.startswith(b"[") else b""
        return first.startswith(b"{") and (named or _recordlike(first))
    return (named and body.startswith((b"{", b"["))) or any(_recordlike(line.lstrip()) for line in body.split(b"\n"))


def is_named(path: Path) -> bool:
    """A table named for the kind of its rows (models.jsonl, datasets.parquet.gz): one whatever it holds."""
    return gzipped.stored_name(path).endswith(SUFFIXES) and _kind(path, None) is not None


def _columns(path: Path) -> bool:
    stored = set(hubrows.columns(path))
    return "id" in stored and bool(stored & set(HUB_FIELDS))


def _recordlike(text: bytes) -> bool:
    """Whether a row's text, or its start, reads as a Hub record: an object with an id and Hub fields."""
    return text.startswith(b"{") and b'"id"' in text and any(k in text for k in JSONL_KEYS)


def read(
    path: Path,
    context: Context,
    focus: frozenset[str] | None = None,
    tables: hubrows.Tables | None = None,
    records_kind: str | None = None,
    elsewhere: frozenset[str] = frozenset(),
) -> tuple[list[AssetRecord], list[Problem]]:
    """A record for each readable row (with a `focus`, of the rows whose lowercase ids it holds),
    and a problem for each row that cannot be read (hubunread); `tables` holds the table already
    scanned (hubrows.load), when harvest scanned it with others; `records_kind` is the rows' kind
    where neither they nor the table's name say it (the command line's); `elsewhere`: the lowercase
    ids other manifests describe."""
    import duckdb

    records: list[AssetRecord] = []
    problems: list[Problem] = []
    indexed, kind = hubrows.form(path) != "lines", _kind(path, records_kind)
    seen: dict[tuple[str, str], tuple[int, int]] = {}
    tables = tables or hubrows.load([path])
    unread = hubunread.Unread(tables, focus, elsewhere)
    try:
        for written in hubrows.rows(tables, path, focus):
            row, prefixed = _unprefixed(written)
            error = _error(row, indexed)
            if error is None:
                _row(row, indexed, (kind, prefixed), context.rel, records, problems)
                problems.extend(_repeated(row, seen, indexed, context.rel, records[-1]))
                continue
            record = _unread(row, _prefix_kind(prefixed) or kind, context.rel, indexed, focus)
            records.extend([record] if record else [])
            key = asset_key(record.kind, record.id) if record else None
            problems += unread.told(error, row[2], _at(context.rel, row[0], indexed), key)
    except (duckdb.Error, gzipped.Unreadable) as exc:
        told = str(exc).replace(str(path), context.rel)  # DuckDB names the file by the path it was given
        message = f"cannot read the table: {shorten(told.splitlines()[0])}"
        problems.append(Problem("malformed", message, Evidence(context.rel, "")))
    return records, problems + unread.more(context.rel)


def _repeated(
    row: hubrows.Row, seen: dict[tuple[str, str], tuple[int, int]], indexed: bool, rel: str, record: AssetRecord
) -> list[Problem]:
    """A row repeating an earlier row's id and sha with other card data or tags, told naming both
    rows: one revision has one card, so the table is corrupt (two crawls joined, a stale row); both
    are read, as records of that revision. `seen`: (id, sha) -> (row, its content's hash)."""
    if record.revision is None:
        return []
    number, content = row[0], hash((row[6], row[8]))  # its card data and tags
    first = seen.setdefault((record.id.lower(), record.revision), (number, content))
    if first[1] == content:
        return []
    message = (
        f"{_where(number, indexed)}: it repeats {record.id} at revision {record.revision} of "
        f"{_where(first[0], indexed)} with other card data or tags; both are read (check which the Hub holds)"
    )
    return [Problem("repeated-row", message, _at(rel, number, indexed), asset_key(record.kind, record.id))]


def _error(row: hubrows.Row, indexed: bool) -> str | None:
    """Why a row cannot be read at all, naming it, and its id where that could be read (None: it can be)."""
    number, error, row_id = row[:3]
    if error is None and not (row_id and looks_like_hub_id(row_id)):
        error = f"its id {shorten(row_id)!r} is not a Hub id" if row_id else "it has no id (a string)"
    named = f" ({row_id})" if row_id and looks_like_hub_id(row_id) else ""
    return None if error is None else f"{_where(number, indexed)}{named}: {error}"


Met = tuple[str, str, Evidence]  # (problem code, message, where)
Prefixed = tuple[str, str]  # (the kind a row's id names by its prefix, the id as written)


def _unprefixed(row: hubrows.Row) -> tuple[hubrows.Row, Prefixed | None]:
    """The row with its id as a Hub id, and what its prefix said: an id written as the repository's
    path on the Hub (`datasets/org/x`, as reports name a dataset) names the asset `org/x`, a dataset
    (hubfields.split_row_id, as DuckDB looks rows up)."""
    kind, hub_id = hubfields.split_row_id(row[2])
    if kind is None:
        return row, None
    return (*row[:2], hub_id, *row[3:]), (kind, str(row[2]))


def _prefix_kind(prefixed: Prefixed | None) -> tuple[str, str] | None:
    return None if prefixed is None else (prefixed[0], "the prefix of the row's id")


def _unread(
    row: hubrows.Row, kind: tuple[str, str] | None, rel: str, indexed: bool, focus: frozenset[str] | None
) -> AssetRecord | None:
    """The record of a row that cannot be read but whose id could (a row too large, a field given
    twice), saying nothing of its asset: the asset is described by a row that failed to read, which
    its INP001 tells, not an upstream no manifest describes."""
    number, _, row_id = row[:3]
    if not (row_id and looks_like_hub_id(row_id)) or (focus is not None and row_id.lower() not in focus):
        return None
    found, basis = kind or ("model", "default")
    record = AssetRecord(row_id, found, rel, format=FORMAT, kind_basis=basis)
    record.place, record.has_metadata = _at(rel, number, indexed), False
    return record


def _where(number: int, indexed: bool) -> str:
    return f"row {number}" if indexed else f"line {number}"


def lineage(tables: hubrows.Tables, seeds: Iterable[str]) -> frozenset[str] | None:
    """The ids to read from `tables` for the audit of a release: those `seeds` reach through the
    tables DuckDB could read (see hubrows.lineage); None (read every row) when DuckDB fails on
    them, which reading them will report."""
    import duckdb

    try:
        return hubrows.lineage(tables, seeds)
    except duckdb.Error:
        return None


def descendants(
    tables: hubrows.Tables, seeds: Iterable[str], edges: Iterable[tuple[str, str]]
) -> frozenset[str] | None:
    """The ids to read from `tables` for the impact of a change to `seeds`: what descends from
    them (see hubrows.descendants), whose lineage is then read; None (read every row) when DuckDB
    fails on the tables, which reading them will report."""
    import duckdb

    try:
        return hubrows.descendants(tables, seeds, edges)
    except duckdb.Error:
        return None


def _kind(path: Path, given: str | None) -> tuple[str, str] | None:
    """(kind, basis) of the rows of a table whose name says one kind (a word models or datasets, as
    in the Hub's dumps: models.jsonl, hub-datasets-2024.parquet), else of the kind `given` on the
    command line; None: each row's tags and card data decide."""
    words = set(re.split(r"[^a-z]+", path.name.lower().split(".", 1)[0]))
    named = {kind for kind in HUB_KINDS if {kind, f"{kind}s"} & words}
    if len(named) == 1:
        return named.pop(), "layout"
    return (given, "command line --records-kind") if given else None


def _at(rel: str, locator: int, indexed: bool, pointer: str = "") -> Evidence:
    if indexed:
        return Evidence(rel, f"[{locator}]" + (f".{pointer}" if pointer else ""))
    return Evidence(rel, pointer, locator)


def _row(
    row: hubrows.Row,
    indexed: bool,
    kinds: tuple[tuple[str, str] | None, Prefixed | None],
    rel: str,
    records: list[AssetRecord],
    problems: list[Problem],
) -> None:
    """The record of a row that can be read, and the problems of its fields. `kinds`: the table's
    kind (its name's, the command line's), and what the row's id's prefix said, which is the row's own."""
    locator, _, row_id, sha_text, modified, kind_text, card_text, card_field, tags_text = row
    assert row_id is not None  # _error let it through
    met: list[tuple[str, str, Evidence]] = []
    sha, repo_type = (
        _string(text, field, _at(rel, locator, indexed, field), met)
        for text, field in ((sha_text, "sha"), (kind_text, "repo_type"))
    )
    stated = _repo_type(repo_type, _at(rel, locator, indexed, "repo_type"), met)
    given = (stated, "Hub record field repo_type") if stated else None
    found, basis = given or _prefix_kind(kinds[1]) or kinds[0] or ("model", "default")
    met += _clash(given, kinds[1], _at(rel, locator, indexed))
    if modified is not None and not _dated(modified):
        message = f"'lastModified' is {shorten(modified)!r}, not a date; the row's revision is ordered as undated"
        met.append(("bad-field", message, _at(rel, locator, indexed, "lastModified")))
        modified = None
    record = AssetRecord(row_id, found, rel, revision=sha, format=FORMAT, kind_basis=basis, modified=modified)
    record.place = _at(rel, locator, indexed)
    met += _record(record, locator, indexed, (card_field, card_text), tags_text)
    key = asset_key(record.kind, record.id)
    where = _where(locator, indexed)
    problems.extend(Problem(code, f"{where}: {message}", evidence, key) for code, message, evidence in met)
    records.append(record)


def _clash(given: tuple[str, str] | None, prefixed: Prefixed | None, where: Evidence) -> list[Met]:
    """A row whose id's prefix names a kind other than its repo_type: an error (read as its repo_type says)."""
    if given is None or prefixed is None or given[0] == prefixed[0]:
        return []
    message = (
        f"its id {shorten(prefixed[1])!r} names a {prefixed[0]}, but {given[1]} says {given[0]}: which "
        f"repository the row describes is unknown (read as a {given[0]})"
    )
    return [(BAD_ROW, message, where)]


def _dated(modified: str) -> bool:
    """Whether a row's date reads as one: hubfields brought it to the API's ISO form."""
    return len(modified) == hubfields.ISO_LENGTH and modified[10] == "T" and modified[-1] == "Z"


def _string(text: str | None, field: str, where: Evidence, met: list[tuple[str, str, Evidence]]) -> str | None:
    """The string a field's JSON text holds; None, told in `met`, when it holds another JSON type."""
    value = None if text is None else json.loads(text)
    if value is None or isinstance(value, str):
        return value
    met.append(("bad-field", f"'{field}' should be a string, not {shorten(text)}; it is not read", where))
    return None


def _repo_type(value: str | None, where: Evidence, met: list[tuple[str, str, Evidence]]) -> str | None:
    """The kind a row's `repo_type` states (the Hub's API answers models and datasets apart, and a
    dump mixing them says which in this field), over the table's name and the card data; a value
    naming another kind of repository (a Space) is told and the kind decided as without it."""
    if value is None:
        return None
    kind = value.strip().lower()
    if kind in HUB_KINDS:
        return kind
    message = f"'repo_type' is {shorten(value)!r}, neither model nor dataset; the kind is decided as without it"
    met.append(("bad-field", message, where))
    return None


def _record(
    record: AssetRecord, locator: int, indexed: bool, card: tuple[str, str | None], tags_text: str | None
) -> list[tuple[str, str, Evidence]]:
    """Read one row's card data (the name of its field and its JSON text) and tags into `record`;
    returns the problems met (code, message, where)."""
    card_field, card_text = card
    if card_text in (None, "null") and tags_text in (None, "null", "[]"):
        record.has_metadata = False  # a row listed without card data or tags says nothing more
        return []
    rel = record.source
    declared, tags, shapes = _values(card_field, card_text, tags_text)
    data, aliases, relations = _with_tags(declared, tags)
    record.has_metadata = bool(data)
    if record.kind_basis == "default" and not hfcard.DATASET_FIELDS & declared.keys():
        _dataset_by_tags(record, tags)
    ev: Ev = lambda pointer: _at(rel, locator, indexed, aliases.get(pointer, f"{card_field}.{pointer}"))  # noqa: E731
    met = [(code, message, _at(rel, locator, indexed, pointer)) for code, message, pointer in shapes]

    def problem(code: str, message: str, pointer: str = "", line: int | None = None) -> None:
        met.append((code, message, ev(pointer) if pointer else _at(rel, locator, indexed)))

    if data:
        hfcard.read_fields(record, data, ev, problem)
        record.references = [hubrelation.tagged(r, relations, "the Hub's") for r in record.references]
    return met


def _dataset_by_tags(record: AssetRecord, tags: list[str]) -> None:
    """A row is a dataset's when a tag repeats a dataset-card field (`size_categories:…`, which the
    Hub computes for most datasets), as the field itself would say: a dump of datasets listed
    without their card data, in a table whose name does not say, still reads as datasets."""
    for i, tag in enumerate(tags):
        field = tag.partition(":")[0]
        if field in hfcard.DATASET_FIELDS and ":" in tag:
            record.kind, record.kind_basis = "dataset", f"the Hub's tag {field} (tags[{i}])"
            return


def _values(
    card_field: str, card_text: str | None, tags_text: str | None
) -> tuple[dict[str, JSON], list[str], list[tuple[str, str, str]]]:
    """The row's card data (in the field so named) and tags, and the problems of their shapes (each
    read as empty). Card data that is not an object (JSON text cut short, a list) is a card's front
    matter that cannot be read: a row problem that fails its asset, as that card's would."""
    found: list[tuple[str, str, str]] = []
    card = rowjson.parse(card_text, card_field, found, hfcard.TERMS_FIELDS)
    tags = rowjson.parse(tags_text, "tags", found)
    if not isinstance(card, dict):
        if card is not None:
            message = f"'{card_field}' is not a JSON object (its JSON text cut short, or another type); it is not read"
            found.append((BAD_ROW, message, card_field))
        card = {}
    return card, rowjson.tags(tags, found), found


def _with_tags(
    card: dict[str, JSON], tags: list[str]
) -> tuple[dict[str, JSON], dict[str, str], dict[str, tuple[str, str]]]:
    """The card data completed from the Hub's tags where it says nothing (a field absent or null, as
    a nested Parquet column gives every field it lacks): (data, the pointer each
    value taken from a tag has in the row, the relation each `base_model:<relation>:` tag states)."""
    if not tags:
        return card, {}, {}
    data, aliases = dict(card), {}
    # tag prefix -> value (lowercase) -> (value, pointer of its first tag)
    by_prefix: dict[str, dict[str, tuple[str, str]]] = {"license": {}, "dataset": {}, "base_model": {}}
    for i, tag in enumerate(tags):
        prefix, _, value = tag.partition(":")
        value = (hubrelation.base_model_tag(tag) or ("",))[0] if prefix == "base_model" else value
        if prefix in by_prefix and value:
            by_prefix[prefix].setdefault(value.lower(), (value, f"tags[{i}]"))
    for prefix, field in (("license", "license"), ("dataset", "datasets"), ("base_model", "base_model")):
        taken = list(by_prefix[prefix].values())
        if taken and data.get(field) is None and not (field == "license" and data.get("licenses") is not None):
            data[field] = [value for value, _ in taken]
            aliases.update({f"{field}[{j}]": pointer for j, (_, pointer) in enumerate(taken)})
    return data, aliases, hubrelation.tag_relations(tags)
