"""Harvesting SPDX 2.2/2.3 through spdx-tools: every serialization, licenses as written, identity,
lineage from relationships (with their direction), validation messages, hostile and broken files, and
a conformance pass over the shared corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_audit, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from license_expression import Licensing

from auditor.graph import build
from auditor.harvest import Context, harvest, spdx2, spdx2load
from auditor.harvest.layout import place

HERE = FIXTURES / "formats" / "spdx2"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "manifests"
RDF = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#">'
SERIALIZATIONS = [
    "ml-release.spdx.json",
    "ml-release.spdx",
    "ml-release.spdx.yaml",
    "ml-release.spdx.xml",
    "ml-release.spdx.rdf.xml",
]


pytestmark = pytest.mark.usefixtures("no_network")


# the document fields every SPDX 2.3 JSON document of these tests shares
ACME_DOCUMENT = {
    "spdxVersion": "SPDX-2.3",
    "dataLicense": "CC0-1.0",
    "SPDXID": "SPDXRef-DOCUMENT",
    "name": "acme",
    "documentNamespace": "https://ex.org/spdx/acme-1",
    "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Organization: Acme"]},
}


def read(path: Path, rel: str | None = None):
    return spdx2.read(path, Context(rel or path.name, place("", "release")))


def by_id(records) -> dict:
    return {r.id: r for r in records}


def refs(record) -> list[tuple]:
    return sorted((r.relation, r.target, r.kind, r.scheme) for r in record.references)


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def document(packages: list[dict], relationships: list[dict] | None = None) -> str:
    """A minimal valid SPDX 2.3 JSON document around `packages`."""
    return json.dumps(
        {
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": "t",
            "documentNamespace": "https://example.com/t",
            "documentDescribes": [p["SPDXID"] for p in packages],
            "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: test"]},
            "packages": [{"downloadLocation": "NOASSERTION", "filesAnalyzed": False, **p} for p in packages],
            "relationships": relationships or [],
        }
    )


def relationship(a: str, kind: str, b: str) -> dict:
    return {"spdxElementId": a, "relationshipType": kind, "relatedSpdxElement": b}


def read_text(tmp_path: Path, name: str, text: str | bytes):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return read(path)


# --- detection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, head, expected",
    [
        ("sbom.spdx", b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n", True),
        ("sbom.spdx.json", b'{\n  "spdxVersion": "SPDX-2.3",', True),
        ("sbom.json", b'{"files": [{"SPDXID": "SPDXRef-File-1"}]}', True),
        ("sbom.spdx.yaml", b"spdxVersion: SPDX-2.2\nSPDXID: SPDXRef-DOCUMENT\n", True),
        ("sbom.yml", b"SPDXID: SPDXRef-DOCUMENT\n", True),
        ("sbom.spdx.xml", b"<?xml version='1.0'?>\n<Document>\n  <SPDXID>SPDXRef-DOCUMENT</SPDXID>", True),
        ("sbom.rdf", b'<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#">', True),
        ("sbom.spdx.rdf.xml", b'<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#">', True),
        ("sbom.spdx3.json", b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "spdxId": "x"}', False),
        (
            "bom.json",
            b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": {"licenses": ["SPDX-2.0"]}}',
            False,
        ),
        ("croissant.json", b'{"@context": {"@vocab": "https://schema.org/"}, "name": "d"}', False),
        ("notes.txt", b"SPDXVersion: SPDX-2.3\n", False),
        ("sbom.json", b"SPDXVersion: SPDX-2.3\n", False),
        ("sbom.spdx", b'{"spdxVersion": "SPDX-2.3"}', False),
        ("config.xml", b"<configuration><name>x</name></configuration>", False),
    ],
)
def test_detect_is_specific(name, head, expected):
    assert spdx2.detect(Path(name), head) is expected


def test_detect_and_module_import_leave_spdx_tools_unimported():
    code = (
        "import sys; from pathlib import Path; from auditor.harvest import spdx2; "
        "spdx2.detect(Path('a.spdx.json'), b'{\"spdxVersion\": \"SPDX-2.3\"}'); "
        "print('spdx_tools' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- one document, five serializations -----------------------------------------------------------


def summary(records, *, licenses: bool = True) -> dict:
    return {
        r.id: (
            r.kind,
            r.kind_basis,
            r.version,
            r.revision,
            [s.raw for s in r.licenses] if licenses else None,
            [s.raw for s in r.concluded],
            sorted((i.scheme, i.value) for i in r.identifiers),
            sorted((c.algorithm, c.value, c.file) for c in r.checksums),
            sorted((s.field, s.value) for s in r.statements),
            refs(r),
        )
        for r in records
    }


@pytest.mark.parametrize("name", SERIALIZATIONS[1:])
def test_every_serialization_reads_the_same(name):
    expected, problems = read(HERE / SERIALIZATIONS[0])
    records, other_problems = read(HERE / name)
    told = [(p.code, p.message, p.asset) for p in problems]
    assert told == [(p.code, p.message, p.asset) for p in other_problems]
    assert told == [  # a "known unknown" (SPDX 2.3 §11.1): told, never taken as no dependency
        (
            "incomplete-lineage",
            "SPDXRef-chat DEPENDS_ON NOASSERTION: upstreams of unknown identity",
            "model:acme/support-chat-7b",
        )
    ]
    rdf = name.endswith(".rdf.xml")
    assert summary(records, licenses=not rdf) == summary(expected, licenses=not rdf)
    if rdf:  # RDF/XML has no expression strings: spdx-tools renders the parsed expression
        licensing = Licensing()
        for a, b in zip(sorted(records, key=lambda r: r.id), sorted(expected, key=lambda r: r.id), strict=False):
            assert [licensing.parse(s.raw) for s in a.licenses] == [licensing.parse(s.raw) for s in b.licenses]


@pytest.mark.parametrize(
    "name, text",
    [
        ("ml-release.spdx.json", '"licenseDeclared": "Apache-2.0 AND LicenseRef-Llama-2"'),
        ("ml-release.spdx", "PackageLicenseDeclared: Apache-2.0 AND LicenseRef-Llama-2"),
        ("ml-release.spdx.yaml", "SPDXID: SPDXRef-chat"),
        ("ml-release.spdx.xml", "<SPDXID>SPDXRef-chat</SPDXID>"),
        ("ml-release.spdx.rdf.xml", "#SPDXRef-chat"),
    ],
)
def test_evidence_points_at_the_package_or_the_field(name, text):
    records, _ = read(HERE / name, f"sboms/{name}")
    chat = by_id(records)["acme/support-chat-7b"]
    declared = chat.licenses[0].evidence
    assert (declared.file, declared.pointer) == (f"sboms/{name}", "packages[SPDXRef-chat].licenseDeclared")
    if name != "ml-release.spdx.json":  # JSON: the line of the package's SPDXID, not of the field
        assert declared.line == line_of(HERE / name, text)
    supplier = next(s for s in chat.statements if s.field == "supplier")
    assert supplier.evidence.pointer == "packages[SPDXRef-chat].supplier" and supplier.evidence.line


# --- records ------------------------------------------------------------------------------------


def test_hub_package_becomes_the_hub_asset():
    records, problems = read(HERE / "ml-release.spdx.json")
    assert [p.code for p in problems] == ["incomplete-lineage"]  # DEPENDS_ON NOASSERTION
    chat = by_id(records)["acme/support-chat-7b"]
    assert (chat.kind, chat.kind_basis, chat.format, chat.source) == (
        "model",
        "purl pkg:huggingface",
        "spdx2",
        "ml-release.spdx.json",
    )
    assert (chat.version, chat.revision) == ("1.2.0", "3f2a9c1")
    assert sorted((i.scheme, i.value) for i in chat.identifiers) == [
        ("element", "https://acme.example/spdx/support-chat-7b-1.2.0#SPDXRef-chat"),  # namespace#SPDXID
        ("hub", "acme/support-chat-7b"),
        ("purl", "pkg:huggingface/acme/support-chat-7b@3f2a9c1"),
        ("url", "https://huggingface.co/acme/support-chat-7b/resolve/3f2a9c1/model.safetensors"),
    ]
    assert [(c.algorithm, c.value[:8], c.file) for c in chat.checksums] == [
        ("sha256", "9f86d081", "model.safetensors"),
        ("blake2b-256", "0e5751c0", "model.safetensors"),
    ]
    statements = {s.field: s.value for s in chat.statements}
    assert statements["supplier"] == "Organization: ACME Corp (oss@acme.example)"
    assert statements["originator"] == "Person: Jane Doe"
    assert statements["homepage"] == "https://huggingface.co/acme/support-chat-7b"
    assert statements["primaryPackagePurpose"] == "OTHER"
    assert statements["releaseDate"] == "2024-05-01T00:00:00"
    dataset = by_id(records)["acme/support-tickets"]
    assert (dataset.kind, dataset.kind_basis) == ("dataset", "Hugging Face Hub URL in downloadLocation")


def test_license_states_stay_distinct():
    records = by_id(read(HERE / "ml-release.spdx.json")[0])
    licenses = {i: ([s.raw for s in r.licenses], [s.raw for s in r.concluded]) for i, r in records.items()}
    assert licenses == {
        "acme/support-chat-7b": (["Apache-2.0 AND LicenseRef-Llama-2"], ["NOASSERTION"]),
        "meta-llama/Llama-2-7b-chat-hf": (["LicenseRef-Llama-2"], []),
        "acme/support-tickets": (["CC-BY-NC-4.0"], ["CC-BY-4.0"]),  # declared and concluded disagree
        "synthetic-dialogues": (["NONE"], []),
        "transformers": (["Apache-2.0"], ["Apache-2.0"]),
        "acme-serving": ([], []),  # absent: no statement at all
    }


def test_license_strings_are_kept_as_written_and_text_blocks_are_skipped():
    records = by_id(read(HERE / "lineage.spdx")[0])
    assert [s.raw for s in records["google/vit-base-patch16-224"].licenses] == ["(Apache-2.0)"]
    finetuned = records["vision-example/vit-finetuned"]
    assert [s.raw for s in finetuned.licenses] == ["(MIT OR Apache-2.0)"]
    assert finetuned.licenses[0].evidence.line == line_of(HERE / "lineage.spdx", "(MIT OR Apache-2.0)")
    assert [s.raw for s in records["vision-example/vit-int8"].licenses] == ["NOASSERTION"]


@pytest.mark.parametrize(
    "package, kind, basis",
    [
        ({"primaryPackagePurpose": "LIBRARY"}, "code", "primaryPackagePurpose LIBRARY"),
        ({"primaryPackagePurpose": "OPERATING-SYSTEM"}, "code", "primaryPackagePurpose OPERATING_SYSTEM"),
        (
            {
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": "pkg:npm/left-pad@1.3.0",
                    }
                ]
            },
            "code",
            "purl type npm",
        ),
        (
            {"primaryPackagePurpose": "ARCHIVE"},
            "other",
            "primaryPackagePurpose ARCHIVE, no purl or Hub URL telling what it is",
        ),
        ({}, "other", "no primaryPackagePurpose, no purl or Hub URL telling what it is"),
        (
            {"primaryPackagePurpose": "LIBRARY", "downloadLocation": "https://huggingface.co/datasets/org/data"},
            "dataset",
            "Hugging Face Hub URL in downloadLocation",
        ),
        (
            {
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": "pkg:huggingface/datasets/org/data@abc",
                    }
                ]
            },
            "dataset",
            "purl pkg:huggingface",
        ),
    ],
)
def test_kind(tmp_path, package, kind, basis):
    records, _ = read_text(tmp_path, "k.spdx.json", document([{"SPDXID": "SPDXRef-p", "name": "p", **package}]))
    assert (records[0].kind, records[0].kind_basis) == (kind, basis)


def test_repeated_names_get_distinct_record_ids(tmp_path):
    text = document(
        [
            {"SPDXID": "SPDXRef-a", "name": "lmdb", "versionInfo": "1.0.0"},
            {"SPDXID": "SPDXRef-b", "name": "lmdb", "versionInfo": "3.2.1"},
            {"SPDXID": "SPDXRef-c", "name": "model"},
            {"SPDXID": "SPDXRef-d", "name": "model"},
            {"SPDXID": "SPDXRef-e", "name": "app"},
        ],
        [relationship("SPDXRef-e", "DEPENDS_ON", "SPDXRef-b")],
    )
    records, _ = read_text(tmp_path, "dup.spdx.json", text)
    assert sorted(r.id for r in records) == [
        "app",
        "lmdb@1.0.0",
        "lmdb@3.2.1",
        "model (SPDXRef-c)",
        "model (SPDXRef-d)",
    ]
    assert refs(by_id(records)["app"]) == [("depends_on", "lmdb@3.2.1", "other", "record")]


def test_a_download_url_shared_by_packages_identifies_none_of_them():
    records, _ = read(HERE / "fails-validation.spdx.json")
    assert all(i.scheme != "url" for r in records for i in r.identifiers)
    assert {s.value for r in records for s in r.statements if s.field == "downloadLocation"} == {
        "https://models.acme.example/tiny-classifier-1.0.tar.gz"
    }


# --- lineage ------------------------------------------------------------------------------------


def test_relationships_become_references_in_the_right_direction():
    records = by_id(read(HERE / "ml-release.spdx.json")[0])
    assert refs(records["acme/support-chat-7b"]) == [
        ("depends_on", "acme/support-tickets", "dataset", "record"),  # tickets DATA_FILE_OF chat
        ("depends_on", "https://acme.example/spdx/tokenizers-0.15.2#SPDXRef-tokenizers", "other", "element"),
        ("depends_on", "transformers", "code", "record"),  # transformers RUNTIME_DEPENDENCY_OF chat
        ("finetune", "meta-llama/Llama-2-7b-chat-hf", "model", "record"),  # chat DESCENDANT_OF llama
    ]  # chat CONTAINS a file, chat DEPENDS_ON NOASSERTION: nothing
    assert refs(records["acme-serving"]) == [("contains", "acme/support-chat-7b", "model", "record")]
    assert refs(records["synthetic-dialogues"]) == [
        ("generated_by", "meta-llama/Llama-2-7b-chat-hf", "model", "record")
    ]
    assert refs(records["meta-llama/Llama-2-7b-chat-hf"]) == refs(records["transformers"]) == []
    finetune = next(r for r in records["acme/support-chat-7b"].references if r.relation == "finetune")
    assert finetune.revision == "08751db2aca9bf2f7f80d2e516117a53d7450235"
    assert finetune.evidence.pointer == "relationships[SPDXRef-chat DESCENDANT_OF SPDXRef-llama]"


def test_reverse_relationship_types_and_tag_value_lines():
    path = HERE / "lineage.spdx"
    found, problems = read(path)
    records = by_id(found)
    assert refs(records["vision-example/vit-finetuned"]) == [
        ("finetune", "google/vit-base-patch16-224", "model", "record")
    ]  # base ANCESTOR_OF ft
    assert refs(records["vision-example/vit-int8"]) == []  # VARIANT_OF: told, not followed
    [told] = [p for p in problems if p.code == "variant"]
    assert told.evidence.pointer == "relationships[SPDXRef-int8 VARIANT_OF SPDXRef-ft]"
    assert told.asset == "model:vision-example/vit-int8"
    assert "vision-example/vit-finetuned is named a variant of vision-example/vit-int8" in told.message
    assert refs(records["vit-int8-mirror"]) == [
        ("contains", "onnxruntime", "code", "record"),  # onnxruntime OPTIONAL_COMPONENT_OF mirror
        ("copy", "vision-example/vit-int8", "model", "record"),  # COPY_OF: an exact copy
    ]
    assert refs(records["vision-example/imagenet-subset"]) == [
        ("generated_by", "vision-example/vit-finetuned", "model", "record")
    ]  # ft GENERATES data
    assert records["vision-example/vit-finetuned"].references[0].evidence.line == line_of(
        path, "Relationship: SPDXRef-base ANCESTOR_OF SPDXRef-ft"
    )


def test_what_a_relationship_says_of_a_file_it_says_of_the_package_holding_it():
    """SPDX 2.3 §11: any element may be either end of a relationship; a file after its package (tag-value)
    is part of it, so its lineage is the package's. What cannot be placed on a package is told."""
    path = HERE / "file-lineage.spdx"
    found, problems = read(path)
    records = by_id(found)
    assert refs(records["sentiment-model"]) == [("derived_from", "review-corpus", "other", "record")]  # weights of
    assert refs(records["review-app"]) == [
        ("contains", "sentiment-model", "other", "record"),  # links a file of the model: no CONTAINS of its own
        ("depends_on", "review-corpus", "other", "record"),  # a file of the corpus
    ]
    lifted = records["sentiment-model"].references[0]
    assert lifted.basis == "declared of contained files: SPDXRef-weights GENERATED_FROM SPDXRef-data"
    assert lifted.evidence.line == line_of(path, "SPDXRef-weights GENERATED_FROM")
    told = {(p.code, p.evidence.line, p.asset) for p in problems}
    assert told == {
        ("unplaced", line_of(path, "DocumentRef-other:SPDXRef-tool STATIC_LINK"), None),  # another document's
        ("unplaced", line_of(path, "SPDXRef-loose GENERATED_FROM"), None),  # a file of no package
        ("unread-entry", line_of(path, "SPDXRef-app DESCENDANT_OF SPDXRef-loose"), "other:review-app"),
    }  # the weights depending on themselves: within one package, nothing


