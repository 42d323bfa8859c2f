"""Benchmark of the input path at lake scale: tables of Hub records (benchmarks/hub_lake.py) of 10k,
100k and 1M rows, as JSON Lines, gzip-compressed JSON Lines and Parquet.

Two measurements per size and format, each in a fresh subprocess that reports its own wall time
and peak RSS (resource.getrusage, which sees DuckDB's and clingo's native memory):
  - read: every row of the lake harvested into records (auditor.harvest.harvest), the bulk read;
  - audit --asset: `python -m auditor audit LAKE --asset RELEASE` for the lake's deepest release
    (the benchmark's choice: the deepest model with the largest upstream cone), Python start,
    rule base, report.json and report.html included: the lineage's rows alone become records.

Each measurement also reports the process's CPU time (user + system, DuckDB's threads included),
which other work on a shared machine changes less than the wall time.

The lakes are written to a temporary folder (or --keep DIR, outside the repository or under the
git-ignored benchmarks/out/) and deleted afterwards unless kept; --lake DIR --release ID measures a
lake written before (hub_lake.py's output) instead.

    python benchmarks/bench_lake.py                       # 10k, 100k, 1M
    python benchmarks/bench_lake.py --sizes 10000 100000 --keep benchmarks/out/lakes
    python benchmarks/bench_lake.py --lake LAKE --release ID --measure audit
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import hub_lake

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


def child(kind: str, folder: str, release: str) -> dict[str, Any]:
    """One measurement in this (fresh) process."""
    start = time.perf_counter()
    if kind == "read":
        from auditor.harvest import harvest

        done = {"records": len(harvest(Path(folder)).records)}
    else:
        from auditor.cli import command

        with tempfile.TemporaryDirectory(prefix="mlaudit-bench-out-") as out:
            done = {"exit": command(["audit", folder, "--asset", release, "--fail-on", "never", "--out", out])}
    seconds, usage = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    return done | {"seconds": round(seconds, 2), "cpu": round(cpu, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024)}


def measure(kind: str, folder: Path, release: str) -> dict[str, Any]:
    """A measurement in a fresh process; the audit's wall time includes Python's start."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder), release],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=True,
    )
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    found["wall"] = round(time.perf_counter() - start, 2)
    return found


def run(sizes: list[int], seed: int, root: Path, kinds: list[str]) -> list[dict[str, Any]]:
    results = []
    for size in sizes:
        lake = root / str(size)
        start = time.perf_counter()
        release, cone = hub_lake.write(size, seed, lake)
        generated = time.perf_counter() - start
        print(f"{size:,} rows generated in {generated:.1f} s; release {release.id} ({cone} upstream)", file=sys.stderr)
        results += measure_lake(lake, release.id, kinds, {"size": size, "cone": cone})
        if not (root / ".keep").exists():
            shutil.rmtree(lake)
    return results


def measure_lake(lake: Path, release: str, kinds: list[str], about: dict[str, Any]) -> list[dict[str, Any]]:
    """The measurements `kinds` of a lake in both formats."""
    results = []
    for fmt in (f for f in hub_lake.FORMATS if (lake / f).is_dir()):  # a lake written before may lack jsonl-gz
        mb = sum(p.stat().st_size for p in (lake / fmt).iterdir()) / 1e6
        found = {kind: measure(kind, lake / fmt, release) for kind in kinds}
        results.append(about | {"format": fmt, "mb": round(mb)} | found)
        print(f"  {fmt}: {found}", file=sys.stderr)
    return results


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| rows | format | size | read every row | records | audit --asset: wall · CPU · peak | its cone |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        read, audited = r.get("read"), r.get("audit")
        size = f"{r['size']:,}" if r.get("size") else "—"
        lines.append(
            f"| {size} | {r['format']} | {r['mb']} MB "
            + (f"| {read['seconds']} s · {read['peak_rss_mb']} MB | {read['records']:,} " if read else "| — | — ")
            + (f"| {audited['wall']} s · {audited['cpu']} s · {audited['peak_rss_mb']} MB " if audited else "| — ")
            + f"| {r.get('cone') or '—'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the lakes here and keep them (never inside the repository)")
    parser.add_argument("--lake", type=Path, help="measure this lake (hub_lake.py's output) instead of writing one")
    parser.add_argument("--release", help="with --lake: the release to audit")
    parser.add_argument("--measure", nargs="+", choices=("read", "audit"), default=["read", "audit"])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    if args.lake:
        if not args.release:
            parser.error("--lake needs --release")
        results = measure_lake(args.lake, args.release, args.measure, {})
    elif args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        (args.keep / ".keep").touch()
        results = run(args.sizes, args.seed, args.keep, args.measure)
    else:
        with tempfile.TemporaryDirectory(prefix="mlaudit-lake-") as tmp:
            results = run(args.sizes, args.seed, Path(tmp), args.measure)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
