"""Encode: the asset graph and the settings as facts, each with its evidence, beside the rule
base's own (knowledge_facts.py).

Assets get integer ids in sorted order (compact facts, deterministic output). Every input fact
keeps the Evidence it was read from, so a finding's chain ends at files, fields and lines.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import cast

from auditor import asptext, cone, provenance, schema, shipped
from auditor.config import Settings
from auditor.knowledge_facts import knowledge
from auditor.license_reading import LicenseReading, known_readings, read_declared
from auditor.licenses import KnowledgeBase
from auditor.model import UNREADABLE, Asset, AssetGraph, AssetRecord, Edge, Evidence, LicenseStatement
from auditor.naming import display_id, find
from auditor.profiles import Profile, credited, normalise_heading
from auditor.rulebase import RuleBase
from auditor.schema import Fact
from auditor.vocabulary import Relation

S = schema.S
SHOWN_CANDIDATES = 3  # release candidates a message names; the evidence names them all
AUDIT = 0  # the id that stands for the audit as a whole: a problem no asset owns is the audit's
Evidences = tuple[Evidence, ...]
Said = list[tuple[str, str, list[Evidence]]]  # (which manifest, what it says, where), side by side


@dataclass
class FactBase:
    facts: dict[Fact, tuple[Evidence, ...]] = field(default_factory=dict)  # fact -> where it was read
    keys: list[str] = field(default_factory=lambda: [""])  # asset id -> asset key (ids start at 1; 0 is AUDIT)
    readings: dict[str, LicenseReading] = field(default_factory=dict)
    release: str | None = None
    release_basis: str = ""
    cone: set[int] | None = None  # ids of the release and its ancestors (None: no release)

    def add(self, fact: Fact, *evidence: Evidence | None) -> None:
        # most facts come with all their evidence: that tuple is kept as it is, not copied
        found = tuple(e for e in evidence if e is not None) if None in evidence else cast(Evidences, evidence)
        known = self.facts.get(fact)
        self.facts[fact] = found if known is None else known + found

    def program(self, only_cone: bool = False) -> str:
        """The facts as ASP text; `only_cone` keeps the facts about the release's lineage (and the
        knowledge base), all a question about the release alone needs."""
        facts = self.facts if not only_cone or self.cone is None else filter(self._in_cone, self.facts)
        return "\n".join(map(asptext.render, facts)) + "\n"

    def _in_cone(self, fact: Fact) -> bool:
        return self.cone is None or all(fact[i] in self.cone for i in schema.SCHEMA[str(fact[0])].asset_positions)


class ReleaseError(ValueError):
    """The configured release asset is not in the graph."""


def encode(graph: AssetGraph, settings: Settings, rb: RuleBase) -> FactBase:
    """The facts of `graph` under `settings`, with the knowledge of the rule base `rb`."""
    fb = FactBase()
    ids = {}
    for key in graph.assets:
        ids[key] = len(fb.keys)
        fb.keys.append(key)
    for fact, where in knowledge(rb, settings):
        fb.add(fact, where)
    _release(fb, graph, settings, ids, rb.kb)
    documented = _cone(graph, fb.release)
    fb.cone = None if documented is None else {ids[k] for k in documented}
    for name in settings.profiles:
        fb.add(S.selected(name))
    unreadable = {p.asset for p in graph.harvest.problems if p.code in UNREADABLE}
    for key in graph.assets:
        _asset(fb, key, ids[key], documented is None or key in documented, key in unreadable, graph, rb)
    for edge in graph.edges:
        fb.add(S.edge(ids[edge.child], ids[edge.parent], edge.relation), edge.evidence)
    for child, detail, evidence in upstream_disagreements(graph, documented):
        fb.add(S.disagrees(ids[child], "upstream", detail), *evidence)
    _provenance(fb, graph, ids, documented)
    if documented is not None:
        _shipped(fb, graph, ids, documented, rb.kb)
    _problems(fb, graph, ids)
    return fb


def _asset(fb: FactBase, key: str, a: int, in_scope: bool, unreadable: bool, graph: AssetGraph, rb: RuleBase) -> None:
    """The facts of one asset; those that only the documentation and release rules read (its
    publisher, disagreements, formats, fields and cards) only `in_scope`, the release's lineage."""
    asset = graph.assets[key]
    fb.add(S.asset(a, asset.kind), *[Evidence(r.source, "") for r in asset.records])
    if not asset.resolved:
        fb.add(S.unresolved(a))
        fb.add(S.unlicensed(a, "unknown"))
        return
    _licenses(fb, a, key, asset, unreadable, rb.kb)
    if "/" in asset.id and in_scope:
        fb.add(S.publisher(a, asset.id.split("/", 1)[0].lower()), *[Evidence(r.source, "") for r in asset.records])
    several = len(asset.records) > 1 or any(s.name or s.link for s in asset.licenses)
    if several and in_scope:
        for aspect, detail, evidence in disagreements(asset, rb.kb):
            fb.add(S.disagrees(a, aspect, detail), *evidence)
    for record in asset.records:
        if not record.has_metadata:
            fb.add(S.no_metadata(a), Evidence(record.source, "front matter", 1))
        if in_scope:
            _record(fb, a, asset.kind, record, rb.profiles)


