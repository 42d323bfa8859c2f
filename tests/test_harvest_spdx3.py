"""Harvesting SPDX 3.0.1 JSON-LD: AI, dataset and software packages, their AI and Dataset profile fields,
licenses from relationships, lineage with direction, compact names and full IRIs, bad and hostile
files, and a conformance pass over the shared corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, RB, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.graph import build
from auditor.harvest import Context, harvest, spdx2, spdx3
from auditor.harvest.layout import place
from auditor.license_reading import read_declared
from auditor.model import Evidence

HERE = FIXTURES / "formats" / "spdx3"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "manifests"
CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
AI_FIELDS = (
    "ai_typeOfModel",
    "ai_domain",
    "ai_energyConsumption",
    "ai_hyperparameter",
    "ai_limitation",
    "ai_safetyRiskAssessment",
    "ai_autonomyType",
    "ai_informationAboutTraining",
    "ai_informationAboutApplication",
    "ai_metric",
    "ai_metricDecisionThreshold",
    "ai_modelDataPreprocessing",
    "ai_modelExplainability",
    "ai_standardCompliance",
    "ai_useSensitivePersonalInformation",
)
DATASET_FIELDS = (
    "dataset_datasetType",
    "dataset_dataCollectionProcess",
    "dataset_intendedUse",
    "dataset_knownBias",
    "dataset_dataPreprocessing",
    "dataset_hasSensitivePersonalInformation",
    "dataset_datasetSize",
    "dataset_anonymizationMethodUsed",
    "dataset_confidentialityLevel",
    "dataset_datasetAvailability",
)


pytestmark = pytest.mark.usefixtures("no_network")


def read(path: Path, rel: str | None = None):
    return spdx3.read(path, Context(rel or path.name, place("", "release")))


def read_graph(tmp_path: Path, graph, name: str = "doc.spdx3.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"@context": CONTEXT, "@graph": graph} if isinstance(graph, list) else graph))
    return read(path)


def by_id(records) -> dict:
    return {r.id: r for r in records}


def refs(record) -> list[tuple]:
    return sorted((r.relation, r.target, r.kind, r.scheme) for r in record.references)


def statements(record) -> dict[str, str]:
    return {s.field: s.value for s in record.statements}


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.fixture(scope="module")
def release():
    records, problems = read(HERE / "ai-release.spdx3.json")
    assert [(p.code, p.asset) for p in problems] == [  # trainedOn NoAssertionElement: data of unknown identity
        ("incomplete-lineage", "model:meta-llama/llama-2-7b-chat-hf")
    ]
    return by_id(records)


# --- detection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, head, expected",
    [
        ("sbom.spdx3.json", b'{\n  "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",\n  "@graph": [', True),
        ("aibom.jsonld", b'{"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld"}', True),
        ("sbom.json", b'{"@graph": [], "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}', True),
        ("sbom.spdx.json", b'{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"}', False),
        ("croissant.json", b'{"@context": {"@vocab": "https://schema.org/"}}', False),
        ("sbom.json", b'{"note": "see https://spdx.org/rdf/3.0.1/terms/ for the model"}', False),
        ("sbom.spdx3.yaml", b'"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"', False),
    ],
)
def test_detect_is_specific(name, head, expected):
    assert spdx3.detect(Path(name), head) is expected


def test_spdx2_does_not_claim_spdx3_documents():
    head = (HERE / "ai-release.spdx3.json").read_bytes()[:4096]
    assert spdx3.detect(HERE / "ai-release.spdx3.json", head) and not spdx2.detect(HERE / "x.json", head)


# --- packages -----------------------------------------------------------------------------------


def test_package_types_give_kinds_and_hub_identity(release):
    assert {i: (r.kind, r.kind_basis) for i, r in release.items()} == {
        "acme/support-chat-7b": ("model", "SPDX 3 element type ai_AIPackage"),
        "meta-llama/Llama-2-7b-chat-hf": ("model", "SPDX 3 element type ai_AIPackage"),
        "acme/support-tickets": ("dataset", "SPDX 3 element type dataset_DatasetPackage"),
        "synthetic-dialogues": ("dataset", "SPDX 3 element type dataset_DatasetPackage"),
        "support-eval": ("dataset", "SPDX 3 element type dataset_DatasetPackage"),
        "chat-logs": ("dataset", "SPDX 3 element type dataset_DatasetPackage"),
        "transformers": ("code", "SPDX 3 element type software_Package"),
        "acme-serving": ("code", "SPDX 3 element type software_Package"),
    }
    chat = release["acme/support-chat-7b"]
    assert (chat.format, chat.version, chat.revision) == ("spdx3", "1.2.0", "3f2a9c1")
    assert sorted((i.scheme, i.value) for i in chat.identifiers) == [
        ("hub", "acme/support-chat-7b"),
        ("purl", "pkg:huggingface/acme/support-chat-7b@3f2a9c1"),
        ("url", "https://huggingface.co/acme/support-chat-7b"),
    ]
    llama = release["meta-llama/Llama-2-7b-chat-hf"]
    assert llama.revision == "08751db2aca9bf2f7f80d2e516117a53d7450235"
    assert ("purl", "externalIdentifier") in {
        (i.scheme, i.evidence.pointer.rsplit("/", 1)[-1]) for i in llama.identifiers
    }


def test_checksums_are_hashes_only_and_lowercase(release):
    (checksum,) = release["acme/support-chat-7b"].checksums  # the PackageVerificationCode is not a checksum
    assert (checksum.algorithm, checksum.value, checksum.file) == (
        "sha256",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        None,
    )
    assert checksum.evidence.pointer == "/@graph/5/verifiedUsing/0"


def test_ai_profile_fields_are_statements(release):
    chat = release["acme/support-chat-7b"]
    found = statements(chat)
    assert set(AI_FIELDS) <= set(found)
    assert found["ai_typeOfModel"] == "transformer; causal language model"
    assert found["ai_hyperparameter"] == "learning_rate=2e-5; epochs=3"
    assert found["ai_energyConsumption"] == (
        "ai_trainingEnergyConsumption: ai_energyQuantity: 412.5, ai_energyUnit: kilowattHour"
    )
    assert (found["suppliedBy"], found["originatedBy"]) == ("ACME Corp", "Jane Doe")  # agents by name
    assert found["releaseTime"] == "2024-05-01T00:00:00Z" and found["software_packageVersion"] == "1.2.0"
    assert not {"name", "spdxId", "type", "creationInfo", "verifiedUsing"} & set(found)
    typed = next(s for s in chat.statements if s.field == "ai_typeOfModel")
    path = HERE / "ai-release.spdx3.json"
    assert typed.evidence == Evidence(
        path.name, "/@graph/5/ai_typeOfModel", line_of(path, '"spdxId": "https://acme.example/spdx3/chat"')
    )


def test_dataset_profile_fields_are_statements(release):
    found = statements(release["acme/support-tickets"])
    assert set(DATASET_FIELDS) <= set(found)
    assert found["dataset_dataPreprocessing"] == "Deduplicated; PII redacted"
    assert found["dataset_datasetSize"] == "120000" and found["dataset_confidentialityLevel"] == "amber"


def test_missing_profile_fields_are_simply_absent(release):
    found = statements(release["meta-llama/Llama-2-7b-chat-hf"])
    assert not {"releaseTime", "software_packageVersion", "ai_typeOfModel"} & set(found)


# --- licenses -----------------------------------------------------------------------------------


def test_licenses_in_every_form(release):
    licenses = {
        i: ([(s.raw, s.name, s.link) for s in r.licenses], [s.raw for s in r.concluded]) for i, r in release.items()
    }
    assert licenses == {
        "acme/support-chat-7b": ([("Apache-2.0 AND LicenseRef-Llama-2", None, None)], ["NOASSERTION"]),
        "meta-llama/Llama-2-7b-chat-hf": (
            [(None, "Llama 2 Community License Agreement", "https://ai.meta.com/llama/license/")],
            [],
        ),
        "acme/support-tickets": ([("CC-BY-NC-4.0", None, None)], ["CC-BY-4.0"]),  # inconsistent on purpose
        "synthetic-dialogues": ([("NONE", None, None)], []),
        "support-eval": ([], []),
        "chat-logs": ([], []),
        "transformers": ([("Apache-2.0", None, None)], []),
        "acme-serving": ([("(MIT OR GPL-2.0-only WITH Classpath-exception-2.0)", None, None)], []),
    }
    declared = release["acme/support-chat-7b"].licenses[0].evidence
    assert declared.pointer == "/@graph/22/to/0"
    assert declared.line == line_of(HERE / "ai-release.spdx3.json", "rel-chat-declared")


# --- lineage ------------------------------------------------------------------------------------


def test_relationships_become_references_in_the_right_direction(release):
    assert refs(release["acme/support-chat-7b"]) == [
        ("depends_on", "transformers", "code", "record"),
        ("evaluated_on", "support-eval", "dataset", "record"),
        ("finetune", "meta-llama/Llama-2-7b-chat-hf", "model", "record"),
        ("trained_on", "acme/support-tickets", "dataset", "record"),
        ("trained_on", "chat-logs", "dataset", "record"),  # lifted from model.safetensors trainedOn logs.jsonl
        ("trained_on", "synthetic-dialogues", "dataset", "record"),
    ]
    assert refs(release["acme-serving"]) == [("contains", "acme/support-chat-7b", "model", "record")]
    assert refs(release["synthetic-dialogues"]) == [
        ("generated_by", "meta-llama/Llama-2-7b-chat-hf", "model", "record")
    ]  # llama generates synthetic
    assert refs(release["meta-llama/Llama-2-7b-chat-hf"]) == [  # ancestorOf from outside; NoAssertionElement
        ("derived_from", "https://huggingface.co/meta-llama/Llama-2-7b-hf", "other", "url")
    ]
    basis = {r.target: r.basis for r in release["acme/support-chat-7b"].references}
    assert basis["transformers"] == "declared (runtime scope)"
    assert basis["chat-logs"].startswith("declared of contained files: https://acme.example/spdx3/weights trainedOn")
    assert (
        next(r for r in release["acme/support-chat-7b"].references if r.relation == "finetune").revision
        == "08751db2aca9bf2f7f80d2e516117a53d7450235"
    )


def test_generates_from_code_is_derived_from(tmp_path):
    records, _ = read_graph(
        tmp_path,
        [
            {"type": "software_Package", "spdxId": "urn:src", "name": "src"},
            {"type": "software_Package", "spdxId": "urn:bin", "name": "bin"},
            {
                "type": "Relationship",
                "spdxId": "urn:r",
                "relationshipType": "generates",
                "from": "urn:src",
                "to": ["urn:bin"],
            },
            {
                "type": "Relationship",
                "spdxId": "urn:r2",
                "relationshipType": "ancestorOf",
                "from": "urn:src",
                "to": "urn:bin",
            },
        ],
    )
    assert refs(by_id(records)["bin"]) == [("derived_from", "src", "code", "record")]


@pytest.mark.parametrize("kind", ["copiedTo", "expandsTo"])
def test_a_copy_is_read_from_the_original_to_the_copy(tmp_path, kind):
    """ "from copiedTo to": each `to` is an exact copy of `from`; an archive expands to its content."""
    records, _ = read_graph(
        tmp_path,
        [
            {"type": "ai_AIPackage", "spdxId": "urn:orig", "name": "orig"},
            {"type": "ai_AIPackage", "spdxId": "urn:mirror", "name": "mirror"},
            {
                "type": "Relationship",
                "spdxId": "urn:r",
                "relationshipType": kind,
                "from": "urn:orig",
                "to": ["urn:mirror"],
            },
        ],
    )
    assert refs(by_id(records)["mirror"]) == [("copy", "orig", "model", "record")]


@pytest.mark.parametrize("kind", ["hasVariant", "variantOf"])
def test_a_variant_is_told_not_followed(tmp_path, kind):
    """A variant names no direction: neither package is the other's upstream, no term crosses."""
    records, problems = read_graph(
        tmp_path,
        [
            {"type": "ai_AIPackage", "spdxId": "urn:a", "name": "a"},
            {"type": "ai_AIPackage", "spdxId": "urn:b", "name": "b"},
            {"type": "Relationship", "spdxId": "urn:r", "relationshipType": kind, "from": "urn:a", "to": ["urn:b"]},
        ],
    )
    assert [refs(r) for r in records] == [[], []]
    assert [(p.code, p.asset, p.evidence.pointer) for p in problems] == [("variant", "model:a", "/@graph/2/to/0")]


