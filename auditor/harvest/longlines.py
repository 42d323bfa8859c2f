"""Lines of a JSON Lines table longer than a bound, found before DuckDB reads it, and a copy of the
table with them left empty. DuckDB refuses a line over its `max_line_size` only when the line fits
its read buffer a few times over; a longer one it drops without a word, and every later line would
then be numbered wrong. So such lines are found here, told by their numbers, and blanked: an empty
line keeps its place, and DuckDB passes over it.

Bound: the scan maps the file and asks two questions of each block of `bound` bytes: where its
first newline is and where its last is, each found by a C-level search that stops at it. A line
that ends within a block after another newline there is shorter than the block, so only the lines
crossing a block's edges are measured, and only the bytes around them are read: no work per line.
Only when a long line is found is the file read again, up to it, to count the lines before it.
"""

from __future__ import annotations

import mmap
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

BLOCK = 1024 * 1024  # bytes copied at a time
Span = tuple[int, int, int]  # a long line's number (from 1), its first byte and the byte past its last


def find(path: Path, bound: int) -> list[Span]:
    """Every line of `path` longer than `bound` bytes (its newline not counted)."""
    spans: list[tuple[int, int]] = []
    start = 0  # the current line's first byte
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if not size:
            return []
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            for offset in range(0, size, bound):
                end = min(offset + bound, size)
                first = data.find(b"\n", offset, end)
                if first >= 0:
                    if first - start > bound:
                        spans.append((start, first))
                    start = data.rfind(b"\n", offset, end) + 1
    if size - start > bound:
        spans.append((start, size))
    return _numbered(path, spans) if spans else []


def _numbered(path: Path, spans: list[tuple[int, int]]) -> list[Span]:
    """The spans with their lines' numbers, counted by a second read up to the last (a table rarely
    has such a line, so the first read counts nothing)."""
    numbered, line, at = [], 1, 0
    with open(path, "rb") as fh:
        for start, end in spans:
            while at < start:
                block = fh.read(min(BLOCK, start - at))
                line += block.count(b"\n")
                at += len(block)
            numbered.append((line, start, end))
    return numbered


@contextmanager
def blanked(path: Path, spans: list[Span]) -> Iterator[Path]:
    """`path` itself when no line is to be blanked, else a temporary copy with each span's bytes
    left out (its newline kept), removed on leaving the context."""
    if not spans:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="mlaudit-lines-") as folder:
        copy = Path(folder, path.name)
        with open(path, "rb") as source, open(copy, "wb") as target:
            at = 0
            for _, start, end in spans:
                _copy_range(source, target, at, start)
                at = end
            _copy_range(source, target, at, os.fstat(source.fileno()).st_size)
        yield copy


def _copy_range(source: BinaryIO, target: BinaryIO, start: int, end: int) -> None:
    """Bytes [start, end) of `source` appended to `target`, a block at a time."""
    source.seek(start)
    left = end - start
    while left > 0:
        chunk = source.read(min(left, BLOCK))
        if not chunk:
            break
        target.write(chunk)
        left -= len(chunk)
