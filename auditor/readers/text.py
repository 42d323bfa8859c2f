"""Reading untrusted text files with bounds: size, binary content and encoding are checked first.

Text is UTF-8, or UTF-16 or UTF-32 when a byte order mark says so (as JSON, XML and YAML allow).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

MAX_TEXT_BYTES = 5 * 1024 * 1024
# Byte order marks and the codec each names (the codec drops the mark); UTF-32 LE's starts like
# UTF-16 LE's, so it is tried first. Without a mark, text is UTF-8.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ReadRefused(ValueError):
    """A file not read: `code` is too-large or unreadable, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


_SPECIAL = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def not_regular(mode: int) -> str | None:
    """Why a file of this mode must not be read (a FIFO would block its reader, /dev/zero never
    end), None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _SPECIAL if test(mode)), "not a file")
    return f"not a regular file ({kind})"


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, a regular file, checked against `limit` before anything is read; `what`
    names the limit in the message ("JSON manifests"). Its kind is checked before it is opened and
    again once opened without blocking, so that nothing put in its place between (a FIFO) is read."""
    try:
        _regular(os.stat(path).st_mode)
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            info = os.fstat(file.fileno())
            _regular(info.st_mode)
            data = file.read(limit + 1) if info.st_size <= limit else b""  # bounded if it grows meanwhile
            if info.st_size > limit or len(data) > limit:
                size = max(info.st_size, len(data))
                megabytes = f"{size / 1048576:.1f} MB, over the {limit // 1048576} MB limit"
                raise ReadRefused("too-large", f"file is {megabytes} for {what}")
            return data
    except OSError as exc:
        raise ReadRefused("unreadable", f"cannot read file: {exc.strerror or exc}") from None


def _regular(mode: int) -> None:
    irregular = not_regular(mode)
    if irregular is not None:
        raise ReadRefused("unreadable", f"{irregular}; not read")


def encoding_of(data: bytes) -> str:
    """The codec the byte order mark at the start of `data` names, else UTF-8's."""
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), "utf-8")


def decode(data: bytes, errors: str = "strict") -> str:
    """The text of `data` in the encoding its byte order mark names (UTF-8 without one)."""
    return data.decode(encoding_of(data), errors)


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> tuple[str, tuple[str, str] | None]:
    """The file's text with BOM removed and newlines as LF, or ("", (problem code, message)). UTF-16
    and UTF-32 are read when a byte order mark says so; their NUL bytes are no sign of binary data."""
    try:
        data = read_bounded(path, limit, "manifests; not read")
    except ReadRefused as exc:
        return "", (exc.code, str(exc))
    codec = encoding_of(data)
    if codec.startswith("utf-8") and b"\x00" in data[:8192]:
        return "", ("binary", "file holds binary data (NUL bytes), not text")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if codec.startswith("utf-8") else codec.upper()
        return "", ("not-utf8", f"file is not {name} text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def id_lines(pattern: re.Pattern[str], text: str) -> dict[str, int]:
    """The 1-based line on which each id captured by `pattern` first appears in `text`."""
    lines: dict[str, int] = {}
    line, last = 1, 0
    for match in pattern.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        lines.setdefault(match.group(1), line)
    return lines
