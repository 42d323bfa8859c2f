"""The rows of tables of Hub records, as DuckDB reads them: JSON Lines split into lines and parsed
in C, Parquet read by column; Python gets one small tuple a row.

Two questions are asked of the tables. `rows`: each row's id, sha, lastModified, card data and tags (as JSON
text), numbered (the line of a JSON Lines file, the 0-based index of a Parquet row). `lineage`:
the ids a release's audit needs, so that rows outside its lineage are never turned into records
(one release in a table of a million rows). The lineage is over-approximated on purpose: every
string of a row's card data and tags that can name a Hub repository (a Hub id, after a tag's
`base_model:…:`, `dataset:` or `extended|`, or a Hub URL) counts as an upstream, so no row the
graph would put in the release's cone is left out; the graph's cut (auditor/cone.py) is exact.

Bounds: a row over MAX_ROW_BYTES and the rows past MAX_ROWS are reported, not read; DuckDB's
CSV, JSON and Parquet readers and RE2 are linear.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from auditor.identity import HUB_ID, looks_like_hub_id

MAX_ROW_BYTES = 1024 * 1024  # one row's JSON (or card data and tags, in Parquet)
MAX_ROWS = 5_000_000  # rows read from one table (the Hub holds about 2.2 M models)
Row = tuple[int, str | None, str | None, str | None, str | None, str | None, str | None]
# number, error, id, sha, lastModified, card, tags
UPSTREAM_FIELDS = ("base_model", "datasets", "source_datasets")  # and the model index's datasets, as hfcard reads
# A name of an upstream (lowercase), after any tag prefix (base_model:finetune:, dataset:), `extended|`
# or Hub URL: group 1 is the Hub id it names.
NAMESPACES = ("datasets", "models")  # the prefixes of a repository's path on the Hub
UPSTREAM = (
    r"^(?:pkg:huggingface/)?(?:[a-z_]+:)*(?:extended\|)?(?:https?://(?:www\.)?(?:huggingface\.co|hf\.co)/)?(?:datasets/|models/)?"
    r"([a-z0-9][a-z0-9_.-]*(?:/[a-z0-9][a-z0-9_.-]*)?)"
)


def connect() -> Any:
    """An in-memory DuckDB that never fetches an extension (JSON and Parquet are built in): no
    network during an audit."""
    import duckdb

    return duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})


def columns(path: Path) -> list[str]:
    """The columns of a Parquet file (none when DuckDB cannot read its footer)."""
    import duckdb

    try:
        return [r[0] for r in connect().execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]
    except duckdb.Error:
        return []


def rows(path: Path, focus: frozenset[str] | None) -> Iterator[Row]:
    """Each row of the table with its number, blank lines passed over; with a `focus` (lowercase
    ids), only the rows it names and the bad rows (every bad row is told), chosen by DuckDB."""
    con = connect()
    con.execute("SET threads = 1")  # one scan in file order, so that a line's place is its number
    con.execute("CREATE TABLE focus AS SELECT unnest(?::VARCHAR[]) AS id", [sorted(focus or ())])
    chosen = "true" if focus is None else "lower(id) IN (SELECT id FROM focus)"
    hub_id = HUB_ID.pattern.replace("'", "''")
    kept = "true" if focus is None else f"{chosen} OR NOT is_object OR id IS NULL OR NOT regexp_matches(id, '{hub_id}')"
    parquet = path.suffix.lower() == ".parquet"
    limit = MAX_ROWS if parquet else MAX_ROWS + 1  # Parquet rows count from 0, lines from 1
    source = _parquet(con, path) if parquet else f"SELECT row_number() OVER () AS place, * FROM ({_jsonl(path)})"
    query = f"""
        SELECT place, is_object, id, sha, modified, CASE WHEN {chosen} THEN card END, CASE WHEN {chosen} THEN tags END
        FROM ({source}) WHERE (NOT blank AND place < {limit} AND ({kept})) OR place = {limit} ORDER BY place
    """
    found = con.execute(query, [str(path)]).fetchall()
    for number, error, row_id, sha, modified, card, tags in (
        _parquet_numbers(found) if parquet else _line_numbers(found, con)
    ):
        if number >= limit:
            yield number, f"past the limit of {MAX_ROWS:,} rows a table", None, None, None, None, None
            return
        if focus is None or error is not None or not looks_like_hub_id(row_id or "") or row_id.lower() in focus:
            yield number, error, row_id, sha, modified, card, tags


def _jsonl(path: Path) -> str:
    """The lines of a JSON Lines file (blank ones too, so that each line keeps its place); the lines
    DuckDB refuses (over MAX_ROW_BYTES, not UTF-8) are in the table `rejected`."""
    return f"""
        SELECT raw IS NULL OR trim(raw) = '' AS blank, v IS NOT NULL AS is_object,
               CASE WHEN starts_with(v[1], '"') THEN v[1]->>'$' END AS id,
               CASE WHEN starts_with(v[2], '"') THEN v[2]->>'$' END AS sha,
               CASE WHEN starts_with(v[3], '"') THEN v[3]->>'$' END AS modified,
               v[4]::VARCHAR AS card, v[5]::VARCHAR AS tags
        FROM (
            SELECT line AS raw, CASE WHEN json_valid(line) AND starts_with(ltrim(line), '{{') THEN
                   json_extract(line, ['$.id', '$.sha', '$.lastModified', '$.cardData', '$.tags']) END AS v
            FROM read_csv(?, columns={{'line': 'VARCHAR'}}, delim=E'\\x01', quote='', escape='',
                          header=false, auto_detect=false, strict_mode=false, max_line_size={MAX_ROW_BYTES},
                          ignore_errors=true, store_rejects=true, rejects_table='rejected',
                          rejects_scan='rejected_scans')
        )
    """


def _parquet(con: Any, path: Path) -> str:
    """The rows of a Parquet table; card data and tags as JSON text whether the file stores them as
    JSON strings or as nested columns."""
    types = {r[0]: r[1] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()}
    text = {
        c: (c if types[c] == "VARCHAR" else f"to_json({c})") if c in types else "NULL" for c in ("cardData", "tags")
    }
    return f"""
        SELECT file_row_number AS place, false AS blank, true AS is_object, id::VARCHAR AS id,
               {"sha::VARCHAR" if "sha" in types else "NULL"} AS sha,
               {'"lastModified"::VARCHAR' if "lastModified" in types else "NULL"} AS modified,
               {text["cardData"]}::VARCHAR AS card, {text["tags"]}::VARCHAR AS tags
        FROM read_parquet(?, file_row_number=true)
    """


def _line_numbers(found: list[tuple[Any, ...]], con: Any) -> Iterator[tuple[Any, ...]]:
    """The lines DuckDB returned, numbered in the file: a line's place among the lines DuckDB took,
    plus the lines it refused before it (each told in its turn)."""
    refused = sorted(con.execute("SELECT line, error_type FROM rejected").fetchall())
    j = 0
    for place, is_object, row_id, sha, modified, card, tags in found:
        while j < len(refused) and refused[j][0] <= place + j:
            yield refused[j][0], _refused(refused[j][1]), None, None, None, None, None
            j += 1
        yield place + j, None if is_object else "not a JSON object", row_id, sha, modified, card, tags
    for line, error in refused[j:]:
        yield line, _refused(error), None, None, None, None, None


def _refused(error_type: str) -> str:
    return f"over {MAX_ROW_BYTES // 1024} KB" if "LINE SIZE" in str(error_type).upper() else "not UTF-8 text"


def _parquet_numbers(found: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    for number, _, row_id, sha, modified, card, tags in found:
        error = f"over {MAX_ROW_BYTES // 1024} KB" if len(card or "") + len(tags or "") > MAX_ROW_BYTES else None
        yield number, error, row_id, sha, modified, card, tags


def lineage(tables: list[Path], seeds: Iterable[str]) -> frozenset[str]:
    """The lowercase ids of `seeds` (names, Hub ids or URLs) and of every row they reach through
    the upstream its card data and tags name: a closure computed by DuckDB (a recursive query),
    which over-approximates the lineage the graph will hold."""
    con = connect()
    rows = " UNION ALL ".join(_upstream_source(con, p) for p in tables)
    fields = ", ".join(f'"{f}": "JSON"' for f in (*UPSTREAM_FIELDS, "model-index"))
    con.execute(
        f"""CREATE TABLE upstream AS SELECT DISTINCT id, {_hub_id("name")} AS parent FROM (
                SELECT lower(id) AS id, lower(trim(unnest({_names("c")}))) AS name FROM (
                    SELECT id, tags,
                           CASE WHEN json_type(card) = 'OBJECT' THEN json_transform(card, '{{{fields}}}') END AS c
                    FROM ({rows}) WHERE id IS NOT NULL))""",
        [str(p) for p in tables],
    )
    con.execute(
        f"CREATE TABLE seeds AS SELECT DISTINCT {_hub_id('s')} AS id "
        "FROM (SELECT lower(trim(unnest(?::VARCHAR[]))) AS s)",
        [sorted(set(seeds))],
    )
    found = con.execute(
        """WITH RECURSIVE cone(id) AS (
               SELECT id FROM seeds UNION SELECT u.parent FROM upstream u JOIN cone c ON u.id = c.id)
           SELECT id FROM cone"""
    ).fetchall()
    return frozenset(r[0] for r in found)


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


def _upstream_source(con: Any, path: Path) -> str:
    """A table's rows as (id, card, tags), card data and tags as JSON; a row DuckDB cannot read
    names no upstream (`rows` reports it)."""
    if path.suffix.lower() != ".parquet":
        return f"""SELECT id, cardData AS card, tags FROM read_json(?, format='newline_delimited',
                   columns={{'id': 'VARCHAR', 'tags': 'JSON', 'cardData': 'JSON'}}, ignore_errors=true,
                   maximum_object_size={MAX_ROW_BYTES})"""
    return f"""SELECT id, CASE WHEN json_valid(card) THEN card::JSON END AS card,
               CASE WHEN json_valid(tags) THEN tags::JSON END AS tags FROM ({_parquet(con, path)})"""


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
