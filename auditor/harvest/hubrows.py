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

Bounds: a row whose card data and tags exceed MAX_ROW_BYTES, a line or element over MAX_LINE_BYTES
(the fields not read, such as a dataset's list of files, count only here) and the rows past
MAX_ROWS are reported, not read; DuckDB's
CSV, JSON and Parquet readers and RE2 are linear, and the lineage query does one lookup of the
rows by id for each step of depth; a compressed table is inflated under gzipped.py's bound.
"""

from __future__ import annotations

import dataclasses
import heapq
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from auditor import duck
from auditor.harvest import gzipped, hubfields, longlines, rowjson
from auditor.identity import HUB_ID, looks_like_hub_id

MAX_ROW_BYTES = 1024 * 1024  # a row's card data and tags, the part of it read
# a JSON Lines line or JSON array element whole: the API's list of a record's files runs to megabytes
MAX_LINE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 5_000_000  # rows read from one table (the Hub holds about 2.2 M models)
Row = tuple[int, str | None, str | None, str | None, str | None, str | None, str | None, str, str | None]
# number, error, id, sha, lastModified, repo_type, card data, the card data's field name, tags
READ_KEYS = ("id", *(path[2:] for path in hubfields.JSONL_PATHS))  # the fields of a row that are read
UNREAD = (None, None, None, None, None, "cardData", None)  # a bad row's values past its error
UPSTREAM_FIELDS = ("base_model", "datasets", "source_datasets")  # and the model index's datasets, as hfcard reads
# A name of an upstream (lowercase), after any tag prefix (base_model:finetune:, dataset:), `extended|`
# or Hub URL: group 1 is the Hub id it names.
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
    of `paths`): a row's number, id (and its Hub id lowercase, `lid`, which rows are looked up by) and
    what it holds, left unparsed (a JSON Lines row's line, a Parquet row's columns) until a query
    needs it, so that only the rows asked for are parsed. `failed` holds why a table could not be
    read; `rows` raises it."""

    con: Any
    paths: list[Path]
    failed: dict[int, Exception] = dataclasses.field(default_factory=dict)
    columns: dict[int, dict[str, str]] = dataclasses.field(default_factory=dict)  # a Parquet table's column types
    # the numbers of a JSON Lines table's lines over MAX_LINE_BYTES, left out of what DuckDB read
    too_long: dict[int, list[int]] = dataclasses.field(default_factory=dict)


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
    read when it is a string. Lines over MAX_LINE_BYTES are found first and left empty
    (auditor/harvest/longlines.py), their numbers in `too_long`; the lines DuckDB refuses (not
    UTF-8) are in the table `rejected<i>`."""
    limit = MAX_ROWS + 1  # lines count from 1
    lines = f"""SELECT row_number() OVER () AS place, line
                FROM read_csv(?, columns={{'line': 'VARCHAR'}}, delim=E'\\x01', quote='', escape='',
                              header=false, auto_detect=false, strict_mode=false,
                              max_line_size={MAX_LINE_BYTES}, buffer_size={2 * MAX_LINE_BYTES},
                              ignore_errors=true, store_rejects=true,
                              rejects_table='rejected{i}', rejects_scan='rejected_scans{i}')"""
    kept = f"(line IS NOT NULL AND regexp_matches(line, '[^ \t\r]') AND place < {limit}) OR place = {limit}"
    spans = longlines.find(source, MAX_LINE_BYTES)
    tables.too_long[i] = [line for line, _, _ in spans]
    with longlines.blanked(source, spans) as readable:
        _load_texts(tables, i, readable, lines, kept)


def _load_array(tables: Tables, i: int, source: Path) -> None:
    """A JSON array's elements, numbered from 0 in the file's order (one thread), each as its JSON
    text: an element is an object when that text begins with `{`. A file that is not one JSON array
    cannot be read (DuckDB's parser is linear and streams it), nor one whose array is not closed:
    DuckDB reads an array cut after a comma as if it were whole."""
    import duckdb

    if _last_character(source) != b"]":
        raise duckdb.InvalidInputException("the JSON array is not closed: the file ends before its ']' (cut short?)")
    elements = f"""SELECT row_number() OVER () - 1 AS place, json::VARCHAR AS line
                   FROM read_json(?, format='array', records=false, columns={{'json': 'JSON'}},
                                  maximum_object_size={MAX_LINE_BYTES})"""
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
            f"""CREATE TABLE t{i} AS SELECT place, v IS NOT NULL AS is_object, id, {hubfields.lid("id")} AS lid, line
                FROM (
                SELECT place, line, v, CASE WHEN starts_with(v[1], '"') THEN v[1]->>'$' END AS id FROM (
                    SELECT place, line,
                           CASE WHEN regexp_matches(line, '^[ \t]*[{{]') THEN try(json_extract(line, ['$.id'])) END AS v
                    FROM ({numbered}) WHERE {kept}))""",
            [str(source)],
        )
    finally:
        tables.con.execute("RESET threads")


def _load_parquet(tables: Tables, i: int, path: Path) -> None:
    """A Parquet table's rows, numbered from 0, with their columns as stored; an id that is not a
    string is none, as in JSON Lines. A file without an id column cannot be read."""
    import duckdb

    gzipped.check_parquet(tables.con, path)
    types = {r[0]: r[1] for r in tables.con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()}
    if "id" not in types:
        raise duckdb.InvalidInputException("it has no 'id' column, which names each row's repository")
    tables.columns[i] = types
    row_id = '"id"' if types["id"] == "VARCHAR" else "NULL::VARCHAR"
    stored = ("sha", "repo_type", "tags", *hubfields.CLIENT_NAMES, *hubfields.CLIENT_NAMES.values())
    kept = "".join(f', "{c}"' for c in stored if c in types)
    tables.con.execute(
        f"""CREATE TABLE t{i} AS SELECT file_row_number AS place, true AS is_object, {row_id} AS id,
                   {hubfields.lid(row_id)} AS lid{kept} FROM read_parquet(?, file_row_number=true)
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
    bad = f"NOT is_object OR lid IS NULL OR NOT regexp_matches(lid, '{hub_id}')"
    kept = "true" if focus is None else f"{chosen} OR {bad}"
    parquet = stored == "parquet"
    read = ", ".join(
        f"CASE WHEN {chosen} THEN {value} END"
        for value in (hubfields.parquet_values(tables.columns[i]) if parquet else hubfields.jsonl_values())
    )
    parsed, keys = "", "NULL"  # a row's fields, and its top-level keys where one is given twice
    if not parquet:
        fields = f"CASE WHEN {chosen} THEN json_extract(line, {list(hubfields.JSONL_PATHS)}) END AS v"
        parsed = f", {fields}, CASE WHEN {chosen} THEN json_keys(line) END AS k"
        keys = "CASE WHEN len(k) > len(list_distinct(k)) THEN k END"
    query = f"""
        SELECT place, is_object, id, {keys}, {read}
        FROM (SELECT *{parsed} FROM t{i} WHERE {kept} OR place = {limit}) ORDER BY place
    """
    found = tables.con.execute(query).fetchall()
    numbered = _line_numbers(found, tables, i) if stored == "lines" else _sized(found)
    for number, error, row_id, *values in _bounded(numbered):
        if number >= limit:
            yield number, f"past the limit of {MAX_ROWS:,} rows a table", *UNREAD
            return
        if focus is None or error is not None or _may_be_in(row_id, focus):
            yield number, error, row_id, *values


def _may_be_in(row_id: str | None, focus: frozenset[str]) -> bool:
    """Whether a row may be of the focus: its id names one of its assets, or is no Hub id to tell by."""
    hub_id = hubfields.split_row_id(row_id)[1] or ""
    return not looks_like_hub_id(hub_id) or hub_id.lower() in focus


def _line_numbers(found: list[tuple[Any, ...]], tables: Tables, i: int) -> Iterator[tuple[Any, ...]]:
    """The lines DuckDB returned, numbered in the file, with those it refused and those too long to
    give it, each told in its turn."""
    long = ((n, _too_long(), *UNREAD) for n in tables.too_long.get(i, []))
    return heapq.merge(_taken(found, tables.con, i), long, key=lambda row: row[0])


def _taken(found: list[tuple[Any, ...]], con: Any, i: int) -> Iterator[tuple[Any, ...]]:
    """The lines DuckDB returned, numbered in the file: a line's place among the lines DuckDB took,
    plus the lines it refused before it (each told in its turn)."""
    refused = sorted(con.execute(f"SELECT line, error_type FROM rejected{i}").fetchall())
    j = 0
    for place, is_object, row_id, keys, *values in found:
        while j < len(refused) and refused[j][0] <= place + j:
            yield refused[j][0], _refused(refused[j][1]), *UNREAD
            j += 1
        yield place + j, *_checked(is_object, row_id, keys), *values
    for line, error in refused[j:]:
        yield line, _refused(error), *UNREAD


def _refused(error_type: str) -> str:
    return _too_long() if "LINE SIZE" in str(error_type).upper() else "not UTF-8 text"


def _too_long() -> str:
    return f"over {MAX_LINE_BYTES // 1024 // 1024} MB"


def _sized(found: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Parquet rows and array elements, told when not a JSON object."""
    for number, is_object, row_id, keys, *values in found:
        yield number, *_checked(is_object, row_id, keys), *values


def _checked(is_object: bool, row_id: str | None, keys: list[str] | None) -> tuple[str | None, str | None]:
    """A row's error and id: not an object, or a field of the record given twice, which JSON
    parsers read differently (the first value, as DuckDB, or the last, as Python): its reading is
    not one, so the row is not read (an id given twice names none)."""
    if not is_object:
        return "not a JSON object", row_id
    twice = sorted(k for k in set(keys or ()) & set(READ_KEYS) if (keys or []).count(k) > 1)
    if not twice:
        return None, row_id
    named = ", ".join(f"'{k}'" for k in twice)
    return f"it gives {named} twice, which JSON parsers read differently", None if "id" in twice else row_id


def _bounded(numbered: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Rows, each told when its card data and tags are over MAX_ROW_BYTES."""
    for number, error, row_id, sha, modified, kind, card, card_field, tags in numbered:
        if error is None and len(card or "") + len(tags or "") > MAX_ROW_BYTES:
            error = f"its card data and tags are over {MAX_ROW_BYTES // 1024} KB"
        yield number, error, row_id, sha, modified, kind, card, card_field, tags


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
    each row's card data parsed once into the fields that can name one; card data or tags given as
    a string holding JSON text are read as hubtable reads them (rowjson.nested_sql)."""
    fields = "{" + ", ".join(f'"{f}": "JSON"' for f in (*UPSTREAM_FIELDS, "model-index")) + "}"
    return f"""SELECT child, {_hub_id("name")} AS parent FROM (
                   SELECT child, lower(trim(unnest({_names("c")}))) AS name FROM (
                       SELECT child, tags,
                              CASE WHEN json_type(card) = 'OBJECT' THEN json_transform(card, '{fields}') END AS c
                       FROM (SELECT child, {rowjson.nested_sql("card")} AS card, {rowjson.nested_sql("tags")} AS tags
                             FROM ({rows}))))"""


def _upstream_values(tables: Tables) -> Iterator[tuple[int, tuple[str, str]]]:
    """Each readable table's card data and tags, as JSON (NULL where not valid JSON)."""
    for i, path in enumerate(tables.paths):
        if i in tables.failed:
            continue
        if form(path) != "parquet":
            yield i, (hubfields.JSONL_CARD, "json_extract(line, '$.tags')")
            continue
        _, _, _, card, _, tags = hubfields.parquet_values(tables.columns[i])
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
            *(f"NOT starts_with({name}, '{p}/')" for p in hubfields.NAMESPACES),
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
