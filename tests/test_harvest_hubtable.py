"""Tables of Hub records (JSON Lines, Parquet): each row read as its card would be, the Hub's tags
standing in for card data a row lacks, evidence at file, row and field, every bad row told by its
row while the rest are read, and the rows of a release's lineage found without reading the rest."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest
from conftest import FIXTURES, findings_of, run_audit, within, write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import snapshot as snapshot_file
from auditor.harvest import gzipped, harvest, hubrows, hubunread
from auditor.model import Evidence

HUB = FIXTURES / "formats" / "hub-records"
pytestmark = pytest.mark.usefixtures("no_network")


def jsonl(*rows: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def to_parquet(source: Path, target: Path, nested: bool = False) -> None:
    """The rows of a JSON Lines table as Parquet: card data as a JSON string column, or nested."""
    card = "cardData" if nested else "cardData::VARCHAR AS cardData"
    kind = "'STRUCT(license VARCHAR, base_model VARCHAR)'" if nested else "'JSON'"
    duckdb.connect().execute(
        f"COPY (SELECT id, sha, tags, {card} FROM read_json(?, format='newline_delimited', "
        f"columns={{'id': 'VARCHAR', 'sha': 'VARCHAR', 'tags': 'VARCHAR[]', 'cardData': {kind}}})) "
        "TO ? (FORMAT parquet)",
        [str(source), str(target)],
    )


def records(root: Path, focus: frozenset[str] | None = None) -> dict[str, object]:
    return {r.id: r for r in harvest(root, focus=focus).records}


def test_a_row_reads_as_its_card_with_evidence_at_its_line_and_field():
    found = records(HUB)
    chat = found["acme/support-chat-7b"]
    assert chat.kind == "model" and chat.revision == "9d1c2e0b6c3f4a5b8e7d6c5b4a3f2e1d0c9b8a7f"
    assert [(s.raw, s.evidence) for s in chat.licenses] == [("llama2", Evidence("models.jsonl", "cardData.license", 2))]
    refs = {(r.target, r.kind, r.relation): r for r in chat.references}
    base = refs[("meta-llama/Llama-2-7b-hf", "model", "adapter")]
    assert base.evidence == Evidence("models.jsonl", "cardData.base_model", 2)
    assert refs[("acme/support-tickets", "dataset", "trained_on")].evidence.pointer == "cardData.datasets[0]"
    assert ("truthful_qa", "dataset", "evaluated_on") in refs
    assert found["acme/support-tickets"].kind == "dataset"  # datasets.jsonl holds datasets
    assert found["acme/merged-7b"].licenses[0].name == "acme-research"  # license_name travels with `other`
    gptq = found["acme/support-chat-7b-GPTQ"]  # a dump of the huggingface_hub client's objects
    assert gptq.modified == "2026-10-05T10:11:12.000Z" and gptq.licenses[0].raw == "llama2"
    assert [(r.target, r.relation, r.evidence) for r in gptq.references] == [
        ("acme/support-chat-7b", "quantized", Evidence("client-models.jsonl", "card_data.base_model", 1))
    ]


def test_tags_stand_in_for_missing_card_data_and_state_the_hub_relation():
    gguf = records(HUB)["acme/support-chat-7b-GGUF"]  # listed without card data: tags only
    assert [(s.raw, s.evidence.pointer) for s in gguf.licenses] == [("apache-2.0", "tags[3]")]
    [base] = gguf.references  # `base_model:x` and `base_model:quantized:x` name one base model
    assert (base.target, base.relation, base.evidence) == (
        "acme/support-chat-7b",
        "quantized",
        Evidence("models.jsonl", "tags[1]", 3),
    )
    assert base.basis == "the Hub's tag base_model:quantized (tags[2])"


def test_card_data_wins_over_tags(tmp_path):
    row = {
        "id": "acme/x",
        "tags": ["license:mit", "base_model:adapter:org/base", "dataset:org/other"],
        "cardData": {"license": "apache-2.0", "base_model": "org/base", "base_model_relation": "finetune"},
    }
    write_tree(tmp_path, {"models.jsonl": jsonl(row)})
    x = records(tmp_path)["acme/x"]
    assert [s.raw for s in x.licenses] == ["apache-2.0"]  # not the tag's mit as well
    assert [(r.target, r.relation, r.basis) for r in x.references if r.kind == "model"] == [
        ("org/base", "finetune", "declared in base_model_relation")
    ]
    assert [r.target for r in x.references if r.kind == "dataset"] == ["org/other"]  # no datasets: the tag


def test_a_table_without_a_kind_in_its_name_lets_the_card_data_or_its_tags_decide(tmp_path):
    rows = [
        {"id": "a/data", "tags": [], "cardData": {"task_categories": ["text-generation"]}},
        {"id": "a/model", "tags": ["region:us"], "cardData": {"license": "mit"}},
        {"id": "a/listed", "tags": ["license:mit", "size_categories:1K<n<10K", "region:us"]},  # no card data
        {"id": "a/tagged", "tags": ["text-generation", "task_categories:text-generation"], "cardData": {"a": 1}},
        {"id": "a/colon", "tags": ["size_categories"]},  # a bare word, not a field's tag
    ]
    write_tree(tmp_path, {"hub.jsonl": jsonl(*rows), "models.jsonl": jsonl({"id": "b/m", "tags": rows[2]["tags"]})})
    found = {r.id: (r.kind, r.kind_basis) for r in harvest(tmp_path).records}
    assert found["a/data"] == ("dataset", "dataset-card field task_categories")
    assert found["a/model"][0] == "model" and found["a/colon"][0] == "model"
    assert found["a/listed"] == ("dataset", "the Hub's tag size_categories (tags[1])")
    assert found["a/tagged"] == ("dataset", "the Hub's tag task_categories (tags[1])")
    assert found["b/m"] == ("model", "layout")  # a table named models… holds models


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("hub-datasets-2024-05.jsonl", "dataset"),
        ("HF_Models.parquet", "model"),
        ("dataset.json", "dataset"),
        ("models-and-datasets.jsonl", None),  # both: the rows decide
        ("modelscope.jsonl", None),  # a word, not a part of one
    ],
)
def test_a_table_whose_name_has_the_word_models_or_datasets_holds_that_kind(tmp_path, name, kind):
    row = {"id": "a/x", "tags": ["region:us"], "cardData": {"license": "mit"}}
    if name.endswith(".parquet"):
        write_tree(tmp_path / "src", {"t.jsonl": jsonl(row)})
        (tmp_path / "lake").mkdir()
        to_parquet(tmp_path / "src" / "t.jsonl", tmp_path / "lake" / name)
    else:
        text = json.dumps([row]) if name.endswith(".json") else jsonl(row)
        write_tree(tmp_path / "lake", {name: text})
    (record,) = harvest(tmp_path / "lake").records
    assert (record.kind, record.kind_basis) == ((kind, "layout") if kind else ("model", "no dataset-card fields"))


def test_the_records_kind_given_decides_where_neither_the_row_nor_the_table_name_says(tmp_path):
    rows = [
        {"id": "a/plain", "tags": ["region:us"]},
        {"id": "a/carded", "tags": [], "cardData": {"license": "mit", "base_model": "b/base"}},
        {"id": "a/stated", "repo_type": "model", "tags": []},
    ]
    write_tree(tmp_path, {"dump.jsonl": jsonl(*rows), "models.jsonl": jsonl({"id": "b/m", "tags": []})})
    given = "command line --records-kind"
    found = {r.id: (r.kind, r.kind_basis) for r in harvest(tmp_path, records_kind="dataset").records}
    assert found == {
        "a/plain": ("dataset", given),
        "a/carded": ("dataset", given),
        "a/stated": ("model", "Hub record field repo_type"),  # the row says
        "b/m": ("model", "layout"),  # the table's name says
    }
    assert {r.id: r.kind for r in harvest(tmp_path).records}["a/plain"] == "model"  # without it: the default


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_a_rows_repo_type_decides_its_kind_over_the_table_name_and_card_data(tmp_path, suffix):
    rows = [
        {"id": "a/bare", "repo_type": "dataset", "tags": ["region:us"]},  # no card data to tell
        {"id": "a/mixed", "repo_type": "model", "tags": [], "cardData": {"task_categories": ["text"]}},
        {"id": "a/ds", "repo_type": " Dataset", "tags": [], "cardData": {"license": "mit"}},
        {"id": "a/space", "repo_type": "space", "tags": [], "cardData": {"license": "mit"}},
        {"id": "a/plain", "tags": [], "cardData": {"license": "mit"}},
    ]
    write_tree(tmp_path / "j", {"models.jsonl": jsonl(*rows)})
    root = tmp_path / "j"
    if suffix == ".parquet":
        root = tmp_path / "p"
        root.mkdir()
        duckdb.connect().execute(
            "COPY (SELECT id, repo_type, tags, cardData::VARCHAR AS cardData FROM read_json(?, format="
            "'newline_delimited', columns={'id': 'VARCHAR', 'repo_type': 'VARCHAR', 'tags': 'VARCHAR[]', "
            "'cardData': 'JSON'})) TO ? (FORMAT parquet)",
            [str(tmp_path / "j" / "models.jsonl"), str(root / "models.parquet")],
        )
    harvested = harvest(root)
    kinds = {r.id: (r.kind, r.kind_basis) for r in harvested.records}
    assert kinds == {
        "a/bare": ("dataset", "Hub record field repo_type"),
        "a/mixed": ("model", "Hub record field repo_type"),  # the record says, not its card data
        "a/ds": ("dataset", "Hub record field repo_type"),
        "a/space": ("model", "layout"),  # models.jsonl decides, the repo_type is told
        "a/plain": ("model", "layout"),
    }
    (told,) = [p for p in harvested.problems if "repo_type" in p.message]
    assert told.code == "bad-field" and "'space', neither model nor dataset" in told.message
    assert told.evidence.pointer.endswith("repo_type")


def test_a_dataset_named_upstream_resolves_to_its_row_by_repo_type(tmp_path):
    rows = [
        {"id": "org/data", "repo_type": "dataset", "tags": []},
        {"id": "org/m", "repo_type": "model", "tags": ["dataset:org/data"], "cardData": {"license": "mit"}},
    ]
    write_tree(tmp_path, {"dump.jsonl": jsonl(*rows)})
    doc = run_audit(tmp_path, asset="org/m")
    assert {a["id"]: a["resolved"] for a in doc["assets"]} == {"org/m": True, "datasets/org/data": True}


@pytest.mark.parametrize("nested", [False, True], ids=["json-string", "nested"])
def test_parquet_rows_read_as_the_json_lines_rows_with_their_index(tmp_path, nested):
    rows = [
        {"id": "org/base", "sha": "a" * 40, "tags": ["license:mit"], "cardData": {"license": "mit"}},
        {
            "id": "org/child",
            "sha": None,
            "tags": ["base_model:adapter:org/base"],
            "cardData": {"base_model": "org/base"},
        },
    ]
    write_tree(tmp_path / "j", {"models.jsonl": jsonl(*rows)})
    (tmp_path / "p").mkdir()
    to_parquet(tmp_path / "j" / "models.jsonl", tmp_path / "p" / "models.parquet", nested)
    from_jsonl, from_parquet = records(tmp_path / "j"), records(tmp_path / "p")
    assert from_parquet.keys() == from_jsonl.keys()
    child = from_parquet["org/child"]
    assert [(r.target, r.relation) for r in child.references] == [("org/base", "adapter")]
    assert child.references[0].evidence == Evidence("models.parquet", "[1].cardData.base_model")
    assert from_parquet["org/base"].licenses[0].evidence == Evidence("models.parquet", "[0].cardData.license")
    assert from_parquet["org/base"].revision == "a" * 40


def client_dump(row: dict) -> dict:
    """A row as a dump of the huggingface_hub client's objects writes it (`dataclasses.asdict`,
    dates by `str`): `card_data` and `last_modified` for the API's `cardData` and `lastModified`."""
    names = {"cardData": "card_data", "lastModified": "last_modified"}
    dated = {**row, "lastModified": row["lastModified"].replace("T", " ").replace(".000Z", "+00:00")}
    return {names.get(k, k): v for k, v in dated.items()}


