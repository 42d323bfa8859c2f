"""Hub record rows as input: every form of a table reads alike, optional columns absent read as
absent values, and a row that cannot be read (card data not an object, a field given twice, a row
too large, a field of the wrong type) is told, naming its asset where its id could be read, and
never lets that asset pass."""

from __future__ import annotations

import json

import duckdb
import pytest
from conftest import findings_of, run_audit, write_tree

from auditor.harvest import harvest, hubrows, rowjson

pytestmark = pytest.mark.usefixtures("no_network")
BASE = {"id": "org/base", "sha": "b", "cardData": {"license": "cc-by-nc-4.0"}}


def parquet(path, select: str) -> None:
    duckdb.connect().execute(f"COPY ({select}) TO ? (FORMAT parquet)", [str(path)])


@pytest.mark.parametrize(
    "columns",
    [
        '\'org/kid\' AS id, \'a\' AS sha, \'{"license": "mit", "base_model": "org/base"}\' AS cardData',
        "'org/kid' AS id, 'a' AS sha, ['license:mit', 'base_model:finetune:org/base'] AS tags",
    ],
    ids=["no-tags", "no-card-data"],
)
def test_a_parquet_table_without_an_optional_column_reads_it_as_absent(tmp_path, columns):
    parquet(tmp_path / "models.parquet", f"SELECT {columns}")
    (tmp_path / "base.jsonl").write_text(json.dumps({**BASE, "tags": []}) + "\n")
    doc = run_audit(tmp_path, asset="org/kid")
    assert doc["verdict"] == "fail" and findings_of(doc, "CMP001") and not findings_of(doc, "INP001")


def test_a_parquet_table_without_an_id_column_is_told_naming_it(tmp_path):
    parquet(tmp_path / "models.parquet", "SELECT 'a' AS sha, ['license:mit'] AS tags")
    [problem] = harvest(tmp_path).problems
    assert problem.evidence.file == "models.parquet"
    assert problem.message == "cannot read the table: it has no 'id' column, which names each row's repository"


def test_a_parquet_table_of_hub_records_is_read_whatever_its_name_without_tags(tmp_path):
    parquet(tmp_path / "stuff.parquet", "SELECT 'org/kid' AS id, 'a' AS sha, '{\"license\": \"mit\"}' AS cardData")
    assert [r.id for r in harvest(tmp_path).records] == ["org/kid"]


def test_fields_of_the_wrong_type_are_told_and_both_forms_agree_on_a_numeric_id(tmp_path):
    rows = [{"id": "org/a", "sha": ["f"], "tags": []}, {"id": "org/b", "repo_type": 5, "tags": []}]
    write_tree(tmp_path / "j", {"models.jsonl": "".join(json.dumps(r) + "\n" for r in rows)})
    told = {(p.code, p.message) for p in harvest(tmp_path / "j").problems}
    assert told == {
        ("bad-field", "line 1: 'sha' should be a string, not [\"f\"]; it is not read"),
        ("bad-field", "line 2: 'repo_type' should be a string, not 5; it is not read"),
    }
    (tmp_path / "p").mkdir()
    parquet(tmp_path / "p" / "models.parquet", "SELECT 1 AS id, 2 AS sha, ['license:mit'] AS tags")
    result = harvest(tmp_path / "p")
    assert not result.records
    assert [p.message for p in result.problems] == ["row 0: it has no id (a string); the row is not read"]


@pytest.mark.parametrize("card", ['"{\\"license\\": \\"apache-2.0\\", \\"base_model\\": \\"org/base\\""', "[1, 2]"])
def test_card_data_that_is_not_an_object_fails_its_asset(tmp_path, card):
    kid = '{"id": "org/kid", "sha": "a", "tags": [], "cardData": ' + card + "}"
    write_tree(tmp_path, {"models.jsonl": json.dumps(BASE) + "\n" + kid + "\n"})
    doc = run_audit(tmp_path, asset="org/kid")
    [unread] = findings_of(doc, "INP001")
    assert (
        doc["verdict"] == "fail"
        and unread["asset"] == "org/kid"
        and "'cardData' is not a JSON object" in unread["message"]
    )


