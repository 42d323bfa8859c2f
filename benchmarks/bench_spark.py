"""Benchmark of `mlaudit lake` on Spark (local mode) against DuckDB: the same lake audited by both
engines, each in a fresh `python -m auditor lake PATH --engine E` process, its wall time and peak
memory, and whether the findings are identical (each finding's id, asset and rule).

Spark runs in local mode as mlaudit sets it (local[2], one shuffle partition); its cost at these
sizes is the overhead of its stages, not their rows. Measured on the 2-core machine under load
(README, "On Spark"): the 10k lake took 565 s and 2.4 GB on Spark, 45.5 s and 0.7 GB on DuckDB,
with identical findings.

Peak memory is the process tree's (Python and Spark's JVM, a child of it): the sum of their resident
set sizes, sampled every 0.2 s from /proc while the audit runs (Linux only), so a spike shorter
than that may be missed.

    python benchmarks/bench_spark.py /work/lakes/10k/parquet
    python benchmarks/bench_spark.py /work/lakes/100k/parquet --engines spark duckdb --out /tmp/bench
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ENGINES = ("duckdb", "spark")
PAGE = 4096


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and every process descended from it, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended while the tree was read
        pid = int(stat.parent.name)
        parents[pid], rss[pid] = int(fields[1]), int(fields[21]) * PAGE
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in tree)


def audit(lake: Path, engine: str, out: Path) -> dict[str, Any]:
    """`mlaudit lake` on one engine in a fresh process: exit code, wall seconds, peak tree RSS."""
    command = [sys.executable, "-m", "auditor", "lake", str(lake), "--engine", engine]
    command += ["--out", str(out), "--fail-on", "never"]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while child.poll() is None:
            peak[0] = max(peak[0], tree_rss(child.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = child.communicate()
    sampler.join()
    seconds = time.perf_counter() - start
    errors = [line for line in stderr.splitlines() if "WARN" not in line][-5:]
    return {"engine": engine, "exit": child.returncode, "seconds": round(seconds, 1), "peak_mb": peak[0] >> 20} | (
        {"stderr": errors} if child.returncode else {}
    )


def findings(out: Path) -> set[tuple[str, str, str]]:
    """Each finding of a lake audit's findings.jsonl as (id, asset, rule)."""
    rows = (json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines() if line)
    return {(row["id"], row["asset"], row["rule"]) for row in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lake", type=Path, help="a lake folder: benchmarks/hub_lake.py's jsonl/ or parquet/")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--out", type=Path, help="keep each engine's outputs under this folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mlaudit-bench-spark-") as tmp:
        root = args.out or Path(tmp)
        measured = []
        for engine in args.engines:
            measured.append(audit(args.lake, engine, root / engine))
            print(json.dumps(measured[-1]), flush=True)  # each as measured: a long run may be stopped
        found = {row["engine"]: findings(root / row["engine"]) for row in measured if row["exit"] in (0, 1)}
    if len(found) > 1:
        first, *others = found.values()
        same = all(other == first for other in others)
        counts = ", ".join(f"{engine} {len(rows):,}" for engine, rows in found.items())
        print(f"findings ({counts}): {'identical' if same else 'DIFFERENT'}")
        return 0 if same else 1
    return 0 if len(found) == len(measured) else 1


if __name__ == "__main__":
    sys.exit(main())