CLIENT_ROWS = [
    {
        "id": "org/base",
        "sha": "a" * 40,
        "lastModified": "2026-01-02T03:04:05.000Z",
        "tags": ["license:other"],
        "cardData": {"license": "other", "license_name": "org-research", "license_link": "LICENSE"},
    },
    {
        "id": "org/child",
        "sha": "b" * 40,
        "lastModified": "2026-02-03T04:05:06.000Z",
        "tags": [],
        "cardData": {"license": "mit", "base_model": "org/base", "datasets": ["org/data"]},
    },
]


@pytest.mark.parametrize("stored", ["jsonl", "parquet"])
def test_a_dump_of_the_hub_clients_objects_reads_as_the_api_records(tmp_path, stored):
    """The client's names are read as the API's, its date brought to the API's form, and every
    pointer names the field as the file names it; no card data field is left unread."""
    write_tree(tmp_path / "api", {"models.jsonl": jsonl(*CLIENT_ROWS)})
    write_tree(tmp_path / "client", {"models.jsonl": jsonl(*map(client_dump, CLIENT_ROWS))})
    if stored == "parquet":
        for side in ("api", "client"):
            (tmp_path / side / "models.jsonl").rename(tmp_path / side / "rows.jsonl")
            duckdb.connect().execute(
                "COPY (SELECT * FROM read_json(?)) TO ? (FORMAT parquet)",
                [str(tmp_path / side / "rows.jsonl"), str(tmp_path / side / "models.parquet")],
            )
            (tmp_path / side / "rows.jsonl").unlink()
    api, client = records(tmp_path / "api"), records(tmp_path / "client")
    assert api.keys() == client.keys() == {"org/base", "org/child"}
    for key in api:
        assert client[key].modified == api[key].modified
        assert [(s.raw, s.name) for s in client[key].licenses] == [(s.raw, s.name) for s in api[key].licenses]
        assert [(r.target, r.kind) for r in client[key].references] == [(r.target, r.kind) for r in api[key].references]
    assert client["org/child"].modified == "2026-02-03T04:05:06.000Z"
    assert client["org/base"].licenses[0].name == "org-research"
    pointer = {"jsonl": "card_data.base_model", "parquet": "[1].card_data.base_model"}[stored]
    assert client["org/child"].references[0].evidence.pointer == pointer
    lineage = hubrows.lineage(hubrows.load([tmp_path / "client" / f"models.{stored}"]), ["org/child"])
    assert lineage == {"org/child", "org/base", "org/data"}


