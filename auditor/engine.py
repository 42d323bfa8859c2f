"""Reason: ground and solve the rule base over the facts with clingo.

The Datalog core is stratified and has one answer set; the only choices are which alternative
of an SPDX OR each asset is taken under (rules/lib/choice.lp), optimised so that the release
has as few error-level conflicts as possible. Ties between optimal answers are broken in Python
by the smallest list of choices, so the result never depends on the solver's search order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import clingo

from auditor import asptext, schema
from auditor.predicates import Atoms

Term = str | int | tuple["Term", ...]  # a clingo term read back: string, number, or function term as a tuple


OPTIMAL = ("--opt-mode=optN", "--models=0")  # every optimal answer set, so that the choice among them is ours
# The choices of many assets (a lake's block, a lineage of many dual-licensed packages) are near
# independent: clingo's default branch and bound improves the sum one step a model and took minutes
# to prove 100 assets' choice optimal; core-guided optimisation proves it at once (0.2 s). The
# optimal answers are the same whatever finds them, and solve picks among all of them.
CORES = ("--opt-strategy=usc",)
CHANGE_ATOMS = (("removed", 1), ("changed", 1), ("chosen", 2), ("raises", 1), ("fixed", 1))  # rules/repair/repair.lp


def declarations() -> str:
    """`#defined` for every input and knowledge predicate, so absent facts raise no warnings."""
    return "".join(f"#defined {p.name}/{p.arity}." for p in schema.PREDICATES if p.role != "derived")


def _grounded(files: list[Path], facts: str, optimise: bool, strategy: tuple[str, ...] = ()) -> clingo.Control:
    options = ["--warn=none", *((*OPTIMAL, *strategy) if optimise else ())]
    ctl = clingo.Control(options)
    for path in files:
        ctl.load(str(path))
    ctl.add("base", [], declarations())
    ctl.add("base", [], facts)
    ctl.ground([("base", [])])
    return ctl


def solve(files: list[Path], facts: str, choices: bool = True) -> Atoms:
    """Atoms of the answer set (the chosen optimal one when `choices`), grouped by predicate name,
    each as its predicate's row type."""
    ctl = _grounded(files, facts, choices, CORES)
    best = None
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            if choices and model.cost and not model.optimality_proven:
                continue  # an intermediate answer of the optimisation
            texts = [str(s) for s in model.symbols(shown=True)]
            key = sorted(t for t in texts if t.startswith("chosen("))
            if best is None or key < best[0]:
                best = (key, texts)
            if not choices:
                break
    if best is None:
        raise RuntimeError("the rule base has no answer set for these facts (inconsistent rules)")
    return asptext.read(best[1])


@dataclass(frozen=True)
class RawChange:
    """One smallest change (auditor.remedy.Change) as the solver gives it: upstream assets removed
    (or relicensed), assets taken under another alternative (asset id, 1-based alternative), the
    rules of the error-level conflicts the change brings about, and the changes to the release
    itself (the numbers of their fix_option candidates)."""

    removed: tuple[int, ...]
    choices: tuple[tuple[int, int], ...]
    raises: tuple[str, ...] = ()
    fixes: tuple[int, ...] = ()


def repairs(files: list[Path], facts: str, questions: list[str], limit: int = 10) -> dict[str, list[RawChange] | None]:
    """For each question (an external atom of rules/repair/: `whole_release` or `aim(N)`), the
    smallest changes that answer it (at most `limit`), or None when no change can. The program is
    grounded once and each question is one solve with its external atom set true, optimised as
    `solve` optimises (CORES): step-by-step improvement made a long lineage take minutes."""
    ctl = _grounded(files, facts, True, CORES)
    answer = _answer_atoms(ctl)
    return {q: _smallest(ctl, answer, clingo.parse_term(q), limit) for q in questions}


def _answer_atoms(ctl: clingo.Control) -> list[clingo.Symbol]:
    """The ground atoms a change is read from: a model holds every derived atom of the audit (on a
    lineage cycle, every member reaching every other), so each model is asked only about these."""
    return [a.symbol for name, arity in CHANGE_ATOMS for a in ctl.symbolic_atoms.by_signature(name, arity)]


def _smallest(
    ctl: clingo.Control, answer: list[clingo.Symbol], question: clingo.Symbol, limit: int
) -> list[RawChange] | None:
    ctl.assign_external(question, True)
    try:
        return _optimal(ctl, answer, limit)
    finally:
        ctl.assign_external(question, False)


def _optimal(ctl: clingo.Control, answer: list[clingo.Symbol], limit: int) -> list[RawChange] | None:
    found: set[RawChange] = set()
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            if model.optimality_proven:
                found.add(_change([s for s in answer if model.contains(s)]))
            if len(found) >= limit:
                break
        if not found and handle.get().unsatisfiable:
            return None
    return sorted(
        found,
        key=lambda c: (bool(c.raises), len(c.removed) + len(c.choices) + len(c.fixes), c.fixes, c.removed, c.choices),
    )


def _change(symbols: Sequence[clingo.Symbol]) -> RawChange:
    """The change a repair model makes, read from its atoms of CHANGE_ATOMS by name."""
    changed = {s.arguments[0].number for s in symbols if s.name == "changed"}
    return RawChange(
        tuple(sorted(s.arguments[0].number for s in symbols if s.name == "removed")),
        tuple(
            sorted(
                (s.arguments[0].number, s.arguments[1].number)
                for s in symbols
                if s.name == "chosen" and s.arguments[0].number in changed
            )
        ),
        tuple(sorted(s.arguments[0].string for s in symbols if s.name == "raises")),
        tuple(sorted(s.arguments[0].number for s in symbols if s.name == "fixed")),
    )