def _record(fb: FactBase, a: int, kind: str, record: AssetRecord, profiles: Mapping[str, Profile]) -> None:
    """What one manifest of an asset in scope says: its format, its fields and its card's headings
    (as the profiles for the asset's kind read them)."""
    fb.add(S.described_in(a, record.format), Evidence(record.source, ""))
    for statement in record.statements:
        fb.add(S.states(a, statement.field), statement.evidence)
    if record.sections is not None:
        fb.add(S.card(a), Evidence(record.source, ""))
        kind_profiles = {k: p for k, p in profiles.items() if kind in p.applies_to}
        for section, profile_id, item_id, status in credited(kind_profiles, record.sections):
            fb.add(S.heading(a, profile_id, item_id, normalise_heading(section.heading), status), section.evidence)


def _problems(fb: FactBase, graph: AssetGraph, ids: dict[str, int]) -> None:
    """Every problem of the harvest, owned by its asset; one that no asset of the graph owns (a
    manifest too broken to name its asset) by the release, or by the audit when there is none:
    a broken file can never pass the gate unseen."""
    owner = ids[fb.release] if fb.release else AUDIT
    for problem in graph.harvest.problems:
        fb.add(
            S.problem(
                owner if problem.asset is None else ids.get(problem.asset, owner),
                problem.evidence.file,
                problem.code.replace("-", "_"),
                problem.message,
            ),
            problem.evidence,
        )


def _cone(graph: AssetGraph, release: str | None) -> set[str] | None:
    """The release and its ancestors (None: no release).

    Cards and their headings are most of the facts of a large graph; those of assets outside the
    release's lineage never matter to its audit (the documentation rules read the release's cone),
    so they are not encoded. The rules compute the same cone (`cone/1`) for everything else.
    """
    return None if release is None else cone.ancestors(graph, release)


def _provenance(fb: FactBase, graph: AssetGraph, ids: dict[str, int], scope: set[str] | None) -> None:
    """Facts for the provenance rules, for the release's lineage (or every asset without a release)."""
    for key, asset in graph.assets.items():
        if not asset.resolved or (scope is not None and key not in scope):
            continue
        a = ids[key]
        for predicate, evidence in (
            (S.has_source, provenance.source(asset)),
            (S.has_supplier, provenance.supplier(asset)),
            (S.machine_generated, provenance.machine_generated(asset)),
        ):
            if evidence:
                fb.add(predicate(a), evidence)
        if provenance.has_checksum(asset):
            fb.add(S.has_checksum(a), *(c.evidence for r in asset.records for c in r.checksums))
    for key, file, declared, actual, both in provenance.checksum_mismatches(graph):
        if scope is None or key in scope:
            fb.add(S.checksum_mismatch(ids[key], file, declared, actual), *both)
    edges = graph.edges if scope is None else [e for e in graph.edges if e.child in scope]
    for edge in provenance.unpinned(graph, edges):
        fb.add(S.unpinned(ids[edge.child], ids[edge.parent]), edge.evidence)
    for edge in edges:
        if edge.name_match:
            fb.add(S.name_match(ids[edge.child], ids[edge.parent], edge.name_match), edge.evidence)
    for members in provenance.cycles(edges):
        for member in members:
            fb.add(
                S.in_cycle(ids[member], ids[members[0]]),
                *(e.evidence for e in graph.edges if e.child == member and e.parent in members),
            )


def _shipped(fb: FactBase, graph: AssetGraph, ids: dict[str, int], cone: set[str], kb: KnowledgeBase) -> None:
    """What the folders of the release and its upstream hold, for the obligation checks: the files
    each distributes and its NOTICE; for the release, also its license and use policy files and
    which upstream NOTICE texts its own NOTICE carries."""
    if fb.release is None:
        return
    release, r = graph.assets[fb.release], ids[fb.release]
    own = shipped.notices(release)
    for key in sorted(cone):
        asset, a = graph.assets[key], ids[key]
        files, notices = shipped.distributed(asset), shipped.notices(asset)
        if files:
            fb.add(S.ships_files(a), *files)
        if notices:
            fb.add(S.has_notice(a), *(where for _, where in notices))
        if notices and key != fb.release and shipped.repeats(own, notices):
            fb.add(S.repeats_notice(r, a), *(where for _, where in own))
    for lid, evidence in shipped.licenses(release, kb).items():
        fb.add(S.ships_license(r, lid), *evidence)
    policies = shipped.policies(release)
    if policies:
        fb.add(S.ships_policy(r), *policies)


