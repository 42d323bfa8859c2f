"""Harvesting schema.org Dataset JSON-LD: prefixes resolved without fetching contexts, @graph and
catalogs, @id references, license objects, identifiers, lineage, and the JSON line index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, write_tree

from auditor.harvest import Context, harvest, schemaorg
from auditor.harvest.layout import place
from auditor.identity import hub_ref
from auditor.naming import asset_key
from auditor.readers.jsonlines import json_lines

HERE = FIXTURES / "formats" / "schemaorg"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "manifests"


pytestmark = pytest.mark.usefixtures("no_network")


def read(path: Path):
    return schemaorg.read(path, Context(path.name, place("", "release")))


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "dataset.jsonld"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


# --- detection ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("dataset-page.jsonld", True),
        ("graph.jsonld", True),
        ("catalog.json", True),
        ("broken.jsonld", True),
        ("person.jsonld", False),
    ],
)
def test_detect(name, expected):
    path = HERE / name
    assert schemaorg.detect(path, path.read_bytes()[:4096]) is expected


def test_croissant_files_are_left_to_the_croissant_reader():
    path = FIXTURES / "formats" / "croissant" / "synthetic-instructions.json"
    assert not schemaorg.detect(path, path.read_bytes()[:4096])


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("folder", ("croissant", "spdx2", "spdx3", "cyclonedx", "hf-model-cards", "openml"))
def test_corpus_files_of_other_formats_are_not_claimed(folder):
    for path in sorted((CORPUS / folder).glob("*")) if (CORPUS / folder).is_dir() else []:
        assert not schemaorg.detect(path, path.read_bytes()[:4096]), path.name


# --- a dataset page ---------------------------------------------------------------------------------


def test_dataset_page():
    (record,), problems = read(HERE / "dataset-page.jsonld")
    assert (record.id, record.kind, record.format, record.version) == (
        "Coastal bird counts 2010-2020",
        "dataset",
        "schema.org",
        "3",
    )
    assert [(s.raw, s.name, s.link) for s in record.licenses] == [
        (None, "CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/")
    ]
    assert [(i.scheme, i.value) for i in record.identifiers] == [
        ("doi", "10.5061/dryad.abc123"),
        ("url", "https://doi.org/10.5061/dryad.abc123"),
        ("url", "https://data.birds.example/coastal-counts"),
        ("url", "https://www.wikidata.org/wiki/Q00000000"),
    ]
    assert [(c.algorithm, c.file) for c in record.checksums] == [
        ("sha256", "https://data.birds.example/coastal-counts/counts.csv")
    ]
    assert [(s.field, s.evidence.pointer) for s in record.statements] == [
        ("description", "/description"),
        ("citation", "/citation"),
        ("creator", "/creator/@list/0"),
        ("creator", "/creator/@list/1"),
        ("publisher", "/publisher"),
        ("usageInfo", "/usageInfo"),
    ]
    assert [(r.target, r.relation, r.scheme) for r in record.references] == [
        ("https://doi.org/10.5061/dryad.xyz789", "derived_from", "url")
    ]
    assert problems == []


def test_graph_resolves_ids_and_links_its_own_datasets():
    records, problems = read(HERE / "graph.jsonld")
    corpus, transcripts = records
    assert corpus.id == "speechlab/read-speech" and transcripts.id == "read-speech-transcripts"
    assert [(s.field, s.value) for s in corpus.statements] == [("creator", "Speech Lab")]
    assert [(r.target, r.kind, r.relation, r.scheme) for r in transcripts.references] == [
        ("speechlab/read-speech", "dataset", "derived_from", "record"),
        ("openai/whisper-large-v3", "model", "generated_by", "hub"),
    ]
    assert problems == []


def test_catalog_datasets_and_full_iri_keys():
    records, _ = read(HERE / "catalog.json")
    assert [(r.id, [s.raw for s in r.licenses]) for r in records] == [
        ("bike-counters", ["https://opendatacommons.org/licenses/odbl/1-0/"]),
        ("street-trees", []),
    ]


@pytest.mark.parametrize(
    "context, key",
    [
        ("https://schema.org", "license"),
        ({"sc": "http://schema.org/"}, "sc:license"),
        ({"s": "https://schema.org/"}, "s:license"),
        ({}, "http://schema.org/license"),
        ({"licence": {"@id": "http://schema.org/license"}}, "licence"),
    ],
)
def test_every_spelling_of_a_property_is_read(tmp_path, context, key):
    path = write(tmp_path, {"@context": context, "@type": "Dataset", "name": "d", key: "mit"})
    (record,), _ = read(path)
    assert [s.raw for s in record.licenses] == ["mit"]


def test_problems_carry_the_asset_they_concern(tmp_path):
    path = write(
        tmp_path,
        {
            "@context": "https://schema.org/",
            "@graph": [
                {"@type": "Dataset", "name": "good", "license": "mit"},
                {"@type": "Dataset", "name": "bad", "license": ["mit", 7]},
            ],
        },
    )
    _, (problem,) = read(path)
    assert problem.asset == asset_key("dataset", "bad") and problem.evidence.pointer == "/@graph/1/license/1"


def test_reference_cycles_do_not_hang(tmp_path):
    path = write(
        tmp_path,
        {
            "@context": "https://schema.org/",
            "@graph": [
                {"@id": "#a", "@type": "Dataset", "name": "a", "isBasedOn": {"@id": "#b"}},
                {"@id": "#b", "@type": "Dataset", "name": "b", "isBasedOn": {"@id": "#a"}},
            ],
        },
    )
    records, _ = read(path)
    assert [(r.id, [x.target for x in r.references]) for r in records] == [("a", ["b"]), ("b", ["a"])]


def test_an_upstream_described_inline_with_its_license_is_a_record(tmp_path):
    """A full Dataset inside isBasedOn states the upstream's terms: they are read at the node's field,
    also a level down; a node that only names its upstream stays a reference."""
    inner = {"@type": "Dataset", "name": "raw", "url": "https://example.org/raw", "license": "CC0-1.0"}
    upstream = {"@type": "Dataset", "name": "wiki-text", "license": ["CC-BY-SA-3.0", "GFDL-1.3"], "isBasedOn": inner}
    mentioned = {"@type": "Dataset", "name": "other"}
    path = write(
        tmp_path,
        {"@context": "https://schema.org/", "@type": "Dataset", "name": "qa", "isBasedOn": [upstream, mentioned]},
    )
    records, problems = read(path)
    assert problems == []
    assert [(r.id, [x.target for x in r.references]) for r in records] == [
        ("qa", ["wiki-text", "other"]),
        ("wiki-text", ["https://example.org/raw"]),
        ("https://example.org/raw", []),
    ]
    licenses = [[(s.raw, s.evidence.pointer) for s in r.licenses] for r in records[1:]]
    assert licenses == [
        [("CC-BY-SA-3.0", "/isBasedOn/0/license/0"), ("GFDL-1.3", "/isBasedOn/0/license/1")],
        [("CC0-1.0", "/isBasedOn/0/isBasedOn/license")],
    ]


def test_not_a_dataset_and_broken_files():
    records, (problem,) = read(HERE / "person.jsonld")
    assert records == [] and problem.code == "malformed" and "'Person'" in problem.message
    records, (problem,) = read(HERE / "broken.jsonld")
    assert records == [] and problem.code == "malformed" and problem.evidence.line == 6


def test_harvest_routes_schema_org_files(tmp_path):
    root = write_tree(tmp_path / "r", {"data/page.jsonld": (HERE / "dataset-page.jsonld").read_text(encoding="utf-8")})
    (entry,) = harvest(root).inventory
    assert (entry.format, entry.status) == ("schema.org", "read")


def test_every_dataset_fixture_is_routed_to_this_reader():
    formats = {e.file: e.format for e in harvest(HERE).inventory}
    assert formats.pop("person.jsonld") == "unknown"
    assert set(formats.values()) == {"schema.org"}


# --- helpers ------------------------------------------------------------------------------------------


def test_json_lines_maps_pointers_to_lines():
    text = '{\n "a": [\n  1,\n  {"b/c": "x",\n   "d": [true]}\n ],\n "e": "\\"}"\n}'
    lines = json_lines(text)
    assert lines == {"": 1, "/a": 2, "/a/0": 3, "/a/1": 4, "/a/1/b~1c": 4, "/a/1/d": 5, "/a/1/d/0": 5, "/e": 7}


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://huggingface.co/datasets/org/name", ("dataset", "org/name", None)),
        ("https://huggingface.co/datasets/squad", ("dataset", "squad", None)),
        (
            "https://huggingface.co/datasets/fashion_mnist/tree/refs%2Fconvert%2Fparquet",
            ("dataset", "fashion_mnist", "refs/convert/parquet"),
        ),
        ("https://huggingface.co/org/model/blob/abc123/config.json", ("model", "org/model", "abc123")),
        ("https://huggingface.co/rajpurkar", None),
        ("https://huggingface.co/spaces/org/app", None),
        ("https://example.org/datasets/org/name", None),
    ],
)
def test_hub_urls(url, expected):
    assert hub_ref(url) == expected
