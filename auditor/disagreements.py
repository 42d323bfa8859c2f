"""Engine disagreements: INP004 findings for the predicates on which clingo and pyDatalog differ.

The rules are written once and run on two independent engines (--engine both); any difference
means one of them, or the translation between them, is wrong, and the audit cannot be trusted.
"""

from __future__ import annotations

import hashlib

from auditor.interpretation import Finding, Row, Step
from auditor.reasoning import Difference
from auditor.rulebase import Rule

SHOWN_ATOMS = 5  # atoms a message names; the evidence lists up to STEPS of each side
STEPS = 20


def findings(differences: tuple[Difference, ...], rule: Rule) -> tuple[Finding, ...]:
    """One finding of `rule` (INP004) per predicate that differs, with the atoms as its evidence."""
    found = []
    for predicate, only_clingo, only_pydatalog in differences:
        difference = (
            f"only clingo derives {_atoms(predicate, only_clingo)}; "
            f"only pyDatalog derives {_atoms(predicate, only_pydatalog)}"
        )
        fingerprint = hashlib.sha256(f"{rule.id}|{predicate}|{difference}".encode()).hexdigest()[:12]
        steps = [Step(None, f"clingo: {predicate}{row}", None, None, None) for row in only_clingo[:STEPS]]
        steps += [Step(None, f"pyDatalog: {predicate}{row}", None, None, None) for row in only_pydatalog[:STEPS]]
        found.append(
            Finding(
                f"{rule.id}-{fingerprint}",
                rule.id,
                rule.family,
                rule.severity,
                None,
                rule.message.format(predicate=predicate, difference=difference),
                rule.how_to_fix,
                {"predicate": predicate, "difference": difference},
                tuple(steps),
            )
        )
    return tuple(found)


def _atoms(predicate: str, rows: list[Row]) -> str:
    shown = ", ".join(f"{predicate}{row}" for row in rows[:SHOWN_ATOMS])
    more = len(rows) - SHOWN_ATOMS
    return (shown + (f" and {more} more" if more > 0 else "")) or "nothing"