def effective_licenses(asset: Asset, curated: bool = True) -> tuple[list[LicenseStatement], str]:
    """The license statements the audit reasons with: a reviewer's curation, else a concluded
    license (SPDX licenseConcluded, CycloneDX acknowledgement "concluded") where a manifest gives
    one, else the declared ones."""
    if curated and asset.curation:
        c = asset.curation
        return [LicenseStatement(c.license, c.evidence)], f"curated by {c.curator} on {c.date}: {c.comment}"
    concluded = [s for r in asset.records for s in r.concluded if (s.raw or "").upper() != "NOASSERTION"]
    if concluded:
        return concluded, "the concluded license takes precedence over the declared one"
    return asset.licenses, ""


def _licenses(fb: FactBase, a: int, key: str, asset: Asset, unreadable: bool, kb: KnowledgeBase) -> None:
    statements, note = effective_licenses(asset)
    reading = read_declared(statements, kb)
    if note:
        reading = replace(reading, reading=f"{reading.reading}; {note}")
    fb.readings[key] = reading
    evidence = [s.evidence for s in statements] or [Evidence(r.source, "license") for r in asset.records]
    by_license: defaultdict[str, list[Evidence]] = defaultdict(
        list
    )  # each license's own statements, so its evidence is exact
    for statement in statements:
        one = reading if len(statements) == 1 else read_declared([statement], kb)
        evidence_of = statement.field_evidence(one.decided_by[0] if one.decided_by else "license")
        for lid in {*one.licenses, *one.unrecognised, *(k for alt in one.alternatives for k in alt)}:
            by_license[lid].append(evidence_of)
    for lid in reading.licenses:
        fb.add(S.licensed(a, lid), *(by_license.get(lid) or evidence))
    for i, alternative in enumerate(reading.alternatives, start=1):
        for lid in alternative:
            fb.add(S.alternative(a, i, lid), *(by_license.get(lid) or evidence))
    for text in reading.unrecognised:
        fb.add(S.unrecognised(a, text), *(by_license.get(text) or evidence))
        if kb.family(text):
            fb.add(S.unversioned(a, text), *(by_license.get(text) or evidence))
    if not reading.licenses and not reading.unrecognised and not reading.alternatives:
        reason = "unreadable" if unreadable else reading.status
        fb.add(S.unlicensed(a, reason if reason != "ok" else "missing"), *evidence)


def disagreements(asset: Asset, kb: KnowledgeBase) -> Iterator[tuple[str, str, list[Evidence]]]:
    """(aspect, detail, evidence) where the manifests describing one asset contradict each other:
    license (declared by one, or declared and concluded) and version."""
    said: Said = []  # per license statement set
    for record in asset.records:
        for label, statements in (("declared", record.licenses), ("concluded", record.concluded)):
            if statements and not (
                label == "concluded" and all((s.raw or "").upper() == "NOASSERTION" for s in statements)
            ):
                reading = read_declared(statements, kb)
                value = reading.expression or reading.status
                entry = (f"{record.source} ({label})", value, [s.evidence for s in statements])
                if not any(e[:2] == entry[:2] for e in said):
                    said.append(entry)
    if len({value for _, value, _ in said}) > 1:
        yield "license", _side_by_side(said), [e for _, _, ev in said for e in ev]
    for record in asset.records:
        for statement in (s for s in record.licenses if s.name or s.link):
            fields = known_readings(statement, kb)
            if len({expression for _, expression in fields}) > 1:
                within = [
                    (f"{record.source} ({f})", expression, [statement.field_evidence(f)]) for f, expression in fields
                ]
                yield "license", _side_by_side(within), [e for _, _, ev in within for e in ev]
    versions = [(r.source, r.version, [Evidence(r.source, "version")]) for r in asset.records if r.version]
    if len({v for _, v, _ in versions}) > 1:
        yield "version", _side_by_side(versions), [e for _, _, ev in versions for e in ev]


