"""A lake judged a block of assets at a time (lake.judge's `block`, cone.blocks) is the lake judged
whole: the same findings, rows and review, in the same order, and the same restrictions, whatever the block size,
on random card lakes (dual licences, takedown-like unlicensed upstreams, overrides, resolutions), on
Hub-shaped tables and on the fixtures."""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import FIXTURES, RB, ROOT, card, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lake import lake_files, lakes

from auditor import cone, lake, lakedb
from auditor.model import Asset

sys.path.insert(0, str(ROOT / "benchmarks"))
import hub_lake  # the benchmark's generator of Hub-shaped lakes


def judged_both_ways(root: Path, block: int) -> lake.LakeAudit:
    """The lake judged in blocks of `block`, held equal to it judged in one block."""
    loaded = lake.load(root, frozenset(), RB)
    whole, blocked = lake.judge(loaded, block=len(loaded.graph.assets) + 1), lake.judge(loaded, block=block)
    described = sum(a.resolved for a in loaded.graph.assets.values())
    assert len(list(cone.blocks(loaded.graph, block))) == max(-(-described // block), 1)
    for field in ("findings", "assets", "edges", "review", "engines"):
        assert getattr(blocked, field) == getattr(whole, field), field
    assert sorted(blocked.restrictions) == sorted(whole.restrictions)  # kept in no order: only counted
    return blocked


def with_resolutions(root: Path, count: int, seed: int) -> None:
    """A resolutions.yaml accepting `count` of the lake's findings (some by their details, some
    expired) and one that matches none (an orphan)."""
    found = list(lake.run(root, rb=RB).findings)
    entries = []
    for i, f in enumerate(random.Random(seed).sample(found, min(count, len(found)))):
        if f["asset"] is None:
            continue
        detail = {k: str(v) for k, v in f["detail"].items()} if i % 2 else {}
        entries.append(
            f"  - rule: {f['rule']}\n    asset: {f['asset']}\n    detail: {detail}\n    reason: legal-approved\n"
            "    comment: reviewed\n    reviewer: Jane Roe\n    date: 2026-11-01\n"
            + ("    expires: 2026-11-02\n" if i % 3 == 2 else "")
        )
    entries.append(
        "  - rule: CMP001\n    asset: nobody/nothing\n    reason: legal-approved\n    comment: gone\n"
        "    reviewer: Jane Roe\n    date: 2026-11-01\n"
    )
    (root / "resolutions.yaml").write_text("resolutions:\n" + "".join(entries), encoding="utf-8")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lakes(), st.integers(1, 3), st.integers(0, 4), st.integers(0, 99))
def test_random_card_lakes_judged_in_blocks_are_judged_whole(drawn, block, resolutions, seed):
    root = Path(tempfile.mkdtemp())
    try:
        write_tree(root, lake_files(*drawn))
        if resolutions:
            with_resolutions(root, resolutions, seed)
        judged_both_ways(root, block)
    finally:
        shutil.rmtree(root)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**16), st.integers(40, 120))
def test_hub_shaped_lakes_judged_in_blocks_are_judged_whole(seed, block):
    root = Path(tempfile.mkdtemp())
    try:
        hub_lake.write(300, seed, root)
        judged = judged_both_ways(root / "parquet", block)
        assert len(judged.assets) > block
    finally:
        shutil.rmtree(root)


@pytest.mark.parametrize("root", [FIXTURES / "lakes" / name for name in ("small", "governance", "versions")])
def test_the_fixture_lakes_judged_in_blocks_of_one_are_judged_whole(root):
    judged_both_ways(root, 1)


def test_the_outputs_of_a_lake_judged_in_blocks_are_the_same_bytes():
    loaded = lake.load(FIXTURES / "lakes" / "governance", frozenset(), RB)
    made = []
    for block in (1, len(loaded.graph.assets)):
        with lakedb.outputs(lake.judge(loaded, block=block)) as (summary, files):
            made.append((summary, {name: path.read_bytes() for name, path in files.items()}))
    assert made[0] == made[1]


def test_a_lake_wide_problem_is_given_once_and_an_asset_problem_by_its_block(tmp_path):
    root = write_tree(
        tmp_path / "lake",
        {
            "acme/m/README.md": card("license: mit", "# m\n"),
            "open/n/README.md": card("license: mit\nbase_model: ghost/gone", "# n\n"),
            "open/p/README.md": card("license: [", "# p\n"),  # a broken manifest: its asset's problem
            "acme/m/unet/sub/config.json": '{"model_type": "llama"}',  # too deep to name its asset
        },
    )
    judged = judged_both_ways(root, 1)
    assert [f["rule"] for f in judged.findings if f["asset"] is None] == ["INP002"]
    assert [f["asset"] for f in judged.findings if f["rule"] == "PRV002"] == ["ghost/gone"]


def test_blocks_partition_the_assets_each_with_its_cone(tmp_path):
    root = write_tree(
        tmp_path / "lake",
        {
            "org/base/README.md": card("license: mit\nbase_model: ghost/root", "# b\n"),
            "org/a/README.md": card("license: mit\nbase_model: org/base", "# a\n"),
            "org/b/README.md": card("license: mit\nbase_model: [org/a, ghost/late]", "# b\n"),
            "org/c/README.md": card("license: mit", "# c\n"),
        },
    )
    graph = lake.load(root, frozenset(), RB).graph
    graph.assets["model:ghost/stray"] = Asset("ghost/stray", "model")  # undescribed, reached by no lineage
    described = [k for k, a in graph.assets.items() if a.resolved]
    parts = list(cone.blocks(graph, 2))
    assert sorted(k for p in parts for k in p.keys) == sorted(graph.assets)  # each asset in one block
    assert [p.lake_wide for p in parts] == [True, False]
    assert [len(p.keys & set(described)) for p in parts] == [2, 2]
    reaching = [set().union(*(cone.ancestors(graph, k) for k in p.keys if k in described)) for p in parts]
    for i, p in enumerate(parts):
        assert reaching[i] <= set(p.graph.assets) and p.keys <= set(p.graph.assets)
        for key in p.keys - set(described):  # undescribed: with the first block that reaches it, or the first
            first = next((j for j, reached in enumerate(reaching) if key in reached), 0)
            assert i == first
    assert "model:ghost/stray" in parts[0].keys


def test_a_family_of_derivatives_shares_a_block(tmp_path):
    root = write_tree(
        tmp_path / "lake",
        {
            "org/a-base/README.md": card("license: mit", "# a\n"),
            "org/b-base/README.md": card("license: mit", "# b\n"),
            "org/c-tuned-from-a/README.md": card("license: mit\nbase_model: org/a-base", "# c\n"),
            "org/d-tuned-from-b/README.md": card("license: mit\nbase_model: org/b-base", "# d\n"),
        },
    )
    graph = lake.load(root, frozenset(), RB).graph
    families = [{graph.assets[k].id for k in p.keys} for p in cone.blocks(graph, 2)]
    assert families == [{"org/a-base", "org/c-tuned-from-a"}, {"org/b-base", "org/d-tuned-from-b"}]
