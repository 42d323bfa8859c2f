"""Reason: the rules over the facts, on clingo, pyDatalog, DuckDB, Spark, or clingo and pyDatalog both.

With both, pyDatalog checks clingo: every predicate in COMPARED must come out the same, and each
difference becomes an INP004 finding (auditor/disagreements.py). License choices are ASP, so
pyDatalog, DuckDB and Spark (the Datalog core compiled to SQL) take clingo's choices as input facts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import NamedTuple

from auditor import asptext, engine
from auditor.facts import FactBase
from auditor.interpretation import Row
from auditor.predicates import Atoms
from auditor.schema import SCHEMA
from auditor.vocabulary import ENGINE_NAMES

# The module of each engine besides clingo, imported when chosen: pyDatalog, numpy with DuckDB, and
# Spark are not loaded by an audit on clingo (most audits; they cost more than a small audit itself).
_DATALOG = {
    "pydatalog": "auditor.datalog",
    "both": "auditor.datalog",
    "duckdb": "auditor.sqlengine",
    "spark": "auditor.sparkengine",
}
COMPARED = (
    "finding",
    "because",
    "use_category",
    "outbound",
    "outbound_requirement",
    "carries",
    "via",
    "newest_via",
    "obligation_status",
    "status_basis",
    "untriggered",
)


class Difference(NamedTuple):
    predicate: str
    only_clingo: list[Row]
    only_pydatalog: list[Row]


@dataclass(frozen=True)
class Reasoning:
    """The atoms the rules derive, the engines that derived them, and where two engines differ."""

    atoms: Atoms
    engines: tuple[str, ...]
    differences: tuple[Difference, ...] = ()


def reason(
    which: str,
    files: list[Path],
    fb: FactBase,
    only: Collection[str] | None = None,
    about: Collection[int] | None = None,
) -> Reasoning:
    """The atoms on clingo, pyDatalog, DuckDB or both (`which`); with both, clingo's atoms and every
    predicate on which clingo and pyDatalog differ. `only`: the predicates the caller reads, which
    spares DuckDB and Spark reading the others back (a lake reads a few of millions of atoms);
    `about` (asset ids, with `only`): of those, the atoms about these assets (their first asset
    argument), which DuckDB and Spark select as they read (an impact reads a part of its run's)."""
    about = None if only is None else about
    choices = any(fact[0] == "alternative" for fact in fb.facts)
    with_clingo = "clingo" in ENGINE_NAMES[which] or choices
    clingo_atoms = engine.solve(files, fb.program(), choices) if with_clingo else Atoms(list)
    if which == "clingo":
        return Reasoning(narrowed(clingo_atoms, only, about), ENGINE_NAMES[which])
    chosen = clingo_atoms.get("chosen", [])
    solve = import_module(_DATALOG[which]).solve
    asked = (only, about) if which in ("duckdb", "spark") else ()  # SQL engines read back only those asked for
    datalog_atoms: Atoms = solve(files, list(fb.facts), chosen, *asked)
    datalog_atoms["chosen"] = chosen
    if which != "both":
        return Reasoning(datalog_atoms if asked else narrowed(datalog_atoms, only, about), ENGINE_NAMES[which])
    found = differences(clingo_atoms, datalog_atoms)
    return Reasoning(narrowed(clingo_atoms, only, about), ENGINE_NAMES[which], found)


def narrowed(atoms: Atoms, only: Collection[str] | None, about: Collection[int] | None) -> Atoms:
    """The atoms, those of the predicates `only` names kept about the assets `about` alone (their
    first asset argument): all, if either is not given. Narrows `atoms` in place."""
    if about is None or only is None:  # `about` narrows the predicates `only` names
        return atoms
    ids = frozenset(about)
    for name in only:
        position = SCHEMA[name].asset_argument if name in SCHEMA else None
        if position is not None and name in atoms:
            atoms[name] = [row for row in atoms[name] if row[position] in ids]
    return atoms


def differences(a: Atoms, b: Atoms) -> tuple[Difference, ...]:
    found = []
    for name in COMPARED:
        left, right = _exact(a.get(name, [])), _exact(b.get(name, []))
        if left.keys() != right.keys():
            only_a = [left[k] for k in sorted(left.keys() - right.keys())]
            found.append(Difference(name, only_a, [right[k] for k in sorted(right.keys() - left.keys())]))
    return tuple(found)


def _exact(rows: list[Row]) -> dict[str, Row]:
    """Rows by their ASP text, which tells the constant `commercial` from the string "commercial"
    (equal as Python strings): an engine that confused them would change what is written again."""
    return {asptext.ground(("", *row)): row for row in rows}
