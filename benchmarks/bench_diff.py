"""Benchmark of `mlaudit diff` on two lake outputs: the synthetic outputs of benchmarks/lake_outputs.py
(a real run's mix: about 8 findings an asset) at 100k and 1M assets, each against a snapshot derived
from it with about 1 % of everything changed (assets relicensed, added, removed; edges added and
removed; findings new, gone, changed), and optionally a real `mlaudit lake` output (--real FOLDER)
against a changed copy of it.

Each diff runs twice in a fresh process (`python -m auditor diff OLD NEW`, the text answer, Python's
start and the rule base included), once printing only and once with `--out` (diff.json, diff.html and
every change as Parquet and JSON Lines); the process reports its CPU time and peak RSS
(resource.getrusage, which sees DuckDB's native memory and threads), the parent the wall time. The
machine's load average is printed with each row: other work on the machine slows the wall time.

    python benchmarks/bench_diff.py                                  # 100k and 1M
    python benchmarks/bench_diff.py --sizes 100000 --real /work/lakes/out100k
    python benchmarks/bench_diff.py --pairs /tmp/pairs               # keep the pairs there, and reuse them

Generating the 1M pair takes minutes (about 8 under some load; up to 6 GB): `--pairs DIR` keeps each pair in
DIR (SIZE-old, SIZE-new) and measures a pair already there without generating it again.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

DEFAULT_SIZES = (100_000, 1_000_000)


def child(old: str, new: str, out: str | None) -> dict[str, Any]:
    """One diff in this (fresh) process; its printed answer is discarded."""
    from contextlib import redirect_stdout

    from auditor.cli import command

    with open(os.devnull, "w", encoding="utf-8") as sink, redirect_stdout(sink):
        code = command(["diff", old, new, *(["--out", out] if out else [])])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "exit": code,
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
    }


def measure(old: Path, new: Path, out: Path | None) -> dict[str, Any]:
    """A diff in a fresh process: its wall time (Python's start included), CPU time and peak RSS."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    args = [sys.executable, __file__, "--child", str(old), str(new), *([str(out)] if out else [])]
    done = subprocess.run(args, stdout=subprocess.PIPE, text=True, check=True)
    seconds = time.perf_counter() - start
    return json.loads(done.stdout) | {"seconds": round(seconds, 2), "load": round(load, 1)}


def rows(folder: Path) -> dict[str, int]:
    con = duckdb.connect(":memory:")
    try:
        counted = {}
        for name in ("assets", "edges", "findings"):
            path = str(folder / f"{name}.parquet")
            counted[name] = int(con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchall()[0][0])
        return counted
    finally:
        con.close()


def run(label: str, old: Path, new: Path, tmp: Path) -> None:
    """Both measurements of one pair, printed as a row each."""
    counts = rows(old)
    for mode, out in (("print", None), ("--out", tmp / f"{label}-out")):
        m = measure(old, new, out)
        changed = json.loads((out / "diff.json").read_text(encoding="utf-8"))["counts"] if out else None
        print(
            f"{label:>10} {counts['assets']:>9,} assets {counts['findings']:>10,} findings  {mode:<6} "
            f"{m['seconds']:6.2f} s wall  {m['cpu_seconds']:6.2f} s cpu  {m['peak_rss_mb']:6,} MB  load {m['load']}"
            + (f"  changed: {changed['assets_changed']:,} assets" if changed else ""),
            flush=True,
        )


def generate(*args: str) -> None:
    """benchmarks/lake_outputs.py, in a process of its own: a child's peak RSS starts at its parent's
    size when it is started, so the diff's would count the generator's memory."""
    subprocess.run([sys.executable, str(Path(__file__).with_name("lake_outputs.py")), *args], check=True)


def pair(size: int, folder: Path) -> tuple[Path, Path]:
    """The lake output of `size` assets in `folder` and its later snapshot, generated unless there."""
    old, new = folder / f"{size}-old", folder / f"{size}-new"
    if not (new / "assets.parquet").is_file():
        start = time.perf_counter()
        generate(str(size), str(old))
        generate("--derive", str(old), str(new))
        print(f"generated {size:,} assets and a later snapshot in {time.perf_counter() - start:.0f} s", flush=True)
    return old, new


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(child(argv[1], argv[2], argv[3] if len(argv) > 3 else None)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(DEFAULT_SIZES))
    parser.add_argument("--real", type=Path, help="a real `mlaudit lake` output folder, diffed against a changed copy")
    parser.add_argument("--pairs", type=Path, help="keep the generated pairs in this folder, and reuse those there")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mlaudit-bench-diff-") as name:
        tmp = Path(name)
        for size in args.sizes:
            run(f"{size:,}", *pair(size, args.pairs or tmp), tmp)
        if args.real:
            generate("--derive", str(args.real), str(tmp / "real-new"))
            run("real", args.real, tmp / "real-new", tmp)


if __name__ == "__main__":
    main(sys.argv[1:])
