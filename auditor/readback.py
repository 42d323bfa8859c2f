"""Read back: the atoms an engine derived, from the text clingo prints to typed rows.

Each derived predicate's row type (auditor/predicates.py) names its fields; a row is a tuple, so
positional use keeps working. The writing side is schema.render.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.predicates import ROWS, Atoms, Term
from auditor.schema import Constant, Values


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
        return re.sub(r'\\[\\"n]', lambda m: _UNESCAPE[m.group(0)], token[1:-1]), i + 1
    if token[0] == "-" or token.isdigit():
        return int(token), i + 1
    if token == "(":
        args, i = _arguments(tokens, i + 1)
        return ("", *args), i
    if i + 1 < len(tokens) and tokens[i + 1] == "(":
        args, i = _arguments(tokens, i + 2)
        return (token, *args), i
    return Constant(token), i + 1
