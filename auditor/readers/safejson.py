"""JSON from untrusted manifests: bounded size and nesting, strict parsing, clear errors."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import NoReturn

from auditor.readers.text import ReadRefused, decode, read_bounded
from auditor.readers.values import JSON

MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 200
MAX_DIGITS = 4300  # digits of a JSON integer read: Python makes no int of more from text
Where = tuple[str | int, ...]  # where in a JSON value: the keys and indexes leading there


class JSONRefused(ValueError):
    """The file is not JSON mlaudit will read; `code` is malformed or refused, the message says why."""

    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.code, self.line = code, line


def load(path: Path, limit: int = MAX_JSON_BYTES, twice: list[Where] | None = None) -> JSON:
    """The parsed JSON value of `path`, or JSONRefused naming the problem; the pointers of keys given
    twice in one object are added to `twice` (the last value of each is kept)."""
    try:
        data = read_bounded(path, limit, "JSON manifests")
    except ReadRefused as exc:
        raise JSONRefused("refused" if exc.code == "too-large" else "malformed", str(exc)) from None
    return loads(data, twice)


def loads(data: bytes, twice: list[Where] | None = None) -> JSON:
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        message = f"not {exc.encoding.upper()} text (invalid byte at offset {exc.start})"
        raise JSONRefused("malformed", message) from None
    depth = depth_of(text)
    if depth > MAX_DEPTH:
        raise JSONRefused("refused", f"JSON nested {depth} levels deep, over the limit of {MAX_DEPTH}")
    MET.twice = MET.long = False
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise JSONRefused(
            "malformed", f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", exc.lineno
        ) from None
    except ValueError as exc:
        raise JSONRefused("malformed", f"invalid JSON: {exc}") from None
    if MET.long:
        raise JSONRefused("refused", long_number(value))
    if _SURROGATE_ESCAPE.search(text) and _holds_surrogate(value):
        raise _lone_surrogate(text)
    if MET.twice and twice is not None:  # nearly no file has a key given twice, and is not walked
        twice.extend(_keys_twice(value))
    return value


class Twice(dict[str, JSON]):
    """An object some of whose keys are given twice (`keys_twice`); the last value of each is kept, as
    json.loads keeps it, but other readers keep the first: the file says two things and it is told."""

    __slots__ = ("keys_twice",)
    keys_twice: list[str]


MET = threading.local()  # `twice`: an object with a key given twice was met in this thread's parse


def keyed_object(items: list[tuple[str, JSON]]) -> dict[str, JSON]:
    """A JSON object as json.loads makes it, marked (`Twice`, `MET`) when a key is given twice."""
    value = dict(items)
    if len(value) == len(items):
        return value
    seen: set[str] = set()
    again: set[str] = set()
    for key, _ in items:
        (again if key in seen else seen).add(key)
    marked = Twice(value)
    marked.keys_twice = sorted(again)
    MET.twice = True
    return marked


class Long(str):
    """A JSON integer of more than MAX_DIGITS digits, kept as its text so that it can be told where
    it stands (`long_number`): valid JSON, but no value mlaudit reads."""

    __slots__ = ()


def integer(digits: str) -> int | str:
    """A JSON integer's value; one of more than MAX_DIGITS digits marked (`Long`, `MET`) instead."""
    if len(digits.lstrip("-")) <= MAX_DIGITS:
        return int(digits)
    MET.long = True
    return Long(digits)


def long_number(value: JSON, within: Where = ()) -> str:
    """What to tell of the first integer in `value` (at `within`) too long to read (`integer`),
    naming its field."""
    stack: list[tuple[JSON, Where]] = [(value, within)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, Long):
            where = dotted(at) or "the document"
            return f"{where} is a number of {len(item.lstrip('-')):,} digits, over the {MAX_DIGITS:,} mlaudit reads"
        if isinstance(item, list):
            stack.extend((v, (*at, i)) for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, dict):
            stack.extend((v, (*at, k)) for k, v in reversed(item.items()))
    return f"a number of more than {MAX_DIGITS:,} digits, which mlaudit does not read"


def _keys_twice(value: JSON) -> list[Where]:
    """Where the keys given twice in `value`'s objects are, in document order (walked with a stack of
    its own: the value may be as deep as MAX_DEPTH)."""
    found: list[Where] = []
    stack: list[tuple[JSON, Where]] = [(value, ())]
    while stack:
        item, at = stack.pop()
        if isinstance(item, list):
            stack.extend((v, (*at, i)) for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, dict):
            if isinstance(item, Twice):
                found.extend((*at, k) for k in item.keys_twice)
            stack.extend((v, (*at, k)) for k, v in reversed(item.items()))
    return found


def dotted(at: Where) -> str:
    """`at` as the pointers of cards and rows write it: a.b[0].c."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in at).lstrip(".")


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


_DECODER = json.JSONDecoder(object_pairs_hook=keyed_object, parse_constant=_no_constant, parse_int=integer)  # made once


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
