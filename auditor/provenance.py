"""Provenance facts: what the manifests say about where each asset comes from.

Computed from the records and the graph for the provenance rules: whether an asset has a source
location and a supplier, whether its files carry checksums and whether those match the files on
disk, which upstream references are pinned, which assets sit on a lineage cycle, and which
datasets say they were machine-generated.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from auditor import cone
from auditor.cone import ancestors
from auditor.harvest.registry import HUB_LAYOUT, PINNABLE
from auditor.model import Asset, AssetGraph, Checksum, Edge, Evidence
from auditor.vocabulary import USES, Scheme

SOURCE_FIELDS = frozenset(
    {"downloadLocation", "url", "contentUrl", "homepage", "software_downloadLocation", "original_data_url", "repo_url"}
)
SUPPLIER_FIELDS = frozenset(
    {
        "supplier",
        "originator",
        "creator",
        "publisher",
        "manufacturer",
        "authors",
        "author",
        "prov:wasAttributedTo",
        "suppliedBy",
        "originatedBy",
        "contributor",
        "mof:producer",  # MOF release.producer: who produced the model (required by the MOF schema)
    }
)
NO_VALUE = frozenset({"NOASSERTION", "NONE", ""})
# Dataset-card fields whose values say a model wrote the data itself. annotations_creators is not
# one: on the Hub it says who made the labels, and machine-generated labels are those derived by a
# program (from a knowledge base, a heuristic, a classifier), not data a model generated.
GENERATED_BY_VALUE = {
    "language_creators": frozenset({"machine-generated"}),
    "tags": frozenset({"synthetic", "synthetic-data", "synthetic data"}),
}


def source(asset: Asset) -> Evidence | None:
    """Where the asset's source location is stated, if anywhere (a Hub id is one)."""
    for r in asset.records:
        if r.format in HUB_LAYOUT:
            return r.at("id") if r.place else Evidence(r.source, "Hub id")
        for ident in r.identifiers:
            if ident.scheme in (Scheme.URL, Scheme.PURL, Scheme.HUB):
                return ident.evidence
        for s in r.statements:
            if s.field in SOURCE_FIELDS and s.value.strip().upper() not in NO_VALUE:
                return s.evidence
    return None


def supplier(asset: Asset) -> Evidence | None:
    """Where the asset's supplier or creator is stated (the organisation of an org/name Hub id counts)."""
    for r in asset.records:
        if r.format in HUB_LAYOUT and "/" in r.id:
            return r.at("id") if r.place else Evidence(r.source, "Hub organisation")
        for s in r.statements:
            if s.field in SUPPLIER_FIELDS and s.value.strip().upper() not in NO_VALUE:
                return s.evidence
    return None


def checksum_mismatches(graph: AssetGraph) -> Iterator[tuple[str, str, str, str, tuple[Evidence, Evidence]]]:
    """(asset key, file, declared, actual, evidence) where a manifest's sha256 of a file differs from
    the sha256 of that file on disk (a file named relative to the manifest's folder, or the audit root)."""
    computed: dict[str, tuple[str, Checksum]] = {}  # file path -> (asset key, checksum)
    for key, asset in graph.assets.items():
        for r in asset.records:
            if r.format == "model-folder":
                for c in r.checksums:
                    if c.algorithm == "sha256" and c.file:
                        computed[c.file] = (key, c)
    for asset in graph.assets.values():
        for r in asset.records:
            if r.format == "model-folder" or not r.checksums:
                continue
            folder = PurePosixPath(r.source).parent
            for c in r.checksums:
                if c.algorithm != "sha256" or not c.file or "://" in c.file:
                    continue
                for candidate in (posixpath.normpath(str(folder / c.file)), posixpath.normpath(c.file)):
                    if candidate in computed and computed[candidate][1].value != c.value:
                        key, actual = computed[candidate]
                        yield key, candidate, c.value, actual.value, (c.evidence, actual.evidence)
                        break


