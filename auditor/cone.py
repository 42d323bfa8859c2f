"""The lineage cone of a release: the release and every asset upstream of it.

A release's audit reads nothing outside its cone but the input problems: the rules report on the
release's lineage (`in_scope`), and terms travel only downstream. So a release named in a huge
snapshot or table can be audited on a graph cut to its cone before any fact is encoded, with the
same findings for the release, in time and memory that follow the cone, not the lake.
"""

from __future__ import annotations

from collections import defaultdict

from auditor.model import AssetGraph
from auditor.naming import find


def ancestors(graph: AssetGraph, release: str) -> set[str]:
    """The keys of `release` and of every asset it derives from, through any relation."""
    return _reached(graph, {release}, upward=True)


def descendants(graph: AssetGraph, keys: set[str]) -> set[str]:
    """`keys` and every asset derived from them, however far down."""
    return _reached(graph, keys, upward=False)


def _reached(graph: AssetGraph, starts: set[str], upward: bool) -> set[str]:
    following: defaultdict[str, list[str]] = defaultdict(list)
    for edge in graph.edges:
        if upward:
            following[edge.child].append(edge.parent)
        else:
            following[edge.parent].append(edge.child)
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        key = stack.pop()
        if key not in seen:
            seen.add(key)
            stack.extend(following[key])
    return seen


def cut(graph: AssetGraph, release: str | None) -> AssetGraph:
    """The graph of the release named `release` (as reports name it) cut to its cone, plus the
    assets whose manifests had input problems (those findings are the audit's whatever the
    lineage: a broken manifest never passes unseen), without their lineage. The harvest stays whole,
    so the report's inventory lists every input file. Unchanged when no release is named or the
    name matches no asset (the encoding reports that)."""
    key = find(graph.assets, release) if release else None
    if key is None:
        return graph
    cone = ancestors(graph, key)
    kept = cone | {p.asset for p in graph.harvest.problems if p.asset in graph.assets}
    return AssetGraph(
        {k: a for k, a in graph.assets.items() if k in kept},
        [e for e in graph.edges if e.child in cone],
        graph.harvest,
    )
