"""Benchmark of `mlaudit lake` stage by stage: the ready-made Hub-shaped lakes (benchmarks/hub_lake.py
output) audited whole, every asset as a release, each size in a fresh process that prints each
stage's wall time, its CPU time (all threads: DuckDB's included; on a shared machine the steadier
figure) and the peak RSS reached by its end (resource.getrusage: DuckDB's native memory included),
so how each stage grows from 10k to 1M shows. A lake judged in several blocks (lake.BLOCK) runs
its encode, reason, interpret and license-choice stages once a block: each line sums them.

    python benchmarks/bench_lake_stages.py LAKE [LAKE ...]   # e.g. /work/lakes/10k/parquet
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def child(folder: str) -> dict[str, Any]:
    """The lake audited in this (fresh) process as `mlaudit lake` runs it, stage by stage."""
    start = time.perf_counter()
    from auditor import lake, lakedb, rulebase, writing
    from auditor.report import lakehtml, laketext

    stages: dict[str, dict[str, Any]] = {}
    cpu = [_cpu()]

    def hook(name: str, seconds: float) -> None:
        cpu.append(_cpu())
        stage = stages.setdefault(name, {"stage": name, "seconds": 0.0, "cpu": 0.0, "runs": 0})
        stage.update(
            seconds=round(stage["seconds"] + seconds, 2),
            cpu=round(stage["cpu"] + cpu[-1] - cpu[-2], 2),
            runs=stage["runs"] + 1,
            peak_rss_mb=_peak_mb(),
        )

    judged = lake.run(Path(folder), frozenset(), rulebase.load(), on_stage=hook)
    began = time.perf_counter()
    with lakedb.outputs(judged) as (summary, tables), tempfile.TemporaryDirectory(prefix="mlaudit-bench-lake-") as out:
        hook("outputs", time.perf_counter() - began)
        began = time.perf_counter()
        files: dict[str, writing.Body] = {
            **tables,
            "summary.json": laketext.summary_json(summary),
            "lake.html": lakehtml.render(summary),
        }
        writing.write_files(Path(out), files)
        hook("write", time.perf_counter() - began)
    total = round(time.perf_counter() - start, 2)
    return {
        "lake": folder,
        "assets": len(judged.assets),
        "findings": len(judged.findings),
        "seconds": total,
        "cpu": round(_cpu(), 2),
        "peak_rss_mb": _peak_mb(),
        "stages": list(stages.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lakes", nargs="*")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    results = []
    for folder in args.lakes:
        done = subprocess.run([sys.executable, __file__, "--child", folder], stdout=subprocess.PIPE, text=True)
        result = json.loads(done.stdout)
        results.append(result)
        print(
            f"{result['lake']}: {result['assets']} assets, {result['findings']} findings, "
            f"{result['seconds']} s ({result['cpu']} s CPU), peak {result['peak_rss_mb']} MB"
        )
        for s in result["stages"]:
            runs = f"  ({s['runs']} runs)" if s["runs"] > 1 else ""
            figures = f"{s['seconds']:>8.2f} s  {s['cpu']:>8.2f} s CPU  peak {s['peak_rss_mb']:>6} MB"
            print(f"  {s['stage']:<16} {figures}{runs}")
    if len(results) > 1:
        print(growth(sorted(results, key=lambda r: r["assets"])))


def growth(results: list[dict[str, Any]]) -> str:
    """How each stage's CPU time grows with the lake, smallest first: microseconds of CPU per asset
    at each size, and each step's growth divided by the assets' (1.00 is linear, above it faster)."""
    sizes = [r["assets"] for r in results]
    per_stage = [{s["stage"]: s["cpu"] for s in r["stages"]} | {"whole run": r["cpu"]} for r in results]
    head = "".join(f"{n:>12,}" for n in sizes)
    steps = "".join(f"{f'{_short(a)}→{_short(b)}':>14}" for a, b in pairwise(sizes))
    lines = ["growth: CPU µs an asset at each size, then CPU growth ÷ asset growth", f"  {'stage':<16}{head}{steps}"]
    for stage in per_stage[-1]:
        cpu = [p.get(stage, 0.0) for p in per_stage]
        each = "".join(f"{c / n * 1e6:>12,.0f}" for c, n in zip(cpu, sizes, strict=True))
        ratios = "".join(
            f"{(b / a) / (m / n) if a else float('nan'):>14.2f}"
            for a, b, n, m in zip(cpu, cpu[1:], sizes, sizes[1:], strict=False)
        )
        lines.append(f"  {stage:<16}{each}{ratios}")
    return "\n".join(lines)


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


if __name__ == "__main__":
    main()
