"""Reason: ground and solve the rule base over the facts with clingo.

The rule base is stratified, so it has exactly one answer set; we read back only the shown
atoms (findings, their evidence, use categories and the release cone's propagation).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import clingo

from auditor import schema


def declarations() -> str:
    """`#defined` for every input and knowledge predicate, so absent facts raise no warnings."""
    return "".join(f"#defined {p.name}/{p.arity}." for p in schema.PREDICATES if p.role != "derived")


def solve(files: list[Path], facts: str) -> dict[str, list[tuple]]:
    """Atoms of the answer set, grouped by predicate name, as plain Python tuples."""
    ctl = clingo.Control(["--warn=none"])
    for path in files:
        ctl.load(str(path))
    ctl.add("base", [], declarations())
    ctl.add("base", [], facts)
    ctl.ground([("base", [])])
    atoms: dict[str, list[tuple]] = defaultdict(list)
    with ctl.solve(yield_=True) as handle:
        model = next(iter(handle), None)
        if model is None:
            raise RuntimeError("the rule base has no answer set for these facts (inconsistent rules)")
        for symbol in model.symbols(shown=True):
            atoms[symbol.name].append(tuple(schema.value(a) for a in symbol.arguments))
    return atoms
