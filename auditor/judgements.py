"""The two judgements an impact compares (auditor/impact.py), made to be compared, not reported.

Each side is the descendants' cone judged as `mlaudit lake` judges it (lake.judge): one reasoning
run with its resolved assets releases, and an asset whose lineage offers a license choice judged
by its own run. A finding is a function of its atom: its id, severity and message come from the
rule and the atom's values, and a resolution matches it by rule, asset and details. So a finding
whose atom both sides derive (whatever the changed licence does not reach) is the same finding on
both, and only counts towards its asset's verdict; only the atoms one side derives and the other
does not are interpreted (and those a resolution may match, for their status). The rules run
narrowed to the findings, and none is given an evidence chain: impact shows none.

Only the assets read (`about`: the descendants and the asset's revisions) are made releases, not
their upstream: what the rules conclude from a release fact (findings, triggered, sa_checked,
obligations, outbound) is about that release alone, and what reaches an asset from upstream
(cone, carries, embodies, derived_unknown) asks not whether the upstream is a release but whether
it is in a release's cone, as each upstream of a release read is. An undescribed asset read is in
scope as the lineage of its descendants, which `about` holds too. A license choice, which weighs
every release, reaches only the assets judged by their own runs. With no asset read that a lake
releases (described, at its newest revision), every asset is released: with no release, every
asset is in scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from auditor import audit, config, document, facts, findings, lake, reasoning, review
from auditor.chains import Chains
from auditor.interpretation import Finding, Row
from auditor.model import AssetGraph
from auditor.naming import display_id, organisation
from auditor.parsed import JSON, JSONObject
from auditor.predicates import Atoms

READS = ("finding",)  # no evidence: no `because`, `via` or `newest_via` atoms derived or read


@dataclass(frozen=True)
class Run:
    """One reasoning run: the facts it ran on and its finding atoms about the assets it judges."""

    fb: facts.FactBase
    reasoned: reasoning.Reasoning


@dataclass(frozen=True)
class Side:
    """The cone as it is or as changed, judged: its graph and its runs, the lake's first."""

    graph: AssetGraph
    runs: tuple[Run, ...]

    def atoms(self) -> dict[Row, tuple[int, Row]]:
        """Each finding atom, with the run that derived it (its index)."""
        return {row: (i, row) for i, run in enumerate(self.runs) for row in run.reasoned.atoms.finding}


def judge(
    loaded: lake.Loaded, graph: AssetGraph, about: frozenset[str], on_stage: audit.StageHook | None = None
) -> Side:
    """The graph judged as lake.judge judges it, the finding atoms about `about` (keys) kept."""
    settings, files, rb = loaded.settings, loaded.files, loaded.rb
    releasing = about if any(graph.assets[k].releasable for k in about) else None  # see the module's docstring
    with audit.stage("encode", on_stage):
        fb = facts.encode(graph, settings, rb, lake=True, releasing=releasing)
    own = lake.choosing(fb, graph, about)
    with audit.stage("reason", on_stage):
        reasoned = reasoning.reason(settings.engine, files, fb, READS, fb.ids_of(about.difference(own)))
    runs = [Run(fb, reasoned)]
    for key in own:
        one = lake.own_release(settings, display_id(key, graph), organisation(graph.assets[key]))
        own_facts = facts.encode(lake.alone(graph), one, rb)
        alone = reasoning.reason(one.engine, files, own_facts, READS, own_facts.ids_of({key}))
        runs.append(Run(own_facts, replace(alone, differences=())))
    return Side(graph, tuple(runs))


class Judged:
    """One side as compared with the other: each asset's licence, its findings the other side
    lacks (and those a resolution names), as report.json gives them, and the assets failed by a
    finding both sides share."""

    def __init__(self, licenses: dict[str, str], found: list[JSONObject], failing: set[str]) -> None:
        self.licenses, self.failing = licenses, failing
        self.findings: dict[str, dict[JSON, JSONObject]] = defaultdict(dict)
        for f in found:
            self.findings[str(f["asset"])][f["id"]] = f

    def verdict(self, name: str) -> str | None:
        """pass or fail, as `mlaudit lake` judges the asset as a release (None: not described, not judged)."""
        if name not in self.licenses:
            return None
        found = self.findings.get(name, {}).values()
        failed = any(f["status"] == "open" and f["severity"] == "error" for f in found)
        return "fail" if failed or name in self.failing else "pass"


def compared(loaded: lake.Loaded, before: Side, after: Side, about: frozenset[str]) -> tuple[Judged, Judged]:
    """Both sides, each interpreted where the other differs from it (or a resolution may apply)."""
    rules, keys = loaded.rb.rules, before.runs[0].fb.keys
    if any(run.fb.keys != keys for side in (before, after) for run in side.runs):
        raise ValueError("the runs number the assets differently: their atoms do not compare")
    atoms = before.atoms(), after.atoms()  # every run numbers the same assets in the graph's order
    names = {k: display_id(k, before.graph) for k in about}

    def named(atom: Row) -> str:
        return names[keys[atom[1]]]

    shared = atoms[0].keys() & atoms[1].keys()
    resolved = {(r.rule, r.asset.lower()) for r in loaded.decisions.resolutions}
    if resolved:
        shared = {a for a in shared if (a[0], named(a).lower()) not in resolved}
    failing = {named(a) for a in shared if rules[a[0]].severity == "error"}
    was, now = (
        Judged(_licenses(side, about, names), _interpreted(loaded, side, mine, shared), failing)
        for side, mine in zip((before, after), atoms, strict=True)
    )
    return was, now


def _licenses(side: Side, about: frozenset[str], names: dict[str, str]) -> dict[str, str]:
    readings = side.runs[0].fb.readings
    return {names[k]: lake.shown_license(readings[k]) for k in about if side.graph.assets[k].resolved}


def _interpreted(
    loaded: lake.Loaded, side: Side, atoms: dict[Row, tuple[int, Row]], shared: set[Row]
) -> list[JSONObject]:
    """The side's findings not shared with the other, as lake.judge gives them: in report order,
    their resolutions applied."""
    rows: dict[int, list[Row]] = defaultdict(list)
    for keyed, (run, row) in atoms.items():
        if keyed not in shared:
            rows[run].append(row)
    found = [f for i, run in enumerate(side.runs) for f in _listed(loaded, side.graph, run, rows[i])]
    doc: JSONObject = {"findings": [document.finding(f) for f in sorted(found, key=findings.report_order)]}
    doc["review"] = {"problems": []}
    review.resolve(doc, loaded.decisions, loaded.settings.as_of or config.today())
    return list(doc["findings"])


def _listed(loaded: lake.Loaded, graph: AssetGraph, run: Run, rows: Iterable[Row]) -> tuple[Finding, ...]:
    """The findings of `rows` (and the run's engine disagreements), messages made but no chains:
    naming the assets and the terms needs none of the facts that chains walk."""
    chains = Chains(replace(run.fb, facts={}), graph, loaded.rb.kb, ())
    reasoned = replace(run.reasoned, atoms=Atoms(list, finding=list(rows)))
    return findings.listed(reasoned, chains, loaded.rb.rules)
