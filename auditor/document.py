"""The report document: the audit's outcome as plain data, the shape report.json publishes.

Formatters (JSON, HTML, terminal) render this dictionary and nothing else, so `report.json` can
be rendered again later without re-running the audit. Its schema is report.schema.json.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from auditor import __version__, config, review, rulebase
from auditor.audit import Audit
from auditor.facts import effective_licenses
from auditor.findings import display_id
from auditor.licenses import NEVER, interpret
from auditor.vocabulary import ObligationStatus, ReviewStatus, Severity, Verdict

SCHEMA_VERSION = "1.4.0"
STALE_RULE = "LIC003"  # the finding that an answer rests on stale license knowledge
OUTBOUND_TERMS = ("share_alike", "no_derivatives", "unknown_terms")  # besides the persisting limitations


def build(
    audit: Audit,
    as_of: dt.date | None = None,
    baseline: tuple[str, dict] | None = None,
    created: dt.datetime | None = None,
) -> dict:
    """The document of `audit`, with its resolutions applied (expiry judged on `as_of`, default
    the audit's own date) and, given an earlier report (name, document), each finding marked new or
    unchanged. `created` is recorded only when asked for: otherwise the same input gives the same bytes."""
    doc = _document(audit)
    doc["created"] = created.astimezone(dt.UTC).isoformat(timespec="seconds") if created else None
    doc["review"] = {
        "as_of": None,
        "problems": audit.review.problems_of("curations"),
        "baseline": None,
        "resolutions": {"file": None, "applied": 0, "orphaned": []},
        "curations": {
            "file": audit.review.files.get("curations"),
            "applied": sorted(a["id"] for a in doc["assets"] if a["curation"]),
            "orphaned": audit.orphaned_curations,
        },
    }
    return apply_review(doc, audit.review, as_of or audit.settings.as_of, baseline)


def apply_review(
    doc: dict, decisions: review.Review | None, as_of: dt.date | None = None, baseline: tuple[str, dict] | None = None
) -> dict:
    """Apply resolutions (when `decisions` is given) and a baseline to a document, then count again:
    shared by the audit and by `mlaudit report`, which re-renders a stored document."""
    if decisions is not None:
        review.resolve(doc, decisions, as_of or config.today())
    if baseline is not None:
        review.compare(doc, baseline[1], baseline[0])
    open_ = [f for f in doc["findings"] if f["status"] == "open"]
    counts = {s: sum(1 for f in open_ if f["severity"] == s) for s in Severity}
    doc["counts"] = {"open": len(open_), "resolved": len(doc["findings"]) - len(open_), **counts}
    doc["verdict"] = _verdict(doc, counts)
    return doc


def _verdict(doc: dict, counts: dict) -> str:
    if doc["release"]["asset"] is None:
        return Verdict.INCOMPLETE
    return Verdict.FAIL if counts[Severity.ERROR] else Verdict.PASS


def _document(audit: Audit) -> dict:
    graph, fb, result, settings = audit.graph, audit.facts, audit.result, audit.settings
    position = rulebase.positions()[settings.position]
    names = {key: display_id(key, graph) for key in graph.assets}  # each edge names two of them
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "mlaudit", "version": __version__},
        "position": settings.position,
        "profiles": list(settings.profiles),
        "engines": list(result.engines),
        "rule_base": {"version": __version__, "sha256": rulebase.fingerprint()},
        "input": {"sha256": graph.harvest.fingerprint, "files": len(graph.harvest.inventory)},
        "knowledge": _knowledge(audit),
        "position_summary": position.summary,
        "verdict": None,  # set by apply_review, with the counts
        "release": {
            "asset": display_id(fb.release, graph) if fb.release else None,
            "use": settings.use,
            "distribution": settings.distribution,
            "basis": fb.release_basis,
            "use_category": result.use_categories.get(fb.release, "unspecified") if fb.release else None,
        },
        "counts": None,
        "assets": [_asset(key, names[key], audit) for key in graph.assets],
        "edges": [
            {
                "child": names[e.child],
                "parent": names[e.parent],
                "relation": e.relation,
                "basis": e.basis,
                "file": e.evidence.file,
                "pointer": e.evidence.pointer,
                "line": e.evidence.line,
            }
            for e in graph.edges
        ],
        "findings": [_finding(f) for f in result.findings],
        "obligations": [
            {
                "term": o.term,
                "kind": o.kind,
                "license": o.license,
                "license_name": o.license_name,
                "text": o.text,
                "clause": o.clause,
                "source": o.source,
                "values": list(o.values),
                "imposed_by": list(o.imposed_by),
                "status": o.status,
                "status_evidence": _steps(o.status_evidence),
                "notices": [{"asset": n.asset, "file": n.file, "text": n.text} for n in o.notices],
            }
            for o in result.obligations
        ],
        "obligation_counts": {s: sum(1 for o in result.obligations if o.status == s) for s in ObligationStatus},
        "outbound_licenses": result.outbound,
        "outbound_requirements": [
            {"term": o.term, "license": o.license, "imposed_by": list(o.imposed_by)}
            for o in result.obligations
            if o.term in OUTBOUND_TERMS or audit.kb.term_kinds[o.term].get("persists")
        ],
        "license_choices": [
            {"asset": c.asset, "chosen": list(c.chosen), "alternatives": [list(a) for a in c.alternatives]}
            for c in result.choices
        ],
        "repairs": _repairs(result, fb),
        "documentation": [_documentation(d) for d in result.documentation],
        "documentation_summary": _documentation_summary(result.documentation),
        "inventory": [
            {"file": i.file, "format": i.format, "status": i.status, "reason": i.reason}
            for i in sorted(graph.harvest.inventory, key=lambda i: i.file)
        ],
    }


def _knowledge(audit: Audit) -> dict | None:
    """The date and age license knowledge was judged stale by, recorded only when a finding rests
    on an entry verified too long ago: otherwise the report does not depend on the day it is run."""
    if not any(f.rule == STALE_RULE and f.detail["verified_at"] != NEVER for f in audit.result.findings):
        return None
    return {"as_of": audit.settings.as_of.isoformat(), "max_age_months": audit.settings.knowledge_max_age_months}


def _documentation(d) -> dict:
    entry = {
        "asset": d.asset,
        "profile": d.profile,
        "score": d.score,
        "missing": [{"item": i, "expected": e, "how_to_fix": h} for i, e, h in d.missing],
    }
    if d.openness_class is not None:
        entry.update({"class": d.openness_class, "progress": d.progress})
    return entry


def _documentation_summary(documentation) -> list[dict]:
    """Per profile, the mean score over the assets it applies to (the release and its lineage)."""
    by_profile = defaultdict(list)
    for d in documentation:
        by_profile[d.profile].append(d.score)
    return [{"profile": p, "score": round(sum(s) / len(s)), "assets": len(s)} for p, s in sorted(by_profile.items())]


def _repairs(result, fb) -> dict:
    """What would make the release compliant: the smallest changes upstream."""
    if result.repairs is None:
        return {
            "status": "impossible",
            "sets": [],
            "changes": [],
            "note": "no change to the upstream assets or their license choices clears the release's license conflicts",
        }
    if not result.repairs:
        return {
            "status": "not-needed",
            "sets": [],
            "changes": [],
            "note": "the release has no error-level license conflict"
            if fb.release
            else "no release asset was identified",
        }
    return {
        "status": "found",
        "sets": [list(f.remove) for f in result.repairs],
        "changes": [_change(f) for f in result.repairs],
        "note": "any one change clears the release's error-level license conflicts: remove every asset it "
        "names (or relicense it, or curate its license if it was misread) and take the licenses it names",
    }


def _change(fix) -> dict:
    return {
        "remove": list(fix.remove),
        "choose": [{"asset": a, "license": lic} for a, lic in fix.choose],
        "raises": list(fix.raises),
    }


def _fix(f) -> dict | None:
    """A conflict's own "what would fix it"; None for findings of other families."""
    if f.remedy is None:
        return None
    return {"status": f.remedy.status, "changes": [_change(x) for x in f.remedy.changes], "note": f.remedy.note}


def _asset(key: str, name: str, audit: Audit) -> dict:
    asset = audit.graph.assets[key]
    reading = audit.facts.readings.get(key)
    return {
        "id": name,
        "kind": asset.kind,
        "name": asset.id,
        "resolved": asset.resolved,
        "declared_licenses": [
            {
                "raw": s.raw,
                "name": s.name,
                "link": s.link,
                "file": s.evidence.file,
                "pointer": s.evidence.pointer,
                "line": s.evidence.line,
            }
            for s in asset.licenses
        ],
        "license": reading.expression if reading and reading.status == "ok" else None,
        "license_status": reading.status if reading else "unknown",
        "license_reading": reading.reading if reading else "no manifest describes this asset",
        "use_category": audit.result.use_categories.get(key, "unspecified"),
        "sources": asset.sources,
        "curation": _curation(asset, audit),
    }


def _curation(asset, audit: Audit) -> dict | None:
    """The reviewer's correction beside the value the manifests gave, so both stay visible."""
    c = asset.curation
    if c is None:
        return None
    original = interpret(effective_licenses(asset, curated=False)[0], audit.kb)
    return {
        "license": c.license,
        "original": original.expression or f"({original.status})",
        "comment": c.comment,
        "curator": c.curator,
        "date": c.date,
        "file": c.evidence.file,
        "line": c.evidence.line,
    }


def _finding(f) -> dict:
    return {
        "id": f.id,
        "rule": f.rule,
        "family": f.family,
        "severity": f.severity,
        "asset": f.asset,
        "message": f.message,
        "how_to_fix": f.how_to_fix,
        "detail": f.detail,
        "evidence": _steps(f.evidence),
        "fix": _fix(f),
        "status": ReviewStatus.OPEN,
        "resolution": None,
        "baseline": None,
    }


def _steps(steps) -> list[dict]:
    return [{"asset": s.asset, "fact": s.fact, "file": s.file, "pointer": s.pointer, "line": s.line} for s in steps]
