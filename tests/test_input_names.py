"""Cards read as the Hub reads them, and names that are not asset ids: prose, local paths and URLs."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, RB, write_tree

from auditor import license_reading
from auditor.graph import build
from auditor.harvest import harvest
from auditor.harvest.spdx2load import plain
from auditor.identity import plain_id
from auditor.model import Evidence, LicenseStatement


def one_card(tmp_path, text: str, where: str = "org/m/README.md"):
    result = harvest(write_tree(tmp_path / "r", {where: text.encode()}))
    return result.records[0], result.problems


@pytest.mark.parametrize("lead", ["\n", "\n\n\n", "  \n\t\n"])
def test_front_matter_after_blank_lines_is_read_as_the_hub_reads_it(tmp_path, lead):
    record, problems = one_card(tmp_path, lead + "---\nlicense: mit\nbase_model: a/b\n---\n# T\n## Uses\nChat.\n")
    assert [s.raw for s in record.licenses] == ["mit"] and problems == []
    assert record.licenses[0].evidence.line == lead.count("\n") + 2
    assert [r.target for r in record.references] == ["a/b"]
    assert record.sections[1].evidence.line == lead.count("\n") + 6


def test_text_before_the_front_matter_means_there_is_none(tmp_path):
    record, problems = one_card(tmp_path, "# Title\n---\nlicense: mit\n---\n")
    assert record.licenses == [] and problems == [] and not record.has_metadata


@pytest.mark.parametrize(
    "value",
    [
        "array of dataset identifiers",
        "C:\\Users\\me\\data",
        "/home/me/data",
        "https://github.com/org/data",
        "./data",
        "org/name/extra",
    ],
)
@pytest.mark.parametrize("field", ["datasets", "base_model", "source_datasets"])
def test_prose_paths_and_foreign_urls_are_input_problems_not_upstreams(tmp_path, field, value):
    record, problems = one_card(tmp_path, f"---\nlicense: mit\n{field}:\n- '{value}'\n---\n")
    assert record.references == []
    assert [(p.code, p.evidence.pointer, p.evidence.line) for p in problems] == [("bad-field", f"{field}[0]", 4)]
    assert "is not a Hub id" in problems[0].message


def test_an_evaluation_dataset_that_is_not_a_hub_id_is_an_input_problem(tmp_path):
    card = (
        "---\nmodel-index:\n- name: m\n  results:\n  - dataset:\n      type: /home/me/eval\n"
        "  - dataset:\n      type: squad\n---\n"
    )
    record, problems = one_card(tmp_path, card)
    assert [(r.target, r.relation) for r in record.references] == [("squad", "evaluated_on")]
    assert [p.evidence.pointer for p in problems] == ["model-index[0].results[0].dataset.type"]


@pytest.mark.parametrize(
    "field, url, target",
    [
        ("base_model", "https://huggingface.co/meta-llama/Llama-2-7b-hf/tree/main", "meta-llama/Llama-2-7b-hf"),
        ("datasets", "https://huggingface.co/datasets/org/data", "org/data"),
        ("datasets", "https://hf.co/datasets/squad", "squad"),
    ],
)
def test_a_hub_url_names_its_repository(tmp_path, field, url, target):
    record, problems = one_card(tmp_path, f"---\n{field}: {url}\n---\n")
    assert [r.target for r in record.references] == [target] and problems == []


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://archive.ics.uci.edu/ml/datasets/Iris", "archive.ics.uci.edu/ml/datasets/Iris"),
        ("https://huggingface.co/datasets/org/x", "org/x"),
        ("org/x", "org/x"),
        ("not a url: really", "not a url: really"),
    ],
)
def test_plain_id(value, expected):
    assert plain_id(value) == expected


def test_an_upstream_named_by_a_url_is_not_given_the_url_as_its_id(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    (root / "iris.xml").write_bytes((FIXTURES / "formats/openml/upstream/openml-61-iris.description.xml").read_bytes())
    graph = build(harvest(root))
    assert all("://" not in asset.id for asset in graph.assets.values())
    assert "archive.ics.uci.edu/ml/datasets/Iris" in {a.id for a in graph.assets.values()}


def test_a_mof_name_pasted_from_the_hub_page_title_names_the_model(tmp_path):
    text = (
        "framework:\n  name: Model Openness Framework\nrelease:\n  name: 01-ai/Yi-1.5-34B-Chat · Hugging Face\n"
        "  components: []\n"
    )
    result = harvest(write_tree(tmp_path / "r", {"yi.yml": text}))
    assert [r.id for r in result.records] == ["01-ai/Yi-1.5-34B-Chat"]
    assert ("bad-field", "release.name") in [(p.code, p.evidence.pointer) for p in result.problems]


def test_a_merged_assets_license_does_not_repeat():
    ev = Evidence("a.json", "license")
    reading = license_reading.read_declared(
        [LicenseStatement("CC-BY-4.0", ev)] * 3 + [LicenseStatement("cc-by-4.0", ev)], RB.kb
    )
    assert reading.expression == "CC-BY-4.0"


@pytest.mark.parametrize(
    "message, expected",
    [
        (
            "license_info_from_files must be None if files_analyzed is False, but is: [LicenseSymbol('Apache-2.0', "
            "aliases=('LicenseRef-Apache',), is_exception=False)]",
            "the package says its files were not analyzed (FilesAnalyzed: false), so it must not give license info from "
            "files; it gives Apache-2.0",
        ),
        (
            "package must contain no elements if files_analyzed is False, but found [Relationship(spdx_element_id="
            "'SPDXRef-4', relationship_type=<RelationshipType.CONTAINED_BY: 5>, related_spdx_element_id='SPDXRef-5', "
            "comment=None)]",
            "the package says its files were not analyzed (FilesAnalyzed: false), yet the document puts files in it: "
            "SPDXRef-4 CONTAINED_BY SPDXRef-5",
        ),
        (
            "RelationshipType.REQUIREMENT_DESCRIPTION_FOR is not supported in SPDX-2.2",
            "REQUIREMENT_DESCRIPTION_FOR is not part of SPDX 2.2 (declare SPDX-2.3 or leave it out)",
        ),
        (
            "value of ChecksumAlgorithm.SHA256 must consist of 64 lowercase hexadecimal digits, but is: 12",
            "value of SHA256 must consist of 64 lowercase hexadecimal digits, but is: 12",
        ),
        (
            'Error while parsing Relationship: ["Relationship couldn\'t be split"]',
            "Error while parsing Relationship: Relationship couldn't be split",
        ),
        (
            "x is: [LicenseWithExceptionSymbol(license_symbol=LicenseSymbol('GPL-2.0-only', aliases=('GPL-2.0',), "
            "is_exception=False), exception_symbol=LicenseSymbol('Classpath-exception-2.0', is_exception=True))]",
            "x is: GPL-2.0-only WITH Classpath-exception-2.0",
        ),
    ],
)
def test_spdx_messages_speak_the_users_language(message, expected):
    assert plain(message) == expected


def test_spdx_fixture_messages_carry_no_python_repr():
    problems = harvest(FIXTURES / "formats" / "spdx2").problems
    assert problems and not [
        p.message
        for p in problems
        if re.search(r"<\w+\.\w+: |Symbol\(|\w+\(\w+=|\bNone\b|\b[a-z]+_[a-z_]+\b", p.message)
    ]
