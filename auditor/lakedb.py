"""A lake audit's results as DuckDB tables: the summary's aggregations and the Parquet files.

The assets, lineage edges and inherited restrictions are loaded into an in-memory DuckDB (embedded,
single-threaded so the bytes it writes do not depend on scheduling) from JSON Lines, the way a
column store reads them in bulk; the findings as the columns the summary reads, from the findings
in hand. Every count of the summary is one SQL query over those tables. findings.parquet is
findings.jsonl read by DuckDB, its lines first copied in the Parquet file's order, and written as
they are read.
"""

from __future__ import annotations

import shlex
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import duckdb
import numpy

from auditor import __version__, duck
from auditor.lake import LakeAudit
from auditor.model import INVENTORY_STATUSES, InventoryEntry
from auditor.parsed import JSON, JSONObject
from auditor.spilled import BUFFER, ORIGIN, Spilled, copy_lines, line, places
from auditor.vocabulary import SEVERITIES

SUMMARY_VERSION = "1.5.0"  # 1.1: blocked_by_unknown_terms and unknown_upstream_terms, not in conflicting_pairs;
# 1.2: unowned (the open findings no row owns: about the lake as a whole, or an asset it does not release);
# 1.3: unknown_terms_upstreams (the upstreams without a usable license that block the most assets);
# 1.4: unblock_report (the impact command asking what establishing such an upstream's license unblocks);
# 1.5: input.statuses and input.inventory (every input file, read or not, with why, as a report's inventory),
# unused_settings (what of mlaudit.toml the lake does not use: a [release]), full_report with the lake's
# options, conflicting_upstreams (two upstream licenses in conflict: no longer a derived <- base pair)
TOP = 10  # rows of each ranking in the summary
TOP_LICENSES = 15  # licenses of the licence mix named one by one; the rest are counted as one
TOP_FAILING = 50  # failing assets the summary lists

FINDING_COLUMNS = {
    **dict.fromkeys(("id", "rule", "family", "severity", "asset", "message", "how_to_fix"), "VARCHAR"),
    **dict.fromkeys(("detail", "evidence", "fix"), "JSON"),
    "status": "VARCHAR",
    **dict.fromkeys(("resolution", "baseline"), "JSON"),
}
ASSET_COLUMNS = dict.fromkeys(
    ("id", "kind", "organisation", "declared", "license", "use_category", "use", "distribution", "setting"), "VARCHAR"
)
EDGE_COLUMNS = dict.fromkeys(("child", "parent", "relation"), "VARCHAR")
RESTRICTION_COLUMNS = dict.fromkeys(("asset", "license", "term"), "VARCHAR")
# the findings' columns the summary reads besides `detail` (the base of a conflicting pair)

JUDGED = """
CREATE TABLE judged AS
SELECT a.*,
       count(f.id) FILTER (WHERE f.status = 'open' AND f.severity = 'error') AS errors,
       count(f.id) FILTER (WHERE f.status = 'open' AND f.severity = 'warning') AS warnings,
       count(f.id) FILTER (WHERE f.status = 'open' AND f.severity = 'info') AS infos,
       CASE WHEN errors > 0 THEN 'fail' ELSE 'pass' END AS verdict
FROM assets a LEFT JOIN findings f ON f.asset = a.id
GROUP BY ALL ORDER BY a.id
"""


# DuckDB's share of memory while the outputs are made: the findings are held in Python already, so
# its tables spill to disk beyond it (at 100k assets, when findings.parquet's rows were a sorted
# table, the peak fell from 4.8 GB to 3.3 GB, the time rose by 2 s of 65)
OUTPUTS_MEMORY = "1GB"
READ_LINES = "SELECT * FROM read_json(?, format = 'newline_delimited', columns = ?, maximum_object_size = ?)"
DUCKDB_OBJECT_SIZE = 16 * 1024 * 1024  # read_json's default bound on a line


