"""A Hub record's fields as DuckDB's SQL reads them from each form of a table: the expressions that
give a row's sha, date, kind, card data (and the name of its field) and tags as text, from a JSON
Lines line parsed once or from a Parquet file's columns, by the API's names or the client's."""

from __future__ import annotations

import re

# A record's fields as the Hub's API names them, with the names the huggingface_hub client gives
# them (its ModelInfo and DatasetInfo: a dump of `dataclasses.asdict` of each is common), read
# where the API's name is absent.
CLIENT_NAMES = {"cardData": "card_data", "lastModified": "last_modified"}
CARD_FIELDS = ("cardData", "card_data")
ISO = "%Y-%m-%dT%H:%M:%S.%gZ"  # the API's lastModified, to which every form of the date is brought
ISO_LENGTH = len("2026-11-30T12:00:00.000Z")
# a date given as a number (pandas' `to_json` writes milliseconds since 1970): at least this many is
# milliseconds (1973 so read; as seconds, the year 5138), fewer are seconds
EPOCH_MS = 10**11
# a JSON Lines line's card data, by either name
JSONL_CARD = "coalesce(" + ", ".join(f"json_extract(line, '$.{c}')" for c in CARD_FIELDS) + ")"
JSONL_PATHS = tuple(f"$.{k}" for k in ("sha", "repo_type", "tags", *CLIENT_NAMES, *CLIENT_NAMES.values()))
NAMESPACES = ("datasets", "models")  # the prefixes of a repository's path on the Hub
# A row's id written as the repository's path on the Hub (`datasets/org/x`, as reports and URLs name a
# dataset): group 1 the prefix, group 2 the Hub id. One pattern for Python and DuckDB (RE2) alike.
PREFIXED_ID = re.compile(rf"^({'|'.join(NAMESPACES)})/([A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)$", re.ASCII)
_PREFIXES = tuple(f"{namespace}/" for namespace in NAMESPACES)  # a cheap look before the pattern


def split_row_id(row_id: str | None) -> tuple[str | None, str | None]:
    """(the kind its prefix names, None without one; the Hub id) of a row's id (PREFIXED_ID), as
    `lid` reads it in DuckDB."""
    match = PREFIXED_ID.match(row_id) if row_id and row_id.startswith(_PREFIXES) else None
    return (match.group(1)[:-1], match.group(2)) if match else (None, row_id)


def lid(row_id: str) -> str:
    """The lowercase Hub id of a row's id (the column `row_id`), as `split_row_id` reads it: rows
    are looked up by it."""
    pattern = PREFIXED_ID.pattern.replace("'", "''")
    hub_id = f"regexp_extract({row_id}, '{pattern}', 2)"
    return f"lower(CASE WHEN regexp_matches({row_id}, '{pattern}') THEN {hub_id} ELSE {row_id} END)"


def jsonl_values() -> tuple[str, ...]:
    """A JSON Lines row's sha and repo_type (as JSON text: hubtable checks their type), lastModified
    (in the ISO form where it reads as a date, else as given), card data, its field's name and tags
    (as JSON text), from its fields parsed once (`v`, JSONL_PATHS' values)."""
    at = {path[2:]: f"v[{n}]" for n, path in enumerate(JSONL_PATHS, 1)}

    def date(k: str) -> str:  # a string as it is, a number as seconds or milliseconds since 1970, else its JSON text
        number = f"{at[k]}::DOUBLE"
        seconds = f"CASE WHEN abs({number}) >= {EPOCH_MS} THEN {number} / 1000 ELSE {number} END"
        epoch = f"strftime(try(to_timestamp({seconds})) AT TIME ZONE 'UTC', '{ISO}')"
        numeric = f"json_type({at[k]}) IN ('UBIGINT', 'BIGINT', 'DOUBLE')"
        text = f"""CASE WHEN starts_with({at[k]}, '"') THEN {at[k]}->>'$' ELSE {at[k]}::VARCHAR END"""
        return f"CASE WHEN {numeric} THEN coalesce({epoch}, {at[k]}::VARCHAR) WHEN {at[k]} <> 'null' THEN {text} END"

    modified = f"coalesce({date('lastModified')}, {date('last_modified')})"
    api, client = at["cardData"], at["card_data"]
    card_field = f"CASE WHEN {api} IS NULL AND {client} IS NOT NULL THEN 'card_data' ELSE 'cardData' END"
    card = f"coalesce({api}, {client})::VARCHAR"
    return (
        f"{at['sha']}::VARCHAR",
        _iso(modified),
        f"{at['repo_type']}::VARCHAR",
        card,
        card_field,
        f"{at['tags']}::VARCHAR",
    )


def parquet_values(types: dict[str, str]) -> tuple[str, ...]:
    """A Parquet row's sha, lastModified, repo_type, card data, its field's name and tags, each but
    the date as JSON text, whether the file stores them as JSON strings or as nested columns, by the
    API's names or the client's; a column the file lacks reads as absent (NULL)."""
    sha, kind = (_json_text(c, types) for c in ("sha", "repo_type"))
    modified = [_modified(c, types[c]) for c in ("lastModified", "last_modified") if c in types]
    cards = [(c, f'"{c}"' if types[c] == "VARCHAR" else f'to_json("{c}")') for c in CARD_FIELDS if c in types]
    card = f"coalesce({', '.join(text for _, text in cards)})::VARCHAR" if cards else "NULL"
    both = """CASE WHEN "cardData" IS NULL AND "card_data" IS NOT NULL THEN 'card_data' ELSE 'cardData' END"""
    card_field = both if len(cards) == 2 else f"'{cards[0][0] if cards else CARD_FIELDS[0]}'"
    tags = '"tags"::VARCHAR' if types.get("tags") == "VARCHAR" else _json_text("tags", types)
    return sha, f"coalesce({', '.join(modified)})" if modified else "NULL", kind, card, card_field, tags


def _json_text(column: str, types: dict[str, str]) -> str:
    """A column's value as JSON text, whatever its type (a string quoted, as JSON Lines gives it), so
    that a value of the wrong type is told alike in both forms; NULL where the file lacks the column."""
    return f'to_json("{column}")::VARCHAR' if column in types else "NULL"


def _modified(column: str, stored: str) -> str:
    """A date column as text in the API's ISO form (`2026-11-30T12:00:00.000Z`), whether the file
    stores it as text or as a timestamp, so that revisions of one asset order alike in both."""
    if stored.startswith("TIMESTAMP"):
        zoned = f"\"{column}\" AT TIME ZONE 'UTC'" if "TIME ZONE" in stored else f'"{column}"::TIMESTAMP'
        return f"strftime({zoned}, '{ISO}')"
    return _iso(f'"{column}"::VARCHAR')


def _iso(text: str) -> str:
    """A date given as text in the API's ISO form where it reads as one (the client's objects
    written with `str` read `2026-11-30 12:00:00+00:00`; one without a zone is in UTC, as
    duck.connect sets it); as given where it does not (hubtable reports it)."""
    return f"coalesce(strftime(try_cast({text} AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '{ISO}'), {text})"
