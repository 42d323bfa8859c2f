"""How SQL columns hold clingo's terms, and what differs between the SQL engines (the Dialect).

A column holds one kind of value where the rules put only one there: BIGINT for numbers, text for
strings, text for symbolic constants (the column says which). A column that takes several kinds
holds a tagged text that keeps clingo's order (numbers < constants < strings < function terms), so
that comparisons and joins need no decoding: "1" + the number offset into ten digits, "2" + a
constant, "3" + a string, "4" + a function term as clingo prints it. Every value reads back exactly.
Which kinds a column takes is a fixpoint over the rules, from the schema's types (column_kinds).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from auditor import asptext, datalog, schema
from auditor.datalog import Arg, Rule, Var
from auditor.predicates import Term

INT, STR, SYM, ANY = "int", "string", "symbol", "any"  # how a column holds its values
FUN = "function"  # a kind of value only a tagged (ANY) column holds
OFFSET = 2**31  # clingo's numbers are 32-bit: offset, they sort as ten digits
TAGS = {INT: "1", SYM: "2", STR: "3", FUN: "4"}
_SCHEMA_KINDS = {"asset": {INT}, "int": {INT}, "symbol": {SYM}, "string": {STR}, "term": {STR}}
_ALL_KINDS = frozenset({INT, STR, SYM, FUN})


@dataclass(frozen=True)
class Dialect:
    """What differs between the SQL engines the compiled program runs on: type names and literals."""

    string_type: str
    int_type: str = "BIGINT"
    backslash_escapes: bool = False  # Spark reads \ in a literal as an escape
    recursive_cte: bool = False  # one WITH RECURSIVE statement a recursion (Spark's: UNION ALL only, endless on cycles)

    def string(self, text: str) -> str:
        if self.backslash_escapes:
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
        return "'" + text.replace("'", "''") + "'"

    def column_type(self, rep: str) -> str:
        return self.int_type if rep == INT else self.string_type

    def tagged(self, sql: str, rep: str) -> str:
        """An expression of a column of `rep` as the tagged text of an ANY column."""
        if rep == INT:
            return f"'{TAGS[INT]}' || lpad(CAST({sql} + {OFFSET} AS {self.string_type}), 10, '0')"
        return sql if rep == ANY else f"'{TAGS[rep]}' || {sql}"

    def untagged(self, sql: str, rep: str) -> str:
        """An expression of an ANY column as a column of `rep` holds the value (of that kind) it tags."""
        text = f"substr({sql}, 2)"
        return f"(CAST({text} AS {self.int_type}) - {OFFSET})" if rep == INT else text


DUCKDB = Dialect("VARCHAR", recursive_cte=True)
SPARK = Dialect("STRING", backslash_escapes=True)


def kind(value: Term) -> str:
    if isinstance(value, int):
        return INT
    if isinstance(value, asptext.Constant):
        return SYM
    return STR if isinstance(value, str) else FUN


def representation(kinds: set[str]) -> str:
    """How a column holds values of these kinds."""
    only = next(iter(kinds)) if len(kinds) == 1 else None
    return only if only in (INT, STR, SYM) else ANY


def encode(value: Term, rep: str) -> Term:
    """A value (int, str, Constant, or a function term as a tuple) as a column of `rep` holds it."""
    if rep == INT:
        return int(value)  # type: ignore[arg-type]  # a number column holds numbers only
    if rep != ANY:
        return str(value)
    tag = TAGS[kind(value)]
    if isinstance(value, int):
        return f"{tag}{value + OFFSET:010d}"
    return tag + (value if isinstance(value, str) else asptext.ground(value))


def decode(value: Term, rep: str) -> Term:
    """A column's value as the term clingo would give."""
    if rep in (INT, STR):
        return value
    text = str(value)
    if rep == SYM:
        return asptext.Constant(text)
    tag, rest = text[0], text[1:]
    if tag == TAGS[INT]:
        return int(rest) - OFFSET
    if tag == TAGS[SYM]:
        return asptext.Constant(rest)
    return rest if tag == TAGS[STR] else asptext.atom(f"f({rest})")[1][0]


# -- column kinds: the schema's types, widened by every value a rule puts in a column


def column_kinds(translation: datalog.Translation) -> dict[str, list[set[str]]]:
    heads = {rule.head[0] for rule in translation.rules} | {fact[0] for fact in translation.facts}
    kinds: dict[str, list[set[str]]] = {}
    for pred, args in _atoms(translation):
        base = _schema_kinds(pred) if pred not in heads else None
        kinds.setdefault(pred, base or [set() for _ in args])
    for fact in translation.facts:
        for column, value in zip(kinds[fact[0]], fact[1:], strict=True):
            column.add(kind(value))
    changed = True
    while changed:
        changed = False
        for rule in translation.rules:
            variables = _variable_kinds(rule, kinds)
            for column, arg in zip(kinds[rule.head[0]], rule.head[1], strict=True):
                new = variables.get(arg, set()) if isinstance(arg, Var) else {kind(arg)}
                changed |= not new <= column
                column |= new
    return kinds


def _atoms(translation: datalog.Translation) -> Iterator[tuple[str, list[Arg]]]:
    for rule in translation.rules:
        yield rule.head
        yield from ((pred, args) for kind_, pred, args in rule.body if kind_ != "cmp")
    yield from ((fact[0], list(fact[1:])) for fact in translation.facts)


def _schema_kinds(pred: str) -> list[set[str]] | None:
    """The kinds of an input predicate's columns, from its types in auditor/schema.py."""
    name, _, arity = pred.partition("__")
    known = schema.SCHEMA.get(name)
    if known is None or not arity.isdigit() or known.arity != int(arity):
        return None
    return [set(_SCHEMA_KINDS.get(t, _ALL_KINDS)) for t in known.types]


def _variable_kinds(rule: Rule, kinds: dict[str, list[set[str]]]) -> dict[Var, set[str]]:
    """Each variable's kinds, from the positive literal (or the equality) that binds it first."""
    found: dict[Var, set[str]] = {}
    for kind_, pred, args in rule.body:
        if kind_ == "pos":
            for column, arg in zip(kinds[pred], args, strict=True):
                if isinstance(arg, Var) and arg not in found:
                    found[arg] = column
    for left, right in bindings(rule, set(found)):
        found[left] = found[right] if isinstance(right, Var) else {kind(right)}
    return found


def bindings(rule: Rule, bound: set[Var]) -> list[tuple[Var, Arg]]:
    """Equalities that bind a variable no positive literal binds (`X = Y`, `X = 3`), in order."""
    found: list[tuple[Var, Arg]] = []
    progress = True
    while progress:
        progress = False
        for kind_, op, args in rule.body:
            if kind_ != "cmp" or op != "==":
                continue
            for left, right in (args, args[::-1]):
                if isinstance(left, Var) and left not in bound and (not isinstance(right, Var) or right in bound):
                    found.append((left, right))
                    bound.add(left)
                    progress = True
    return found