def same_weights(graph: AssetGraph) -> Iterator[tuple[str, str, str, str, tuple[Evidence, Evidence]]]:
    """(asset, twin, file, sha256, evidence) for each pair of assets holding byte-identical weight
    files that no lineage in `graph` joins: neither names the other, however far up. The two are one
    model's copies only when every weight file of one is among the other's (a mirror, a re-upload of
    some of its quants): one shared component of otherwise different models (a vision projector,
    an optimizer state) is no copy."""
    upward: dict[str, set[str]] = {}
    digests = cone.weight_digests(graph)
    for digest, held in sorted(cone.weights(graph).items()):
        for key, mine in held:
            for twin, theirs in held:
                if twin == key or not (digests[key] <= digests[twin] or digests[twin] <= digests[key]):
                    continue
                mine_up = upward.get(key) or upward.setdefault(key, ancestors(graph, key))
                theirs_up = upward.get(twin) or upward.setdefault(twin, ancestors(graph, twin))
                if twin not in mine_up and key not in theirs_up:
                    yield key, twin, mine.file or "", digest, (mine.evidence, theirs.evidence)


def has_checksum(asset: Asset) -> bool:
    return any(r.checksums for r in asset.records)


def unpinned(graph: AssetGraph, edges: Iterable[Edge]) -> Iterator[Edge]:
    """Edges (of those given) whose manifest could pin the upstream's version but does not."""
    for edge in edges:
        if edge.format in PINNABLE and not edge.revision and edge.relation not in USES:
            parent = graph.assets[edge.parent]
            if not any(r.version or r.revision for r in parent.records):
                yield edge


def cycles(edges: Iterable[Edge]) -> list[list[str]]:
    """Strongly connected components of more than one asset over the given edges; a cycle through
    the release's lineage lies wholly inside it."""
    parents: defaultdict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge.child != edge.parent:
            parents[edge.child].append(edge.parent)
    search = _Components(parents)
    for start in sorted(parents):
        if start not in search.index:
            search.run(start)
    return sorted(c for c in search.found if len(c) > 1)


class _Components:
    """Tarjan's algorithm, iterative: a lineage thousands deep must not reach Python's recursion limit."""

    def __init__(self, parents: defaultdict[str, list[str]]) -> None:
        self.parents = parents
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()
        self.found: list[list[str]] = []

    def run(self, start: str) -> None:
        work = [(start, self._enter(start))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    self.low[work[-1][0]] = min(self.low[work[-1][0]], self.low[node])
                if self.low[node] == self.index[node]:
                    self._pop_component(node)
            elif child not in self.index:
                work.append((child, self._enter(child)))
            elif child in self.on_stack:
                self.low[node] = min(self.low[node], self.index[child])

    def _enter(self, node: str) -> Iterator[str]:
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        return iter(self.parents[node])

    def _pop_component(self, root: str) -> None:
        component = []
        while True:
            member = self.stack.pop()
            self.on_stack.discard(member)
            component.append(member)
            if member == root:
                break
        self.found.append(sorted(component))


def machine_generated(asset: Asset) -> Evidence | None:
    """Where a dataset says a model generated it: its text written by a machine, a synthetic tag. A
    model card's values say nothing about generated data, nor does Croissant's prov:wasGeneratedBy by
    itself: PROV-O's generation is any activity's production of the entity (people writing it, a
    filter cleaning it); an activity that names a model is a generated_by edge (schemalineage)."""
    if asset.kind != "dataset":
        return None
    for r in asset.records:
        for s in r.statements:
            if s.field in GENERATED_BY_VALUE and GENERATED_BY_VALUE[s.field] & _values(s.value):
                return s.evidence
    return None


def _values(summary: str) -> set[str]:
    """The lowercase entries of a statement's value (a list is stated joined by commas)."""
    return {v.strip().lower() for v in summary.split(",")}