def test_a_date_is_brought_to_the_api_form_from_any_zone_and_undated_when_not_one(tmp_path):
    rows = [
        {"id": "org/a", "sha": "a" * 40, "last_modified": "2026-01-02 05:04:05+02:00", "card_data": {}},
        {"id": "org/b", "sha": "b" * 40, "lastModified": "last tuesday", "cardData": {}},
    ]
    write_tree(tmp_path, {"models.jsonl": jsonl(*rows)})
    found = records(tmp_path)
    assert found["org/a"].modified == "2026-01-02T03:04:05.000Z"
    assert found["org/b"].modified is None  # reported: test_revision_labels


def test_card_data_by_the_apis_name_is_read_over_the_clients(tmp_path):
    row = {"id": "org/m", "sha": "a" * 40, "cardData": {"license": "mit"}, "card_data": {"license": "gpl-3.0"}}
    write_tree(tmp_path, {"models.jsonl": jsonl(row)})
    (lic,) = records(tmp_path)["org/m"].licenses
    assert (lic.raw, lic.evidence.pointer) == ("mit", "cardData.license")


def test_a_card_data_key_given_twice_is_told_at_its_pointer_and_the_last_value_is_read(tmp_path):
    twice = '{"license": "mit", "eval": [{"k": 1}, {"k": 2, "j": 0, "k": 3}], "license": "cc-by-nc-4.0"}'
    text = jsonl(f'{{"id": "org/m", "sha": "s", "tags": [], "cardData": {twice}}}', {"id": "org/plain", "sha": "t"})
    write_tree(tmp_path / "j", {"models.jsonl": text})
    (tmp_path / "p").mkdir()
    to_parquet(tmp_path / "j" / "models.jsonl", tmp_path / "p" / "models.parquet")  # card data as JSON text
    for table, row, line in (("j/models.jsonl", "", 1), ("p/models.parquet", "[0].", None)):
        found = harvest(tmp_path / table.split("/")[0])
        told = [(p.code, p.evidence) for p in found.problems if "twice" in p.message]
        name = table.split("/")[1]
        assert told == [  # the license's value is not known (an unread entry), another field's is told
            (code, Evidence(name, f"{row}cardData.{key}", line))
            for code, key in (("unread-entry", "license"), ("duplicate-key", "eval[1].k"))
        ]
        assert {r.id: [s.raw for s in r.licenses] for r in found.records}["org/m"] == ["cc-by-nc-4.0"]


