"""Drift: what changed between two audits of the same assets, asset by asset, and across a lake.

Each side is read as auditor/drift_sides.py says; the answer names what judged each (its legal
position) and warns where the sides differ besides the lake (their kind, release, position, rule
base). Per asset: its licence as declared and as read (licences changed counts those as read: a
declared one spelt anew, `apache-2.0` as `Apache-2.0`, is shown, not counted), its use category, its
lineage edges (an edge belongs to its child), and its findings, matched by finding id (rule, asset
and details): new, gone, or changed in severity or status. An asset is added or removed where one
side has it: as a row (a lake's release, or a report's asset) or, for an upstream a lake does not
release (undescribed, or an older revision a reference pins), as an end of a lineage edge; the
counts of assets added and removed are of rows. Ids that differ in letter case only name one asset
(the Hub's ids are case-insensitive), shown as the new side spells it.

Across the lake, the two drift patterns LiScan and Jewitt et al. report are counted on each side,
with the instances the new side adds:
- more permissive than upstream: a lineage edge whose derivative's licence, by its own terms,
  allows a wider use than its upstream's licence does (auditor/use_rank.py); an edge to what the
  asset only uses (an evaluation set, a tool: vocabulary.USES) carries no terms, so is no instance;
- restrictions dropped: an asset with an open CMP006 finding (its declared licence omits
  restrictions that its lineage's licences impose on it).

Every side is compared by one implementation, in SQL on DuckDB, so that two lake outputs of a
million assets (8 million findings each) are compared column by column: a lake output folder's
Parquet files are read in place, and the rows of a report or of a lake judged in memory are loaded
the way lakedb loads a lake's. The findings are read for the columns each question needs (ids,
severities, statuses and owners; rules for the restrictions dropped), then the messages of the
changed that the answer shows, by their rows: a lake output's findings are sorted by asset
(lakedb.PARQUET), so those of the first LIMIT assets that changed (every one for `--out`) lie in a
few row groups, the only ones read again. Python receives only what it shows.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from auditor import duck, lakedb, use_rank
from auditor.drift_sides import COMPARED, TABLES, DriftError, State, described, literal, warnings
from auditor.licenses import KnowledgeBase
from auditor.parsed import JSONObject
from auditor.vocabulary import USES

DROPPED = "CMP006"  # the rule whose findings are the restrictions dropped
PATTERNS = ("more-permissive-than-upstream", "restrictions-dropped")
LIMIT = 1000  # changed assets, and new instances of each drift pattern, the answer lists
SIDES = ("old", "new")


def compare(old: State, new: State, kb: KnowledgeBase, files: bool = False) -> tuple[JSONObject, dict[str, bytes]]:
    """Every asset that changed (the first LIMIT listed), the counts, and the drift patterns before and
    after; with `files`, every changed asset and new drift instance as files (see _files)."""
    with tempfile.TemporaryDirectory(prefix="mlaudit-diff-") as tmp:
        con = duck.connect(preserve_insertion_order=True)
        try:
            for side, state in zip(SIDES, (old, new), strict=True):
                _tables(con, side, state, Path(tmp))
            _same_spelling(con)
            _ranks(con, kb)
            for statement in (*CHANGES, *_shown(None if files else LIMIT), *DETAILS):
                con.execute(statement)
            doc = {
                "old": old.name,
                "new": new.name,
                "sides": {"old": described(old), "new": described(new)},
                "warnings": warnings(old, new),
                "counts": _counts(con),
                "patterns": _patterns(con),
                "assets": [
                    _asset(row) for row in duck.rows(con, "SELECT * FROM changes ORDER BY asset LIMIT ?", LIMIT)
                ],
            }
            written = _files(con, Path(tmp)) if files else {}
        except duckdb.Error as exc:
            raise DriftError(f"{old.name} → {new.name}: {str(exc).splitlines()[0]}") from None
        finally:
            con.close()
    return doc, written


def _tables(con: duckdb.DuckDBPyConnection, side: str, state: State, tmp: Path) -> None:
    """The tables old_assets and old_edges (or new_…), read once: the changes and the drift patterns
    read them again; and the view old_findings, read three times, each for the columns it needs (8
    findings an asset), with each finding's row, by which the changed are read again. A finding's
    owner is its asset, or "(lake)" for the lake's own."""
    for table, (file, columns, types) in TABLES.items():
        if state.folder is not None:
            source, number = f"read_parquet({literal(state.folder / file)}, file_row_number = true)", "file_row_number"
        else:
            source, number = f"{side}_{table}_rows", "rowid"
            rows = [{k: row[k] for k in columns} for row in state.rows[table]]
            lakedb.load(con, tmp, source, rows, {k: types[k] for k in columns})
        if table == "findings":
            owned = f"{number} AS row, {', '.join(columns)}, coalesce(asset, '(lake)') AS owner"
            con.execute(f"CREATE VIEW {side}_{table}_read AS SELECT {owned} FROM {source}")
        else:
            con.execute(f"CREATE TABLE {side}_{table} AS SELECT {', '.join(columns)} FROM {source}")


