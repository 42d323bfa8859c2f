"""pyDatalog as a second, independent engine for the Datalog core of the rule base.

The rules are written once, for clingo. This module parses them with clingo's own parser and
translates each rule into a clause of pyDatalog's engine at run time (here as pyDatalog text):

    finding("CMP001", A, L, T, U) :- release(A, U, _), carries(A, L, T), not x(A), R > M.
    finding__5('CMP001', A, L, T, U) <= release__3(A, U, Anon1) & carries__3(A, L, T) & ~x__1(A) & (R > M)

Predicates are renamed `name__arity` (0-ary atoms get one dummy argument), and a function term in
a head (`because(..., carries(A, L, T))`) is flattened into the predicate's name and arguments, so
the results read back exactly as clingo's. Files whose metadata says `engine: asp` (choices,
optimisation, repairs) are not translated: their results come from clingo. Anything else the
translation could not render faithfully (choice rules, aggregates, constraints, arithmetic,
tuples, function terms in bodies) is refused with the file, line and construct.

pyDatalog's resolution loops for ever on a right-recursive rule over cyclic data (a 3-node lineage
cycle never ends) and ends when the recursive literal comes first, so the translation moves the body
literals of a rule's own recursion (its head's strongly connected component) to the front.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from clingo import SymbolType, ast

from auditor import asptext, rulebase
from auditor.engine import Term
from auditor.predicates import Atoms
from auditor.schema import SCHEMA

_OPERATORS = {
    ast.ComparisonOperator.Equal: "==",
    ast.ComparisonOperator.NotEqual: "!=",
    ast.ComparisonOperator.LessThan: "<",
    ast.ComparisonOperator.LessEqual: "<=",
    ast.ComparisonOperator.GreaterThan: ">",
    ast.ComparisonOperator.GreaterEqual: ">=",
}
DUMMY = 0  # the argument 0-ary atoms get, since pyDatalog predicates need one
# The prefix of a symbolic constant inside pyDatalog, where every value is a Python string: it keeps
# `commercial` apart from "commercial" as clingo does (and orders constants before strings, as clingo
# does), and reads back as an asptext.Constant, so the atoms come back exactly as clingo's and are
# written again alike (the repair search's inputs).
CONSTANT = "\x00"


class Var(str):
    """A variable of a rule (anonymous ones renamed apart), told apart from a string constant."""

    __slots__ = ()


Arg = Term | Var  # a rule's argument: a variable, or a constant as its value (int, str, Constant)
Literal = tuple[str, str, list[Arg]]  # (kind: pos | neg | cmp, predicate or operator, arguments)
Fact = tuple[str, *tuple[Term, ...]]  # (predicate, *values)


class TranslationError(ValueError):
    """A rule uses a construct Datalog cannot run faithfully."""


@dataclass
class Rule:
    head: tuple[str, list[Arg]]  # (translated predicate, arguments)
    body: list[Literal]
    where: str = ""  # file:line of the rule, for refusals of the back ends


@dataclass
class Translation:
    """The Datalog core of the rule base, parsed once for the Datalog back ends (pyDatalog here, SQL in
    auditor/sqlcompile.py): rules, facts stated in rule files, and what to read back."""

    rules: list[Rule] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)  # (translated predicate, *values)
    shapes: dict[str, tuple[str, int, dict[int, tuple[str, int]]]] = field(default_factory=dict)
    shown: list[tuple[str, int]] = field(default_factory=list)  # (name, arity) read back

    def runnable(self, defined: set[str]) -> list[Rule]:
        """The rules pyDatalog runs: rules needing a predicate nobody defines are dropped, and
        negations of such predicates are always true (both as in clingo)."""
        return [
            Rule(rule.head, [lit for lit in rule.body if not (lit[0] == "neg" and lit[1] not in defined)], rule.where)
            for rule in self.rules
            if all(kind != "pos" or pred in defined for kind, pred, _ in rule.body)
        ]


def _clause(engine: ModuleType, rule: Rule) -> object:
    """A rule as a clause of pyDatalog's engine (what pyDatalog.load makes of the rule's text): a
    negated literal's predicate is named with a `~`, a comparison's with its operator."""
    body = []
    for kind, pred, args in rule.body:
        body.append(engine.Literal(f"{'~' if kind == 'neg' else ''}{pred}", _terms(engine, args)))
    return engine.Clause(engine.Literal(rule.head[0], _terms(engine, rule.head[1])), body)


def _terms(engine: ModuleType, args: Sequence[Arg]) -> list[object]:
    return [engine.Var(a) if isinstance(a, Var) else engine.Term_of(_held(a)) for a in args]


def translate(files: list[Path]) -> Translation:
    """Translate the Datalog files of the rule base (ASP-only files are skipped). Every audit of a
    process translates the same rule base, so the translation is made once (again when a file
    changes) and each caller gets its own copy of the lists, which it may replace."""
    made = _translated(tuple((path, path.stat().st_mtime_ns) for path in files))
    return Translation(list(made.rules), list(made.facts), dict(made.shapes), list(made.shown))


@functools.lru_cache(maxsize=4)
def _translated(files: tuple[tuple[Path, int], ...]) -> Translation:
    """The translation of the files (each with its modification time, so an edited file is read again)."""
    result = Translation()
    for path, _ in files:
        if _asp_only(path):
            continue
        statements: list[ast.AST] = []
        ast.parse_files([str(path)], statements.append)
        for statement in statements:
            for unpooled in statement.unpool():
                _statement(unpooled, path, result)
    result.rules = _recursion_first(result.rules)
    return result


def _recursion_first(rules: list[Rule]) -> list[Rule]:
    """The rules with each body's recursive positive literals moved first, in their order."""
    graph: dict[str, set[str]] = defaultdict(set)
    for rule in rules:
        graph[rule.head[0]] |= {pred for kind, pred, _ in rule.body if kind != "cmp"}
    reach = _reachable(graph)
    ordered = []
    for rule in rules:
        recursive = [lit[0] == "pos" and rule.head[0] in reach.get(lit[1], ()) for lit in rule.body]
        body = [lit for lit, r in zip(rule.body, recursive, strict=False) if r] + [
            lit for lit, r in zip(rule.body, recursive, strict=False) if not r
        ]
        ordered.append(Rule(rule.head, body, rule.where))
    return ordered


