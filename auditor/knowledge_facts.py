"""Encode the rule base itself as facts: the license knowledge (terms, licenses, which entries are
stale on the audit's date), the documentation profiles and each rule's severity and family.

These facts are the same for every asset graph judged with one rule base and settings; the facts
of the graph are facts.py's.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping

from auditor import schema
from auditor.config import Settings, today
from auditor.license_scope import COPYLEFT_TERMS
from auditor.licenses import NEVER, UNKNOWN, KnowledgeBase, License, stale
from auditor.model import FATAL, Evidence, symbol
from auditor.predicate_spec import Fact
from auditor.profiles import Profile
from auditor.rulebase import Rule, RuleBase

S = schema.S
Facts = Iterator[tuple[Fact, Evidence | None]]  # each fact with where it was read, if anywhere


def knowledge(rb: RuleBase, settings: Settings) -> Facts:
    """Every knowledge fact of `rb`, in a fixed order."""
    yield from _terms(rb.kb)
    for lic in rb.kb.licenses.values():
        yield from _license(lic, rb.kb)
    yield S.term(UNKNOWN, "unknown_terms"), None
    yield from _profiles(rb.profiles)
    yield from _staleness(rb.kb, settings)
    yield from _rules(rb.rules)
    for code in sorted(FATAL):
        yield S.fatal(symbol(code)), None


def categorised(kb: KnowledgeBase, license_ids: Iterable[str]) -> Facts:
    """The knowledge of the licences among `license_ids` that are known by their LicenseDB category
    only: built for the licences an audit meets, not for the 2,388 the index lists."""
    for lid in sorted(set(license_ids)):
        lic = kb.entry(lid)
        if lic is None or lic.category is None or kb.index is None:
            continue
        yield from _license(lic, kb)
        yield S.category_level(lid, lic.category), None
        if kb.index.categories[lic.category].read:
            yield S.read_required(lid), None


def _terms(kb: KnowledgeBase) -> Facts:
    for term, info in kb.term_kinds.items():
        yield S.term_kind(term, info["kind"]), None
        if "use_rank" in info:
            yield S.use_rank(term, info["use_rank"]), None
        if info.get("persists"):
            yield S.persists(term), None
        if info.get("licensors_own"):
            yield S.licensors_own(term), None
        if info.get("adaptation_only"):
            yield S.adaptation_only(term), None
        if "check" in info:
            yield S.term_check(term, info["check"]), None


def _license(lic: License, kb: KnowledgeBase) -> Facts:
    yield S.license(lic.id, lic.family.replace("-", "_")), None
    if lic.copyleft_scope == "part":
        yield S.copyleft_part(lic.id), Evidence(lic.file, "copyleft_scope")
    if lic.conditions_basis:
        for name in {t.term for t in lic.terms} - set(COPYLEFT_TERMS):
            yield S.shared_condition(lic.id, name, lic.conditions_basis), Evidence(lic.file, "conditions_basis")
    for name in {t.term for t in lic.terms}:
        yield S.term(lic.id, name), None
    for relation in lic.reaches:
        yield S.binds(lic.id, relation), None
    for relation, reaching in lic.reach_terms:
        yield S.binds_term(lic.id, reaching, relation), None
    if lic.training == "binds":
        yield S.training_binding(lic.id), None
    if lic.training == "frees":
        yield S.training_frees(lic.id), None
    if lic.outputs == "frees":
        yield S.outputs_frees(lic.id), None
    for distribution in lic.copyleft_triggers:
        yield S.copyleft_trigger(lic.id, distribution), Evidence(lic.file, "copyleft_triggers")
    for trigger in lic.triggers:
        for distribution in trigger.distributions:
            yield S.term_trigger(lic.id, trigger.term, distribution, trigger.clause), None
    for trigger in lic.triggers + lic.copyleft_relations:
        for distribution, holding in itertools.product(trigger.distributions, trigger.relations):
            yield S.trigger_relation(lic.id, trigger.term, distribution, holding, trigger.clause), None
    for org in lic.licensor_orgs:
        yield S.licensor_org(lic.id, org.lower()), None
    for other in lic.share_alike_compatible:
        yield S.share_alike_compatible(lic.id, other), None
    for term in lic.terms:
        for value in term.values or kb.term_kinds[term.term].get("default_values", []):
            yield S.term_value(lic.id, term.term, value), None
        for value in term.accepts:
            yield S.term_accepts(lic.id, term.term, value), None
        if term.uri_suffices:
            yield S.uri_suffices(lic.id, term.term), None
        if term.own_notice:
            yield S.own_notice(lic.id, term.term), None


def _profiles(profiles: Mapping[str, Profile]) -> Facts:
    for profile in profiles.values():
        for kind in profile.applies_to:
            yield S.profile(profile.id, kind), None
        for fmt in profile.formats:
            yield S.profile_format(profile.id, fmt), None
        for item in profile.items:
            yield S.item(profile.id, item.id), None
            for name in item.fields:
                yield S.item_field(profile.id, item.id, name), None
            if item.license:
                yield S.item_license(profile.id, item.id), None
            if item.required:
                yield S.required_item(profile.id, item.id), None


def _staleness(kb: KnowledgeBase, settings: Settings) -> Facts:
    """Which entries are too old to rely on without a fresh look, judged here so that no date
    reaches the rules (on the audit's as-of date, today when none is set)."""
    as_of = settings.as_of or today()
    for lic in kb.licenses.values():
        if stale(lic, as_of, settings.knowledge_max_age_months):
            yield S.stale(lic.id, lic.verified_at or NEVER), Evidence(lic.file, "verified_at")


def _rules(rules: Mapping[str, Rule]) -> Facts:
    for rule in rules.values():
        yield S.rule_severity(rule.id, rule.severity), None
        yield S.rule_family(rule.id, rule.family), None
        if rule.reports_check:
            yield S.reports_check(rule.id, rule.reports_check), None
