"""DuckDB runs the Datalog core of the rule base, compiled to SQL (auditor/sqlcompile.py).

The facts are loaded into one table per predicate, a column array at a time (never a statement
per fact); the compiled statements run in order, a recursive component's until a round adds no
row, and a step whose rules all read an empty table is skipped; the shown predicates read back as
the atoms clingo gives. Choices are ASP: clingo's `chosen`
atoms come in as facts, as for pyDatalog.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

import numpy

from auditor import asptext, datalog, duck, schema, sqlcompile, sqlterms
from auditor.engine import Term
from auditor.predicates import ROWS, Atoms

Rows = dict[str, list[tuple[Term, ...]]]  # predicate (table) -> facts, each its name and values
# DuckDB's share of the machine's memory while the rules run; its tables spill to a private folder
# beyond it. Its default (80 %) let one block of the 1M-asset lake take 2.4 GB more for a moment, so
# it was capped at 1 GB (the run's peak 8.28 GB, not 9.36 GB); but a block grows with the assets an
# undescribed upstream gathers (every asset that names it), and the rules' recursion over 80,000 of
# them needs more than 1 GB, 200,000 more than 2 GB: a cap that small makes such a lake fail.
MEMORY_SHARE = 0.5
_VALUES: dict[str, Callable[[Any], Term]] = {
    "asset": int,
    "int": int,
    "symbol": asptext.Constant,
    "string": str,
    "term": str,  # asptext writes a `term` argument as a string
}


def solve(
    files: list[Path],
    facts: Iterable[datalog.Fact],
    clingo_choices: Iterable[tuple[Term, ...]] = (),
    only: Collection[str] | None = None,
    about: Collection[int] | None = None,
) -> Atoms:
    """Atoms of the Datalog core computed by DuckDB, in the shape engine.solve returns (those of
    the predicates named in `only`, if given; of those about the assets `about`, if given)."""
    program = compiled(files)
    connection = duck.connect(memory_limit=memory())  # spills in a folder of its own, never the audited one
    try:
        load(connection, program, facts, clingo_choices)
        run(connection, program if only is None else program.narrowed(only))
        if about is not None:
            connection.register(sqlcompile.ASKED, {"c0": numpy.fromiter(about, numpy.int64, len(about))})
        return read(connection, program, only, about is not None)
    finally:
        connection.close()


def memory() -> str:
    """DuckDB's memory limit for the rules: MEMORY_SHARE of the machine's physical memory, in MB."""
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{int(physical * MEMORY_SHARE) // 2**20}MB"


def compiled(files: list[Path]) -> sqlcompile.Program:
    return _compiled(tuple((path, path.stat().st_mtime_ns) for path in files))


@functools.lru_cache(maxsize=4)
def _compiled(files: tuple[tuple[Path, int], ...]) -> sqlcompile.Program:
    """The rule files (each with its modification time, so an edited file is compiled again) as SQL."""
    return sqlcompile.compile_files([path for path, _ in files], sqlterms.DUCKDB)


def _rows(program: sqlcompile.Program, facts: Iterable[datalog.Fact], choices: Iterable[tuple[Term, ...]]) -> Rows:
    """The facts for every table, each with its predicate's name first: the input facts (grouped
    without a string built per fact), the rule files' facts, clingo's choices."""
    grouped: dict[tuple[Term, int], list[tuple[Term, ...]]] = defaultdict(list)
    for fact in facts:
        grouped[fact[0], len(fact)].append(fact)
    rows: Rows = defaultdict(list)
    for (name, width), group in grouped.items():
        rows[f"{name}__{width - 1}"] += group
    for fact in program.facts:
        rows[fact[0]].append(fact)
    rows["chosen__2"] += [("chosen", *choice) for choice in choices]
    return rows


Sink = Callable[[str, dict[str, Any]], None]  # an engine's way to take a table's facts, a column array each


def load(
    connection: Any, program: sqlcompile.Program, facts: Iterable[datalog.Fact], choices: Iterable[tuple[Term, ...]]
) -> None:
    """The program's tables, holding the facts (and clingo's choices), a column array at a time."""
    connection.execute(";\n".join(program.create()))

    def insert(pred: str, given: dict[str, Any]) -> None:
        connection.register("given", given)
        connection.execute(f"INSERT INTO {pred} SELECT DISTINCT * FROM given")
        connection.unregister("given")

    fill(program, facts, choices, insert)


def fill(
    program: sqlcompile.Program, facts: Iterable[datalog.Fact], choices: Iterable[tuple[Term, ...]], sink: Sink
) -> None:
    """Each table's facts (the input, the rule files', clingo's choices) as columns c0, c1, ... of the
    table's representations, handed to `sink` a table at a time: one loader for every SQL engine.
    The columns may repeat a row; tables a rule reads and that have facts only."""
    for pred, values in _rows(program, facts, choices).items():
        if not values or pred not in program.tables:
            continue  # no rule reads it
        name = pred.rpartition("__")[0]
        types = schema.SCHEMA[name].types if name in schema.SCHEMA else ()
        arrays = list(zip(*values, strict=True))[1:] or [(0,) * len(values)]  # 0-ary: the dummy argument
        columns = enumerate(zip(program.tables[pred], arrays, strict=True))
        sink(pred, {f"c{i}": _column(rep, column, types[i] if types else "") for i, (rep, column) in columns})


def _column(rep: str, values: tuple[Term, ...], given_type: str) -> Any:
    """One column of facts as an array (DuckDB reads it without a copy per row): the values as the
    schema's type reads them (a symbol is a constant, a `term` a string), as `rep` holds them."""
    if rep == sqlterms.INT:
        return numpy.fromiter(values, numpy.int64, len(values))
    if rep != sqlterms.ANY:
        return numpy.array([str(v) for v in values], dtype=object)
    read = _VALUES.get(given_type)
    return numpy.array([sqlterms.encode(read(v) if read else v, rep) for v in values], dtype=object)


