"""Encode: the asset graph and the settings as facts, each with its evidence, beside the rule
base's own (knowledge_facts.py).

Assets get integer ids in sorted order (compact facts, deterministic output). Every input fact
keeps the Evidence it was read from, so a finding's chain ends at files, fields and lines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import cast

from auditor import asptext, osadl, provenance, releases, schema, shipped, versions
from auditor.claims import disagreements, effective_licenses, upstream_disagreements
from auditor.cone import ancestors
from auditor.config import Settings
from auditor.knowledge_facts import categorised, knowledge
from auditor.license_reading import LicenseReading, known_readings, read_declared
from auditor.licenses import KnowledgeBase
from auditor.model import (
    INCOMPLETE,
    UNREAD_ENTRY,
    UNREADABLE,
    Asset,
    AssetGraph,
    AssetRecord,
    Evidence,
    LicenseStatement,
    Section,
    symbol,
)
from auditor.naming import asset_key, organisation
from auditor.predicate_spec import Fact
from auditor.predicates import Term
from auditor.profiles import Profile, credited, normalise_heading
from auditor.rulebase import RuleBase
from auditor.vocabulary import BASE_RELATIONS, SectionStatus

S = schema.S
AUDIT = 0  # the id that stands for the audit as a whole: a problem no asset owns is the audit's
Evidences = tuple[Evidence, ...]


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

    def ids_of(self, keys: Collection[str]) -> list[int]:
        """The ids these facts give the assets `keys`."""
        return [i for i, key in enumerate(self.keys) if key in keys]

    def program(self, only_cone: bool = False, replaceable: frozenset[str] = frozenset()) -> str:
        """The facts as ASP text; `only_cone` keeps the facts about the release's lineage (and the
        knowledge base), all a question about the release alone needs. The release's facts of the
        `replaceable` predicates are written as `as_found(F)`, for a repair that may replace them."""
        facts = self.facts if not only_cone or self.cone is None else filter(self._in_cone, self.facts)
        if not replaceable or self.release is None:
            return "\n".join(map(asptext.render, facts)) + "\n"
        r = self.keys.index(self.release)
        found = (S.as_found(asptext.nested(f)) if f[0] in replaceable and _first(f) == r else f for f in facts)
        return "\n".join(map(asptext.render, found)) + "\n"

    def _in_cone(self, fact: Fact) -> bool:
        return self.cone is None or all(fact[i] in self.cone for i in schema.SCHEMA[str(fact[0])].asset_positions)


def _first(fact: Fact) -> Term | None:
    """A fact's first value: the asset it is about, for the predicates that name one first."""
    _, *values = fact
    return values[0] if values else None


def encode(
    graph: AssetGraph, settings: Settings, rb: RuleBase, lake: bool = False, releasing: Collection[str] | None = None
) -> FactBase:
    """The facts of `graph` under `settings`, with the knowledge of the rule base `rb`; with `lake`,
    every described asset (of `releasing`, if given) is a release at once, as `settings.lake` says."""
    fb = FactBase()
    fb.keys.extend(graph.assets)
    ids = {key: n for n, key in enumerate(fb.keys)}
    for fact, where in knowledge(rb, settings):
        fb.add(fact, where)
    if lake:
        released = releases.every(fb, graph, settings.lake, ids, rb.kb, releasing)
    else:
        released = releases.identify(fb, graph, settings, ids, rb.kb)
    documented = ancestors(graph, fb.release) if fb.release else None  # a lake's scope: everything
    fb.cone = None if documented is None else {ids[k] for k in documented}
    for name in settings.profiles:
        fb.add(S.selected(name))
    unreadable = {p.asset for p in graph.harvest.problems if p.code in UNREADABLE}
    for key in graph.assets:
        in_scope = documented is None or key in documented
        _asset(fb, key, ids[key], in_scope, key in unreadable, key in released, graph, rb)
    for fact, where in categorised(rb.kb, _met(fb.readings.values())):
        fb.add(fact, where)
    for edge in graph.edges:
        fb.add(S.edge(ids[edge.child], ids[edge.parent], edge.relation), edge.evidence)
    for child, detail, evidence in upstream_disagreements(graph, documented):
        fb.add(S.disagrees(ids[child], "upstream", detail), *evidence)
    _provenance(fb, graph, ids, documented)
    for fact, stated in versions.facts(graph, ids, documented, rb.kb):
        fb.add(fact, *stated)
    if released:
        _folders(fb, graph, ids, sorted(documented if documented is not None else graph.assets))
    for key in released:
        releases.files(fb, graph, ids, key, rb.kb)
    _problems(fb, graph, ids)
    for fact, where in osadl.facts(list(fb.facts), osadl.load()):
        fb.add(fact, where)
    return fb


