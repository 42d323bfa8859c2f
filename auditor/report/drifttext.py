"""`mlaudit diff`'s answer as the lines a terminal shows (the JSON is impacttext.as_json's)."""

from __future__ import annotations

from auditor import __version__
from auditor.parsed import JSONObject
from auditor.report.plaintext import severity, terminal

FIELDS = {"declared": "declared", "license": "license", "use_category": "use"}
NONE = "(none)"  # a field empty on one side: an asset that declares no licence
NOT_RECORDED = "(not recorded)"  # the position of a side whose output does not record it


def render(doc: JSONObject, written: list[str]) -> str:
    """The counts, the drift patterns before → after, then each asset listed that changed (and how many
    more did), the files written; every line cleaned."""
    c = doc["counts"]
    lines = [
        f"mlaudit {__version__} · diff: {doc['old']} → {doc['new']}",
        f"assets: +{c['assets_added']} -{c['assets_removed']} · licenses changed: {c['licenses_changed']} · "
        f"use categories changed: {c['use_categories_changed']} · edges: +{c['edges_added']} -{c['edges_removed']} · "
        f"findings: +{c['findings_new']} -{c['findings_gone']} ~{c['findings_changed']}",
        f"position: {positions(doc)}",
        *(f"warning: {w}" for w in doc["warnings"]),
    ]
    for name, p in doc["patterns"].items():
        lines.append(f"drift {name}: {p['before']} → {p['after']}" + "".join(f"\n  new: {i}" for i in p["new"]))
        if p["new_count"] > len(p["new"]):
            lines.append(f"  … {p['new_count'] - len(p['new'])} more new")
    for row in doc["assets"]:
        lines.extend(_asset(row))
    if c["assets_changed"] > len(doc["assets"]):
        more = c["assets_changed"] - len(doc["assets"])
        lines.append(f"… {more} more assets changed (every one in changes.parquet and changes.jsonl: --out DIR)")
    lines.extend(f"wrote {path}" for path in written)
    return terminal("\n".join(lines)) + "\n"


def positions(doc: JSONObject) -> str:
    """The legal position each side was judged under: one, or old → new where they differ."""
    old, new = (doc["sides"][side]["position"] or NOT_RECORDED for side in ("old", "new"))
    return old if old == new else f"{old} → {new}"


def _asset(row: JSONObject) -> list[str]:
    status = "" if row["status"] == "kept" else f" ({row['status']})"
    lines = [f"{row['asset']}{status}"]
    lines.extend(
        f"  {label}: {row[k]['before'] or NONE} → {row[k]['after'] or NONE}" for k, label in FIELDS.items() if k in row
    )
    lines.extend(f"  edge + {e['relation']} {e['parent']}" for e in row["edges"]["added"])
    lines.extend(f"  edge - {e['relation']} {e['parent']}" for e in row["edges"]["removed"])
    found = row["findings"]
    lines.extend(f"  + {severity(f)} {f['rule']} {f['message']}" for f in found["new"])
    lines.extend(f"  - {severity(f)} {f['rule']} {f['message']}" for f in found["gone"])
    for f in found["changed"]:
        was = f"{f['before']['severity']} {f['before']['status']}"
        lines.append(f"  ~ {was} → {f['severity']} {f['status']} {f['rule']} {f['message']}")
    return lines
