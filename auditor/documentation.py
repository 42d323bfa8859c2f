"""Documentation scores: how well each asset meets each selected documentation profile.

The profiles' items are judged by the rules (meets/lacks atoms). The Model Openness Framework is a
classification, not a checklist, so its class comes from auditor/openness.py and is adapted here
into the same shape: the score is the progress towards the next class.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from auditor import openness
from auditor.chains import Chains
from auditor.facts import FactBase
from auditor.interpretation import Documentation
from auditor.model import AssetGraph
from auditor.naming import display_id
from auditor.predicates import Atoms
from auditor.profiles import Profile
from auditor.vocabulary import SectionStatus


def scores(atoms: Atoms, chains: Chains, profiles: Mapping[str, Profile], fb: FactBase) -> tuple[Documentation, ...]:
    """Per asset and profile: the score and what is missing, from the meets/lacks atoms, each missing
    item with the card's sections that mean it but are not filled, and why."""
    seen = _seen(fb)
    met: dict[tuple[int, str], set[str]] = defaultdict(set)
    lacking: dict[tuple[int, str], set[str]] = defaultdict(set)
    for a, profile, item in atoms.meets:
        met[(a, profile)].add(item)
    for a, profile, item in atoms.lacks:
        lacking[(a, profile)].add(item)
    found = []
    for a, profile in sorted(set(met) | set(lacking), key=lambda k: (chains.name(k[0]) or "", k[1])):
        items = profiles[profile].items
        total = len(met[(a, profile)]) + len(lacking[(a, profile)])
        missing = tuple(
            (i.id, i.expected, i.how_to_fix, "; ".join(seen.get((a, profile, i.id), ())))
            for i in items
            if i.id in lacking[(a, profile)]
        )
        found.append(Documentation(chains.name(a), profile, round(100 * len(met[(a, profile)]) / total), missing))
    return tuple(found)


def _seen(fb: FactBase) -> dict[tuple[int, str, str], list[str]]:
    """For each (asset, profile, item), the card's sections meaning the item, each as where it is, what
    it holds and the line that left it unfilled, quoted: a reviewer tells a true placeholder from a
    judgement to question, and an author is not told to add a heading the card has."""
    found: dict[tuple[int, str, str], list[str]] = defaultdict(list)
    for fact, evidence in fb.facts.items():
        if fact[0] != "heading" or fact[-1] == SectionStatus.FILLED:
            continue
        a, profile, item, _, status = map(str, fact[1:])
        heading, *judged = evidence
        said = f"{heading.pointer} ({heading.file} line {heading.line}) is there, but {SectionStatus(status).phrase}"
        found[(int(a), profile, item)].append(said + "".join(f": {e.pointer} at line {e.line}" for e in judged))
    return found


def openness_classes(graph: AssetGraph, fb: FactBase, framework: openness.Framework) -> tuple[Documentation, ...]:
    """The `mof` profile: the MOF class of every model in scope that a MOF file describes."""
    found = []
    for i, key in enumerate(fb.keys[1:], start=1):
        if fb.cone is not None and i not in fb.cone:
            continue
        statements = [s for r in graph.assets[key].records if r.format == "mof" for s in r.statements]
        if not statements:
            continue
        result = openness.from_statements(statements, framework)
        next_class = str(result.class_ - 1 if result.class_ > 1 else (3 if result.class_ == 0 else 1))
        score = 100 if result.class_ == 1 else round(result.progress[next_class])
        missing = tuple(
            (
                component,
                f"the component '{component}' in the release, under an open license",
                f"Release {component} ({why}) under an open license suited to its content type.",
                "",
            )
            for component, why in result.missing.get(next_class, ())
        )
        progress = {k: round(v, 1) for k, v in result.progress.items()}  # one decimal, as the MOT shows it
        found.append(Documentation(display_id(key, graph), "mof", score, missing, result.class_, progress))
    return tuple(found)
