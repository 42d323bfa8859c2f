"""Reading untrusted text files with bounds: size, binary content and encoding are checked first."""

from __future__ import annotations

import re
from pathlib import Path

MAX_TEXT_BYTES = 5 * 1024 * 1024


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> tuple[str, tuple[str, str] | None]:
    """The file's text with BOM removed and newlines as LF, or ("", (problem code, message))."""
    try:
        size = path.stat().st_size
        if size > limit:
            return "", (
                "too-large",
                f"file is {size / 1048576:.1f} MB, over the {limit // 1048576} MB limit for manifests; not read",
            )
        data = path.read_bytes()
    except OSError as exc:
        return "", ("unreadable", f"cannot read file: {exc.strerror or exc}")
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
