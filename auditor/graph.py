"""Build the asset graph: merge the records of one harvest into an asset graph with typed lineage edges.

Records describing the same asset become one asset: the same Hub id in the same namespace (Hub
ids compare case-insensitively), or a shared purl, DOI or sha256 checksum, or a shared URL or sameAs
together with the same name (a URL is a place that may hold several assets, see `identity`). A Hub
id and a purl are identities: the other keys never join two records that name different ones of
one scheme (byte-identical weights in two Hub repositories are a copy and its original). A
plain name is not an identity: two manifests that only share a name stay two assets. A reference
is matched by the same keys, then by name as a last resort, and the edge says when that happened;
one that matches nothing becomes an unresolved asset, kept so the rules can report it. An asset
known at several revisions is one asset with versions, and a reference pinned to an older
revision binds that revision (auditor/versions.py).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator

from auditor import versions
from auditor.harvest.registry import FORMAT_ORDER, HUB_LAYOUT, IN_FOLDER
from auditor.identity import Key, element_id, hub_id, keys, located, plain_id
from auditor.model import KEPT_APART, Asset, AssetGraph, AssetRecord, Edge, Evidence, Harvest, Problem, Reference
from auditor.naming import asset_key, display_name, find, split_id
from auditor.vocabulary import Scheme

KIND_STRENGTH = {"model": 2, "dataset": 2, "code": 1, "other": 0}
IDENTITIES = (Scheme.HUB, Scheme.PURL)  # keys that are an asset's identity: two of one scheme are two assets


class LineageError(ValueError):
    """A declared lineage entry names a child no manifest describes."""


def build(harvest: Harvest, declared: tuple[tuple[str, str, str], ...] = ()) -> AssetGraph:
    """Merge records by identity; `declared` adds (child, parent, relation) edges from mlaudit.toml."""
    records = sorted(harvest.records, key=_record_order)
    apart: list[Problem] = []
    assets, owner, index, shown = _merge(records, apart)
    harvest = dataclasses.replace(harvest, problems=[*harvest.problems, *apart]) if apart else harvest
    moved = versions.split(assets)
    owner = {i: moved.get((key, versions.label(records[i])), key) for i, key in owner.items()}
    edges = versions.pin(_reference_edges(records, owner, index, assets), assets)
    edges |= _declared_edges(declared, assets)
    edges = _named_apart(assets, edges, shown)
    return AssetGraph(dict(sorted(assets.items())), sorted(edges, key=_edge_order), harvest)


def _merge(
    records: list[AssetRecord], apart: list[Problem]
) -> tuple[dict[str, Asset], dict[int, str], dict[Key, list[str]], set[str]]:
    """The assets, the asset key of each record (by index), the assets each identity key names, and
    the names reports give them (lowercase, as keys compare); each asset kept apart from another of
    its name is told in `apart`."""
    assets: dict[str, Asset] = {}
    owner: dict[int, str] = {}
    index: dict[Key, list[str]] = {}
    shown: set[str] = set()
    for members in _groups(records):
        key, asset = _asset(records, members)
        if key in assets or _shown(asset) in shown:
            # same name, no shared identity (or kinds that reports do not name apart, an SBOM's
            # `code` and `other`): keep both, told apart by their file
            named = key if key in assets else next(k for k, a in assets.items() if _shown(a) == _shown(asset))
            base, n = f"{asset.id} ({asset.records[0].source})", 1
            asset.id = base
            while asset_key(asset.kind, asset.id) in assets or _shown(asset) in shown:
                n += 1
                asset.id = f"{base} #{n}"
            key = asset_key(asset.kind, asset.id)
            apart.append(_kept_apart(assets[named], asset))
        assets[key] = asset
        shown.add(_shown(asset))
        for i in members:
            owner[i] = key
            for k in _record_keys(records[i]):
                carriers = index.setdefault(k, [])
                if key not in carriers:
                    carriers.append(key)
    return assets, owner, index, shown


def _kept_apart(named: Asset, twin: Asset) -> Problem:
    """An asset of `named`'s name kept apart from it (no shared Hub id or purl), told against the
    named one: else the twin's upstreams and terms, not `named`'s, would vanish from its report."""
    source = twin.records[0].source
    message = (
        f"an asset named '{named.id}' is described here too, sharing no Hub id or purl with it: kept apart as"
        f" '{twin.id}', so its upstreams and terms are not those of '{named.id}' (give both one identity,"
        " such as a purl, if they are one asset)"
    )
    return Problem(KEPT_APART, message, Evidence(source, ""), asset_key(named.kind, named.id))


def _shown(asset: Asset) -> str:
    return display_name(asset.kind, asset.id).lower()


def _named_apart(assets: dict[str, Asset], edges: set[Edge], shown: set[str]) -> set[Edge]:
    """`edges`, after each upstream no manifest describes whose report name an asset of another bare
    kind has (a reference to model `foo` where an SBOM describes a code package `foo`, or another
    reference names one) is renamed `foo (unresolved)` in `assets`: else reports, the lake's rows and
    finding ids would name both `foo`, and one would be charged the other's findings. `shown`: the
    described assets' report names (lowercase), to which the others' are added."""
    renamed: dict[str, str] = {}
    for key, asset in list(assets.items()):
        if asset.resolved:
            continue
        if _shown(asset) not in shown:
            shown.add(_shown(asset))
            continue
        base, n = f"{asset.id} (unresolved)", 1
        asset.id = base
        while asset_key(asset.kind, asset.id) in assets or _shown(asset) in shown:
            n += 1
            asset.id = f"{base} #{n}"
        renamed[key] = asset_key(asset.kind, asset.id)
        assets[renamed[key]] = assets.pop(key)
        shown.add(_shown(asset))
    if not renamed:
        return edges
    return {dataclasses.replace(e, parent=renamed.get(e.parent, e.parent)) for e in edges}


def _reference_edges(
    records: list[AssetRecord], owner: dict[int, str], index: dict[Key, list[str]], assets: dict[str, Asset]
) -> set[Edge]:
    """An edge for each asset each reference names (adding the unresolved ones to `assets`)."""
    edges = set()
    for i, record in enumerate(records):
        for ref in record.references:
            parents, matched = _targets(ref, record, owner[i], index, assets)
            basis = ref.basis + (f"; matched by name only to {matched}" if matched else "")
            if len(parents) > 1:
                basis += f"; {len(parents)} distinct assets carry this URL: each is an upstream"
            for parent in parents:
                if parent == owner[i] and ref.scheme == Scheme.RECORD and ref.target != record.id:
                    continue  # two records of one file describe one asset (a model and its weights file)
                edges.add(
                    Edge(owner[i], parent, ref.relation, ref.evidence, basis, ref.revision, record.format, matched)
                )
    return edges


def _declared_edges(declared: tuple[tuple[str, str, str], ...], assets: dict[str, Asset]) -> set[Edge]:
    """The lineage mlaudit.toml adds: its child must be described, its parent may be new."""
    edges = set()
    for i, (child_id, parent_id, relation) in enumerate(declared):
        child = find(assets, child_id)
        if child is None:
            raise LineageError(f"mlaudit.toml: lineage[{i}] child {child_id!r} is not described by any manifest")
        parent = find(assets, parent_id) or asset_key(*split_id(parent_id))
        assets.setdefault(parent, Asset(split_id(parent_id)[1], split_id(parent_id)[0]))
        evidence = Evidence("mlaudit.toml", f"lineage[{i}]")
        edges.add(Edge(child, parent, relation, evidence, "declared in mlaudit.toml", format="mlaudit.toml"))
    return edges


def _record_order(r: AssetRecord) -> tuple[int, str, str, str]:
    rank = FORMAT_ORDER.index(r.format) if r.format in FORMAT_ORDER else len(FORMAT_ORDER)
    return rank, r.kind, r.id.lower(), r.source


def _record_keys(r: AssetRecord) -> list[Key]:
    """Every key that identifies the record's asset (`name` and `record` keys match references only)."""
    found: list[Key] = [(Scheme.RECORD, r.source, r.id), (Scheme.NAME, r.kind, r.id.lower())]
    if r.format in HUB_LAYOUT:
        found.append((Scheme.HUB, r.kind, r.id.lower()))
    if r.format in IN_FOLDER:
        # a card and the files beside it describe one asset, even when only the card knows its kind
        found.append(("folder", r.source.rpartition("/")[0], r.id.lower()))
    for ident in r.identifiers:
        found += keys(ident.scheme, ident.value, r.kind)
    found += [(Scheme.SHA256, c.value) for c in r.checksums if c.algorithm == "sha256"]
    return found


