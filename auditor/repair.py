"""What would fix it: the smallest changes that clear the release's error-level conflicts, and
each conflict finding's own.

A change edits the release itself (renamed, a prescribed text added, relicensed: the candidates of
auditor/release_fixes.py), removes an upstream asset (or relicenses or curates it, so that it
brings no terms of its own) or takes an asset under another of its license alternatives; edits of
the release come first (rules/repair/repair.lp).

The search is ASP, so it runs on clingo, after the audit, whichever engine reasoned: the repair
program derives everything again on its own clingo pass over the audit's facts (the rules and the
repair program together, the release's replaceable facts as as_found), so it needs no engine's
derived atoms. From the audit it takes only what every engine gives alike: the interpretation's
conflict findings, as aimed/4, and the license choices, as was_chosen/2 (choices are ASP, so clingo
makes them for every engine: auditor/reasoning.py). Every output is thus rendered from one
interpretation, the same whatever the engine (tests/test_engine_parity.py). `search` returns the
remedies; `remedied` makes the interpretation that carries them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from auditor import asptext, engine, release_fixes, rulebase
from auditor.facts import FactBase
from auditor.interpretation import Finding, Interpretation
from auditor.model import AssetGraph
from auditor.naming import display_id
from auditor.predicates import Atoms
from auditor.remedy import Change, Remedies, Remedy

MAX_AIMED = 50  # conflict findings searched one by one; beyond this the report says "not computed"
NOT_NEEDED = Remedy("not-needed", (), "the release has no error-level license conflict of its own")
NO_RELEASE = Remedy("not-needed", (), "no release asset was identified")
NOTHING_CLEARS = "no change to the release, its upstream assets or their license choices clears"
ALL_RESOLVED = Remedy("not-needed", (), "every error-level license conflict of the release is resolved")
IMPOSSIBLE = Remedy("impossible", (), f"{NOTHING_CLEARS} its license conflicts")
ALL_PARTS = "a change of several parts needs them all"
FOUND = f"any one of these changes clears the release's error-level license conflicts ({ALL_PARTS})"
FOUND_OPEN = f"any one of these changes clears the release's error-level license conflicts left open ({ALL_PARTS})"
SKIPPED = (
    f"only {MAX_AIMED} conflicts are searched one by one, the release's own first; whether another finding's"
    " change clears this one is unknown, and no change is counted as bringing it about"
)
FOUND_ONE = f"any one of these changes clears this finding ({ALL_PARTS})"


def search(
    result: Interpretation,
    fb: FactBase,
    graph: AssetGraph,
    files: list[Path],
    atoms: Atoms,
    rb: rulebase.RuleBase,
    accepted: frozenset[str] = frozenset(),
) -> Remedies:
    """The release's remedy and each conflict finding's, searched with the rule base's repair
    programs; the release's clears the conflicts open, not those resolutions `accepted` (ids)."""
    release = display_id(fb.release, graph) if fb.release else None
    conflicts = [f for f in result.findings if f.family == "conflict" and f.atom]
    if release is None or not conflicts:
        why = "no release asset was identified, so there is no lineage to change"
        return Remedies(NOT_NEEDED if fb.release else NO_RELEASE, _unsearched(conflicts, why))
    blocking = [f for f in conflicts if Interpretation.blocks(f, release)]
    aimed = _aimed(conflicts, blocking, fb)
    remedies = _unsearched([f for f in conflicts if f not in aimed], SKIPPED)
    resolved = [f for f in blocking if f.id in accepted]
    questions = [f"aim({n})" for n in range(len(aimed))]
    if len(resolved) < len(blocking):
        questions.insert(0, "whole_release")
    inputs = [asptext.render(("aimed", n, f.atom[0], f.atom[1], ("", *f.atom[2:]))) for n, f in enumerate(aimed)]
    inputs += [asptext.render(("accepted", f.atom[0], f.atom[1], ("", *f.atom[2:]))) for f in resolved]
    inputs += [asptext.render(("existing", f.atom[0], f.atom[1], ("", *f.atom[2:]))) for f in blocking]
    inputs += [asptext.render(("was_chosen", a, i)) for a, i in atoms.get("chosen", [])]
    options = release_fixes.candidates(result, fb, graph, rb.kb)
    program = release_fixes.program(options, fb) + "\n".join(inputs) + "\n"
    answers = engine.repairs([*files, *rb.repair_files], program, questions)
    named = {q: _named(a, fb, graph, options) for q, a in answers.items()}
    for n, finding in enumerate(aimed):
        remedies[finding.id] = _finding_remedy(named[f"aim({n})"])
    remedy = _release_remedy(named, bool(blocking), tuple(f.id for f in resolved))
    return Remedies(_scoped(remedy, [f for f in conflicts if f.severity == "error" and f not in blocking]), remedies)


