"""DuckDB runs the Datalog core of the rule base, compiled to SQL (auditor/sqlcompile.py).

The facts are loaded into one table per predicate, a column array at a time (never a statement
per fact); the compiled statements run in order, a recursive component's until a round adds no
row; the shown predicates read back as the atoms clingo gives. Choices are ASP: clingo's `chosen`
atoms come in as facts, as for pyDatalog.
"""

from __future__ import annotations

import functools
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy

from auditor import asptext, datalog, schema, sqlcompile, sqlterms
from auditor.engine import Term
from auditor.predicates import Atoms

Rows = dict[str, list[tuple[Term, ...]]]  # predicate (table) -> facts, each its name and values
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

    program = compiled(files)
    with tempfile.TemporaryDirectory(prefix="mlaudit-duckdb-") as spill:  # never the audited folder
        connection = duckdb.connect(":memory:", config={"temp_directory": spill})
        try:
            load(connection, program, facts, clingo_choices)
            run(connection, program)
            return read(connection, program)
        finally:
            connection.close()


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


def read(connection: Any, program: sqlcompile.Program) -> Atoms:
    """The shown predicates, as the atoms clingo gives."""
    atoms = Atoms(list)
    for pred, (name, arity, nested) in sorted(program.shown.items()):
        reps = program.tables[pred]
        for flat in connection.execute(program.read(pred)).fetchall():
            values = [sqlterms.decode(v, rep) for v, rep in zip(flat, reps, strict=True)]
            atoms[name].append(asptext.row(name, datalog.nest(values, arity, nested)))
    return atoms
