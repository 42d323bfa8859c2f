"""What would fix it: the smallest changes that clear the release's error-level conflicts, and
each conflict finding's own.

A change is an upstream asset removed (or relicensed, or its license curated, so that it brings
no terms of its own) or an asset taken under another of its license alternatives. The search is
ASP (rules/repair/), so it runs on clingo over the release's lineage, after the audit: it needs
the findings' atoms as clingo derived them, which pyDatalog alone does not give.
"""

from __future__ import annotations

from pathlib import Path

from auditor import engine, rulebase, schema
from auditor.facts import FactBase
from auditor.findings import Finding, Fix, Interpretation, Remedy, display_id
from auditor.model import AssetGraph

MAX_AIMED = 50  # conflict findings searched one by one; beyond this the report says "not computed"


def search(
    result: Interpretation,
    fb: FactBase,
    graph: AssetGraph,
    files: list[Path],
    atoms: dict,
    rb: rulebase.RuleBase,
    from_clingo: bool,
) -> None:
    """Fill result.repairs (the release as a whole) and each conflict finding's fixes."""
    release = display_id(fb.release, graph) if fb.release else None
    conflicts = [f for f in result.findings if f.family == "conflict" and f.atom]
    if release is None or not conflicts:
        return _unsearched(conflicts, "no release asset was identified, so there is no lineage to change")
    if not from_clingo:
        return _unsearched(conflicts, "the repair search needs clingo's findings (run with --engine clingo or both)")
    aimed = [f for f in conflicts if fb.cone is None or f.atom[1] in fb.cone][:MAX_AIMED]
    _unsearched(
        [f for f in conflicts if f not in aimed],
        f"only the first {MAX_AIMED} conflicts of the release's lineage are searched one by one",
    )
    questions = [f"aim({n})" for n in range(len(aimed))]
    if result.conflicts_block(release):
        questions.insert(0, "whole_release")
    inputs = [schema.render(("aimed", n, f.atom[0], f.atom[1], ("", *f.atom[2:]))) for n, f in enumerate(aimed)]
    inputs += [schema.render(("was_chosen", a, i)) for a, i in atoms.get("chosen", [])]
    answers = engine.repairs(
        [*files, *rb.repair_files], fb.program(only_cone=True) + "\n".join(inputs) + "\n", questions
    )
    if "whole_release" in answers:
        result.repairs = _fixes(answers["whole_release"], fb, graph)
    for n, finding in enumerate(aimed):
        _record(finding, _fixes(answers[f"aim({n})"], fb, graph))


def _record(finding: Finding, fixes: list[Fix] | None) -> None:
    if fixes is None:
        finding.remedy = Remedy("impossible", (), "no change to the upstream assets or their license choices clears it")
    elif any(not f.remove and not f.choose for f in fixes):
        # The finding does not arise on the release's lineage alone: nothing upstream to change.
        _unsearched([finding], "it does not arise from the release's lineage alone")
    else:
        finding.remedy = Remedy(
            "found",
            tuple(fixes),
            "any one change clears this finding: remove every asset it "
            "names from the lineage (or relicense it, or curate its license if it was misread) "
            "and take the licenses it names",
        )


def _unsearched(findings: list[Finding], why: str) -> None:
    for finding in findings:
        finding.remedy = Remedy("not-computed", (), why)


def _fixes(changes: list[engine.Change] | None, fb: FactBase, graph: AssetGraph) -> list[Fix] | None:
    if changes is None:
        return None

    def name(a: int) -> str:
        return display_id(fb.keys[a], graph)

    return [
        Fix(
            tuple(sorted(name(a) for a in c.removed)),
            tuple((name(a), " AND ".join(fb.readings[fb.keys[a]].alternatives[i - 1])) for a, i in c.choices),
            c.raises,
        )
        for c in changes
    ]