@pytest.mark.parametrize(
    ("relationship", "target", "relation"),
    [
        ({"scope": "test"}, "software_Package", "uses_tool"),
        ({"scope": "test"}, "dataset_DatasetPackage", "evaluated_on"),
        ({"scope": "development"}, "dataset_DatasetPackage", "evaluated_on"),
        ({"scope": "design"}, "software_Package", "uses_tool"),
        ({"scope": "build"}, "software_Package", "uses_tool"),
        ({"scope": "build"}, "dataset_DatasetPackage", "depends_on"),
        ({"scope": "runtime"}, "software_Package", "depends_on"),
        ({}, "software_Package", "depends_on"),
        ({"relationshipType": "usesTool"}, "software_Package", "uses_tool"),
        ({"relationshipType": "hasTest"}, "dataset_DatasetPackage", "evaluated_on"),
    ],
)
def test_a_dependency_scoped_to_design_development_test_or_build_is_not_in_the_package(
    tmp_path, relationship, target, relation
):
    """LifecycleScopeType: what the model is only designed, developed, tested or built with."""
    link = {"type": "LifecycleScopedRelationship", "spdxId": "urn:r", "relationshipType": "dependsOn"}
    records, problems = read_graph(
        tmp_path,
        [
            {"type": "ai_AIPackage", "spdxId": "urn:m", "name": "model"},
            {"type": target, "spdxId": "urn:t", "name": "helper"},
            {**link, "from": "urn:m", "to": ["urn:t"], **relationship},
        ],
    )
    assert problems == []
    assert [r.relation for r in by_id(records)["model"].references] == [relation]