class _Sets:
    """Union-find over indices, each set named by its least member."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.root(i), self.root(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _groups(records: list[AssetRecord]) -> list[list[int]]:
    """Records of one asset, as groups of indices. A Hub id or purl is an asset's identity: records
    sharing one are one asset. Another key (a checksum, DOI, URL with the name, the folder) joins
    records only where the join puts no two identities of one scheme together: two Hub repositories
    holding byte-identical weights are two assets (a copy and its original), not one. Where a
    component of such joins would, its identified groups stay apart and each cluster of the others
    joins the one identified group it shares a key with, if only one: the outcome is the same
    whatever the records' order."""
    sets, identities, weak = _identified(records)
    linked = _Sets(len(records))  # identified groups that weak keys join, by their roots
    for carriers in weak.values():
        for i in carriers[1:]:
            linked.join(sets.root(carriers[0]), sets.root(i))
    components = defaultdict(set)
    for i in range(len(records)):
        components[linked.root(sets.root(i))].add(sets.root(i))
    conflicted: set[int] = set()
    for roots in components.values():
        if _compatible(identities.get(r, set()) for r in roots):
            first = min(roots)
            for r in roots:
                sets.join(first, r)
        else:
            conflicted |= roots
    if conflicted:
        _attach(sets, identities, [c for c in weak.values() if sets.root(c[0]) in conflicted])
    groups = defaultdict(list)
    for i in range(len(records)):
        groups[sets.root(i)].append(i)
    return list(groups.values())