def _same_spelling(con: duckdb.DuckDBPyConnection) -> None:
    """The old side with each asset spelt as the new side spells it where the two differ in case only:
    the Hub's ids are case-insensitive (an asset's key is its lowercased id), so one repository is kept,
    not removed and added; and the views old_findings and new_findings over the findings as read."""
    con.execute(
        "CREATE TABLE respelt AS SELECT o.id AS old, n.id AS new FROM old_assets o "
        "JOIN new_assets n ON lower(o.id) = lower(n.id) AND o.id <> n.id"
    )
    con.execute("CREATE VIEW new_findings AS SELECT * FROM new_findings_read")
    if not (con.execute("SELECT count(*) FROM respelt").fetchone() or (0,))[0]:
        con.execute("CREATE VIEW old_findings AS SELECT * FROM old_findings_read")
        return
    con.execute("UPDATE old_assets SET id = r.new FROM respelt r WHERE id = r.old")
    for end in ("child", "parent"):
        con.execute(f"UPDATE old_edges SET {end} = r.new FROM respelt r WHERE {end} = r.old")
    con.execute(
        "CREATE VIEW old_findings AS SELECT f.* REPLACE (coalesce(r.new, f.asset) AS asset, "
        "coalesce(r.new, f.owner) AS owner) FROM old_findings_read f LEFT JOIN respelt r ON r.old = f.asset"
    )


def _ranks(con: duckdb.DuckDBPyConnection, kb: KnowledgeBase) -> None:
    """ranks(license, rank): how wide a use each licence on either side allows by its own terms; and
    old_ranked(id, rank) (and new_…): each asset whose licence is ranked, with its licence's rank."""
    con.execute("CREATE TABLE ranks (license VARCHAR, rank INTEGER)")
    named = con.execute("SELECT license FROM old_assets UNION SELECT license FROM new_assets").fetchall()
    ranks = [(str(lic), use_rank.of(str(lic), kb)) for (lic,) in named if lic is not None]
    ranked = [(lic, rank) for lic, rank in ranks if rank is not None]
    if ranked:
        con.executemany("INSERT INTO ranks VALUES (?, ?)", ranked)
    for side in SIDES:
        con.execute(f"CREATE TABLE {side}_ranked AS SELECT id, rank FROM {side}_assets JOIN ranks USING (license)")


def _field(name: str) -> str:
    return (
        f"CASE WHEN o.id IS NOT NULL AND n.id IS NOT NULL AND o.{name} IS DISTINCT FROM n.{name} "
        f"THEN {{'before': o.{name}, 'after': n.{name}}} END AS {name}"
    )


