"""Gzip-compressed tables of Hub records (`models.jsonl.gz`, `models.json.gz`), as Hub-wide dumps are
often shipped: inflated to a temporary file, which DuckDB then reads as it reads an uncompressed
one, so their lines and elements are numbered as in the inflated text (what `zcat` shows).

Bound: a file may inflate to MAX_INFLATION times its size plus FLOOR, then it cannot be read.
gzip's own bound is about 1,032 times, which a crafted file reaches; a table of records compresses
about 6 to 20 times. Inflating is linear, and stops at the bound. A Parquet table compresses each
column itself (zstd's bound is far above gzip's), so the same bound holds for the sizes its column
chunks declare, checked before any row is read (`check_parquet`).
"""

from __future__ import annotations

import gzip
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SUFFIX = ".gz"  # after the table's own suffix
MAGIC = b"\x1f\x8b"  # the first two bytes of gzip data (RFC 1952 s2.3.1)
MAX_INFLATION = 200
FLOOR = 1024 * 1024  # bytes any compressed table may inflate to, however small (one row's bound)
CHUNK = 1024 * 1024  # bytes inflated at a time


class Unreadable(ValueError):
    """A compressed table that cannot be read (no gzip data, cut short, corrupt, or over its bound);
    its message names the problem."""


def stored_name(path: Path) -> str:
    """The table's file name, lowercase, without the suffix of its compression (`models.jsonl`)."""
    return path.name.lower().removesuffix(SUFFIX)


def compressed(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIX)


def inflated_head(head: bytes, size: int) -> bytes | None:
    """At most `size` bytes of what the compressed `head` (a file's first bytes) inflates to; None
    when it is no gzip data, or gzip data corrupt from its start. Its last 8 bytes are left out: when
    the head is the whole file, they are the stream's checksum, which reading it checks (and tells
    when wrong)."""
    try:
        return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(head[:-8], size)
    except zlib.error:
        return None


def is_gzip(head: bytes) -> bool:
    """The file begins as gzip data does (its magic number), whatever follows."""
    return head.startswith(MAGIC)


@contextmanager
def readable(path: Path) -> Iterator[Path]:
    """The file to read for the table `path`: itself, or what it inflates to, in a temporary folder
    removed on leaving the context."""
    if not compressed(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="mlaudit-table-") as folder:
        inflated = Path(folder, stored_name(path))
        _inflate(path, inflated)
        yield inflated


def _inflate(path: Path, into: Path) -> None:
    """Inflate `path` into `into`; a failure to write (a full disk) is the caller's, not the table's."""
    limit = MAX_INFLATION * path.stat().st_size + FLOOR
    written = 0
    with gzip.open(path, "rb") as source, open(into, "wb") as target:
        while chunk := _chunk(source):
            written += len(chunk)
            if written > limit:
                raise Unreadable(
                    f"it inflates to over {MAX_INFLATION} times its size ({limit:,} bytes), "
                    "more than any table of records"
                )
            target.write(chunk)


def _chunk(source: gzip.GzipFile) -> bytes:
    try:
        return source.read(CHUNK)
    except EOFError:
        raise Unreadable("its gzip data ends before the end of its stream (cut short?)") from None
    except (OSError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise Unreadable(f"its gzip data is corrupt ({exc})") from None


def check_parquet(con: Any, path: Path) -> None:
    """Unreadable when the Parquet table's column chunks declare more than the bound inflated: its
    rows' sizes are checked only once decoded, which a 6 KB file inflating to gigabytes outruns."""
    limit = MAX_INFLATION * path.stat().st_size + FLOOR
    query = "SELECT coalesce(sum(total_uncompressed_size), 0) FROM parquet_metadata(?)"
    (declared,) = con.execute(query, [str(path)]).fetchone()
    if declared > limit:
        raise Unreadable(
            f"its columns inflate to {declared:,} bytes, over {MAX_INFLATION} times its size ({limit:,} bytes), "
            "more than any table of records"
        )
