"""Interpret: read the engine's atoms back as the audit's Interpretation.

Each finding gets its message (the rule's template filled with the finding's details) and its
evidence chain (auditor/chains.py); obligations, use categories, outbound licenses, license
choices and documentation scores are read from their own atoms. The result is finished here,
except for the remedies the repair search adds afterwards (auditor/repair.py).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from itertools import chain
from typing import NamedTuple

from auditor import disagreements, documentation, obligations, schema
from auditor.chains import CHAINED, Chains
from auditor.claims import effective_licenses
from auditor.facts import FactBase
from auditor.interpretation import Choice, Finding, Interpretation, Row
from auditor.license_reading import read_declared
from auditor.licenses import KnowledgeBase
from auditor.model import AssetGraph
from auditor.parsed import JSON
from auditor.profiles import Profile
from auditor.reasoning import Reasoning
from auditor.rulebase import Rule, RuleBase
from auditor.vocabulary import SEVERITIES, Relation

ENGINES_DISAGREE = "INP004"


def read_atoms(
    reasoning: Reasoning,
    fb: FactBase,
    graph: AssetGraph,
    rb: RuleBase,
    mof: bool = False,
) -> Interpretation:
    """The interpretation of `reasoning`'s atoms under the rule base `rb`; `mof`: the audit
    selected the MOF profile."""
    atoms, kb, rules = reasoning.atoms, rb.kb, rb.rules
    chains = Chains(fb, graph, kb, atoms.get("via", []), atoms.get("newest_via", []), atoms.get("chosen", []))
    release = fb.keys.index(fb.release) if fb.release else None
    found = _item_fixes(listed(reasoning, chains, rules), rb.profiles)
    owed = obligations.read(atoms, release, chains) if release is not None else ()
    limiting = {(lic, term) for r, lic, term in atoms.get("outbound_requirement", []) if r == release}
    return Interpretation(
        findings=found,
        obligations=owed,
        outbound=tuple(sorted(lic for r, lic in atoms.outbound if r == release)),
        outbound_requirements=tuple(o for o in owed if (o.license, o.term) in limiting),
        use_categories={fb.keys[a]: c.replace("_", "-") for a, c in atoms.use_category},
        choices=_choices([c for c in atoms.get("chosen", []) if c[0] != release], chains),
        documentation=documentation.scores(atoms, chains, rb.profiles, fb)
        + (documentation.openness_classes(graph, fb, rb.framework) if mof else ()),
        engines=reasoning.engines,
        release=fb.release,
        release_basis=fb.release_basis,
        readings=fb.readings,
        curated_from=_curated_from(graph, kb),
        lineage=None if fb.cone is None else frozenset(fb.keys[i] for i in fb.cone),
    )


def listed(reasoning: Reasoning, chains: Chains, rules: Mapping[str, Rule]) -> tuple[Finding, ...]:
    """The findings alone (all a lake audit reads): the engines' disagreements first, then the rules'."""
    return (
        *disagreements.findings(reasoning.differences, rules[ENGINES_DISAGREE]),
        *_findings(reasoning.atoms, chains, rules),
    )


def _findings(atoms: dict[str, list[Row]], chains: Chains, rules: Mapping[str, Rule]) -> tuple[Finding, ...]:
    """The rules' findings, in report order: severity, rule, asset, details."""
    because: dict[Row, list[Row]] = defaultdict(list)
    for row in atoms.get("because", []):
        because[tuple(row[:-1])].append(row[-1])
    keys = chains.fb.keys
    named: dict[Row, tuple[bool, str]] = {}  # findings share facts: each keyed once, when it has to be

    def order(fact: Row) -> tuple[bool, str]:
        if fact not in named:
            named[fact] = (fact[0] in CHAINED, _named(fact, keys))
        return named[fact]

    stated: dict[Row, Stated] = {}  # a rule's details as they read, shared by its findings with the same values
    found = []
    for row in map(tuple, atoms.get("finding", [])):
        facts = because[row]
        evidence = sorted(facts, key=order) if facts[1:] else facts
        values = (row[0], *row[2:])
        said = stated.get(values) or stated.setdefault(values, _stated(rules[row[0]], row, chains))
        found.append(_finding(rules[row[0]], said, row, evidence, chains))
    return tuple(sorted(found, key=report_order))


def _item_fixes(found: tuple[Finding, ...], profiles: Mapping[str, Profile]) -> tuple[Finding, ...]:
    """A finding about one item of a profile says first how to write that item (the profile's own
    advice, "Add '## Citation' with a BibTeX entry ..."): a SARIF alert has no documentation table."""
    fixes = {(p.id, i.id): i.how_to_fix for p in profiles.values() for i in p.items}
    return tuple(
        replace(f, how_to_fix=f"{fix} {f.how_to_fix}")
        if (fix := fixes.get((str(f.detail.get("profile")), str(f.detail.get("item")))))
        else f
        for f in found
    )


