"""Resolve: merge the records of one harvest into an asset graph with typed lineage edges.

Records describing the same asset (same namespace and Hub id, compared case-insensitively) become
one asset; a reference that no record describes becomes an unresolved asset, kept so the rules can
report it rather than lose it.
"""

from __future__ import annotations

from auditor.model import Asset, AssetGraph, Edge, Harvest, asset_key


def resolve(harvest: Harvest) -> AssetGraph:
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
    ordered = dict(sorted(assets.items()))
    return AssetGraph(ordered, sorted(edges), harvest)
