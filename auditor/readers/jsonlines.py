"""JSON with the line of every JSON pointer, for evidence that points into the file.

The index is built from the text by one linear pass over its tokens, apart from the parse (safejson),
so a file too large to index is still read, only without lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from auditor.readers import safejson
from auditor.readers.text import decode
from auditor.readers.values import JSON

MAX_LINE_INDEX_BYTES = 16 * 1024 * 1024
MAX_INDEX_DEPTH = 8


def load_json(path: Path, twice: list[safejson.Where] | None = None) -> tuple[JSON, dict[str, int]]:
    """The parsed JSON of `path` and the 1-based line of each JSON pointer (shallow ones); JSONRefused if
    unreadable. Where keys are given twice is added to `twice` (safejson.load)."""
    data = safejson.load(path, twice=twice)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_LINE_INDEX_BYTES else b""
    except OSError:
        raw = b""
    return data, json_lines(decode(raw, errors="replace"))


_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


@dataclass
class _Frame:
    """An open object or array: where it is and which member or item comes next."""

    pointer: str
    is_object: bool
    key: str
    index: int
    awaiting_key: bool


def json_lines(text: str, max_depth: int = MAX_INDEX_DEPTH) -> dict[str, int]:
    """JSON pointer -> line where its value starts, for values nested at most `max_depth` deep."""
    lines: dict[str, int] = {}
    stack: list[_Frame] = []
    line, pos = 1, 0
    for match in _TOKENS.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        token = match.group()
        top = stack[-1] if stack else None
        if token in "}]":
            if stack:
                stack.pop()
        elif token == ":" and top:
            top.awaiting_key = False
        elif token == "," and top:
            if top.is_object:
                top.awaiting_key = True
            else:
                top.index += 1
        elif top and top.is_object and top.awaiting_key:
            top.key = _json_string(token)
        else:
            pointer = (
                "" if top is None else f"{top.pointer}/{pointer_step(top.key if top.is_object else str(top.index))}"
            )
            if len(stack) <= max_depth:
                lines.setdefault(pointer, line)
            if token in "{[":
                stack.append(_Frame(pointer, token == "{", "", 0, token == "{"))
    return lines


def _json_string(token: str) -> str:
    try:
        return str(json.loads(token))
    except ValueError:
        return token


def pointer_step(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def json_pointer(at: safejson.Where) -> str:
    """`at` as a JSON pointer (RFC 6901): /a/0/b."""
    return "".join(f"/{pointer_step(p) if isinstance(p, str) else p}" for p in at)