def report_order(f: Finding) -> tuple[int, str, str, list[str]]:
    """Findings in report order: severity, rule, asset, details."""
    return (SEVERITIES.index(f.severity), f.rule, f.asset or "", list(map(str, f.detail.values())))


def _named(fact: Row, keys: list[str]) -> str:
    """A fact as text with its assets named by key, not by their ids in this audit: the order of a
    finding's evidence does not depend on which other assets the graph holds (a cone or the lake)."""
    predicate = schema.SCHEMA.get(str(fact[0]))
    positions = predicate.asset_positions if predicate else ()
    return repr(tuple(keys[v] if i in positions and isinstance(v, int) else v for i, v in enumerate(fact)))


class Stated(NamedTuple):
    """What a finding's detail values give it, the same for each asset the rule finds them at."""

    detail: dict[str, JSON]
    fields: dict[str, JSON]  # the details as its message states them
    identity: str  # the details as its id hashes them, each after a "|"


def _stated(rule: Rule, row: Row, chains: Chains) -> Stated:
    """The detail, message fields and identity of the rule's finding `row`, but for its asset."""
    values, keys = row[2:], chains.fb.keys
    specs = [spec.partition(":") for spec in rule.detail]
    if len(values) != len(specs):
        raise ValueError(f"{rule.id}: finding has {len(values)} detail values, metadata names {len(specs)}")
    pairs = [(name, kind == "asset", v) for (name, _, kind), v in zip(specs, values, strict=True)]
    detail: dict[str, JSON] = {name: chains.name(v) if asset else v for name, asset, v in pairs}
    identity = "".join(f"|{keys[v] if asset else v}" for _, asset, v in pairs)
    return Stated(detail, _message_fields(detail, chains), identity)


def _finding(rule: Rule, said: Stated, row: Row, facts: list[Row], chains: Chains) -> Finding:
    key = f"{rule.id}|{chains.fb.keys[row[1]]}{said.identity}"
    fingerprint = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    asset = chains.name(row[1])
    return Finding(
        f"{rule.id}-{fingerprint}",
        rule.id,
        rule.family,
        rule.severity,
        asset,
        rule.message.format(asset=asset, **_as_declared(rule, said.fields, row, chains)),
        rule.how_to_fix,
        said.detail,
        tuple(dict.fromkeys(chain.from_iterable(map(chains.steps, facts)))),
        row,
        covers=tuple((str(f[2]), str(f[3])) for f in facts if f[0] == "inherited" and f[1] == row[1]),
    )


def _as_declared(rule: Rule, fields: dict[str, JSON], row: Row, chains: Chains) -> dict[str, JSON]:
    """The message fields, each detail the rule marks `name:declared` (the asset's own license)
    stated as the asset declares it: with its exception (SPDX WITH), which the license id drops."""
    reading = chains.fb.readings.get(chains.fb.keys[row[1]])
    if reading is None or not reading.exceptions:
        return fields
    excepted = dict(reading.exceptions)
    own = [name for name, _, kind in (spec.partition(":") for spec in rule.detail) if kind == "declared"]
    return fields | {name: excepted.get(str(fields[name]), fields[name]) for name in own}


def _message_fields(detail: dict[str, JSON], chains: Chains) -> dict[str, JSON]:
    """A finding's details as its message states them: symbols hyphenated, relations as nouns
    (and as the phrase joining child and parent, `relation_phrase`), and the text of the license
    term it names."""
    fields = {k: (v.replace("_", "-") if k in ("term", "use", "reason", "answer") else v) for k, v in detail.items()}
    if "relation" in fields:
        relation = Relation(fields["relation"])
        fields["relation"], fields["relation_phrase"] = relation.noun, relation.phrase
    if "term" in detail:
        term = chains.term(str(detail.get("license", "")), str(detail["term"]))
        fields["term_text"] = term.text if term else chains.kb.term_kinds[detail["term"]]["summary"]
    return fields


def _choices(chosen: list[Row], chains: Chains) -> tuple[Choice, ...]:
    """The alternative the solver relied on, for each upstream offered under several licenses (the
    release's own alternatives are its recipients' choice: the rules judge each)."""
    readings, keys = chains.fb.readings, chains.fb.keys
    return tuple(
        Choice(chains.name(a), readings[keys[a]].alternatives[i - 1], readings[keys[a]].alternatives)
        for a, i in sorted(chosen, key=lambda c: keys[c[0]])
    )


def _curated_from(graph: AssetGraph, kb: KnowledgeBase) -> dict[str, str]:
    """What the manifests of each curated asset say its license is, shown beside the curation."""
    found = {}
    for key, asset in graph.assets.items():
        if asset.curation is not None:
            original = read_declared(effective_licenses(asset, kb, curated=False)[0], kb, asset)
            found[key] = original.expression or f"({original.status})"
    return found
