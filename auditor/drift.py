"""Drift: what changed between two audits of the same assets, asset by asset, and across a lake.

Either side is a report.json, a `mlaudit lake` output folder, or a folder of manifests or harvest
snapshot (then judged as a lake first). Per asset: its licence as declared and as read, the use its
lineage leaves it (use category), its lineage edges (an edge belongs to its child), and its findings,
matched by finding id (rule, asset and details): new, gone, or changed in severity or status.

Across the lake, the two drift patterns LiScan and Jewitt et al. report are counted on each side,
with the instances the new side adds:
- more permissive than upstream: a lineage edge whose derivative's licence, by its own terms, allows
  a wider use (rules/licenses: commercial, unspecified, non-commercial, academic-only) than its
  upstream's licence does (a licence expression or unknown licence is not ranked);
- restrictions dropped: an asset with an open CMP006 finding, whose declared licence omits
  restrictions that its lineage's licences impose on it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb

from auditor import lake, review, rulebase, snapshot
from auditor.licenses import KnowledgeBase
from auditor.parsed import JSONObject

USE_RANK = {"commercial": 0, "unspecified": 1, "non-commercial": 2, "academic-only": 3}
DROPPED = "CMP006"  # the rule whose findings are the restrictions dropped
COMPARED = ("declared", "license", "use_category")
JSONL_LIMIT = 1 << 30  # bytes of findings.jsonl read at most


class DriftError(ValueError):
    """A side of the diff cannot be read as a report, a lake output or a lake."""


@dataclass(frozen=True)
class State:
    """One side: each asset's licences and use category, the lineage edges, the findings by id."""

    name: str
    assets: dict[str, JSONObject]
    edges: frozenset[tuple[str, str, str]]  # child, parent, relation
    findings: dict[str, JSONObject]


def read(path: Path, rb: rulebase.RuleBase, overrides: dict[str, str | None] | None = None) -> State:
    """A side of the diff, as its kind of input says (see the module's docstring); `overrides` are the
    command line's settings (engine, position) for a lake judged first."""
    if path.is_file() and path.suffix == ".json" and not snapshot.is_snapshot(path):
        try:
            return from_report(str(path), review.read_report(path))
        except review.ReviewError as exc:
            raise DriftError(str(exc)) from None
    if path.is_dir() and (path / "findings.jsonl").is_file() and (path / "assets.parquet").is_file():
        return from_lake_output(path)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    return from_lake(lake.run(path, frozenset(), rb, None, **given))


def from_report(name: str, doc: JSONObject) -> State:
    assets = {
        str(a["id"]): {
            "declared": " | ".join(sorted({str(d["raw"]) for d in a["declared_licenses"] if d["raw"] is not None})),
            "license": a["license"] if a["license_status"] == "ok" and a["license"] else f"({a['license_status']})",
            "use_category": a["use_category"],
        }
        for a in doc["assets"]
        if a["resolved"]
    }
    edges = frozenset((str(e["child"]), str(e["parent"]), str(e["relation"])) for e in doc["edges"])
    return State(name, assets, edges, {str(f["id"]): f for f in doc["findings"]})


def from_lake(judged: lake.LakeAudit) -> State:
    assets = {str(row["id"]): {k: row[k] for k in COMPARED} for row in judged.assets}
    edges = frozenset((str(e["child"]), str(e["parent"]), str(e["relation"])) for e in judged.edges)
    return State(judged.root, assets, edges, {str(f["id"]): f for f in judged.findings})


def from_lake_output(folder: Path) -> State:
    """A `mlaudit lake` output folder: findings.jsonl, assets.parquet and edges.parquet."""
    jsonl = folder / "findings.jsonl"
    if jsonl.stat().st_size > JSONL_LIMIT or not (folder / "edges.parquet").is_file():
        raise DriftError(f"{folder}: findings.jsonl over {JSONL_LIMIT} bytes, or no edges.parquet (an older mlaudit)")
    try:
        with jsonl.open(encoding="utf-8") as lines:
            found = [json.loads(line) for line in lines]
        con = duckdb.connect(":memory:", config={"threads": 1})
        assets = con.execute(f"SELECT id, {', '.join(COMPARED)} FROM read_parquet(?)", [str(folder / "assets.parquet")])
        rows = assets.fetchall()
        edges = con.execute("SELECT child, parent, relation FROM read_parquet(?)", [str(folder / "edges.parquet")])
        pairs = edges.fetchall()
        con.close()
    except (ValueError, duckdb.Error) as exc:
        raise DriftError(f"{folder}: not a lake output folder: {exc}") from None
    return State(
        str(folder),
        {str(row[0]): dict(zip(COMPARED, row[1:], strict=True)) for row in rows},
        frozenset((str(c), str(p), str(r)) for c, p, r in pairs),
        {str(f["id"]): f for f in found},
    )