@contextmanager
def outputs(lake: LakeAudit) -> Iterator[tuple[JSONObject, dict[str, Path]]]:
    """The lake summary and its files, each a file in a temporary folder removed on leaving the
    context (a large lake's findings run to gigabytes: they are copied, never read whole):
    findings.jsonl (each finding in report.json's shape, one a line) and the Parquet files
    (findings, assets, edges)."""
    with tempfile.TemporaryDirectory(prefix="mlaudit-lake-") as tmp:
        folder = Path(tmp)
        con = duck.connect(threads=1, preserve_insertion_order=True, memory_limit=OUTPUTS_MEMORY)
        try:
            _summarised(con, lake.findings)
            load(con, folder, "assets", lake.assets, ASSET_COLUMNS)
            restricted = (dict(zip(RESTRICTION_COLUMNS, row, strict=True)) for row in lake.restrictions)
            load(con, folder, "restrictions", restricted, RESTRICTION_COLUMNS)
            load(con, folder, "edges", lake.edges, EDGE_COLUMNS)
            con.execute(JUDGED)
            summary = {**_about(lake), **_summary(con)}
            _with_reasons(summary["failing_assets"], lake.findings)
            _with_texts(cast(JSONObject, summary["unowned"])["listed"], lake.findings)
            files = {"findings.jsonl": lake.findings.path}
            files["findings.parquet"] = _findings_parquet(con, folder, lake.findings)
            files.update({PARQUET[table][0]: _parquet(con, folder, table) for table in ("judged", "edges")})
        finally:
            con.close()
        yield summary, files


# each table's Parquet file, and the order of its rows: the findings by asset, so that one asset's
# findings lie in one row group (the others are skipped by their statistics: `mlaudit diff` reads the
# messages of the assets it lists alone), while findings.jsonl keeps report order
PARQUET = {
    "findings": ("findings.parquet", "asset NULLS LAST, id"),
    "judged": ("assets.parquet", "id"),
    "edges": ("edges.parquet", "child, parent, relation"),
}
PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd"


def copy(query: str, table: str, path: Path) -> str:
    """The statement that writes the rows of `query` (SQL) as the lake output's Parquet file of
    `table` at `path`: in its order, with the options every lake output's file is written with."""
    return f"COPY (SELECT * FROM ({query}) ORDER BY {PARQUET[table][1]}) TO '{path}' ({PARQUET_OPTIONS})"


def _about(lake: LakeAudit) -> JSONObject:
    """What the summary was made from: the tool, rule base, input, position and engines."""
    return {
        "schema_version": SUMMARY_VERSION,
        "tool": {"name": "mlaudit", "version": __version__},
        "rule_base": {"version": __version__, "sha256": lake.rb.fingerprint},
        "input": {
            "path": lake.root,
            "sha256": lake.graph.harvest.fingerprint,
            "files": len(lake.graph.harvest.inventory),
            **_inventory(lake.graph.harvest.inventory),
        },
        "full_report": f"mlaudit audit {shlex.quote(lake.root)} --asset ID{_options(lake)}",
        "unblock_report": f"mlaudit impact {shlex.quote(lake.root)} UPSTREAM --relicense LICENSE{_options(lake)}",
        "unused_settings": list(lake.settings.unused),
        "position": lake.settings.position,
        "engines": list(lake.engines),
        "review": lake.review,
    }


def _inventory(entries: list[InventoryEntry]) -> JSONObject:
    """Every input file with its format, status and why (as a report's inventory), and the count of
    each status: a file skipped or unreadable is said, never dropped without a word."""
    ordered = sorted(entries, key=lambda e: e.file)
    return {
        "statuses": {status: sum(e.status == status for e in ordered) for status in INVENTORY_STATUSES},
        "inventory": [{"file": e.file, "format": e.format, "status": e.status, "reason": e.reason} for e in ordered],
    }


def _options(lake: LakeAudit) -> str:
    """The lake's command-line options that change how an asset is read or judged, as the commands
    it suggests repeat them, so that they judge the asset as the lake did (mlaudit.toml they read)."""
    given = {"--position": lake.settings.position, "--records-kind": lake.settings.records_kind}
    told = lake.settings.origin
    chosen = (flag for flag in given if told.get(flag.removeprefix("--").replace("-", "_")) == "command line")
    return "".join(f" {flag} {shlex.quote(str(given[flag]))}" for flag in chosen)


