"""Resolve: merge the records of one harvest into an asset graph with typed lineage edges.

Records describing the same asset (same namespace and Hub id, compared case-insensitively) become
one asset; a reference that no record describes becomes an unresolved asset, kept so the rules can
report it rather than lose it.
"""

from __future__ import annotations

from auditor.model import Asset, AssetGraph, Edge, Evidence, Harvest, asset_key


class LineageError(ValueError):
    """A declared lineage entry names a child no manifest describes."""


def resolve(harvest: Harvest, declared: tuple[tuple[str, str, str], ...] = ()) -> AssetGraph:
    """Merge records by identity; `declared` adds (child, parent, relation) edges from mlaudit.toml."""
    assets: dict[str, Asset] = {}
    for record in sorted(harvest.records, key=lambda r: (r.kind, r.id.lower(), r.source)):
        key = asset_key(record.kind, record.id)
        assets.setdefault(key, Asset(record.id, record.kind)).records.append(record)
    edges = set()
    for record in harvest.records:
        child = asset_key(record.kind, record.id)
        for ref in record.references:
            parent = asset_key(ref.kind, ref.target)
            assets.setdefault(parent, Asset(ref.target, ref.kind))
            edges.add(Edge(child, parent, ref.relation, ref.evidence, ref.basis))
    for i, (child_id, parent_id, relation) in enumerate(declared):
        child = find(assets, child_id)
        if child is None:
            raise LineageError(f"mlaudit.toml: lineage[{i}] child {child_id!r} is not described by any manifest")
        parent = find(assets, parent_id) or asset_key(*split_id(parent_id))
        assets.setdefault(parent, Asset(split_id(parent_id)[1], split_id(parent_id)[0]))
        edges.add(Edge(child, parent, relation, Evidence("mlaudit.toml", f"lineage[{i}]"), "declared in mlaudit.toml"))
    ordered = dict(sorted(assets.items()))
    return AssetGraph(ordered, sorted(edges, key=_edge_order), harvest)


def _edge_order(e: Edge) -> tuple:
    return e.child, e.parent, e.relation, e.evidence.file, e.evidence.pointer, e.evidence.line or 0, e.basis


def split_id(display_id: str) -> tuple[str, str]:
    """`datasets/org/x` -> (dataset, org/x); `models/org/x` and `org/x` -> (model, org/x)."""
    for prefix, kind in (("datasets/", "dataset"), ("models/", "model")):
        if display_id.startswith(prefix):
            return kind, display_id[len(prefix):]
    return "model", display_id


def find(assets: dict[str, Asset], display_id: str) -> str | None:
    """The key of a described asset named as reports name it (an unprefixed id may be a dataset)."""
    kind, asset_id = split_id(display_id)
    candidates = [asset_key(kind, asset_id)]
    if not display_id.startswith(("datasets/", "models/")):
        candidates.append(asset_key("dataset", asset_id))
    return next((k for k in candidates if k in assets and assets[k].resolved), None)
