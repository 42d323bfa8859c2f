"""The changes the release's own team can make, as candidates of the repair search (rules/repair/):
rename the release, add a prescribed text to its card, ship a use policy beside it, declare it
under a license `mlaudit licenses suggest` offers.

Each candidate is data: what to do, in plain words, and the facts the audit would read once it is
done, computed as the audit computes them (auditor/prescribed.py, the suggested licenses), so that
the solver's choice is a change that clears the finding when it is made. Which duty each one
answers comes from the obligations the release inherits and the knowledge base's `check:` of
each term, not from the rules that report them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from auditor import asptext, schema
from auditor.facts import FactBase
from auditor.interpretation import Interpretation, Obligation
from auditor.licenses import KnowledgeBase
from auditor.model import AssetGraph
from auditor.naming import display_id
from auditor.predicate_spec import Fact
from auditor.prescribed import begins_with, phrases_in, prefixes_met
from auditor.remedy import Edit
from auditor.vocabulary import EditKind

S = schema.S
MOST_LICENSES = 5  # relicensing candidates: the suggested licenses the lineage itself carries first
POLICY_FILE = "USE_POLICY.md"
# The release's facts a rename (name_starts) or a relicensing (the rest) replaces: the repair
# program gets them as as_found(F) and derives each again unless a chosen change replaces it.
REPLACEABLE = frozenset({"name_starts", "licensed", "alternative", "unrecognised", "unversioned", "unlicensed"})


@dataclass(frozen=True)
class Candidate:
    """One change to the release: the edit, the facts it gives, what it replaces (name, license)."""

    edit: Edit
    gives: tuple[Fact, ...]
    replaces: str | None = None


@dataclass(frozen=True)
class Release:
    """What the candidates are made for: the release's id in the facts, its name as reports give
    it, its card (the first Markdown card, where texts go), the licenses it declares and its use policy
    files (an empty one is written into, not added)."""

    id: int
    name: str
    card: str | None
    licenses: frozenset[str]
    policies: frozenset[str]


def candidates(result: Interpretation, fb: FactBase, graph: AssetGraph, kb: KnowledgeBase) -> list[Candidate]:
    """Every change to the release the repair search may make, each once, in a stable order."""
    if fb.release is None:
        return []
    asset = graph.assets[fb.release]
    cards = sorted(r.source for r in asset.records if r.role is None and r.text and r.source.endswith(".md"))
    reading = fb.readings.get(fb.release)
    release = Release(
        fb.keys.index(fb.release),
        display_id(fb.release, graph),
        cards[0] if cards else None,
        frozenset(reading.licenses) if reading else frozenset(),
        frozenset(r.source for r in asset.records if r.role == "policy"),
    )
    found: dict[tuple[str, str, str | None], Candidate] = {}
    for obligation in result.obligations:
        for c in _answers(obligation, release, kb):
            found.setdefault((c.edit.kind, c.edit.value, c.edit.file), c)
    for c in _relicensings(result, release, _lineage_licenses(fb, kb), kb):
        found.setdefault((c.edit.kind, c.edit.value, c.edit.file), c)
    return list(found.values())


def program(options: list[Candidate], fb: FactBase) -> str:
    """The candidates as the repair program's inputs, and the facts of the audit with the
    release's replaceable ones written as as_found."""
    lines = [fb.program(only_cone=True, replaceable=REPLACEABLE)]
    for k, c in enumerate(options):
        lines.append(asptext.render(S.fix_option(k, c.edit.kind)))
        lines += [asptext.render(S.fix_gives(k, asptext.nested(fact))) for fact in c.gives]
        if c.replaces:
            lines.append(asptext.render(S.fix_replaces(k, c.replaces)))
    return "\n".join(lines) + "\n"


def _answers(obligation: Obligation, release: Release, kb: KnowledgeBase) -> Iterator[Candidate]:
    """The edits that meet one inherited duty, by the check its term has in the knowledge base."""
    check = kb.term_kinds.get(obligation.term, {}).get("check")
    values = _values(obligation, kb)
    if check == "name_prefix":
        yield from (c for v in values[:1] if (c := _rename(release, v, obligation, kb)))
    elif check in ("card_phrase", "restated") and release.card:
        text = values[0] if check == "card_phrase" and values else _restatement(obligation, values, kb)
        yield from _card_text(release, text, obligation, kb)
    if check == "restated" and release.card:
        path = str(PurePosixPath(release.card).parent / POLICY_FILE)
        sentence = _restatement(obligation, values, kb)
        kind, where = (
            (EditKind.ADD_TEXT, f"write into the file {path}")
            if path in release.policies
            else (EditKind.ADD_FILE, f"add the file {path} beside the release with")
        )
        says = f'{where} the text "{sentence}" (or the use policy itself), as {obligation.license} requires'

        text = sentence + "\n"
        yield Candidate(Edit(kind, text, path, says), (S.ships_policy(release.id),))


