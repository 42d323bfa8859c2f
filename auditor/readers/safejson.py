"""JSON from untrusted manifests: bounded size and nesting, strict parsing, clear errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NoReturn

from auditor.readers.text import ReadRefused, decode, read_bounded
from auditor.readers.values import JSON

MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 200


class JSONRefused(ValueError):
    """The file is not JSON mlaudit will read; `code` is malformed or refused, the message says why."""

    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.code, self.line = code, line


def load(path: Path, limit: int = MAX_JSON_BYTES) -> JSON:
    """The parsed JSON value of `path`, or JSONRefused naming the problem."""
    try:
        data = read_bounded(path, limit, "JSON manifests")
    except ReadRefused as exc:
        raise JSONRefused("refused" if exc.code == "too-large" else "malformed", str(exc)) from None
    return loads(data)


def loads(data: bytes) -> JSON:
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        message = f"not {exc.encoding.upper()} text (invalid byte at offset {exc.start})"
        raise JSONRefused("malformed", message) from None
    depth = depth_of(text)
    if depth > MAX_DEPTH:
        raise JSONRefused("refused", f"JSON nested {depth} levels deep, over the limit of {MAX_DEPTH}")
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise JSONRefused(
            "malformed", f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", exc.lineno
        ) from None
    except ValueError as exc:
        raise JSONRefused("malformed", f"invalid JSON: {exc}") from None
    if _SURROGATE_ESCAPE.search(text) and _holds_surrogate(value):
        raise _lone_surrogate(text)
    return value


# json.loads accepts an escaped surrogate with no partner ("\ud800"): a string no UTF-8 can encode,
# which would fail every later stage that writes text. The escapes are looked for first, so the
# value is walked only for a text holding one (a surrogate pair, as emoji are escaped, included).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"  # a high surrogate no low one follows
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"  # a low one no high one precedes
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _holds_surrogate(value: JSON) -> bool:
    """Whether a key or string anywhere in `value` holds a lone surrogate; iterative, linear."""
    stack: list[JSON] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and _SURROGATE.search(item):
            return True
        if isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _lone_surrogate(text: str) -> JSONRefused:
    """The refusal of a text with a lone surrogate, naming its first lone escape and that line."""
    found = _LONE_ESCAPE.search(text)
    line = text.count("\n", 0, found.start()) + 1 if found else None
    escape = f"'{found.group(0)}'" if found else "an escape"
    return JSONRefused("malformed", f"invalid JSON: {escape} is a lone surrogate, not a character (line {line})", line)


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


# A string runs to its closing quote, or to the end of the text when unterminated, so no scan
# restarts inside it: each character is looked at once (the unrolled loop cannot backtrack).
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)|[\[\]{}]', re.S)


def depth_of(text: str) -> int:
    """Deepest nesting of [ and { outside strings, without recursion. Linear in the text: strings are
    skipped by the regex engine in one pass (json.loads then reports an unterminated one)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        ch = match.group(0)
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif ch in "]}":
            depth -= 1
    return deepest
