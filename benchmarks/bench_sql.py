"""Benchmark of the reasoning stage: clingo against DuckDB (and, asked for, Spark) running the Datalog
core compiled to SQL.

What it measures: on the synthetic Hub-shaped lineage graph of bench_pipeline.py (heavy-tailed
fan-out, Hub licence mix, lineage up to 11 deep; the release is the model with the largest upstream
cone among the deepest), at 10k, 100k and 1M assets, the facts are encoded once and reasoned over
by each engine, stage by stage:

    clingo: render (facts as ASP text), solve (ground + solve + read the shown atoms back)
    duckdb: compile (the rule files to SQL, cached after the first audit), load (tables of facts),
            run (the compiled statements), read (the shown atoms back)
    spark:  start (a local-mode session), compile, load, run, read, as for DuckDB (optional: the
            spark extra and Java; peak RSS there is Python's alone, the JVM is another process)
    reference: in the DuckDB run's process, first, on the same facts: the same core rules written by
            hand in DuckDB SQL (benchmarks/reference.sql, never used by the product) over the same
            tables (sqlengine.load): load, run, read (its atoms)

Each (size, engine) runs in a fresh subprocess, so peak RSS (getrusage ru_maxrss, which sees clingo's
and DuckDB's C++ memory, where tracemalloc would not) belongs to that run alone; the peak before
reasoning (generate + encode) is printed beside it (the reference's peak is the one after it ran,
before the compiled program). Both engines must derive the same atoms: the script compares a digest
of every predicate reasoning.COMPARED reads and says so. The compiled program and the reference must
fill the same tables with the same rows (findings, use categories, inherited terms, terms carried in
the cone): the script compares those too, and prints how many times the reference's time the
compiled program takes.

    python benchmarks/bench_sql.py                       # 10k, 100k, 1M
    python benchmarks/bench_sql.py --sizes 10000 100000 --engines duckdb
    python benchmarks/bench_sql.py --sizes 100000 --engines duckdb spark
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench_pipeline import Lineage, choose_release, in_memory_harvest

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
ENGINES = ("clingo", "duckdb", "spark")
DEFAULT_ENGINES = ("clingo", "duckdb")
REFERENCE = Path(__file__).with_name("reference.sql")
CORE = ("finding__2", "finding__3", "finding__4", "finding__5", "use_category__2", "inherited__3")
Run = dict[str, Any]


def peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # KiB on Linux


def run_once(size: int, which: str, seed: int) -> Run:
    """Generate, encode, and reason on one engine, each stage timed."""
    from auditor import audit, config, engine, facts, profiles, rulebase, sparkengine, sqlengine
    from auditor.graph import build

    rb = rulebase.load()
    stages: dict[str, float] = {}
    started = time.perf_counter()
    with audit.no_cycle_collection():
        lineage = Lineage(size, seed)
        specs = lineage.build()
        release, _ = choose_release(specs)
        graph = build(in_memory_harvest(specs))
        stages["generate"] = time.perf_counter() - started
        mark = time.perf_counter()
        fb = facts.encode(graph, config.Settings(asset=release.id, profiles=profiles.DEFAULT_PROFILES), rb)
        stages["encode"] = time.perf_counter() - mark
        before = peak_mb()
        files = rb.program_files("conservative")
        reference: Run = {}
        if which == "clingo":
            atoms = _clingo(engine, files, fb, stages)
        elif which == "spark":
            atoms = _spark(sparkengine, files, fb, stages)
        else:
            reference["stages"] = {}
            reference["core"] = _reference(sqlengine, files, fb, reference["stages"])
            reference["peak_mb"] = peak_mb()
            atoms, core = _duckdb(sqlengine, files, fb, stages)
            reference["same"] = core == reference["core"]
    return {
        "size": size,
        "engine": which,
        "facts": len(fb.facts),
        "stages": {k: round(v, 3) for k, v in stages.items()},
        "peak_before_mb": before,
        "peak_mb": peak_mb(),
        "atoms": sum(len(v) for v in atoms.values()),
        "digest": _digest(atoms),
        "reference": reference,
    }


def _clingo(engine: Any, files: list[Any], fb: Any, stages: dict[str, float]) -> Any:
    mark = time.perf_counter()
    program = fb.program()
    stages["render"] = time.perf_counter() - mark
    mark = time.perf_counter()
    atoms = engine.solve(files, program, False)
    stages["solve"] = time.perf_counter() - mark
    return atoms


def _duckdb(sqlengine: Any, files: list[Any], fb: Any, stages: dict[str, float]) -> tuple[Any, str]:
    """The compiled program, each stage timed; then (untimed) a digest of the rows the reference must match."""
    import duckdb

    from auditor import sqlcompile

    mark = time.perf_counter()
    program = sqlcompile.compile_files(files)  # not sqlengine's cache, which the reference filled
    stages["compile"] = time.perf_counter() - mark
    connection = duckdb.connect(":memory:")
    for name, work in (
        ("load", lambda: sqlengine.load(connection, program, list(fb.facts), ())),
        ("run", lambda: sqlengine.run(connection, program)),
        ("read", lambda: sqlengine.read(connection, program)),
    ):
        mark = time.perf_counter()
        result = work()
        stages[name] = time.perf_counter() - mark
    core = _core_digest(connection)
    connection.close()
    return result, core


def _reference(sqlengine: Any, files: list[Any], fb: Any, stages: dict[str, float]) -> str:
    """The hand-written reference over the same tables, each stage timed; the digest of its rows."""
    import duckdb

    program = sqlengine.compiled(files)  # its tables only, to load the same facts the same way
    connection = duckdb.connect(":memory:")
    script = REFERENCE.read_text()
    for name, work in (
        ("load", lambda: sqlengine.load(connection, program, list(fb.facts), ())),
        ("run", lambda: connection.execute(script)),
        ("read", lambda: _core_rows(connection)),
    ):
        mark = time.perf_counter()
        work()
        stages[name] = time.perf_counter() - mark
    core = _core_digest(connection)
    connection.close()
    return core


def _core_rows(connection: Any) -> list[tuple[Any, ...]]:
    """The core atoms both SQL programs derive, in a fixed order (the cone's carried terms only)."""
    rows = []
    for table in CORE:
        rows += [(table, *row) for row in connection.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()]
    carried = "SELECT * FROM carries__3 WHERE c0 IN (SELECT c0 FROM cone__1) ORDER BY ALL"
    return rows + [("carries__3", *row) for row in connection.execute(carried).fetchall()]


def _core_digest(connection: Any) -> str:
    rows = _core_rows(connection)
    return f"{len(rows)}:" + hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def _spark(sparkengine: Any, files: list[Any], fb: Any, stages: dict[str, float]) -> Any:
    mark = time.perf_counter()
    spark = sparkengine.session().newSession()
    stages["start"] = time.perf_counter() - mark
    for key, value in sparkengine.SESSION_SQL.items():
        spark.conf.set(key, value)
    mark = time.perf_counter()
    program = sparkengine.compiled(files)
    stages["compile"] = time.perf_counter() - mark
    tables = sparkengine.Tables(spark)
    for name, work in (
        ("load", lambda: sparkengine.load(tables, program, list(fb.facts), ())),
        ("run", lambda: sparkengine.run(tables, program)),
        ("read", lambda: sparkengine.read(spark, program)),
    ):
        mark = time.perf_counter()
        result = work()
        stages[name] = time.perf_counter() - mark
    return result


def _digest(atoms: Any) -> str:
    """A digest of the predicates the engines must agree on, independent of order."""
    from auditor import reasoning

    text = "\n".join(sorted(f"{name}{tuple(row)!r}" for name in reasoning.COMPARED for row in atoms.get(name, [])))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run_in_subprocess(size: int, which: str, seed: int) -> Run:
    command = [sys.executable, __file__, "--child", str(size), which, "--seed", str(seed)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    run: Run = json.loads(done.stdout.strip().splitlines()[-1])
    return run


def table(runs: list[Run]) -> str:
    rows = [
        "| assets | facts | engine | reasoning stages (s) | reasoning total | peak RSS before / after reasoning |",
        "|---:|---:|---|---|---:|---:|",
    ]
    for run in runs:
        reasoning = {k: v for k, v in run["stages"].items() if k not in ("generate", "encode")}
        stages = ", ".join(f"{k} {v:.2f}" for k, v in reasoning.items())
        rows.append(
            f"| {run['size']:,} | {run['facts']:,} | {run['engine']} | {stages} | {sum(reasoning.values()):.2f} s "
            f"| {run['peak_before_mb']:,} / {run['peak_mb']:,} MB |"
        )
    return "\n".join(rows)


def notes(runs: list[Run]) -> str:
    """Agreement of the engines, the compiled program against the reference, and how each engine's
    reasoning grows with the graph."""
    lines = []
    for size in sorted({r["size"] for r in runs}):
        digests = {r["engine"]: r["digest"] for r in runs if r["size"] == size}
        same = len(set(digests.values())) == 1
        lines.append(f"{size:,} assets: {'same atoms' if same else 'DIFFERENT atoms'} ({', '.join(digests)})")
        lines += _against_reference([r for r in runs if r["size"] == size])
    for which in ENGINES:
        mine = sorted((r for r in runs if r["engine"] == which), key=lambda r: r["size"])
        for small, large in itertools.pairwise(mine):
            t0, t1 = _reasoning(small), _reasoning(large)
            factor = large["size"] / small["size"]
            lines.append(f"{which}: {factor:.0f}x the assets, {t1 / max(t0, 1e-9):.1f}x the reasoning time")
    return "\n".join(lines)


def _reasoning(run: Run) -> float:
    return sum(v for k, v in run["stages"].items() if k not in ("generate", "encode"))


def _against_reference(runs: list[Run]) -> list[str]:
    """The compiled program's time as a multiple of the reference's, measured in the same process,
    and whether both derived the same rows."""
    lines = []
    for compiled in (r for r in runs if r["reference"]):
        reference = compiled["reference"]
        run = compiled["stages"]["run"] / max(reference["stages"]["run"], 1e-9)
        total = _reasoning(compiled) / max(sum(reference["stages"].values()), 1e-9)
        lines.append(
            f"  compiled vs hand-written reference: {'same rows' if reference['same'] else 'DIFFERENT rows'} "
            f"({reference['core'].partition(':')[0]} core atoms); run {run:.1f}x, reasoning "
            f"(compile + load + run + read) {total:.1f}x the reference's "
            f"({reference['stages']['run']:.2f} s run, {sum(reference['stages'].values()):.2f} s in all, "
            f"peak {reference['peak_mb']:,} MB)"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(DEFAULT_ENGINES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="also print every run's raw measurements as JSON")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "ENGINE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_once(int(args.child[0]), args.child[1], args.seed)))
        return 0
    runs = []
    for size in args.sizes:
        for which in args.engines:
            runs.append(run_in_subprocess(size, which, args.seed))
            print(f"  {size:,} {which}: {runs[-1]['stages']}, peak {runs[-1]['peak_mb']:,} MB", file=sys.stderr)
    print(table(runs) + "\n\n" + notes(runs))
    if args.json:
        print(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