def test_a_models_weights_generated_from_non_commercial_data_fail_a_commercial_release(tmp_path):
    files = [
        {
            "SPDXID": "SPDXRef-weights",
            "fileName": "./model.bin",
            "copyrightText": "NOASSERTION",
            "checksums": [{"algorithm": "SHA1", "checksumValue": "d6a770ba38583ed4bb4525bd96e50461655d2758"}],
        }
    ]
    text = json.loads(document(
        [{"SPDXID": "SPDXRef-model", "name": "sentiment-model", "licenseDeclared": "MIT", "filesAnalyzed": True,
          "packageVerificationCode": {"packageVerificationCodeValue": "d6a770ba38583ed4bb4525bd96e50461655d2758"},
          "hasFiles": ["SPDXRef-weights"]},
         {"SPDXID": "SPDXRef-data", "name": "review-corpus", "licenseDeclared": "CC-BY-NC-4.0"}],
        [relationship("SPDXRef-weights", "GENERATED_FROM", "SPDXRef-data")],
    ))  # fmt: skip
    write_tree(tmp_path / "sbom", {"model.spdx.json": json.dumps({**text, "files": files})})
    doc = run_audit(tmp_path / "sbom", asset="sentiment-model", use="commercial")
    assert [(e["child"], e["relation"], e["parent"]) for e in doc["edges"]] == [
        ("sentiment-model", "derived_from", "review-corpus")
    ]
    assert any(f["rule"] == "CMP001" for f in doc["findings"]) and doc["verdict"] == "fail"