def test_a_megabyte_of_keys_given_twice_or_of_nesting_is_read_in_bounded_time_and_told(tmp_path):
    wide = ", ".join(f'"k{i}": 0, "k{i}": 1' for i in range(40_000))  # about 1 MB: every key twice
    deep = "[" * 400_000 + "]" * 400_000  # what a parser recursing on it would not survive
    rows = [
        f'{{"id": "org/wide", "sha": "s", "cardData": {{"license": "mit", "wide": {{{wide}}}}}}}',
        f'{{"id": "org/deep", "sha": "s", "cardData": {{"license": "mit", "deep": {deep}}}}}',
    ]
    write_tree(tmp_path, {"models.jsonl": jsonl(*rows)})
    assert (tmp_path / "models.jsonl").stat().st_size > 1_000_000
    found = within(10.0, harvest, tmp_path)
    told = [(p.code, p.evidence.pointer, p.message) for p in found.problems]
    assert [pointer for _, pointer, _ in told[:2]] == ["cardData.wide.k0", "cardData.wide.k1"]
    more = "line 1: 39,990 more fields are given twice (the first 10 are told); the last value of each is used"
    assert told[10] == ("duplicate-key", "cardData", more)
    too_deep = "line 2: 'cardData' is nested 400,001 levels deep, over the limit of 200; it is not read"
    assert told[11:] == [("bad-row", "cardData", too_deep)]  # fatal: nothing of the card data is read
    assert {r.id: [s.raw for s in r.licenses] for r in found.records} == {"org/wide": ["mit"], "org/deep": []}


def test_a_json_array_of_records_reads_as_the_api_answers_with_each_element_by_index():
    found = {r.id: r for r in harvest(HUB).records if r.source == "api-models.json"}
    awq, clean = found["acme/support-chat-7b-AWQ"], found["acme/support-tickets-clean"]
    assert (awq.kind, clean.kind, clean.kind_basis) == ("model", "dataset", "Hub record field repo_type")
    [base] = awq.references
    assert (base.target, base.relation, base.evidence) == (
        "acme/support-chat-7b",
        "quantized",
        Evidence("api-models.json", "[0].cardData.base_model[0]"),
    )
    assert awq.revision == "7a1b2c3d4e5f60718293a4b5c6d7e8f901234567" and awq.licenses[0].raw == "llama2"
    doc = run_audit(HUB, asset="acme/support-chat-7b-AWQ")
    assert "acme/support-chat-7b" in {a["id"] for a in doc["assets"] if a["resolved"]}  # across the tables


def test_bad_elements_of_a_json_array_are_told_by_their_index_and_the_rest_are_read(tmp_path):
    big = {"id": "org/big", "tags": [], "cardData": {"license": "x" * (hubrows.MAX_ROW_BYTES + 10)}}
    elements = [
        {"id": "org/good", "sha": "a", "tags": []},
        7,
        [1],
        {"sha": "x"},
        None,
        big,
        {"id": "org/b", "tags": []},
    ]
    (tmp_path / "models.json").write_text(json.dumps(elements))
    result = harvest(tmp_path)
    assert sorted(r.id for r in result.records) == ["org/b", "org/big", "org/good"]  # org/big: described, unread
    assert [p.message for p in result.problems] == [
        "row 1: not a JSON object; the row is not read",
        "row 2: not a JSON object; the row is not read",
        "row 3: it has no id (a string); the row is not read",
        "row 4: not a JSON object; the row is not read",
        "row 5 (org/big): its card data and tags are over 1024 KB; the row is not read",
    ]


@pytest.mark.parametrize(
    "text",
    [
        '[{"id": "org/a", "sha": "x"',
        '[{"id": "org/a", "sha": "x"}, {"id": "org/b"},\n',
        '{"id": "org/a", "sha": "x", "tags": []}',
        '[{"id": "org/a", "sha": "x"}] []',
    ],
    ids=["cut", "cut after a comma", "an object", "two arrays"],
)
def test_a_json_file_that_is_not_one_array_of_records_is_not_read_as_one(tmp_path, text):
    (tmp_path / "models.json").write_text(text)
    result = harvest(tmp_path)
    [entry] = result.inventory
    assert not result.records and (entry.format, entry.status) != ("hub-records", "read")
    assert entry.status == "skipped" or "cannot read the table" in entry.reason


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet", ".json"])
def test_a_fact_about_a_row_without_a_field_to_cite_points_at_its_row(tmp_path, suffix):
    rows = [{"id": "org/base", "sha": "a", "tags": [], "cardData": {"license": "mit"}}, {"id": "org/bare", "tags": []}]
    write_tree(tmp_path / "j", {"models.jsonl": jsonl(*rows)})
    root = tmp_path / "j"
    if suffix != ".jsonl":
        root = tmp_path / "t"
        root.mkdir()
        if suffix == ".parquet":
            to_parquet(tmp_path / "j" / "models.jsonl", root / "models.parquet")
        else:
            (root / "models.json").write_text(json.dumps(rows))
    doc = run_audit(root, asset="org/bare")
    [unlicensed] = findings_of(doc, "PRV001")
    [where] = [e for e in unlicensed["evidence"] if "no usable license" in e["fact"]]
    expected = ("license", 2) if suffix == ".jsonl" else ("[1].license", None)
    assert (where["file"], where["pointer"], where["line"]) == (f"models{suffix}", *expected)
    harvested = harvest(root)
    snapshot = tmp_path / "s.json"
    snapshot.write_text(snapshot_file.dump(harvested, None, {}))
    assert [r.place for r in snapshot_file.load(snapshot)[0].records] == [r.place for r in harvested.records]


BAD_ROWS = [
    ("not json", "line 2: not a JSON object"),
    ("[1, 2]", "line 3: not a JSON object"),
    ({"sha": "x", "tags": []}, "line 4: it has no id (a string)"),
    ({"id": 42, "tags": []}, "line 5: it has no id (a string)"),
    ({"id": "not a hub id", "tags": []}, "line 6: its id 'not a hub id' is not a Hub id"),
]