def compare(old: State, new: State, kb: KnowledgeBase) -> JSONObject:
    """Every asset that changed, what changed about it, the counts, and the drift patterns before and after."""
    sides = (_Side(old), _Side(new))
    names = sorted(set(old.assets) | set(new.assets) | set(sides[0].edges) | set(sides[1].edges))
    names = sorted(set(names) | set(sides[0].findings) | set(sides[1].findings))
    rows = [row for row in (_asset(*sides, name) for name in names) if row]
    return {
        "old": old.name,
        "new": new.name,
        "counts": _counts(old, new, rows),
        "patterns": {
            name: {"before": len(was), "after": len(now), "new": sorted(now - was)}
            for name, (was, now) in (
                ("more-permissive-than-upstream", (_wider(old, kb), _wider(new, kb))),
                ("restrictions-dropped", (_dropped(old), _dropped(new))),
            )
        },
        "assets": rows,
    }


class _Side:
    """A state's assets, and its edges and findings grouped by the asset they belong to."""

    def __init__(self, state: State) -> None:
        self.assets = state.assets
        self.edges: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        self.findings: dict[str, dict[str, JSONObject]] = defaultdict(dict)
        for edge in state.edges:
            self.edges[edge[0]].add(edge)
        for i, f in state.findings.items():
            self.findings[_owner(f)][i] = f


def _owner(finding: JSONObject) -> str:
    return "(lake)" if finding["asset"] is None else str(finding["asset"])


def _asset(old: _Side, new: _Side, name: str) -> JSONObject | None:
    """What changed about one asset; None when nothing did."""
    was, now = old.assets.get(name), new.assets.get(name)
    status = "added" if was is None and now is not None else "removed" if now is None and was is not None else "kept"
    fields = {k: {"before": was[k], "after": now[k]} for k in COMPARED if was and now and was[k] != now[k]}
    before, after = old.edges.get(name, set()), new.edges.get(name, set())
    mine_was, mine_now = old.findings.get(name, {}), new.findings.get(name, {})
    row: JSONObject = {
        "asset": name,
        "status": status,
        **fields,
        "edges": {"added": _edge_rows(after - before), "removed": _edge_rows(before - after)},
        "findings": dict(
            zip(
                ("new", "gone", "changed"),
                lake.finding_changes(dict(sorted(mine_was.items())), dict(sorted(mine_now.items()))),
                strict=True,
            )
        ),
    }
    changed = status != "kept" or fields or before != after or any(row["findings"].values())
    return row if changed else None


def _edge_rows(edges: set[tuple[str, str, str]]) -> list[JSONObject]:
    return [{"parent": p, "relation": r} for _, p, r in sorted(edges)]


def _wider(state: State, kb: KnowledgeBase) -> set[str]:
    """`child ← parent` for each edge whose child's licence allows a wider use than its parent's."""
    ranks = {}
    for name, asset in state.assets.items():
        entry = kb.entry(str(asset["license"]))
        if entry is not None and entry.use in USE_RANK:
            ranks[name] = USE_RANK[entry.use]
    return {f"{c} ← {p}" for c, p, _ in state.edges if c in ranks and p in ranks and ranks[c] < ranks[p]}


def _dropped(state: State) -> set[str]:
    """The assets with an open finding that their declared licence drops their lineage's restrictions."""
    return {_owner(f) for f in state.findings.values() if f["rule"] == DROPPED and f["status"] == "open"}


def _counts(old: State, new: State, rows: list[JSONObject]) -> JSONObject:
    return {
        "assets_added": sum(r["status"] == "added" for r in rows),
        "assets_removed": sum(r["status"] == "removed" for r in rows),
        "licenses_changed": sum("license" in r or "declared" in r for r in rows),
        "use_categories_changed": sum("use_category" in r for r in rows),
        "edges_added": len(new.edges - old.edges),
        "edges_removed": len(old.edges - new.edges),
        "findings_new": len(new.findings.keys() - old.findings.keys()),
        "findings_gone": len(old.findings.keys() - new.findings.keys()),
        "findings_changed": sum(len(r["findings"]["changed"]) for r in rows),
    }
