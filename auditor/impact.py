"""Impact: what descends from an asset, and what a change of its licence would change for each
descendant, found by judging the lake's facts as they are and as changed (never guessed).

Two changes are hypothesised on the asset's own manifests, as an edit of its cards would make them:

- a relicence replaces the licences the asset's manifests declare (their `license` fields, and those
  their card's body states) by one licence; a reviewer's curation of the asset, which overrides what
  a card declares, still applies;
  an upstream no manifest describes is judged as if a record of it declared the licence;
- a takedown withdraws every licence the asset's manifests state (declared, concluded, in the card's
  body) and its curation: the asset stays in the lineage, since what descends from it was made with it
  and still holds it, but nothing grants its use any more. The rules then judge it as they judge any
  unlicensed upstream (unknown terms, no grant can be assumed), so a takedown needs no rule of its own.

An asset known at several revisions (auditor/versions.py) descends through each: the assets that pin
an older revision are its descendants too. A relicence is a new revision, as a licensor's edit of
its card makes one: it becomes the newest and binds what tracks the newest, while a reference pinned
to the revision it follows (by commit or version, not by branch) keeps that revision's licence, a
grant once given not being withdrawn by a later one; the revision's licence change is a `relicensed`
fact, as two revisions of a lake give (PRV015 on what tracks it). An asset whose records name no
revision can be pinned by none, and is relicensed as its card would be edited. Relicensing an older
revision changes the asset's licence history, which binds what tracks the newest: the descendants of
every revision are listed, whichever is named. A takedown withdraws every revision.

Only the descendants' cone (the descendants and everything upstream of them) is judged, both times:
a finding about an asset depends only on that asset's lineage. The two judgements are compared
before they are interpreted, and only the findings they do not share are (auditor/judgements.py).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, replace
from typing import cast

from auditor import audit, judgements, lake, versions
from auditor.harvest import hubtable
from auditor.license_reading import read_declared
from auditor.licenses import KnowledgeBase
from auditor.model import (
    BAD_ROW,
    Asset,
    AssetGraph,
    AssetRecord,
    Edge,
    Evidence,
    Harvest,
    LicenseStatement,
    Version,
)
from auditor.naming import asset_key, closest, display_id, display_name, split_id
from auditor.parsed import JSONObject

HYPOTHESIS = "(mlaudit impact --relicense)"  # the file a hypothetical manifest is cited as
# The revision a relicence makes, as findings name it (PRV015's "revision …"): a description, with
# spaces, so that no reference's revision or branch can name it.
RELICENSED = "after the relicence"
MAX_PATHS = 3  # shortest paths listed per descendant; a wide diamond has exponentially many


class ImpactError(ValueError):
    """The asset cannot be found in the lake, or the change cannot be made to it."""


@dataclass(frozen=True)
class Change:
    kind: str  # none | relicense | takedown
    license: str | None = None  # the new licence of a relicence


def relicence(license: str, kb: KnowledgeBase) -> Change:
    """The change to `license`, which must read as a license the knowledge base knows (or an
    expression of such), or name one of the user's own (`LicenseRef-…`, whose terms are unknown): a
    mistyped id would be judged as unknown terms and fail every descendant, which is not what was asked."""
    reading = read_declared([LicenseStatement(license, Evidence("command line", "--relicense"))], kb)
    if reading.status in ("missing", "unknown", "not_a_license"):
        raise ImpactError(f"--relicense {license!r}: {reading.reading}; to withdraw every license, use --takedown")
    for text in reading.unrecognised:
        if not text.startswith("LicenseRef-"):
            raise ImpactError(
                f"--relicense {license!r}: {text!r} is not a license mlaudit knows"
                f"{closest(text, kb.licenses)} (`mlaudit licenses list`; a license of your own: LicenseRef-name)"
            )
    return Change("relicense", license)


def assess(loaded: lake.Loaded, name: str, change: Change, on_stage: audit.StageHook | None = None) -> JSONObject:
    """The descendants of the asset `name`, each with its shortest paths from it and, for a change,
    the findings that would appear, disappear or change, and its licence and verdict before and after
    (`on_stage` is told each stage's time: each side's encode and reason, then compare)."""
    graph = loaded.graph
    key = find(graph, name)
    root = graph.assets[key].revision_of or key  # the asset, known at its revisions
    family = [root, *sorted(k for k, a in graph.assets.items() if a.revision_of == root)]
    revisions = [key, *(k for k in family if k != key)]
    paths = shortest_paths(graph, *revisions)
    cone = _cone(graph, set(paths))
    about = frozenset(paths)  # the findings read: the descendants', not their upstream's
    before = after = judgements.judge(loaded, cone, about, on_stage)
    if change.kind != "none":
        changed = _changed(cone, revisions if change.kind == "takedown" else [key], change)
        added = {k: a for k, a in changed.assets.items() if k not in cone.assets}  # a relicence's former newest
        if added:  # in both, unreferenced before, so that the two number the assets alike
            before = judgements.judge(loaded, replace(cone, assets={**cone.assets, **added}), about, on_stage)
        after = judgements.judge(loaded, changed, about, on_stage)
    with audit.stage("compare", on_stage):
        sides = judgements.compared(loaded, before, after, about)
        rows = [_row(graph, k, paths[k], *sides) for k in sorted(paths, key=lambda k: (len(paths[k][0]), k))]
    return {
        "lake": str(loaded.root),
        "asset": display_id(key, graph),
        "position": loaded.settings.position,
        "change": {"kind": change.kind, "license": change.license},
        "descendants": len(paths) - len(revisions),
        "affected": sum(bool(r["appear"] or r["disappear"] or r["changed"]) for r in rows[len(revisions) :]),
        "not_read": _not_read(graph.harvest),
        "assets": rows,
    }


def _not_read(harvest: Harvest) -> JSONObject:
    """The lake's files and table rows that could not be read: what descends through them is not in
    the answer, which must say so (a lake's audit fails its gate on them; an impact has no gate)."""
    files = [{"file": e.file, "reason": e.reason} for e in harvest.inventory if e.status == "unreadable"]
    rows = [f"{p.evidence.file}: {p.message}" for p in harvest.problems if p.code == BAD_ROW]
    return {"files": files, "rows": rows}


def find(graph: AssetGraph, name: str) -> str:
    """The key of the asset reports name `name`: exactly, else ignoring case (the Hub's ids do) and,
    for a name without `datasets/` or `models/`, the kind (the Hub names a dataset without the
    prefix), a model first, as the Hub's own URLs do; a Hub URL (or `models/`) names a repository
    of its kind. A name that fits several assets so is refused, naming them; one that fits none,
    with the nearest names."""
    names = {display_id(key, graph): key for key in graph.assets}
    if name not in names and "@" in name:
        return _revision(graph, *name.rsplit("@", 1))
    kind = None
    if "://" in name or name.startswith("models/"):  # a Hub URL names its repository, and its kind
        kind, asset_id = split_id(name)
        name = display_name(kind, asset_id)
    if name in names:
        return names[name]
    folded, bare = name.casefold(), kind is None and not name.startswith("datasets/")
    found = sorted(s for s in names if folded in (s.casefold(), split_id(s)[1].casefold() if bare else None))
    unprefixed = [s for s in found if not s.startswith("datasets/")]  # a model (or an SBOM's package) first
    if len(found) == 1 or (bare and len(unprefixed) == 1):
        return names[(unprefixed if bare and unprefixed else found)[0]]
    if found:
        raise ImpactError(f"{name}: names {len(found)} assets of the lake ({', '.join(found)}): name one exactly")
    raise ImpactError(f"{name}: no such asset in the lake{closest(name, names)}{graph.harvest.unread()}")


def _revision(graph: AssetGraph, name: str, revision: str) -> str:
    """The key of asset `name` at `revision` (its full sha, its first 7 or more characters, a version
    written another way): the asset itself at its newest, else the older revision a reference pins."""
    key = find(graph, name)
    asset = graph.assets[key]
    known = asset.versions or versions.ordered(asset.records)
    version = versions.named(Edge(key, key, "", Evidence("command line", name), revision=revision), known)
    if version is None:
        raise ImpactError(f"{name}@{revision}: no such revision of {name} in the lake ({len(known)} known)")
    older = asset_key(asset.kind, f"{asset.id}@{version.revision}")
    if version is known[-1]:
        return key
    if older not in graph.assets:
        raise ImpactError(f"{name}@{revision}: no reference pins this older revision, so nothing descends from it")
    return older


def shortest_paths(graph: AssetGraph, *keys: str) -> dict[str, list[list[Edge]]]:
    """Each asset descending from `keys` (and `keys`, by the empty path): its shortest paths from
    one of them, edge by edge, at most MAX_PATHS of them, in a fixed order."""
    children: dict[str, list[Edge]] = defaultdict(list)
    for edge in graph.edges:  # their order does not matter: two paths that sort alike show the same steps
        children[edge.parent].append(edge)
    depth, into = dict.fromkeys(keys, 0), defaultdict(list)
    queue = deque(keys)
    while queue:
        parent = queue.popleft()
        for edge in children[parent]:
            if edge.child not in depth:
                depth[edge.child] = depth[parent] + 1
                queue.append(edge.child)
            if depth[edge.child] == depth[parent] + 1:
                into[edge.child].append(edge)
    paths: dict[str, list[list[Edge]]] = {key: [[]] for key in keys}
    for child in sorted(depth, key=lambda k: (depth[k], k))[len(keys) :]:
        options = [[*path, edge] for edge in into[child] for path in paths[edge.parent]]
        paths[child] = sorted(options, key=lambda p: [(e.parent, e.relation) for e in p])[:MAX_PATHS]
    return paths


def _cone(graph: AssetGraph, keys: set[str]) -> AssetGraph:
    """The part of the graph the findings about `keys` depend on: them and all their upstream."""
    parents: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges:
        parents[edge.child].append(edge.parent)
    seen, stack = set(), list(keys)
    while stack:
        key = stack.pop()
        if key not in seen:
            seen.add(key)
            stack.extend(parents[key])
    assets = {k: a for k, a in graph.assets.items() if k in seen}
    return AssetGraph(assets, [e for e in graph.edges if e.child in seen], graph.harvest)


def _changed(graph: AssetGraph, keys: list[str], change: Change) -> AssetGraph:
    """The graph with the assets of `keys` relicensed or taken down (see the module's docstring)."""
    asset = graph.assets[keys[0]]
    if asset.resolved or asset.revision_of:
        if change.kind == "takedown":
            return replace(graph, assets={**graph.assets, **{k: _withdrawn(graph.assets[k]) for k in keys}})
        return _relicensed(graph, keys[0], cast(str, change.license))
    if change.kind == "takedown":
        name = display_id(keys[0], graph)
        raise ImpactError(f"{name}: no manifest in the lake describes it, so nothing grants its use to withdraw")
    return replace(graph, assets={**graph.assets, keys[0]: _described(asset, change)})


def _described(asset: Asset, change: Change) -> Asset:
    """An upstream no manifest describes, relicensed: as a manifest describing it under the licence
    would make it (a record of the Hub's API, which has no card to score), cited as the hypothesis."""
    where = Evidence(HYPOTHESIS, "license")
    record = AssetRecord(
        asset.id,
        asset.kind,
        HYPOTHESIS,
        [LicenseStatement(cast(str, change.license), where)],
        format=hubtable.FORMAT,
        kind_basis="the upstream reference that names it",
    )
    return replace(asset, records=[record])


def _withdrawn(asset: Asset) -> Asset:
    """The asset taken down: no revision of it states a licence any more, nor does its curation."""
    versions_ = [replace(v, records=tuple(map(_unlicensed, v.records))) for v in asset.versions]
    return replace(asset, records=[_unlicensed(r) for r in asset.records], versions=versions_, curation=None)


def _unlicensed(record: AssetRecord) -> AssetRecord:
    return replace(record, licenses=[], concluded=[], body_licenses=[])


def _relicensed(graph: AssetGraph, key: str, license: str) -> AssetGraph:
    """The graph with the asset of `key` relicensed: for an older revision, its records and its
    version in the asset's history; for the newest, a new revision, to which the references that
    pinned the former newest do not move (see the module's docstring)."""
    asset = graph.assets[key]
    records = _restated(asset.records, license)
    if asset.revision_of is not None:
        newest = graph.assets[asset.revision_of]
        history = [replace(v, records=tuple(records)) if _key_of(newest, v) == key else v for v in newest.versions]
        changed = {key: replace(asset, records=records), asset.revision_of: replace(newest, versions=history)}
        return replace(graph, assets={**graph.assets, **changed})
    known = asset.versions or versions.ordered(asset.records)
    if not known:  # no revision named: none can be pinned, the card is edited in place
        return replace(graph, assets={**graph.assets, key: replace(asset, records=records)})
    former = known[-1]
    older = _key_of(asset, former)
    history = [*known, Version(RELICENSED, None, tuple(records))]
    kept = Asset(
        f"{asset.id}@{former.revision}", asset.kind, list(former.records), revision_of=key, elsewhere=asset.elsewhere
    )
    assets = {**graph.assets, key: replace(asset, records=records, versions=history), older: kept}
    edges = [replace(e, parent=older) if e.parent == key and _pins(e, former, known) else e for e in graph.edges]
    return replace(graph, assets=assets, edges=edges)


def _key_of(asset: Asset, version: Version) -> str:
    """The key of the asset at an older revision."""
    return asset_key(asset.kind, f"{asset.id}@{version.revision}")


def _pins(edge: Edge, version: Version, known: list[Version]) -> bool:
    """Whether the edge pins the version by its commit or number (a branch moves with the newest)."""
    return versions.named(edge, known) is version and edge.revision not in versions.branches(version)


def _restated(records: list[AssetRecord], license: str) -> list[AssetRecord]:
    """The records with each licence they state replaced by `license`, where they state it (the
    record stating one, or the first): its `license` fields, and its card's body."""
    stating = [i for i, r in enumerate(records) if r.licenses] or [0]
    restated = list(records)
    for i, record in enumerate(records):
        where = record.licenses[0].evidence if record.licenses else record.at("license")
        declared = [LicenseStatement(license, where)] if i in stating else record.licenses
        body = [LicenseStatement(license, s.evidence) for s in record.body_licenses[:1]]
        restated[i] = replace(record, licenses=declared, body_licenses=body)
    return restated


def _row(
    graph: AssetGraph, key: str, paths: list[list[Edge]], before: judgements.Judged, after: judgements.Judged
) -> JSONObject:
    """One descendant: how it descends, its licence and verdict before and after, its findings' changes."""
    name = display_id(key, graph)
    was, now = before.findings.get(name, {}), after.findings.get(name, {})
    return {
        "asset": name,
        "kind": graph.assets[key].kind,
        "paths": [[_step(graph, e) for e in path] for path in paths],
        "license": {"before": before.licenses.get(name), "after": after.licenses.get(name)},
        "verdict": {"before": before.verdict(name), "after": after.verdict(name)},
        **dict(zip(("appear", "disappear", "changed"), lake.finding_changes(was, now), strict=True)),
    }


def _step(graph: AssetGraph, edge: Edge) -> JSONObject:
    return {"from": display_id(edge.parent, graph), "relation": edge.relation, "to": display_id(edge.child, graph)}
