"""Impact judges its two sides to compare them (auditor/judgements.py): only the finding atoms
the sides do not share are interpreted, without evidence. On random lakes (Hub-shaped tables, and
cards with dual licences, whose descendants are judged by their own runs), random changes and
random resolutions, its answer is the one both sides judged in full by lake.judge, every finding
interpreted and compared, gives."""

from __future__ import annotations

import random
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES, RB, ROOT, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lake import lake_files, lakes

from auditor import facts, impact, judgements, lake, reasoning
from auditor.naming import display_id
from auditor.parsed import JSONObject

sys.path.insert(0, str(ROOT / "benchmarks"))
import hub_lake  # the benchmark's generator of Hub-shaped lakes

CHANGES = st.sampled_from(
    [
        impact.Change("relicense", "CC-BY-NC-4.0"),
        impact.Change("relicense", "apache-2.0"),
        impact.Change("relicense", "gpl-3.0"),
        impact.Change("relicense", "MIT OR CC-BY-NC-4.0"),
        impact.Change("takedown"),
    ]
)
DUAL = "CC-BY-NC-4.0 OR Apache-2.0"  # a licence choice: its descendants are judged by their own runs


def judged_in_full(loaded: lake.Loaded, name: str, change: impact.Change) -> dict[str, JSONObject]:
    """Each descendant's licence, verdict and finding changes, both sides judged by lake.judge
    with every finding interpreted, evidence and all, as impact first judged them."""
    graph = loaded.graph
    key = impact.find(graph, name)
    revisions = [key, *sorted(k for k, a in graph.assets.items() if a.revision_of == key)]
    about = frozenset(impact.shortest_paths(graph, *revisions))
    cone = impact._cone(graph, set(about))
    graphs = [cone, impact._changed(cone, revisions if change.kind == "takedown" else [key], change)]
    sides = [lake.judge(replace(loaded, graph=g)) for g in graphs]
    licenses = [{r["id"]: r["license"] for r in side.assets} for side in sides]
    found: list[dict[str, dict]] = [{}, {}]
    for side, by_asset in zip(sides, found, strict=True):
        for f in side.findings:
            by_asset.setdefault(str(f["asset"]), {})[f["id"]] = f

    def verdict(i: int, n: str) -> str | None:
        failed = any(f["status"] == "open" and f["severity"] == "error" for f in found[i].get(n, {}).values())
        return None if n not in licenses[i] else "fail" if failed else "pass"

    rows = {}
    for n in sorted(display_id(k, graph) for k in about):
        changes = lake.finding_changes(found[0].get(n, {}), found[1].get(n, {}))
        rows[n] = {
            "license": {"before": licenses[0].get(n), "after": licenses[1].get(n)},
            "verdict": {"before": verdict(0, n), "after": verdict(1, n)},
            **dict(zip(("appear", "disappear", "changed"), changes, strict=True)),
        }
    return rows


def resolved(root: Path, name: str, count: int, seed: int) -> lake.Loaded:
    """The lake read again with a resolutions.yaml accepting `count` of the findings about the
    asset's descendants: some by rule and asset, some narrowed to their details, some expired."""
    loaded = lake.load(root, frozenset(), RB)
    about = frozenset(impact.shortest_paths(loaded.graph, impact.find(loaded.graph, name)))
    names = {display_id(k, loaded.graph) for k in about}
    judged = lake.judge(replace(loaded, graph=impact._cone(loaded.graph, set(about))))
    found = [f for f in judged.findings if f["asset"] in names]
    entries = []
    for i, f in enumerate(random.Random(seed).sample(found, min(count, len(found)))):
        detail = {k: str(v) for k, v in f["detail"].items()} if i % 2 else {}
        entries.append(
            f"  - rule: {f['rule']}\n    asset: {f['asset']}\n    detail: {detail}\n    reason: legal-approved\n"
            "    comment: reviewed\n    reviewer: Jane Roe\n    date: 2026-11-01\n"
            + ("    expires: 2026-11-02\n" if i % 3 == 2 else "")
        )
    (root / "resolutions.yaml").write_text("resolutions:\n" + "".join(entries), encoding="utf-8")
    return lake.load(root, frozenset(), RB)


def assert_judged_in_full(root: Path, name: str | int, change: impact.Change, resolutions: int) -> None:
    """Impact of the change to the asset `name` (an int: the so-manieth the lake derives from, in
    order) is the full judgement's, with `resolutions` of its descendants' findings accepted."""
    if isinstance(name, int):
        graph = lake.load(root, frozenset(), RB).graph
        parents = sorted({display_id(e.parent, graph) for e in graph.edges if graph.assets[e.parent].resolved})
        if not parents:
            return
        name = parents[name % len(parents)]
    loaded = resolved(root, name, resolutions, len(name))
    doc = impact.assess(loaded, name, change)
    shown = {
        r["asset"]: {k: r[k] for k in ("license", "verdict", "appear", "disappear", "changed")} for r in doc["assets"]
    }
    assert shown == judged_in_full(loaded, name, change)


