"""A key given twice in one object of a manifest is told in every format (the last value is used, as
json.loads and PyYAML keep it, but other readers keep the first): never resolved silently."""

from __future__ import annotations

import json

import pytest
from conftest import write_tree

from auditor.harvest import harvest
from auditor.model import DUPLICATE_KEY, TWICE, TWICE_DECIDES, UNREAD_ENTRY
from auditor.readers import safejson, safeyaml

CDX = (
    '{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "metadata": {"component": '
    '{"type": "machine-learning-model", "name": "rel", "bom-ref": "rel"}}, "components": [{"type": "data", '
    '"name": "up", "bom-ref": "up", "licenses": [{"license": {"id": "CC-BY-NC-4.0", "id": "MIT"}}]}]}'
)
SPDX_JSON = (
    '{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "d", "dataLicense": "CC0-1.0", '
    '"documentNamespace": "https://x.example/d", "creationInfo": {"created": "2020-01-01T00:00:00Z", '
    '"creators": ["Tool: x"]}, "packages": [{"SPDXID": "SPDXRef-up", "name": "up", "downloadLocation": '
    '"NOASSERTION", "licenseDeclared": "CC-BY-NC-4.0", "licenseDeclared": "MIT"}]}'
)
SPDX_YAML = """\
spdxVersion: SPDX-2.3
SPDXID: SPDXRef-DOCUMENT
name: d
dataLicense: CC0-1.0
documentNamespace: https://x.example/d
creationInfo:
  created: '2020-01-01T00:00:00Z'
  creators: ['Tool: x']
packages:
- SPDXID: SPDXRef-up
  name: up
  downloadLocation: NOASSERTION
  licenseDeclared: CC-BY-NC-4.0
  licenseDeclared: MIT
"""
CROISSANT = (
    '{"@context": {"@vocab": "https://schema.org/"}, "@type": "Dataset", "name": "d", '
    '"license": "CC-BY-NC-4.0", "license": "MIT"}'
)
ADAPTER = '{"base_model_name_or_path": "acme/nc", "base_model_name_or_path": "acme/free", "peft_type": "LORA"}'


def test_safejson_tells_where_each_key_given_twice_is():
    twice: list[safejson.Where] = []
    value = safejson.loads(b'{"a": {"id": 1, "id": 2}, "l": [{"x": 1, "x": 1}], "b": 3}', twice)
    assert value == {"a": {"id": 2}, "l": [{"x": 1}], "b": 3}
    assert [safejson.dotted(at) for at in twice] == ["a.id", "l[0].x"]
    assert twice == [("a", "id"), ("l", 0, "x")]
    again: list[safejson.Where] = []
    assert safejson.loads(b'{"a": {"id": 1}}', again) == {"a": {"id": 1}} and again == []


def test_safeyaml_tells_each_key_given_twice_with_its_line():
    node = safeyaml.compose("a:\n  id: 1\n  id: 2\nl:\n- x: 1\n  x: 2\n")
    assert node is not None and safeyaml.keys_twice(node) == [("a.id", 3), ("l[0].x", 6)]


CARD = "---\nlicense: cc-by-nc-4.0\nlicense: mit\ntags: [a]\ntags: [b]\n---\n# Model\n"
MOF = """\
framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}
release:
  name: rel
  version: '1'
  date: '2024-01-01'
  type: language
  architecture: transformer
  origin: none
  producer: acme
  contact: a@acme.example
  date: '2024-01-02'
  license:
    distribution: {name: MIT, path: LICENSE}
    distribution: {name: CC-BY-NC-4.0, path: LICENSE}
  components: []
"""


@pytest.mark.parametrize(
    "rel, text, pointer",
    [
        ("bom.cdx.json", CDX, "components[0].licenses[0].license.id"),
        ("sbom.spdx.json", SPDX_JSON, "packages[0].licenseDeclared"),
        ("sbom.spdx.yaml", SPDX_YAML, "packages[0].licenseDeclared"),
        ("datasets/acme/d/croissant.json", CROISSANT, "license"),
        ("models/acme/rel/adapter_config.json", ADAPTER, "base_model_name_or_path"),
        ("models/acme/rel/README.md", CARD, "license"),
        ("rel.mof.yaml", MOF, "release.license.distribution"),
    ],
)
def test_a_key_given_twice_in_a_license_or_lineage_field_is_an_unread_entry(tmp_path, rel, text, pointer):
    """Which of the two values the author meant decides the asset's terms or upstreams: not known,
    so the entry is unread and fails the gate (INP001), as an entry of the wrong shape does."""
    write_tree(tmp_path, {rel: text})
    told = [p for p in harvest(tmp_path).problems if p.evidence.file == rel and "twice" in p.message]
    deciding = [p for p in told if p.code == UNREAD_ENTRY]
    assert [p.message for p in deciding] == [TWICE_DECIDES.format(pointer)], told


@pytest.mark.parametrize(
    "rel, text, pointer",
    [
        (
            "bom.cdx.json",
            CDX.replace('"name": "up"', '"name": "up", "version": "1", "version": "2"'),
            "components[0].version",
        ),
        ("models/acme/rel/README.md", CARD, "tags"),
        ("rel.mof.yaml", MOF, "release.date"),
    ],
)
def test_a_key_given_twice_elsewhere_is_told_as_a_warning(tmp_path, rel, text, pointer):
    write_tree(tmp_path, {rel: text})
    told = [p for p in harvest(tmp_path).problems if p.code == DUPLICATE_KEY]
    assert TWICE.format(pointer) in [p.message for p in told], told


def test_the_same_manifest_written_once_is_not_told(tmp_path):
    write_tree(tmp_path, {"bom.cdx.json": json.dumps(json.loads(CDX))})
    assert not [p for p in harvest(tmp_path).problems if "twice" in p.message]