def test_descendant_between_non_models_is_derived_from(tmp_path):
    text = document(
        [{"SPDXID": "SPDXRef-a", "name": "fork"}, {"SPDXID": "SPDXRef-b", "name": "upstream"}],
        [
            relationship("SPDXRef-a", "DESCENDANT_OF", "SPDXRef-b"),
            relationship("SPDXRef-a", "GENERATED_FROM", "SPDXRef-b"),
        ],
    )
    records, _ = read_text(tmp_path, "d.spdx.json", text)
    assert refs(by_id(records)["fork"]) == [("derived_from", "upstream", "other", "record")]


@pytest.mark.parametrize("kind", ["COPY_OF", "EXPANDED_FROM_ARCHIVE"])
def test_an_exact_copy_is_a_copy_not_an_adaptation(tmp_path, kind):
    """SPDX 2.3: COPY_OF "SPDXRef-A is an exact copy of SPDXRef-B"; a package expanded from an
    archive is the archive's content unchanged."""
    text = document(
        [{"SPDXID": "SPDXRef-a", "name": "mirror"}, {"SPDXID": "SPDXRef-b", "name": "original"}],
        [relationship("SPDXRef-a", kind, "SPDXRef-b")],
    )
    records, _ = read_text(tmp_path, "c.spdx.json", text)
    assert refs(by_id(records)["mirror"]) == [("copy", "original", "other", "record")]


