"""Impact reads from tables of Hub records only what descends from the asset and its lineage
(hubrows.descendants): its answer is the one judging the whole lake gives, on a generated
Hub-shaped lake and on a lake whose cards descend from a table's rows."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, RB, ROOT, findings_of, run_audit

from auditor import impact, lake

sys.path.insert(0, str(ROOT / "benchmarks"))
import hub_lake  # the benchmark's generator of Hub-shaped lakes


def both_ways(root: Path, asset: str, change: impact.Change) -> tuple[dict, lake.Loaded]:
    """The impact judged on the descendants' rows, checked against it judged on the whole lake."""
    cut = lake.load(root, frozenset(), RB, downstream_of=frozenset({asset}))
    whole = lake.load(root, frozenset(), RB)
    doc = impact.assess(cut, asset, change)
    assert doc == impact.assess(whole, asset, change)
    assert set(cut.graph.assets) <= set(whole.graph.assets)
    assert cut.graph.harvest.inventory == whole.graph.harvest.inventory
    return doc, cut


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, list[str]]:
    """A 600-asset Hub-shaped lake, and the assets most derived from: two models and a dataset."""
    out = tmp_path_factory.mktemp("lake")
    hub_lake.write(600, 5, out)
    specs = hub_lake.Lineage(600, 5).build()
    named = {s.id.lower(): s.id for s in specs}  # upstream is written in any case
    bases = Counter(named[b.lower()] for s in specs for b in s.bases if b.lower() in named)
    datasets = Counter(named[d.lower()] for s in specs for d in s.datasets if d.lower() in named)
    return out, [*(m for m, _ in bases.most_common(2)), *(f"datasets/{d}" for d, _ in datasets.most_common(1))]


@pytest.mark.parametrize("table", ["jsonl", "parquet"])
def test_impact_on_the_descendants_rows_is_impact_on_the_whole_lake(generated, table):
    out, assets = generated
    for asset in assets:
        doc, cut = both_ways(out / table, asset, impact.Change("relicense", "CC-BY-NC-4.0"))
        assert doc["descendants"] > 0, f"{asset} has no descendant: the comparison would prove little"
        assert len(cut.graph.assets) < 600  # the descendants and their lineage, not the lake


def test_cards_descending_from_a_tables_rows_are_reached():
    """The versions lake: a table holds the base's revisions, cards fine-tune and quantize it."""
    doc, _ = both_ways(FIXTURES / "lakes" / "versions", "meta/llama-base", impact.Change("takedown"))
    assert doc["descendants"] >= 3


@pytest.mark.parametrize(
    "kid",
    [
        {"cardData": json.dumps({"license": "mit", "base_model": "org/base"})},
        {"cardData": {"license": "mit"}, "tags": json.dumps(["base_model:finetune:org/base"])},
    ],
    ids=["card-data-as-text", "tags-as-text"],
)
def test_card_data_and_tags_given_as_json_text_are_lineage_to_every_path(tmp_path, kid):
    """A string holding JSON text (pandas' JSON Lines of a Parquet text column) reads as its value
    alike in the whole lake, in a release's lineage and in impact's descendants."""
    base = {"id": "org/base", "sha": "b", "tags": [], "cardData": {"license": "cc-by-nc-4.0"}}
    rows = [base, {"id": "org/kid", "sha": "k", "tags": [], **kid}]
    (tmp_path / "models.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    doc, _ = both_ways(tmp_path, "org/base", impact.Change("relicense", "MIT"))
    assert doc["descendants"] == 1
    audited = run_audit(tmp_path, asset="org/kid")
    assert findings_of(audited, "CMP001") and not findings_of(audited, "PRV002")


def test_a_row_whose_id_is_the_hub_path_of_a_dataset_is_that_dataset_to_every_path(tmp_path):
    """`datasets/org/data` names the dataset org/data: its descendants are found through it, in the
    whole lake as in impact's descendants (DuckDB looks rows up by the Hub id Python reads)."""
    data = {"id": "datasets/org/data", "sha": "d", "tags": [], "cardData": {"license": "cc-by-nc-4.0"}}
    kid = {"id": "org/kid", "sha": "k", "tags": [], "cardData": {"license": "mit", "datasets": ["org/data"]}}
    (tmp_path / "models.jsonl").write_text("".join(json.dumps(r) + "\n" for r in (data, kid)))
    doc, cut = both_ways(tmp_path, "datasets/org/data", impact.Change("relicense", "MIT"))
    assert doc["descendants"] == 1
    assert [r.has_metadata for r in cut.graph.assets["dataset:org/data"].records] == [True]