def load(
    con: duckdb.DuckDBPyConnection, folder: Path, table: str, rows: Iterable[JSONObject], columns: dict[str, str]
) -> None:
    """The table `table` of DuckDB holding `rows` (with `columns`' types), through a JSON Lines file
    in `folder`, so that rows of any size never become one Python string."""
    path = folder / f"{table}.jsonl"
    longest = write_jsonl(path, rows)
    con.execute(f"CREATE TABLE {table} AS {READ_LINES}", [str(path), columns, object_size(longest)])


def write_jsonl(path: Path, rows: Iterable[JSONObject]) -> int:
    """`rows` as JSON Lines at `path`, a row at a time (a large lake's tables run to gigabytes);
    returns the longest line's length."""
    longest = 0
    with path.open("wb", buffering=BUFFER) as out:
        for row in rows:
            longest = max(longest, out.write(line(row)))
    return longest


def object_size(longest: int) -> int:
    """The `maximum_object_size` DuckDB must be given to read lines of up to `longest` bytes: an
    undescribed upstream that many assets name has a finding whose evidence is every reference
    (48 MB for 200,000 of them), over DuckDB's default of 16 MB."""
    return max(DUCKDB_OBJECT_SIZE, longest + 1)


def _summarised(con: duckdb.DuckDBPyConnection, findings: Spilled) -> None:
    """The table `findings` with the columns the summary and the Parquet file's order read, handed
    to DuckDB as the column arrays the findings keep: the lines are never parsed for it."""
    given = {name: numpy.array(values, dtype=object) for name, values in findings.columns.items()}
    con.register("given", given)
    types = {**FINDING_COLUMNS, ORIGIN: "VARCHAR"}
    typed = ", ".join(f"{name}::{types[name]} AS {name}" for name in given)  # typed if all null
    con.execute(f"CREATE TABLE findings AS SELECT {typed} FROM given")
    con.unregister("given")


def _findings_parquet(con: duckdb.DuckDBPyConnection, folder: Path, findings: Spilled) -> Path:
    """findings.parquet: findings.jsonl's lines copied in the file's order (the summary's table
    sorted, its keys alone), then read by DuckDB and written as it reads: never sorted whole (the
    sort of the wide rows spilled gigabytes to disk), nor held as a table (at 1M assets, 11 GB of
    JSON spilled and read back). The Parquet writer's pages follow the chunks read_json gives, the
    same for the same lines on one thread. Ties, if any, keep report order."""
    order = con.execute(f"SELECT rowid FROM findings ORDER BY {PARQUET['findings'][1]}, rowid").fetchnumpy()["rowid"]
    ordered = folder / "findings-ordered.jsonl"
    copy_lines(findings.path, findings.lengths, places(order), ordered)
    path = folder / PARQUET["findings"][0]
    longest = object_size(int(numpy.max(findings.lengths)) if len(findings.lengths) else 0)
    con.execute(f"COPY ({READ_LINES}) TO '{path}' ({PARQUET_OPTIONS})", [str(ordered), FINDING_COLUMNS, longest])
    ordered.unlink()
    return path


def _parquet(con: duckdb.DuckDBPyConnection, folder: Path, table: str) -> Path:
    path = folder / PARQUET[table][0]
    con.execute(copy(f"SELECT * FROM {table}", table, path))
    return path


def gate(summary: JSONObject, fail_on: str) -> bool:
    """Whether the lake fails the gate, by its summary: an open finding at or above the severity
    `fail_on` (or never), or no asset audited, which is never a pass (as no release identified is not)."""
    if fail_on == "never":
        return False
    counts = cast(dict[str, int], summary["findings"])
    return not summary["assets"] or any(counts[s] for s in SEVERITIES[: SEVERITIES.index(fail_on) + 1])


