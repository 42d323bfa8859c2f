"""A lake's findings held on disk, in report order, as the lines of findings.jsonl.

A Hub-scale lake has millions of findings (eight an asset), more than a process holds as objects;
each block of the lake (cone.blocks) hands its findings over as it is judged, and they are kept as
their JSON lines in a temporary file. Report order is severity, rule, asset, then details; a block
gives all the findings about its assets, in report order, so ordering the lines by severity, rule
and asset alone, ties kept as taken, is report order, with no key made per finding. Read back,
they are the findings in report.json's shape again, one at a time.
"""

from __future__ import annotations

import filecmp
import os
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

import numpy
import orjson

from auditor.parsed import JSON, JSONObject
from auditor.vocabulary import SEVERITIES, Severity

BUFFER = 1 << 20  # bytes buffered by each file written or read
# the fields of each finding also kept in memory, as columns (the detail as its JSON text): what a
# lake's summary counts and its findings.parquet is ordered by, so the lines are never read back for them
KEPT = ("id", "rule", "family", "severity", "asset", "status")
# and, of each error, the upstream its evidence ends at (`origin`): the asset whose license, or lack of
# one, the chain was walked to (an error rests on one chain but for the few naming two licenses)
ORIGIN = "origin"


class Spilled:
    """Findings as the JSON lines of a file (`path`, removed with this object), in report order."""

    def __init__(
        self,
        folder: tempfile.TemporaryDirectory[str],
        path: Path,
        lengths: array[int],
        columns: dict[str, list[JSON]],
    ) -> None:
        self._folder, self.path, self.lengths, self.columns = folder, path, lengths, columns

    def __len__(self) -> int:
        return len(self.lengths)

    def __iter__(self) -> Iterator[JSONObject]:
        with self.path.open("rb", buffering=BUFFER) as lines:
            for line in lines:
                yield orjson.loads(line)

    def __eq__(self, other: object) -> bool:
        """Two files of findings are equal when their findings are, line by line."""
        if not isinstance(other, Spilled):
            return NotImplemented
        return self.lengths == other.lengths and filecmp.cmp(self.path, other.path, shallow=False)

    __hash__ = None  # type: ignore[assignment]  # equal by content, which can change

    def at(self, wanted: Iterable[int]) -> list[JSONObject]:
        """The findings at these places (a few), each line read where it lies."""
        offsets = _offsets(self.lengths)
        with self.path.open("rb") as lines:
            return [orjson.loads(os.pread(lines.fileno(), self.lengths[i], offsets[i])) for i in wanted]


class Spill:
    """Findings taken a block at a time, the blocks in any order, and given back in report order (`done`)."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="mlaudit-findings-")
        self._taken = Path(self._folder.name) / "taken.jsonl"
        self._out = self._taken.open("wb", buffering=BUFFER)
        self._lengths = array("q")  # machine integers, not a Python int each: 9M findings at 1M assets
        self._columns: dict[str, list[JSON]] = {name: [] for name in (*KEPT, "detail", ORIGIN)}
        self._details: dict[str, str] = {}  # each detail's text kept once (about 5,000 distinct among 800k at 100k)

    def add(self, findings: Iterable[JSONObject]) -> None:
        """Findings in report order, with every finding about their assets (one block's)."""
        for finding in findings:
            written = line(finding)
            self._out.write(written)
            self._lengths.append(len(written))
            for name in KEPT:
                self._columns[name].append(finding[name])
            text = orjson.dumps(finding["detail"]).decode()
            self._columns["detail"].append(self._details.setdefault(text, text))
            self._columns[ORIGIN].append(origin(finding) if finding["severity"] == Severity.ERROR else None)

    def done(self) -> Spilled:
        """The findings taken, in report order."""
        self._out.close()
        order = self._order()
        path = Path(self._folder.name) / "findings.jsonl"
        copy_lines(self._taken, self._lengths, order, path)
        self._taken.unlink()
        columns = {name: [values[i] for i in order] for name, values in self._columns.items()}
        self._columns.clear()
        self._details.clear()
        lengths = numpy.frombuffer(self._lengths, dtype=numpy.int64)[numpy.frombuffer(order, dtype=numpy.int64)]
        return Spilled(self._folder, path, places(lengths), columns)

    def _order(self) -> array[int]:
        """The places of the findings taken, by severity, rule and asset (none first), ties as taken:
        each column ranked as Python orders its values, then sorted stably, the first column last."""
        severities = [SEVERITIES.index(str(s)) for s in self._columns["severity"]]
        ranked = [numpy.array(severities)]
        for name in ("rule", "asset"):
            values = [str(v or "") for v in self._columns[name]]
            rank = {v: i for i, v in enumerate(sorted(set(values)))}
            ranked.append(numpy.array([rank[v] for v in values]))
        return places(numpy.lexsort(ranked[::-1]))


def origin(finding: JSONObject) -> JSON:
    """The asset of the last step of the finding's evidence that names another asset than its own
    (None: every step is about the asset itself, or about no asset)."""
    own = finding["asset"]
    steps = cast(list[JSONObject], finding["evidence"])
    return next((step["asset"] for step in reversed(steps) if step["asset"] not in (None, own)), None)


def places(order: numpy.ndarray) -> array[int]:
    """Integers of each line of a file (an order of its lines, their lengths) as machine integers,
    not a Python int each: a 1M-asset lake has 9M findings."""
    return array("q", order.astype(numpy.int64).tobytes())


def copy_lines(source: Path, lengths: array[int], order: Iterable[int], path: Path) -> None:
    """The lines of `source` (their `lengths` in bytes, in the file's order) written to `path` in
    `order`, a line at a time: a file of gigabytes is reordered without being read whole. The
    offsets are machine integers (not a Python int each: 9M lines of the 1M lake, 0.3 GB saved)."""
    offsets = _offsets(lengths)
    with source.open("rb") as lines, path.open("wb", buffering=BUFFER) as out:
        fd, write = lines.fileno(), out.write
        for i in order:
            write(os.pread(fd, lengths[i], offsets[i]))


def _offsets(lengths: array[int]) -> array[int]:
    """Where each line of a file begins, from the lines' lengths, as machine integers."""
    sizes = numpy.asarray(lengths, dtype=numpy.int64)
    return array("q", (numpy.cumsum(sizes) - sizes).tobytes())


def line(row: JSONObject) -> bytes:
    """A row as a line of JSON Lines, as every JSON Lines file of a lake's output is written."""
    return orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE)


def spilled(findings: Iterable[JSONObject]) -> Spilled:
    """`findings` held on disk, in report order."""
    spill = Spill()
    spill.add(findings)
    return spill.done()
