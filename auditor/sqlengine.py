"""DuckDB runs the Datalog core of the rule base, compiled to SQL (auditor/sqlcompile.py).

The facts are loaded into one table per predicate, a column array at a time (never a statement
per fact); the compiled statements run in order, a recursive component's until a round adds no
row; the shown predicates read back as the atoms clingo gives. Choices are ASP: clingo's `chosen`
atoms come in as facts, as for pyDatalog.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy

from auditor import asptext, datalog, schema, sqlcompile, sqlterms
from auditor.engine import Term
from auditor.predicates import Atoms

Rows = dict[str, list[tuple[Term, ...]]]  # predicate (table) -> rows of values
_VALUES: dict[str, Callable[[Any], Term]] = {
    "asset": int,
    "int": int,
    "symbol": asptext.Constant,
    "string": str,
    "term": str,  # asptext writes a `term` argument as a string
}


def solve(files: list[Path], facts: Iterable[datalog.Fact], clingo_choices: Iterable[tuple[Term, ...]] = ()) -> Atoms:
    """Atoms of the Datalog core computed by DuckDB, in the shape engine.solve returns."""
    import duckdb  # imported when asked for: most audits never use it

    program = _compiled(tuple((path, path.stat().st_mtime_ns) for path in files))
    connection = duckdb.connect(":memory:")
    try:
        for statement in program.create():
            connection.execute(statement)
        _load(connection, program, _rows(program, facts, clingo_choices))
        run(connection, program)
        return _read(connection, program)
    finally:
        connection.close()


@functools.lru_cache(maxsize=4)
def _compiled(files: tuple[tuple[Path, int], ...]) -> sqlcompile.Program:
    """The rule files (each with its modification time, so an edited file is compiled again) as SQL."""
    return sqlcompile.compile_files([path for path, _ in files], sqlterms.DUCKDB)


def _rows(program: sqlcompile.Program, facts: Iterable[datalog.Fact], choices: Iterable[tuple[Term, ...]]) -> Rows:
    """The rows of every table the program has: the rule files' facts, the input facts (as the
    schema types them), clingo's choices."""
    rows: Rows = defaultdict(list)
    for fact in program.facts:
        rows[fact[0]].append(fact[1:])
    converters: dict[str, list[Callable[[Any], Term]]] = {}
    for fact in facts:
        name = str(fact[0])
        pred = f"{name}__{len(fact) - 1}"
        if pred not in program.tables:
            continue  # no rule reads it
        if pred not in converters:
            converters[pred] = [_VALUES.get(t, _as_is) for t in schema.SCHEMA[name].types]
        rows[pred].append(tuple(convert(v) for convert, v in zip(converters[pred], fact[1:], strict=True)) or (0,))
    rows["chosen__2"] += [tuple(choice) for choice in choices]
    return rows


def _as_is(value: Term) -> Term:
    return value


def _load(connection: Any, program: sqlcompile.Program, rows: Rows) -> None:
    for pred, values in rows.items():
        if not values:
            continue
        reps = program.tables[pred]
        columns = {}
        for i, (rep, column) in enumerate(zip(reps, zip(*values, strict=True), strict=True)):
            encoded = [sqlterms.encode(v, rep) for v in column]
            columns[f"c{i}"] = numpy.array(encoded, dtype=numpy.int64 if rep == sqlterms.INT else object)
        connection.register("given", columns)
        connection.execute(f"INSERT INTO {pred} SELECT DISTINCT * FROM given")
        connection.unregister("given")


def run(connection: Any, program: sqlcompile.Program) -> None:
    """The program's statements in order; a recursive component's rounds until one adds no row."""
    for step in program.steps:
        if isinstance(step, str):
            connection.execute(step)
            continue
        for statement in step.start:
            connection.execute(statement)
        while connection.execute(step.size).fetchone()[0]:
            for statement in step.step:
                connection.execute(statement)
        for statement in step.end:
            connection.execute(statement)


def _read(connection: Any, program: sqlcompile.Program) -> Atoms:
    atoms = Atoms(list)
    for pred, (name, arity, nested) in sorted(program.shown.items()):
        reps = program.tables[pred]
        for flat in connection.execute(program.read(pred)).fetchall():
            values = [sqlterms.decode(v, rep) for v, rep in zip(flat, reps, strict=True)]
            atoms[name].append(asptext.row(name, datalog.nest(values, arity, nested)))
    return atoms
