"""Benchmark of `mlaudit impact`: a relicence of the asset most derived from in a Hub-shaped lake
(benchmarks/hub_lake.py output, as tables of Hub records), in a fresh process per lake that prints
the wall time of each part, the CPU time of the process (DuckDB's threads included) since the part
before, and the peak RSS (resource.getrusage: DuckDB's native memory included): on a loaded machine
the CPU time says more than the wall time. Python's cyclic collector is paused for the whole run,
as `mlaudit` pauses it (until 2026-12-06 the reading, harvest and resolve, ran with it on: about
6 s more CPU time at 1M than the command spends).

    python benchmarks/bench_impact.py LAKE [LAKE ...]   # e.g. /work/lakes/100k/parquet
    python benchmarks/bench_impact.py LAKE --asset org/name --license CC-BY-NC-4.0

The asset, unless given, is the model named upstream by the most rows (its `base_model:` tags),
found in DuckDB before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def most_derived(folder: Path) -> str:
    """The model the most rows of the lake's model tables name as their base."""
    import duckdb

    tables = [str(p) for p in sorted(folder.iterdir()) if p.name.startswith("models")]
    reader = "read_parquet" if tables[0].endswith(".parquet") else "read_json_auto"
    found = (
        duckdb.connect()
        .execute(
            f"""SELECT split_part(tag, ':', -1) AS base, count(*) AS n
            FROM (SELECT unnest(tags) AS tag FROM {reader}(?))
            WHERE tag LIKE 'base_model:%' AND tag NOT LIKE 'base_model:%:%'
            GROUP BY base ORDER BY n DESC, base LIMIT 1""",
            [tables],
        )
        .fetchone()
    )
    assert found is not None, f"{folder}: no model names a base"
    return str(found[0])


def child(folder: str, asset: str, license: str) -> dict[str, Any]:
    """The impact measured in this (fresh) process as `mlaudit impact` runs it, part by part."""
    from auditor import audit, impact, lake, rulebase

    parts: list[dict[str, Any]] = []
    cpu = [time.process_time()]

    def hook(name: str, seconds: float) -> None:
        cpu.append(time.process_time())
        part = {"part": name, "seconds": round(seconds, 2), "cpu": round(cpu[-1] - cpu[-2], 2)}
        parts.append({**part, "peak_rss_mb": _peak_mb()})

    start = time.perf_counter()
    with audit.no_cycle_collection(process_ends=True):  # as `mlaudit` runs: the collector paused throughout
        loaded = lake.load(Path(folder), frozenset(), rulebase.load(), hook, downstream_of=frozenset({asset}))
        doc = impact.assess(loaded, asset, impact.Change("relicense", license), hook)
    return {
        "lake": folder,
        "asset": asset,
        "assets read": len(loaded.graph.assets),
        "descendants": doc["descendants"],
        "affected": doc["affected"],
        "seconds": round(time.perf_counter() - start, 2),
        "cpu": round(time.process_time() - cpu[0], 2),
        "peak_rss_mb": _peak_mb(),
        "parts": parts,
        "load": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lakes", nargs="*")
    parser.add_argument("--asset", help="the asset relicensed (default: the model most derived from)")
    parser.add_argument("--license", default="CC-BY-NC-4.0", help="its new licence (default: CC-BY-NC-4.0)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    for folder in args.lakes:
        asset = args.asset or most_derived(Path(folder))
        command = [sys.executable, __file__, "--child", folder, asset, args.license]
        result = json.loads(subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True).stdout)
        print(
            f"{result['lake']}: {result['asset']} relicensed {args.license}: {result['descendants']:,} descendants "
            f"({result['affected']:,} affected), {result['assets read']:,} assets read; {result['seconds']} s "
            f"({result['cpu']} s CPU), "
            f"peak {result['peak_rss_mb']} MB, load average {result['load']}"
        )
        for p in result["parts"]:
            print(f"  {p['part']:<10} {p['seconds']:>8.2f} s  {p['cpu']:>8.2f} s CPU  peak {p['peak_rss_mb']:>6} MB")


if __name__ == "__main__":
    main()