def _reachable(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """For each predicate, every predicate its rules depend on, directly or not."""
    reach: dict[str, set[str]] = {}
    for start in graph:
        seen: set[str] = set()
        stack = [start]
        while stack:
            for nxt in graph.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        reach[start] = seen
    return reach


def _asp_only(path: Path) -> bool:
    try:
        return rulebase.metadata(path).get("engine") == "asp"
    except rulebase.RuleBaseError:
        return False  # a library file without metadata is plain Datalog


def _refuse(node: ast.AST, path: Path, what: str) -> TranslationError:
    return TranslationError(f"{_where(node, path)}: cannot translate {what} to Datalog: {node}")


def _where(node: ast.AST, path: Path) -> str:
    return f"{path.name}:{node.location.begin.line}"


def _statement(node: ast.AST, path: Path, out: Translation) -> None:
    kind = node.ast_type
    if kind in (ast.ASTType.Program, ast.ASTType.Defined, ast.ASTType.Comment):
        return
    if kind == ast.ASTType.ShowSignature:
        out.shown.append((node.name, node.arity))
        return
    if kind == ast.ASTType.ShowTerm:
        _show_term(node, path, out)
        return
    if kind != ast.ASTType.Rule:
        raise _refuse(node, path, f"a {kind.name} statement")
    head = node.head
    if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
        raise _refuse(node, path, "a rule whose head is not a plain atom (choice, disjunction or constraint)")
    names = _Variables()
    pred, args, shape = _head(head.atom.symbol, path, node, names)
    out.shapes.setdefault(pred, shape)
    body = _flat(_body_literal(lit, path, node, names) for lit in node.body)
    if not body:
        if any(isinstance(a, Var) for a in args):
            raise _refuse(node, path, "a fact with a variable")
        out.facts.append((pred, *args))
    else:
        out.rules.append(Rule((pred, args), body, _where(node, path)))


def _show_term(node: ast.AST, path: Path, out: Translation) -> None:
    """`#show f(X) : body.` becomes a rule deriving a predicate read back under the name f."""
    term = node.term
    if term.ast_type != ast.ASTType.Function:
        raise _refuse(node, path, "a #show of something other than an atom")
    names = _Variables()
    args = [_term(a, path, node, names) for a in term.arguments]
    pred = f"show__{term.name}__{len(args)}"
    out.shapes[pred] = (term.name, len(args), {})
    body = _flat(_body_literal(lit, path, node, names) for lit in node.body)
    out.rules.append(Rule((pred, args), body, _where(node, path)))
    out.shown.append((f"show__{term.name}", len(args)))


def _flat(literals: Iterable[Literal | None]) -> list[Literal]:
    """Body literals in order, without the ones that are always true."""
    return [literal for literal in literals if literal is not None]


class _Variables:
    """Fresh names for anonymous variables, one set per rule."""

    def __init__(self) -> None:
        self.counter = itertools.count(1)

    def rename(self, name: str) -> Var:
        return Var(f"Anon{next(self.counter)}" if name == "_" else name)


def _head(
    symbol: ast.AST, path: Path, node: ast.AST, names: _Variables
) -> tuple[str, list[Arg], tuple[str, int, dict[int, tuple[str, int]]]]:
    if symbol.ast_type != ast.ASTType.Function:
        raise _refuse(node, path, "a head that is not an atom")
    args: list[Arg] = []
    nested: dict[int, tuple[str, int]] = {}
    for i, arg in enumerate(symbol.arguments):
        if arg.ast_type == ast.ASTType.Function and arg.arguments:
            nested[i] = (arg.name, len(arg.arguments))
            args += [_term(a, path, node, names) for a in arg.arguments]
        else:
            args.append(_term(arg, path, node, names))
    arity = len(symbol.arguments)
    suffix = "".join(f"__{i}{f}{n}" for i, (f, n) in sorted(nested.items()))
    pred = f"{symbol.name}__{arity}{suffix}"
    return pred, args or [DUMMY], (symbol.name, arity, nested)


def _body_literal(literal: ast.AST, path: Path, node: ast.AST, names: _Variables) -> Literal | None:
    if literal.ast_type != ast.ASTType.Literal:
        raise _refuse(node, path, "a conditional literal")
    atom = literal.atom
    if atom.ast_type == ast.ASTType.BooleanConstant:
        if atom.value:
            return None
        raise _refuse(node, path, "#false in a body")
    if literal.sign == ast.Sign.DoubleNegation:
        raise _refuse(node, path, "double negation")
    if atom.ast_type == ast.ASTType.Comparison:
        if literal.sign != ast.Sign.NoSign or len(atom.guards) != 1:
            raise _refuse(node, path, "a negated or chained comparison")
        guard = atom.guards[0]
        return (
            "cmp",
            _OPERATORS[guard.comparison],
            [_term(atom.term, path, node, names), _term(guard.term, path, node, names)],
        )
    if atom.ast_type in (ast.ASTType.BodyAggregate, ast.ASTType.Aggregate):
        raise _refuse(node, path, "an aggregate")
    if atom.ast_type != ast.ASTType.SymbolicAtom or atom.symbol.ast_type != ast.ASTType.Function:
        raise _refuse(node, path, "a body atom that is not a plain predicate")
    symbol = atom.symbol
    args = [_term(a, path, node, names) for a in symbol.arguments] or [DUMMY]
    kind = "neg" if literal.sign == ast.Sign.Negation else "pos"
    return kind, f"{symbol.name}__{len(symbol.arguments)}", args


def _term(term: ast.AST, path: Path, node: ast.AST, names: _Variables) -> Arg:
    kind = term.ast_type
    if kind == ast.ASTType.Variable:
        return names.rename(term.name)
    if kind == ast.ASTType.SymbolicTerm:
        symbol = term.symbol
        if symbol.type == SymbolType.Number:
            return int(symbol.number)
        if symbol.type == SymbolType.String:
            return str(symbol.string)
        if symbol.type == SymbolType.Function and not symbol.arguments:
            return asptext.Constant(symbol.name)
    if kind == ast.ASTType.Function and not term.arguments:
        return asptext.Constant(term.name)
    if kind == ast.ASTType.UnaryOperation and term.operator_type == ast.UnaryOperator.Minus:
        number = _term(term.argument, path, node, names)
        if isinstance(number, int):
            return -number  # a negative number is written as a minus applied to it
    raise _refuse(node, path, f"the term {term} (function terms, tuples and arithmetic are not Datalog)")


def solve(files: list[Path], facts: list[Fact], clingo_choices: Iterable[tuple[Term, ...]] = ()) -> Atoms:
    """Atoms of the Datalog core computed by pyDatalog, in the shape engine.solve returns.

    `facts` are the input facts (name, *values); `clingo_choices` the `chosen` atoms clingo's
    optimisation produced, since choices are ASP and not translated."""
    from pyDatalog import pyDatalog, pyEngine

    program = translate(files)
    inputs: list[Fact] = [(f"{f[0]}__{len(f) - 1}", *_marked(f)) for f in facts]
    inputs += [("chosen__2", *c) for c in clingo_choices]
    defined = _defined(program, {f[0] for f in inputs} | {f[0] for f in program.facts})
    pyDatalog.clear()
    _assert_facts(pyEngine, itertools.chain(program.facts, inputs))
    for rule in program.runnable(defined):
        pyEngine.assert_(_clause(pyEngine, rule))
    atoms = Atoms(list)
    for pred, (name, arity, nested) in sorted(program.shapes.items()):
        if not is_shown(name, arity, pred, program.shown) or pred not in defined:
            continue
        atoms[name] += [asptext.row(name, row) for row in _ask(pyEngine, pred, arity, nested)]
    return atoms


def _assert_facts(engine: ModuleType, facts: Iterable[Fact]) -> None:
    """The facts, straight into pyDatalog's engine: pyDatalog.assert_fact parses each into a query
    first, ten times the work of storing it (and garbage for the collector)."""
    for fact in facts:
        engine.assert_(engine.Clause(engine.Literal(fact[0], _terms(engine, fact[1:] or (DUMMY,))), []))


def _held(value: Term) -> Term:
    """A value as pyDatalog holds it: a symbolic constant marked (CONSTANT), anything else as it is."""
    return CONSTANT + value if isinstance(value, asptext.Constant) else value


def _marked(fact: Fact) -> tuple[Term, ...]:
    """An input fact's values as pyDatalog holds them: its symbols marked as constants."""
    types = SCHEMA[fact[0]].types
    return tuple(CONSTANT + str(v) if t == "symbol" else v for t, v in zip(types, fact[1:], strict=True))


def _read(value: Term) -> Term:
    """A value pyDatalog derived as clingo gives it: a marked constant as a Constant."""
    return asptext.Constant(value[1:]) if isinstance(value, str) and value.startswith(CONSTANT) else value


def _defined(program: Translation, given: set[str]) -> set[str]:
    """Predicates that can hold at all: given facts, and heads of rules whose positive body
    predicates can (a fixpoint: a rule needing an undefined predicate never fires, as in clingo)."""
    defined = set(given)
    changed = True
    while changed:
        changed = False
        for rule in program.rules:
            if rule.head[0] not in defined and all(p in defined for k, p, _ in rule.body if k == "pos"):
                defined.add(rule.head[0])
                changed = True
    return defined


def is_shown(name: str, arity: int, pred: str, shown: list[tuple[str, int]]) -> bool:
    if pred.startswith("show__"):
        return True
    return (name, arity) in shown


def _ask(engine: ModuleType, pred: str, arity: int, nested: dict[int, tuple[str, int]]) -> list[tuple[Term, ...]]:
    """Every row of `pred`, asked of pyDatalog's engine itself (pyDatalog.ask parses a query's text)."""
    width = arity + sum(n - 1 for _, n in nested.values()) if arity else 1
    answer = engine.Literal(pred, [engine.Var(f"V{i}") for i in range(width)]).ask()
    return [nest(tuple(map(_read, flat)), arity, nested) for flat in answer or []]


def nest(flat: Sequence[Term], arity: int, nested: dict[int, tuple[str, int]]) -> tuple[Term, ...]:
    """A flattened row (a head's function terms spread into the predicate's arguments) as the atom's values."""
    row: list[Term] = []
    i = 0
    for position in range(arity):
        if position in nested:
            fname, n = nested[position]
            row.append((fname, *flat[i : i + n]))
            i += n
        else:
            row.append(flat[i])
            i += 1
    return tuple(row)
