"""The lineage cone of a release: the release and every asset upstream of it.

A release's audit reads nothing outside its cone but the input problems: the rules report on the
release's lineage (`in_scope`), and terms travel only downstream. So a release named in a huge
snapshot or table can be audited on a graph cut to its cone before any fact is encoded, with the
same findings for the release, in time and memory that follow the cone, not the lake.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace

from auditor.model import AssetGraph, Checksum
from auditor.naming import find


def ancestors(graph: AssetGraph, release: str) -> set[str]:
    """The keys of `release` and of every asset it derives from, through any relation."""
    return _reached(graph, {release}, upward=True)


def descendants(graph: AssetGraph, keys: set[str]) -> set[str]:
    """`keys` and every asset derived from them, however far down."""
    return _reached(graph, keys, upward=False)


def _reached(graph: AssetGraph, starts: set[str], upward: bool) -> set[str]:
    return _walk(_following(graph, upward), starts)


def _following(graph: AssetGraph, upward: bool) -> defaultdict[str, list[str]]:
    following: defaultdict[str, list[str]] = defaultdict(list)
    for edge in graph.edges:
        if upward:
            following[edge.child].append(edge.parent)
        else:
            following[edge.parent].append(edge.child)
    return following


def _walk(following: defaultdict[str, list[str]], starts: set[str]) -> set[str]:
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        key = stack.pop()
        if key not in seen:
            seen.add(key)
            stack.extend(following.get(key, ()))
    return seen


def _weight_checksums(graph: AssetGraph) -> Iterator[tuple[str, Checksum]]:
    """(asset key, sha256) of each weight file a model folder holds (its reader sums weights only:
    configs and tokenizers are alike across unrelated models)."""
    for key, asset in graph.assets.items():
        for r in asset.records:
            if r.format == "model-folder":
                yield from ((key, c) for c in r.checksums if c.algorithm == "sha256")


def weight_digests(graph: AssetGraph) -> dict[str, set[str]]:
    """asset key -> the sha256 of each weight file its model folder holds."""
    found: defaultdict[str, set[str]] = defaultdict(set)
    for key, checksum in _weight_checksums(graph):
        found[key].add(checksum.value.lower())
    return found


def weights(graph: AssetGraph) -> dict[str, list[tuple[str, Checksum]]]:
    """sha256 -> (asset key, checksum) of each weight file held by more than one asset."""
    found: defaultdict[str, list[tuple[str, Checksum]]] = defaultdict(list)
    for key, checksum in _weight_checksums(graph):
        found[checksum.value.lower()].append((key, checksum))
    return {digest: held for digest, held in found.items() if len({k for k, _ in held}) > 1}


def twins(held: dict[str, list[tuple[str, Checksum]]], keys: set[str]) -> set[str]:
    """The assets holding a weight file byte-identical to one of `keys`' (`held`: weights), a
    re-upload or a mirror: an audit cut to a lineage keeps them, to see a copy its manifests do
    not declare."""
    return {k for group in held.values() if any(k in keys for k, _ in group) for k, _ in group} - keys


def cut(graph: AssetGraph, release: str | None) -> AssetGraph:
    """The graph of the release named `release` (as reports name it) cut to its cone, plus the
    assets whose manifests had input problems (those findings are the audit's whatever the
    lineage: a broken manifest never passes unseen) and those holding weights byte-identical to
    the lineage's (`twins`, with their edges into what is kept), without their lineage. The harvest stays whole,
    so the report's inventory lists every input file. Unchanged when no release is named or the
    name matches no asset (the encoding reports that)."""
    key = find(graph.assets, release) if release else None
    if key is None:
        return graph
    cone = ancestors(graph, key)
    beside = twins(weights(graph), cone)
    kept = cone | beside | {p.asset for p in graph.harvest.problems if p.asset in graph.assets}
    return AssetGraph(
        {k: a for k, a in graph.assets.items() if k in kept},
        [e for e in graph.edges if e.child in cone or (e.child in beside and e.parent in kept)],
        graph.harvest,
    )


@dataclass(frozen=True)
class Block:
    """Some of a lake's assets, judged together: `keys`, whose findings the block gives, and the
    graph those findings depend on, their cone."""

    keys: frozenset[str]
    graph: AssetGraph
    lake_wide: bool  # whether the block gives the findings no asset owns (the first block does)


def blocks(graph: AssetGraph, size: int) -> Iterator[Block]:
    """The graph's assets in blocks of `size` described assets, each with its cone (and their shared
    upstream), so that a lake is judged in memory that follows the block, not the lake.

    The described assets go in the order a walk down the lineage meets them, so a family of
    derivatives shares a block and its upstream is judged again in few other blocks. An undescribed
    asset goes with the first block whose lineage reaches it (there it is in scope, as in the whole
    lake), or with the first block if none does; its block's graph also holds every asset that
    names it, whose references are its findings' evidence. A block's graph keeps the input problems
    of its assets; those no asset of the graph owns stand in the first block alone."""
    parents, children = _following(graph, upward=True), _following(graph, upward=False)
    described = [k for k in _down(graph, parents, children) if graph.assets[k].resolved]
    parts = [described[i : i + size] for i in range(0, len(described), size)] or [[]]
    cones = [_walk(parents, set(part)) for part in parts]
    owner: dict[str, int] = {}
    for i, reached in enumerate(cones):
        for key in reached:
            owner.setdefault(key, i)
    strays = {k for k in graph.assets if k not in owner}  # undescribed, and no lineage reaches them
    cutting, held = _Index(graph), weights(graph)
    for i, (part, reached) in enumerate(zip(parts, cones, strict=True)):
        own = {k for k in reached if not graph.assets[k].resolved and owner[k] == i} | (strays if i == 0 else set())
        naming = {child for key in own for child in children.get(key, ())}
        kept = reached | own | naming
        yield Block(frozenset({*part, *own}), cutting.part(kept | twins(held, kept), lake_wide=i == 0), i == 0)


def _down(graph: AssetGraph, parents: defaultdict[str, list[str]], children: defaultdict[str, list[str]]) -> list[str]:
    """Every asset, depth first down the lineage from the assets that derive from none (in the
    graph's order), each where the walk first meets it; then those only a cycle leads to."""
    met: dict[str, None] = {}
    for root in (k for k in graph.assets if k not in parents):
        stack = [root]
        while stack:
            key = stack.pop()
            if key not in met:
                met[key] = None
                stack.extend(reversed(children.get(key, ())))
    return [*met, *(k for k in graph.assets if k not in met)]


class _Index:
    """The graph's assets, edges and input problems placed once, so that each block's graph is cut
    in time that follows the block, not the lake (40 blocks of a 1M-asset lake each scanned its 2.3M
    assets and edges), and keeps the graph's order."""

    def __init__(self, graph: AssetGraph) -> None:
        self.graph = graph
        self.order = {key: i for i, key in enumerate(graph.assets)}
        self.edges: defaultdict[str, list[int]] = defaultdict(list)  # child -> its edges' places
        for i, edge in enumerate(graph.edges):
            self.edges[edge.child].append(i)
        self.problems: defaultdict[str | None, list[int]] = defaultdict(list)  # owner -> places
        for i, problem in enumerate(graph.harvest.problems):
            self.problems[problem.asset if problem.asset in graph.assets else None].append(i)

    def part(self, keys: set[str], lake_wide: bool) -> AssetGraph:
        """The graph of `keys`: their assets, the edges among them, their input problems (and, with
        `lake_wide`, those no asset of the graph owns)."""
        g = self.graph
        owners = [*keys, *([None] if lake_wide else [])]
        problems = sorted(i for key in owners for i in self.problems.get(key, ()))
        edges = sorted(i for key in keys for i in self.edges.get(key, ()) if g.edges[i].parent in keys)
        return AssetGraph(
            {key: g.assets[key] for key in sorted(keys & self.order.keys(), key=self.order.__getitem__)},
            [g.edges[i] for i in edges],
            replace(g.harvest, problems=[g.harvest.problems[i] for i in problems]),
        )
