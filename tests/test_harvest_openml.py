"""Harvesting OpenML dataset descriptions (XML and JSON): identity, licence as written, the data
file's MD5, original data as lineage, bad fields, hostile XML, and the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, write_tree

from auditor.harvest import Context, harvest, openml
from auditor.harvest.layout import place
from auditor.naming import asset_key

HERE = FIXTURES / "formats" / "openml"
IRIS = HERE / "upstream" / "openml-61-iris.description.xml"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "manifests"
XPATH = "/oml:data_set_description/oml:"


def read(path: Path, rel: str | None = None):
    rel = rel or path.name
    return openml.read(path, Context(rel, place(rel.rpartition("/")[0], "release")))


def statements(record) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for s in record.statements:
        found.setdefault(s.field, []).append(s.value)
    return found


# --- detection ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, expected",
    [
        (IRIS, True),
        (HERE / "credit-g.json", True),
        (HERE / "bad-fields.xml", True),
        (FIXTURES / "formats" / "croissant" / "synthetic-instructions.json", False),
        (FIXTURES / "formats" / "schemaorg" / "dataset-page.jsonld", False),
    ],
)
def test_detect(path, expected):
    assert openml.detect(path, path.read_bytes()[:4096]) is expected


def test_xml_outside_the_openml_namespace_is_not_claimed(tmp_path):
    path = tmp_path / "description.xml"
    path.write_text("<data_set_description><name>x</name></data_set_description>")
    assert not openml.detect(path, path.read_bytes())


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("folder", ("croissant", "spdx2", "spdx3", "cyclonedx", "hf-model-cards"))
def test_corpus_files_of_other_formats_are_not_claimed(folder):
    for path in sorted((CORPUS / folder).glob("*")) if (CORPUS / folder).is_dir() else []:
        assert not openml.detect(path, path.read_bytes()[:4096]), path.name


# --- XML ----------------------------------------------------------------------------------------------


def test_iris_xml():
    (record,), problems = read(IRIS)
    assert (record.id, record.kind, record.format, record.version) == ("iris", "dataset", "openml", "1")
    assert [(s.raw, s.evidence.pointer, s.evidence.line) for s in record.licenses] == [
        ("Public", XPATH + "licence", 27)
    ]
    assert [(i.scheme, i.value) for i in record.identifiers] == [("url", "https://www.openml.org/d/61")]
    assert [(c.algorithm, c.value, c.file) for c in record.checksums] == [
        ("md5", "ad484452702105cbf3d30f8deaba39a9", "https://api.openml.org/data/v1/download/61/iris.arff")
    ]
    assert [(r.target, r.kind, r.relation, r.scheme) for r in record.references] == [
        ("https://archive.ics.uci.edu/ml/datasets/Iris", "dataset", "derived_from", "url")
    ]
    found = statements(record)
    assert found["creator"] == ["R.A. Fisher"] and found["collection_date"] == ["1936"]
    assert found["citation"] == ["https://archive.ics.uci.edu/ml/citation_policy.html"]
    assert found["paper_url"] == ["http://digital.library.adelaide.edu.au/dspace/handle/2440/15227"]
    assert {"description", "url", "original_data_url", "default_target_attribute", "upload_date"} <= set(found)
    assert all(len(s.value) <= 200 for s in record.statements)
    assert problems == []


def test_bad_fields_are_reported_and_reading_goes_on():
    (record,), problems = read(HERE / "bad-fields.xml", "datasets/acme/anneal-copy/description.xml")
    assert record.id == "acme/anneal-copy"  # no name: the folder layout names it
    assert [(s.raw, s.evidence.pointer) for s in record.licenses] == [
        ("CC BY 4.0", XPATH + "licence[2]"),
        ("Public", XPATH + "licence[3]"),
    ]
    assert record.identifiers == [] and record.checksums == []
    assert [(p.code, p.message) for p in problems] == [
        ("bad-field", "'oml:creator' should hold text, found child elements"),
        ("invalid", "'id' should be a positive integer, found 'abc'"),
        ("invalid", "the description has no 'name'; the dataset is identified as 'acme/anneal-copy'"),
        ("bad-field", "'md5_checksum' should be 32 hex digits, found 'not-a-checksum'"),
    ]
    assert {p.asset for p in problems} == {asset_key("dataset", "acme/anneal-copy")}


def test_entity_expansion_is_refused():
    records, (problem,) = read(HERE / "xxe.xml")
    assert records == [] and problem.code == "refused" and "DOCTYPE" in problem.message


@pytest.mark.parametrize(
    "content, code, phrase",
    [
        (
            '<oml:data_set_descriptions xmlns:oml="http://openml.org/openml"/>',
            "malformed",
            "root element is <data_set_descriptions>",
        ),
        (
            '<oml:data_set_description xmlns:oml="http://openml.org/openml"><oml:name>x</oml:name>',
            "malformed",
            "invalid XML",
        ),
    ],
)
def test_unreadable_xml(tmp_path, content, code, phrase):
    path = tmp_path / "description.xml"
    path.write_text(content)
    records, (problem,) = read(path)
    assert records == [] and problem.code == code and phrase in problem.message


def test_wrong_namespace_is_invalid_but_read(tmp_path):
    path = tmp_path / "description.xml"
    path.write_text("<data_set_description><name>x</name><licence>Public</licence></data_set_description>")
    (record,), (problem,) = read(path)
    assert record.id == "x" and [s.raw for s in record.licenses] == ["Public"]
    assert problem.code == "invalid" and "not in the OpenML namespace" in problem.message


# --- JSON ---------------------------------------------------------------------------------------------


def test_credit_g_json():
    (record,), problems = read(HERE / "credit-g.json")
    assert (record.id, record.version) == ("credit-g", "1")
    assert [(s.raw, s.evidence.pointer, s.evidence.line) for s in record.licenses] == [
        ("Public", "/data_set_description/licence", 12)
    ]
    assert [(i.scheme, i.value) for i in record.identifiers] == [("url", "https://www.openml.org/d/31")]
    assert [(c.value, c.evidence.line) for c in record.checksums] == [("9a475053fed0c26ee95cd4525e50074c", 20)]
    assert [(r.target, r.kind, r.scheme) for r in record.references] == [
        ("https://archive.ics.uci.edu/ml/datasets/statlog+(german+credit+data)", "dataset", "url"),
        ("acme/credit-g-mirror", "dataset", "hub"),
    ]
    found = statements(record)
    assert found["creator"] == ["Hans Hofmann"] and found["contributor"] == ["Example Contributor"]
    assert "citation" not in found  # empty
    assert problems == []


def test_json_without_a_description_object(tmp_path):
    records, (problem,) = read(HERE / "wrong-shape.json")
    assert records == [] and problem.code == "malformed" and "found list" in problem.message


def test_json_field_of_the_wrong_shape(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('{"data_set_description": {"name": "x", "licence": {"name": "Public"}, "creator": ["a", null]}}')
    (record,), (problem,) = read(path)
    assert record.licenses == [] and statements(record)["creator"] == ["a"]
    assert (problem.code, problem.message) == (
        "bad-field",
        "'data_set_description/licence' should be text, found object",
    )


# --- in a release folder, and the shared corpus ---------------------------------------------------------


def test_harvest_reads_openml_descriptions(tmp_path):
    root = write_tree(
        tmp_path / "r",
        {
            "openml/61/description.xml": IRIS.read_bytes(),
            "openml/31/description.json": (HERE / "credit-g.json").read_bytes(),
        },
    )
    result = harvest(root)
    assert [(e.file, e.format, e.status) for e in result.inventory] == [
        ("openml/31/description.json", "openml", "read"),
        ("openml/61/description.xml", "openml", "read"),
    ]
    assert sorted(r.id for r in result.records) == ["credit-g", "iris"]


def test_every_fixture_is_routed_to_this_reader():
    inventory = harvest(HERE).inventory
    assert {e.format for e in inventory if e.file.endswith((".json", ".xml"))} == {"openml"}


def corpus_files() -> list[Path]:
    folder = CORPUS / "openml"
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


@pytest.mark.skipif(not (CORPUS / "openml").is_dir(), reason=f"shared corpus not found at {CORPUS / 'openml'}")
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_conformance(path):
    if path.name == "SOURCES.md":
        assert not openml.detect(path, path.read_bytes()[:4096])
        return
    assert openml.detect(path, path.read_bytes()[:4096])
    records, problems = read(path, f"corpus/{path.name}")
    assert records or problems
    for record in records:
        assert record.kind == "dataset" and record.format == "openml" and record.id and record.licenses
    for problem in problems:
        assert problem.evidence.file == f"corpus/{path.name}" and problem.message
