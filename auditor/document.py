"""The report document: the audit's outcome as plain data, the shape report.json publishes.

Formatters (JSON, HTML, terminal) render this dictionary and nothing else, so `report.json` can
be rendered again later without re-running the audit. Its schema is report.schema.json. This
module only reshapes: every conclusion comes from the interpretation, none is drawn here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from auditor import __version__, config, osadl, review, rulebase
from auditor.baseline import compare as compare_baseline
from auditor.config import Settings
from auditor.interpretation import Documentation, Finding, Interpretation, Obligation, Step
from auditor.licenses import NEVER
from auditor.model import Asset, AssetGraph
from auditor.naming import display_id
from auditor.parsed import JSON, JSONObject
from auditor.remedy import Change, Remedy
from auditor.vocabulary import ObligationStatus, ReviewStatus, Severity, Verdict

SCHEMA_VERSION = "1.8.0"
STALE_RULE = "LIC003"  # the finding that an answer rests on stale license knowledge


def build(
    result: Interpretation,
    curated: review.Curated,
    settings: Settings,
    decisions: review.Review,
    rb: rulebase.RuleBase,
    as_of: dt.date | None = None,
    baseline: tuple[str, dict[str, JSON]] | None = None,
    created: dt.datetime | None = None,
) -> dict[str, JSON]:
    """The document of an audit's interpretation over its curated graph, judged by the rule base
    `rb` (whose rules the document carries, so it can be rendered again as it was), with its resolutions applied
    (expiry judged on `as_of`, default the audit's own date) and, given an earlier report (name,
    document), each finding marked new or unchanged. `created` is recorded only when asked for:
    otherwise the same input gives the same bytes."""
    doc = _document(result, curated.graph, settings, rb)
    doc["release"] = _release(result, curated.graph, settings, curated.outside)
    doc["created"] = created.astimezone(dt.UTC).isoformat(timespec="seconds") if created else None
    doc["review"] = {
        "as_of": None,
        "problems": decisions.problems_of("curations") + list(curated.problems),
        "baseline": None,
        "resolutions": {"file": None, "applied": 0, "orphaned": []},
        "curations": {
            "file": decisions.files.get("curations"),
            "applied": sorted(a["id"] for a in doc["assets"] if a["curation"]),
            "orphaned": list(curated.orphaned),
        },
    }
    return apply_review(doc, decisions, as_of or settings.as_of, baseline)


def apply_review(
    doc: dict[str, JSON],
    decisions: review.Review | None,
    as_of: dt.date | None = None,
    baseline: tuple[str, dict[str, JSON]] | None = None,
) -> dict[str, JSON]:
    """Apply resolutions (when `decisions` is given) and a baseline to a document, then count again:
    shared by the audit and by `mlaudit report`, which re-renders a stored document."""
    if decisions is not None:
        review.resolve(doc, decisions, as_of or config.today())
    if baseline is not None:
        compare_baseline(doc, baseline[1], baseline[0])
    _resolved_terms(doc)
    open_ = [f for f in doc["findings"] if f["status"] == "open"]
    counts = {s.value: sum(1 for f in open_ if f["severity"] == s) for s in Severity}
    doc["counts"] = {"open": len(open_), "resolved": len(doc["findings"]) - len(open_), **counts}
    doc["verdict"] = _verdict(doc, counts)
    return doc


def _resolved_terms(doc: dict[str, JSON]) -> None:
    """Each obligation's resolved findings with their decisions: its status stays as the files show
    it, beside the decision that accepts it (a report of schema 1.7 or earlier links none)."""
    resolved = {f["id"]: f for f in doc["findings"] if f["status"] == ReviewStatus.RESOLVED}
    for o in doc["obligations"]:
        ids = [i for i in o.get("findings", []) if i in resolved]
        o["resolved"] = [{"finding": i, **resolved[i]["resolution"]} for i in ids]


def _verdict(doc: dict[str, JSON], counts: dict[str, int]) -> str:
    if doc["release"]["asset"] is None:
        return Verdict.INCOMPLETE.value
    return (Verdict.FAIL if counts[Severity.ERROR] else Verdict.PASS).value


def _document(result: Interpretation, graph: AssetGraph, settings: Settings, rb: rulebase.RuleBase) -> dict[str, JSON]:
    names = {key: display_id(key, graph) for key in graph.assets}  # each edge names two of them
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "mlaudit", "version": __version__},
        "position": settings.position,
        "profiles": list(settings.profiles),
        "engines": list(result.engines),
        "rule_base": {
            "version": __version__,
            "sha256": rb.fingerprint,
            "rules": rulebase.descriptors(rb.rules),
            "compatibility_matrix": osadl.load().describe(),
        },
        "input": {"sha256": graph.harvest.fingerprint, "files": len(graph.harvest.inventory)},
        "knowledge": _knowledge(result, settings),
        "position_summary": rb.positions[settings.position].summary,
        "verdict": None,  # set by apply_review, with the counts
        "release": None,  # set by build, with what the cut to the lineage left out
        "counts": None,
        "assets": [_asset(key, names[key], asset, result) for key, asset in graph.assets.items()],
        "edges": [
            {
                "child": names[e.child],
                "parent": names[e.parent],
                "relation": e.relation,
                "basis": e.basis,
                "file": e.evidence.file,
                "pointer": e.evidence.pointer,
                "line": e.evidence.line,
                "in_lineage": _in_lineage(e.child, result),
            }
            for e in graph.edges
        ],
        **_conclusions(result, names.get(result.release) if result.release else None),
        "inventory": [
            {"file": i.file, "format": i.format, "status": i.status, "reason": i.reason}
            for i in sorted(graph.harvest.inventory, key=lambda i: i.file)
        ],
    }


def _conclusions(result: Interpretation, release: str | None) -> dict[str, JSON]:
    """What the audit concludes, beyond the graph: findings, obligations, licenses, documentation."""
    concerning = defaultdict(list)  # (license, term) -> the release's errors and warnings about it
    for f in result.findings:
        if f.asset == release and f.severity != Severity.INFO:
            for covered in f.covers:
                concerning[covered].append(f.id)
    return {
        "findings": [finding(f) for f in result.findings],
        "obligations": [_obligation(o, concerning[(o.license, o.term)]) for o in result.obligations],
        "obligation_counts": {s.value: sum(1 for o in result.obligations if o.status == s) for s in ObligationStatus},
        "outbound_licenses": list(result.outbound),
        "outbound_requirements": [
            {"term": o.term, "license": o.license, "imposed_by": list(o.imposed_by)}
            for o in result.outbound_requirements
        ],
        "license_choices": [
            {"asset": c.asset, "chosen": list(c.chosen), "alternatives": [list(a) for a in c.alternatives]}
            for c in result.choices
        ],
        "repairs": _repairs(result.remedy),
        "documentation": [_documentation(d) for d in result.documentation],
        "documentation_summary": _documentation_summary(result.documentation),
    }


def _release(
    result: Interpretation, graph: AssetGraph, settings: Settings, outside: tuple[int, int]
) -> dict[str, JSON]:
    """The release and how it is released; with the assets and edges of the folder outside its
    lineage (cut before encoding: auditor/cone.py) counted, and what of mlaudit.toml was not used
    (a [release] of another asset), when there are any."""
    cut: dict[str, JSON] = {"outside_lineage": {"assets": outside[0], "edges": outside[1]}} if any(outside) else {}
    unused: dict[str, JSON] = {"unused_settings": list(settings.unused)} if settings.unused else {}
    return {
        "asset": display_id(result.release, graph) if result.release else None,
        "use": settings.use,
        "distribution": settings.distribution,
        "basis": result.release_basis,
        "use_category": result.use_categories.get(result.release, "unspecified") if result.release else None,
        **cut,
        **unused,
    }


def _knowledge(result: Interpretation, settings: Settings) -> dict[str, JSON] | None:
    """The date and age license knowledge was judged stale by, recorded only when a finding rests
    on an entry verified too long ago: otherwise the report does not depend on the day it is run."""
    if not any(f.rule == STALE_RULE and f.detail["verified_at"] != NEVER for f in result.findings):
        return None
    assert settings.as_of is not None  # an audit's settings always hold its date (audit._read)
    return {"as_of": settings.as_of.isoformat(), "max_age_months": settings.knowledge_max_age_months}


def _obligation(o: Obligation, findings: list[str]) -> dict[str, JSON]:
    return {
        "term": o.term,
        "kind": o.kind,
        "license": o.license,
        "license_name": o.license_name,
        "text": o.text,
        "clause": o.clause,
        "source": o.source,
        "read_on": o.read_on,
        "values": list(o.values),
        "imposed_by": list(o.imposed_by),
        "status": o.status,
        "status_evidence": _steps(o.status_evidence),
        "notices": [{"asset": n.asset, "file": n.file, "text": n.text} for n in o.notices],
        "copyrights": [{"asset": n.asset, "file": n.file, "line": n.line, "text": n.text} for n in o.copyrights],
        "uri_suffices": o.uri_suffices,
        "triggered": o.triggered,
        "findings": list(findings),
        "resolved": [],  # set by apply_review
    }


def _documentation(d: Documentation) -> dict[str, JSON]:
    entry: dict[str, JSON] = {
        "asset": d.asset,
        "profile": d.profile,
        "score": d.score,
        "missing": [
            {"item": i, "expected": e, "how_to_fix": h} | ({"seen": s} if s else {}) for i, e, h, s in d.missing
        ],
    }
    if d.openness_class is not None:
        entry.update({"class": d.openness_class, "progress": dict(d.progress or {})})
    return entry


def _documentation_summary(documentation: Iterable[Documentation]) -> list[dict[str, JSON]]:
    """Per profile, the mean score over the assets it applies to (the release and its lineage)."""
    by_profile: dict[str, list[int]] = defaultdict(list)
    for d in documentation:
        by_profile[d.profile].append(d.score)
    return [{"profile": p, "score": round(sum(s) / len(s)), "assets": len(s)} for p, s in sorted(by_profile.items())]


def _repairs(remedy: Remedy | None) -> dict[str, JSON]:
    """What would make the release compliant: the smallest changes, to the release first."""
    if remedy is None:
        raise ValueError("the interpretation has no release remedy: run the repair search (auditor.repair) first")
    aside: dict[str, JSON] = {"set_aside": list(remedy.set_aside)} if remedy.set_aside else {}
    return {
        "status": remedy.status,
        "sets": [list(c.remove) for c in remedy.changes],
        "changes": [_change(c) for c in remedy.changes],
        "note": remedy.note,
        **aside,
    }


def _change(change: Change) -> dict[str, JSON]:
    return {
        "remove": list(change.remove),
        "choose": [{"asset": a, "license": lic} for a, lic in change.choose],
        "raises": list(change.raises),
        "edits": [{"kind": str(e.kind), "value": e.value, "file": e.file, "says": e.says} for e in change.edits],
        "says": change.says(),
    }


def worded(doc: JSONObject) -> JSONObject:
    """A stored report of schema 1.5 or earlier with the words of each change (`says`, and no
    `edits`: its search changed upstream assets only), which it did not record, so that it renders."""
    for remedy in [doc["repairs"], *(f["fix"] for f in doc["findings"] if f.get("fix"))]:
        for c in remedy["changes"]:
            if "says" not in c:
                choose = tuple((x["asset"], x["license"]) for x in c["choose"])
                c.update(_change(Change(tuple(c["remove"]), choose, tuple(c["raises"]))))
    return doc


def _fix(remedy: Remedy | None) -> dict[str, JSON] | None:
    """A conflict's own "what would fix it"; None for findings of other families."""
    if remedy is None:
        return None
    return {"status": remedy.status, "changes": [_change(c) for c in remedy.changes], "note": remedy.note}


