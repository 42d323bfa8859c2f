"""Which assets are released, and how: the facts that make an asset a release.

An audit has one release, named in the settings or inferred (the only described asset nothing
derives from); a lake audit (`mlaudit lake`) makes every described asset a release at once, under
the use and distribution its [lake] settings give it, each at its newest revision (an older one a
reference pins is judged as that reference's upstream, as a release audit judges it). The rules
judge each release on its own (rules/lib: everything a release concludes is keyed by it), so one
rule base serves both. With every described asset a release, every asset is in some release's
cone, so `in_scope` is every asset and `triggered`'s clause for upstream assets applies to
undescribed ones and older revisions only; INP003 has
no release to identify; a problem no asset owns is the lake's (AUDIT), not each release's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING

from auditor import schema, shipped
from auditor.cone import ancestors
from auditor.config import Lake, Settings, named
from auditor.harvest.hubtable import FORMAT as HUB_RECORDS
from auditor.licenses import KnowledgeBase
from auditor.model import Asset, AssetGraph, Evidence
from auditor.naming import closest, display_id, find, organisation
from auditor.prescribed import begins_with, negated, prescribed, states
from auditor.prescribed import notices as notices_prescribed
from auditor.readers import markdown

if TYPE_CHECKING:
    from auditor.facts import FactBase

S = schema.S
SHOWN_CANDIDATES = 3  # release candidates a message names; the evidence names them all


class ReleaseError(ValueError):
    """The configured release asset is not in the graph."""


def identify(fb: FactBase, graph: AssetGraph, settings: Settings, ids: dict[str, int], kb: KnowledgeBase) -> list[str]:
    """The audit's release (as a one-item list; empty when none is identified), its facts added."""
    if settings.asset:
        key = find(graph.assets, settings.asset)
        if key is None:
            described = (display_id(k, graph) for k, a in graph.assets.items() if a.resolved)
            raise ReleaseError(
                f"the release asset {settings.asset!r} named in {settings.origin.get('asset', 'the settings')} "
                f"is not described by any manifest in the audit folder{closest(settings.asset, described)}"
                f"{graph.harvest.unread()}"
            )
        basis = f"named in {settings.origin.get('asset', 'the settings')}"
    else:
        parents = {e.parent for e in graph.edges}
        sinks = [k for k, a in graph.assets.items() if a.resolved and k not in parents]
        if len(sinks) != 1:
            _unidentified(fb, graph, ids, sinks)
            return []
        key, basis = sinks[0], "inferred: the only described asset that nothing else derives from"
    fb.release, fb.release_basis = key, basis
    by_lake = {
        k: o.removeprefix(LAKE_ORIGIN)
        for k in ("use", "distribution")
        if (o := settings.origin.get(k, "")).startswith(LAKE_ORIGIN)
    }
    setting = named(by_lake) or ("release" if settings.origin.get("asset") == "mlaudit.toml" else None)
    _released(fb, ids[key], graph.assets[key], (settings.use, settings.distribution, setting), prescribed(kb))
    return [key]


LAKE_ORIGIN = "mlaudit.toml "  # the origin of a use or distribution a [lake] setting decided, before its name


def settled(settings: Settings, graph: AssetGraph) -> Settings:
    """The settings with the named release's use and distribution, where neither the command line
    nor [release] gives them and mlaudit.toml has a [lake] table, as the lake releases the asset:
    the `mlaudit audit FOLDER --asset ID` a lake suggests judges the asset as its row does."""
    lake, left = settings.lake, [k for k in ("use", "distribution") if settings.origin.get(k, "default") == "default"]
    key = find(graph.assets, settings.asset) if settings.asset and left else None
    if key is None:
        return settings
    use, distribution, where = lake.decided(display_id(key, graph), organisation(graph.assets[key]))
    decided = {k: f"{LAKE_ORIGIN}{where[k]}" for k in left if where[k] is not None}
    if not decided:  # no [lake] setting decides for this asset: mlaudit's defaults stand
        return settings
    origin = {**settings.origin, **decided}
    return replace(
        settings,
        use=use if "use" in left else settings.use,
        distribution=distribution if "distribution" in left else settings.distribution,
        origin=origin,
    )


