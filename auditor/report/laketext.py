"""The lake's summary as summary.json and as the few lines `mlaudit lake` prints."""

from __future__ import annotations

import json

from auditor.parsed import JSONObject
from auditor.report.plaintext import terminal

SHOWN = 3  # organisations, license pairs and findings no row owns the terminal names


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
        *(f"note: {unused}" for unused in s["unused_settings"]),
    ]
    if s["worst_organisations"]:
        worst = s["worst_organisations"][:SHOWN]
        lines.append(
            "worst organisations: " + ", ".join(f"{o['organisation']} ({o['failing']} failing)" for o in worst)
        )
    if s["conflicting_pairs"]:
        pairs = s["conflicting_pairs"][:SHOWN]
        shown = (f"{p['derived']} ← {p['base']} ({p['assets']}: {' '.join(p['rules'])})" for p in pairs)
        lines.append("top conflicts, with their rules: " + ", ".join(shown))
    if s["conflicting_upstreams"]:
        pairs = s["conflicting_upstreams"][:SHOWN]
        shown = (f"{p['first']} + {p['second']} ({p['assets']}: {' '.join(p['rules'])})" for p in pairs)
        lines.append("upstream licenses in conflict with each other: " + ", ".join(shown))
    if blocked := s["blocked_by_unknown_terms"]:
        lines.append(f"blocked by an upstream's unknown terms: {blocked} asset{'s' if blocked != 1 else ''}")
        lines += _blockers(s)
    lines += _unowned(s) + _unread(s)
    lines.append(f"one asset's full report: {s['full_report']}")
    lines += [f"wrote {path}" for path in written]
    return "".join(terminal(line) + "\n" for line in lines)


def _blockers(s: JSONObject) -> list[str]:
    """The upstreams without a usable license that block the most assets, and how to ask what
    establishing one's license would unblock."""
    upstreams = s["unknown_terms_upstreams"][:SHOWN]
    if not upstreams:
        return []
    named = ", ".join(f"{u['upstream']} ({u['assets']})" for u in upstreams)
    return [
        f"  upstreams without a usable license, by assets blocked: {named}",
        f"  what establishing one's license would unblock: {s['unblock_report']}",
    ]


def _unowned(s: JSONObject) -> list[str]:
    """The open findings no row owns, which count in the gate but in no asset's verdict: the worst few."""
    count, listed = s["unowned"]["count"], s["unowned"]["listed"]
    if not count:
        return []
    lines = [f"findings no audited asset owns: {count} (about the lake as a whole, or an asset it does not release)"]
    lines += [f"  {f['severity']} {f['rule']} {f['message']}" for f in listed[:SHOWN]]  # a message names its asset
    if count > SHOWN:
        lines.append(f"  … {count - SHOWN} more: lake.html lists {len(listed)}, findings.jsonl every one")
    return lines


def _unread(s: JSONObject) -> list[str]:
    """The input files not read (skipped or unreadable), the first few named: a file the audit passed
    over is said, never silent."""
    unread = [e for e in s["input"]["inventory"] if e["status"] != "read"]
    if not unread:
        return []
    lines = [f"input files not read: {len(unread)} of {s['input']['files']}"]
    lines += [f"  {e['file']} ({e['status']}: {e['reason']})" for e in unread[:SHOWN]]
    if len(unread) > SHOWN:
        lines.append(f"  … {len(unread) - SHOWN} more: lake.html and summary.json list them")
    return lines