@pytest.mark.parametrize(
    ("kind", "purpose", "relation"),
    [
        ("TEST_DEPENDENCY_OF", "APPLICATION", "uses_tool"),  # a GPL test runner is in none of the model
        ("TEST_DEPENDENCY_OF", "OTHER", "evaluated_on"),  # test data
        ("DEV_DEPENDENCY_OF", "LIBRARY", "uses_tool"),
        ("DEV_DEPENDENCY_OF", "OTHER", "evaluated_on"),
        ("TEST_OF", "OTHER", "evaluated_on"),
        ("TEST_CASE_OF", "OTHER", "evaluated_on"),
        ("BUILD_DEPENDENCY_OF", "APPLICATION", "uses_tool"),  # a compiler
        ("BUILD_DEPENDENCY_OF", "OTHER", "depends_on"),  # material the build may put in the model
        ("BUILD_TOOL_OF", "OTHER", "uses_tool"),
        ("DEV_TOOL_OF", "APPLICATION", "uses_tool"),
        ("TEST_TOOL_OF", "OTHER", "uses_tool"),
        ("RUNTIME_DEPENDENCY_OF", "LIBRARY", "depends_on"),
        ("DEPENDENCY_OF", "OTHER", "depends_on"),
    ],
)
def test_what_only_builds_or_tests_a_package_is_not_in_it(tmp_path, kind, purpose, relation):
    """SPDX 2.3 test, development and build dependencies, tests and tools: a tool the package was
    built or tested with, or data it was evaluated on, never a runtime dependency."""
    text = document(
        [
            {"SPDXID": "SPDXRef-m", "name": "model"},
            {"SPDXID": "SPDXRef-t", "name": "helper", "primaryPackagePurpose": purpose},
        ],
        [relationship("SPDXRef-t", kind, "SPDXRef-m")],
    )
    records, _ = read_text(tmp_path, "t.spdx.json", text)
    assert [r.relation for r in by_id(records)["model"].references] == [relation]


# --- validation ---------------------------------------------------------------------------------


