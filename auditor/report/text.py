"""The terminal summary: verdict, counts and every open finding with its evidence chain.

Asset names, files and messages come from untrusted manifests, so every line is cleaned as a whole
(`plain`, unprintable characters as U+FFFD): no escape sequence, bidi control or line break of theirs
reaches the terminal.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from auditor.parsed import JSONObject

if TYPE_CHECKING:
    pass

from auditor.readers.sanitise import plain


def render(document: JSONObject, outputs: list[str], fmt: str = "text") -> str:
    if fmt == "json":
        return _json_summary(document, outputs)
    release, counts = document["release"], document["counts"]
    lines = [
        f"mlaudit {document['tool']['version']} · position: {document['position']}",
        f"release: {release['asset'] or '(' + release['basis'] + ')'} · use: {release['use']} · "
        f"distribution: {release['distribution']}",
        f"verdict: {document['verdict'].upper()} · {counts['error']} error, {counts['warning']} warning, "
        f"{counts['info']} info ({counts['open']} open, {counts['resolved']} resolved)",
        *_obligations(document),
        "",
        *_findings(document["findings"]),
    ]
    repairs = document["repairs"]
    if repairs["status"] == "found":
        lines += ["", "what would fix the errors (any one change):", *_changes(repairs["changes"])]
    elif repairs["status"] == "impossible":
        lines += ["", repairs["note"]]
    lines += _review(document["review"])
    lines += ["", *(f"wrote {o}" for o in outputs)]
    return _join(lines)


def _json_summary(document: JSONObject, outputs: list[str]) -> str:
    summary = {
        "verdict": document["verdict"],
        "counts": document["counts"],
        "release": document["release"],
        "position": document["position"],
        "reports": outputs,
        "findings": [
            {k: f[k] for k in ("id", "rule", "severity", "asset", "message", "status")} for f in document["findings"]
        ],
    }
    return (
        json.dumps(summary, indent=2, ensure_ascii=True) + "\n"
    )  # \uXXXX escapes: no raw bidi control reaches a terminal


def _findings(findings: list[JSONObject]) -> list[str]:
    """Each finding on one line, marked resolved or new, then its evidence chain."""
    lines = []
    for f in findings:
        marks = "".join(
            f" [{m}]" for m in (f["status"] == "resolved" and "resolved", f["baseline"] == "new" and "new") if m
        )
        lines.append(f"{f['severity']:<8}{f['rule']}  {f['message']}{marks}")
        lines += [f"          ↳ {step['fact']}{_where(step)}" for step in f["evidence"]]
    return lines


def _obligations(document: JSONObject) -> list[str]:
    """One line: how many of the release's obligations its files show unmet, or cannot show."""
    if not document["obligations"]:
        return []
    c = document["obligation_counts"]
    return [
        f"obligations: {len(document['obligations'])} · {c['unmet']} unmet, {c['cannot-tell']} cannot tell, "
        f"{c['met']} met"
    ]


def _changes(changes: list[JSONObject]) -> list[str]:
    """One line a change: the assets to remove (or relicense), the alternatives to take."""
    lines = []
    for c in changes:
        parts = [f"remove {', '.join(c['remove'])}"] if c["remove"] else []
        parts += [f"take {x['asset']} under {x['license']}" for x in c["choose"]]
        lines.append("  - " + "; ".join(parts) + (f" (brings {', '.join(c['raises'])})" if c["raises"] else ""))
    return lines


def _review(review: JSONObject) -> list[str]:
    """What the review files and the baseline did, and what in them could not be used."""
    lines = []
    if review["resolutions"]["file"]:
        lines.append(
            f"resolutions: {review['resolutions']['applied']} applied from {review['resolutions']['file']}"
            + (f" as of {review['as_of']}" if review["as_of"] else "")
        )
        lines += [
            f"  orphaned: {o['rule']} on {o['asset']} ({o['file']}:{o['line']})"
            for o in review["resolutions"]["orphaned"]
        ]
    if review["curations"]["file"]:
        lines.append(f"curations: {len(review['curations']['applied'])} applied from {review['curations']['file']}")
        lines += [f"  orphaned: {o['asset']} ({o['file']}:{o['line']})" for o in review["curations"]["orphaned"]]
    lines += [f"  not applied: {p['file']}:{p['line'] or '-'}: {p['message']}" for p in review["problems"]]
    if review["baseline"]:
        b = review["baseline"]
        lines.append(f"baseline {b['file']}: {b['new']} new, {b['unchanged']} unchanged, {len(b['gone'])} gone")
        lines += [f"  gone: {g['rule']} {g['asset'] or '-'}: {g['message']}" for g in b["gone"]]
    return [""] + lines if lines else []


def outbound(document: JSONObject) -> str:
    """`mlaudit licenses suggest`: licenses the release may be published under, and why not others."""
    release = document["release"]["asset"]
    if not release:
        return "no release asset identified: name one as [release] asset in mlaudit.toml\n"
    lines = [f"release: {release} · position: {document['position']}", "", "must keep:"]
    lines += [
        f"  {r['term'].replace('_', '-')} of {r['license']} (from {', '.join(r['imposed_by'])})"
        for r in document["outbound_requirements"]
    ] or ["  nothing that restricts the choice"]
    lines += ["", "may be published under:"]
    lines += [f"  {lic}" for lic in document["outbound_licenses"]] or [
        "  no license of the knowledge base keeps every requirement above"
    ]
    return _join(lines)


