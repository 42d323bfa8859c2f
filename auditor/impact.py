"""Impact: what descends from an asset, and what a change of its licence would change for each
descendant, found by judging the lake's facts as they are and as changed (never guessed).

Two changes are hypothesised on the asset's own manifests, as an edit of its cards would make them:

- a relicence replaces the licences the asset's manifests declare (their `license` fields) by one
  licence; a reviewer's curation of the asset, which overrides what a card declares, still applies;
  an upstream no manifest describes is judged as if a record of it declared the licence;
- a takedown withdraws every licence the asset's manifests state (declared, concluded, in the card's
  body) and its curation: the asset stays in the lineage, since what descends from it was made with it
  and still holds it, but nothing grants its use any more. The rules then judge it as they judge any
  unlicensed upstream (unknown terms, no grant can be assumed), so a takedown needs no rule of its own.

An asset known at several revisions (auditor/versions.py) descends through each: the assets that pin
an older revision are its descendants too. A relicence is a change of its newest revision, which
binds only what tracks the newest; a takedown withdraws every revision.

Only the descendants' cone (the descendants and everything upstream of them) is judged, both times:
a finding about an asset depends only on that asset's lineage. The two judgements are compared
before they are interpreted, and only the findings they do not share are (auditor/judgements.py).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, replace
from typing import cast

from auditor import audit, judgements, lake
from auditor.harvest import hubtable
from auditor.license_reading import read_declared
from auditor.licenses import KnowledgeBase
from auditor.model import BAD_ROW, Asset, AssetGraph, AssetRecord, Edge, Evidence, Harvest, LicenseStatement
from auditor.naming import closest, display_id, display_name, split_id
from auditor.parsed import JSONObject

HYPOTHESIS = "(mlaudit impact --relicense)"  # the file a hypothetical manifest is cited as
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
    revisions = [key, *sorted(k for k, a in graph.assets.items() if a.revision_of == key)]
    paths = shortest_paths(graph, *revisions)
    cone = _cone(graph, set(paths))
    about = frozenset(paths)  # the findings read: the descendants', not their upstream's
    before = after = judgements.judge(loaded, cone, about, on_stage)
    if change.kind != "none":
        changed = revisions if change.kind == "takedown" else [key]
        after = judgements.judge(loaded, _changed(cone, changed, change), about, on_stage)
    with audit.stage("compare", on_stage):
        sides = judgements.compared(loaded, before, after, about)
        rows = [_row(graph, k, paths[k], *sides) for k in sorted(paths, key=lambda k: (len(paths[k][0]), k))]
    return {
        "lake": str(loaded.root),
        "asset": display_id(key, graph),
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
    if asset.resolved:
        return replace(graph, assets={**graph.assets, **{k: _changed_asset(graph.assets[k], change) for k in keys}})
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


def _changed_asset(asset: Asset, change: Change) -> Asset:
    if change.kind == "takedown":
        records = [replace(r, licenses=[], concluded=[], body_licenses=[]) for r in asset.records]
        return _newest(replace(asset, records=records, curation=None))
    stating = [i for i, r in enumerate(asset.records) if r.licenses] or [0]
    records = list(asset.records)
    for i in stating:
        record = records[i]
        where = record.licenses[0].evidence if record.licenses else record.at("license")
        records[i] = replace(record, licenses=[LicenseStatement(change.license, where)])
    return _newest(replace(asset, records=records))


def _newest(asset: Asset) -> Asset:
    """The asset with its newest version described by its (changed) records, as its records are."""
    if not asset.versions:
        return asset
    return replace(asset, versions=[*asset.versions[:-1], replace(asset.versions[-1], records=tuple(asset.records))])


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