def test_bad_rows_are_told_by_their_line_and_the_rest_are_read(tmp_path):
    good = {"id": "org/good", "tags": ["license:mit"], "cardData": {"license": "mit"}}
    shapes = {"id": "org/shapes", "tags": "license:mit", "cardData": ["not", "an", "object"]}
    text = jsonl(good, *[row for row, _ in BAD_ROWS], "", shapes).encode() + b'{"id": "org/\xff"}\n'
    write_tree(tmp_path, {"models.jsonl": text})
    result = harvest(tmp_path)
    assert sorted(r.id for r in result.records) == ["org/good", "org/shapes"]
    bad = {p.message for p in result.problems if p.code == "bad-row" and p.asset is None}
    assert bad == {f"{m}; the row is not read" for _, m in BAD_ROWS} | {"line 9: not UTF-8 text; the row is not read"}
    fields = {(p.message, p.evidence, p.asset) for p in result.problems if p.asset}
    assert fields == {
        (  # card data that is not an object is unreadable front matter: its asset cannot pass
            "line 8: 'cardData' is not a JSON object (its JSON text cut short, or another type); it is not read",
            Evidence("models.jsonl", "cardData", 8),
            "model:org/shapes",
        ),
        (
            "line 8: 'tags' should be a list of strings, not \"license:mit\"; it is not read",
            Evidence("models.jsonl", "tags", 8),
            "model:org/shapes",
        ),
    }
    [entry] = [e for e in result.inventory if e.file == "models.jsonl"]
    assert entry.status == "read"  # read in part: the rows that could be are
    doc = run_audit(tmp_path)
    assert len(findings_of(doc, "INP001")) == 8  # a row that cannot be read fails the gate, and org/shapes
    assert not findings_of(doc, "INP002")
    # a release's audit reads its lineage's rows, and tells every bad row: one that cannot be of the
    # lineage (org/good names no upstream, so every name of it is described) at its row, as a warning
    named = run_audit(tmp_path, asset="org/good")
    assert not findings_of(named, "INP001") and len(findings_of(named, "INP002")) == len(BAD_ROWS) + 1


def test_bad_rows_past_the_first_hundred_are_counted(tmp_path):
    write_tree(tmp_path, {"models.jsonl": jsonl({"id": "org/a", "tags": []}, *["{}"] * 150)})
    messages = [p.message for p in harvest(tmp_path).problems]
    assert len(messages) == 101 and messages[0] == "line 2: it has no id (a string); the row is not read"
    assert messages[-1] == "50 more rows cannot be read (the first 100 are told)"


def test_a_row_over_the_size_limit_is_told_and_not_read(tmp_path):
    big = {"id": "org/big", "tags": [], "cardData": {"license": "x" * (hubrows.MAX_ROW_BYTES + 10)}}
    write_tree(tmp_path, {"models.jsonl": jsonl({"id": "org/a", "tags": []}, big, {"id": "org/b", "tags": []})})
    result = harvest(tmp_path)
    assert sorted(r.id for r in result.records) == ["org/a", "org/b", "org/big"]
    assert [(p.message, p.asset) for p in result.problems] == [
        ("line 2 (org/big): its card data and tags are over 1024 KB; the row is not read", "model:org/big")
    ]


FILES = [{"rfilename": f"data/train/shard-{i:06d}.parquet"} for i in range(50_000)]  # 2.4 MB of JSON


@pytest.mark.parametrize("stored", ["jsonl", "json"])
def test_a_record_megabytes_long_by_a_field_not_read_is_read(tmp_path, stored):
    """A dataset of many files: the API's record lists every one (`siblings`), megabytes no audit
    reads, so only the card data and tags count against MAX_ROW_BYTES."""
    rows = [{"id": "org/a", "tags": []}, {"id": "org/big", "tags": ["license:mit"], "siblings": FILES}]
    text = jsonl(*rows) if stored == "jsonl" else json.dumps(rows)
    write_tree(tmp_path, {f"datasets.{stored}": text})
    result = harvest(tmp_path)
    assert len(text) > 2 * hubrows.MAX_ROW_BYTES and not result.problems
    assert [(r.id, [s.raw for s in r.licenses]) for r in result.records] == [("org/a", []), ("org/big", ["mit"])]


def test_a_line_over_the_line_bound_is_told_and_every_later_line_keeps_its_number(tmp_path, monkeypatch):
    """DuckDB drops a line several times its read buffer without a word (2.4 MB against a 2 MB
    buffer here): such a line is found before, told, and left empty in what DuckDB reads."""
    monkeypatch.setattr(hubrows, "MAX_LINE_BYTES", 1024 * 1024)
    big = {"id": "org/big", "tags": [], "siblings": FILES}
    rows = [{"id": "org/a", "tags": []}, big, "[1]", {"id": "org/b", "tags": []}, big]
    write_tree(tmp_path, {"datasets.jsonl": jsonl(*rows)})
    result = harvest(tmp_path)
    assert sorted((r.id, r.place.line) for r in result.records) == [("org/a", 1), ("org/b", 4)]
    assert [p.message for p in result.problems] == [
        "line 2: over 1 MB; the row is not read",
        "line 3: not a JSON object; the row is not read",
        "line 5: over 1 MB; the row is not read",
    ]