def run(connection: Any, program: sqlcompile.Program) -> None:
    """The program's statements in order; a recursive component's rounds until one adds no row. A
    step whose rules all read an empty table is skipped: most rules of a rule base fire on few inputs."""
    filled = _filled(connection, program.tables)
    for step, writes, reads in zip(program.steps, program.writes, program.reads, strict=True):
        if not any(tables <= filled for tables in reads):
            continue
        if isinstance(step, str):
            added = connection.execute(step).fetchone()[0]
            filled |= set(writes) if added else set()
            continue
        for statement in step.start:
            connection.execute(statement)
        while connection.execute(step.size).fetchone()[0]:
            for statement in step.step:
                connection.execute(statement)
        for statement in step.end:
            connection.execute(statement)
        filled |= _filled(connection, writes)


def _filled(connection: Any, tables: Iterable[str]) -> set[str]:
    """The tables holding at least one row, in one query."""
    query = " UNION ALL ".join(f"(SELECT '{table}' FROM {table} LIMIT 1)" for table in sorted(tables))
    return {name for (name,) in connection.execute(query).fetchall()}


def read(
    connection: Any, program: sqlcompile.Program, only: Collection[str] | None = None, among: bool = False
) -> Atoms:
    """The shown predicates (those named in `only`, if given: a lake reads a few of them; `among`:
    their atoms about the assets of the table sqlcompile.ASKED), as the atoms clingo gives,
    decoded a column at a time: a lake reads back millions of values."""
    atoms = Atoms(list)
    for pred, (name, arity, nested) in sorted(program.shown.items()):
        if only is not None and name not in only:
            continue
        table = connection.execute(program.read(pred, asset_column(program, pred) if among else None)).fetchnumpy()
        columns = [_decoded(a.tolist(), rep) for a, rep in zip(table.values(), program.tables[pred], strict=True)]
        if not columns[0]:
            continue
        rows = zip(*_nested(columns, arity, nested), strict=True) if arity else itertools.repeat((), len(columns[0]))
        make = ROWS.get(name)
        atoms[name] += map(make, rows) if make else rows
    return atoms


def asset_column(program: sqlcompile.Program, pred: str) -> int | None:
    """The column of a shown predicate's table holding its first asset argument (None: it has none)."""
    name, _, nested = program.shown[pred]
    position = schema.SCHEMA[name].asset_argument if name in schema.SCHEMA else None
    if position is None:
        return None
    column = sum(nested.get(i, ("", 1))[1] for i in range(position))
    if position in nested or program.tables[pred][column] != sqlterms.INT:
        raise ValueError(f"{pred}: its asset argument is not a column of ids")
    return column


def _decoded(column: list[Term], rep: str) -> list[Term]:
    """A column's values as clingo's terms: each distinct value decoded once (a constant made once,
    not once a row: a lake's columns repeat a few rule ids and licenses a million times)."""
    if rep in (sqlterms.INT, sqlterms.STR):
        return column
    terms = {value: sqlterms.decode(value, rep) for value in set(column)}
    return list(map(terms.__getitem__, column))


def _nested(columns: list[list[Term]], arity: int, nested: dict[int, tuple[str, int]]) -> list[Iterable[Term]]:
    """The flattened columns as the atom's arguments: a head's function term from its columns."""
    values: list[Iterable[Term]] = []
    i = 0
    for position in range(arity):
        fname, n = nested.get(position, ("", 1))
        values.append(zip(itertools.repeat(fname), *columns[i : i + n]) if position in nested else columns[i])
        i += n
    return values
