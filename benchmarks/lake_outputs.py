"""Synthetic `mlaudit lake` outputs for benchmarking `mlaudit diff`: findings.parquet, assets.parquet and
edges.parquet in the schema lakedb writes (its column types, its JUDGED query for the verdicts), written
as it writes them (lakedb.copy: each file's row order and options), and a second snapshot derived from
any lake output folder with a share of changes.

The mix is that of a real run: `mlaudit lake` over the Hub-shaped 100k lake (benchmarks/hub_lake.py),
measured on 2026-12-05 (/work/lakes/out100k): about 8 findings an asset in the rules' proportions
below (families, severities, messages and how-to-fix texts come from the rule base), the licence
triples (declared, as read, use category) of its assets, 1.33 lineage edges an asset in its relations'
proportions, two thirds of the assets with at least one parent. A run writes no findings.jsonl,
summary.json or lake.html: `mlaudit diff` reads the Parquet files only.

    python benchmarks/lake_outputs.py 1000000 OUT/old             # a lake output of a million assets
    python benchmarks/lake_outputs.py --derive OUT/old OUT/new    # the same a month later
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from auditor import duck, lakedb, rulebase

# findings per 100,000 assets, by rule
RULES = {
    "OBL001": 461189, "PRV008": 100000, "CMP007": 53952, "PRV001": 51163, "CMP012": 47217, "CMP006": 21856,
    "CMP009": 19386, "PRV012": 14743, "CMP008": 14481, "CMP001": 7340, "CMP002": 4707, "CMP005": 1962,
    "CMP011": 1299, "LIC001": 822, "CMP010": 668, "PRV014": 637, "PRV002": 239, "CMP003": 144, "CMP015": 4,
}  # fmt: skip
# assets per 100,000 by (declared, license as read, use category): the 24 most common triples
LICENSES = [
    ("", "(missing)", "unspecified", 45022), ("apache-2.0", "Apache-2.0", "unspecified", 6149),
    ("apache-2.0", "Apache-2.0", "commercial", 5482), ("cc-by-4.0", "CC-BY-4.0", "commercial", 3847),
    ("mit", "MIT", "commercial", 3488), ("", "(missing)", "non-commercial", 3434),
    ("cc-by-nc-4.0", "CC-BY-NC-4.0", "non-commercial", 3376), ("mit", "MIT", "unspecified", 2283),
    ("cc-by-4.0", "CC-BY-4.0", "unspecified", 1670), ("cc-by-sa-4.0", "CC-BY-SA-4.0", "commercial", 1601),
    ("cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0", "non-commercial", 1564), ("other", "(unknown)", "unspecified", 1335),
    ("unknown", "(unknown)", "unspecified", 1251), ("cc0-1.0", "CC0-1.0", "commercial", 1177),
    ("apache-2.0", "Apache-2.0", "non-commercial", 1021),
    ("llama2", "LicenseRef-Llama-2-Community", "unspecified", 917),
    ("llama2", "LicenseRef-Llama-2-Community", "commercial", 850),
    ("llama3", "LicenseRef-Llama-3-Community", "unspecified", 840),
    ("openrail", "LicenseRef-OpenRAIL", "unspecified", 795), ("other", "(unrecognised)", "unspecified", 779),
    ("llama3.1", "LicenseRef-Llama-3.1-Community", "unspecified", 763),
    ("openrail", "LicenseRef-OpenRAIL", "commercial", 759), ("odc-by", "ODC-By-1.0", "commercial", 711),
    ("gpl-3.0", "GPL-3.0-only", "commercial", 504),
]  # fmt: skip
RELATIONS = {
    "trained_on": 43204, "finetune": 31889, "evaluated_on": 15562, "merge": 12361, "adapter": 11618,
    "quantized": 9893, "derived_from": 8783,
}  # fmt: skip
PARENTS = {0: 35285, 1: 33270, 2: 11313, 3: 8556, 4: 8492, 5: 1614, 6: 802, 7: 461, 8: 197, 9: 10}  # assets by parents
SLOTS = 100_000  # a weighted choice is a lookup in a table of this many slots
MEMORY = "6GB"  # DuckDB's limit, past which it spills (sorting the findings as lakedb writes them) to a private folder


def _slots(con: duckdb.DuckDBPyConnection, name: str, rows: list[tuple[object, ...]]) -> None:
    """A table `name` of SLOTS rows, slot 0…, each row (its value…, weight) filling its share of slots."""
    total = sum(int(str(row[-1])) for row in rows)
    values = ", ".join(f"v{i}" for i in range(len(rows[0]) - 1))
    con.execute(f"CREATE TEMP TABLE {name}_w ({values.replace(',', ' VARCHAR,')} VARCHAR, weight BIGINT)")
    con.executemany(f"INSERT INTO {name}_w VALUES ({', '.join('?' * len(rows[0]))})", rows)
    con.execute(
        f"CREATE TEMP TABLE {name} AS SELECT {values}, slot FROM (SELECT {values}, "
        f"sum(weight) OVER (ORDER BY weight DESC, {values}) AS upto, upto * {SLOTS} // {total} AS hi, "
        f"(upto - weight) * {SLOTS} // {total} AS lo FROM {name}_w) "
        f"JOIN range({SLOTS}) r(slot) ON slot >= lo AND slot < hi"
    )


def _mixes(con: duckdb.DuckDBPyConnection) -> None:
    rules = rulebase.load().rules
    rows = [(r, rules[r].family, rules[r].severity, rules[r].message, rules[r].how_to_fix, n) for r, n in RULES.items()]
    _slots(con, "rule_mix", rows)
    _slots(con, "license_mix", [(*triple, n) for *triple, n in LICENSES])
    _slots(con, "relation_mix", [(r, n) for r, n in RELATIONS.items()])
    _slots(con, "parent_mix", [(str(k), n) for k, n in PARENTS.items()])


ASSET_ID = (
    "CREATE MACRO asset_id(i) AS CASE WHEN hash(i, 'kind') % 10 < 6 "
    "THEN 'org-' || hash(i, 'org') % 5000 || '/model-' || i "
    "ELSE 'datasets/org-' || hash(i, 'org') % 5000 || '/data-' || i END"
)
ASSETS = (
    "CREATE TABLE assets AS SELECT asset_id(i) AS id, CASE WHEN id LIKE 'datasets/%' THEN 'dataset' ELSE 'model' END "
    "AS kind, split_part(regexp_replace(id, '^datasets/', ''), '/', 1) AS organisation, m.v0 AS declared, "
    "m.v1 AS license, m.v2 AS use_category, 'commercial' AS use, 'weights' AS distribution, "
    "NULL::VARCHAR AS setting, i "
    "FROM range(?) t(i) JOIN license_mix m ON m.slot = hash(i, 'license') % {slots}"
)
EDGES = (
    "CREATE TABLE edges AS SELECT DISTINCT asset_id(a.i) AS child, asset_id(hash(a.i, k) % a.i) AS parent, "
    "r.v0 AS relation FROM assets a JOIN parent_mix p ON p.slot = hash(a.i, 'parents') % {slots} "
    "CROSS JOIN range(9) k(k) JOIN relation_mix r ON r.slot = hash(a.i, k, 'relation') % {slots} "
    "WHERE a.i > 0 AND k < p.v0::INTEGER"
)
# ~8 findings an asset, each at a random asset; the id is the rule and a 48-bit bijection of the row number
FINDINGS = (
    "SELECT printf('%s-%012x', r.v0, (j::HUGEINT * 11400714819323198485) % 281474976710656) AS id, "
    "r.v0 AS rule, r.v1 AS family, r.v2 AS severity, a.id AS asset, "
    "regexp_replace(replace(r.v3, '{{asset}}', a.id), '\\{{[a-z_]+\\}}', a.license, 'g') AS message, "
    "r.v4 AS how_to_fix, json_object('license', a.license) AS detail, "
    "to_json([{{'asset': a.id, 'fact': a.id || ' is licensed ' || a.license, 'file': 'models.parquet', "
    "'pointer': '[' || a.i || '].cardData.license', 'line': NULL}}, {{'asset': a.id, 'fact': a.id || "
    "' is released for commercial use as weights', 'file': NULL, 'pointer': NULL, 'line': NULL}}]) AS evidence, "
    "NULL::JSON AS fix, 'open' AS status, NULL::JSON AS resolution, NULL::JSON AS baseline "
    "FROM range(?) t(j) JOIN assets a ON a.i = hash(j, 'asset') % ? "
    "JOIN rule_mix r ON r.slot = hash(j, 'rule') % {slots}"
)


def _write(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    """assets.parquet (lakedb's JUDGED over the assets and findings) and edges.parquet, as lakedb writes them."""
    con.execute(f"CREATE OR REPLACE VIEW findings AS FROM read_parquet('{out / 'findings.parquet'}')")
    con.execute(lakedb.JUDGED)
    for table in ("judged", "edges"):
        columns = ", ".join(f"{c}::{t} AS {c}" for c, t in _columns(table).items())
        rest = ", errors, warnings, infos, verdict" if table == "judged" else ""
        con.execute(lakedb.copy(f"SELECT {columns}{rest} FROM {table}", table, out / lakedb.PARQUET[table][0]))


def _columns(table: str) -> dict[str, str]:
    return lakedb.ASSET_COLUMNS if table == "judged" else lakedb.EDGE_COLUMNS


def generate(size: int, out: Path) -> None:
    """A lake output of `size` assets into the folder `out`."""
    out.mkdir(parents=True, exist_ok=True)
    con = duck.connect(preserve_insertion_order=False, memory_limit=MEMORY)
    try:
        _mixes(con)
        con.execute(ASSET_ID)
        con.execute(ASSETS.format(slots=SLOTS), [size])
        con.execute(EDGES.format(slots=SLOTS))
        findings = sum(RULES.values()) * size // 100_000
        con.execute(lakedb.copy(FINDINGS.format(slots=SLOTS), "findings", out / "findings.parquet"), [findings, size])
        _write(con, out)
    finally:
        con.close()


def _share(column: str, salt: str, per_mille: int) -> str:
    """A deterministic pseudo-random `per_mille` of the rows, chosen by `column`."""
    return f"hash({column}, '{salt}') % 1000 < {per_mille}"


DERIVED_ASSETS = (
    # 0.5 % removed, 0.5 % added (a new version of an asset, fine-tuned from it), 2 % relicensed
    "CREATE TABLE assets AS WITH src AS (SELECT {columns} FROM read_parquet('{src}')), "
    "triples AS (SELECT DISTINCT declared, license, use_category FROM src), "
    "picks AS (SELECT *, row_number() OVER (ORDER BY declared, license, use_category) - 1 AS n FROM triples) "
    "SELECT s.* REPLACE (coalesce(p.declared, s.declared) AS declared, coalesce(p.license, s.license) AS license, "
    "coalesce(p.use_category, s.use_category) AS use_category) FROM src s "
    "LEFT JOIN picks p ON {relicensed} AND p.n = hash(s.id, 'pick') % (SELECT count(*) FROM picks) "
    "WHERE NOT {removed} UNION ALL SELECT * REPLACE (id || '-next' AS id) FROM src WHERE {added}"
)
DERIVED_EDGES = (
    # 1 % removed, as many added (each to a parent at random), and the added assets' edges to their originals
    "CREATE TABLE edges AS WITH src AS (FROM read_parquet('{src}')), "
    "ids AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM assets) "
    "SELECT * FROM src WHERE NOT {gone} AND child IN (SELECT id FROM assets) AND parent IN (SELECT id FROM assets) "
    "UNION SELECT c.id, p.id, 'finetune' FROM ids c "
    "JOIN ids p ON p.n = hash(c.id, 'parent') % {assets} WHERE {new} AND c.id <> p.id "
    "UNION SELECT id, regexp_replace(id, '-next$', ''), 'finetune' FROM assets WHERE id LIKE '%-next'"
)
DERIVED_FINDINGS = (
    # 1 % gone, 1 % changed in severity or status, 1 % new (another finding of the same asset); the source
    # is read twice rather than held in memory, which the sort before writing needs
    "WITH src AS NOT MATERIALIZED (SELECT * FROM read_parquet('{src}') "
    "WHERE asset IN (SELECT id FROM assets) OR asset IS NULL) "
    "SELECT * REPLACE (CASE WHEN {changed} AND severity = 'error' THEN 'warning' WHEN {changed} THEN 'error' "
    "ELSE severity END AS severity) FROM src WHERE NOT {gone} "
    "UNION ALL SELECT * REPLACE (id || 'n' AS id) FROM src WHERE {new} "
    "UNION ALL SELECT * REPLACE (id || 'v' AS id, asset || '-next' AS asset) FROM read_parquet('{src}') "
    "WHERE asset || '-next' IN (SELECT id FROM assets)"
)


def derive(src: Path, out: Path, per_mille: int = 10) -> None:
    """A later snapshot of the lake output `src` into `out`: assets relicensed, added and removed, edges
    added and removed, findings new, gone and changed, each about `per_mille` per thousand (see the SQL)."""
    out.mkdir(parents=True, exist_ok=True)
    con = duck.connect(preserve_insertion_order=False, memory_limit=MEMORY)
    try:
        con.execute(
            DERIVED_ASSETS.format(
                columns=", ".join(lakedb.ASSET_COLUMNS),
                src=src / "assets.parquet",
                relicensed=_share("s.id", "relicense", 2 * per_mille),
                removed=_share("id", "remove", per_mille // 2),
                added=_share("id", "add", per_mille // 2),
            )
        )
        gone, new = _share("child || parent", "gone", per_mille), _share("c.id", "new", per_mille)
        assets = con.execute("SELECT count(*) FROM assets").fetchall()[0][0]  # a constant: the join is a hash join
        con.execute(DERIVED_EDGES.format(src=src / "edges.parquet", gone=gone, new=new, assets=assets))
        changed, gone, new = (_share("id", salt, per_mille) for salt in ("changed", "gone", "new"))
        findings = src / "findings.parquet"
        rows = DERIVED_FINDINGS.format(src=findings, changed=changed, gone=gone, new=new)
        con.execute(lakedb.copy(rows, "findings", out / "findings.parquet"))
        _write(con, out)
    finally:
        con.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--derive", action="store_true", help="derive OUT from the lake output SIZE_OR_SRC")
    parser.add_argument("size_or_src")
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.derive:
        derive(Path(args.size_or_src), args.out)
    else:
        generate(int(args.size_or_src), args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