def renamed(name: str, prefix: str) -> str | None:
    """The release's name with a prescribed prefix put before it, words joined by hyphens as Hub
    names are ("Llama-3-support-chat-8b"); None if even that does not begin with it as the rules read it."""
    new = "-".join([*prefix.split(), name])
    return new if begins_with(new, prefix) else None


def _rename(release: Release, prefix: str, obligation: Obligation, kb: KnowledgeBase) -> Candidate | None:
    owner, _, name = release.name.rpartition("/")
    new = renamed(name, prefix)
    if new is None:
        return None
    full = f"{owner}/{new}" if owner else new
    says = (
        f"rename the release {release.name} to {full} (its folder and every reference to it): "
        f'{obligation.license} requires a derived model\'s name to begin with "{prefix}"'
    )
    gives = tuple(S.name_starts(release.id, p) for p in prefixes_met(new, kb))
    return Candidate(Edit(EditKind.RENAME, full, None, says), gives, "name")


def _card_text(release: Release, text: str, obligation: Obligation, kb: KnowledgeBase) -> Iterator[Candidate]:
    gives = tuple(S.card_mentions(release.id, p) for p in phrases_in(text, kb))
    if gives:
        where = "" if obligation.term != "display_notice" else " (and where the release is made available)"
        says = f'add the text "{text}" to {release.card}{where}, as {obligation.license} requires'
        yield Candidate(Edit(EditKind.ADD_TEXT, text, release.card, says), gives)


def _relicensings(
    result: Interpretation, release: Release, lineage: set[str], kb: KnowledgeBase
) -> Iterator[Candidate]:
    """Declaring the release under a license its lineage holds or `licenses suggest` offers for it as
    audited, those of its lineage first. The repair program keeps only those `licenses suggest`
    would offer once the rest of the change is made (outbound/2 of rules/lib/outbound.lp): removing
    an upstream of unknown terms can make the lineage's own license one it offers."""
    offered = sorted((lineage | set(result.outbound)) - release.licenses, key=lambda x: (x not in lineage, x))
    for lic in offered[:MOST_LICENSES] if release.card else ():
        says = (
            f'declare the release under {lic}: set "license: {lic}" in the front matter of {release.card} and '
            f"{_license_copy(lic, kb)}, in place of any other (one of the licenses "
            '"mlaudit licenses suggest" offers)'
        )
        yield Candidate(Edit(EditKind.RELICENSE, lic, release.card, says), (S.licensed(release.id, lic),), "license")


def _license_copy(lic: str, kb: KnowledgeBase) -> str:
    """How the release gives its recipients the license it is declared under: its text, or a link to
    it where the license's license-text condition accepts its URI (CC BY 4.0 Section 3(a)(1)(C))."""
    linked = kb.linked_copy(lic)
    if linked:
        accepts = f"{lic} {linked.clause} accepts its URI"
        return f"ship that license's text as its LICENSE file or a link to it ({accepts})"
    return "ship that license's text as its LICENSE file"


def _lineage_licenses(fb: FactBase, kb: KnowledgeBase) -> set[str]:
    """The known licenses the release's upstream assets hold or offer."""
    keys = [fb.keys[a] for a in sorted(fb.cone or ()) if fb.keys[a] != fb.release]
    readings = [fb.readings[k] for k in keys if k in fb.readings]
    held = {lic for r in readings for lic in (*r.licenses, *(x for alt in r.alternatives for x in alt))}
    return {lic for lic in held if lic in kb.licenses}


def _values(obligation: Obligation, kb: KnowledgeBase) -> tuple[str, ...]:
    """What the term prescribes: the license's own values, else the term's default phrases."""
    term = kb.term(obligation.license, obligation.term)
    return (term.values if term else ()) or tuple(kb.term_kinds.get(obligation.term, {}).get("default_values", []))


def _restatement(obligation: Obligation, values: tuple[str, ...], kb: KnowledgeBase) -> str:
    """A sentence restating the license's use restrictions, naming what the license calls them."""
    name = obligation.license_name or obligation.license
    text = (
        f"The use restrictions of the {name} ({_policy_url(obligation, kb)}) apply to every user of this "
        "model and of anything built with it."
    )
    said = any(v.lower() in text.lower() for v in values)
    return text if said or not values else f"{text} Its terms: {', '.join(values)}."


def _policy_url(obligation: Obligation, kb: KnowledgeBase) -> str:
    """Where the restrictions are stated: the license's use policy, where the knowledge base names
    one, else the source of the duty."""
    restrictions = kb.term(obligation.license, "use_restrictions")
    return restrictions.source if restrictions and restrictions.source else obligation.source