def test_duplicate_names_and_shared_download_urls(tmp_path):
    url = "https://dl.example/models.zip"
    records, _ = read_graph(
        tmp_path,
        [
            {"type": "software_Package", "spdxId": "urn:a", "name": "word-model", "software_downloadLocation": url},
            {
                "type": "ai_AIPackage",
                "spdxId": "urn:b",
                "name": "word-model",
                "software_packageVersion": "0.0",
                "software_downloadLocation": url,
            },
            {"type": "software_Package", "spdxId": "urn:c", "name": "lmdb"},
            {"type": "software_Package", "spdxId": "urn:d", "name": "lmdb"},
        ],
    )
    assert sorted(r.id for r in records) == ["lmdb (urn:c)", "lmdb (urn:d)", "word-model", "word-model@0.0"]
    assert all(i.scheme != "url" for r in records for i in r.identifiers)


def test_placeholder_values_state_nothing_and_name_no_version(tmp_path):
    """NOASSERTION asserts nothing, and "TBD" is no version: neither is a statement, nor part of a name."""
    package = {"type": "ai_AIPackage", "name": "word-model", "software_primaryPurpose": "model"}
    records, _ = read_graph(
        tmp_path,
        [
            package
            | {
                "spdxId": f"urn:{n}",
                "software_packageVersion": "TBD",
                "software_downloadLocation": "NOASSERTION",
                "ai_limitation": ["N/A", "[More Information Needed]"],
                "ai_autonomyType": "https://spdx.org/rdf/3.0.1/terms/Core/PresenceType/noAssertion",
                "ai_domain": "handwriting recognition",
                "software_homePage": "https://github.com/acme/word-model",
            }
            for n in "ab"
        ],
    )
    assert sorted(r.id for r in records) == ["word-model (urn:a)", "word-model (urn:b)"]
    assert all(r.version is None for r in records)
    assert set(statements(records[0])) == {"software_primaryPurpose", "ai_domain", "software_homePage"}