def _wider(side: str) -> str:
    """The `child ← parent` edges of a side whose child's licence allows a wider use than its parent's,
    of the relations terms cross."""
    used = ", ".join(f"'{relation}'" for relation in USES)
    return (
        f"SELECT '{side}' AS side, e.child || ' ← ' || e.parent AS instance FROM {side}_edges e "
        f"JOIN {side}_ranked c ON c.id = e.child JOIN {side}_ranked p ON p.id = e.parent "
        f"WHERE c.rank < p.rank AND e.relation NOT IN ({used})"
    )


def _present(side: str) -> str:
    """(side, asset) for each asset a side names: a row (a lake's release), or either end of an edge
    (an upstream that is no release: undescribed, or an older revision a reference pins)."""
    return (
        f"SELECT '{side}' AS side, id AS asset FROM {side}_assets UNION ALL "
        f"SELECT '{side}', child FROM {side}_edges UNION ALL SELECT '{side}', parent FROM {side}_edges"
    )


def _dropped(side: str) -> str:
    return f"SELECT '{side}', owner FROM {side}_findings WHERE rule = '{DROPPED}' AND status = 'open'"


def _picked(side: str, shown: str) -> str:
    """The findings of a side whose changes it shows (`shown`) and whose owners are listed, read a
    second time for the columns the answer shows of them; the range of the owners listed lets a
    lake output's scan skip the row groups of the others (its findings are sorted by asset)."""
    return (
        f"CREATE TABLE {side}_picked AS SELECT row, rule, severity, status, message FROM {side}_findings "
        "WHERE (asset BETWEEN getvariable('first') AND getvariable('last') OR asset IS NULL) AND row IN "
        f"(SELECT {side}_row FROM findings_x WHERE {shown} AND owner IN (SELECT asset FROM shown))"
    )


def _briefs(side: str, shown: str, before: str) -> str:
    """The findings of `shown` changes in brief, as `side` has them."""
    brief = "{'id': x.id, 'rule': f.rule, 'severity': f.severity, 'status': f.status, 'message': f.message}"
    return (
        f"SELECT x.owner AS asset, x.change, {brief} AS brief, {before} AS before "
        f"FROM findings_x x JOIN {side}_picked f ON f.row = x.{side}_row WHERE {shown}"
    )


SHOWN = {"new": "change <> 'gone'", "old": "change = 'gone'"}  # the side each change is shown as
EDGE = "{'parent': parent, 'relation': relation}"


def _listed(value: str, change: str) -> str:
    """An asset's `value`s of one change, in order: by their first field (a finding's id), then the next."""
    return f"list_sort(list({value}) FILTER (WHERE change = '{change}')) AS {change}"


CHANGES = (
    # the assets added, removed, or whose licences or use category changed
    "CREATE TABLE assets_x AS SELECT coalesce(o.id, n.id) AS asset, "
    "CASE WHEN o.id IS NULL THEN 'added' WHEN n.id IS NULL THEN 'removed' ELSE 'kept' END AS status, "
    + ", ".join(map(_field, COMPARED))
    + " FROM old_assets o FULL JOIN new_assets n ON o.id = n.id WHERE o.id IS NULL OR n.id IS NULL OR "
    + " OR ".join(f"o.{k} IS DISTINCT FROM n.{k}" for k in COMPARED),
    # the edges added and removed, each by the asset it belongs to, its child (once, as EXCEPT would)
    "CREATE TABLE edges_x AS SELECT DISTINCT coalesce(o.child, n.child) AS asset, "
    "CASE WHEN o.here THEN 'removed' ELSE 'added' END AS change, coalesce(o.parent, n.parent) AS parent, "
    "coalesce(o.relation, n.relation) AS relation FROM (SELECT *, true AS here FROM old_edges) o "
    "FULL JOIN (SELECT *, true AS here FROM new_edges) n ON "
    + " AND ".join(f"o.{c} IS NOT DISTINCT FROM n.{c}" for c in lakedb.EDGE_COLUMNS)
    + " WHERE o.here IS NULL OR n.here IS NULL",
    # the findings new, gone or changed, found on their ids and owners (a finding's id hashes its
    # asset's key, so two owners of one id are a collision of the hash, two findings), severities and statuses
    "CREATE TABLE findings_x AS SELECT coalesce(o.id, n.id) AS id, coalesce(n.owner, o.owner) AS owner, "
    "CASE WHEN o.id IS NULL THEN 'new' WHEN n.id IS NULL THEN 'gone' ELSE 'changed' END AS change, "
    "o.severity AS was_severity, o.status AS was_status, o.row AS old_row, n.row AS new_row "
    "FROM (SELECT row, id, severity, status, owner FROM old_findings) o "
    "FULL JOIN (SELECT row, id, severity, status, owner FROM new_findings) n ON o.id = n.id AND o.owner = n.owner "
    "WHERE o.id IS NULL OR n.id IS NULL OR (o.severity, o.status) IS DISTINCT FROM (n.severity, n.status)",
    # the assets that changed
    "CREATE TABLE names AS SELECT asset FROM assets_x UNION SELECT asset FROM edges_x "
    "UNION SELECT owner FROM findings_x",
)