def test_validation_messages_become_invalid_problems_and_records_stay():
    records, problems = read(HERE / "fails-validation.spdx.json")
    assert sorted(r.id for r in records) == ["tiny-classifier", "tiny-tokenizer"]
    assert {p.code for p in problems} == {"invalid", "unread-entry"}
    unread = [(p.message.split(",")[0], p.asset) for p in problems if p.code == "unread-entry"]  # fail the gate
    assert unread == [
        ("DESCENDANT_OF names 'SPDXRef-missing'", "other:tiny-classifier"),
        ("DESCENDANT_OF names 'DocumentRef-nowhere:SPDXRef-base'", "other:tiny-classifier"),
    ]
    found = {(p.evidence.pointer, p.asset) for p in problems}
    assert ("packages[SPDXRef-model]", "other:tiny-classifier") in found
    assert ("relationships[SPDXRef-model DESCENDANT_OF SPDXRef-missing]", "other:tiny-classifier") in found
    messages = " | ".join(p.message for p in problems)
    assert "LicenseRef-Undefined" in messages and "64 lowercase hexadecimal digits" in messages
    assert '"DocumentRef-nowhere"' in messages and "DESCRIBES" in messages
    assert refs(by_id(records)["tiny-classifier"]) == [("depends_on", "tiny-tokenizer", "other", "record")]


def test_large_documents_are_validated_element_by_element(monkeypatch):
    monkeypatch.setattr(spdx2, "FULL_VALIDATION_COST", 1)
    records, problems = read(HERE / "fails-validation.spdx.json")
    assert len(records) == 2
    assert next(p.code for p in problems if p.code != "unread-entry") == "partly-validated"
    messages = " | ".join(p.message for p in problems if p.code != "unread-entry")
    assert "64 lowercase hexadecimal digits" in messages  # element checks still run
    assert "SPDXRef-missing" not in messages  # spdx-tools' cross-references are not checked (lineage still is)


# --- bad and hostile input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, code, fragment, line",
    [
        ("xxe.spdx.xml", "refused", "DOCTYPE", None),
        ("billion-laughs.spdx.rdf.xml", "refused", "DOCTYPE", None),
        ("alias-bomb.spdx.yaml", "refused", "aliases", 8),
        ("truncated.spdx.json", "malformed", "invalid JSON", 7),
        ("bad-purpose.spdx.json", "malformed", "Invalid PrimaryPackagePurpose: MACHINE_LEARNING_MODEL", None),
    ],
)
def test_unreadable_fixtures(name, code, fragment, line):
    records, problems = read(HERE / name)
    assert records == []
    assert [(p.code, p.evidence.file, p.evidence.line) for p in problems] == [(code, name, line)]
    assert fragment in problems[0].message


def test_broken_tag_value_names_each_problem_once_with_its_line():
    records, problems = read(HERE / "garbage.spdx")
    assert records == [] and {p.code for p in problems} == {"malformed"}
    assert [p.evidence.line for p in problems if "Unknown tag" in p.message] == [4]
    assert any("(MIT AND" in p.message for p in problems)
    assert any(p.evidence.line == 7 and "Relationship" in p.message for p in problems)


@pytest.mark.parametrize(
    "name, text, code, fragment",
    [
        ("rec.spdx.yaml", "spdxVersion: SPDX-2.3\na: &a [1, *a]\n", "refused", "enclosing anchor"),
        ("deep.spdx.yaml", "spdxVersion: SPDX-2.3\nx: " + "[" * 600_000 + "]" * 600_000 + "\n", "refused", "nesting"),
        (
            "deep-block.spdx.yaml",
            "spdxVersion: SPDX-2.3\nx:\n" + "".join(" " * i + "- \n" for i in range(1, 1500)),
            "refused",
            "nesting",
        ),
        ("list.spdx.yaml", "- spdxVersion: SPDX-2.3\n", "malformed", "should be an object, found list"),
        ("bad.spdx.yaml", "spdxVersion: [unclosed\n", "malformed", "invalid YAML"),
        ("list.spdx.json", '["spdxVersion"]', "malformed", "should be an object, found list"),
        ("deep.spdx.json", '{"spdxVersion": ' + "[" * 300 + "]" * 300 + "}", "refused", "nested"),
        (
            "shapes.spdx.json",
            '{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "packages": "x"}',
            "malformed",
            "'packages' should be a list of objects, found string",
        ),
        (
            "shapes2.spdx.json",
            '{"spdxVersion": "SPDX-2.3", "packages": [{"name": 5}, null], "relationships": 3}',
            "malformed",
            "'packages[1]' should be an object, found no value",
        ),
        (
            "shapes3.spdx.json",
            '{"spdxVersion": "SPDX-2.3", "packages": [{"name": 5, "checksums": "x"}]}',
            "malformed",
            "'packages[0].checksums' should be a list of objects, found string",
        ),
        (
            "emptyref.spdx.json",  # spdx-tools made {} a None that crashed the reader or not, by hash seed
            '{"spdxVersion": "SPDX-2.3", "externalDocumentRefs": [{}, {"externalDocumentId": "DocumentRef-a", '
            '"spdxDocument": "https://x.example/a", "checksum": {"algorithm": "SHA1", "checksumValue": "11"}}]}',
            "malformed",
            "'externalDocumentRefs[0]' is an empty object",
        ),
        (
            "emptysum.spdx.json",
            '{"spdxVersion": "SPDX-2.3", "externalDocumentRefs": [{"externalDocumentId": "DocumentRef-a", '
            '"spdxDocument": "https://x.example/a", "checksum": {}}]}',
            "malformed",
            "'externalDocumentRefs[0].checksum' is an empty object",
        ),
        ("root.spdx.xml", "<?xml version='1.0'?><SPDXID>x</SPDXID>", "malformed", "expected <Document>"),
        ("broken.spdx.xml", "<Document><SPDXID>x</Document>", "malformed", "invalid XML"),
        ("empty.spdx.rdf.xml", RDF + "</rdf:RDF>", "malformed", "exactly one spdx:SpdxDocument, found 0"),
        (
            "two.spdx.rdf.xml",
            RDF + '<spdx:SpdxDocument rdf:about="https://x.example/d#A"/>'
            '<spdx:SpdxDocument rdf:about="https://x.example/d#B"/></rdf:RDF>',
            "malformed",
            "found 2",
        ),
        (
            "nohash.rdf",
            RDF + '<spdx:SpdxDocument rdf:about="https://x.example/d"/></rdf:RDF>',
            "malformed",
            "should be the document namespace, '#' and its SPDX id",
        ),
        ("latin1.spdx", "SPDXVersion: SPDX-2.3\nPackageName: caf\xe9\n".encode("latin-1"), "not-utf8", "UTF-8"),
        ("nul.spdx", b"SPDXVersion: SPDX-2.3\n\x00\x00", "binary", "binary"),
    ],
)
def test_bad_input_is_a_problem_not_a_crash(tmp_path, name, text, code, fragment):
    records, problems = read_text(tmp_path, name, text)
    assert records == []
    assert problems and problems[0].code == code and fragment in problems[0].message, problems
    assert all(p.evidence.file == name for p in problems)