@pytest.mark.parametrize("suffix", ["jsonl", "parquet"])
def test_rows_past_the_limit_are_told_once_and_not_read(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(hubrows, "MAX_ROWS", 3)
    write_tree(tmp_path / "j", {"models.jsonl": jsonl(*[{"id": f"org/m{i}", "tags": []} for i in range(5)])})
    if suffix == "parquet":
        to_parquet(tmp_path / "j" / "models.jsonl", tmp_path / "models.parquet")
        shutil.rmtree(tmp_path / "j")
    result = harvest(tmp_path)
    assert sorted(r.id for r in result.records) == ["org/m0", "org/m1", "org/m2"]
    assert [p.message.split(": ", 1)[1] for p in result.problems] == [
        "past the limit of 3 rows a table; the row is not read"
    ]


# --- compressed tables ----------------------------------------------------------------------------


def test_a_compressed_table_reads_as_its_inflated_text_with_its_lines_and_elements(tmp_path):
    for name in ("models.jsonl", "datasets.jsonl", "api-models.json"):
        shutil.copy(HUB / name, tmp_path / name)
        compressed(tmp_path / name)
    plain, packed = harvest(HUB), harvest(tmp_path)
    tables = ("models.jsonl", "datasets.jsonl", "api-models.json")
    expected = repr([r for r in plain.records if r.source in tables])
    assert repr(packed.records).replace(".gz'", "'") == expected  # ids, kinds, licences, lines, pointers
    assert {(e.file, e.format, e.status) for e in packed.inventory} == {
        (f"{t}.gz", "hub-records", "read") for t in tables
    }


def gzip_of(data: str | bytes, cut: int = 0) -> bytes:
    """`data` gzip-compressed, its last `cut` bytes left out."""
    packed = gzip.compress(data.encode() if isinstance(data, str) else data, mtime=0)
    return packed[: len(packed) - cut]


@pytest.mark.parametrize(
    ("packed", "told"),
    [
        (gzip_of(jsonl({"id": "o/a", "sha": "x"}) * 2000, cut=40), "ends before the end of its stream (cut short?)"),
        (gzip_of(jsonl({"id": "o/a", "sha": "x"}))[:-8] + b"\0" * 8, "gzip data is corrupt"),
        (gzip_of(jsonl({"id": "o/a", "sha": "x"})) + b"not gzip", "gzip data is corrupt"),
        (gzip_of("")[:10] + b"\xff" * 64, "gzip data is corrupt"),
    ],
    ids=["cut short", "bad checksum", "trailing garbage", "corrupt from its start"],
)
def test_a_broken_compressed_table_is_unreadable_and_fails_the_gate(tmp_path, packed, told):
    (tmp_path / "models.jsonl.gz").write_bytes(packed)
    result = harvest(tmp_path)
    [entry] = result.inventory
    assert (entry.format, entry.status) == ("hub-records", "unreadable") and told in entry.reason
    assert not result.records
    assert run_audit(tmp_path)["verdict"] != "pass"


@pytest.mark.parametrize("name", ["models.jsonl", "models.json", "models.jsonl.gz"])
def test_a_table_beginning_with_a_byte_order_mark_is_read(tmp_path, name):
    """As a Windows tool writes UTF-8: the mark is no part of the first row."""
    row = {"id": "o/a", "sha": "s1", "tags": ["license:mit"], "cardData": {"license": "mit"}}
    text = "\ufeff" + (json.dumps([row]) if name == "models.json" else jsonl(row))
    data = gzip_of(text) if name.endswith(".gz") else text.encode()
    (tmp_path / name).write_bytes(data)
    result = harvest(tmp_path)
    [entry] = result.inventory
    assert (entry.format, entry.status, result.problems) == ("hub-records", "read", [])
    [record] = result.records
    assert record.licenses[0].evidence.line == (None if name == "models.json" else 1)


def test_a_file_named_as_compressed_that_is_no_gzip_is_not_read_as_a_table(tmp_path):
    (tmp_path / "models.jsonl.gz").write_text(jsonl({"id": "o/a", "sha": "x"}))
    [entry] = harvest(tmp_path).inventory
    assert entry.status == "skipped"


def test_a_compressed_table_inflating_past_its_bound_is_refused_early(tmp_path, monkeypatch):
    """Worst case: 1 MB of gzip members that each inflate about a thousandfold (1 GB in all), after a
    first row that looks like a table of records. It is refused at MAX_INFLATION times its size,
    well before it is inflated whole, and its temporary file is removed."""
    blank = gzip.compress(b"\n" * (10 * 1024 * 1024), compresslevel=9, mtime=0)
    packed = gzip_of(jsonl({"id": "o/a", "sha": "x", "tags": []})) + blank * (1024 * 1024 // len(blank) + 1)
    assert len(packed) >= 1024 * 1024
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "models.jsonl.gz").write_bytes(packed)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    result = within(30.0, harvest, tmp_path / "in")
    [entry] = result.inventory
    assert entry.status == "unreadable" and f"over {gzipped.MAX_INFLATION} times its size" in entry.reason
    assert not list(temporary.glob("mlaudit-table-*"))  # DuckDB's own folder lives with its connection


def test_a_table_s_unreadable_reason_names_it_by_its_place_in_the_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "models.json.gz").write_bytes(gzip_of(b'[{"id": "org/a", "sha": "x"}] []'))
    [entry] = harvest(tmp_path).inventory
    assert entry.status == "unreadable" and '"sub/models.json.gz"' in entry.reason
    assert str(tmp_path) not in entry.reason and "mlaudit-table-" not in entry.reason


def test_other_tables_are_not_taken_for_hub_records(tmp_path):
    write_tree(tmp_path, {"data/train.jsonl": jsonl({"id": 1, "text": "hello"}, {"id": 2, "text": "bye"})})
    duckdb.connect().execute(
        "COPY (SELECT 1 AS id, 'hello' AS text) TO ? (FORMAT parquet)", [str(tmp_path / "t.parquet")]
    )
    result = harvest(tmp_path)
    assert not result.records and not result.problems
    assert {(e.file, e.status) for e in result.inventory} == {("data/train.jsonl", "skipped"), ("t.parquet", "skipped")}


def test_a_table_duckdb_cannot_read_is_unreadable(tmp_path):
    good = tmp_path / "ok"
    good.mkdir()
    to_parquet(HUB / "datasets.jsonl", good / "models.parquet")
    data = (good / "models.parquet").read_bytes()
    write_tree(tmp_path / "broken", {"models.parquet": data[:8] + b"\x00" * 64 + data[72:]})
    result = harvest(tmp_path / "broken")
    assert [e.status for e in result.inventory] in (["unreadable"], ["skipped"])  # a footer too broken to detect