def _shown(limit: int | None) -> tuple[str, ...]:
    """The assets whose changes are shaped for the answer: the first `limit` (the answer lists those
    only), or every one (for the files); and the first and last of them, by which a lake output's
    findings of the others are skipped."""
    first = "" if limit is None else f" ORDER BY asset LIMIT {limit}"
    return (
        f"CREATE TABLE shown AS SELECT asset FROM names{first}",
        "SET VARIABLE first = (SELECT min(asset) FROM shown)",
        "SET VARIABLE last = (SELECT max(asset) FROM shown)",
    )


DETAILS = (
    *(_picked(side, shown) for side, shown in SHOWN.items()),
    # the changed findings of the assets shown in brief, as their side has them (the gone as they were)
    "CREATE TABLE findings_d AS "
    + _briefs("new", SHOWN["new"], "{'severity': x.was_severity, 'status': x.was_status}")
    + " UNION ALL "
    + _briefs("old", SHOWN["old"], "NULL"),
    # the drift patterns' instances on each side, and those the new side adds
    f"CREATE TABLE patterns AS SELECT DISTINCT '{PATTERNS[0]}' AS pattern, side, instance FROM "
    f"({_wider('old')} UNION ALL {_wider('new')}) UNION ALL SELECT DISTINCT '{PATTERNS[1]}', * FROM "
    f"({_dropped('old')} UNION ALL {_dropped('new')})",
    "CREATE TABLE patterns_new AS SELECT pattern, instance FROM patterns WHERE side = 'new' "
    "EXCEPT SELECT pattern, instance FROM patterns WHERE side = 'old'",
    # one row an asset shown, shaped as the answer's assets, sorted once, and kept in this order by the
    # files' queries (preserve_insertion_order)
    "CREATE TABLE changes AS WITH "
    f"e AS (SELECT asset, {_listed(EDGE, 'added')}, {_listed(EDGE, 'removed')} FROM edges_x "
    "WHERE asset IN (SELECT asset FROM shown) GROUP BY asset), "
    f"f AS (SELECT asset, {_listed('brief', 'new')}, {_listed('brief', 'gone')}, "
    f"{_listed('struct_insert(brief, before := before)', 'changed')} FROM findings_d GROUP BY asset), "
    f"p AS (SELECT asset, bool_or(side = 'old') AS was, bool_or(side = 'new') AS now FROM ({_present('old')} "
    f"UNION ALL {_present('new')}) WHERE asset IN (SELECT asset FROM shown) GROUP BY asset) "
    "SELECT asset, coalesce(a.status, CASE WHEN p.was AND NOT p.now THEN 'removed' "
    "WHEN p.now AND NOT p.was THEN 'added' ELSE 'kept' END) AS status, a.declared, a.license, a.use_category, "
    "{'added': coalesce(e.added, []), 'removed': coalesce(e.removed, [])} AS edges, "
    "{'new': coalesce(f.new, []), 'gone': coalesce(f.gone, []), 'changed': coalesce(f.changed, [])} AS findings "
    "FROM shown LEFT JOIN assets_x a USING (asset) LEFT JOIN e USING (asset) LEFT JOIN f USING (asset) "
    "LEFT JOIN p USING (asset) "
    "ORDER BY asset",
)