def upstream_disagreements(
    graph: AssetGraph, scope: set[str] | None = None
) -> Iterator[tuple[str, str, list[Evidence]]]:
    """(child, detail, evidence) where two manifests of one asset name different upstream assets of
    the same sort (base models, or data): a manifest that only names the base model (an adapter
    config) does not contradict a card that also lists the training data."""
    # (child, sort) -> file -> edges
    stated: defaultdict[tuple[str, str], defaultdict[str, list[Edge]]] = defaultdict(lambda: defaultdict(list))
    for edge in graph.edges:
        sort = Relation(edge.relation).sort
        if sort and edge.evidence.file != "mlaudit.toml" and (scope is None or edge.child in scope):
            stated[(edge.child, sort)][edge.evidence.file].append(edge)
    for (child, _), by_file in sorted(stated.items()):
        if len(by_file) > 1 and len({frozenset(e.parent for e in edges) for edges in by_file.values()}) > 1:
            said: Said = [
                (f, ", ".join(sorted(graph.assets[e.parent].id for e in edges)), [e.evidence for e in edges])
                for f, edges in sorted(by_file.items())
            ]
            yield child, _side_by_side(said), [e for _, _, ev in said for e in ev]


def _side_by_side(said: Said) -> str:
    return " | ".join(f"{source}: {value}" for source, value, _ in said)


def _release(fb: FactBase, graph: AssetGraph, settings: Settings, ids: dict[str, int], kb: KnowledgeBase) -> None:
    if settings.asset:
        key = find(graph.assets, settings.asset)
        if key is None:
            raise ReleaseError(
                f"the release asset {settings.asset!r} named in {settings.origin.get('asset', 'the settings')} "
                f"is not described by any manifest in the audit folder{_closest(settings.asset, graph)}"
            )
        basis = f"named in {settings.origin.get('asset', 'the settings')}"
    else:
        parents = {e.parent for e in graph.edges}
        sinks = [k for k, a in graph.assets.items() if a.resolved and k not in parents]
        if len(sinks) != 1:
            for k in sinks:
                fb.add(S.release_candidate(ids[k]), *(Evidence(src, "") for src in graph.assets[k].sources))
            if sinks:
                fb.add(S.release_unidentified(len(sinks), _first_named(sinks, graph)))
            fb.release_basis = (
                "not identified: no manifest describes an asset"
                if not sinks and not graph.assets
                else f"not identified: {len(sinks)} described assets have no downstream asset; "
                "name one as [release] asset in mlaudit.toml"
            )
            return
        key, basis = sinks[0], "inferred: the only described asset that nothing else derives from"
    fb.release, fb.release_basis = key, basis
    fb.add(
        S.release(ids[key], settings.use.replace("-", "_"), settings.distribution),
        Evidence("mlaudit.toml", "release") if settings.origin.get("asset") == "mlaudit.toml" else None,
    )
    _release_text(fb, ids[key], graph.assets[key], kb)


def _first_named(keys: list[str], graph: AssetGraph) -> str:
    """The first few release candidates by name, for one finding's message: a folder of many cards
    has hundreds, which the finding's evidence lists in full."""
    names = sorted(display_id(k, graph) for k in keys)
    return ", ".join(names[:SHOWN_CANDIDATES]) + (", …" if len(names) > SHOWN_CANDIDATES else "")


def _closest(name: str, graph: AssetGraph) -> str:
    """The described assets whose names are nearest a mistyped one, as a hint to append."""
    names = {display_id(k, graph).lower(): display_id(k, graph) for k, a in graph.assets.items() if a.resolved}
    close = difflib.get_close_matches(name.lower(), names, n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(names[c]) for c in close)}?" if close else ""


def _release_text(fb: FactBase, a: int, asset: Asset, kb: KnowledgeBase) -> None:
    """What the release's name and card say, for the phrases and prefixes licenses prescribe."""
    values = {
        (t.term, v)
        for lic in kb.licenses.values()
        for t in lic.terms
        for v in (*(t.values or kb.term_kinds[t.term].get("default_values", [])), *t.accepts)
    }
    name = asset.id.rsplit("/", 1)[-1]
    for term, value in sorted(values):
        if term == "naming_prefix" and begins_with(name, value):
            fb.add(S.name_starts(a, value))
        for record in asset.records:
            if term != "naming_prefix" and record.role is None and record.text and value.lower() in record.text.lower():
                fb.add(S.card_mentions(a, value), Evidence(record.source, f"text '{value}'"))


def begins_with(name: str, prefix: str) -> bool:
    """Whether a model name begins with a prescribed prefix as the prefix is read in practice: any
    case, and spaces, hyphens or underscores (or none) between its words ("Llama3-ChatQA" begins
    with "Llama 3"); a prefix ending in a number is not met by a longer number ("Llama-30b")."""
    return re.match(_prefix_pattern(prefix), name, re.I) is not None


@cache
def _prefix_pattern(prefix: str) -> str:
    chunks = re.findall(r"[^\W\d_]+|\d+|[^\w\s-]", prefix)
    tail = r"(?!\d)" if chunks and chunks[-1].isdigit() else ""
    return r"[\s_-]*".join(map(re.escape, chunks)) + tail
