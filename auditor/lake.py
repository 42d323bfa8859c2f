"""The lake audit: every described asset of a collection judged as a release, all at once.

Each at its newest revision: an older revision a reference pins stands as that reference's
upstream, with the findings a release audit gives it there, and is not counted as an asset.

The same stages as a release audit (audit.py), with one difference at the encoding: every
described asset gets a release fact, under the use and distribution the [lake] settings give it
(facts.encode(lake=True)), so one reasoning run judges each asset as its own release audit would.
Each finding stands once, at the asset it is about; what a release audit adds about its upstream
assets stands at those assets, each judged as a release of its own. An asset's findings depend on
its lineage alone, so a large lake is judged a block of assets at a time, each block on its cone
(cone.blocks), and its findings are kept on disk (spilled.py): the memory follows the block and
the graph, not the lake's millions of atoms and findings. The repair search is not run:
a lake asks which assets are blocked and why, and each asset's full audit (`mlaudit audit PATH
--asset ID`) answers what would fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from auditor import audit, cone, config, document, facts, findings, reasoning, review, rulebase, spilled
from auditor.chains import Chains
from auditor.interpretation import Finding, Step
from auditor.license_reading import LicenseReading
from auditor.model import AssetGraph
from auditor.naming import display_id, organisation
from auditor.parsed import JSON, JSONObject

Restriction = tuple[str, str, str]  # asset, license, term: a tuple, not a mapping (millions in a large lake)
BLOCK = 25_000  # described assets judged by one reasoning run: a block's atoms and chains, not the lake's, are held
ENGINE = "duckdb"  # a lake's engine unless one is chosen: the compiled SQL scales where grounding does not
READS = ("finding", "because", "via", "newest_via", "use_category", "inherited")  # the atoms a lake audit reads


@dataclass(frozen=True)
class LakeAudit:
    """What a lake audit produced: findings in report.json's shape (resolutions applied), one row
    per asset released, and the restrictions each asset inherits through its lineage."""

    root: str  # the lake's folder or snapshot, as given
    settings: config.Settings
    graph: AssetGraph
    rb: rulebase.RuleBase
    engines: tuple[str, ...]
    findings: spilled.Spilled  # in report order, resolutions applied
    assets: list[JSONObject]  # id, kind, organisation, declared, license, use_category, use, distribution, setting
    edges: list[JSONObject]  # child, parent, relation: the lineage, as reports name the assets
    restrictions: list[Restriction]  # a limitation that reached the asset from upstream, in no order
    review: JSONObject  # the review files applied and their problems, as report.json's `review`


def run(
    root: Path,
    exclude: frozenset[Path] = frozenset(),
    rb: rulebase.RuleBase | None = None,
    on_stage: audit.StageHook | None = None,
    **overrides: Any,
) -> LakeAudit:
    """Audit every described asset of the folder (or harvest snapshot) `root` as a release;
    `overrides` are command-line settings (engine, position), `exclude` paths not to read."""
    rb = rb or rulebase.load()
    with audit.no_cycle_collection():
        return judge(load(root, exclude, rb, on_stage, **overrides), on_stage)


@dataclass(frozen=True)
class Loaded:
    """A lake read and reviewed, not yet judged: `mlaudit impact` judges it as read and as changed."""

    root: Path
    settings: config.Settings
    files: list[Path]
    rb: rulebase.RuleBase
    decisions: review.Review
    graph: AssetGraph  # curations applied
    problems: tuple[JSONObject, ...]  # the review files' problems, as report.json's `review`


def load(
    root: Path,
    exclude: frozenset[Path],
    rb: rulebase.RuleBase,
    on_stage: audit.StageHook | None = None,
    downstream_of: frozenset[str] = frozenset(),
    **overrides: Any,
) -> Loaded:
    """The lake's harvest, settings and review, up to the graph its reasoning starts from; with
    `downstream_of` (impact), tables of Hub records give only what descends from these names and
    its lineage, the part of the lake the impact judges."""
    with audit.stage("harvest", on_stage):
        harvested, settings, texts = audit.read(root, exclude, overrides, downstream_of, every=True)
    files, settings = audit.prepared(config.without_release(settings), rb)
    if "engine" not in settings.origin:  # neither the command line nor mlaudit.toml chose one
        settings = replace(settings, engine=ENGINE)
    with audit.stage("resolve", on_stage):
        decisions, curated = audit.reviewed(harvested, settings, texts, rb)
    return Loaded(root, settings, files, rb, decisions, curated.graph, tuple(curated.problems))


def judge(loaded: Loaded, on_stage: audit.StageHook | None = None, block: int = BLOCK) -> LakeAudit:
    """Every resolved asset of the loaded graph judged as a release, `block` of them (and their
    upstream) to a reasoning run: an asset's findings depend on its lineage alone, so a large lake's
    atoms, evidence chains and findings are held a block at a time (the findings then on disk).
    With both engines, one run: the engines' disagreements are the whole lake's."""
    graph, settings, decisions = loaded.graph, loaded.settings, loaded.decisions
    as_of = settings.as_of or config.today()
    size = block if settings.engine != "both" else max(len(graph.assets), 1)
    spill, used = spilled.Spill(), set()
    assets: list[JSONObject] = []
    restrictions: list[Restriction] = []
    engines: tuple[str, ...] = ()
    for part in cone.blocks(graph, size):
        judged = _judged(loaded, part, on_stage)
        used |= review.applied(judged.findings, decisions, as_of)
        spill.add(judged.findings)
        assets += judged.assets
        restrictions += judged.restrictions
        engines = judged.engines
        del judged
    about: JSONObject = {"problems": list(loaded.problems)}
    review.summarise(about, decisions, used, as_of)
    assets.sort(key=lambda r: str(r["id"]))
    return LakeAudit(
        str(loaded.root), settings, graph, loaded.rb, engines, spill.done(), assets, _edges(graph), restrictions, about
    )


@dataclass(frozen=True)
class BlockAudit:
    """One block's part of a lake audit: its assets' findings (as report.json gives them, not yet
    reviewed), rows and restrictions."""

    findings: list[JSONObject]
    assets: list[JSONObject]
    restrictions: list[Restriction]
    engines: tuple[str, ...]


def _judged(loaded: Loaded, part: cone.Block, on_stage: audit.StageHook | None) -> BlockAudit:
    """The block's assets judged as releases on their cone, in one reasoning run."""
    settings, rb, files, graph = loaded.settings, loaded.rb, loaded.files, part.graph
    with audit.stage("encode", on_stage):
        fb = facts.encode(graph, settings, rb, lake=True, releasing=part.keys)
    with audit.stage("reason", on_stage):
        reasoned = _own(reasoning.reason(settings.engine, files, fb, READS), fb, part)
    own = choosing(fb, graph, part.keys)
    with audit.stage("interpret", on_stage):
        atoms = reasoned.atoms
        chains = Chains(fb, graph, rb.kb, atoms.get("via", []), atoms.get("newest_via", []), atoms.get("chosen", []))
        listed = list(findings.listed(reasoned, chains, rb.rules))
        block = _Judged(listed, _categories(reasoned, fb, part.keys), _restrictions(reasoned, fb, graph, rb, part.keys))
    engines = reasoned.engines
    del reasoned, atoms, chains  # millions of atoms and chains in a large block: the findings hold what is read
    with audit.stage("license choices", on_stage):
        judged = _own_choices(block, own, graph, settings, files, rb)
        made: dict[Step, JSON] = {}  # a step's JSON, shared by the block's findings that cite it
        assets = _assets(fb, graph, settings.lake, judged.categories, part.keys)
        return BlockAudit([document.finding(f, made) for f in judged.findings], assets, judged.restrictions, engines)


