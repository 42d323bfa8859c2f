"""MOF model files: identity, global and per-component licenses, the model's own license, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, write_tree

from auditor.harvest import Context, harvest, mof
from auditor.harvest.layout import place
from auditor.naming import asset_key

FOLDER = FIXTURES / "formats" / "mof"
ORACLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "oracles" / "mof-classification"


def read(path: Path):
    return mof.read(path, Context(path.name, place("", "root")))


def read_text(tmp_path: Path, text: str):
    path = tmp_path / "model.yml"
    path.write_text(text, encoding="utf-8")
    return read(path)


def statements(record, prefix: str) -> dict[str, str]:
    return {s.field.removeprefix(prefix): s.value for s in record.statements if s.field.startswith(prefix)}


def test_hub_model_file():
    (record,), problems = read(FOLDER / "llama-3-8b.yml")
    assert problems == []
    assert (record.id, record.kind, record.format, record.version) == (
        "meta-llama/Meta-Llama-3-8B",
        "model",
        "mof",
        "8B",
    )
    assert {(i.scheme, i.value) for i in record.identifiers} == {
        ("name", "Llama-3-8B"),
        ("url", "https://huggingface.co/meta-llama/Meta-Llama-3-8B"),
        ("url", "https://github.com/meta-llama/llama3"),
    }
    (license_,) = record.licenses
    assert (license_.raw, license_.evidence.pointer, license_.evidence.line) == (
        "llama3",
        "release.components[2].license",
        43,
    )
    assert statements(record, "mof:license:") == {
        "distribution": "LicenseRef-Llama-3-Community",
        "code": "LicenseRef-Llama-3-Community",
        "data": "NONE",
        "document": "NONE",
    }
    assert statements(record, "mof:component:") == {
        "Model architecture": "NONE",
        "Inference code": "MIT",
        "Model parameters (Final)": "llama3",
        "Model card": "unlicensed",
        "Technical report": "CC-BY-4.0",
        "Evaluation results": "NONE",
    }
    fields = statements(record, "mof:")
    assert fields["producer"] == "Meta" and fields["architecture"] == "transformer decoder"
    assert fields["treatment"] == "pre-trained" and "origin" not in fields  # empty values are not statements


def test_where_a_component_license_is_set_shows_in_the_pointer():
    (record,), _ = read(FOLDER / "llama-3-8b.yml")
    pointers = {s.field: s.evidence.pointer for s in record.statements}
    assert pointers["mof:component:Inference code"] == "release.components[1].license"
    assert pointers["mof:component:Model architecture"] == "release.components[0]"
    assert pointers["mof:license:code"] == "release.license.code.name"
    assert pointers["mof:license:data"] == "release.license.data"


def test_parameters_without_license_fall_back_to_global_data_license():
    (record,), problems = read(FOLDER / "global-data-license.yml")
    assert problems == []
    assert record.id == "acme/support-chat-8b"
    assert [(i.scheme, i.value) for i in record.identifiers] == [
        ("hub", "acme/support-chat-8b")
    ]  # bare URLs are not identities
    (license_,) = record.licenses
    assert (license_.raw, license_.evidence.pointer) == ("CDLA-Permissive-2.0", "release.license.data.name")
    assert statements(record, "mof:component:")["Datasets"] == "NOASSERTION"


@pytest.mark.parametrize(
    "licenses, components, expected",
    [
        ("distribution: {name: Apache-2.0}", "- name: Model parameters (Final)", ["Apache-2.0"]),
        ("distribution: {name: Apache-2.0}\n    data: {name: ''}", "- name: Model parameters (Final)", ["Apache-2.0"]),
        ("distribution: {name: Apache-2.0}\n    data: {name: CC-BY-4.0}", "- name: Training code", ["Apache-2.0"]),
        ("code: {name: MIT}", "- name: Training code", []),
        ("data: {name: CC-BY-4.0}", "- {name: Model parameters (Final), license: unlicensed}", ["unlicensed"]),
        ("{}", "- name: Model parameters (Final)", []),
    ],
)
def test_the_model_license(tmp_path, licenses, components, expected):
    text = (
        f"framework: {{name: Model Openness Framework, version: '1.0'}}\nrelease:\n  name: m\n  producer: p\n"
        f"  license:\n    {licenses}\n  components:\n    {components}\n"
    )
    (record,), problems = read_text(tmp_path, text)
    assert [s.raw for s in record.licenses] == expected and problems == []


def test_wrong_shapes_and_unknown_components_are_reported():
    (record,), problems = read(FOLDER / "inconsistent.yml")
    messages = [(p.code, p.message, p.evidence.line) for p in problems]
    assert messages == [
        ("invalid", "'release.producer' is missing (the MOF schema requires it)", 4),
        ("bad-field", "'release.license.distribution' should be a mapping with name and path, found a list", 7),
        ("bad-field", "'release.license.code.name' should be a string, found a mapping", 9),
        ("invalid", "component 'Model weights' is not one of the Model Openness Framework's components", 11),
        ("invalid", "component 'Training code' is listed twice; the first entry is used", 15),
        ("bad-field", "'release.components[3]' should be a mapping with a name", 17),
        ("bad-field", "'release.components[4].license' should be a string, found a list", 19),
    ]
    assert all(p.asset == asset_key("model", "Demo-Model") for p in problems)
    assert statements(record, "mof:component:") == {
        "Model weights": "MIT",
        "Training code": "MIT",
        "Model card": "NONE",
    }
    assert statements(record, "mof:license:") == {} and record.licenses == []


def test_missing_framework_is_invalid(tmp_path):
    (_record,), problems = read_text(tmp_path, "release:\n  name: m\n  producer: p\n  license: {}\n  components: []\n")
    assert [p.message for p in problems] == [
        "'framework' is missing: the file does not say which framework version it follows"
    ]


def test_duplicate_keys_are_reported(tmp_path):
    text = (
        "framework: {name: Model Openness Framework}\nrelease:\n  name: a\n  name: b\n  producer: p\n"
        "  license: {}\n  components: []\n"
    )
    (record,), problems = read_text(tmp_path, text)
    assert record.id == "b" and [(p.code, p.evidence.line) for p in problems] == [("duplicate-key", 4)]


@pytest.mark.parametrize(
    "name, code, words",
    [
        ("broken.yml", "malformed", "invalid YAML"),
        ("alias-bomb.yml", "malformed", "more than 50000 values"),
    ],
)
def test_unreadable_files(name, code, words):
    records, problems = read(FOLDER / name)
    assert records == [] and problems[0].code == code and words in problems[0].message
    assert "front matter" not in problems[0].message


def test_broken_yaml_names_its_line():
    _, problems = read(FOLDER / "broken.yml")
    assert problems[0].evidence.line in (7, 8)  # the sequence is never closed: the end of the file


@pytest.mark.parametrize(
    "text, words",
    [
        ("release: [a, b]\ncomponents: []\n", "'release' should be a mapping of the model's fields, found a list"),
        (
            "framework: {name: Model Openness Framework}\nrelease:\n  version: '1'\n  components: []\n",
            "'release.name' is missing or empty: the model is not named",
        ),
        ("- release: x\n", "the file is a list, expected a mapping of fields"),
    ],
)
def test_files_that_name_no_model(tmp_path, text, words):
    records, problems = read_text(tmp_path, text)
    assert records == [] and problems[0].code == "malformed" and problems[0].message == words


def test_detect_is_specific():
    head = (FOLDER / "llama-3-8b.yml").read_bytes()[:4096]
    assert mof.detect(Path("llama-3-8b.yml"), head)
    assert mof.detect(Path("m.yaml"), b"release:\n  name: x\n  components:\n")
    assert not mof.detect(Path("m.json"), head)
    assert not mof.detect(Path(".m.yml"), head)
    assert not mof.detect(Path("spdx.yaml"), b"spdxVersion: SPDX-2.3\nrelease:\n  components:\n")
    assert not mof.detect(Path("ci.yml"), b"on: push\njobs:\n  release:\n    components: x\n")
    assert not mof.detect(Path("m.yml"), b"license: mit\nbase_model: a/b\n")


def test_harvest_reads_mof_files_anywhere_in_the_release(tmp_path):
    root = write_tree(tmp_path / "r", {"openness/llama.yml": (FOLDER / "llama-3-8b.yml").read_text()})
    result = harvest(root)
    assert [(r.id, r.format) for r in result.records] == [("meta-llama/Meta-Llama-3-8B", "mof")]
    assert result.inventory[0].format == "mof" and result.inventory[0].status == "read"


# --- conformance with the Model Openness Tool's test files ----------------------------------------


def oracle_files() -> list[Path]:
    return sorted(ORACLE.glob("*.yml")) if ORACLE.is_dir() else []


def test_oracle_folder_present():
    if not ORACLE.is_dir():
        pytest.skip(f"shared corpus folder {ORACLE} is absent (checked out without ../shared)")
    assert len(oracle_files()) == 28


@pytest.mark.parametrize("path", oracle_files(), ids=lambda p: p.name[:40])
def test_every_oracle_file_is_read(path):
    assert mof.detect(path, path.read_bytes()[:4096])
    records, problems = read(path)
    assert records, f"{path.name}: {[p.message for p in problems]}"
    assert problems == []


@pytest.mark.parametrize(
    "path", [p for p in oracle_files() if re.search(r"_\d+C_\d+G_\d+L_", p.name)], ids=lambda p: p.name[:40]
)
def test_oracle_counts_match_the_statements(path):
    """The file names count components (C), global licenses (G) and component licenses (L)."""
    components, globals_, licensed = map(int, re.search(r"_(\d+)C_(\d+)G_(\d+)L_", path.name).groups())
    (record,), _ = read(path)
    listed = statements(record, "mof:component:")
    assert len(listed) == components
    assert sum(v != "NONE" for v in statements(record, "mof:license:").values()) == globals_
    assert sum(v != "NONE" for v in listed.values()) == licensed