def test_a_field_of_the_record_given_twice_is_a_row_that_fails_its_asset(tmp_path):
    kid = '{"id": "org/kid", "tags": [], "cardData": {"license": "mit"}, "cardData": {"license": "mit", "base_model": "org/base"}}'
    ids = '{"id": "org/kid2", "id": "org/kid3", "tags": [], "cardData": {"tags": ["x"], "license": "mit"}}'
    nested = (
        '{"id": "org/ok", "tags": ["a"], "cardData": {"tags": ["x"], "license": "mit"}}'  # `tags` twice, not at the top
    )
    write_tree(tmp_path, {"models.jsonl": "\n".join([json.dumps(BASE), kid, ids, nested]) + "\n"})
    result = harvest(tmp_path)
    told = {(p.message, p.asset) for p in result.problems}
    assert told == {
        (
            "line 2 (org/kid): it gives 'cardData' twice, which JSON parsers read differently; the row is not read",
            "model:org/kid",
        ),
        ("line 3: it gives 'id' twice, which JSON parsers read differently; the row is not read", None),
    }
    assert sorted(r.id for r in result.records) == ["org/base", "org/kid", "org/ok"]
    assert run_audit(tmp_path, asset="org/kid")["verdict"] == "fail"


def test_a_row_too_large_names_its_asset_which_is_described_not_unresolved(tmp_path):
    big = {"id": "org/big", "tags": [], "cardData": {"license": "x" * (hubrows.MAX_ROW_BYTES + 10)}}
    kid = {"id": "org/kid", "tags": [], "cardData": {"license": "mit", "base_model": "org/big"}}
    write_tree(tmp_path, {"models.jsonl": "".join(json.dumps(r) + "\n" for r in (big, kid))})
    doc = run_audit(tmp_path, asset="org/kid")
    assert not findings_of(doc, "PRV002")
    [unread] = findings_of(doc, "INP001")
    assert (
        unread["asset"] == "org/big"
        and "line 1 (org/big): its card data and tags are over 1024 KB" in unread["message"]
    )


@pytest.mark.parametrize("form", ["jsonl", "parquet"])
def test_a_tag_that_is_no_string_fails_its_asset_and_the_tags_beside_it_are_read(tmp_path, form):
    tags = "['license:mit', NULL, 'base_model:finetune:org/base']"
    if form == "parquet":
        parquet(tmp_path / "models.parquet", f"SELECT 'org/kid' AS id, 'a' AS sha, {tags} AS tags")
    else:
        kid = {"id": "org/kid", "sha": "a", "tags": ["license:mit", None, "base_model:finetune:org/base"]}
        (tmp_path / "models.jsonl").write_text(json.dumps(kid) + "\n")
    (tmp_path / "base.jsonl").write_text(json.dumps({**BASE, "tags": []}) + "\n")
    doc = run_audit(tmp_path, asset="org/kid")
    [unread] = findings_of(doc, "INP001")
    assert doc["verdict"] == "fail" and findings_of(doc, "CMP001")  # the base model and license tags are read
    assert unread["asset"] == "org/kid" and "'tags[1]' should be a string, not null" in unread["message"]


def test_tags_that_are_no_string_are_told_a_few_and_the_rest_counted():
    found: rowjson.Problems = []
    value = ["license:mit", *range(rowjson.MAX_TOLD + 5)]
    assert rowjson.tags(value, found)[0] == "license:mit"
    assert [p[2] for p in found[:-1]] == [f"tags[{i}]" for i in range(1, rowjson.MAX_TOLD + 1)]
    assert found[-1] == ("unread-entry", "5 more tags are no string (the first 10 are told); they are not read", "tags")


