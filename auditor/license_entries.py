"""The knowledge base as `mlaudit licenses list` and `mlaudit licenses show` print it: one entry's
summary line, and everything it holds (provenance, age, terms with their clauses)."""

from __future__ import annotations

import datetime as dt

from auditor import licenses
from auditor.license_scope import Trigger
from auditor.licenses import License
from auditor.parsed import JSONObject


def summary(lic: License) -> JSONObject:
    """One line of `mlaudit licenses list`."""
    return {
        "id": lic.id,
        "name": lic.name,
        "family": lic.family,
        "use": lic.use,
        "verified_at": lic.verified_at,
        "clause_level": licenses.clause_level(lic),
    }


def details(lic: License, as_of: dt.date) -> JSONObject:
    """Everything the knowledge base holds about one license, for `mlaudit licenses show`."""
    return {
        **summary(lic),
        "category": lic.category,
        "file": lic.file,
        "source": lic.source,
        "text_read": lic.text_read,
        "text_sha256": lic.text_sha256,
        "as_of": as_of.isoformat(),
        "age_months": licenses.age_months(lic.verified_at, as_of) if lic.verified_at else None,
        "aliases": list(lic.aliases),
        "training": lic.training,
        "training_basis": lic.training_basis,
        "outputs": lic.outputs,
        "outputs_basis": lic.outputs_basis,
        "reaches": [
            {"relation": r, "terms": [t for relation, t in lic.reach_terms if relation == r]} for r in lic.reaches
        ],
        "copyleft_triggers": list(lic.copyleft_triggers),
        "copyleft_scope": lic.copyleft_scope,
        "copyleft_basis": lic.copyleft_basis,
        "triggers": [_trigger(t) for t in lic.triggers],
        "copyleft_relations": [_trigger(t) for t in lic.copyleft_relations],
        "licensor": lic.licensor,
        "licensor_orgs": list(lic.licensor_orgs),
        "terms": [
            {
                "term": t.term,
                "kind": t.kind,
                "text": t.text,
                "clause": t.clause,
                "source": t.source,
                "values": list(t.values),
                "accepts": list(t.accepts),
            }
            for t in lic.terms
        ],
    }


def _trigger(trigger: Trigger) -> JSONObject:
    """A trigger as printed: the holdings it binds, where it names them, beside its distributions."""
    return {
        "term": trigger.term,
        "distributions": list(trigger.distributions),
        "relations": list(trigger.relations),
        "clause": trigger.clause,
    }
