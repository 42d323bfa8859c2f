"""`mlaudit impact`'s answer as the few lines a terminal shows, and as JSON (impact.json)."""

from __future__ import annotations

import json

from auditor import __version__
from auditor.parsed import JSON, JSONObject
from auditor.report.plaintext import severity, terminal

SIGNS = {"appear": "+", "disappear": "-", "changed": "~"}
# descendants a terminal or the page lists, nearest first (a relicence of a popular base in a Hub-scale
# lake changes a hundred thousand); impact.json (--format json, --out) holds every one
LISTED = 1000
# the licence and verdict of an asset no manifest describes (an upstream only referenced)
NOT_DESCRIBED = "not described"


def as_json(doc: JSONObject) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render(doc: JSONObject, written: list[str]) -> str:
    """The change, then each asset with a change (a finding, its licence or its verdict): how it
    descends, its licence and verdict, and each finding that appears (+), disappears (-) or changes
    severity or status (~); every line cleaned."""
    change = doc["change"]
    what = {"none": "", "relicense": f" relicensed to {change['license']}", "takedown": " taken down"}[change["kind"]]
    rows = doc["assets"]
    lines = [
        f"mlaudit {__version__} · impact: {doc['asset']}{what} · lake: {doc['lake']} · position: {doc['position']}",
        f"descendants: {doc['descendants']} · affected: {doc['affected']} · failing: "
        f"{_failing(rows, 'before')} → {_failing(rows, 'after')}",
    ]
    lines.extend(_not_read(doc["not_read"]))
    shown = [row for row in rows if change["kind"] == "none" or _changes(row)]
    for row in shown[:LISTED]:
        lines.extend(_asset(row))
    if len(shown) > LISTED:
        lines.append(f"… and {more(len(shown))} (each one is in impact.json: --format json, or --out)")
    lines.extend(f"wrote {path}" for path in written)
    return terminal("\n".join(lines)) + "\n"


def _not_read(missing: JSONObject) -> list[str]:
    """What could not be read, first: the answer leaves out whatever descends through it."""
    lines = [f"not read: {f['file']}: {f['reason']}" for f in missing["files"]]
    if missing["rows"]:
        told = f"{len(missing['rows'])} problem{'s' if len(missing['rows']) != 1 else ''}"
        lines.append(f"not read: rows of tables that are no record ({told}, in impact.json)")
    if lines:
        lines.append("  what descends through them is not in this answer")
    return lines


def more(listed: int) -> str:
    """The assets of `listed` past the first LISTED, told."""
    return f"{listed - LISTED:,} more assets"


def _changes(row: JSONObject) -> bool:
    """Whether anything of the asset changes: a finding, its licence (the asset relicensed) or its verdict."""
    moved = any(row[k]["before"] != row[k]["after"] for k in ("license", "verdict"))
    return bool(moved or row["appear"] or row["disappear"] or row["changed"])


def _failing(rows: list[JSONObject], when: str) -> int:
    return sum(row["verdict"][when] == "fail" for row in rows)


def _asset(row: JSONObject) -> list[str]:
    lines = [f"{row['asset']} ({row['kind']}) · {standing(row)}"]
    lines.extend(f"  via {path_text(path)}" for path in row["paths"] if path)
    for key, sign in SIGNS.items():
        for f in row[key]:
            before = f"{f['before']['severity']} {f['before']['status']} → " if key == "changed" else ""
            lines.append(f"  {sign} {before}{severity(f)} {f['rule']} {f['message']}")
    return lines


def standing(row: JSONObject) -> str:
    """An asset's licence and verdict, before → after where they change; an asset no manifest
    describes (an upstream only referenced) has neither, and says so."""
    if not _judged(row):
        return "no manifest describes it: not judged"
    return f"license {licence(row)} · verdict {_then(row['verdict'])}"


def licence(row: JSONObject) -> str:
    """An asset's licence, before → after where it changes ("not described": it has none to show)."""
    return _then(row["license"])


def _judged(row: JSONObject) -> bool:
    return row["verdict"]["before"] is not None or row["verdict"]["after"] is not None


def _then(pair: JSON) -> str:
    before, after = (NOT_DESCRIBED if pair[k] is None else pair[k] for k in ("before", "after"))
    return str(before) if before == after else f"{before} → {after}"


def path_text(path: list[JSONObject]) -> str:
    """A path from the asset down, relation by relation: a ─finetune→ b ─quantized→ c."""
    return " ".join([str(path[0]["from"]), *(f"─{step['relation']}→ {step['to']}" for step in path)])