def _aimed(conflicts: list[Finding], blocking: list[Finding], fb: FactBase) -> list[Finding]:
    """The conflicts searched one by one: the release's own first (what its engineer must fix),
    then its lineage's, in report order, at most MAX_AIMED."""
    lineage = [f for f in conflicts if f not in blocking and (fb.cone is None or f.atom[1] in fb.cone)]
    return [*blocking, *lineage][:MAX_AIMED]


def _scoped(remedy: Remedy, upstream: list[Finding]) -> Remedy:
    """The release's remedy, saying what it leaves to the findings: the error-level conflicts of
    its upstream assets fail the audit too, but only their own search clears them."""
    if not upstream:
        return remedy
    also = (
        "; the search for the release as a whole covers its own conflicts only, but the error-level license"
        f" conflicts of its upstream assets ({len(upstream)}) fail the audit too: each has its own fix, or why"
        " there is none, at its finding"
    )
    return replace(remedy, note=remedy.note + also)


def remedied(result: Interpretation, remedies: Remedies) -> Interpretation:
    """The interpretation with the remedies the search found: the release's and each conflict's."""
    findings = tuple(replace(f, remedy=remedies.findings.get(f.id, f.remedy)) for f in result.findings)
    return replace(result, findings=findings, remedy=remedies.release)


def _release_remedy(answers: dict[str, tuple[Change, ...] | None], blocked: bool, set_aside: tuple[str, ...]) -> Remedy:
    """The whole release's answer; with the resolved conflicts it was not asked to clear."""
    changes = answers.get("whole_release", ())
    if "whole_release" not in answers:
        remedy = ALL_RESOLVED if blocked else NOT_NEEDED
    elif changes is None:
        remedy = IMPOSSIBLE
    else:
        remedy = Remedy("found", changes, FOUND_OPEN if set_aside else FOUND) if changes else NOT_NEEDED
    return replace(remedy, set_aside=set_aside)


def _finding_remedy(changes: tuple[Change, ...] | None) -> Remedy:
    if changes is None:
        return Remedy("impossible", (), f"{NOTHING_CLEARS} it")
    if any(not c.remove and not c.choose and not c.edits for c in changes):
        # The finding does not arise on the release's lineage alone: nothing to change.
        return Remedy("not-computed", (), "it does not arise from the release's lineage alone")
    return Remedy("found", changes, FOUND_ONE)


def _unsearched(findings: list[Finding], why: str) -> dict[str, Remedy]:
    return {finding.id: Remedy("not-computed", (), why) for finding in findings}


def _named(
    changes: list[engine.RawChange] | None, fb: FactBase, graph: AssetGraph, options: list[release_fixes.Candidate]
) -> tuple[Change, ...] | None:
    """The solver's changes with assets named as reports name them and the release's edits spelt out."""
    if changes is None:
        return None

    def name(a: int) -> str:
        return display_id(fb.keys[a], graph)

    return tuple(
        Change(
            tuple(sorted(name(a) for a in c.removed)),
            tuple((name(a), " AND ".join(fb.readings[fb.keys[a]].alternatives[i - 1])) for a, i in c.choices),
            c.raises,
            tuple(options[k].edit for k in c.fixes),
        )
        for c in changes
    )