def test_yaml_dates_and_decimal_versions_stay_as_written(tmp_path):
    text = (HERE / "ml-release.spdx.yaml").read_text()
    text = text.replace("created: '2024-05-02T10:00:00Z'", "created: 2024-05-02T10:00:00Z")
    text = text.replace("versionInfo: 1.2.0", "versionInfo: 1.20")
    records, problems = read_text(tmp_path, "dates.spdx.yaml", text)
    assert [p.code for p in problems] == ["incomplete-lineage"]  # DEPENDS_ON NOASSERTION
    assert by_id(records)["acme/support-chat-7b"].version == "1.20"


def test_yaml_tags_that_would_build_objects_are_refused(tmp_path):
    text = "spdxVersion: SPDX-2.3\nSPDXID: !!python/object/apply:os.system ['echo hi']\n"
    records, problems = read_text(tmp_path, "tag.spdx.yaml", text)
    assert records == [] and problems[0].code == "malformed" and "python/object" in problems[0].message
    assert problems[0].evidence.line == 2


def test_too_large_files_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(spdx2load, "MAX_BYTES", 100)
    records, problems = read_text(tmp_path, "big.spdx.json", document([{"SPDXID": "SPDXRef-a", "name": "a"}]))
    assert records == [] and problems[0].code == "refused" and "limit" in problems[0].message


def test_urls_that_cannot_be_taken_apart_are_not_identifiers(tmp_path):
    text = document(
        [
            {
                "SPDXID": "SPDXRef-a",
                "name": "a",
                "downloadLocation": "https://[broken/x",
                "homepage": "https://huggingface.co/org/model",
            }
        ]
    )
    (record,), _ = read_text(tmp_path, "u.spdx.json", text)
    assert (record.id, record.kind_basis) == ("org/model", "Hugging Face Hub URL in homepage")
    assert [(i.scheme, i.value, i.evidence.pointer) for i in record.identifiers] == [
        ("hub", "org/model", "packages[SPDXRef-a].homepage"),
        ("element", "https://example.com/t#SPDXRef-a", "packages[SPDXRef-a].SPDXID"),
    ]
    build(harvest(write_tree(tmp_path / "r", {"u.spdx.json": text})))  # nothing downstream trips on it


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    package=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "SPDXID",
                "licenseDeclared",
                "checksums",
                "externalRefs",
                "supplier",
                "versionInfo",
                "primaryPackagePurpose",
            ]
        ),
        _json,
    ),
    relationships=_json,
)
def test_arbitrary_shapes_never_crash(tmp_path, package, relationships):
    text = json.dumps(
        {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "packages": [package], "relationships": relationships}
    )
    records, problems = read_text(tmp_path, "fuzz.spdx.json", text)
    assert records or problems


# --- in the pipeline ----------------------------------------------------------------------------


def test_harvest_routes_every_serialization_here_and_resolve_links_the_lineage(tmp_path):
    root = write_tree(tmp_path / "release", {f"sbom/{n}": (HERE / n).read_bytes() for n in SERIALIZATIONS})
    result = harvest(root)
    assert {(e.file, e.format, e.status) for e in result.inventory} == {
        (f"sbom/{n}", "spdx2", "read") for n in SERIALIZATIONS
    }
    graph = build(result)
    edges = {(e.child, e.parent, e.relation) for e in graph.edges}
    assert ("model:acme/support-chat-7b", "model:meta-llama/llama-2-7b-chat-hf", "finetune") in edges
    assert ("model:acme/support-chat-7b", "dataset:acme/support-tickets", "depends_on") in edges
    assert ("other:synthetic-dialogues", "model:meta-llama/llama-2-7b-chat-hf", "generated_by") in edges
    assert graph.assets["model:acme/support-chat-7b"].sources == sorted(f"sbom/{n}" for n in SERIALIZATIONS)


# --- conformance over the shared corpus ----------------------------------------------------------


def corpus_files(folder: str) -> list[Path]:
    path = CORPUS / folder
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix != ".md") if path.is_dir() else []