def _met(readings: Iterable[LicenseReading]) -> Iterator[str]:
    """Every licence the readings name, chosen or alternative."""
    for reading in readings:
        yield from reading.licenses
        yield from (lid for alternative in reading.alternatives for lid in alternative)


def _asset(
    fb: FactBase, key: str, a: int, in_scope: bool, unreadable: bool, released: bool, graph: AssetGraph, rb: RuleBase
) -> None:
    """The facts of one asset; those that only the documentation and release rules read (its
    publisher, disagreements, formats, fields and cards) only `in_scope`, the release's lineage."""
    asset = graph.assets[key]
    fb.add(S.asset(a, asset.kind), *[r.at() for r in asset.records])
    if not asset.resolved:
        fb.add(S.unresolved(a))
        fb.add(S.unlicensed(a, "unknown"))
        return
    _licenses(fb, a, key, asset, unreadable, rb.kb)
    if released:
        _unread_license(fb, a, fb.readings[key], asset)
    if in_scope and (publisher := organisation(asset)):
        fb.add(S.publisher(a, publisher.lower()), *[r.at() for r in asset.records])
    several = (
        len(asset.records) > 1
        or any(s.name or s.link for s in asset.licenses)
        or any(r.body_licenses for r in asset.records)
    )
    if several and in_scope:
        for aspect, detail, evidence in disagreements(asset, rb.kb):
            fb.add(S.disagrees(a, aspect, detail), *evidence)
    # a base model named by the asset itself (PRV011) leads back to this card: none to follow
    based = in_scope and any(
        r.relation in BASE_RELATIONS and asset_key(r.kind, r.target) != key
        for record in asset.records
        for r in record.references
    )
    for record in asset.records:
        if not record.has_metadata:
            fb.add(S.no_metadata(a), Evidence(record.source, "front matter", 1))
        if in_scope:
            _record(fb, a, asset.kind, record, rb.profiles, based)


def _record(fb: FactBase, a: int, kind: str, record: AssetRecord, profiles: Mapping[str, Profile], based: bool) -> None:
    """What one manifest of an asset in scope says: its format, its fields and its card's headings
    (as the profiles for the asset's kind read them; `based`: the asset names a base model)."""
    fb.add(S.described_in(a, record.format), record.at())
    for statement in record.statements:
        fb.add(S.states(a, statement.field), statement.evidence)
    if record.sections is not None:
        fb.add(S.card(a), Evidence(record.source, ""))
        kind_profiles = {k: p for k, p in profiles.items() if kind in p.applies_to}
        for section, profile_id, item_id, status in credited(kind_profiles, followed(record.sections, based)):
            heading = S.heading(a, profile_id, item_id, normalise_heading(section.heading), status)
            fb.add(heading, section.evidence, section.judged)


def _unread_license(fb: FactBase, a: int, reading: LicenseReading, asset: Asset) -> None:
    """A release's license statement past a reader's bound is an entry not read (INP001): what the
    release grants is then unknown, and a manifest never lets a release pass unread. An upstream's
    is a license of unknown terms (LIC001, CMP012), as an unknown name is. (Beside alternatives it
    is no `unrecognised` fact, which would give its line: the asset's records are cited.)"""
    for text, why in reading.unread:
        stated = fb.facts.get(S.unrecognised(a, text)) or tuple(r.at("license") for r in asset.records)
        for evidence in stated:
            message = f"the release's license '{text}' is not read: {why}; what it grants is unknown"
            fb.add(S.problem(a, evidence.file, symbol(UNREAD_ENTRY), message), evidence)