def _with_reasons(failing: JSON, findings: Spilled) -> None:
    """Each failing asset's reason: the message of its first open error (the findings are in report
    order) and the facts of its evidence, read from its line; the lake's page shows why an asset
    fails, and from where, not only which rules. A fact several files state (one step a file) is
    given once: the page names no files."""
    rows = cast(list[JSONObject], failing)
    for row, first in zip(rows, _firsts(rows, findings), strict=True):
        row["reason"] = first["message"]
        row["because"] = list(dict.fromkeys(step["fact"] for step in cast(list[JSONObject], first["evidence"])))


def _with_texts(listed: JSON, findings: Spilled) -> None:
    """Each open finding no row owns, with its message and file, read from its line: the lake's page
    and terminal name them (a broken manifest, an older revision's problem), not only count them."""
    rows = cast(list[JSONObject], listed)
    for row, found in zip(rows, _firsts(rows, findings), strict=True):
        evidence = cast(list[JSONObject], found["evidence"])
        row.update(message=found["message"], file=evidence[0]["file"] if evidence else None)


def _firsts(rows: list[JSONObject], findings: Spilled) -> list[JSONObject]:
    """The findings at the places in report order the rows' `first` columns give (taken out of the
    rows: the summary shows texts, not places), each read from its line."""
    return findings.at([int(cast(int, row.pop("first"))) for row in rows])


def _counts(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, JSON]:
    return {str(k): v for k, v in con.execute(sql).fetchall()}


def _summary(con: duckdb.DuckDBPyConnection) -> JSONObject:
    """Every aggregation of the summary, each one query over the lake's tables."""
    findings = _counts(
        con,
        "SELECT status, count(*) FROM findings GROUP BY ALL UNION ALL "
        "SELECT severity, count(*) FROM findings WHERE status = 'open' GROUP BY ALL "
        "UNION ALL SELECT 'about the lake', count(*) FROM findings WHERE asset IS NULL",
    )
    return {
        "assets": _counts(con, "SELECT 'audited', count(*) FROM judged")["audited"],
        "verdicts": {"pass": 0, "fail": 0, **_counts(con, "SELECT verdict, count(*) FROM judged GROUP BY ALL")},
        "findings": {"open": 0, "resolved": 0, **dict.fromkeys(SEVERITIES, 0), **findings},
        "blocked_by_unknown_terms": _counts(
            con,
            f"SELECT 'assets', count(DISTINCT f.asset) {BLOCKED} AND {BASE} IS NULL",
        )["assets"],
        **{name: duck.rows(con, sql, *params) for name, (sql, params) in RANKINGS.items()},
        "unowned": {
            "count": _counts(con, f"SELECT 'count', count(*) {UNOWNED}")["count"],
            "listed": duck.rows(
                con,
                f"SELECT asset, severity, rule, rowid AS first {UNOWNED} "
                "ORDER BY list_position(?, severity), asset NULLS FIRST, rowid LIMIT ?",
                list(SEVERITIES),
                TOP_FAILING,
            ),
        },
    }


# the open error-level conflicts of the lake's releases (j), each failing its asset
BLOCKED = (
    "FROM findings f JOIN judged j ON j.id = f.asset "
    "WHERE f.family = 'conflict' AND f.severity = 'error' AND f.status = 'open'"
)
BASE = "coalesce(f.detail->>'upstream', f.detail->>'license')"  # the upstream license a conflict names
# the second upstream license of a conflict between two upstream licenses (CMP003, CMP005), in which
# the asset's own license takes no part: no relicensing of the asset clears it
OTHER = "f.detail->>'other'"
# the open findings no row owns, which count in the gate but in no asset's verdict: about the lake as a
# whole (a manifest too broken to name its asset, a row of a table that is no record), or about an
# asset the lake does not release (an older revision a reference pins, an upstream no manifest describes)
UNOWNED = "FROM findings WHERE status = 'open' AND (asset IS NULL OR asset NOT IN (SELECT id FROM judged))"