def _asset(key: str, name: str, asset: Asset, result: Interpretation) -> dict[str, JSON]:
    reading = result.readings.get(key)
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
        "use_category": result.use_categories.get(key, "unspecified"),
        "sources": asset.sources,
        "curation": _curation(asset, result.curated_from.get(key, "")),
        "in_lineage": _in_lineage(key, result),
    }


def _in_lineage(key: str, result: Interpretation) -> bool:
    """Whether the asset is the release or upstream of it (every asset is, when no release is
    identified): the human report lists these, report.json keeps the whole folder."""
    return result.lineage is None or key in result.lineage


def _curation(asset: Asset, original: str) -> dict[str, JSON] | None:
    """The reviewer's correction beside the value the manifests gave, so both stay visible."""
    c = asset.curation
    if c is None:
        return None
    return {
        "license": c.license,
        "original": original,
        "comment": c.comment,
        "curator": c.curator,
        "date": c.date,
        "file": c.evidence.file,
        "line": c.evidence.line,
    }


def finding(f: Finding, made: dict[Step, JSON] | None = None) -> dict[str, JSON]:
    """A finding as report.json (and a lake's findings.jsonl, one a line) gives it; `made`: the
    steps already given, shared by the findings of a lake (their evidence repeats). Not to be changed."""
    return {
        "id": f.id,
        "rule": f.rule,
        "family": f.family,
        "severity": f.severity,
        "asset": f.asset,
        "message": f.message,
        "how_to_fix": f.how_to_fix,
        "detail": dict(f.detail),
        "evidence": _steps(f.evidence)
        if made is None
        else [made.get(s) or made.setdefault(s, _step(s)) for s in f.evidence],
        "fix": _fix(f.remedy),
        "status": ReviewStatus.OPEN.value,
        "resolution": None,
        "baseline": None,
    }


def _steps(steps: Iterable[Step]) -> list[JSON]:
    return [_step(s) for s in steps]


def _step(s: Step) -> JSON:
    return {"asset": s.asset, "fact": s.fact, "file": s.file, "pointer": s.pointer, "line": s.line}
