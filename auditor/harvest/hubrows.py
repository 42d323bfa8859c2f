"""The rows of tables of Hub records, as DuckDB reads them: JSON Lines split into lines and parsed
in C, a JSON array streamed element by element, Parquet read by column; Python gets one small tuple
for each row it asks for.

Each table is scanned once (`load`) into DuckDB's memory, every row numbered (the line of a JSON
Lines file, the 0-based index of a Parquet row or an array's element) with its id and its content
left unparsed. Two questions are then asked of the tables, each parsing only the rows it needs.
`rows`: each row's id, sha, lastModified, repo_type, card data and tags (as JSON text), with a focus
only its rows and the bad ones. `lineage`: the ids a release's audit needs, so that rows outside its
lineage are never turned into records (one release in a table of a million rows), found by a
recursive query that looks rows up by id. The lineage is over-approximated on purpose: every string
of a row's card data and tags that can name a Hub repository (a Hub id, after a tag's
`base_model:…:`, `dataset:` or `extended|`, or a Hub URL) counts as an upstream, so no row the graph
would put in the release's cone is left out; the graph's cut (auditor/cone.py) is exact.

A JSON Lines or JSON array table may be gzip-compressed (`models.jsonl.gz`, auditor/harvest/gzipped.py).

Bounds: a row over MAX_ROW_BYTES and the rows past MAX_ROWS are reported, not read; DuckDB's
CSV, JSON and Parquet readers and RE2 are linear, and the lineage query does one lookup of the
rows by id for each step of depth; a compressed table is inflated under gzipped.py's bound.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from auditor import duck
from auditor.harvest import gzipped
from auditor.identity import HUB_ID, looks_like_hub_id

MAX_ROW_BYTES = 1024 * 1024  # one row's JSON (or card data and tags, in Parquet)
MAX_ROWS = 5_000_000  # rows read from one table (the Hub holds about 2.2 M models)
Row = tuple[int, str | None, str | None, str | None, str | None, str | None, str | None, str, str | None]
# number, error, id, sha, lastModified, repo_type, card data, the card data's field name, tags
# A record's fields as the Hub's API names them, with the names the huggingface_hub client gives
# them (its ModelInfo and DatasetInfo: a dump of `dataclasses.asdict` of each is common), read
# where the API's name is absent.
CLIENT_NAMES = {"cardData": "card_data", "lastModified": "last_modified"}
CARD_FIELDS = ("cardData", "card_data")
ISO = "%Y-%m-%dT%H:%M:%S.%gZ"  # the API's lastModified, to which every form of the date is brought
UNREAD = (None, None, None, None, None, "cardData", None)  # a bad row's values past its error
UPSTREAM_FIELDS = ("base_model", "datasets", "source_datasets")  # and the model index's datasets, as hfcard reads
# A name of an upstream (lowercase), after any tag prefix (base_model:finetune:, dataset:), `extended|`
# or Hub URL: group 1 is the Hub id it names.
NAMESPACES = ("datasets", "models")  # the prefixes of a repository's path on the Hub
UPSTREAM = (
    r"^(?:pkg:huggingface/)?(?:[a-z_]+:)*(?:extended\|)?(?:https?://(?:www\.)?(?:huggingface\.co|hf\.co)/)?(?:datasets/|models/)?"
    r"([a-z0-9][a-z0-9_.-]*(?:/[a-z0-9][a-z0-9_.-]*)?)"
)


def columns(path: Path) -> list[str]:
    """The columns of a Parquet file (none when DuckDB cannot read its footer)."""
    import duckdb

    try:
        return [r[0] for r in duck.connect().execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]
    except duckdb.Error:
        return []


@dataclasses.dataclass
class Tables:
    """Tables of Hub records, each scanned once into DuckDB's memory (`t0`, `t1`, … in the order
    of `paths`): a row's number, id (and its lowercase, `lid`, which rows are looked up by) and
    what it holds, left unparsed (a JSON Lines row's line, a Parquet row's columns) until a query
    needs it, so that only the rows asked for are parsed. `failed` holds why a table could not be
    read; `rows` raises it."""

    con: Any
    paths: list[Path]
    failed: dict[int, Exception] = dataclasses.field(default_factory=dict)
    columns: dict[int, dict[str, str]] = dataclasses.field(default_factory=dict)  # a Parquet table's column types


def form(path: Path) -> str:
    """How a table is stored, compressed or not: "parquet", "array" (a JSON array of records, as the
    API answers) or "lines" (JSON Lines). Parquet rows and array elements are numbered from 0, lines from 1."""
    suffix = gzipped.stored_name(path).rsplit(".", 1)[-1]
    return "parquet" if suffix == "parquet" else "array" if suffix == "json" else "lines"


def load(paths: list[Path]) -> Tables:
    """Scan each table once (see Tables)."""
    import duckdb

    tables = Tables(duck.connect(), paths)
    loaders = {"parquet": _load_parquet, "array": _load_array, "lines": _load_jsonl}
    for i, path in enumerate(paths):
        try:
            with gzipped.readable(path) as source:
                loaders[form(path)](tables, i, source)  # the table is in DuckDB's memory on return
        except duckdb.Error as exc:  # named by the table, not the temporary file it inflated to
            tables.failed[i] = type(exc)(str(exc).replace(str(source), str(path)))
        except gzipped.Unreadable as exc:
            tables.failed[i] = exc
    return tables


def _load_jsonl(tables: Tables, i: int, source: Path) -> None:
    """A JSON Lines table's lines, numbered (one thread, so that a line's place is its number), blank
    ones passed over; a line is an object when it is valid JSON beginning with `{`, and its id is
    read when it is a string. The lines DuckDB refuses (over MAX_ROW_BYTES, not UTF-8) are in the
    table `rejected<i>`."""
    limit = MAX_ROWS + 1  # lines count from 1
    lines = f"""SELECT row_number() OVER () AS place, line
                FROM read_csv(?, columns={{'line': 'VARCHAR'}}, delim=E'\\x01', quote='', escape='',
                              header=false, auto_detect=false, strict_mode=false,
                              max_line_size={MAX_ROW_BYTES}, ignore_errors=true, store_rejects=true,
                              rejects_table='rejected{i}', rejects_scan='rejected_scans{i}')"""
    kept = f"(line IS NOT NULL AND regexp_matches(line, '[^ ]') AND place < {limit}) OR place = {limit}"
    _load_texts(tables, i, source, lines, kept)


def _load_array(tables: Tables, i: int, source: Path) -> None:
    """A JSON array's elements, numbered from 0 in the file's order (one thread), each as its JSON
    text: an element is an object when that text begins with `{`. A file that is not one JSON array
    cannot be read (DuckDB's parser is linear and streams it), nor one whose array is not closed:
    DuckDB reads an array cut after a comma as if it were whole."""
    import duckdb

    if _last_character(source) != b"]":
        raise duckdb.InvalidInputException("the JSON array is not closed: the file ends before its ']' (cut short?)")
    elements = """SELECT row_number() OVER () - 1 AS place, json::VARCHAR AS line
                  FROM read_json(?, format='array', records=false, columns={'json': 'JSON'})"""
    _load_texts(tables, i, source, elements, f"place <= {MAX_ROWS}")


def _last_character(path: Path, chunk: int = 65536) -> bytes:
    """The file's last byte other than JSON's white space (b"" if it has none), read backwards a chunk at a time."""
    with open(path, "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        while end > 0:
            fh.seek(max(0, end - chunk))
            text = fh.read(end - max(0, end - chunk)).rstrip(b" \t\r\n")
            if text:
                return text[-1:]
            end = max(0, end - chunk)
    return b""


def _load_texts(tables: Tables, i: int, source: Path, numbered: str, kept: str) -> None:
    """A table of rows kept as JSON text (`numbered`: place, line), each row's id read when it is a
    string of an object, the rest left unparsed."""
    tables.con.execute("SET threads = 1")
    try:
        tables.con.execute(
            f"""CREATE TABLE t{i} AS SELECT place, v IS NOT NULL AS is_object, id, lower(id) AS lid, line FROM (
                SELECT place, line, v, CASE WHEN starts_with(v[1], '"') THEN v[1]->>'$' END AS id FROM (
                    SELECT place, line,
                           CASE WHEN regexp_matches(line, '^ *[{{]') THEN try(json_extract(line, ['$.id'])) END AS v
                    FROM ({numbered}) WHERE {kept}))""",
            [str(source)],
        )
    finally:
        tables.con.execute("RESET threads")


def _load_parquet(tables: Tables, i: int, path: Path) -> None:
    """A Parquet table's rows, numbered from 0, with their columns as stored."""
    types = {r[0]: r[1] for r in tables.con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()}
    tables.columns[i] = types
    stored = ("sha", "repo_type", "tags", *CLIENT_NAMES, *CLIENT_NAMES.values())
    kept = ", ".join(f'"{c}"' for c in stored if c in types)
    tables.con.execute(
        f"""CREATE TABLE t{i} AS SELECT file_row_number AS place, true AS is_object, id::VARCHAR AS id,
                   lower(id::VARCHAR) AS lid, {kept} FROM read_parquet(?, file_row_number=true)
            WHERE file_row_number <= {MAX_ROWS}""",
        [str(path)],
    )


def rows(tables: Tables, path: Path, focus: frozenset[str] | None) -> Iterator[Row]:
    """Each row of the table `path` with its number; with a `focus` (lowercase ids), only the rows it
    names and the bad rows (every bad row is told), chosen by DuckDB, parsed for these alone."""
    i = tables.paths.index(path)
    if i in tables.failed:
        raise tables.failed[i]
    stored = form(path)
    limit = MAX_ROWS if stored != "lines" else MAX_ROWS + 1  # lines count from 1, the others from 0
    tables.con.execute("CREATE OR REPLACE TABLE focus AS SELECT unnest(?::VARCHAR[]) AS id", [sorted(focus or ())])
    chosen = "is_object" if focus is None else "is_object AND lid IN (SELECT id FROM focus)"
    hub_id = HUB_ID.pattern.replace("'", "''")
    kept = "true" if focus is None else f"{chosen} OR NOT is_object OR id IS NULL OR NOT regexp_matches(id, '{hub_id}')"
    parquet = stored == "parquet"
    read = ", ".join(
        f"CASE WHEN {chosen} THEN {value} END"
        for value in (_parquet_values(tables.columns[i]) if parquet else _jsonl_values())
    )
    parsed = "" if parquet else f", CASE WHEN {chosen} THEN json_extract(line, {list(JSONL_PATHS)}) END AS v"
    query = f"""
        SELECT place, is_object, id, {read}
        FROM (SELECT *{parsed} FROM t{i} WHERE {kept} OR place = {limit}) ORDER BY place
    """
    found = tables.con.execute(query).fetchall()
    numbered = _line_numbers(found, tables.con, i) if stored == "lines" else _sized(found)
    for number, error, row_id, *values in numbered:
        if number >= limit:
            yield number, f"past the limit of {MAX_ROWS:,} rows a table", *UNREAD
            return
        if focus is None or error is not None or not looks_like_hub_id(row_id or "") or row_id.lower() in focus:
            yield number, error, row_id, *values


JSONL_PATHS = tuple(f"$.{k}" for k in ("sha", "repo_type", "tags", *CLIENT_NAMES, *CLIENT_NAMES.values()))


def _jsonl_values() -> tuple[str, ...]:
    """A JSON Lines row's sha, lastModified, repo_type (each when a string), card data, its field's
    name and tags (as JSON text), from its fields parsed once (`v`, JSONL_PATHS' values)."""
    at = {path[2:]: f"v[{n}]" for n, path in enumerate(JSONL_PATHS, 1)}

    def string(k: str) -> str:
        return f"""CASE WHEN starts_with({at[k]}, '"') THEN {at[k]}->>'$' END"""

    modified = f"coalesce({string('lastModified')}, {string('last_modified')})"
    api, client = at["cardData"], at["card_data"]
    card_field = f"CASE WHEN {api} IS NULL AND {client} IS NOT NULL THEN 'card_data' ELSE 'cardData' END"
    card = f"coalesce({api}, {client})::VARCHAR"
    return string("sha"), _iso(modified), string("repo_type"), card, card_field, f"{at['tags']}::VARCHAR"


def _parquet_values(types: dict[str, str]) -> tuple[str, ...]:
    """A Parquet row's sha, lastModified, repo_type, card data, its field's name and tags as JSON
    text, whether the file stores them as JSON strings or as nested columns, by the API's names or
    the client's."""
    sha, kind = (f'"{c}"::VARCHAR' if c in types else "NULL" for c in ("sha", "repo_type"))
    modified = [_modified(c, types[c]) for c in ("lastModified", "last_modified") if c in types]
    cards = [(c, f'"{c}"' if types[c] == "VARCHAR" else f'to_json("{c}")') for c in CARD_FIELDS if c in types]
    card = f"coalesce({', '.join(text for _, text in cards)})::VARCHAR" if cards else "NULL"
    card_field = (
        f"'{cards[0][0]}'"
        if len(cards) == 1
        else ("CASE WHEN \"cardData\" IS NULL AND \"card_data\" IS NOT NULL THEN 'card_data' ELSE 'cardData' END")
    )
    tags = '"tags"::VARCHAR' if types["tags"] == "VARCHAR" else 'to_json("tags")::VARCHAR'
    return sha, f"coalesce({', '.join(modified)})" if modified else "NULL", kind, card, card_field, tags


def _modified(column: str, stored: str) -> str:
    """A date column as text in the API's ISO form (`2026-11-30T12:00:00.000Z`), whether the file
    stores it as text or as a timestamp, so that revisions of one asset order alike in both."""
    if stored.startswith("TIMESTAMP"):
        zoned = f"\"{column}\" AT TIME ZONE 'UTC'" if "TIME ZONE" in stored else f'"{column}"::TIMESTAMP'
        return f"strftime({zoned}, '{ISO}')"
    return _iso(f'"{column}"::VARCHAR')


def _iso(text: str) -> str:
    """A date given as text in the API's ISO form where it reads as one (the client's objects
    written with `str` read `2026-11-30 12:00:00+00:00`); as given where it does not."""
    return f"coalesce(strftime(try_cast({text} AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '{ISO}'), {text})"


def _line_numbers(found: list[tuple[Any, ...]], con: Any, i: int) -> Iterator[tuple[Any, ...]]:
    """The lines DuckDB returned, numbered in the file: a line's place among the lines DuckDB took,
    plus the lines it refused before it (each told in its turn)."""
    refused = sorted(con.execute(f"SELECT line, error_type FROM rejected{i}").fetchall())
    j = 0
    for place, is_object, row_id, *values in found:
        while j < len(refused) and refused[j][0] <= place + j:
            yield refused[j][0], _refused(refused[j][1]), *UNREAD
            j += 1
        yield place + j, None if is_object else "not a JSON object", row_id, *values
    for line, error in refused[j:]:
        yield line, _refused(error), *UNREAD


def _refused(error_type: str) -> str:
    return f"over {MAX_ROW_BYTES // 1024} KB" if "LINE SIZE" in str(error_type).upper() else "not UTF-8 text"


def _sized(found: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Parquet rows and array elements, each told when over MAX_ROW_BYTES (JSON Lines are bounded as read)."""
    for number, is_object, row_id, sha, modified, kind, card, card_field, tags in found:
        error = f"over {MAX_ROW_BYTES // 1024} KB" if len(card or "") + len(tags or "") > MAX_ROW_BYTES else None
        yield number, error if is_object else "not a JSON object", row_id, sha, modified, kind, card, card_field, tags


def lineage(tables: Tables, seeds: Iterable[str]) -> frozenset[str]:
    """The lowercase ids of `seeds` (names, Hub ids or URLs) and of every row they reach through
    the upstream its card data and tags name: a closure computed by DuckDB (a recursive query that
    looks rows up by id and parses the rows it reaches alone), which over-approximates the lineage
    the graph will hold. A row that cannot be read names no upstream."""
    reached = " UNION ALL ".join(
        f"SELECT t{i}.lid AS child, {card} AS card, {tags} AS tags FROM t{i} JOIN cone ON t{i}.lid = cone.id "
        "WHERE is_object"
        for i, (card, tags) in _upstream_values(tables)
    )
    found = tables.con.execute(
        f"""WITH RECURSIVE cone(id) AS (
                {_seeds()} {f"UNION SELECT parent FROM ({_upstream(reached)})" if reached else ""})
            SELECT id FROM cone""",
        [sorted(set(seeds))],
    ).fetchall()
    return frozenset(r[0] for r in found)


def descendants(tables: Tables, seeds: Iterable[str], edges: Iterable[tuple[str, str]] = ()) -> frozenset[str]:
    """The lowercase ids of `seeds` and of every row that names one of them upstream, directly or
    through other rows or through `edges` ((child, parent) names other manifests give): the converse
    of `lineage`, over-approximated alike. Every readable row's upstream is parsed, once: any row
    may descend from the seeds, while a lineage reaches few."""
    every = " UNION ALL ".join(
        f"SELECT lid AS child, {card} AS card, {tags} AS tags FROM t{i} WHERE is_object"
        for i, (card, tags) in _upstream_values(tables)
    )
    pairs = sorted(set(edges))
    given = f"""SELECT {_hub_id("child")} AS child, {_hub_id("parent")} AS parent FROM (
                    SELECT lower(trim(unnest(?::VARCHAR[]))) AS child, lower(trim(unnest(?::VARCHAR[]))) AS parent)"""
    links = f"{_upstream(every)} UNION ALL {given}" if every else given
    found = tables.con.execute(
        f"""WITH RECURSIVE links AS MATERIALIZED ({links}),
            down(id) AS ({_seeds()} UNION SELECT links.child FROM links JOIN down ON links.parent = down.id)
            SELECT id FROM down""",
        [[c for c, _ in pairs], [p for _, p in pairs], sorted(set(seeds))],
    ).fetchall()
    return frozenset(r[0] for r in found)


def _seeds() -> str:
    """The Hub ids of the names given as the query's (last) parameter, a list."""
    return f"SELECT DISTINCT {_hub_id('s')} FROM (SELECT lower(trim(unnest(?::VARCHAR[]))) AS s)"


def _upstream(rows: str) -> str:
    """(child, parent) for each Hub id that the `rows` (child, card, tags as JSON) name upstream,
    each row's card data parsed once into the fields that can name one."""
    fields = "{" + ", ".join(f'"{f}": "JSON"' for f in (*UPSTREAM_FIELDS, "model-index")) + "}"
    return f"""SELECT child, {_hub_id("name")} AS parent FROM (
                   SELECT child, lower(trim(unnest({_names("c")}))) AS name FROM (
                       SELECT child, tags,
                              CASE WHEN json_type(card) = 'OBJECT' THEN json_transform(card, '{fields}') END AS c
                       FROM ({rows})))"""


def _upstream_values(tables: Tables) -> Iterator[tuple[int, tuple[str, str]]]:
    """Each readable table's card data and tags, as JSON (NULL where not valid JSON)."""
    for i, path in enumerate(tables.paths):
        if i in tables.failed:
            continue
        if form(path) != "parquet":
            yield (
                i,
                (
                    "coalesce(json_extract(line, '$.cardData'), json_extract(line, '$.card_data'))",
                    "json_extract(line, '$.tags')",
                ),
            )
            continue
        _, _, _, card, _, tags = _parquet_values(tables.columns[i])
        yield i, (_json(card), _json(tags))


def _json(text: str) -> str:
    return f"CASE WHEN json_valid({text}) THEN ({text})::JSON END"


def _hub_id(name: str) -> str:
    """The Hub id a lowercase name gives (UPSTREAM), the regular expression run only on the few
    names with a prefix, a URL or `extended|`: most are Hub ids already."""
    plain = " AND ".join(
        (
            f"strpos({name}, ':') = 0",
            f"strpos({name}, '|') = 0",
            f"strpos({name}, '@') = 0",
            *(f"NOT starts_with({name}, '{p}/')" for p in NAMESPACES),
        )
    )
    return f"CASE WHEN {plain} THEN {name} ELSE regexp_extract({name}, '{UPSTREAM}', 1) END"


def _names(card: str) -> str:
    """The strings of a row that name its upstream, as one list: the tags `base_model:…` and
    `dataset:…` (their last part, a Hub id having no colon), and the fields of the card data
    (`card`, parsed once into them) that hfcard reads upstream from."""
    found = [
        "list_transform(list_filter(json_extract_string(tags, '$[*]'), "
        "lambda t: t LIKE 'base_model:%' OR t LIKE 'dataset:%'), lambda t: string_split(t, ':')[-1])"
    ]
    for field in UPSTREAM_FIELDS:
        value = f'{card}."{field}"'
        found.append(
            f"CASE json_type({value}) WHEN 'ARRAY' THEN json_extract_string({value}, '$[*]') "
            f"WHEN 'VARCHAR' THEN [{value}->>'$'] END"
        )
    found.append(f"""json_extract_string({card}."model-index", '$[*].results[*].dataset.type')""")
    return "flatten([" + ", ".join(f"coalesce({names}, [])" for names in found) + "])"
