"""The terminal summary: verdict, counts and every open finding with its evidence chain.

Asset names, files and messages come from untrusted manifests, so every line is cleaned as a whole
(`_clean`): no escape sequence, bidi control or line break of theirs reaches the terminal.
"""

from __future__ import annotations

import json


def render(document: dict, outputs: list[str], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps({
            "verdict": document["verdict"], "counts": document["counts"], "release": document["release"],
            "position": document["position"], "reports": outputs,
            "findings": [{k: f[k] for k in ("id", "rule", "severity", "asset", "message", "status")}
                         for f in document["findings"]],
        }, indent=2, ensure_ascii=True) + "\n"  # \uXXXX escapes: no raw bidi control reaches a terminal
    release, counts = document["release"], document["counts"]
    lines = [
        f"mlaudit {document['tool']['version']} · position: {document['position']}",
        f"release: {release['asset'] or '(not identified)'} · use: {release['use']} · "
        f"distribution: {release['distribution']}",
        f"verdict: {document['verdict'].upper()} · {counts['error']} error, {counts['warning']} warning, "
        f"{counts['info']} info ({counts['open']} open, {counts['resolved']} resolved)",
        "",
    ]
    for f in document["findings"]:
        lines.append(f"{f['severity']:<8}{f['rule']}  {f['message']}")
        lines += [f"          ↳ {step['fact']}{_where(step)}" for step in f["evidence"]]
    repairs = document["repairs"]
    if repairs["status"] == "found":
        lines += ["", "what would fix the errors (remove or relicense every asset of one set):"]
        lines += [f"  - {', '.join(s)}" for s in repairs["sets"]]
    elif repairs["status"] == "impossible":
        lines += ["", repairs["note"]]
    lines += ["", *(f"wrote {o}" for o in outputs)]
    return _join(lines)


def outbound(document: dict) -> str:
    """`mlaudit licenses suggest`: licenses the release may be published under, and why not others."""
    release = document["release"]["asset"]
    if not release:
        return "no release asset identified: name one as [release] asset in mlaudit.toml\n"
    lines = [f"release: {release} · position: {document['position']}", "", "must keep:"]
    lines += [f"  {r['term'].replace('_', '-')} of {r['license']} (from {', '.join(r['imposed_by'])})"
              for r in document["outbound_requirements"]] or ["  nothing that restricts the choice"]
    lines += ["", "may be published under:"]
    lines += [f"  {lic}" for lic in document["outbound_licenses"]] or [
        "  no license of the knowledge base keeps every requirement above"]
    return _join(lines)


def _where(step: dict) -> str:
    if not step["file"]:
        return ""
    parts = [step["file"] + (f":{step['line']}" if step["line"] else "")]
    if step["pointer"]:
        parts.append(step["pointer"])
    return "  [" + " ".join(parts) + "]"


def _join(lines: list[str]) -> str:
    return "".join(_clean(line) + "\n" for line in lines)


def _clean(text: str) -> str:
    """Terminal output must not carry control characters from untrusted manifests: whitespace of
    any kind becomes a space (one line stays one line), anything else unprintable a U+FFFD."""
    return "".join(c if c.isprintable() else " " if c.isspace() else "\ufffd" for c in text)


def explain(finding: dict, rule, document: dict) -> str:
    """`mlaudit explain`: one finding, the chain of facts behind it, its rule and what would fix it."""
    lines = [f"{finding['id']}  {finding['severity']}  {finding['rule']}"
             + (f" {rule.name}" if rule else "") + f"  ({finding['status']})", "", finding["message"], "",
             "Evidence (from the finding back to the files and clauses):"]
    for i, step in enumerate(finding["evidence"], start=1):
        lines.append(f"  {i}. {step['fact']}{_where(step)}")
    if rule:
        lines += ["", f"Rule: rules/{rule.path.parent.name}/{rule.path.name}", f"Why it matters: {rule.why}"]
    lines += ["", f"How to fix: {finding['how_to_fix']}"]
    repairs = document.get("repairs", {})
    if finding["family"] == "conflict" and repairs.get("status") == "found":
        lines += ["", "What would fix the release's license conflicts (remove or relicense every asset of one set):"]
        lines += [f"  - {', '.join(s)}" for s in repairs["sets"]]
    return _join(lines)