def test_every_relationship_of_a_file_is_lifted_to_the_package_holding_it():
    """Not only trainedOn/testedOn: a fine-tune's weights descendantOf a base, a package dependsOn a file
    of another package. Lineage of a file no package holds is told, never dropped."""
    found, problems = read(HERE / "file-lineage.spdx3.json")
    records = by_id(found)
    assert refs(records["acme-model"]) == [("finetune", "nc-base-model", "model", "record")]
    assert refs(records["acme-app"]) == [("depends_on", "nc-base-model", "model", "record")]
    assert records["acme-model"].references[0].basis.startswith("declared of contained files: https://acme.example/w")
    assert {(p.code, p.evidence.pointer, p.asset) for p in problems} == {
        ("unplaced", "/@graph/13/to/0", None),  # model generates a loose file
        ("unread-entry", "/@graph/14/to/0", "code:acme-app"),  # app descendantOf a loose file
    }  # the weights depending on themselves: within one package, nothing


def test_a_custom_licenses_text_is_the_license(tmp_path):
    """SPDX 3.0.1 simplelicensing_licenseText, "the full text of a License": a known license's text is that
    license, as a LICENSE file's is; an unnamed custom license is named by its opening words."""
    graph = [
        {"type": "dataset_DatasetPackage", "spdxId": "urn:mit", "name": "mit-data"},
        {"type": "dataset_DatasetPackage", "spdxId": "urn:nc", "name": "nc-data"},
        {"type": "expandedlicensing_CustomLicense", "spdxId": "urn:LicenseRef-acme", "name": "Acme licence",
         "simplelicensing_licenseText": "MIT License\n\nCopyright (c) 2024 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n"},
        {"type": "expandedlicensing_CustomLicense", "spdxId": "urn:CustomLicense-c635",
         "simplelicensing_licenseText": "This database may be used for non-commercial research purpose only."},
        {"type": "Relationship", "spdxId": "urn:r1", "relationshipType": "hasDeclaredLicense", "from": "urn:mit",
         "to": ["urn:LicenseRef-acme"]},
        {"type": "Relationship", "spdxId": "urn:r2", "relationshipType": "hasDeclaredLicense", "from": "urn:nc",
         "to": ["urn:CustomLicense-c635"]},
    ]  # fmt: skip
    records, problems = read_graph(tmp_path, graph)
    mit, nc = (by_id(records)[name].licenses for name in ("mit-data", "nc-data"))
    assert [(s.raw, s.name) for s in mit] == [("MIT", "Acme licence")]
    assert mit[0].evidence.pointer.startswith("/@graph/2/simplelicensing_licenseText (match ")
    assert [(s.raw, s.name) for s in nc] == [
        (None, "This database may be used for non-commercial research purpose only.")
    ]
    assert problems == []