# --- the rows of a release's lineage ------------------------------------------------------------


def test_a_focus_reads_the_lineage_rows_and_every_bad_row(tmp_path):
    shutil.copytree(HUB, tmp_path / "lake")
    (tmp_path / "lake" / "datasets.parquet").unlink()
    (tmp_path / "lake" / "api-models.json").unlink()
    with (tmp_path / "lake" / "models.jsonl").open("a") as fh:
        fh.write(jsonl("not json", {"id": "org/unrelated", "tags": ["license:mit"]}))
    result = harvest(tmp_path / "lake", focus=frozenset({"acme/support-chat-7b-GGUF"}))
    assert sorted(r.id for r in result.records) == [
        "acme/support-chat-7b",
        "acme/support-chat-7b-GGUF",
        "acme/support-tickets",
        "meta-llama/Llama-2-7b-hf",
        "tatsu-lab/alpaca",
    ]
    assert [p.message for p in result.problems] == ["line 5: not a JSON object; the row is not read"]
    assert {e.file for e in result.inventory} == {"SOURCE.md", "client-models.jsonl", "datasets.jsonl", "models.jsonl"}


@pytest.mark.parametrize(
    "named",
    [
        "https://huggingface.co/Org/Base",
        "https://hf.co/datasets/org/base/tree/main",
        "extended|org/base",
        "datasets/org/base",
        "base_model:finetune:org/base",
        "pkg:huggingface/org/base",
    ],
)
def test_the_lineage_reaches_every_form_of_a_hub_name(tmp_path, named):
    write_tree(tmp_path, {"models.jsonl": jsonl({"id": "org/base", "tags": []}, {"id": "org/x", "tags": []})})
    assert hubrows.lineage(hubrows.load([tmp_path / "models.jsonl"]), [named]) == {"org/base"}


def test_the_lineage_follows_every_upstream_field_and_tag(tmp_path):
    rows = [
        {"id": "o/r", "tags": ["base_model:adapter:o/a", "dataset:o/b"], "cardData": {"base_model": ["o/c"]}},
        {"id": "o/c", "tags": [], "cardData": {"datasets": "o/d", "source_datasets": ["extended|o/e"]}},
        {"id": "o/d", "cardData": {"model-index": [{"results": [{"dataset": {"type": "o/f"}}]}]}},
        {"id": "o/unrelated", "tags": ["base_model:o/r"]},
    ]
    write_tree(tmp_path, {"models.jsonl": jsonl(*rows)})
    assert hubrows.lineage(hubrows.load([tmp_path / "models.jsonl"]), ["o/r"]) == {
        "o/r",
        "o/a",
        "o/b",
        "o/c",
        "o/d",
        "o/e",
        "o/f",
    }


def test_the_lineage_crosses_tables_of_both_formats(tmp_path):
    models = [
        {"id": "o/r", "tags": ["dataset:o/d"], "cardData": {"base_model": "o/b"}},
        {"id": "o/b", "tags": [], "cardData": {"license": "mit"}},
        {"id": "o/unrelated", "tags": ["dataset:o/e"]},
    ]
    datasets = [
        {"id": "o/d", "tags": [], "cardData": {"source_datasets": ["o/s"]}},
        {"id": "o/s", "tags": []},
        {"id": "o/e", "tags": []},
    ]
    write_tree(tmp_path / "j", {"models.jsonl": jsonl(*models), "datasets.jsonl": jsonl(*datasets)})
    to_parquet(tmp_path / "j" / "datasets.jsonl", tmp_path / "datasets.parquet")
    (tmp_path / "j" / "datasets.jsonl").unlink()
    tables = hubrows.load([tmp_path / "j" / "models.jsonl", tmp_path / "datasets.parquet"])
    assert hubrows.lineage(tables, ["o/r"]) == {"o/r", "o/b", "o/d", "o/s"}


def test_each_table_tells_its_own_refused_lines(tmp_path):
    row = jsonl({"id": "org/a", "tags": []}).encode()
    write_tree(tmp_path, {"models.jsonl": row + b'{"id": "org/\xff"}\n', "datasets.jsonl": row * 2 + b"\xfe\n" + row})
    result = harvest(tmp_path, focus=frozenset({"org/a"}))
    told = sorted((p.evidence.file, p.message) for p in result.problems)
    apart = f"the row is not read, and {hubunread.APART}"  # org/a, all the focus names, is described
    assert told == [
        ("datasets.jsonl", f"line 3: not UTF-8 text; {apart}"),
        ("models.jsonl", f"line 2: not UTF-8 text; {apart}"),
    ]
    assert sorted((r.source, r.id) for r in result.records) == [
        ("datasets.jsonl", "org/a"),
        ("datasets.jsonl", "org/a"),
        ("datasets.jsonl", "org/a"),
        ("models.jsonl", "org/a"),
    ]


def test_a_table_duckdb_cannot_read_leaves_the_others_lineage(tmp_path):
    to_parquet(HUB / "datasets.jsonl", tmp_path / "datasets.parquet")
    data = (tmp_path / "datasets.parquet").read_bytes()
    (tmp_path / "datasets.parquet").write_bytes(data[:8] + b"\x00" * 64 + data[72:])  # its pages past reading
    models = [{"id": "o/r", "tags": [], "cardData": {"base_model": "o/b"}}, {"id": "o/b"}, {"id": "o/x"}]
    write_tree(tmp_path, {"models.jsonl": jsonl(*models)})
    result = harvest(tmp_path, focus=frozenset({"o/r"}))
    assert sorted(r.id for r in result.records) == ["o/b", "o/r"]
    assert {e.file: e.status for e in result.inventory}["datasets.parquet"] == "unreadable"


# --- the lineage query against a plain closure ------------------------------------------------

