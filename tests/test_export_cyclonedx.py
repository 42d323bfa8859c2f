"""release.cdx.json: the CycloneDX 1.6 ML-BOM export, checked against the official schema (bundled),
for its licenses and lineage, for hostile text, for determinism, and read back by our own reader."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from auditor.harvest import Context
from auditor.harvest import cyclonedx as reader
from auditor.harvest.layout import place
from auditor.report import cyclonedx

GOLDEN = Path(__file__).resolve().parent / "golden"
SCHEMAS = Path(cyclonedx.__file__).resolve().parents[1] / "schemas"
BOM_SCHEMA = "http://cyclonedx.org/schema/bom-1.6.schema.json"
HOSTILE = "<script>alert(1)</script>\u202eevil\x1b[31m\x07\u2028\ud800"


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    """The official schemas by their $id, so the relative $refs (spdx, jsf) resolve offline."""
    resources = []
    for name in ("bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"):
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    registry = Registry().with_resources(resources)
    schema = registry.contents(BOM_SCHEMA)
    return jsonschema.Draft7Validator(
        schema, registry=registry, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def export(document: dict, validator) -> dict:
    """The BOM, after checking it is schema-valid (every error listed on failure)."""
    bom = json.loads(cyclonedx.render(document))
    errors = [f"{list(e.absolute_path)}: {e.message[:300]}" for e in validator.iter_errors(bom)]
    assert not errors, "\n".join(errors)
    return bom


def components(bom: dict) -> dict[str, dict]:
    """Every component by bom-ref, the subject (metadata.component) included."""
    found = {c["bom-ref"]: c for c in bom["components"]}
    subject = bom["metadata"].get("component")
    return found | ({subject["bom-ref"]: subject} if subject else {})


def properties(component: dict) -> list[tuple[str, str]]:
    return [(p["name"], p["value"]) for p in component.get("properties", [])]


def hostile_document() -> dict:
    """The demo with markup, bidi overrides, control characters and a 10,000-character name everywhere
    a manifest can put text, and two ids that only differ by a control character."""
    doc = golden("demo")
    ids = {a["id"]: a["id"] + HOSTILE for a in doc["assets"]}
    ids["datasets/truthful_qa"] = "datasets/truthful_qa\x00"
    links = iter(["https://x.example/license\n"])  # then only javascript: links
    for asset in doc["assets"]:
        asset["id"] = ids[asset["id"]]
        asset["name"] = "n" * 10_000 + HOSTILE
        asset["sources"] = [s + HOSTILE for s in asset["sources"]]
        for declared in asset["declared_licenses"]:
            declared |= {
                "raw": (declared["raw"] or "") + HOSTILE,
                "name": HOSTILE,
                "link": next(links, "javascript:alert(1)"),
            }
        if asset["license"]:
            asset["license"] += HOSTILE
    doc["assets"].append(copy.deepcopy(doc["assets"][3]) | {"id": "datasets/truthful_qa"})
    for edge in doc["edges"]:
        edge["child"], edge["parent"] = ids[edge["child"]], ids[edge["parent"]]
    doc["release"]["asset"] = ids[doc["release"]["asset"]]
    doc["outbound_licenses"] = [HOSTILE]
    return doc


# --- the bundled schemas --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, size", [("bom-1.6.schema.json", 262_592), ("spdx.schema.json", 9_451), ("jsf-0.82.schema.json", 10_946)]
)
def test_bundled_schemas_are_the_official_files(name, size):
    raw = (SCHEMAS / name).read_bytes()
    assert len(raw) == size
    schema = json.loads(raw)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$id"] == f"http://cyclonedx.org/schema/{name}"


def test_the_validator_checks_licenses_and_formats(validator):
    """The schema's formats (date-time, iri-reference) are checked only when jsonschema finds the
    packages that check them (rfc3339-validator, rfc3987-syntax): without them this fails."""
    bom = json.loads(cyclonedx.render(golden("demo")))
    by_ref = {c["bom-ref"]: c for c in bom["components"]}
    by_ref["datasets/tatsu-lab/alpaca"]["licenses"].append({"expression": "MIT"})  # list and expression: not 1.6
    by_ref["datasets/OpenAssistant/oasst1"]["licenses"] = [{"license": {"id": "Not-An-SPDX-Id"}}]
    bom["metadata"]["timestamp"] = "yesterday"
    by_ref["acme/support-chat-7b"]["licenses"][0]["license"]["url"] = "https://exa mple/\\x"  # a bad IRI
    # the timestamp fails its format; each license array fails its oneOf (the bad IRI through its format)
    assert sorted(e.validator for e in validator.iter_errors(bom)) == ["format", "oneOf", "oneOf", "oneOf"]


# --- the golden documents --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["demo", "credit-risk"])
def test_golden_documents_export_valid_boms(name, validator):
    document = golden(name)
    bom = export(document, validator)
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6" and bom["version"] == 1
    assert "timestamp" not in bom["metadata"]
    assert bom["metadata"]["tools"]["components"] == [
        {"type": "application", "name": "mlaudit", "version": document["tool"]["version"]}
    ]
    assert sorted(components(bom)) == sorted(a["id"] for a in document["assets"])
    assert [d["ref"] for d in bom["dependencies"]] == [a["id"] for a in document["assets"]]


def test_the_release_is_the_subject_with_the_audit_conclusions(validator):
    document = golden("credit-risk")
    document["outbound_licenses"] = ["CC-BY-NC-4.0", "CC-BY-NC-SA-4.0"]  # as if every upstream were known
    bom = export(document, validator)
    subject = bom["metadata"]["component"]
    assert subject["bom-ref"] == "acme/credit-risk-v2" and subject["type"] == "machine-learning-model"
    assert "acme/credit-risk-v2" not in [c["bom-ref"] for c in bom["components"]]
    found = properties(subject)
    for expected in [
        ("mlaudit:verdict", "fail"),
        ("mlaudit:position", "conservative"),
        ("mlaudit:release:use", "commercial"),
        ("mlaudit:release:use-category", "non-commercial"),
        ("mlaudit:findings:open", "19"),
        ("mlaudit:findings:error", "5"),
        ("mlaudit:outbound-license", "CC-BY-NC-4.0"),
    ]:
        assert expected in found
    assert [v for n, v in found if n == "mlaudit:outbound-license"] == document["outbound_licenses"]


def test_without_a_release_the_conclusions_are_on_the_bom(validator):
    document = golden("demo")
    document["release"] |= {"asset": None, "use_category": None}
    bom = export(document, validator)
    assert "component" not in bom["metadata"] and len(bom["components"]) == len(document["assets"])
    assert ("mlaudit:verdict", "fail") in properties(bom["metadata"])


def test_concluded_and_declared_licenses(validator):
    bom = components(export(golden("demo"), validator))
    assert bom["datasets/tatsu-lab/alpaca"]["licenses"] == [
        {"license": {"id": "CC-BY-NC-4.0", "acknowledgement": "concluded"}},
        {"license": {"name": "cc-by-nc-4.0", "acknowledgement": "declared"}},
    ]
    assert bom["acme/support-chat-7b"]["licenses"][0] == {
        "license": {"name": "LicenseRef-Llama-2-Community", "acknowledgement": "concluded"}
    }
    assert bom["acme/support-chat-7b-GGUF"]["licenses"] == [
        {
            "license": {
                "name": "other",
                "acknowledgement": "declared",
                "url": "https://acme.example/model-license",
                "properties": [{"name": "mlaudit:license-name", "value": "acme-model-license"}],
            }
        }
    ]
    assert "licenses" not in bom["datasets/truthful_qa"]


def test_a_concluded_expression_stands_alone_and_the_declared_licenses_become_evidence(validator):
    subject = components(export(golden("credit-risk"), validator))["acme/credit-risk-v2"]
    assert subject["licenses"] == [{"expression": "Apache-2.0 AND MIT", "acknowledgement": "concluded"}]
    assert subject["evidence"]["licenses"] == [
        {"license": {"name": "apache-2.0", "acknowledgement": "declared"}},
        {"license": {"id": "MIT", "acknowledgement": "declared"}},
    ]


def test_training_data_are_datasets_of_the_model_card_and_evaluation_data_are_not(validator):
    model = components(export(golden("demo"), validator))["acme/support-chat-7b"]
    datasets = model["modelCard"]["modelParameters"]["datasets"]
    assert {"ref": "datasets/tatsu-lab/alpaca"} in datasets  # trained_on
    assert {"ref": "datasets/truthful_qa"} not in datasets  # evaluated_on: read back as training data otherwise
    assert ("mlaudit:relation:trained_on", "datasets/tatsu-lab/alpaca") in properties(model)
    assert ("mlaudit:relation:evaluated_on", "datasets/truthful_qa") in properties(model)


def test_every_edge_is_a_dependency_and_a_relation_property(validator):
    document = golden("demo")
    bom = export(document, validator)
    model = components(bom)["acme/support-chat-7b"]
    assert ("mlaudit:relation:finetune", "meta-llama/Llama-2-7b-chat-hf") in properties(model)
    assert "pedigree" not in model  # a copy of the base model would be read back as a second asset
    graph = {d["ref"]: d.get("dependsOn", []) for d in bom["dependencies"]}
    assert sorted((e["child"], e["parent"]) for e in document["edges"]) == sorted(
        (child, parent) for child, parents in graph.items() for parent in parents
    )
    relations = [
        (ref, n.removeprefix("mlaudit:relation:"), v)
        for ref, c in components(bom).items()
        for n, v in properties(c)
        if n.startswith("mlaudit:relation:")
    ]
    assert sorted(relations) == sorted((e["child"], e["relation"], e["parent"]) for e in document["edges"])


def test_an_unresolved_asset_is_a_component(validator):
    bom = components(export(golden("credit-risk"), validator))
    unresolved = bom["datasets/acme/credit-g-mirror"]
    assert unresolved["type"] == "data" and unresolved["name"] == "acme/credit-g-mirror"
    assert ("mlaudit:resolved", "false") in properties(unresolved)
    assert ("mlaudit:license-status", "unknown") in properties(unresolved)


# --- determinism, serial number, timestamp --------------------------------------------------------


def test_render_is_deterministic():
    assert cyclonedx.render(golden("demo")) == cyclonedx.render(golden("demo"))


def test_the_serial_number_follows_the_content():
    document = golden("demo")
    before = cyclonedx.serial_number(document)
    document["assets"][0]["license"] = "MIT"
    after = cyclonedx.serial_number(document)
    assert before != after
    assert json.loads(cyclonedx.render(document))["serialNumber"] == after
    assert after.startswith("urn:uuid:") and after[23] == "8"  # an RFC 9562 version-8 UUID


@pytest.mark.parametrize(
    "created, expected",
    [
        ("2025-03-01T12:30:00+00:00", "2025-03-01T12:30:00+00:00"),
        ("2025-03-01T12:30:00Z", "2025-03-01T12:30:00+00:00"),
        ("2025-03-01T12:30:00", None),  # no time zone: not an RFC 3339 date-time
        ("yesterday", None),
        (None, None),
    ],
)
def test_a_timestamp_only_from_the_documents_creation_time(created, expected, validator):
    bom = export(golden("demo") | {"created": created}, validator)
    assert bom["metadata"].get("timestamp") == expected


# --- hostile text ----------------------------------------------------------------------------------


def test_hostile_strings_keep_the_bom_valid_and_printable(validator):
    document = hostile_document()
    text = cyclonedx.render(document)
    for bad in ("\u202e", "\x1b", "\x00", "\x07", "\u2028", "\ud800", "\\u00", "javascript:", "x.example"):
        assert bad not in text
    bom = export(document, validator)
    refs = [c["bom-ref"] for c in components(bom).values()]
    assert len(refs) == len(set(refs)) == len(document["assets"])
    assert "datasets/truthful_qa#2" in refs  # two ids that differ only by a NUL stay two components
    assert len(bom["metadata"]["component"]["name"]) > 10_000
    assert "<script>alert(1)</script>" in bom["metadata"]["component"]["name"]  # JSON needs no escaping


# --- read back by mlaudit's own CycloneDX reader ---------------------------------------------------


@pytest.mark.parametrize("name", ["demo", "credit-risk"])
def test_the_reader_reads_back_names_and_licenses(name, tmp_path):
    """Described assets come back as records with their licenses as declared; an asset only
    referenced (unresolved) comes back as a reference that names it, not as a description."""
    document = golden(name)
    path = tmp_path / "release.cdx.json"
    path.write_text(cyclonedx.render(document), encoding="utf-8")
    records, problems = reader.read(path, Context(path.name, place("", "release")))
    assert problems == []
    read = {r.id: r for r in records}
    described = [a for a in document["assets"] if a["resolved"]]
    assert sorted(read) == sorted(a["name"] for a in described)
    for asset in described:
        record = read[asset["name"]]
        assert record.kind == asset["kind"]
        assert [s.raw for s in record.concluded] == ([asset["license"]] if asset["license"] else [])
        declared = {(d["raw"], d["name"], d["link"]) for d in asset["declared_licenses"]}
        assert {(s.raw, s.name, s.link) for s in record.licenses} == declared
    named = {ref.target for r in records for ref in r.references}
    assert {a["name"] for a in document["assets"] if not a["resolved"]} <= named