def test_a_builds_outputs_come_from_its_inputs():
    """SPDX 3.0.1 Build: hasInput "consumes each to Element as an input", hasOutput "generates each to
    Element as an output": the model holding the output weights was trained on the input data."""
    found, problems = read(HERE / "build.spdx3.json")
    model = by_id(found)["acme-model"]
    assert refs(model) == [
        ("trained_on", "nc-data", "dataset", "record"),
        ("uses_tool", "trainer", "code", "record"),  # the program that trained it
    ]
    assert model.references[0].basis.startswith("declared by build https://acme.example/doc#run: hasInput")
    assert problems == []


def test_urls_that_cannot_be_taken_apart_are_neither_identifiers_nor_targets(tmp_path):
    graph = [
        {"type": "ai_AIPackage", "spdxId": "urn:m", "name": "m", "software_downloadLocation": "https://[broken"},
        {
            "type": "Relationship",
            "spdxId": "urn:r",
            "relationshipType": "descendantOf",
            "from": "urn:m",
            "to": ["https://[broken/base", "https://models.example/base"],
        },
    ]
    (record,), problems = read_graph(tmp_path, graph)
    assert record.identifiers == []
    [unread] = problems  # an upstream that cannot be named: unknown, told
    assert unread.code == "unread-entry" and "https://[broken/base" in unread.message
    assert refs(record) == [("derived_from", "https://models.example/base", "other", "url")]
    build(harvest(write_tree(tmp_path / "r", {"m.spdx3.json": json.dumps({"@context": CONTEXT, "@graph": graph})})))


# --- names as IRIs ------------------------------------------------------------------------------


def test_full_iri_names_read_like_compact_ones():
    path = HERE / "iri-names.spdx3.jsonld"
    (record,), problems = read(path)
    assert problems == []
    assert (record.id, record.kind, record.version) == ("tiny-cnn", "model", "0.3.1")
    found = statements(record)
    assert found["software_primaryPurpose"] == "model" and found["ai_safetyRiskAssessment"] == "low"
    assert found["ai_typeOfModel"] == "convolutional neural network" and "@context" not in found
    assert [(c.algorithm, c.value[:8]) for c in record.checksums] == [("sha256", "e3b0c442")]
    assert ("doi", "10.5281/zenodo.1234567") in {(i.scheme, i.value) for i in record.identifiers}
    typed = next(s for s in record.statements if s.field == "ai_typeOfModel")
    assert typed.evidence.pointer == "/https:~1~1spdx.org~1rdf~13.0.1~1terms~1AI~1typeOfModel"


# --- bad and hostile input ----------------------------------------------------------------------


def test_bad_shapes_are_problems_and_reading_goes_on():
    records, problems = read(HERE / "bad-shapes.spdx3.json")
    assert sorted(r.id for r in records) == ["https://broken.example/unnamed", "some-data"]
    assert {p.code for p in problems} == {"bad-field"}
    found = {p.evidence.pointer: p.message for p in problems}
    assert found["/@graph/0"] == "'/@graph/0' should be an element object, found string"
    assert "has no name" in found["/@graph/2/name"]
    assert "hashValue number" in found["/@graph/2/verifiedUsing/0"]
    assert found["/@graph/4/from"] == "relationship 'from' should be an element id, found no value"
    assert found["/@graph/5/to"] == "relationship 'to' should be a list of element ids, found number"
    assert found["/@graph/6/to/0"] == "relationship 'to[0]' should be an element id, found number"
    assert "neither in the document nor an SPDX listed license" in found["/@graph/7/to/0"]
    assert "of type Person is not a license" in found["/@graph/7/to/1"]
    assert "nested more than" in found["/@graph/7/to/2"]
    assert "non-empty string" in found["/@graph/7/to/3"]
    assert found["/@graph/10/spdxId"] == (
        "software_Package element should have an spdxId string, found no value; it is not read"
    )
    assert found["/@graph/11/relationshipType"] == "relationship should give a relationshipType string, found no value"
    assert refs(by_id(records)["https://broken.example/unnamed"]) == [
        ("evaluated_on", "some-data", "dataset", "record")
    ]


