"""The lake's summary as summary.json and as the few lines `mlaudit lake` prints."""

from __future__ import annotations

import json

from auditor.parsed import JSONObject
from auditor.report.plaintext import terminal

SHOWN = 3  # organisations, license pairs and findings about the lake the terminal names


def summary_json(summary: JSONObject) -> str:
    return json.dumps(summary, ensure_ascii=False, indent=2) + "\n"


def render(summary: JSONObject, written: list[str]) -> str:
    """What the terminal shows: the counts, the worst organisations and license pairs, how to get
    one asset's full report, and the files written; every line cleaned (manifest text)."""
    s, findings = summary, summary["findings"]
    lines = [
        f"mlaudit {s['tool']['version']} · lake: {s['input']['path']} · position: {s['position']} "
        f"· engines: {', '.join(s['engines'])}",
        f"assets: {s['assets']} · fail: {s['verdicts']['fail']} · pass: {s['verdicts']['pass']}",
        f"open: {findings['error']} error, {findings['warning']} warning, {findings['info']} info "
        f"· resolved: {findings['resolved']}",
    ]
    if s["worst_organisations"]:
        worst = s["worst_organisations"][:SHOWN]
        lines.append(
            "worst organisations: " + ", ".join(f"{o['organisation']} ({o['failing']} failing)" for o in worst)
        )
    if s["conflicting_pairs"]:
        pairs = s["conflicting_pairs"][:SHOWN]
        lines.append("top conflicts: " + ", ".join(f"{p['derived']} ← {p['base']} ({p['assets']})" for p in pairs))
    if blocked := s["blocked_by_unknown_terms"]:
        lines.append(f"blocked by an upstream's unknown terms: {blocked} asset{'s' if blocked != 1 else ''}")
    lines += _about_the_lake(s)
    lines.append(f"one asset's full report: {s['full_report']}")
    lines += [f"wrote {path}" for path in written]
    return "".join(terminal(line) + "\n" for line in lines)


def _about_the_lake(s: JSONObject) -> list[str]:
    """The open findings no asset owns (what could not be read), the worst few named by file."""
    about = s["about_the_lake"]
    if not about:
        return []
    count = s["findings"]["about the lake"]
    lines = [f"findings about the lake as a whole: {count} (manifests or rows that name no asset)"]
    lines += [f"  {f['severity']} {f['rule']} {f['message']}" for f in about[:SHOWN]]  # a message names its file
    if count > SHOWN:
        lines.append(f"  … {count - SHOWN} more: lake.html lists {len(about)}, findings.jsonl every one (asset null)")
    return lines