@pytest.mark.skipif(not (CORPUS / "spdx2").is_dir(), reason=f"shared corpus not found at {CORPUS / 'spdx2'}")
@pytest.mark.parametrize("path", corpus_files("spdx2"), ids=lambda p: p.name)
def test_corpus_conformance(path):
    assert spdx2.detect(path, path.read_bytes()[:4096])
    records, problems = read(path, f"corpus/{path.name}")
    assert records, problems  # every corpus document describes packages
    for record in records:
        assert record.format == "spdx2" and record.id and record.kind in ("model", "dataset", "code", "other")
    for problem in problems:  # lineage of a file no package holds, of another document's element, of NOASSERTION: told
        assert problem.evidence.file == f"corpus/{path.name}"
        assert problem.code in ("invalid", "unplaced", "incomplete-lineage", "unread-relationship")
        assert problem.message


@pytest.mark.skipif(not (CORPUS / "spdx2").is_dir(), reason=f"shared corpus not found at {CORPUS / 'spdx2'}")
def test_corpus_documents_that_fail_validation_on_purpose():
    failing = {p.name for p in corpus_files("spdx2") if any(q.code == "invalid" for q in read(p)[1])}
    assert failing == {"ACME-v2.3.spdx.json", "example9-appbomination.spdx.json"}


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("folder", ["spdx3", "cyclonedx", "croissant", "openml", "hf-model-cards"])
def test_corpus_files_of_other_formats_are_not_claimed(folder):
    for path in corpus_files(folder):
        assert not spdx2.detect(path, path.read_bytes()[:4096]), path.name


def test_an_sboms_noassertion_gives_no_information_so_a_cards_license_stands_undisputed(tmp_path):
    package = {
        "SPDXID": "SPDXRef-base", "name": "base", "downloadLocation": "NOASSERTION", "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION", "primaryPackagePurpose": "OTHER",
        "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                          "referenceLocator": "pkg:huggingface/acme/base"}],
    }  # fmt: skip
    doc = {
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "b",
        "documentNamespace": "https://acme.example/spdx/b",
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: hand"]},
        "documentDescribes": ["SPDXRef-base"], "packages": [package],
    }  # fmt: skip
    write_tree(tmp_path / "sbom", {"sbom.spdx.json": json.dumps(doc)})
    alone = run_audit(tmp_path / "sbom", asset="acme/base")
    assert {a["id"]: a["license_status"] for a in alone["assets"]}["acme/base"] != "ok"  # nothing else: no licence
    write_tree(tmp_path / "sbom", {"acme/base/README.md": "---\nlicense: mit\n---\n\n# base\n"})
    both = run_audit(tmp_path / "sbom", asset="acme/base")
    assert {a["id"]: a["license"] for a in both["assets"]}["acme/base"] == "MIT"
    assert not [f for f in both["findings"] if f["rule"] in ("PRV003", "PRV001")]


def test_an_element_spdx_tools_cannot_construct_is_told_without_python_names(tmp_path):
    text = (
        "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nDocumentNamespace: https://example.org/d\nDocumentName: d\n"
        "SPDXID: SPDXRef-DOCUMENT\nCreator: Tool: x\nCreated: 2024-01-01T00:00:00Z\n"
        "Annotator: Person: Jane Doe ()\nAnnotationDate: 2024-01-01T00:00:00Z\n"
    )
    write_tree(tmp_path, {"d.spdx": text})
    (problem,) = harvest(tmp_path).problems
    assert "__init__" not in problem.message and "positional" not in problem.message
    assert "an element of type Annotation lacks fields it needs" in problem.message


# --- extracted licensing infos ------------------------------------------------------------------


SURVEY = {
    "licenseId": "LicenseRef-survey",
    "name": "Creative Commons Attribution-NonCommercial 4.0 International",
    "extractedText": "This work is licensed under CC BY-NC 4.0.",
    "seeAlsos": ["https://creativecommons.org/licenses/by-nc/4.0/legalcode"],
}


def _with_extracted(declared: str) -> str:
    doc = json.loads(document([{"SPDXID": "SPDXRef-d", "name": "survey-data", "licenseDeclared": declared}]))
    return json.dumps({**doc, "hasExtractedLicensingInfos": [SURVEY]})


SURVEY_SAID = ("LicenseRef-survey", SURVEY["name"], SURVEY["seeAlsos"][0], True)


@pytest.mark.parametrize(
    "declared, statements",
    [
        ("LicenseRef-survey", [("LicenseRef-survey", SURVEY["name"], SURVEY["seeAlsos"][0], (SURVEY_SAID,))]),
        ("MIT OR LicenseRef-survey", [("MIT OR LicenseRef-survey", None, None, (SURVEY_SAID,))]),
        ("MIT AND LicenseRef-other", [("MIT AND LicenseRef-other", None, None, ())]),
    ],
)
def test_a_license_ref_is_read_with_the_name_and_see_also_the_document_gives_it(tmp_path, declared, statements):
    """SPDX 2.3 clause 10: an extracted license's name and seeAlsos are a card's license_name and
    license_link, for a field that is that LicenseRef; an expression keeps them for each ref in it."""
    (record,), _ = read_text(tmp_path, "t.spdx.json", _with_extracted(declared))
    assert [(s.raw, s.name, s.link, s.described) for s in record.licenses] == statements


@pytest.mark.parametrize(
    "declared, license",
    [
        ("LicenseRef-survey", "CC-BY-NC-4.0"),
        ("MIT AND LicenseRef-survey", "MIT AND CC-BY-NC-4.0"),
        ("(LicenseRef-survey OR Apache-2.0) AND MIT", "(CC-BY-NC-4.0 OR Apache-2.0) AND MIT"),
    ],
)
def test_a_license_ref_the_document_names_as_a_known_license_is_that_license(tmp_path, declared, license):
    """Inside an expression too: the ref's identified license and the expression's known parts are
    both read (AND: all apply; OR: a choice)."""
    write_tree(tmp_path, {"t.spdx.json": _with_extracted(declared)})
    doc = run_audit(tmp_path)
    assert next(a for a in doc["assets"] if a["id"] == "survey-data")["license"] == license