@pytest.mark.parametrize(
    "name, code, fragment, line",
    [
        ("truncated.spdx3.json", "malformed", "invalid JSON", 5),
        ("graph-not-a-list.spdx3.json", "malformed", "'@graph' should be a list of elements, found object", None),
    ],
)
def test_unreadable_fixtures(name, code, fragment, line):
    records, problems = read(HERE / name)
    assert records == []
    assert [(p.code, p.evidence.file, p.evidence.line) for p in problems] == [(code, name, line)]
    assert fragment in problems[0].message


@pytest.mark.parametrize(
    "text, code, fragment",
    [
        ('"https://spdx.org/rdf/3.0.1/spdx-context.jsonld"', "malformed", "found string"),
        ('{"@context": "x", "@graph": ' + "[" * 300 + "]" * 300 + "}", "refused", "nested"),
        (b'{"@context": "x", "name": "caf\xe9"}', "malformed", "UTF-8"),
        ('{"@context": "x", "@graph": [NaN]}', "malformed", "NaN"),
    ],
)
def test_hostile_input_is_a_problem_not_a_crash(tmp_path, text, code, fragment):
    path = tmp_path / "x.spdx3.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    records, problems = read(path)
    assert records == [] and problems[0].code == code and fragment in problems[0].message


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["type", "spdxId", "key", "value", "name"]), inner, max_size=3)
    ),
    max_leaves=12,
)
_KEYS = [
    "name",
    "spdxId",
    "software_packageUrl",
    "software_downloadLocation",
    "verifiedUsing",
    "externalIdentifier",
    "suppliedBy",
    "ai_hyperparameter",
    "software_primaryPurpose",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    package=st.dictionaries(st.sampled_from(_KEYS), _json),
    relationship=st.dictionaries(st.sampled_from(["from", "to", "relationshipType", "scope"]), _json),
    license_element=st.dictionaries(
        st.sampled_from(["type", "spdxId", "expandedlicensing_member", "simplelicensing_licenseExpression"]), _json
    ),
)
def test_arbitrary_shapes_never_crash(tmp_path, package, relationship, license_element):
    graph = [
        {"type": "ai_AIPackage", "spdxId": "urn:m", **package},
        {
            "type": "Relationship",
            "spdxId": "urn:r",
            "relationshipType": "hasDeclaredLicense",
            "from": "urn:m",
            "to": ["urn:l"],
        },
        {"type": "Relationship", **relationship},
        {"spdxId": "urn:l", **license_element},
    ]
    records, problems = read_graph(tmp_path, graph)
    assert records or problems


def test_a_list_at_the_top_is_a_graph(tmp_path):
    path = tmp_path / "list.spdx3.json"
    path.write_text(
        json.dumps([{"@context": CONTEXT, "type": "dataset_DatasetPackage", "spdxId": "urn:d", "name": "d"}])
    )
    (record,), problems = read(path)
    assert (record.id, record.kind, problems) == ("d", "dataset", [])


def test_no_network_even_with_a_remote_context(tmp_path):
    records, problems = read_graph(
        tmp_path,
        {"@context": "https://attacker.example/context.jsonld", "type": "ai_AIPackage", "spdxId": "urn:m", "name": "m"},
    )
    assert [r.id for r in records] == ["m"] and problems == []


# --- in the pipeline ----------------------------------------------------------------------------


def test_harvest_routes_the_document_here_and_resolve_links_the_lineage(tmp_path):
    root = write_tree(tmp_path / "release", {"bom/aibom.spdx3.json": (HERE / "ai-release.spdx3.json").read_bytes()})
    result = harvest(root)
    assert [(e.file, e.format, e.status) for e in result.inventory] == [("bom/aibom.spdx3.json", "spdx3", "read")]
    edges = {(e.child, e.parent, e.relation) for e in build(result).edges}
    assert ("model:acme/support-chat-7b", "model:meta-llama/llama-2-7b-chat-hf", "finetune") in edges
    assert ("model:acme/support-chat-7b", "dataset:acme/support-tickets", "trained_on") in edges
    assert ("model:meta-llama/llama-2-7b-chat-hf", "model:meta-llama/llama-2-7b-hf", "derived_from") in edges


# --- conformance over the shared corpus ----------------------------------------------------------


def corpus_files(folder: str) -> list[Path]:
    path = CORPUS / folder
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix != ".md") if path.is_dir() else []