KNOWLEDGE_SCHEMA_VERSION = "1.0.0"  # of the JSON `mlaudit licenses list` and `show` print


def knowledge_list(entries: list[JSONObject], fmt: str = "text") -> str:
    """`mlaudit licenses list`: one line per entry of the knowledge base."""
    if fmt == "json":
        return _json({"licenses": entries})
    header = {
        "id": "ID",
        "family": "FAMILY",
        "use": "USE",
        "verified_at": "VERIFIED",
        "clause_level": "CLAUSES",
        "name": "NAME",
    }  # the name last: it is the longest
    rows = [header] + [
        {**e, "verified_at": e["verified_at"] or "never", "clause_level": "clause-level" if e["clause_level"] else "-"}
        for e in entries
    ]
    widths = {k: max(len(r[k]) for r in rows) for k in header}
    return _join(["  ".join(r[k].ljust(widths[k]) for k in header).rstrip() for r in rows])


def knowledge_entry(entry: JSONObject, fmt: str = "text") -> str:
    """`mlaudit licenses show`: one entry with its provenance, its age and every term."""
    if fmt == "json":
        return _json({"license": entry})
    verified = (
        f"{entry['verified_at']} ({entry['age_months']} months before {entry['as_of']})"
        if entry["verified_at"]
        else "never verified against the license text"
    )
    lines = [
        f"{entry['id']}  {entry['name']}",
        "",
        f"family: {entry['family']} · use: {entry['use']}",
        f"source: {entry['source']}",
        f"kept in: {entry['file']}",
        f"text read: {entry['text_read'] or 'not recorded'}",
        f"text sha256: {entry['text_sha256'] or 'not recorded'}",
        f"verified_at: {verified}",
        f"clause-level: {'yes' if entry['clause_level'] else 'no'}",
        f"aliases: {', '.join(entry['aliases']) or 'none'}",
        f"training: {entry['training']}" + (f" ({entry['training_basis']})" if entry["training_basis"] else ""),
        f"outputs: {entry['outputs']}" + (f" ({entry['outputs_basis']})" if entry["outputs_basis"] else ""),
    ]
    if entry["copyleft_triggers"]:
        lines.append(f"copyleft triggered by: {', '.join(entry['copyleft_triggers'])} ({entry['copyleft_basis']})")
    if entry["licensor"]:
        lines.append(f"licensor: {entry['licensor']} (Hub organisations: {', '.join(entry['licensor_orgs'])})")
    lines += ["", "terms:"]
    for t in entry["terms"]:
        lines += [f"  {t['term']} ({t['kind']}) · {t['clause']}", f"    {t['text']}"]
        lines += [f"    value: {v}" for v in t["values"]]
        lines += [f"    also accepted: {v}" for v in t["accepts"]]
        lines.append(f"    source: {t['source']}")
    return _join(lines)


def _json(payload: JSONObject) -> str:
    """ASCII-escaped JSON: no raw control or bidi character reaches a terminal."""
    return json.dumps({"schema_version": KNOWLEDGE_SCHEMA_VERSION, **payload}, indent=2, ensure_ascii=True) + "\n"


def _where(step: JSONObject) -> str:
    if not step["file"]:
        return ""
    parts = [step["file"] + (f":{step['line']}" if step["line"] else "")]
    if step["pointer"]:
        parts.append(step["pointer"])
    return "  [" + " ".join(parts) + "]"


def internal_error(exc: Exception) -> str:
    """The one line an internal error prints: what failed and how to report it, no traceback."""
    return _join(
        [
            f"mlaudit: internal error: {type(exc).__name__}: {exc}. This is a bug in mlaudit: please "
            "report it with the output of the same command run as 'mlaudit --debug ...'"
        ]
    )


def _join(lines: list[str]) -> str:
    return "".join(plain(line, "\ufffd") + "\n" for line in lines)


def explain(finding: JSONObject, document: JSONObject) -> str:
    """`mlaudit explain`: one finding, the chain of facts behind it, its rule (as the report records
    the rules that judged it) and what would fix it."""
    rule = next((r for r in document["rule_base"].get("rules", []) if r["id"] == finding["rule"]), None)
    lines = [
        f"{finding['id']}  {finding['severity']}  {finding['rule']}"
        + (f" {rule['name']}" if rule else "")
        + f"  ({finding['status']})",
        "",
        finding["message"],
        "",
        "Evidence (from the finding back to the files and clauses):",
    ]
    for i, step in enumerate(finding["evidence"], start=1):
        lines.append(f"  {i}. {step['fact']}{_where(step)}")
    if rule:
        lines += ["", f"Rule: {rule['source']}", f"Why it matters: {rule['why']}"]
    lines += ["", f"How to fix: {finding['how_to_fix']}"]
    fix = finding["fix"]
    if fix and fix["status"] == "found":
        lines += ["", "What would fix it (the smallest changes upstream; any one of them):", *_changes(fix["changes"])]
    elif fix:
        lines += ["", f"What would fix it: no change upstream was found ({fix['note']})."]
    decision = finding["resolution"]
    if decision:
        state = "expired on " + decision["expires"] if decision["expired"] else "in force"
        lines += [
            "",
            f"Resolution ({state}): {decision['reason']} by {decision['reviewer']} on {decision['date']} "
            f"({decision['file']}:{decision['line']}): {decision['comment']}",
        ]
    if finding["baseline"]:
        lines += ["", f"Against the baseline: {finding['baseline']}"]
    return _join(lines)