COUNTS = (
    "SELECT count(*) FILTER (WHERE status = 'added') AS assets_added, "
    "count(*) FILTER (WHERE status = 'removed') AS assets_removed, "
    "count(*) FILTER (WHERE license IS NOT NULL) AS licenses_changed, "
    "count(*) FILTER (WHERE use_category IS NOT NULL) AS use_categories_changed FROM assets_x",
    "SELECT count(*) FILTER (WHERE change = 'added') AS edges_added, "
    "count(*) FILTER (WHERE change = 'removed') AS edges_removed FROM edges_x",
    "SELECT count(*) FILTER (WHERE change = 'new') AS findings_new, count(*) FILTER (WHERE change = 'gone') "
    "AS findings_gone, count(*) FILTER (WHERE change = 'changed') AS findings_changed FROM findings_x",
    "SELECT count(*) AS assets_changed FROM names",
)


def _counts(con: duckdb.DuckDBPyConnection) -> JSONObject:
    return {k: v for sql in COUNTS for k, v in duck.rows(con, sql)[0].items()}


def _patterns(con: duckdb.DuckDBPyConnection) -> JSONObject:
    """Each pattern's instances before and after, its new instances (the first LIMIT) and how many."""
    sides = {
        row["pattern"]: row
        for row in duck.rows(
            con,
            "SELECT pattern, count(*) FILTER (WHERE side = 'old') AS before, "
            "count(*) FILTER (WHERE side = 'new') AS after FROM patterns GROUP BY pattern",
        )
    }
    found: JSONObject = {}
    for name in PATTERNS:
        new = duck.rows(
            con, "SELECT instance FROM patterns_new WHERE pattern = ? ORDER BY instance LIMIT ?", name, LIMIT
        )
        counted = duck.rows(con, "SELECT count(*) AS n FROM patterns_new WHERE pattern = ?", name)
        found[name] = {
            "before": sides.get(name, {}).get("before", 0),
            "after": sides.get(name, {}).get("after", 0),
            "new": [row["instance"] for row in new],
            "new_count": counted[0]["n"],
        }
    return found


def _asset(row: JSONObject) -> JSONObject:
    """A changed asset as the answer lists it: the fields that changed only."""
    changed = {k: row[k] for k in COMPARED if row[k] is not None}
    return {
        "asset": row["asset"],
        "status": row["status"],
        **changed,
        "edges": row["edges"],
        "findings": row["findings"],
    }


def _files(con: duckdb.DuckDBPyConnection, tmp: Path) -> dict[str, bytes]:
    """Every changed asset (changes.parquet, changes.jsonl: a field that did not change is null) and
    every new drift instance (patterns.jsonl), each file written by one thread so that its bytes do not
    vary, the files at once, each by a cursor of its own (the tables are the database's, not temporary)."""
    con.execute("SET threads = 1")
    queries = {
        "changes.parquet": ("FROM changes", "FORMAT parquet, COMPRESSION zstd"),
        "changes.jsonl": ("FROM changes", "FORMAT json"),
        "patterns.jsonl": ("SELECT * FROM patterns_new ORDER BY pattern, instance", "FORMAT json"),
    }

    def write(name: str) -> bytes:
        sql, options = queries[name]
        with con.cursor() as cursor:
            cursor.execute(f"COPY ({sql}) TO {literal(tmp / name)} ({options})")
        return (tmp / name).read_bytes()

    with ThreadPoolExecutor(len(queries)) as pool:
        return dict(zip(queries, pool.map(write, queries), strict=True))
