"""Versions: an asset known at several revisions is one asset with versions.

The records of one asset that name different revisions (a Hub row's sha, an SPDX package's
versionInfo or software_packageVersion, a CycloneDX component's version, a Hugging Face cache's
`models--org--name/snapshots/<rev>/` folder) describe it at different times, each with its own
licence statements. A record that names no revision describes the asset as found: it counts with
the newest.

Labels that name one revision are one: a commit's first characters (7 or more) and its full sha,
and version numbers equal but for a `v` or trailing zeros (`v1.0`, `1.0`, `1.0.0`), which take the
longest label without a `v`. A commit's first characters that begin two known shas stay apart.

Order, oldest first: by the revisions' dates (the Hub's lastModified) when every revision has one;
revisions of one date, or all when one has none, by their labels read as version numbers (1.9
before 1.10) when every label is one, else in the order the audit reads their files (by format,
then path, then row), which is all the formats tell; there the revision a Hub cache's `refs/main`
names (auditor/harvest/cacherefs.py) is moved last: the cache fetched it last. Where the refs/main
of two cache folders of the asset name different revisions, the one the last of those files by
path names is moved last, and the disagreement is reported (a `disagrees` fact, PRV003) with
both files and both revisions. The newest is the last.

What binds: a reference pinned to a revision binds that revision, and one pinned to a branch the
revision the cache's `refs/<branch>` names. The newest (or a revision the audit does not know) is
the asset itself; an older one is an asset of its own, `org/name@rev`, `revision_of` the asset,
made only when a reference pins it. An unpinned reference binds the newest (as does one pinned to
a revision the audit does not know, or to a branch no ref file names), and a `tracks_newest` fact
says so, as it does for a branch that names the newest (the reference moves with it) and for a pin
to a revision the audit does not know of an asset known at one. A licence that
changed between two revisions is a `relicensed` fact, which rule PRV015 reports on the assets that
follow the newest revision, by their own reference or an upstream's.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import replace

from auditor import schema
from auditor.claims import effective_licenses
from auditor.license_reading import read_declared
from auditor.licenses import KnowledgeBase
from auditor.model import Asset, AssetGraph, AssetRecord, Edge, Evidence, Version
from auditor.naming import asset_key
from auditor.predicate_spec import Fact

S = schema.S
_NUMBERED = re.compile(r"^v?(\d{1,9}(?:\.\d{1,9}){0,5})$", re.I)  # a version number: 1, 1.2, v2.0.1
_SHORT_SHA = 7  # a pin may name a commit by its first characters, as git shows it
_SHA = re.compile(rf"^[0-9a-f]{{{_SHORT_SHA},64}}$", re.I)  # a commit's sha, or its first characters
MAIN = "main"  # the branch a Hub repository's newest revision is on


def label(record: AssetRecord) -> str | None:
    """The revision a record describes: its revision (a Hub sha, a snapshot), else its version."""
    return record.revision or record.version


def split(assets: dict[str, Asset]) -> dict[tuple[str, str | None], str]:
    """Give each asset known at several revisions its versions (its records become the newest's)
    and an asset for each older revision; returns the key of each older revision's asset by (the
    asset's key, the revision): what a record of that asset labelled with that revision now describes."""
    moved: dict[tuple[str, str | None], str] = {}
    several = [k for k, a in assets.items() if len({label(r) for r in a.records} - {None}) > 1 and _apart(a.records)]
    for key in several:  # most assets are known at one revision: nothing is built for them
        asset = assets[key]
        versions = ordered(asset.records)
        asset.versions, asset.records = versions, list(versions[-1].records)
        for version in versions[:-1]:
            older = asset_key(asset.kind, f"{asset.id}@{version.revision}")
            name, records = f"{asset.id}@{version.revision}", list(version.records)
            assets[older] = Asset(name, asset.kind, records, revision_of=key, elsewhere=asset.elsewhere)
            moved |= {(key, label(r)): older for r in version.records}
    return moved


def _apart(records: list[AssetRecord]) -> bool:
    """Whether records of several labels name several revisions (`1.0` and `1.0.0` name one)."""
    return len(set(_revisions([label(r) for r in records]).values())) > 1


def ordered(records: list[AssetRecord]) -> list[Version]:
    """The versions the records describe, oldest first (see the module's docstring); the records
    naming no revision go with the newest."""
    revision = _revisions([label(r) for r in records])
    by_label: dict[str, list[AssetRecord]] = {}
    for record in records:
        named = label(record)
        if named is not None:
            by_label.setdefault(revision[named], []).append(record)
    versions = [
        Version(k, max((r.modified for r in rs if r.modified), default=None), tuple(rs)) for k, rs in by_label.items()
    ]
    numbers = [_number(v.revision) for v in versions]
    if None not in numbers:
        versions = [v for _, v in sorted(zip(numbers, versions, strict=True), key=lambda pair: pair[0] or ())]
    versions.sort(key=lambda v: main_refs(v)[-1:])  # stable: the ones a refs/main names last, by its path
    if all(v.modified for v in versions):
        versions.sort(key=lambda v: str(v.modified))  # stable: one date's revisions keep the order above
    if versions:
        unnamed = tuple(r for r in records if label(r) is None)
        versions[-1] = replace(versions[-1], records=versions[-1].records + unnamed)
    return versions


def _revisions(labels: list[str | None]) -> dict[str, str]:
    """Each label's revision: the label that stands for all those naming the same one (see the
    module's docstring)."""
    known = sorted({x for x in labels if x is not None})
    shas = {x.lower(): x for x in known if _SHA.match(x)}
    by_text = sorted(shas)  # the shas beginning with some text lie together: found by bisection
    revision = {x: x for x in known}
    for x in (x for x in known if _SHA.match(x)):  # a sha's first characters begin the few that extend them
        low = x.lower()
        begun = sorted(by_text[bisect_left(by_text, low) : bisect_left(by_text, low + "~")], key=len)
        if begun[-1] != low and all(begun[-1].startswith(sha) for sha in begun):
            revision[x] = shas[begun[-1]]
    numbered: dict[tuple[int, ...], list[str]] = {}
    for x in known:
        if (number := _number(x)) is not None:
            numbered.setdefault(number, []).append(x)
    for same in numbered.values():
        standing = max(same, key=lambda x: (not x.lower().startswith("v"), len(x), x))
        revision |= dict.fromkeys(same, standing)
    return revision


def _number(revision: str) -> tuple[int, ...] | None:
    """A label read as a version number, without its trailing zeros (`v1.10.0` -> (1, 10)), or None."""
    match = _NUMBERED.match(revision)
    if not match:
        return None
    number = [int(n) for n in match.group(1).split(".")]
    while len(number) > 1 and number[-1] == 0:
        number.pop()
    return tuple(number)


def pin(edges: set[Edge], assets: dict[str, Asset]) -> set[Edge]:
    """The edges with each reference pinned to an older revision bound to that revision's asset;
    the older revisions no reference binds are dropped, with the edges their manifests state (and
    the unresolved upstream only they named)."""
    older = {k for k, a in assets.items() if a.revision_of is not None}
    if not older:
        return edges
    bound = {e if (p := _pinned(e, assets)) == e.parent else replace(e, parent=p) for e in edges}
    kept = assets.keys() - older
    added = True
    while added:  # an older revision is kept when a kept asset's reference binds it
        fresh = {e.parent for e in bound if e.child in kept and e.parent not in kept}
        kept |= fresh
        added = bool(fresh)
    edges = {e for e in bound if e.child in kept}
    named = {e.parent for e in edges}
    for key in [k for k, a in assets.items() if k not in kept or not (a.resolved or k in named)]:
        del assets[key]
    return edges


def _pinned(edge: Edge, assets: dict[str, Asset]) -> str:
    """The asset an edge binds: the older revision it pins, else its parent (the newest)."""
    parent = assets[edge.parent]
    version = named(edge, parent.versions)
    if version is None or version is parent.versions[-1]:
        return edge.parent
    return asset_key(parent.kind, f"{parent.id}@{version.revision}")


def branches(version: Version) -> set[str]:
    """The branches of a Hub cache whose ref names the version."""
    return {b for r in version.records for b in r.branches}


def main_refs(version: Version) -> list[str]:
    """The refs/main files (of the Hub cache folders holding the version) that name it, by path."""
    return sorted(
        {r.source[: r.source.find("/snapshots/")] + "/refs/main" for r in version.records if MAIN in r.branches}
    )


def named(edge: Edge, versions: list[Version]) -> Version | None:
    """The version (of those of the edge's parent) the edge pins: the one a branch of that name
    names, else its revision (or a commit's first characters, or a version number written another
    way); None when it pins none, or one the audit does not know (a branch no ref file names, a
    revision not harvested, a commit's first characters that begin two)."""
    if not edge.revision:  # most references pin nothing: no version of the many an asset may have is looked at
        return None
    on_branch = [v for v in versions if edge.revision in branches(v)]
    if on_branch:
        return on_branch[-1]
    pinned = (edge.revision or "").lower()
    number = _number(pinned) if pinned else None
    same = [v for v in versions if v.revision.lower() == pinned or (number and _number(v.revision) == number)]
    begun = [v for v in versions if len(pinned) >= _SHORT_SHA and v.revision.lower().startswith(pinned)]
    found = same or begun
    return found[0] if len(found) == 1 else None


def facts(
    graph: AssetGraph, ids: dict[str, int], scope: set[str] | None, kb: KnowledgeBase
) -> Iterator[tuple[Fact, list[Evidence]]]:
    """`tracks_newest` for each reference (in `scope`) that follows the newest revision of an asset
    with versions (no revision, a branch, a revision not harvested) or pins a revision the audit
    does not know of an asset known at one, and for each asset in `scope` `disagrees` where
    refs/main files name different revisions of it, and `relicensed` for the licence change into
    its newest revision's licence (_last_change)."""
    versioned = {k: a for k, a in graph.assets.items() if a.versions}
    asked = (e for e in graph.edges if (e.revision or e.parent in versioned) and (scope is None or e.child in scope))
    for edge in asked:
        if newest := _followed(edge, graph.assets[edge.parent]):
            yield S.tracks_newest(ids[edge.child], ids[edge.parent], newest.revision), [edge.evidence, *_where(newest)]
    for key, asset in versioned.items():
        if scope is None or key in scope:
            if disagreement := _refs_disagree(asset):
                yield S.disagrees(ids[key], "version", disagreement[0]), disagreement[1]
            if change := _last_change(asset, kb):
                (old, was), (new, now) = change
                yield S.relicensed(ids[key], old.revision, was, new.revision, now), [*_where(old), *_where(new)]


def _last_change(asset: Asset, kb: KnowledgeBase) -> tuple[tuple[Version, str], tuple[Version, str]] | None:
    """The licence change into the newest revision's licence: the last revision under another one and
    the revision after it, where the newest's licence began (None: every revision has it). What
    tracks the newest is bound by that licence; earlier changes are history, not what binds it."""
    licences = [_license(asset, version, kb) for version in asset.versions]
    for i in range(len(licences) - 1, 0, -1):
        if licences[i - 1] != licences[-1]:
            return (asset.versions[i - 1], licences[i - 1]), (asset.versions[i], licences[-1])
    return None


def _refs_disagree(asset: Asset) -> tuple[str, list[Evidence]] | None:
    """The refs/main of two cache folders of the asset that name different revisions, side by side,
    and the revision taken as the newest (the dates', else the one the last of those refs by path
    names); None when they agree."""
    said = [(ref, version.revision) for version in asset.versions for ref in main_refs(version)]
    if len({revision for _, revision in said}) < 2:
        return None
    newest = asset.versions[-1]
    used = f"as {main_refs(newest)[-1]} names it, the last of them by path" if main_refs(newest) else "by date"
    detail = " | ".join(f"{ref}: {revision}" for ref, revision in sorted(said))
    return f"{detail}; the newest is taken to be {newest.revision}, {used}", [
        Evidence(ref, "") for ref, _ in sorted(said)
    ]


def _followed(edge: Edge, parent: Asset) -> Version | None:
    """The newest revision of the parent where the edge follows it: the parent has versions and
    the edge pins none of them (or a branch naming the newest), or the parent is known at one
    revision (not an older one a pin made an asset) and the edge pins another."""
    if parent.versions:
        return parent.versions[-1] if _follows(edge, parent.versions) else None
    known = ordered(parent.records) if edge.revision and parent.revision_of is None else []
    return known[-1] if known and named(edge, known) is None else None


def _follows(edge: Edge, versions: list[Version]) -> bool:
    """Whether a reference moves with the newest of the versions: it pins none the audit knows, or
    pins a branch that names the newest."""
    version = named(edge, versions)
    return version is None or (version is versions[-1] and edge.revision in branches(version))


def _license(asset: Asset, version: Version, kb: KnowledgeBase) -> str:
    """The licence a version's records state, as the audit reads it (an expression, or why none)."""
    described = Asset(asset.id, asset.kind, list(version.records))
    statements, _ = effective_licenses(described, kb)
    reading = read_declared(statements, kb, described)
    return reading.expression or reading.status


def _where(version: Version) -> list[Evidence]:
    """Where a version's licence is stated (or, without one, the files that describe it)."""
    stated = [s.evidence for r in version.records for s in r.licenses]
    return stated or [r.at() for r in version.records]