@pytest.mark.parametrize(
    "change",
    [
        impact.Change("relicense", "apache-2.0"),
        impact.Change("relicense", "cc-by-nc-4.0"),
        impact.Change("relicense", "MIT OR GPL-3.0-only"),
        impact.Change("takedown"),
    ],
)
def test_a_licence_choice_before_or_after_is_judged_by_each_releases_own_run(tmp_path, change):
    """A dual-licensed model (CC-BY-NC-4.0 OR Apache-2.0) and its fine-tune: the fine-tune's
    findings come from its own run, on the side where its base offers a choice."""
    root = tmp_path / "lake"
    shutil.copytree(FIXTURES / "rules" / "LIC002-license-choice" / "fire", root)
    loaded = lake.load(root, frozenset(), RB)
    fb = facts.encode(loaded.graph, loaded.settings, RB, lake=True)
    assert lake.choosing(fb, loaded.graph) == ["model:acme/m", "model:org/dual"]
    assert_judged_in_full(root, "org/dual", change, 3)


def test_an_upstream_judged_as_no_release_differs_in_its_own_findings_alone(tmp_path):
    """Impact makes releases of the assets it reads only. An upstream its organisation releases by
    API is not bound by its share-alike base as a release, but is as an upstream (published
    weights): its own findings differ, its descendants' are those lake.judge gives."""
    cards = [
        {"name": "nc-lab/sa", "kind": "model", "license": "cc-by-sa-4.0", "parents": [], "ghost": False},
        {"name": "nc-lab/mid", "kind": "model", "license": "apache-2.0", "parents": [0], "ghost": False},
        {"name": "acme/base", "kind": "model", "license": "mit", "parents": [], "ghost": False},
        {"name": "acme/ft", "kind": "model", "license": "apache-2.0", "parents": [1, 2], "ghost": False},
        {"name": "open/ft2", "kind": "model", "license": None, "parents": [3], "ghost": True},
    ]
    root = write_tree(tmp_path / "lake", lake_files(cards, [("org = 'nc-lab'", "distribution = 'api'")]))
    loaded = lake.load(root, frozenset(), RB)
    about = frozenset(impact.shortest_paths(loaded.graph, "model:acme/base"))
    assert about == {"model:acme/base", "model:acme/ft", "model:open/ft2"}

    def judged(releasing: frozenset[str] | None) -> tuple[set[str], set[str]]:
        fb = facts.encode(loaded.graph, loaded.settings, RB, lake=True, releasing=releasing)
        found = reasoning.reason(loaded.settings.engine, loaded.files, fb, judgements.READS).atoms.finding
        released = {fb.keys[f[1]] for f in fb.facts if f[0] == "release"}
        return released, {f[0] for f in found if fb.keys[f[1]] == "model:nc-lab/mid"}

    (every, as_release), (released, as_upstream) = judged(None), judged(about)
    assert released == about and every == about | {"model:nc-lab/sa", "model:nc-lab/mid"}
    assert "CMP002" in as_upstream and "CMP002" not in as_release
    for change in [impact.Change("relicense", lic) for lic in ("CC-BY-NC-4.0", "MIT OR GPL-3.0-only")]:
        assert_judged_in_full(root, "acme/base", change, 2)
    assert_judged_in_full(root, "acme/base", impact.Change("takedown"), 2)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lakes(), st.integers(0, 8), st.integers(0, 99), CHANGES, st.integers(0, 4))
def test_impact_on_random_card_lakes_is_both_sides_judged_in_full(tmp_path_factory, drawn, dual, pick, change, count):
    assets, overrides = drawn
    assets = [{**a, "license": DUAL} if i == dual else a for i, a in enumerate(assets)]  # one, or none
    root = write_tree(tmp_path_factory.mktemp("lake"), lake_files(assets, overrides))
    assert_judged_in_full(root, pick, change, count)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**16), st.integers(0, 999), CHANGES, st.integers(0, 6))
def test_impact_on_random_hub_lakes_is_both_sides_judged_in_full(tmp_path_factory, seed, pick, change, count):
    out = tmp_path_factory.mktemp("hub")
    hub_lake.write(150, seed, out)
    assert_judged_in_full(out / "jsonl", pick, change, count)


def test_runs_that_number_the_assets_differently_are_refused():
    """Atoms compare as derived only when every run numbers the assets alike (encode: the graph's order)."""
    loaded = lake.load(ROOT / "fixtures" / "lakes" / "small", frozenset(), RB)
    about = frozenset(loaded.graph.assets)
    side = judgements.judge(loaded, loaded.graph, about)
    renumbered = replace(side.runs[0].fb, keys=[side.runs[0].fb.keys[0], *reversed(side.runs[0].fb.keys[1:])])
    other = replace(side, runs=(replace(side.runs[0], fb=renumbered),))
    with pytest.raises(ValueError, match="number the assets differently"):
        judgements.compared(loaded, side, other, about)
