"""A named release is audited on its lineage cone (auditor/cone.py, and the rows of Hub tables its
lineage reaches): its findings are those of the whole graph's audit, on the demo, on a generated
Hub-shaped lake and on random lineages; the inventory still lists every input file."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, RB, ROOT, card, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit, cone
from auditor.model import BAD_ROW, BAD_ROW_APART
from auditor.naming import display_id

sys.path.insert(0, str(ROOT / "benchmarks"))
import hub_lake  # the benchmark's generator of Hub-shaped lakes


def whole(monkeypatch: pytest.MonkeyPatch, root: Path, asset: str) -> audit.Audit:
    """The audit without any cut: every row read, the graph kept whole."""
    with monkeypatch.context() as m:
        m.setattr(cone, "cut", lambda graph, release: graph)
        m.setattr(audit, "focus", lambda settings: None)
        return audit.run(root, rb=RB, asset=asset)


BAD_ROW_CODES = {code.replace("-", "_") for code in (BAD_ROW, BAD_ROW_APART)}  # as a finding's detail gives them


def release_findings(result: audit.Audit, asset: str) -> list[tuple[object, ...]]:
    """The release's findings, in report order. A bad row of a table is compared by its file and
    problem alone: the whole audit reads every row without the release's lineage to judge them by, so
    each is an error there, where the cut's audit tells a row apart from the lineage as a warning."""
    return sorted(
        (
            ("bad row", f.detail["file"], f.detail["message"].split("; the row is not read")[0])
            if f.detail.get("code") in BAD_ROW_CODES
            else (f.id, f.rule, f.severity, f.message, json.dumps(f.detail, sort_keys=True), f.evidence)
            for f in result.result.findings
            if f.asset == asset
        ),
        key=lambda found: (found[0] == "bad row", found[1:3] if found[0] == "bad row" else ()),
    )


def same_for(monkeypatch: pytest.MonkeyPatch, root: Path, asset: str) -> audit.Audit:
    """The cut audit of `asset`, checked against the whole one."""
    cut, full = audit.run(root, rb=RB, asset=asset), whole(monkeypatch, root, asset)
    assert release_findings(cut, asset) == release_findings(full, asset)
    assert release_findings(cut, asset), f"no finding for {asset}: the comparison would prove nothing"
    assert cut.graph.harvest.inventory == full.graph.harvest.inventory
    kept = cone.ancestors(full.graph, next(k for k in full.graph.assets if display_id(k, full.graph) == asset))
    assert set(cut.graph.assets) >= kept and set(cut.graph.assets) <= set(full.graph.assets)
    return cut


@pytest.mark.parametrize(
    "asset", ["acme/support-chat-7b-GGUF", "acme/support-chat-7b", "datasets/acme/support-tickets"]
)
def test_the_demo_release_and_its_upstream_audited_on_their_cones(monkeypatch, tmp_path, asset):
    shutil.copytree(FIXTURES / "releases" / "demo", tmp_path / "demo")
    same_for(monkeypatch, tmp_path / "demo", asset)


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> tuple[Path, list[str]]:
    """A generated Hub-shaped lake of 800 assets (JSON Lines, compressed or not, and Parquet) and releases to audit in it:
    the deepest one, and models at depths 1 to 4."""
    out = tmp_path_factory.mktemp("lake")
    deep, _ = hub_lake.write(800, 3, out)
    specs = {s.depth: s.id for s in hub_lake.Lineage(800, 3).build() if s.kind == "model" and s.metadata}
    return out, [deep.id, *(specs[d] for d in (1, 2, 3, 4) if d in specs)]


@pytest.mark.parametrize("table", hub_lake.FORMATS)
def test_releases_in_a_generated_lake_audited_on_their_cones(monkeypatch, lake, table):
    out, releases = lake
    assert len(releases) >= 4
    for asset in releases:
        cut = same_for(monkeypatch, out / table, asset)
        assert len(cut.graph.assets) < 200  # the cone, not the 800 assets of the lake
    suffix = table.replace("-gz", ".gz")
    assert {e.file for e in cut.graph.harvest.inventory} == {f"models.{suffix}", f"datasets.{suffix}"}