def followed(sections: list[Section], based: bool) -> list[Section]:
    """The sections with those that only point to the base model's card ("Same as the base model.")
    filled when the asset names a base model to follow, and placeholders when it names none."""
    settled = SectionStatus.FILLED if based else SectionStatus.PLACEHOLDER
    return [replace(s, status=settled) if s.status == SectionStatus.DEFERRED else s for s in sections]


def _problems(fb: FactBase, graph: AssetGraph, ids: dict[str, int]) -> None:
    """Every problem of the harvest, owned by its asset; one that no asset of the graph owns (a
    manifest too broken to name its asset) by the release, or by the audit when there is none (or
    a lake's many): a broken file can never pass the gate unseen."""
    owner = ids[fb.release] if fb.release else AUDIT
    for problem in graph.harvest.problems:
        a = owner if problem.asset is None else ids.get(problem.asset, owner)
        if problem.code == INCOMPLETE:  # a manifest's own statement of its lineage, read in full
            fb.add(S.lineage_incomplete(a, problem.evidence.file, problem.message), problem.evidence)
        else:
            fb.add(S.problem(a, problem.evidence.file, symbol(problem.code), problem.message), problem.evidence)


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
    for key, twin, file, digest, both in provenance.same_weights(graph):
        if scope is None or key in scope:
            fb.add(S.same_weights(ids[key], ids[twin], file, digest), *both)
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


def _folders(fb: FactBase, graph: AssetGraph, ids: dict[str, int], keys: list[str]) -> None:
    """What the folders of the releases' lineages hold, for the obligation checks: the files each
    distributes and its NOTICE (the releases' own folders: releases.files)."""
    data = shipped.data_files(graph)
    for key in keys:
        asset, a = graph.assets[key], ids[key]
        files, notices = shipped.distributed(asset, data), shipped.notices(asset)
        if files:
            fb.add(S.ships_files(a), *files)
        if notices:
            fb.add(S.has_notice(a), *(where for _, where in notices))


def _licenses(fb: FactBase, a: int, key: str, asset: Asset, unreadable: bool, kb: KnowledgeBase) -> None:
    statements, note = effective_licenses(asset, kb)
    reading = read_declared(statements, kb, asset)
    if note:
        reading = replace(reading, reading=f"{reading.reading}; {note}")
    fb.readings[key] = reading
    evidence = [s.evidence for s in statements] or [r.at("license") for r in asset.records]
    by_license: defaultdict[str, list[Evidence]] = defaultdict(
        list
    )  # each license's own statements, so its evidence is exact
    unlicensed_parts = []  # statements of a list that name no license ("unknown"): their terms are unknown
    for statement in statements:
        one = reading if len(statements) == 1 else read_declared([statement], kb)
        evidence_of = statement.field_evidence(one.decided_by[0] if one.decided_by else "license")
        if not (one.licenses or one.unrecognised or one.alternatives):
            unlicensed_parts.append((statement, one.status, evidence_of))
        named = known_readings(statement, kb)
        for lid in {*one.licenses, *one.unrecognised, *(k for alt in one.alternatives for k in alt)}:
            by_license[dict(reading.granted).get(lid, lid)].append(_naming(statement, lid, named) or evidence_of)
    for lid in reading.licenses:
        fb.add(S.licensed(a, lid), *(by_license.get(lid) or evidence))
    for lid, expression in reading.exceptions:
        fb.add(S.license_exception(a, lid, expression), *(by_license.get(lid) or evidence))
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
    elif unlicensed_parts and reading.status != "ok":
        fb.add(S.unlicensed(a, reading.status), *(where for *_, where in unlicensed_parts))
        for statement, status, where in unlicensed_parts:
            fb.add(S.unlicensed_part(a, _shown(statement), status), where)


def _naming(statement: LicenseStatement, lid: str, named: list[tuple[str, str]]) -> Evidence | None:
    """The first known field of `statement` that names `lid`: where a license_link names a stricter
    license than the license line, that license's evidence is the link."""
    fields = (f for f, expression in named if lid in re.split(r"[\s()]+", expression))
    return next((statement.field_evidence(f) for f in fields), None)


def _shown(statement: LicenseStatement) -> str:
    """A statement as its manifest writes it, to name the part of a license list that is unknown."""
    return statement.raw or statement.name or statement.link or ""