def _identified(records: list[AssetRecord]) -> tuple[_Sets, dict[int, set[Key]], dict[Key, list[int]]]:
    """The records joined by identity (Hub id, purl); the identities of each set, by its root; and
    the records carrying each other key."""
    sets, first = _Sets(len(records)), dict[Key, int]()
    weak: dict[Key, list[int]] = defaultdict(list)
    strong: list[list[Key]] = []
    for i, record in enumerate(records):
        found = [located(k, record.id) for k in _record_keys(record) if k[0] not in (Scheme.RECORD, Scheme.NAME)]
        strong.append([k for k in found if k[0] in IDENTITIES])
        for k in found:
            if k[0] in IDENTITIES:
                sets.join(first.setdefault(k, i), i)
            elif i not in weak[k][-1:]:
                weak[k].append(i)
    identities: dict[int, set[Key]] = defaultdict(set)
    for i, own in enumerate(strong):
        identities[sets.root(i)].update(own)
    return sets, identities, weak


def _compatible(identities: Iterable[set[Key]]) -> bool:
    """Whether sets of identities can be one asset's: in each scheme (a Hub id of one kind, a purl),
    those that name any have one in common."""
    common: dict[Key, set[str]] = {}
    for held in identities:
        named: dict[Key, set[str]] = defaultdict(set)
        for k in held:
            named[k[:-1]].add(k[-1])
        for scheme, values in named.items():
            common[scheme] = common[scheme] & values if scheme in common else values
            if not common[scheme]:
                return False
    return True