def every(
    fb: FactBase,
    graph: AssetGraph,
    lake: Lake,
    ids: dict[str, int],
    kb: KnowledgeBase,
    among: Collection[str] | None = None,
) -> list[str]:
    """Every described asset at its newest revision (of `among`, if given) as a release, under the
    use and distribution `lake` gives it."""
    fb.release_basis = "every described asset (mlaudit lake)"
    keys = [k for k, a in graph.assets.items() if a.releasable and (among is None or k in among)]
    phrases = prescribed(kb)
    for key in keys:
        asset = graph.assets[key]
        _released(fb, ids[key], asset, lake.release(display_id(key, graph), organisation(asset)), phrases)
    return keys


def _released(
    fb: FactBase, a: int, asset: Asset, how: tuple[str, str, str | None], prescribed: list[tuple[str, str]]
) -> None:
    """The release fact of (use, distribution, the mlaudit.toml setting that decided them, if
    any: its evidence) and what the release's name and card say of the `prescribed` phrases."""
    use, distribution, setting = how
    fb.add(S.release(a, use.replace("-", "_"), distribution), Evidence("mlaudit.toml", setting) if setting else None)
    _release_text(fb, a, asset, prescribed)


def _unidentified(fb: FactBase, graph: AssetGraph, ids: dict[str, int], sinks: list[str]) -> None:
    for k in sinks:
        fb.add(S.release_candidate(ids[k]), *(Evidence(src, "") for src in graph.assets[k].sources))
    if sinks:
        fb.add(S.release_unidentified(len(sinks), _first_named(sinks, graph)))
    fb.release_basis = (
        "not identified: no manifest describes an asset"
        if not sinks and not graph.assets
        else f"not identified: {len(sinks)} described assets have no downstream asset; "
        "name one as [release] asset in mlaudit.toml"
    )


def files(fb: FactBase, graph: AssetGraph, ids: dict[str, int], key: str, kb: KnowledgeBase) -> None:
    """What the release's own folder holds for the obligation checks: its license and use policy
    files, and which upstream NOTICE texts its NOTICE carries (its lineage walked only then)."""
    release, r = graph.assets[key], ids[key]
    own = shipped.notices(release)
    for upstream in sorted(ancestors(graph, key) - {key}) if own else ():
        notices = shipped.notices(graph.assets[upstream])
        if notices and shipped.repeats(own, notices):
            fb.add(S.repeats_notice(r, ids[upstream]), *(where for _, where in own))
    for text in notices_prescribed(kb) if own else ():
        stating = [where for notice, where in own if states(notice, text)]
        if stating:
            fb.add(S.notice_states(r, text), *stating)
    for lid, evidence in shipped.licenses(release, kb).items():
        fb.add(S.ships_license(r, lid), *evidence)
    policies = shipped.policies(release)
    if policies:
        fb.add(S.ships_policy(r), *policies)


def _first_named(keys: list[str], graph: AssetGraph) -> str:
    """The first few release candidates by name, for one finding's message: a folder of many cards
    has hundreds, which the finding's evidence lists in full."""
    names = sorted(display_id(k, graph) for k in keys)
    return ", ".join(names[:SHOWN_CANDIDATES]) + (", …" if len(names) > SHOWN_CANDIDATES else "")


def _release_text(fb: FactBase, a: int, asset: Asset, prescribed: list[tuple[str, str]]) -> None:
    """What the release's name and card say, for the phrases and prefixes licenses prescribe: a
    card's text as it is rendered: an HTML comment, a hidden element or an image's alt text displays nothing."""
    name = asset.id.rsplit("/", 1)[-1]
    texts = [
        (record.source, markdown.rendered(record.text).lower())
        for record in asset.records
        if record.role is None and record.text is not None
    ]
    rows = [record for record in asset.records if record.format == HUB_RECORDS]
    if rows and not texts:  # a card read, if only its front matter, states what its body says
        fb.add(S.card_unseen(a), *(record.place or Evidence(record.source, "") for record in rows))
    for term, value in prescribed:
        if term == "naming_prefix":
            if begins_with(name, value):
                fb.add(S.name_starts(a, value))
            continue
        mentions = [(source, text) for source, text in texts if value.lower() in text]
        for source, _ in mentions:
            fb.add(S.card_mentions(a, value), Evidence(source, f"text '{value}'"))
        if mentions and all(negated(text, value) for _, text in mentions):
            fb.add(S.card_negates(a, value), *(Evidence(source, f"text '{value}' negated") for source, _ in mentions))
