"""Where the lineage diagram's vertices and the bends of its lines go: igraph's Sugiyama layout.

igraph's own bends (a layout's edge_routing) are not used: where a cycle is broken or the graph has
several parts, igraph 1.0 hands some edges the bends of others, or bends in their own end's layer,
and a line drawn through them crosses boxes. So the layout is run twice: once for the layers alone
(see _layers), then on the graph where each edge that spans layers runs through a dummy vertex in
every layer between, with the layers given, so that every edge joins adjacent layers and every
bend is a vertex whose place the layout reports. Then the vertices of each layer are spread at
least a unit apart.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True)
class Layout:
    """Each vertex's place (x in units, layer), the dummies after the graph's own vertices, and
    each edge's chain: its source, its dummies layer by layer, its target."""

    coords: list[tuple[float, int]]
    chains: list[list[int]]


def layout(vertices: int, edges: list[tuple[int, int]]) -> Layout:
    """The layered layout of a directed graph (cycles allowed) whose edges each join adjacent layers."""
    igraph = _igraph()
    layers = _layers(igraph, vertices, edges)
    chains = []
    for source, target in edges:
        step = 1 if layers[target] > layers[source] else -1
        between = range(layers[source] + step, layers[target], step)
        chains.append([source, *range(len(layers), len(layers) + len(between)), target])
        layers += between
    extended = _graph(igraph, len(layers), [pair for chain in chains for pair in pairwise(chain)])
    coords = extended.layout_sugiyama(layers=layers).coords
    return Layout(_spread([(float(x), layer) for (x, _), layer in zip(coords, layers, strict=True)]), chains)


def _layers(igraph: Any, vertices: int, edges: list[tuple[int, int]]) -> list[int]:
    """Each vertex's layer as igraph's layout assigns it, asked of each weakly connected part on its
    own, with a loop for its first edge: igraph 1.0 computes the bends of a graph of several parts,
    or whose first edge it reverses, from the wrong entries of a table and past its end (and can
    crash); a loop is never reversed and, in one layer, changes no layer."""
    part = _graph(igraph, vertices, edges).connected_components(mode="weak").membership
    members: defaultdict[int, list[int]] = defaultdict(list)
    for v, p in enumerate(part):
        members[p].append(v)
    inside: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    for s, t in edges:
        inside[part[s]].append((s, t))
    layers = [0] * vertices
    for p, vs in members.items():
        local = {v: i for i, v in enumerate(vs)}
        graph = _graph(igraph, len(vs), [(0, 0)] + [(local[s], local[t]) for s, t in inside[p]])
        for v, (_, y) in zip(vs, graph.layout_sugiyama(maxiter=1).coords, strict=True):
            layers[v] = round(y)
    return layers


def _graph(igraph: Any, vertices: int, edges: list[tuple[int, int]]) -> Any:
    with _without("numpy"):  # the constructor imports numpy (0.1 s) to ask whether the edges are an array
        return igraph.Graph(n=vertices, edges=edges, directed=True)


def _igraph() -> Any:  # igraph has no type information
    """igraph without its plotting back end: where matplotlib is installed, importing igraph imports
    matplotlib.pyplot too (0.4 s to 3 s), which the layout never uses. Hiding matplotlib while
    igraph is first imported keeps that out of every audit; matplotlib imports normally afterwards."""
    with _without("matplotlib"):
        import igraph
    return igraph


@contextmanager
def _without(module: str) -> Iterator[None]:
    """`import module` fails inside, unless it is imported already: igraph tries optional modules
    it does not need here, at a cost larger than a small audit's layout."""
    if module in sys.modules:
        yield
        return
    sys.modules[module] = None  # type: ignore[assignment]  # makes `import module` fail
    try:
        yield
    finally:
        del sys.modules[module]


def _spread(coords: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """The positions moved as little as possible (least squares) so that the vertices of each
    layer, in the layout's order, are at least a unit apart, which igraph's coordinate assignment
    does not always keep."""
    layers: defaultdict[int, list[tuple[float, int]]] = defaultdict(list)
    for i, (x, layer) in enumerate(coords):
        layers[layer].append((x, i))
    spread = list(coords)
    for layer, row in layers.items():
        row.sort()
        for k, ((_, i), z) in enumerate(zip(row, _isotonic([x - k for k, (x, _) in enumerate(row)]), strict=True)):
            spread[i] = (z + k, layer)
    return spread


def _isotonic(values: list[float]) -> list[float]:
    """The non-decreasing sequence closest to `values` in least squares (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, size]
    for v in values:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (m1, n1), (m2, n2) = blocks.pop(-2), blocks.pop()
            blocks.append([(m1 * n1 + m2 * n2) / (n1 + n2), n1 + n2])
    return [mean for mean, size in blocks for _ in range(int(size))]