NAMES = ["o/a", "O/B", "o/c", "d/x", "imdb"]
FORMS = ["{}", "https://huggingface.co/{}", "https://hf.co/datasets/{}/tree/main", "extended|{}", " {} "]


def upstream_names(row: dict) -> list[str]:
    """What the lineage follows from a row (hubrows's docstring), written plainly."""
    names = [t.split(":")[-1] for t in row.get("tags", []) if t.startswith(("base_model:", "dataset:"))]
    for field in hubrows.UPSTREAM_FIELDS:
        value = (row.get("cardData") or {}).get(field)
        names += [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return names


def hub_id(name: str) -> str:
    name = name.strip(" ").lower()
    plain = ":" not in name and "|" not in name and not name.startswith(("datasets/", "models/"))
    found = re.match(hubrows.UPSTREAM, name)
    return name if plain else found.group(1) if found else ""


def row_key(row: dict) -> str:
    """A row's Hub id, lowercase: an id written as the repository's path (`datasets/o/a`) names o/a."""
    prefix, _, rest = row["id"].partition("/")
    return (rest if prefix in ("datasets", "models") and "/" in rest else row["id"]).lower()


def closure(rows: list[dict], seeds: list[str]) -> set[str]:
    by_id: dict[str, list[dict]] = {}
    for row in rows:
        by_id.setdefault(row_key(row), []).append(row)
    reached, todo = set(), [hub_id(s) for s in seeds]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo += [hub_id(n) for row in by_id.get(name, []) for n in upstream_names(row)]
    return reached


@st.composite
def hub_rows(draw) -> list[dict]:
    """Rows naming one another (in any case and form) in tags and card data, as strings or lists."""
    named = st.builds(lambda n, f: f.format(n), st.sampled_from(NAMES), st.sampled_from(FORMS))
    rows = []
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=8)):
        prefix = st.sampled_from(["base_model:", "base_model:adapter:", "dataset:", "license:"])
        tags = draw(st.lists(st.builds(str.__add__, prefix, st.sampled_from(NAMES)), max_size=3))
        fields = st.sampled_from(hubrows.UPSTREAM_FIELDS)
        card = draw(st.dictionaries(fields, st.one_of(named, st.lists(named, max_size=3)), max_size=2))
        written = [name, name.upper(), f"datasets/{name}", f"models/{name}"]
        rows.append({"id": draw(st.sampled_from(written)), "tags": tags, "cardData": card})
    return rows


def table_of(rows: list[dict], folder: Path, stored: str) -> Path:
    """The rows as a models table in `folder`: JSON Lines, Parquet or a JSON array (hubrows.form),
    the JSON forms gzip-compressed when `stored` ends with .gz."""
    table = folder / "models.jsonl"
    table.write_text(jsonl(*rows), encoding="utf-8")
    if stored == "parquet":
        to_parquet(table, folder / "models.parquet")
        return folder / "models.parquet"
    if stored.startswith("array"):
        table.unlink()
        table = folder / "models.json"
        table.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return compressed(table) if stored.endswith(".gz") else table


def compressed(table: Path) -> Path:
    """The table gzip-compressed in its place, as `gzip` leaves it (`models.jsonl.gz`)."""
    target = table.with_name(table.name + ".gz")
    target.write_bytes(gzip.compress(table.read_bytes(), mtime=0))
    table.unlink()
    return target


STORED = st.sampled_from(["lines", "parquet", "array", "lines.gz", "array.gz"])


@settings(max_examples=30, deadline=None, database=None)
@given(hub_rows(), st.lists(st.sampled_from(NAMES), min_size=1, max_size=2), STORED)
def test_the_lineage_query_gives_the_plain_closure(rows, seeds, stored):
    with tempfile.TemporaryDirectory() as tmp:
        tables = hubrows.load([table_of(rows, Path(tmp), stored)])
        assert hubrows.lineage(tables, seeds) == closure(rows, seeds)


def descending(rows: list[dict], seeds: list[str], edges: list[tuple[str, str]]) -> set[str]:
    """What the descendants query follows: a row's lowercase id under each Hub id it names upstream."""
    links = [(row_key(row), hub_id(n)) for row in rows for n in upstream_names(row)]
    links += [(hub_id(c), hub_id(p)) for c, p in edges]
    reached = {hub_id(s) for s in seeds}
    while grown := {c for c, p in links if p in reached} - reached:
        reached |= grown
    return reached


@settings(max_examples=30, deadline=None, database=None)
@given(
    hub_rows(),
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=2),
    st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)), max_size=3),
    STORED,
)
def test_the_descendants_query_gives_the_plain_converse_closure(rows, seeds, edges, stored):
    with tempfile.TemporaryDirectory() as tmp:
        tables = hubrows.load([table_of(rows, Path(tmp), stored)])
        assert hubrows.descendants(tables, seeds, edges) == descending(rows, seeds, edges)


def test_descendants_cross_tables_and_the_other_manifests_edges(tmp_path):
    write_tree(
        tmp_path,
        {
            "models.jsonl": jsonl(
                {"id": "o/base"},
                {"id": "o/tune", "tags": ["base_model:finetune:o/base"]},
                {"id": "o/quant", "cardData": {"base_model": "https://huggingface.co/o/card-model"}},
                {"id": "o/other", "tags": ["base_model:o/elsewhere"]},
            ),
            "datasets.jsonl": jsonl({"id": "d/set", "cardData": {"source_datasets": ["O/Tune"]}}),
        },
    )
    tables = hubrows.load([tmp_path / "models.jsonl", tmp_path / "datasets.jsonl"])
    assert hubrows.descendants(tables, ["o/base"]) == {"o/base", "o/tune", "d/set"}
    card_edge = [("o/card-model", "o/tune")]  # a card outside the tables fine-tunes o/tune
    assert hubrows.descendants(tables, ["o/base"], card_edge) == {
        "o/base",
        "o/tune",
        "d/set",
        "o/card-model",
        "o/quant",
    }