@pytest.mark.skipif(not (CORPUS / "spdx3").is_dir(), reason=f"shared corpus not found at {CORPUS / 'spdx3'}")
@pytest.mark.parametrize("path", corpus_files("spdx3"), ids=lambda p: p.name)
def test_corpus_conformance(path):
    assert spdx3.detect(path, path.read_bytes()[:4096])
    records, problems = read(path, f"corpus/{path.name}")
    assert records, problems
    for record in records:
        assert record.format == "spdx3" and record.id and record.kind in ("model", "dataset", "code")
    for problem in problems:
        assert problem.evidence.file == f"corpus/{path.name}" and problem.message


@pytest.mark.skipif(not (CORPUS / "spdx3").is_dir(), reason=f"shared corpus not found at {CORPUS / 'spdx3'}")
def test_corpus_ai_bom_without_the_fields_the_ai_profile_requires():
    records, problems = read(CORPUS / "spdx3" / "ai-example02-sbom.spdx3.json")
    model = next(r for r in records if r.kind == "model")
    assert [p.code for p in problems] == ["unplaced"] * 3  # preprocess.py generates each data file: a script's output
    assert not {"releaseTime", "suppliedBy", "software_packageVersion"} & set(statements(model))
    assert [s.raw for s in model.licenses] == ["CC0-1.0"]
    assert {(r.relation, r.target) for r in model.references} == {  # said of model.bin and the data files
        ("trained_on", "Data after preprocessing"),
        ("evaluated_on", "Data after preprocessing"),
    }


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("folder", ["spdx2", "cyclonedx", "croissant", "openml", "hf-model-cards"])
def test_corpus_files_of_other_formats_are_not_claimed(folder):
    for path in corpus_files(folder):
        assert not spdx3.detect(path, path.read_bytes()[:4096]), path.name


@pytest.mark.parametrize(
    ("relationship", "told"),
    [
        ({"to": []}, [("unread-entry", "/@graph/1/to")]),
        ({"to": ["urn:d"], "completeness": "incomplete"}, [("incomplete-lineage", "/@graph/1/completeness")]),
        (
            {"to": [], "completeness": "noAssertion"},
            [("unread-entry", "/@graph/1/to"), ("incomplete-lineage", "/@graph/1/completeness")],
        ),
        ({"to": ["NoAssertionElement"]}, [("incomplete-lineage", "/@graph/1/to/0")]),
        ({"to": ["urn:d"], "completeness": "complete"}, []),
    ],
)
def test_a_lineage_said_to_be_partial_is_told_never_taken_as_all(tmp_path, relationship, told):
    """SPDX 3.0.1 RelationshipCompleteness incomplete: "known not to be exhaustive"; NoAssertionElement:
    "a set of Elements of unknown identity or cardinality"; `to` names one element or more."""
    _, problems = read_graph(
        tmp_path,
        [
            {"type": "ai_AIPackage", "spdxId": "urn:m", "name": "m"},
            {"type": "Relationship", "spdxId": "urn:r", "relationshipType": "trainedOn", "from": "urn:m"}
            | relationship,
            {"type": "dataset_DatasetPackage", "spdxId": "urn:d", "name": "d"},
        ],
    )
    assert [(p.code, p.evidence.pointer) for p in problems] == told
    assert all(p.asset == "model:m" for p in problems)


def test_a_license_ref_mapped_to_a_custom_license_is_read_as_what_that_license_says(tmp_path):
    """customIdToUri "Maps a LicenseRef ... for a Custom License ... to its URI ID" (SPDX 3.0.1): the
    expression's LicenseRef is read by the CustomLicense's name and first seeAlso, beside its known part."""
    records, problems = read_graph(
        tmp_path,
        [
            {"type": "dataset_DatasetPackage", "spdxId": "urn:d", "name": "d"},
            {
                "type": "expandedlicensing_CustomLicense",
                "spdxId": "urn:custom",
                "name": "NC data licence",
                "expandedlicensing_seeAlso": ["https://creativecommons.org/licenses/by-nc/4.0/"],
                "simplelicensing_licenseText": "see URL",
            },
            {
                "type": "simplelicensing_LicenseExpression",
                "spdxId": "urn:e",
                "simplelicensing_licenseExpression": "LicenseRef-ncdata AND MIT",
                "simplelicensing_customIdToUri": [
                    {"type": "DictionaryEntry", "key": "LicenseRef-ncdata", "value": "urn:custom"}
                ],
            },
            {
                "type": "Relationship",
                "spdxId": "urn:r",
                "relationshipType": "hasConcludedLicense",
                "from": "urn:d",
                "to": ["urn:e"],
            },
        ],
    )
    assert problems == []
    (statement,) = records[0].concluded
    reading = read_declared([statement], RB.kb)
    assert reading.expression == "CC-BY-NC-4.0 AND MIT"