def test_a_license_ref_the_document_does_not_identify_points_at_its_text(tmp_path):
    """A ref whose name and seeAlso name no known license stays unknown; the finding says the
    document gives its text, which a person must read."""
    text = _with_extracted("MIT AND LicenseRef-survey")
    text = text.replace(SURVEY["name"], "Survey Terms").replace(SURVEY["seeAlsos"][0], "https://univ.example/terms")
    write_tree(tmp_path, {"t.spdx.json": text})
    (lic001,) = [f for f in run_audit(tmp_path)["findings"] if f["rule"] == "LIC001"]
    assert "LicenseRef-survey (its text is in the document's hasExtractedLicensingInfos: read it)" in lic001["message"]


TAG_VALUE = (
    "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: d\n"
    "DocumentNamespace: https://x.example/d\nCreator: Tool: x\nCreated: 2024-03-01T12:00:00Z\n"
    "PackageName: rel\nSPDXID: SPDXRef-rel\nPackageDownloadLocation: NOASSERTION\n{extra}"
    "PackageName: up\nSPDXID: SPDXRef-up\nPackageDownloadLocation: NOASSERTION\n"
    "Relationship: SPDXRef-rel DESCENDANT_OF SPDXRef-up\n{last}"
)


@pytest.mark.parametrize(
    "extra, last, line, fragment",
    [
        ("PackageComment: <text>never closed\n", "", 11, "starting on line 11 is never closed"),
        ("PackageComment: <text>a</text>\nPackageSummary: <text>b\n", "", 12, "starting on line 12 is never closed"),
        ("", "::\n", 15, "line 15 has no tag"),
        ("  : x\n", "", 11, "line 11 has no tag"),
    ],
)
def test_tag_value_text_never_closed_or_a_line_without_tag_is_told_with_its_line(tmp_path, extra, last, line, fragment):
    records, problems = read_text(tmp_path, "t.spdx", TAG_VALUE.format(extra=extra, last=last))
    assert records == [] and [(p.code, p.evidence.line) for p in problems] == [("malformed", line)], problems
    assert fragment in problems[0].message and "Error" not in problems[0].message


def test_closed_text_values_spanning_lines_still_read(tmp_path):
    text = TAG_VALUE.format(extra="PackageComment: <text>a\nKey: b\n</text>\n", last="")
    records, problems = read_text(tmp_path, "t.spdx", text)
    assert {r.id for r in records} >= {"rel", "up"} and not [p for p in problems if p.code == "malformed"]


@pytest.mark.parametrize(
    ("kind", "refs_of_model", "told"),
    [
        ("PATCH_APPLIED", [("contains", "nc-data", "other", "record")], []),  # "a patch file that has been applied to"
        ("FILE_ADDED", [("contains", "nc-data", "other", "record")], []),  # "a file that was added to"
        ("PATCH_FOR", [], ["relationship type PATCH_FOR from nc-data to acme-model is not read"]),
        ("OTHER", [], ["relationship type OTHER from nc-data to acme-model is not read"]),
    ],
)
def test_material_put_into_a_package_is_its_part_and_a_type_not_read_is_told(tmp_path, kind, refs_of_model, told):
    package = {"downloadLocation": "NOASSERTION", "filesAnalyzed": False, "copyrightText": "NOASSERTION"}
    document = {
        **ACME_DOCUMENT,
        "packages": [
            {"SPDXID": "SPDXRef-model", "name": "acme-model", "licenseDeclared": "Apache-2.0", **package},
            {"SPDXID": "SPDXRef-data", "name": "nc-data", "licenseDeclared": "CC-BY-NC-4.0", **package},
        ],
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "SPDXRef-model",
            },
            {"spdxElementId": "SPDXRef-data", "relationshipType": kind, "relatedSpdxElement": "SPDXRef-model"},
        ],
    }
    records, problems = read_text(tmp_path, "acme.spdx.json", json.dumps(document))
    assert refs(by_id(records)["acme-model"]) == refs_of_model
    assert [
        p.message.split(" is not read")[0] + " is not read" for p in problems if p.code == "unread-relationship"
    ] == told


def test_a_file_licensed_otherwise_than_its_package_is_a_part_it_contains(tmp_path):
    """A file's licenseConcluded is the license of a part (the licenses of parts all apply); one under
    the package's own licenses adds no term and no record."""
    package = {"downloadLocation": "NOASSERTION", "copyrightText": "NOASSERTION", "licenseDeclared": "Apache-2.0"}
    file = {"checksums": [{"algorithm": "SHA1", "checksumValue": "d6a770ba38583ed4bb4525bd96e50461655d2758"}]}
    document = {
        **ACME_DOCUMENT,
        "packages": [{"SPDXID": "SPDXRef-model", "name": "m", "hasFiles": ["SPDXRef-f1", "SPDXRef-f2"], **package}],
        "files": [
            {"SPDXID": "SPDXRef-f1", "fileName": "./data/train.jsonl", "licenseConcluded": "CC-BY-NC-4.0", **file},
            {"SPDXID": "SPDXRef-f2", "fileName": "./config.json", "licenseConcluded": "Apache-2.0", **file},
        ],
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "SPDXRef-model",
            }
        ],
    }
    records, _ = read_text(tmp_path, "acme.spdx.json", json.dumps(document))
    found = by_id(records)
    assert set(found) == {"m", "m/data/train.jsonl"}
    assert refs(found["m"]) == [("contains", "m/data/train.jsonl", "code", "record")]
    assert [s.raw for s in found["m/data/train.jsonl"].concluded] == ["CC-BY-NC-4.0"]
