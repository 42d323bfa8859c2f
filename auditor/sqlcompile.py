"""The Datalog core of the rule base compiled to SQL: a third target of the one rule base.

The rules are parsed once, by clingo's own parser (auditor/datalog.py: ASP-only files skipped, what
Datalog cannot run refused with its file and line), and each rule becomes a SELECT:

    carries(C, L, T) :- cone(C), edge(C, P, R), carries(P, L, T), crosses(L, T, R).
    SELECT t0.c0, t2.c1, t2.c2 FROM cone__1 t0 JOIN edge__3 t1 ON t1.c0 = t0.c0
    JOIN carries__3 t2 ON t2.c0 = t1.c1 JOIN crosses__3 t3 ON t3.c0 = t2.c1 AND t3.c1 = t2.c2 AND t3.c2 = t1.c2

Shared variables join, in an order that ties each table to one before it (in a recursion's round, a
literal over one variable others bind is an EXISTS), `not` is NOT EXISTS, comparisons and constants
go in WHERE, and a head's function term is spread into columns as datalog.py names it. Each predicate is a table of
distinct rows; the predicates are evaluated one strongly connected component of the dependency
graph at a time (negation only on earlier components: stratified), a recursive component by
semi-naive iteration until a round adds no row: one WITH RECURSIVE statement where the engine has
it and each rule reads the component once, else rounds of plain statements. Predicates every reader
guards are first restricted to what the guards demand (auditor/sqldemand.py).

Each column holds the kinds of value the schema and the rules put there (a fixpoint over the
rules, auditor/sqlterms.py), typed or tagged as that module says. Only the Dialect differs between the engines
that run the statements (CREATE TABLE, CREATE TABLE AS, INSERT, NOT EXISTS, ALTER TABLE RENAME).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from auditor import datalog, sqldemand, sqlterms
from auditor.datalog import Arg, Rule, Var
from auditor.predicates import Term
from auditor.sqlterms import ANY, DUCKDB, INT, Dialect, encode, kind, representation

ASKED = "asked__assets"  # the ids of the assets a read is narrowed to (Program.read), in its column c0
_OPERATORS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class CompileError(datalog.TranslationError):
    """A rule the SQL translation cannot run faithfully (named by file and line)."""


@dataclass(frozen=True)
class Fixpoint:
    """A recursive component: run `start` once, then `step` while `size` counts new rows, then `end`."""

    start: tuple[str, ...]
    step: tuple[str, ...]
    size: str
    end: tuple[str, ...]


@dataclass
class Program:
    """The compiled rule base: tables (predicate -> column representations), the rule files' facts,
    the statements in evaluation order, and the predicates read back with their atoms' shape.
    Beside each step, the tables it writes and, for each rule that can start it, the tables its
    positive literals read: a step none of whose rules has all of them filled derives nothing."""

    dialect: Dialect
    tables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    facts: list[datalog.Fact] = field(default_factory=list)
    steps: list[str | Fixpoint] = field(default_factory=list)
    writes: list[tuple[str, ...]] = field(default_factory=list)
    reads: list[tuple[frozenset[str], ...]] = field(default_factory=list)
    uses: list[frozenset[str]] = field(default_factory=list)  # each step's tables read, negated ones too
    shown: dict[str, tuple[str, int, dict[int, tuple[str, int]]]] = field(default_factory=dict)

    def create(self) -> list[str]:
        """A CREATE TABLE for every predicate."""
        types = self.dialect.column_type
        return [
            f"CREATE TABLE {_table(pred)} ({', '.join(f'c{i} {types(r)}' for i, r in enumerate(reps))})"
            for pred, reps in sorted(self.tables.items())
        ]

    def narrowed(self, names: Collection[str]) -> Program:
        """The program deriving only the shown predicates named `names` and what they depend on:
        the steps that write none of those tables are left out (a lake reads a few predicates;
        the licenses every asset may be released under, a row per asset and license, it does not)."""
        needed = {_table(pred) for pred, (name, _, _) in self.shown.items() if name in names}
        kept = []
        for i in reversed(range(len(self.steps))):
            if needed.intersection(self.writes[i]):
                kept.append(i)
                needed |= self.uses[i]
        kept.reverse()
        return dataclasses.replace(
            self,
            steps=[self.steps[i] for i in kept],
            writes=[self.writes[i] for i in kept],
            reads=[self.reads[i] for i in kept],
            uses=[self.uses[i] for i in kept],
        )

    def read(self, pred: str, among: int | None = None) -> str:
        """The query reading a predicate back, in a fixed order (of the rows whose column `among`
        holds an id of the table ASKED's column c0, if given)."""
        order = ", ".join(str(i + 1) for i in range(len(self.tables[pred])))
        where = "" if among is None else f" WHERE c{among} IN (SELECT c0 FROM {ASKED})"
        return f"SELECT * FROM {_table(pred)}{where} ORDER BY {order}"


def compile_files(files: list[Path], dialect: Dialect = DUCKDB) -> Program:
    """The Datalog files of the rule base (ASP-only files are skipped) as a SQL program."""
    translation = datalog.translate(files)
    translation = dataclasses.replace(translation, rules=sqldemand.restrict(translation))
    _check_bodies(translation)
    program = Program(dialect, facts=list(translation.facts))
    kinds = sqlterms.column_kinds(translation)
    program.tables = {pred: tuple(map(representation, column)) for pred, column in kinds.items()}
    for component in _components(translation.rules):
        program.steps.append(_stratum(component, translation.rules, program))
        program.writes.append(tuple(map(_table, component)))
        program.reads.append(_reads(component, translation.rules))
        program.uses.append(_uses(component, translation.rules))
    program.shown = {
        pred: shape
        for pred, shape in translation.shapes.items()
        if datalog.is_shown(*shape[:2], pred, translation.shown)
    }
    return program


def _table(pred: str) -> str:
    return pred.replace("'", "_q_")  # clingo names may hold primes; nothing else needs quoting


def _check_bodies(translation: datalog.Translation) -> None:
    """A body atom over a predicate whose heads hold function terms cannot see them (they are spread
    into differently named tables): refused rather than read as empty."""
    spread = {f"{name}__{arity}" for name, arity, nested in translation.shapes.values() if nested}
    for rule in translation.rules:
        for kind_, pred, _ in rule.body:
            if kind_ != "cmp" and pred in spread:
                raise CompileError(
                    f"{rule.where}: cannot compile to SQL a body atom over {pred}, whose rules derive function terms"
                )


# -- strata: the predicates' strongly connected components, dependencies first


def _components(rules: list[Rule]) -> list[list[str]]:
    """Tarjan's algorithm over head -> body predicates; it emits a component after those it depends on."""
    graph: dict[str, list[str]] = {}
    for rule in rules:
        graph.setdefault(rule.head[0], []).extend(pred for kind_, pred, _ in rule.body if kind_ != "cmp")
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(pred: str) -> None:
        index[pred] = low[pred] = len(index)
        stack.append(pred)
        for nxt in graph.get(pred, ()):
            if nxt not in graph:
                continue  # no rule derives it: a table of given facts
            if nxt not in index:
                visit(nxt)
                low[pred] = min(low[pred], low[nxt])
            elif nxt in stack:
                low[pred] = min(low[pred], index[nxt])
        if low[pred] == index[pred]:
            component: list[str] = []
            while not component or component[-1] != pred:
                component.append(stack.pop())
            found.append(sorted(component))

    for pred in sorted(graph):
        if pred not in index:
            visit(pred)
    return found


def _stratum(component: list[str], rules: list[Rule], program: Program) -> str | Fixpoint:
    members = set(component)
    own = [rule for rule in rules if rule.head[0] in members]
    recursive = [(rule, i) for rule in own for i, lit in enumerate(rule.body) if lit[1] in members and lit[0] != "cmp"]
    for rule, i in recursive:
        if rule.body[i][0] == "neg":
            raise CompileError(f"{rule.where}: cannot compile to SQL a negation inside a recursion ({rule.body[i][1]})")
    if not recursive:
        (pred,) = component
        selects = [_select(rule, program) for rule in own]
        return f"INSERT INTO {_table(pred)} {_new(pred, selects, program)}"
    linear = len({id(rule) for rule, _ in recursive}) == len(recursive)
    if program.dialect.recursive_cte and len(component) == 1 and linear:
        return _recursive_cte(component[0], own, recursive, program)
    return _fixpoint(component, own, recursive, program)


def _recursive_cte(pred: str, own: list[Rule], recursive: list[tuple[Rule, int]], program: Program) -> str:
    """A predicate whose rules each read it once, as one WITH RECURSIVE statement: the engine's own
    semi-naive loop, each round joining the rows the previous round added (`__delta`, the working
    table) and keeping a row only the first time (UNION)."""
    table, columns = _table(pred), ", ".join(f"c{i}" for i in range(len(program.tables[pred])))
    again = {id(rule) for rule, _ in recursive}
    start = [f"SELECT * FROM {table}"] + [_select(rule, program) for rule in own if id(rule) not in again]
    step = " UNION ALL ".join(_select(rule, program, i) for rule, i in recursive)
    cte = f"WITH RECURSIVE {table}__delta({columns}) AS (SELECT * FROM ({' UNION '.join(start)}) s "
    cte += f"UNION SELECT * FROM ({step}) r) SELECT * FROM {table}__delta"
    return f"INSERT INTO {table} {_absent(pred, f'SELECT * FROM ({cte}) n', program)}"  # UNION: rows distinct


def _reads(component: list[str], rules: list[Rule]) -> tuple[frozenset[str], ...]:
    """For each rule of the component that reads none of it, the tables of its positive literals;
    a recursive component also starts from its own tables (the facts they may hold)."""
    own = [rule for rule in rules if rule.head[0] in component]
    positive = [frozenset(_table(pred) for kind_, pred, _ in rule.body if kind_ == "pos") for rule in own]
    starts = tuple(tables for tables in positive if not tables & set(map(_table, component)))
    recursive = len(starts) < len(positive) or len(component) > 1
    return starts + tuple(frozenset({_table(pred)}) for pred in component if recursive)


def _uses(component: list[str], rules: list[Rule]) -> frozenset[str]:
    """Every table the component's rules read, positively or under `not`."""
    return frozenset(
        _table(pred) for rule in rules if rule.head[0] in component for kind_, pred, _ in rule.body if kind_ != "cmp"
    )


def _new(pred: str, selects: list[str], program: Program) -> str:
    """The rows the selects derive that the predicate's table does not hold yet, each once."""
    if not selects:
        return f"SELECT * FROM {_table(pred)} WHERE 1 = 0"
    return _absent(pred, f"SELECT DISTINCT * FROM ({' UNION ALL '.join(selects)}) n", program)


def _absent(pred: str, query: str, program: Program) -> str:
    """The query's rows that the predicate's table does not hold, as an anti-join: not `EXCEPT`,
    which makes its rows distinct again (DuckDB: twice), each time over millions in a lake. Plain
    equality is `EXCEPT`'s match here: a value is a clingo term, never NULL."""
    same = " AND ".join(f"o.c{i} = n.c{i}" for i in range(len(program.tables[pred])))
    return f"{query} WHERE NOT EXISTS (SELECT 1 FROM {_table(pred)} o WHERE {same})"


def _fixpoint(component: list[str], own: list[Rule], recursive: list[tuple[Rule, int]], program: Program) -> Fixpoint:
    """Semi-naive evaluation: after a first round over the full tables, each round joins one
    recursive literal with the rows the previous round added (`__delta`), the rest with the full tables."""

    def round_(selects: dict[str, list[str]]) -> tuple[str, ...]:
        statements = []
        for pred in component:
            statements += [f"DROP TABLE IF EXISTS {_table(pred)}__new"]
            statements += [f"CREATE TABLE {_table(pred)}__new AS {_new(pred, selects[pred], program)}"]
        for pred in component:
            statements += [f"INSERT INTO {_table(pred)} SELECT * FROM {_table(pred)}__new"]
            statements += [f"DROP TABLE IF EXISTS {_table(pred)}__delta"]
            statements += [f"ALTER TABLE {_table(pred)}__new RENAME TO {_table(pred)}__delta"]
        return tuple(statements)

    first = {pred: [_select(rule, program) for rule in own if rule.head[0] == pred] for pred in component}
    delta: dict[str, list[str]] = {pred: [] for pred in component}
    for rule, i in recursive:
        delta[rule.head[0]].append(_select(rule, program, i))
    size = " + ".join(f"(SELECT count(*) FROM {_table(pred)}__delta)" for pred in component)
    end = tuple(f"DROP TABLE {_table(pred)}__delta" for pred in component)
    return Fixpoint(round_(first), round_(delta), f"SELECT {size}", end)


# -- one rule as a SELECT


@dataclass
class _Side:
    """A value in a rule's SQL: an expression and how it holds the value (a constant keeps its value)."""

    sql: str
    rep: str
    value: Term | None = None


class _RuleSQL:
    """The SQL of one rule: the bound variables, FROM and WHERE."""

    def __init__(self, rule: Rule, program: Program) -> None:
        self.rule, self.program, self.dialect = rule, program, program.dialect
        self.bound: dict[Var, _Side] = {}
        self.where: list[str] = []

    def refuse(self, what: str) -> CompileError:
        return CompileError(f"{self.rule.where}: cannot compile to SQL {what}")

    def side(self, arg: Arg, local: dict[Var, _Side] | None = None) -> _Side:
        if isinstance(arg, Var):
            found = self.bound.get(arg) or (local or {}).get(arg)
            if found is None:
                raise self.refuse(f"the unsafe variable {arg} (no positive literal binds it)")
            return found
        rep = kind(arg)
        text = str(arg) if rep == INT else self.dialect.string(str(arg))
        return _Side(text, rep, arg)

    def tagged(self, side: _Side) -> str:
        """The side as a tagged text, comparable with any column."""
        if side.value is not None:
            return self.dialect.string(str(encode(side.value, ANY)))
        return self.dialect.tagged(side.sql, side.rep)

    def compare(self, left: _Side, op: str, right: _Side) -> str:
        if left.rep == right.rep:
            return f"{left.sql} {_OPERATORS[op]} {right.sql}"
        return f"{self.tagged(left)} {_OPERATORS[op]} {self.tagged(right)}"

    def as_column(self, side: _Side, rep: str) -> str:
        """The side converted to a column's representation (a tagged value decoded where needed)."""
        if side.rep == rep:
            return side.sql
        if rep == ANY:
            return self.tagged(side)
        if side.rep != ANY:  # the column kinds (sqlterms.column_kinds) admit every value a rule puts there
            raise self.refuse(f"a {side.rep} value in a {rep} column")
        return self.dialect.untagged(side.sql, rep)

    def match(self, alias: str, pred: str, args: list[Arg], local: dict[Var, _Side]) -> list[str]:
        """Conditions tying a literal's columns to its arguments; its unbound variables bind in `local`."""
        conditions = []
        for i, (arg, rep) in enumerate(zip(args, self.program.tables[pred], strict=True)):
            column = _Side(f"{alias}.c{i}", rep)
            if isinstance(arg, Var) and arg not in self.bound and arg not in local:
                local[arg] = column
            else:
                conditions.append(self.compare(column, "==", self.side(arg, local)))
        return conditions


def _select(rule: Rule, program: Program, delta: int | None = None) -> str:
    """The rule as a SELECT of its head's columns; body literal `delta` reads the previous round's rows."""
    sql = _RuleSQL(rule, program)
    joined, checks = _join_order(rule, delta)
    tables = ""
    for i in joined:
        _, pred, args = rule.body[i]
        table, ties = f"{_table(pred)}{'__delta' if i == delta else ''} t{i}", sql.match(f"t{i}", pred, args, sql.bound)
        if not tables:
            tables, sql.where = table, sql.where + ties
        else:
            tables += f" JOIN {table} ON {' AND '.join(ties)}" if ties else f" CROSS JOIN {table}"
    for variable, value in sqlterms.bindings(rule, set(sql.bound)):
        sql.bound[variable] = sql.side(value)
    for i, (kind_, op, args) in enumerate(rule.body):
        if kind_ == "cmp":
            sql.where.append(sql.compare(sql.side(args[0]), op, sql.side(args[1])))
        elif kind_ == "neg" or i in checks:
            sql.where.append(_exists(sql, f"n{i}", op, args, kind_ == "pos"))
    reps = program.tables[rule.head[0]]
    columns = [
        f"{sql.as_column(sql.side(arg), rep)} AS c{i}"
        for i, (arg, rep) in enumerate(zip(rule.head[1], reps, strict=True))
    ]
    text = f"SELECT {', '.join(columns)}"
    text += f" FROM {tables}" if tables else ""
    return text + (f" WHERE {' AND '.join(sql.where)}" if sql.where else "")


def _join_order(rule: Rule, delta: int | None) -> tuple[list[int], set[int]]:
    """The positive literals to join, each tied to one before it where one can be, and, in a round
    over a recursion's new rows, the literals over at most one variable the joined ones bind (cone(C),
    a 0-ary fact), tested with EXISTS: a planner blind to those rows' count would rather cross them
    with a small table (at 1M assets, 890k carried terms times the 128 assets of a cone)."""
    positive = [i for i, lit in enumerate(rule.body) if lit[0] == "pos"]
    variables = {i: {a for a in rule.body[i][2] if isinstance(a, Var)} for i in positive}
    checks: set[int] = set()
    for i in positive:
        others = set().union(*(variables[j] for j in positive if j not in checks and j != i))
        if (
            delta not in (None, i)
            and len(positive) - len(checks) > 1
            and len(variables[i]) <= 1
            and variables[i] <= others
        ):
            checks.add(i)
    left = [i for i in positive if i not in checks]
    joined = [delta if delta in left else left[0]] if left else []
    while len(joined) < len(left):
        bound = set().union(*(variables[j] for j in joined))
        rest = [i for i in left if i not in joined]
        joined.append(next((i for i in rest if variables[i] & bound), rest[0]))
    return joined, checks


def _exists(sql: _RuleSQL, alias: str, pred: str, args: list[Arg], present: bool) -> str:
    conditions = sql.match(alias, pred, args, {})
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"{'' if present else 'NOT '}EXISTS (SELECT 1 FROM {_table(pred)} {alias}{where})"


def statements(program: Program) -> Iterator[str]:
    """Every statement of the program in order, a Fixpoint's as a template (for reading and tests)."""
    for step in program.steps:
        yield from [step] if isinstance(step, str) else itertools.chain(step.start, step.step, [step.size], step.end)