@pytest.mark.parametrize(
    ("kind", "relation", "told"),
    [
        ("hasAddedFile", [("contains", "d", "dataset", "record")], []),  # each to Element is a file added to from
        ("modifiedBy", [("contains", "d", "dataset", "record")], []),
        ("patchedBy", [("contains", "d", "dataset", "record")], []),
        ("other", [], ["unread-relationship"]),
        ("hasDocumentation", [], []),
    ],
)
def test_material_put_into_a_package_is_its_part_and_a_type_not_read_is_told(tmp_path, kind, relation, told):
    records, problems = read_graph(
        tmp_path,
        [
            {"type": "ai_AIPackage", "spdxId": "urn:m", "name": "m"},
            {"type": "dataset_DatasetPackage", "spdxId": "urn:d", "name": "d"},
            {"type": "Relationship", "spdxId": "urn:r", "relationshipType": kind, "from": "urn:m", "to": ["urn:d"]},
        ],
    )
    assert refs(by_id(records)["m"]) == relation
    assert [p.code for p in problems] == told


def test_what_a_script_inside_a_model_package_generates_is_not_the_models_output(tmp_path):
    """The SPDX AI example: preprocess.py (executable) in the model's package generates the training
    data; lifting it would make the data the model's output and its training data a cycle."""
    records, problems = read_graph(
        tmp_path,
        [
            {"type": "ai_AIPackage", "spdxId": "urn:m", "name": "m"},
            {
                "type": "software_File",
                "spdxId": "urn:script",
                "name": "preprocess.py",
                "software_primaryPurpose": "executable",
            },
            {"type": "software_File", "spdxId": "urn:weights", "name": "model.bin", "software_primaryPurpose": "model"},
            {"type": "dataset_DatasetPackage", "spdxId": "urn:d", "name": "d"},
            {
                "type": "Relationship",
                "spdxId": "urn:c",
                "relationshipType": "contains",
                "from": "urn:m",
                "to": ["urn:script", "urn:weights"],
            },
            {
                "type": "Relationship",
                "spdxId": "urn:g",
                "relationshipType": "generates",
                "from": "urn:script",
                "to": ["urn:d"],
            },
            {
                "type": "Relationship",
                "spdxId": "urn:t",
                "relationshipType": "trainedOn",
                "from": "urn:weights",
                "to": ["urn:d"],
            },
        ],
    )
    found = by_id(records)
    assert refs(found["d"]) == [] and [r[0] for r in refs(found["m"])] == ["trained_on"]
    assert [(p.code, "preprocess.py" in p.message) for p in problems] == [("unplaced", True)]


def test_a_file_licensed_otherwise_than_its_package_is_a_part_it_contains(tmp_path):
    """A license stated of a file is the license of a part of the package (the licenses of parts all
    apply): a CC-BY-NC-4.0 file in an Apache-2.0 package is contained material, never dropped."""
    records, problems = read_graph(
        tmp_path,
        [
            {"type": "ai_AIPackage", "spdxId": "urn:m", "name": "m"},
            {"type": "software_File", "spdxId": "urn:f", "name": "train.jsonl", "software_primaryPurpose": "data"},
            {"type": "software_File", "spdxId": "urn:g", "name": "README.md"},
            {
                "type": "Relationship",
                "spdxId": "urn:c",
                "relationshipType": "contains",
                "from": "urn:m",
                "to": ["urn:f", "urn:g"],
            },
            {
                "type": "Relationship",
                "spdxId": "urn:l1",
                "relationshipType": "hasDeclaredLicense",
                "from": "urn:m",
                "to": "https://spdx.org/licenses/Apache-2.0",
            },
            {
                "type": "Relationship",
                "spdxId": "urn:l2",
                "relationshipType": "hasConcludedLicense",
                "from": "urn:f",
                "to": "https://spdx.org/licenses/CC-BY-NC-4.0",
            },
            {
                "type": "Relationship",
                "spdxId": "urn:l3",
                "relationshipType": "hasConcludedLicense",
                "from": "urn:g",
                "to": "https://spdx.org/licenses/Apache-2.0",
            },
        ],
    )
    found = by_id(records)
    assert problems == [] and set(found) == {"m", "m/train.jsonl"}  # README.md: the package's own license
    assert refs(found["m"]) == [("contains", "m/train.jsonl", "dataset", "record")]
    assert [s.raw for s in found["m/train.jsonl"].concluded] == ["CC-BY-NC-4.0"]