def test_an_empty_license_is_told_empty(tmp_path):
    rows = [
        {"id": "org/kid", "sha": "a", "cardData": {"license": ""}},
        {"id": "org/two", "cardData": {"license": [" "]}},
    ]
    (tmp_path / "models.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    told = {(p.code, p.message) for p in harvest(tmp_path).problems}
    assert told == {("unread-entry", "line 1: 'license' is empty"), ("unread-entry", "line 2: 'license[0]' is empty")}


def test_a_row_repeating_an_id_and_sha_with_other_content_is_told_naming_both_rows(tmp_path):
    kid = {"id": "org/kid", "sha": "k", "tags": [], "cardData": {"license": "mit"}}
    other = {**kid, "cardData": {"license": "mit", "base_model": "org/base"}}
    (tmp_path / "models.jsonl").write_text("".join(json.dumps(r) + "\n" for r in (BASE, kid, kid, other)))
    told = [(p.code, p.message, p.asset) for p in harvest(tmp_path).problems]
    message = "line 4: it repeats org/kid at revision k of line 2 with other card data or tags; both are read"
    assert told == [("repeated-row", f"{message} (check which the Hub holds)", "model:org/kid")]


@pytest.mark.parametrize("form", ["jsonl", "parquet"])
def test_a_row_whose_id_has_the_datasets_prefix_is_read_as_that_dataset(tmp_path, form):
    """`datasets/org/x` is the Hub's path of the dataset org/x: its row describes it, and its upstream
    is reached through it (DuckDB looks rows up by the same reading)."""
    raw = {"id": "datasets/org/raw", "sha": "r", "tags": [], "cardData": {"license": "cc-by-nc-4.0"}}
    data = {
        "id": "datasets/org/data",
        "sha": "d",
        "tags": [],
        "cardData": {"license": "mit", "source_datasets": ["org/raw"]},
    }
    kid = {"id": "org/kid", "sha": "k", "tags": [], "cardData": {"license": "mit", "datasets": ["org/data"]}}
    (tmp_path / "models.jsonl").write_text("".join(json.dumps(r) + "\n" for r in (raw, data, kid)))
    if form == "parquet":
        select = "SELECT id, sha, tags, to_json(cardData)::VARCHAR AS cardData FROM read_json(?)"
        duckdb.connect().execute(
            f"COPY ({select}) TO ? (FORMAT parquet)", [str(tmp_path / "models.jsonl"), str(tmp_path / "models.parquet")]
        )
        (tmp_path / "models.jsonl").unlink()
    doc = run_audit(tmp_path, asset="org/kid")
    assets = {a["id"]: a for a in doc["assets"]}
    assert not findings_of(doc, "INP001") and not findings_of(doc, "PRV002")
    assert assets["datasets/org/raw"]["resolved"] and assets["datasets/org/data"]["resolved"]


def test_a_row_whose_id_prefix_contradicts_its_repo_type_is_an_error(tmp_path):
    data = {"id": "datasets/org/data", "repo_type": "model", "sha": "d", "tags": [], "cardData": {"license": "mit"}}
    (tmp_path / "models.jsonl").write_text(json.dumps(data) + "\n")
    told = [(p.code, p.message) for p in harvest(tmp_path).problems]
    message = "its id 'datasets/org/data' names a dataset, but Hub record field repo_type says model"
    assert told == [("bad-row", f"line 1: {message}: which repository the row describes is unknown (read as a model)")]


@pytest.mark.parametrize("named", [False, True], ids=["lineage-described", "an-upstream-undescribed"])
def test_a_row_unread_outside_the_release_s_lineage_is_told_and_does_not_fail_it(tmp_path, named):
    """A row whose id cannot be read may describe any asset: it fails the release only when some name
    of its lineage is described by nothing, which the row may be; else it is a warning at its row."""
    kid = {"id": "org/kid", "sha": "k", "tags": [], "cardData": {"license": "mit", "base_model": "org/base"}}
    if named:
        kid["cardData"]["datasets"] = ["org/lost"]
    rows = [json.dumps(BASE | {"tags": []}), json.dumps(kid), "[1, 2]", json.dumps({"id": "no hub id!", "tags": []})]
    (tmp_path / "models.jsonl").write_text("\n".join(rows) + "\n")
    doc = run_audit(tmp_path, asset="org/kid")
    told = {f["message"]: f["rule"] for f in findings_of(doc, "INP001") + findings_of(doc, "INP002")}
    unread = ("models.jsonl: line 3: not a JSON object", "models.jsonl: line 4: its id 'no hub id!' is not a Hub id")
    if named:
        assert told == {f"{m}; the row is not read": "INP001" for m in unread}
    else:
        apart = "the row is not read, and it is not of the lineage audited, every name of which is described"
        assert told == {f"{m}; {apart}": "INP002" for m in unread}
