"""Reading untrusted text files with bounds: size, binary content and encoding are checked first."""

from __future__ import annotations

import re
from pathlib import Path

MAX_TEXT_BYTES = 5 * 1024 * 1024


class ReadRefused(ValueError):
    """A file not read: `code` is too-large or unreadable, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, checked against `limit` before anything is read; `what` names the
    limit in the message ("JSON manifests")."""
    try:
        size = path.stat().st_size
        if size > limit:
            megabytes = f"{size / 1048576:.1f} MB, over the {limit // 1048576} MB limit"
            raise ReadRefused("too-large", f"file is {megabytes} for {what}")
        return path.read_bytes()
    except OSError as exc:
        raise ReadRefused("unreadable", f"cannot read file: {exc.strerror or exc}") from None


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> tuple[str, tuple[str, str] | None]:
    """The file's text with BOM removed and newlines as LF, or ("", (problem code, message))."""
    try:
        data = read_bounded(path, limit, "manifests; not read")
    except ReadRefused as exc:
        return "", (exc.code, str(exc))
    if b"\x00" in data[:8192]:
        return "", ("binary", "file holds binary data (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return "", ("not-utf8", f"file is not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})")
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