# name -> (query, its parameters): the summary's rankings, one row an entry, ties broken by name
RANKINGS: dict[str, tuple[str, tuple[JSON, ...]]] = {
    "rules": (
        "SELECT rule, severity, count(*) AS findings, count(DISTINCT asset) AS assets FROM findings "
        "WHERE status = 'open' GROUP BY ALL ORDER BY findings DESC, rule",
        (),
    ),
    # LiScan's pairs: the asset's own license <- the upstream license it conflicts with
    "conflicting_pairs": (
        f"SELECT j.license AS derived, {BASE} AS base, "
        "count(DISTINCT f.asset) AS assets, list(DISTINCT f.rule ORDER BY f.rule) AS rules "
        f"{BLOCKED} AND {BASE} IS NOT NULL AND {OTHER} IS NULL "
        "GROUP BY ALL ORDER BY assets DESC, derived, base LIMIT ?",
        (TOP,),
    ),
    # two upstream licenses that conflict with each other, in either order
    "conflicting_upstreams": (
        f"SELECT least({BASE}, {OTHER}) AS first, greatest({BASE}, {OTHER}) AS second, "
        "count(DISTINCT f.asset) AS assets, list(DISTINCT f.rule ORDER BY f.rule) AS rules "
        f"{BLOCKED} AND {OTHER} IS NOT NULL "
        "GROUP BY ALL ORDER BY assets DESC, first, second LIMIT ?",
        (TOP,),
    ),
    # the blocking conflicts with no license to pair: an upstream whose terms nobody knows (CMP012)
    "unknown_upstream_terms": (
        "SELECT j.license AS derived, count(DISTINCT f.asset) AS assets, list(DISTINCT f.rule ORDER BY f.rule) "
        f"AS rules {BLOCKED} AND {BASE} IS NULL "
        "GROUP BY ALL ORDER BY assets DESC, derived LIMIT ?",
        (TOP,),
    ),
    # the upstreams those conflicts' evidence ends at: whose license, if established, unblocks the most
    "unknown_terms_upstreams": (
        f"SELECT f.{ORIGIN} AS upstream, count(DISTINCT f.asset) AS assets {BLOCKED} AND {BASE} IS NULL "
        f"AND f.{ORIGIN} IS NOT NULL GROUP BY ALL ORDER BY assets DESC, upstream LIMIT ?",
        (TOP,),
    ),
    # the most common licenses one by one, the rest as one row
    "license_mix": (
        "WITH ranked AS (SELECT license, count(*) AS assets, row_number() OVER (ORDER BY count(*) DESC, license) "
        "AS n FROM judged GROUP BY license), "
        "bucketed AS (SELECT CASE WHEN n <= ? THEN license ELSE '(other)' END AS license, assets, n FROM ranked) "
        "SELECT license, sum(assets)::BIGINT AS assets FROM bucketed GROUP BY license ORDER BY min(n)",
        (TOP_LICENSES,),
    ),
    "propagated_restrictions": (
        "SELECT license, term, count(DISTINCT asset) AS assets FROM restrictions "
        "GROUP BY ALL ORDER BY assets DESC, license, term LIMIT ?",
        (TOP,),
    ),
    "worst_organisations": (
        "SELECT organisation, count(*) AS assets, count(*) FILTER (WHERE verdict = 'fail') AS failing, "
        "sum(errors)::BIGINT AS errors FROM judged WHERE organisation <> '' GROUP BY ALL "
        "HAVING failing > 0 ORDER BY failing DESC, errors DESC, organisation LIMIT ?",
        (TOP,),
    ),
    # with the place of each one's first open error in report order, whose message is its reason
    "failing_assets": (
        "SELECT j.id AS asset, j.license, j.use, j.distribution, j.errors, "
        "list(DISTINCT f.rule ORDER BY f.rule) AS rules, min(f.rowid) AS first "
        "FROM judged j JOIN findings f ON f.asset = j.id "
        "WHERE j.verdict = 'fail' AND f.severity = 'error' AND f.status = 'open' "
        "GROUP BY ALL ORDER BY j.errors DESC, j.id LIMIT ?",
        (TOP_FAILING,),
    ),
}
