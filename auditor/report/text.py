"""The terminal summary: verdict, counts and every open finding with its evidence chain."""

from __future__ import annotations

import json


def render(document: dict, outputs: list[str], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps({
            "verdict": document["verdict"], "counts": document["counts"], "release": document["release"],
            "position": document["position"], "reports": outputs,
            "findings": [{k: f[k] for k in ("id", "rule", "severity", "asset", "message", "status")}
                         for f in document["findings"]],
        }, indent=2, ensure_ascii=False) + "\n"
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
        lines.append(f"{f['severity']:<8}{f['rule']}  {_clean(f['message'])}")
        for step in f["evidence"]:
            lines.append(f"          ↳ {_clean(step['fact'])}{_where(step)}")
    lines += ["", *(f"wrote {o}" for o in outputs)]
    return "\n".join(lines) + "\n"


def _where(step: dict) -> str:
    if not step["file"]:
        return ""
    parts = [step["file"] + (f":{step['line']}" if step["line"] else "")]
    if step["pointer"]:
        parts.append(step["pointer"])
    return "  [" + " ".join(parts) + "]"


def _clean(text: str) -> str:
    """Terminal output must not carry control characters from untrusted manifests."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text)