def test_the_cut_keeps_the_lineage_and_the_assets_with_input_problems(tmp_path):
    write_tree(
        tmp_path,
        {
            "o/base/README.md": card("license: mit"),
            "o/rel/README.md": card("license: mit\nbase_model: o/base\ndatasets: [o/gone]"),
            "o/child/README.md": card("license: mit\nbase_model: o/rel"),
            "o/other/README.md": card("license: mit"),
            "o/broken/README.md": card("license: [mit, {a: b}]"),
        },
    )
    graph = audit.run(tmp_path, rb=RB).graph
    assets, edges = dict(graph.assets), list(graph.edges)
    cut = cone.cut(graph, "o/rel")
    assert (graph.assets, graph.edges) == (assets, edges)  # the graph cut is a new graph
    assert set(cut.assets) == {"model:o/rel", "model:o/base", "dataset:o/gone", "model:o/broken"}
    assert {(e.child, e.parent) for e in cut.edges} == {
        ("model:o/rel", "model:o/base"),
        ("model:o/rel", "dataset:o/gone"),
    }
    assert cut.harvest is graph.harvest  # the inventory lists every file
    assert cone.cut(graph, None) is graph and cone.cut(graph, "no/such-asset") is graph


# --- random lineages ---------------------------------------------------------------------------

LICENSES = ["mit", "apache-2.0", "cc-by-nc-4.0", "cc-by-sa-4.0", "llama2", "other", None]
RELATIONS = ["finetune", "adapter", "quantized", "merge"]


@st.composite
def lakes(draw) -> tuple[list[str], str]:
    """JSON Lines rows of 3-12 models and datasets with random upstream (cycles and unresolved names
    included, in card data or in tags only), some rows after the first broken, and a model to release."""
    n = draw(st.integers(3, 12))
    kinds = [draw(st.sampled_from(["model", "model", "dataset"])) for _ in range(n)]
    kinds[0] = "model"
    lines = []
    for i, kind in enumerate(kinds):
        parents = draw(st.lists(st.integers(0, n + 1), max_size=3, unique=True))  # n, n+1: no row
        bases = [f"o/m{j}" for j in parents if j >= n or kinds[j] == "model"]
        data = [f"o/m{j}" for j in parents if j < n and kinds[j] == "dataset"]
        license = draw(st.sampled_from(LICENSES))
        card = {"license": license} if license else {}
        card |= {"base_model": bases} if bases and kind == "model" else {}
        card |= {("datasets" if kind == "model" else "source_datasets"): data} if data else {}
        tags = [f"license:{license}"] * bool(license) + [
            f"base_model:{draw(st.sampled_from(RELATIONS))}:{b}" for b in bases
        ]
        row = {"id": f"o/m{i}", "tags": tags + [f"dataset:{d}" for d in data]}
        if draw(st.booleans()):
            row["cardData"] = card  # else listed without card data: tags alone
        broken = i and not draw(st.integers(0, 9))  # the first row makes the file a table of Hub records
        lines.append(draw(st.sampled_from(["{}", "oops", '{"id": 7}'])) if broken else json.dumps(row))
    release = draw(st.sampled_from([i for i, k in enumerate(kinds) if k == "model"]))
    return lines, f"o/m{release}"


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lakes())
def test_random_lineages_give_the_same_release_findings_on_the_cone(monkeypatch, tmp_path_factory, case):
    lines, release = case
    root = write_tree(tmp_path_factory.mktemp("random"), {"models.jsonl": "\n".join(lines) + "\n"})
    if not any(json.loads(line).get("id") == release for line in lines if line.startswith("{")):
        return  # the release's own row is broken: nothing names it
    cut, full = audit.run(root, rb=RB, asset=release), whole(monkeypatch, root, release)
    assert release_findings(cut, release) == release_findings(full, release)
