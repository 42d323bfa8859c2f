"""Harvesting CycloneDX BOMs: components as records, licenses, identifiers, lineage, JSON and XML alike,
structural validation, and hostile or broken files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_audit, write_tree

from auditor.graph import build
from auditor.harvest import Context, cyclonedx, harvest
from auditor.harvest.layout import place

CASES = FIXTURES / "formats" / "cyclonedx"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "manifests" / "cyclonedx"


def read(path: Path, rel: str | None = None):
    return cyclonedx.read(path, Context(rel or path.name, place("", "release")))


def by_id(records) -> dict:
    return {r.id: r for r in records}


def refs(record) -> list[tuple]:
    return sorted((r.relation, r.target, r.kind, r.scheme) for r in record.references)


def codes(problems) -> list[tuple[str, str]]:
    return [(p.code, p.evidence.pointer) for p in problems]


def line_of(path: Path, text: str) -> int:
    """1-based line of the first line of `path` that contains `text`."""
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# --- detection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, head, expected",
    [
        ("bom.json", b'{\n  "bomFormat" : "CycloneDX",\n  "specVersion": "1.6"}', True),
        ("model.cdx.json", b'{"$schema": "x", "bomFormat":"CycloneDX"}', True),
        ("bom.xml", b'<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">', True),
        ("bom.cdx.xml", b"<cdx:bom xmlns:cdx='http://cyclonedx.org/schema/bom/1.7'>", True),
        ("bom.json", b'{"spdxVersion": "SPDX-2.3", "name": "CycloneDX"}', False),
        ("croissant.json", b'{"@context": {"@vocab": "https://schema.org/"}, "conformsTo": "croissant/1.0"}', False),
        ("bom.xml", b'<bom xmlns="http://example.com/not-cyclonedx">', False),
        ("bom.txt", b'{"bomFormat": "CycloneDX"}', False),
        ("bom.xml", b'{"bomFormat": "CycloneDX"}', False),
    ],
)
def test_detect_is_specific(name, head, expected):
    assert cyclonedx.detect(Path(name), head) is expected


def test_detect_looks_only_at_the_head():
    head = b'{"components": [' + b" " * 5000 + b'], "bomFormat": "CycloneDX"}'
    assert cyclonedx.detect(Path("bom.json"), head[:4096]) is False


# --- one BOM, JSON and XML ----------------------------------------------------------------------


def test_a_model_card_dataset_may_be_a_bom_link_into_another_bom(tmp_path):
    """CycloneDX 1.5+: a dataset `ref` may be a BOM-Link, `urn:cdx:<serial>/<version>#<bom-ref>`, naming
    a component of another BOM: joined to it where that BOM is read, an undescribed upstream where not."""
    records, problems = read(CASES / "bom-link" / "model.cdx.json")
    assert refs(records[0]) == [
        ("trained_on", "urn:cdx:22222222-2222-4222-8222-222222222222/1#data", "dataset", "element")
    ]
    assert problems == []
    doc = run_audit(CASES / "bom-link", asset="acme/linked-model", use="commercial")
    assert [(e["child"], e["relation"], e["parent"]) for e in doc["edges"]] == [
        ("acme/linked-model", "trained_on", "datasets/nc-corpus")
    ]
    assert any(f["rule"] == "CMP001" for f in doc["findings"])
    shutil.copy(CASES / "bom-link" / "model.cdx.json", tmp_path / "model.cdx.json")
    alone = run_audit(tmp_path, asset="acme/linked-model")
    assert not [f for f in alone["findings"] if f["rule"] == "INP001"]
    assert [e["parent"] for e in alone["edges"]] == ["datasets/urn:cdx:22222222-2222-4222-8222-222222222222/1#data"]


def test_formulation_outputs_come_from_their_inputs():
    """CycloneDX 1.5+ formulation ("AI/ML model training"): a task's output model was trained on its input
    data; what names no component here is told, an unknown input as an unread upstream."""
    records, problems = read(CASES / "formulation.cdx.json")
    assert refs(by_id(records)["acme/formula-model"]) == [("trained_on", "nc-corpus", "dataset", "record")]
    assert sorted(codes(problems)) == [
        ("unplaced", "/formulation/0/workflows/0/outputs/0/resource/ref"),  # the workflow's output: nothing here
        ("unread-entry", "/formulation/0/workflows/0/tasks/0/inputs/1/resource/ref"),  # the task's unknown input
    ]


def test_listed_components_nothing_places_are_parts_of_the_bom_subject():
    """CycloneDX 1.6: components "not represented in the dependency graph may have unknown dependencies
    ... assume this to be opaque": a listed component nothing links is read as part of the subject.
    A graph without an entry for the subject leaves its dependencies unknown: a component that is only
    the `ref` of an entry (runtime-lib, which depends on leaf-lib) stays part of the subject."""
    records = by_id(read(CASES / "inventory.cdx.json")[0])
    assert refs(records["acme/classifier"]) == [
        ("contains", "gpl-lib", "code", "record"),
        ("contains", "imagenet-subset", "dataset", "record"),
        ("contains", "runtime-lib", "code", "record"),
    ]  # leaf-lib is runtime-lib's dependency; serving-app depends on the subject; inner-lib is nested
    assert {r.basis for r in records["acme/classifier"].references} == {
        "inferred: listed in the BOM of the component it describes, in no dependency graph"
    }
    assert refs(records["serving-app"]) == [("depends_on", "acme/classifier", "model", "record")]
    assert refs(records["gpl-lib"]) == [("contains", "inner-lib", "code", "record")]


@pytest.fixture(scope="module", params=["support-chat.cdx.json", "support-chat.cdx.xml"])
def support_chat(request):
    records, problems = read(CASES / request.param)
    assert problems == []
    return by_id(records)


def test_every_component_is_a_record_of_its_kind(support_chat):
    kinds = {rid: r.kind for rid, r in support_chat.items()}
    assert kinds == {
        "acme/support-chat-7b": "model",
        "meta-llama/Llama-2-7b-hf": "model",
        "OpenAssistant/oasst1": "dataset",
        "acme/support-tickets": "dataset",
        "transformers": "code",
        "support-chat-serving": "code",
        "support-chat-7b.Q4_K_M.gguf": "code",
    }
    assert {r.format for r in support_chat.values()} == {"cyclonedx"}


def test_hub_purl_gives_the_hub_id_and_the_pinned_revision(support_chat):
    model = support_chat["acme/support-chat-7b"]
    assert (model.version, model.revision) == ("1.2.0", "3f1c9e2d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e")
    assert [(i.scheme, i.value) for i in model.identifiers] == [
        ("purl", "pkg:huggingface/acme/support-chat-7b@3f1c9e2d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e"),
        ("url", "https://huggingface.co/acme/support-chat-7b"),  # the documentation link is not an identifier
        ("element", "urn:cdx:6f1c2a3e-8d0b-4c7e-9a51-2f6e0d4b7c19/1#release"),  # what a BOM-Link names
    ]


def test_license_name_is_kept_as_written_with_its_url(support_chat):
    (lic,) = support_chat["acme/support-chat-7b"].licenses
    assert (lic.raw, lic.link) == ("LLAMA 2 COMMUNITY LICENSE AGREEMENT", "https://ai.meta.com/llama/license/")
    assert [s.raw for s in support_chat["acme/support-tickets"].licenses] == ["NOASSERTION"]
    assert [s.raw for s in support_chat["transformers"].licenses] == ["Apache-2.0"]


def test_hashes_become_lowercase_checksums(support_chat):
    (digest,) = support_chat["acme/support-chat-7b"].checksums
    assert (digest.algorithm, digest.value, digest.file) == (
        "sha256",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        None,
    )
    (gguf,) = support_chat["support-chat-7b.Q4_K_M.gguf"].checksums
    assert (gguf.algorithm, gguf.file) == ("sha1", "support-chat-7b.Q4_K_M.gguf")


def test_lineage_from_pedigree_model_card_nesting_and_dependencies(support_chat):
    assert refs(support_chat["acme/support-chat-7b"]) == [
        ("depends_on", "transformers", "code", "record"),
        ("finetune", "meta-llama/Llama-2-7b-hf", "model", "record"),
        ("trained_on", "OpenAssistant/oasst1", "dataset", "record"),
        ("trained_on", "acme/support-tickets", "dataset", "record"),
    ]
    assert refs(support_chat["support-chat-serving"]) == [
        ("contains", "support-chat-7b.Q4_K_M.gguf", "code", "record"),
        ("depends_on", "acme/support-chat-7b", "model", "record"),
    ]
    base = next(r for r in support_chat["acme/support-chat-7b"].references if r.relation == "finetune")
    assert base.revision == "01c7f73d771dfac7d292323805ebc428287df4f9"


def test_documentation_fields_become_statements(support_chat):
    fields = {(s.field, s.value) for s in support_chat["acme/support-chat-7b"].statements}
    assert {
        ("supplier", "Acme Corp"),
        ("authors", "Acme ML Team"),
        ("modelCard.modelParameters.approach", "supervised"),
        ("modelCard.modelParameters.task", "text-generation"),
        ("modelCard.modelParameters.inputs", "text"),
        ("modelCard.quantitativeAnalysis.performanceMetrics", "type: accuracy; value: 0.87; slice: billing questions"),
        ("modelCard.considerations.useCases", "Drafting replies to customer tickets"),
        (
            "modelCard.considerations.ethicalConsiderations",
            "name: Leaking customer data; mitigationStrategy: PII scrubbed from training tickets",
        ),
    } <= fields
    data = {(s.field, s.value) for s in support_chat["acme/support-tickets"].statements}
    assert data == {
        ("data.contents", "https://data.acme.example/support-tickets/2024-03/tickets.parquet"),
        ("data.classification", "confidential"),
        ("data.sensitiveData", "customer names"),
        ("data.sensitiveData", "email addresses"),
        ("data.governance", "Acme Support"),
    }


def test_json_and_xml_encodings_read_the_same():
    def essence(records):
        return sorted(
            (
                r.id,
                r.kind,
                r.version,
                r.revision,
                tuple((s.raw, s.link) for s in r.licenses),
                tuple((i.scheme, i.value) for i in r.identifiers),
                tuple((c.algorithm, c.value) for c in r.checksums),
                tuple((s.field, s.value) for s in r.statements),
                tuple(refs(r)),
            )
            for r in records
        )

    assert essence(read(CASES / "support-chat.cdx.json")[0]) == essence(read(CASES / "support-chat.cdx.xml")[0])


def test_evidence_points_at_the_line_json_pointer_and_xpath():
    path = CASES / "support-chat.cdx.json"
    model = by_id(read(path)[0])["acme/support-chat-7b"]
    lic = model.licenses[0].evidence
    assert (lic.file, lic.pointer) == ("support-chat.cdx.json", "/metadata/component/licenses/0/license/name")
    assert lic.line == line_of(path, '"name": "LLAMA 2 COMMUNITY')
    task = next(s for s in model.statements if s.field == "modelCard.modelParameters.task").evidence
    assert task.line == line_of(path, '"task": "text-generation"')

    xml = CASES / "support-chat.cdx.xml"
    model = by_id(read(xml)[0])["acme/support-chat-7b"]
    lic = model.licenses[0].evidence
    assert lic.pointer == "/bom/metadata/component/licenses/license/name"
    assert lic.line == line_of(xml, "<name>LLAMA 2 COMMUNITY")
    depends = next(r for r in model.references if r.relation == "depends_on").evidence
    assert (depends.pointer, depends.line) == (
        "/bom/dependencies/dependency[1]/dependency/@ref",
        line_of(xml, '<dependency ref="transformers"/>'),
    )


def test_record_references_resolve_in_the_asset_graph(tmp_path):
    root = tmp_path / "release"
    root.mkdir()
    shutil.copy(CASES / "support-chat.cdx.json", root / "bom.cdx.json")
    result = harvest(root)
    assert [(i.file, i.format, i.status) for i in result.inventory] == [("bom.cdx.json", "cyclonedx", "read")]
    edges = {(e.child, e.relation, e.parent) for e in build(result).edges}
    assert {
        ("model:acme/support-chat-7b", "finetune", "model:meta-llama/llama-2-7b-hf"),
        ("model:acme/support-chat-7b", "trained_on", "dataset:openassistant/oasst1"),
        ("model:acme/support-chat-7b", "trained_on", "dataset:acme/support-tickets"),
        ("model:acme/support-chat-7b", "depends_on", "code:transformers"),
        ("code:support-chat-serving", "contains", "code:support-chat-7b.q4_k_m.gguf"),
    } <= edges


# --- licenses -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def licensing():
    records, problems = read(CASES / "licenses-1.7.cdx.json")
    return by_id(records), problems


@pytest.mark.parametrize(
    "name, declared, concluded",
    [
        ("declared-and-concluded", ["MIT", "MIT OR Apache-2.0"], ["MIT"]),
        ("no-license", [], []),
        ("named-license", ["Acme Model License v2"], []),
        ("url-only", [None], []),
        ("odd-acknowledgement", ["BSD-3-Clause"], []),
        ("licenses-not-an-array", [], []),
        ("bare-string-entry", [], []),
        ("expression-with-details", ["CC-BY-4.0 AND LicenseRef-acme-terms"], []),
        ("several-ids", ["MIT", "Apache-2.0"], []),
    ],
)
def test_license_forms(licensing, name, declared, concluded):
    record = licensing[0][name]
    assert [s.raw for s in record.licenses] == declared
    assert [s.raw for s in record.concluded] == concluded


def test_license_problems_name_the_entry(licensing):
    problems = {p.evidence.pointer: (p.code, p.message) for p in licensing[1]}
    assert problems == {
        "/components/3/licenses/0/license": ("invalid", "a license should have a string 'id' or 'name'"),  # has a URL
        "/components/4/licenses/0/acknowledgement": (
            "bad-field",
            "license acknowledgement 'observed' is neither 'declared' nor 'concluded'; read as declared",
        ),
        "/components/5/licenses": ("unread-entry", "'licenses' should be an array, found an object"),
        "/components/6/licenses/0": (  # a license of unknown terms, not none: unread (INP001)
            "unread-entry",
            'a \'licenses\' entry should be {"license": {...}} or {"expression": "..."}, found a string',
        ),
    }
    assert {p.asset for p in licensing[1]} == {
        "code:url-only",
        "code:odd-acknowledgement",
        "code:licenses-not-an-array",
        "code:bare-string-entry",
    }
    assert licensing[0]["url-only"].licenses[0].link == "https://example.com/LICENSE.txt"


def test_mixing_license_entries_and_expressions_is_invalid_before_1_7(tmp_path):
    bom = (
        '{"bomFormat": "CycloneDX", "specVersion": "%s", "components": [{"type": "library", "name": "x", '
        '"licenses": [{"license": {"id": "MIT"}}, '
        '{"expression": "MIT OR Apache-2.0", "acknowledgement": "concluded"}]}]}'
    )
    invalid = [("invalid", "/components/0/licenses")]
    for version, expected, read_as in (  # 1.6: all are read as applying, as the finding says
        ("1.6", invalid, (["MIT", "MIT OR Apache-2.0"], [])),
        ("1.7", [], (["MIT"], ["MIT OR Apache-2.0"])),
    ):
        path = tmp_path / f"bom-{version}.json"
        path.write_text(bom % version)
        records, problems = read(path)
        assert codes(problems) == expected
        assert ([s.raw for s in records[0].licenses], [s.raw for s in records[0].concluded]) == read_as


# --- pedigree and nesting -----------------------------------------------------------------------


def test_pedigree_descendants_variants_and_nesting():
    """A variant ("unclear if one is derived from the other", CycloneDX 1.6) is a record, told about
    the component whose pedigree names it, and no edge: it carries no terms either way."""
    records, problems = read(CASES / "pedigree-1.5.cdx.json")
    assert codes(problems) == [("variant", "/components/0/pedigree/variants")]
    assert "acme/base-7b-long-context is named a variant of acme/base-7b" in problems[0].message
    assert problems[0].asset == "model:acme/base-7b"
    found = by_id(records)
    assert refs(found["acme/base-7b-instruct"]) == [("finetune", "acme/base-7b", "model", "record")]
    assert refs(found["acme/base-7b"]) == refs(found["acme/base-7b-long-context"]) == []
    assert refs(found["acme/fast-tokenizer"]) == [
        ("derived_from", "acme/fast-tokenizer@2.0.9", "code", "record"),  # same name: told apart by version
        ("derived_from", "upstream/fast-tokenizer", "code", "record"),
    ]
    assert refs(found["chat-app"]) == [("contains", "ui-kit", "code", "record")]
    assert refs(found["ui-kit"]) == [("contains", "icons.svg", "code", "record")]
    assert found["icons.svg"].checksums[0].algorithm == "sha512"


def test_an_excluded_component_is_used_not_contained_or_depended_on(tmp_path):
    """scope "excluded" (CycloneDX 1.6: test and other non-runtime use, not reachable at runtime):
    a test library is a tool the model was built or tested with, test data what it was evaluated on;
    nothing of either is in it, so no term crosses (as for SPDX test dependencies)."""
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"component": {"type": "machine-learning-model", "bom-ref": "m", "name": "acme-model"}},
        "components": [
            {"type": "library", "bom-ref": "t", "name": "gpl-test-runner", "scope": "excluded"},
            {"type": "data", "bom-ref": "d", "name": "nc-benchmark", "scope": "excluded"},
            {"type": "library", "bom-ref": "r", "name": "runtime-lib", "scope": "required"},
        ],
        "dependencies": [{"ref": "m", "dependsOn": ["t", "d", "r"]}],
    }
    path = tmp_path / "bom.cdx.json"
    path.write_text(json.dumps(bom))
    records, _ = read(path)
    assert refs(by_id(records)["acme-model"]) == [
        ("depends_on", "runtime-lib", "code", "record"),
        ("evaluated_on", "nc-benchmark", "dataset", "record"),
        ("uses_tool", "gpl-test-runner", "code", "record"),
    ]


# --- validation ---------------------------------------------------------------------------------


def test_structural_problems_are_reported_and_reading_goes_on():
    records, problems = read(CASES / "invalid-structure.cdx.json")
    assert sorted(r.id for r in records) == ["bad-hash", "broken-app", "dangling-dataset", "wrong-type"]
    assert by_id(records)["wrong-type"].kind == "other"
    messages = {p.evidence.pointer: (p.code, p.message) for p in problems}
    assert messages == {
        "/components/0": ("unread-entry", "a component should be an object, found a string"),
        "/components/1": ("unread-entry", "component has no 'name'; it is skipped with everything nested in it"),
        "/components/2/type": ("invalid", "component 'type' is 'model', not a CycloneDX component type"),
        "/components/3/bom-ref": (
            "invalid",
            "bom-ref 'dup' is used twice (first at /components/2); every bom-ref "
            "must be unique, references to it go to the first",
        ),
        "/components/3/hashes/0": (
            "bad-field",
            "a hash should be an object with a string 'alg' and hexadecimal 'content'",
        ),
        "/components/3/externalReferences/0": (
            "bad-field",
            "an external reference should be an object with a string 'url'",
        ),
        "/components/4/modelCard/modelParameters/task": (
            "bad-field",
            "'modelCard.modelParameters.task' should be a string, found an object",
        ),
        "/components/4/modelCard/modelParameters/datasets/0/ref": (
            "unread-entry",
            "model-card dataset ref 'missing-data' names no component in this BOM",
        ),
        "/dependencies/0/ref": ("unread-entry", "dependency ref 'ghost' names no component or service in this BOM"),
        "/dependencies/1/dependsOn/0": (
            "unread-entry",
            "dependsOn 'nowhere' names no component or service in this BOM",
        ),
        "/dependencies/2": ("unread-entry", "dependency 2 should be an object with a string 'ref'"),
    }
    assert all(p.evidence.line for p in problems)
    owner = {p.evidence.pointer: p.asset for p in problems}
    assert owner["/components/0"] == "code:broken-app"  # the BOM's subject
    assert owner["/components/3/hashes/0"] == "code:bad-hash"


@pytest.mark.parametrize(
    "body, problem",
    [
        (
            '{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [{"type": "library", "name": "x"}]}',
            ("invalid", "/specVersion", "'specVersion' is \"1.4\"; this reader reads CycloneDX 1.5, 1.6, 1.7"),
        ),
        (
            '{"bomFormat": "CycloneDX", "components": [{"type": "library", "name": "x"}]}',
            ("invalid", "/specVersion", "'specVersion' is missing"),
        ),
        (
            '{"bomFormat": "cyclonedx", "specVersion": "1.6", "components": [{"type": "library", "name": "x"}]}',
            ("invalid", "/bomFormat", '\'bomFormat\' should be "CycloneDX", found "cyclonedx"'),
        ),
    ],
)
def test_header_problems_keep_reading(tmp_path, body, problem):
    path = tmp_path / "bom.json"
    path.write_text(body)
    records, problems = read(path)
    assert [r.id for r in records] == ["x"]
    assert [(p.code, p.evidence.pointer) for p in problems] == [problem[:2]]
    assert problems[0].message.startswith(problem[2])


def test_components_that_is_not_an_array(tmp_path):
    path = tmp_path / "bom.json"
    path.write_text(
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", '
        '"metadata": {"component": {"type": "application", "name": "app"}}, "components": {"name": "x"}}'
    )
    records, problems = read(path)
    assert [r.id for r in records] == ["app"]
    assert [(p.code, p.message) for p in problems] == [
        ("unread-entry", "'components' should be an array, found an object")
    ]


def test_a_bom_that_describes_nothing_says_so(tmp_path):
    path = tmp_path / "bom.json"
    path.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}')
    records, problems = read(path)
    assert records == [] and [p.code for p in problems] == ["empty"]


@pytest.mark.parametrize(
    "component, pointer",
    [
        ({"type": ["machine-learning-model"], "name": "x"}, "/components/0/type"),
        ({"type": {"a": 1}, "name": "x"}, "/components/0/type"),
        (
            {"type": "data", "name": "x", "externalReferences": [{"type": ["vcs"], "url": "https://example.org/x"}]},
            "/components/0/externalReferences/0/type",
        ),
    ],
)
def test_a_type_of_the_wrong_shape_is_a_problem_not_a_crash(tmp_path, component, pointer):
    path = tmp_path / "bom.json"
    path.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [component]}))
    records, problems = read(path)
    assert [r.id for r in records] == ["x"]
    assert [p.evidence.pointer for p in problems] == [pointer]


# --- broken and hostile files -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, code, phrase",
    [
        ("billion-laughs.cdx.xml", "refused", "declares a DOCTYPE"),
        ("external-entity.cdx.xml", "refused", "declares a DOCTYPE"),
        ("not-a-bom.cdx.xml", "malformed", "the root element is <envelope>"),
        ("top-level-array.cdx.json", "malformed", "the top level is an array"),
        ("truncated.cdx.json", "malformed", "invalid JSON"),
    ],
)
def test_unreadable_files_are_problems_not_crashes(name, code, phrase):
    records, problems = read(CASES / name)
    assert records == []
    (problem,) = problems
    assert (problem.code, problem.evidence.file) == (code, name) and phrase in problem.message


def test_unreadable_bom_is_marked_in_the_inventory(tmp_path):
    root = tmp_path / "release"
    root.mkdir()
    shutil.copy(CASES / "external-entity.cdx.xml", root / "bom.xml")
    result = harvest(root)
    assert [(i.format, i.status) for i in result.inventory] == [("cyclonedx", "unreadable")]


def test_deep_nesting_is_refused(tmp_path):
    path = tmp_path / "bom.json"
    path.write_text('{"bomFormat": "CycloneDX", "components": ' + "[" * 500 + "]" * 500 + "}")
    records, problems = read(path)
    assert records == [] and problems[0].code == "refused"


def test_deeply_nested_components_do_not_exhaust_the_stack(tmp_path):
    depth = 90  # 2 JSON levels per nesting step, under safejson's limit of 200
    component = '{"type": "library", "name": "leaf"}'
    for i in range(depth):
        component = f'{{"type": "library", "name": "c{i}", "components": [{component}]}}'
    path = tmp_path / "bom.json"
    path.write_text(f'{{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{component}]}}')
    records, problems = read(path)
    assert len(records) == depth + 1 and problems == []


def test_xml_license_forms_and_extension_elements(tmp_path):
    root = write_tree(
        tmp_path,
        {
            "bom.xml": """
        <?xml version="1.0"?>
        <bom xmlns="http://cyclonedx.org/schema/bom/1.7" xmlns:x="urn:example:ext">
          <components>
            <component type="library">
              <x:name>not this</x:name>
              <name>lib</name>
              <licenses>
                <expression>MIT OR Apache-2.0</expression>
                <expression-detailed expression="GPL-2.0-only WITH Classpath-exception-2.0" acknowledgement="declared">
                  <details license-identifier="GPL-2.0-only"><url>https://example.com/gpl</url></details>
                </expression-detailed>
                <license acknowledgement="concluded"><id>MIT</id></license>
              </licenses>
            </component>
          </components>
        </bom>
        """
        },
    )
    records, problems = read(root / "bom.xml")
    assert problems == []
    (record,) = records
    assert record.id == "lib"
    assert [s.raw for s in record.licenses] == ["MIT OR Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"]
    assert [(s.raw, s.evidence.pointer) for s in record.concluded] == [
        ("MIT", "/bom/components/component/licenses/license/id")
    ]


@pytest.mark.parametrize(
    "ctype, url, expected",
    [
        ("data", "https://huggingface.co/datasets/squad/v2", ("dataset", "squad/v2")),
        ("machine-learning-model", "https://huggingface.co/google-bert/bert-base", ("model", "google-bert/bert-base")),
        ("machine-learning-model", "https://huggingface.co/datasets/squad/v2", ("model", "local-name")),
        ("machine-learning-model", "https://huggingface.co/google-bert", ("model", "local-name")),
        ("library", "https://huggingface.co/spaces/org/demo", ("code", "local-name")),
    ],
)
def test_hub_ids_from_external_references(tmp_path, ctype, url, expected):
    path = tmp_path / "bom.json"
    component = {"type": ctype, "name": "local-name", "externalReferences": [{"type": "distribution", "url": url}]}
    path.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [component]}))
    (record,) = read(path)[0]
    assert (record.kind, record.id) == expected


# --- conformance over the shared corpus ---------------------------------------------------------


def corpus_files():
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".json", ".xml")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared CycloneDX corpus not found at {CORPUS}")
def test_corpus_every_file_yields_records_or_a_named_problem():
    files = corpus_files()
    assert len(files) == 17
    for path in files:
        assert cyclonedx.detect(path, path.read_bytes()[:4096]), path.name
        records, problems = read(path)
        assert records or problems, path.name
        for problem in problems:
            assert problem.evidence.file == path.name and problem.message
        invalid = [p for p in problems if p.code == "invalid"]
        if "INVALID" in path.name:
            assert invalid and "either license entries or one expression" in invalid[0].message
        elif path.name.startswith("spec-"):
            assert invalid == [], (path.name, invalid)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared CycloneDX corpus not found at {CORPUS}")
def test_corpus_hub_aibom_names_the_hub_model():
    records, _ = read(CORPUS / "bxf12315-hf-aibom-generator.aibom.json")
    model = by_id(records)["tencent/HunyuanWorld-Voyager"]
    assert model.kind == "model"
    assert [s.raw for s in model.licenses] == ["tencent-hunyuanworld-voyager-community"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared CycloneDX corpus not found at {CORPUS}")
def test_corpus_hub_aibom_audit_reports_the_model_the_application_holds(tmp_path):
    """The AIBOM's subject is an application, its only component the model (`"dependencies": []`)."""
    shutil.copy(CORPUS / "bxf12315-hf-aibom-generator.aibom.json", tmp_path / "bom.json")
    doc = run_audit(tmp_path, asset="HunyuanWorld-Voyager")
    assert [(e["child"], e["relation"], e["parent"]) for e in doc["edges"]] == [
        ("HunyuanWorld-Voyager", "contains", "tencent/HunyuanWorld-Voyager")
    ]
    [lic001] = [f for f in doc["findings"] if f["rule"] == "LIC001"]
    assert "tencent-hunyuanworld-voyager-community" in lic001["message"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared CycloneDX corpus not found at {CORPUS}")
@pytest.mark.parametrize(
    "stem",
    [
        "spec-1.5-valid-machine-learning",
        "spec-1.6-valid-machine-learning",
        "spec-1.6-valid-bom-with-pedigree",
        "spec-1.6-valid-component-data",
    ],
)
def test_corpus_json_and_xml_twins_agree(stem):
    def essence(path):
        return sorted(
            (
                r.id,
                r.kind,
                tuple(s.raw for s in r.licenses),
                tuple(refs(r)),
                tuple(s.field for s in r.statements if s.field != "publisher"),
            )
            for r in read(path)[0]
        )

    assert essence(CORPUS / f"{stem}.json") == essence(CORPUS / f"{stem}.xml")
