"""A lineage or license entry that cannot be read fails the gate (INP001, error), naming the file and
field: an upstream the reader drops may bind the release, so a broken manifest never lets it pass."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import run_audit, write_tree

from auditor.parsed import JSON

# The release `rel` depends on `up`, a CC-BY-NC-4.0 dataset: a commercial release FAILs.
BOM: dict[str, JSON] = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "version": 1,
    "metadata": {
        "component": {
            "type": "machine-learning-model",
            "name": "rel",
            "bom-ref": "rel",
            "licenses": [{"license": {"id": "Apache-2.0"}}],
        }
    },
    "components": [{"type": "data", "name": "up", "bom-ref": "up", "licenses": [{"license": {"id": "CC-BY-NC-4.0"}}]}],
    "dependencies": [{"ref": "rel", "dependsOn": ["up"]}],
}


def _paths(value: JSON, at: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], JSON]]:
    found = [(at, value)] if at else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*at, i))
    return found


def _swaps(value: JSON) -> list[JSON]:
    """The same value as another JSON type: what a careless generator writes."""
    if isinstance(value, list):
        return [{"x": value}, "str"]
    if isinstance(value, dict):
        return [[value], "str"]
    if isinstance(value, str):
        return [5, [value], {"x": value}]
    return []


MUTANTS = [(at, new) for at, old in _paths(BOM) for new in _swaps(old)]


def _mutated(at: tuple[str | int, ...], new: JSON) -> dict[str, JSON]:
    bom = copy.deepcopy(BOM)
    node: JSON = bom
    for step in at[:-1]:
        node = node[step]  # type: ignore[index]
    node[at[-1]] = new  # type: ignore[index]
    return bom


def _verdict(tmp_path, files: dict[str, str]) -> tuple[str, list[dict]]:
    doc = run_audit(write_tree(tmp_path, files))
    return doc["verdict"], [f for f in doc["findings"] if f["rule"] == "INP001"]


def test_the_unmutated_bom_fails(tmp_path):
    assert _verdict(tmp_path, {"bom.cdx.json": json.dumps(BOM)})[0] == "fail"


@pytest.mark.parametrize(
    "at, new", MUTANTS, ids=[f"{'.'.join(map(str, at))}={json.dumps(n)[:20]}" for at, n in MUTANTS]
)
def test_one_field_of_another_type_never_lets_a_failing_bom_pass(tmp_path, at, new):
    verdict, _ = _verdict(tmp_path, {"bom.cdx.json": json.dumps(_mutated(at, new))})
    assert verdict != "pass"


@pytest.mark.parametrize(
    "at, new, message",
    [
        (("components", 0, "name"), None, "component has no 'name'"),
        (("components",), {"x": []}, "'components' should be an array, found an object"),
        (("dependencies", 0, "dependsOn", 0), "gone", "dependsOn 'gone' names no component or service"),
    ],
)
def test_an_unread_bom_entry_is_an_error_naming_file_and_field(tmp_path, at, new, message):
    bom = _mutated(at, new)
    if new is None:
        del bom["components"][0]["name"]  # type: ignore[index, union-attr, call-overload]
    verdict, errors = _verdict(tmp_path, {"bom.cdx.json": json.dumps(bom)})
    assert verdict != "pass" and any(message in f["message"] for f in errors), errors
    assert all(f["evidence"][0]["file"] == "bom.cdx.json" and f["severity"] == "error" for f in errors)


CARD = "---\nlicense: apache-2.0\n{field}\n---\n# rel\n"
NC_DATASET = "---\nlicense: cc-by-nc-4.0\n---\n# nc\n"


@pytest.mark.parametrize(
    "field, pointer",
    [
        ("datasets: {train: acme/nc}", "datasets"),
        ("datasets: [[acme/nc]]", "datasets[0]"),
        ("base_model: {name: acme/nc}", "base_model"),
    ],
)
def test_a_card_lineage_field_of_another_shape_is_an_error(tmp_path, field, pointer):
    files = {
        "mlaudit.toml": '[release]\nasset = "acme/rel"\n',
        "acme/rel/README.md": CARD.format(field=field),
        "datasets/acme/nc/README.md": NC_DATASET,
    }
    verdict, errors = _verdict(tmp_path, files)
    assert verdict != "pass" and [f["evidence"][0]["pointer"] for f in errors] == [pointer], errors


def test_an_spdx_relationship_to_no_element_is_an_error(tmp_path):
    text = (
        "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: d\n"
        "DocumentNamespace: https://x.example/d\nCreator: Tool: x\nCreated: 2024-03-01T12:00:00Z\n"
        "PackageName: rel\nSPDXID: SPDXRef-rel\nPackageDownloadLocation: NOASSERTION\nFilesAnalyzed: false\n"
        "PackageLicenseDeclared: Apache-2.0\n"
        "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-rel\nRelationship: SPDXRef-rel DESCENDANT_OF SPDXRef-up\n"
    )
    verdict, errors = _verdict(tmp_path, {"sbom.spdx": text})
    assert verdict != "pass" and ["names 'SPDXRef-up'" in f["message"] for f in errors] == [True], errors


@pytest.mark.parametrize("based_on", [{"@id": 5}, 5, {"x": "https://huggingface.co/datasets/acme/nc"}])
def test_a_croissant_upstream_naming_nothing_is_an_error(tmp_path, based_on):
    croissant = {
        "@context": {"@vocab": "https://schema.org/"},
        "@type": "Dataset",
        "name": "data",
        "url": "https://huggingface.co/datasets/acme/data",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "isBasedOn": based_on,
    }
    files = {
        "mlaudit.toml": '[release]\nasset = "acme/rel"\n',
        "acme/rel/README.md": CARD.format(field="datasets: [acme/data]"),
        "datasets/acme/data/croissant.json": json.dumps(croissant),
        "datasets/acme/nc/README.md": NC_DATASET,
    }
    verdict, errors = _verdict(tmp_path, files)
    assert verdict != "pass" and ["'isBasedOn' names no upstream" in f["message"] for f in errors] == [True], errors