@dataclass(frozen=True, slots=True)
class _Judged:
    """What a reasoning run says of the assets it judges: their findings, the use category their
    lineage leaves each, and the limitations that reach each."""

    findings: list[Finding]
    categories: dict[str, str]
    restrictions: list[Restriction]


def _own(reasoned: reasoning.Reasoning, fb: facts.FactBase, part: cone.Block) -> reasoning.Reasoning:
    """The reasoning's findings about the block's own assets (and the lake's, in the first block):
    its upstream assets' are another block's."""
    ids = [*fb.ids_of(part.keys), *([facts.AUDIT] if part.lake_wide else [])]
    if len(ids) == len(fb.keys):
        return reasoned
    return replace(reasoned, atoms=reasoning.narrowed(reasoned.atoms, ("finding",), ids))


def _own_choices(
    block: _Judged,
    own: list[str],
    graph: AssetGraph,
    settings: config.Settings,
    files: list[Path],
    rb: rulebase.RuleBase,
) -> _Judged:
    """The block's judgement, with each release of `own` (an upstream offered under alternatives,
    or offered so itself) judged by its own audit: the solver chooses an alternative per audit, to
    spare that release what blocks it, while one lake-wide choice would weigh every release at
    once. Its findings, use category and restrictions are all its own run's. Such assets are few (a
    known dual license), so each gets its own reasoning run."""
    if not own:  # the findings are in report order already
        return block
    found, categories, restrictions = [], dict(block.categories), []
    for key in own:
        name = display_id(key, graph)
        one = own_release(settings, name, organisation(graph.assets[key]))
        release_facts = facts.encode(alone(graph), one, rb)
        reasoned = reasoning.reason(one.engine, files, release_facts, READS)
        atoms = reasoned.atoms
        chains = Chains(
            release_facts, graph, rb.kb, atoms.get("via", []), atoms.get("newest_via", []), atoms.get("chosen", [])
        )
        found += [f for f in findings.listed(reasoned, chains, rb.rules) if f.asset == name]
        categories[key] = _categories(reasoned, release_facts, frozenset({key})).get(key, "unspecified")
        restrictions += _restrictions(reasoned, release_facts, graph, rb, frozenset({key}))
    names = {display_id(key, graph) for key in own}
    return _Judged(
        sorted([*(f for f in block.findings if f.asset not in names), *found], key=findings.report_order),
        categories,
        [*(r for r in block.restrictions if r[0] not in names), *restrictions],
    )