def _attach(sets: _Sets, identities: dict[int, set[Key]], joins: list[list[int]]) -> None:
    """In components that would join two identities (`joins`: the records each of their keys
    joins), the groups without an identity that share keys form clusters, and each cluster joins
    the identified group it shares a key with if that is the only one; else it stays apart."""
    plain, reached = _Sets(len(sets.parent)), defaultdict[int, set[int]](set)
    for carriers in joins:
        roots = {sets.root(i) for i in carriers}
        unnamed = sorted(r for r in roots if not identities.get(r))
        for r in unnamed:
            plain.join(unnamed[0], r)
            reached.setdefault(r, set())
        if unnamed:
            reached[unnamed[0]] |= roots.difference(unnamed)
    clusters: dict[int, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for r, anchors in reached.items():
        members, found = clusters[plain.root(r)]
        members.add(r)
        found |= anchors
    for cluster, (members, found) in clusters.items():
        for r in members | (found if len(found) == 1 else set()):
            sets.join(cluster, r)


def _asset(records: list[AssetRecord], members: list[int]) -> tuple[str, Asset]:
    """The merged asset: its kind from the most specific record, its id the Hub id if any names one."""
    group = [records[i] for i in members]
    kind = max(group, key=lambda r: KIND_STRENGTH.get(r.kind, 0)).kind
    hub = next((h for r in group for h in _hub_ids(r) if h[0] == kind), None)
    asset_id = hub[1] if hub else plain_id(_name(group))
    purls = (i.value.lower() for r in group for i in r.identifiers if i.scheme == Scheme.PURL)
    elsewhere = hub is None and any(not p.startswith("pkg:huggingface/") for p in purls)
    return asset_key(kind, asset_id), Asset(asset_id, kind, group, elsewhere=elsewhere)


def _name(group: list[AssetRecord]) -> str:
    """The name of the first record; where the records describe several versions, without the
    `@version` that told apart one SBOM's packages of one name (spdx.record_ids): versions do that."""
    first, told = group[0], f"@{group[0].version}"
    several = len({versions.label(r) for r in group} - {None}) > 1
    return first.id.removesuffix(told) if several and first.version else first.id


def _hub_ids(r: AssetRecord) -> Iterator[tuple[str, str]]:
    if r.format in HUB_LAYOUT:
        yield r.kind, r.id
    for ident in r.identifiers:
        found = hub_id(ident.scheme, ident.value, r.kind)
        if found:
            yield found


def _targets(
    ref: Reference, record: AssetRecord, own: str, index: dict[Key, list[str]], assets: dict[str, Asset]
) -> tuple[list[str], str | None]:
    """The assets a reference names (or a new unresolved one), and the file it was matched to if only by name.

    A URL that several distinct assets carry (the subsets of one repository) names all of them: the
    reference does not say which one was used, so each one's terms apply. Choosing one would hide
    licences that may bind; only the manifest can narrow it, by naming the subset. A record that
    carries the URL itself names its own place, not its neighbours there: the reference is to its
    own asset (a self-reference), so one subset never inherits another's licence."""
    candidates: list[Key]
    if ref.scheme == Scheme.RECORD:
        candidates = [(Scheme.RECORD, record.source, ref.target)]
    elif ref.scheme == Scheme.HUB:
        candidates = [(Scheme.HUB, ref.kind, ref.target.lower())]
    else:
        candidates = keys(ref.scheme, ref.target, ref.kind)
    for k in candidates:
        if k in index:
            return ([own] if own in index[k] else index[k]), None
    named = element_id(ref.target) if ref.scheme == Scheme.ELEMENT else plain_id(ref.target)
    kind, name = hub_id(ref.scheme, ref.target, ref.kind) or (ref.kind, named)
    by_name = index.get((Scheme.NAME, kind, name.lower()))
    if by_name:
        return by_name[:1], assets[by_name[0]].records[0].source
    key = asset_key(kind, name)
    assets.setdefault(key, Asset(name, kind))
    return [key], None


def _edge_order(e: Edge) -> tuple[str, str, str, str, str, int, str]:
    return e.child, e.parent, e.relation, e.evidence.file, e.evidence.pointer, e.evidence.line or 0, e.basis
