"""Tables of Hub records as real dumps come: a model and a dataset of one id in the two tables of a
dump are two assets; a table named for its rows is read whatever its first row's keys or size, and
one that cannot be read is told, never skipped; a card data field given as null leaves the Hub's
tags to say it; a row indented with a tab is a row."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest
from conftest import RB, write_tree

from auditor import harvest, lake
from auditor.cli import main

pytestmark = pytest.mark.usefixtures("no_network")
NC = {"license": "cc-by-nc-4.0"}


def jsonl(*rows: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, sort_keys=True)) + "\n" for r in rows)


def row(name: str, card: dict | None = None, tags: list[str] | None = None, **fields: object) -> dict:
    return {"id": name, "sha": hashlib.sha1(name.encode()).hexdigest(), "tags": tags or [], "cardData": card, **fields}


def judged(root: Path) -> dict[str, set[str]]:
    """The open rules at each asset of the lake (None: the lake's own)."""
    found: dict[str, set[str]] = {}
    for f in lake.run(root, rb=RB).findings:
        if f["status"] == "open":
            found.setdefault(str(f["asset"]), set()).add(str(f["rule"]))
    return found


@pytest.mark.parametrize("mixed", [False, True])
def test_a_model_and_a_dataset_of_one_id_are_two_assets_and_the_models_fine_tune_is_bound_by_the_model(tmp_path, mixed):
    model = row("org/x", {"license": "apache-2.0"}, repo_type="model")
    dataset = row("org/x", NC, repo_type="dataset")
    chat = row("org/x-chat", {"license": "apache-2.0", "base_model": "org/x"}, repo_type="model")
    if mixed:
        write_tree(tmp_path, {"hub.jsonl": jsonl(dataset, model, chat)})
    else:
        write_tree(tmp_path, {"datasets.jsonl": jsonl(dataset), "models.jsonl": jsonl(model, chat)})
    audit = lake.run(tmp_path, rb=RB)
    assert sorted(a["id"] for a in audit.assets) == ["datasets/org/x", "org/x", "org/x-chat"]
    assert [(e["child"], e["parent"]) for e in audit.edges] == [("org/x-chat", "org/x")]
    assert not {"CMP001", "CMP006", "PRV015"} & judged(tmp_path).get("org/x-chat", set())


def big_first_row(tmp_path: Path) -> Path:
    """A dump written with sorted keys (`json.dumps(sort_keys=True)`, `jq -S`), whose first row's card
    data fills more than the 4 KB a format is told by before its id comes."""
    index = [{"name": f"m{i}", "results": [{"metrics": [{"type": "acc", "value": 0.5}]}]} for i in range(80)]
    base = row("p/nc", {**NC, "model-index": index})
    child = row("p/child", {"license": "apache-2.0", "base_model": "p/nc"})
    return write_tree(tmp_path, {"models.jsonl": jsonl(base, child)})


def test_a_table_named_for_its_rows_is_read_whatever_its_first_rows_keys_and_size(tmp_path):
    big_first_row(tmp_path)
    assert (tmp_path / "models.jsonl").read_text().index('"id"') > 4096
    assert "CMP001" in judged(tmp_path)["p/child"]


@pytest.mark.parametrize("first", ["[]", '{"note": "not a record"}', "null"])
def test_a_table_whose_first_line_is_no_record_is_read_and_that_line_told(tmp_path, first):
    rows = jsonl(first, row("p/nc", NC), row("p/child", {"license": "apache-2.0", "base_model": "p/nc"}))
    write_tree(tmp_path, {"more-models.jsonl": rows})
    found = harvest.harvest(tmp_path)
    assert sorted(r.id for r in found.records) == ["p/child", "p/nc"]
    assert [(p.code, p.evidence.line) for p in found.problems] == [("bad-row", 1)]


def test_a_parquet_table_cut_short_is_told_unreadable_and_fails_the_gate(tmp_path):
    write_tree(tmp_path, {"models.jsonl": jsonl(row("p/apache", {"license": "apache-2.0"}))})
    whole = tmp_path / "whole.parquet"
    duckdb.connect().execute(
        "COPY (SELECT 'x/child' AS id, ['license:mit'] AS tags, '{}' AS cardData) TO ? (FORMAT parquet)", [str(whole)]
    )
    (tmp_path / "extra-models.parquet").write_bytes(whole.read_bytes()[:-40])
    whole.unlink()
    found = harvest.harvest(tmp_path)
    (problem,) = found.problems
    assert (problem.code, problem.evidence.file) == ("malformed", "extra-models.parquet")
    assert [(e.format, e.status) for e in found.inventory if e.file == "extra-models.parquet"] == [
        ("hub-records", "unreadable")
    ]
    assert "INP001" in judged(tmp_path)["None"]


@pytest.mark.parametrize("nested", [False, True])
def test_a_card_data_field_given_as_null_leaves_the_tags_to_say_it(tmp_path, nested):
    rows = [
        row("p/nc", NC),
        row("m/copy", {"license": "apache-2.0", "base_model": None}, ["base_model:quantized:p/nc"]),
        row("m/unlicensed", {"license": None, "base_model": "p/nc"}, ["license:apache-2.0"]),
        row("m/trained", {"license": "apache-2.0", "datasets": None}, ["dataset:d/nc"]),
    ]
    write_tree(tmp_path / "j", {"models.jsonl": jsonl(*rows)})
    root = tmp_path / "j"
    if nested:  # a nested column gives every row each field the others have, null where it lacks it
        root = tmp_path / "p"
        root.mkdir()
        duckdb.connect().execute(
            "COPY (SELECT id, sha, tags, cardData FROM read_json(?, columns={'id': 'VARCHAR', 'sha': 'VARCHAR', "
            "'tags': 'VARCHAR[]', 'cardData': 'STRUCT(license VARCHAR, base_model VARCHAR, datasets VARCHAR[])'})) "
            "TO ? (FORMAT parquet)",
            [str(tmp_path / "j" / "models.jsonl"), str(root / "models.parquet")],
        )
    found = {r.id: r for r in harvest.harvest(root).records}
    assert [(r.target, r.relation) for r in found["m/copy"].references] == [("p/nc", "quantized")]
    assert [s.raw for s in found["m/unlicensed"].licenses] == ["apache-2.0"]
    assert [(r.target, r.relation) for r in found["m/trained"].references] == [("d/nc", "trained_on")]


def test_a_row_indented_with_a_tab_is_a_row_and_a_line_of_whitespace_is_blank(tmp_path):
    text = jsonl(row("a/one", {"license": "mit"})) + " \t \n" + "\t" + jsonl(row("a/two", {"license": "mit"}))
    write_tree(tmp_path, {"models.jsonl": text})
    found = harvest.harvest(tmp_path)
    assert {r.id: r.place.line for r in found.records} == {"a/one": 1, "a/two": 3} and not found.problems


def test_an_asset_not_found_where_a_table_could_not_be_read_is_said_to_be_maybe_there(tmp_path, capsys):
    rows = [row("p/nc", NC), row("p/child", {"license": "apache-2.0", "base_model": "p/nc"})]
    write_tree(tmp_path, {"models.json": "[" + ",".join(json.dumps(r) for r in rows)})  # cut short: no ]
    for argv in (["impact", str(tmp_path), "p/child", "--takedown"], ["audit", str(tmp_path), "--asset", "p/child"]):
        assert main(argv) == 2
        said = capsys.readouterr().err
        assert "p/child" in said and "it may be described in what could not be read: models.json: cannot read" in said