def choosing(fb: facts.FactBase, graph: AssetGraph, about: frozenset[str] | None = None) -> list[str]:
    """The keys of the releases (of those `about`) judged by their own audit, in order: each
    resolved asset with an upstream offered under alternatives, or offered so itself."""
    offering = {fb.keys[cast(int, fact[1:][0])] for fact in fb.facts if fact[0] == "alternative"}
    found = sorted(cone.descendants(graph, offering))
    return [key for key in found if graph.assets[key].releasable and (about is None or key in about)]


def alone(graph: AssetGraph) -> AssetGraph:
    """The graph a release judged on its own licence choices is audited on: with the input problems
    of assets only (one no asset owns is the lake's, never the release's, as its own audit would
    make it); its assets numbered as the lake's run numbers them, so that their atoms compare."""
    owned = [p for p in graph.harvest.problems if p.asset in graph.assets]
    return replace(graph, harvest=replace(graph.harvest, problems=owned))


def own_release(settings: config.Settings, name: str, publisher: str) -> config.Settings:
    """The settings of the asset `name` audited alone as a release, as the [lake] settings release it."""
    use, distribution, _ = settings.lake.release(name, publisher)
    return replace(settings, asset=name, use=use, distribution=distribution)


def _categories(reasoned: reasoning.Reasoning, fb: facts.FactBase, keys: frozenset[str]) -> dict[str, str]:
    """The use category the lineage leaves each asset of `keys`, as report.json's assets say it."""
    return {fb.keys[a]: c.replace("_", "-") for a, c in reasoned.atoms.use_category if fb.keys[a] in keys}


def _assets(
    fb: facts.FactBase, graph: AssetGraph, lake: config.Lake, categories: dict[str, str], keys: frozenset[str]
) -> list[JSONObject]:
    """One row per asset of `keys` released: how it is named, licensed (as declared, as read, and
    the use its lineage leaves it, as report.json's assets) and released."""
    rows: list[JSONObject] = []
    for key, asset in graph.assets.items():
        if not asset.releasable or key not in keys:
            continue
        name, publisher = display_id(key, graph), organisation(asset)
        reading = fb.readings[key]
        use, distribution, setting = lake.release(name, publisher)
        rows.append(
            {
                "id": name,
                "kind": asset.kind,
                "organisation": publisher,
                "declared": " | ".join(sorted({s.raw for s in asset.licenses if s.raw is not None})),
                "license": shown_license(reading),
                "use_category": categories.get(key, "unspecified"),
                "use": use,
                "distribution": distribution,
                "setting": setting,
            }
        )
    return rows


def shown_license(reading: LicenseReading) -> str:
    """An asset's license as a lake's rows show it: its expression, else how its reading failed."""
    return reading.expression if reading.status == "ok" and reading.expression else f"({reading.status})"


def _edges(graph: AssetGraph) -> list[JSONObject]:
    rows = {(display_id(e.child, graph), display_id(e.parent, graph), e.relation) for e in graph.edges}
    return [{"child": c, "parent": p, "relation": r} for c, p, r in sorted(rows)]


def _restrictions(
    reasoned: reasoning.Reasoning, fb: facts.FactBase, graph: AssetGraph, rb: rulebase.RuleBase, keys: frozenset[str]
) -> list[Restriction]:
    """(asset, license, term) for each limitation an asset of `keys` inherits through its lineage."""
    limiting = {term for term, kind in rb.kb.term_kinds.items() if kind.get("kind") == "limitation"}
    names: dict[int, str] = {}  # an asset inherits several: each named once
    rows: list[Restriction] = []
    for a, lic, term in reasoned.atoms.inherited:
        if term in limiting and fb.keys[a] in keys:
            rows.append((names.get(a) or names.setdefault(a, display_id(fb.keys[a], graph)), lic, term))
    return rows


def finding_changes(
    was: dict[str, JSONObject], now: dict[str, JSONObject]
) -> tuple[list[JSONObject], list[JSONObject], list[JSONObject]]:
    """One asset's findings by id, before and after (impact, diff): those new, those gone, and
    those kept whose severity or status changed, each in brief (the changed with what it was)."""

    def brief(f: JSONObject) -> JSONObject:
        return {k: f[k] for k in ("id", "rule", "severity", "status", "message")}

    def state(f: JSONObject) -> tuple[JSON, JSON]:
        return f["severity"], f["status"]

    new = [brief(f) for i, f in now.items() if i not in was]
    gone = [brief(f) for i, f in was.items() if i not in now]
    changed = [
        {**brief(f), "before": {"severity": was[i]["severity"], "status": was[i]["status"]}}
        for i, f in now.items()
        if i in was and state(was[i]) != state(f)
    ]
    return new, gone, changed
