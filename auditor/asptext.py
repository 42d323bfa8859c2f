"""ASP text, both ways: facts written for the engines (`render`, checked against the schema) and
the atoms an engine derived read back from the text clingo prints (`read`, to typed rows).

Each derived predicate's row type (auditor/predicates.py) names its fields; a row is a tuple, so
positional use keeps working. Nothing else writes or parses ASP text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, SupportsInt

from auditor.predicate_spec import Fact, Values
from auditor.predicates import ROWS, Atoms, Term
from auditor.schema import SCHEMA


def row(name: str, values: Values) -> Values:
    """An atom's values read back as its predicate's row type (a plain tuple for a predicate not derived)."""
    make = ROWS.get(name)
    return values if make is None else make(values)


def read(texts: Iterable[str]) -> Atoms:
    """Atoms as clingo prints them, as rows grouped by predicate name."""
    atoms = Atoms(list)
    for text in texts:
        name, values = atom(text)
        atoms[name].append(row(name, values))
    return atoms


_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|-?\d+|[A-Za-z_][A-Za-z0-9_\']*|[(),]')
_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}
# clingo reads its text as C strings, so a NUL (valid in JSON, YAML aside) cannot be written in it:
# it travels as a Unicode noncharacter, never meant for interchange, and is restored when read back
NUL, NUL_STAND_IN = "\x00", "\ufdd0"


def atom(text: str) -> tuple[str, Values]:
    """An atom as clingo prints it, `name(arg,...)`, as (name, plain Python values).

    Reading the printed form is several times faster than walking Symbol objects through
    clingo's Python API, which matters when a large audit reads back 100k atoms.
    """
    tokens = _TOKEN.findall(text)
    name = tokens[0]
    if len(tokens) == 1:
        return name, ()
    args, _ = _arguments(tokens, 2)
    return name, tuple(args)


def _arguments(tokens: list[str], i: int) -> tuple[list[Term], int]:
    """Terms from tokens[i] up to the matching ")", and the index after it."""
    args: list[Term] = []
    while tokens[i] != ")":
        term, i = _parse_term(tokens, i)
        args.append(term)
        if tokens[i] == ",":
            i += 1
    return args, i + 1


def _parse_term(tokens: list[str], i: int) -> tuple[Term, int]:
    token = tokens[i]
    if token[0] == '"':
        text = re.sub(r'\\[\\"n]', lambda m: _UNESCAPE[m.group(0)], token[1:-1])
        return text.replace(NUL_STAND_IN, NUL), i + 1
    if token[0] == "-" or token.isdigit():
        return int(token), i + 1
    if token == "(":
        args, i = _arguments(tokens, i + 1)
        return ("", *args), i
    if i + 1 < len(tokens) and tokens[i + 1] == "(":
        args, i = _arguments(tokens, i + 2)
        return (token, *args), i
    return Constant(token), i + 1


def render(fact: Fact) -> str:
    """One fact as ASP text, checked against the schema."""
    return _writer(fact[0])(fact)


def nested(fact: Fact) -> Constant:
    """A fact as a term, checked as `render` checks it, for the repair inputs that take a fact as
    their argument (`as_found(licensed(3,"MIT"))`)."""
    return Constant(render(fact)[:-1])


@cache
def _writer(name: str) -> Callable[[Fact], str]:
    """A function writing facts of one predicate: built once, since a large audit writes millions."""
    pred = SCHEMA[name]
    if pred.role == "derived":
        raise ValueError(f"{pred.name} is derived by the rules, not given as input")
    convert = [_CONVERTERS[t] for t in pred.types]

    def write(fact: Fact) -> str:
        if len(fact) != len(convert) + 1:
            raise TypeError(f"{name}/{len(convert)} given {len(fact) - 1} arguments")
        return f"{name}({','.join([c(v) for c, v in zip(convert, fact[1:], strict=False)])})."

    return write


def _number(value: SupportsInt) -> str:
    return str(int(value))


@cache
def _symbol(value: str) -> str:
    if not value.replace("_", "a").isalnum() or not value[0].islower():
        raise ValueError(f"{value!r} is not a valid symbol")
    return value


def _string(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + text.replace(NUL, NUL_STAND_IN) + '"'


class Constant(str):
    """A symbolic constant read back from clingo (`commercial`), told apart from a string
    (`"commercial"`) so that a read-back atom can be written again exactly (see `ground`)."""

    __slots__ = ()


def ground(value: Term) -> str:
    """Any read-back value as a term: constants bare, strings quoted, tuples as tuples."""
    if isinstance(value, Constant):
        return value
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    name, *args = value
    return f"{name}({','.join(map(ground, args))}{',' if not name and len(args) == 1 else ''})"


# Any: the values of facts are whatever the encoder gives; each converter checks those its type allows.
_CONVERTERS: dict[str, Callable[[Any], str]] = {
    "asset": _number,
    "int": _number,
    "symbol": _symbol,
    "string": _string,
    "term": _string,
    "ground": ground,
}
