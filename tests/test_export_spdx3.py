"""The SPDX 3.0.1 export (release.spdx.json): valid against the official JSON schema for the golden
reports and for a hostile one, the release as root element, concluded and declared licenses,
lineage relationships typed and directed as the spec reads them, determinism, and a round trip
through the project's own SPDX 3 reader."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import jsonschema
import pytest

from auditor.harvest import Context
from auditor.harvest import spdx3 as reader
from auditor.harvest.layout import place
from auditor.report import spdx3

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SCHEMA = ROOT / "auditor" / "schemas" / "spdx-3.0.1.schema.json"
SCHEMA_SHA256 = "d711c811b1ff6face561cbd8cfd07cb5d581845030d4c24cf8cc7107cc8d112a"
NO_ASSERTION, NONE = "expandedlicensing_NoAssertionLicense", "expandedlicensing_NoneLicense"
LONG = "x" * 10_000
HOSTILE = "<script>alert(1)</script>\u202eevil\x00\x07\x1b[31m\u2028" + LONG


def _any_of(validator, schemas, instance, schema):
    if not any(validator.evolve(schema=s).is_valid(instance) for s in schemas):
        yield jsonschema.ValidationError(f"{instance!r:.200} is not valid under any of the given schemas")


def _one_of(validator, schemas, instance, schema):
    matches = sum(validator.evolve(schema=s).is_valid(instance) for s in schemas)
    if matches != 1:
        yield jsonschema.ValidationError(f"{instance!r:.200} is valid under {matches} of the given schemas, not one")


# jsonschema's anyOf and oneOf collect every error of every failing branch, which on this generated
# schema (an anyOf of ~80 classes at every element reference) takes ~40 s a document. These stop at
# a branch's first error: validity is decided the same way, in ~4 s, with terser messages.
Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"anyOf": _any_of, "oneOf": _one_of})


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.report.json").read_text(encoding="utf-8"))


def export(document: dict) -> list[dict]:
    return json.loads(spdx3.render(document))["@graph"]


def errors(validator, text: str) -> list[str]:
    """Schema errors, naming the graph elements that are not valid as any SPDX class."""
    data = json.loads(text)
    if validator.is_valid(data):
        return []
    element = {"$defs": validator.schema["$defs"], "$ref": "#/$defs/AnyClass", "unevaluatedProperties": False}
    return [e.message[:200] for e in validator.iter_errors(data)] + [
        f"@graph[{i}] ({item.get('type')}) is invalid"
        for i, item in enumerate(data.get("@graph", []))
        if not validator.evolve(schema=element).is_valid(item)
    ]


def by_type(graph: list[dict], kind: str) -> list[dict]:
    return [e for e in graph if e["type"] == kind]


def package(graph: list[dict], name: str) -> dict:
    return next(e for e in graph if e["type"].endswith("Package") and e["name"] == name)


def relationships(graph: list[dict], kind: str, source: dict) -> list[dict]:
    return [
        r for r in by_type(graph, "Relationship") if r["relationshipType"] == kind and r["from"] == source["spdxId"]
    ]


def license_text(graph: list[dict], target: str) -> str:
    """The expression a relationship target names, or the NONE / NOASSERTION individual as is."""
    element = next((e for e in graph if e.get("spdxId") == target), None)
    return element["simplelicensing_licenseExpression"] if element else target


def hostile() -> dict:
    """The demo report with hostile text in every string an export carries."""
    doc = golden("demo")
    tickets, gguf, llama = (
        next(a for a in doc["assets"] if a["id"] == i)
        for i in ("datasets/acme/support-tickets", "acme/support-chat-7b-GGUF", "acme/support-chat-7b")
    )
    tickets["name"] = HOSTILE
    gguf["license"] = "MIT AND <script>"
    gguf["declared_licenses"][0].update(raw="CC BY-NC 4.0\u202e", name=HOSTILE, link="javascript:alert(1)")
    llama["license_reading"] = HOSTILE
    doc["edges"][0]["basis"] = HOSTILE
    doc["edges"].append(
        {
            "child": HOSTILE,
            "parent": "\ud800lone surrogate",
            "relation": "made_up",
            "basis": "x",
            "file": None,
            "pointer": None,
            "line": None,
        }
    )
    doc["position_summary"] = HOSTILE
    doc["outbound_licenses"] = ["<b>MIT</b>"]
    doc["created"] = "<script>"
    return doc


def test_the_bundled_schema_is_the_official_file_unchanged():
    data = SCHEMA.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    schema = json.loads(data)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["@context"]["const"] == spdx3.CONTEXT


@pytest.mark.parametrize("name", ["demo", "credit-risk"])
def test_golden_reports_export_valid_spdx3(validator, name):
    doc = golden(name)
    text = spdx3.render(doc)
    assert errors(validator, text) == []
    graph = json.loads(text)["@graph"]
    assert json.loads(text)["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    kinds = {"model": "ai_AIPackage", "dataset": "dataset_DatasetPackage"}
    for asset in doc["assets"]:
        element = package(graph, asset["name"])
        assert element["type"] == kinds.get(asset["kind"], "software_Package")
        assert len(relationships(graph, "hasConcludedLicense", element)) == 1
        assert relationships(graph, "hasDeclaredLicense", element)
    assert len(by_type(graph, "Relationship")) == 2 * len(doc["assets"]) + len(doc["edges"]) + sum(
        max(len(a["declared_licenses"]) - 1, 0) for a in doc["assets"]
    )


@pytest.mark.parametrize(
    "spoil",
    [
        lambda graph: graph[0].pop("created"),
        lambda graph: by_type(graph, "dataset_DatasetPackage")[0].update(dataset_datasetType=[]),
        lambda graph: by_type(graph, "ai_AIPackage")[0].update(ai_notAProperty="x"),
        lambda graph: by_type(graph, "Relationship")[0].update(relationshipType="trainedBy"),
    ],
    ids=["no created", "no dataset type", "unknown property", "unknown relationship type"],
)
def test_the_validator_rejects_what_the_schema_forbids(validator, spoil):
    data = json.loads(spdx3.render(golden("demo")))
    spoil(data["@graph"])
    assert not validator.is_valid(data)


@pytest.mark.parametrize("name", ["demo", "credit-risk"])
def test_root_element_is_the_release(name):
    doc = golden(name)
    graph = export(doc)
    [document] = by_type(graph, "SpdxDocument")
    release = package(graph, doc["release"]["asset"])
    assert document["rootElement"] == [release["spdxId"]]
    assert set(document["element"]) == {e["spdxId"] for e in graph if "spdxId" in e} - {document["spdxId"]}


def test_creation_info_names_mlaudit_and_a_fixed_time_without_created():
    graph = export(golden("demo"))
    [info] = by_type(graph, "CreationInfo")
    assert info["specVersion"] == "3.0.1" and info["created"] == spdx3.EPOCH and "fixed value" in info["comment"]
    [agent], [tool] = by_type(graph, "SoftwareAgent"), by_type(graph, "Tool")
    assert info["createdBy"] == [agent["spdxId"]] and info["createdUsing"] == [tool["spdxId"]]
    assert agent["name"] == tool["name"] == "mlaudit 0.1.0"
    assert all(e["creationInfo"] == info["@id"] for e in graph if e is not info)


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        ("2025-03-04T05:06:07+02:00", "2025-03-04T03:06:07Z"),
        ("2025-03-04T05:06:07Z", "2025-03-04T05:06:07Z"),
        ("2025-03-04T05:06:07", spdx3.EPOCH),  # no time zone: not a point in time
        ("yesterday", spdx3.EPOCH),
        (None, spdx3.EPOCH),
    ],
)
def test_created_comes_from_the_report_when_it_is_a_time(created, expected):
    doc = golden("demo") | {"created": created}
    [info] = by_type(export(doc), "CreationInfo")
    assert info["created"] == expected
    assert ("comment" in info) == (expected == spdx3.EPOCH)


def test_concluded_and_declared_licenses():
    graph = export(golden("demo"))
    chat = package(graph, "acme/support-chat-7b")
    [concluded] = relationships(graph, "hasConcludedLicense", chat)
    [declared] = relationships(graph, "hasDeclaredLicense", chat)
    assert license_text(graph, concluded["to"][0]) == "LicenseRef-Llama-2-Community"
    assert license_text(graph, declared["to"][0]) == "llama2"
    assert "acme/support-chat-7b/README.md line 4" in declared["comment"]
    expressions = [e["simplelicensing_licenseExpression"] for e in by_type(graph, "simplelicensing_LicenseExpression")]
    assert len(expressions) == len(set(expressions))  # one element per distinct expression, shared


def test_several_declared_licenses_each_get_a_relationship():
    graph = export(golden("credit-risk"))
    v2 = package(graph, "acme/credit-risk-v2")
    declared = relationships(graph, "hasDeclaredLicense", v2)
    assert [license_text(graph, r["to"][0]) for r in declared] == ["apache-2.0", "MIT", "MIT"]
    [concluded] = relationships(graph, "hasConcludedLicense", v2)
    assert license_text(graph, concluded["to"][0]) == "Apache-2.0 AND MIT"  # a repeated statement counts once


def test_unknown_and_missing_licenses_use_the_spdx_individuals():
    graph = export(golden("demo"))
    tickets, truthful = package(graph, "acme/support-tickets"), package(graph, "truthful_qa")
    assert [r["to"] for r in relationships(graph, "hasDeclaredLicense", tickets)] == [[NONE]]
    assert [r["to"] for r in relationships(graph, "hasConcludedLicense", tickets)] == [[NO_ASSERTION]]
    assert [r["to"] for r in relationships(graph, "hasDeclaredLicense", truthful)] == [[NO_ASSERTION]]
    [concluded] = relationships(graph, "hasConcludedLicense", truthful)
    assert concluded["to"] == [NO_ASSERTION] and "status unknown" in concluded["comment"]


def test_an_unresolved_asset_is_present_and_marked():
    graph = export(golden("demo"))
    truthful = package(graph, "truthful_qa")
    assert truthful["type"] == "dataset_DatasetPackage" and "unresolved" in truthful["comment"]
    assert "comment" not in package(graph, "tatsu-lab/alpaca")


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("Apache-2.0 AND (MIT OR BSD-3-Clause)", True),
        ("GPL-2.0+ WITH Classpath-exception-2.0", True),
        ("LicenseRef-Llama-2-Community", True),
        ("DocumentRef-other:LicenseRef-x", True),
        ("MIT AND", False),
        ("(MIT", False),
        ("MIT and Apache-2.0", False),  # operators are upper case
        ("CC BY-NC 4.0", False),
        ("(MIT) WITH Classpath-exception-2.0", False),
        ("https://creativecommons.org/licenses/by/4.0/", False),
        ("", False),
    ],
)
def test_only_license_expressions_become_expression_elements(text, valid):
    doc = golden("demo")
    asset = next(a for a in doc["assets"] if a["id"] == "datasets/tatsu-lab/alpaca")
    asset["license"] = text
    asset["declared_licenses"][0]["raw"] = text
    graph = export(doc)
    alpaca = package(graph, "tatsu-lab/alpaca")
    for kind in ("hasConcludedLicense", "hasDeclaredLicense"):
        [link] = relationships(graph, kind, alpaca)
        assert (license_text(graph, link["to"][0]) == text) is valid
        assert (link["to"] == [NO_ASSERTION]) is not valid
    if not valid:
        [declared] = relationships(graph, "hasDeclaredLicense", alpaca)
        assert repr(text) in declared["comment"]


@pytest.mark.parametrize(
    ("relation", "kind", "parent_first"),
    [
        ("finetune", "descendantOf", False),
        ("adapter", "descendantOf", False),
        ("quantized", "descendantOf", False),
        ("copy", "copiedTo", True),
        ("merge", "descendantOf", False),
        ("distill", "descendantOf", False),
        ("derived_from", "descendantOf", False),
        ("trained_on", "trainedOn", False),
        ("evaluated_on", "testedOn", False),
        ("generated_by", "generates", True),
        ("contains", "contains", False),
        ("depends_on", "dependsOn", False),
        ("uses_tool", "usesTool", False),
        ("something_new", "other", False),
    ],
)
def test_each_lineage_relation_has_its_spdx_type_and_direction(relation, kind, parent_first):
    doc = golden("demo")
    doc["edges"] = [
        {
            "child": "acme/support-chat-7b",
            "parent": "datasets/tatsu-lab/alpaca",
            "relation": relation,
            "basis": "declared",
            "file": "a.md",
            "pointer": "x",
            "line": 3,
        }
    ]
    graph = export(doc)
    child, parent = package(graph, "acme/support-chat-7b"), package(graph, "tatsu-lab/alpaca")
    [link] = [r for r in by_type(graph, "Relationship") if not r["relationshipType"].startswith("has")]
    ends = (parent, child) if parent_first else (child, parent)
    assert (link["relationshipType"], link["from"], link["to"]) == (kind, ends[0]["spdxId"], [ends[1]["spdxId"]])
    assert f"acme/support-chat-7b {relation} datasets/tatsu-lab/alpaca" in link["comment"]


def test_trained_on_edges_are_trained_on_relationships():
    doc = golden("demo")
    graph = export(doc)
    chat = package(graph, "acme/support-chat-7b")
    trained = {target for r in relationships(graph, "trainedOn", chat) for target in r["to"]}
    expected = {e["parent"] for e in doc["edges"] if e["relation"] == "trained_on"}
    names = {e["spdxId"]: e["name"] for e in graph if "name" in e}
    assert {names[t] for t in trained} == {d.removeprefix("datasets/") for d in expected}


def test_the_audit_conclusions_annotate_the_release():
    doc = golden("credit-risk")
    doc["outbound_licenses"] = ["CC-BY-NC-4.0"]  # as if every upstream were known
    graph = export(doc)
    [note] = by_type(graph, "Annotation")
    assert note["subject"] == package(graph, "acme/credit-risk-v2")["spdxId"] and note["annotationType"] == "review"
    assert "verdict: fail" in note["statement"] and "Legal position: conservative" in note["statement"]
    assert "CC-BY-NC-4.0" in note["statement"]


def test_without_a_release_there_is_no_root_element():
    doc = golden("demo")
    doc["release"]["asset"] = None
    graph = export(doc)
    [document], [note] = by_type(graph, "SpdxDocument"), by_type(graph, "Annotation")
    assert "rootElement" not in document and note["subject"] == document["spdxId"]


def test_hostile_text_stays_valid_and_is_kept(validator):
    doc = hostile()
    text = spdx3.render(doc)
    assert errors(validator, text) == []
    text.encode("utf-8")  # the unpaired surrogate did not survive into the output
    assert not any(ord(c) < 0x20 and c != "\n" for c in text)  # control characters are escaped
    graph = json.loads(text)["@graph"]
    assert package(graph, HOSTILE)["type"] == "dataset_DatasetPackage"
    gguf = package(graph, "acme/support-chat-7b-GGUF")
    [concluded] = relationships(graph, "hasConcludedLicense", gguf)
    [declared] = relationships(graph, "hasDeclaredLicense", gguf)
    assert concluded["to"] == declared["to"] == [NO_ASSERTION]
    assert "MIT AND <script>" in concluded["comment"] and HOSTILE in declared["comment"]
    [info] = by_type(graph, "CreationInfo")
    assert info["created"] == spdx3.EPOCH
    [other] = [r for r in by_type(graph, "Relationship") if r["relationshipType"] == "other"]
    assert "made_up" in other["comment"]


def test_rendering_is_deterministic_and_tied_to_the_report():
    doc = hostile()
    assert spdx3.render(doc) == spdx3.render(copy.deepcopy(doc))
    assert spdx3.render(golden("demo")) == spdx3.render(golden("demo"))
    ids = {e["spdxId"].split("#")[0] for e in export(golden("demo")) if "spdxId" in e}
    other = {e["spdxId"].split("#")[0] for e in export(golden("credit-risk")) if "spdxId" in e}
    assert len(ids) == len(other) == 1 and ids != other


@pytest.mark.parametrize("name", ["demo", "credit-risk"])
def test_the_spdx3_reader_reads_back_names_licenses_and_training_lineage(tmp_path, name):
    doc = golden(name)
    path = tmp_path / "release.spdx.json"
    path.write_text(spdx3.render(doc), encoding="utf-8")
    records, problems = reader.read(path, Context(path.name, place("", "release")))
    assert problems == []
    described = [a for a in doc["assets"] if a["resolved"]]  # the unresolved ones come back as references
    assert sorted((r.kind, r.id) for r in records) == sorted((a["kind"], a["name"]) for a in described)
    names = {a["id"]: a["name"] for a in doc["assets"]}
    concluded = {r.id: [s.raw for s in r.concluded] for r in records}
    declared = {r.id: {(s.raw, s.name, s.link) for s in r.licenses} for r in records}
    for asset in described:
        assert concluded[asset["name"]] == [asset["license"] or "NOASSERTION"]
        assert declared[asset["name"]] == {(d["raw"], d["name"], d["link"]) for d in asset["declared_licenses"]}
    read_back = {(r.id, ref.target) for r in records for ref in r.references if ref.relation == "trained_on"}
    assert read_back == {(names[e["child"]], names[e["parent"]]) for e in doc["edges"] if e["relation"] == "trained_on"}
