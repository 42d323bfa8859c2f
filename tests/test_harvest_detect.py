"""Format detection does not hang on byte accidents: a manifest is recognised whatever its key order
and Unicode encoding, and one that looks like a manifest but is recognised by no reader is reported,
never skipped as "not a manifest format" (the release would pass on it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES

from auditor.harvest import harvest, prolog, sniff

FORMATS = FIXTURES / "formats"
SEEDS = [
    "croissant/synthetic-instructions.json",
    "cyclonedx/support-chat.cdx.json",
    "cyclonedx/support-chat.cdx.xml",
    "mof/llama-3-8b.yml",
    "openml/credit-g.json",
    "schemaorg/dataset-page.jsonld",
    "spdx2/ml-release.spdx",
    "spdx2/ml-release.spdx.json",
    "spdx2/ml-release.spdx.rdf.xml",
    "spdx2/ml-release.spdx.xml",
]
JSON_SEEDS = [s for s in SEEDS if s.endswith((".json", ".jsonld"))]
_DECLARED = re.compile(rb"""encoding=["'][\w-]+["']""")


def harvested(folder: Path, name: str, data: bytes) -> tuple[tuple[str, str], list[str]]:
    """The inventory entry (format, status) and record ids of `data` harvested alone as `name`."""
    folder.mkdir()
    (folder / name).write_bytes(data)
    result = harvest(folder)
    (entry,) = result.inventory
    return (entry.format, entry.status), sorted(r.id for r in result.records)


@pytest.mark.parametrize("seed", JSON_SEEDS)
def test_json_markers_past_the_head_are_found_whatever_the_key_order(tmp_path, seed):
    data = (FORMATS / seed).read_bytes()
    doc = json.loads(data)
    moved = {"description-first": "x" * 6000, **dict(reversed(doc.items()))}
    name = Path(seed).name
    expected = harvested(tmp_path / "as-written", name, data)
    assert harvested(tmp_path / "reordered", name, json.dumps(moved, indent=1).encode()) == expected


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_manifest_with_a_byte_order_mark_reads_as_in_utf8(tmp_path, seed, codec):
    """UTF-16 and UTF-32 with their mark, as XML, JSON and YAML allow (an XML declaration says so)."""
    data = (FORMATS / seed).read_bytes()
    text = _DECLARED.sub(f'encoding="{codec.upper()[:6]}"'.encode(), data).decode("utf-8")
    bom = b"\xfe\xff" if codec == "utf-16-be" else b""  # the -be codec writes no mark of its own
    name = Path(seed).name
    expected = harvested(tmp_path / "utf-8", name, data)
    assert harvested(tmp_path / codec, name, bom + text.encode(codec)) == expected


@pytest.mark.parametrize(
    "name, data",
    [
        ("bom.json", b'{"bomFormat": "cyclonedx", "specVersion": "1.6", "components": []}'),
        ("release.json", b'{"metadata": {}, "bomFormat": "CycloneDX-ish"}'),
        ("sbom.json", b'{"packages": []}'),
        ("model.spdx.json", b'{"name": "x"}'),
        ("d.spdx.yaml", b"name: x\n"),
        ("bom.xml", b"<bom/>"),
        ("x.cdx.json", b"[1, 2]"),
    ],
)
def test_a_file_that_looks_like_a_manifest_but_is_none_is_reported(tmp_path, name, data):
    (entry, _) = harvested(tmp_path / "f", name, data)
    assert entry == ("unknown", "unreadable")


@pytest.mark.parametrize(
    "name, data",
    [
        ("tokenizer.json", b'{"version": "1.0", "model": {"vocab": {"a": 1}}}'),
        ("codemeta.json", b'{"@context": "https://doi.org/10.5063/schema/codemeta-2.0", "name": "x"}'),
        ("special_tokens_map.json", b'{"bos_token": "<s>"}'),
        ("notes.xml", b"<notes/>"),
        ("params.yaml", b"lr: 0.1\n"),
    ],
)
def test_other_files_are_still_skipped_quietly(tmp_path, name, data):
    (entry, _) = harvested(tmp_path / "f", name, data)
    assert entry == ("unknown", "skipped")


def test_a_json_file_too_large_to_examine_is_reported_by_its_bound_not_as_no_manifest(tmp_path, monkeypatch):
    """Past sniff.MEMBERS_LIMIT a JSON file is not parsed to find its format: holding a manifest's own
    key, it is an input error naming the bound; holding none, it is skipped as not examined, not as
    "not a manifest"."""
    monkeypatch.setattr(sniff, "MEMBERS_LIMIT", 1024)
    padding = "x" * (sniff.HEAD_BYTES + 2048)
    bom = json.dumps({"x": padding, "metadata": {}, "bomFormat": "CycloneDX", "specVersion": "1.6"})
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "lineage-info.json").write_text(bom)
    result = harvest(folder)
    assert [(e.status, e.format) for e in result.inventory] == [("unreadable", "unknown")]
    [problem] = result.problems
    assert "holds 'bomFormat'" in problem.message and "over the 0 MB" in problem.message
    (folder / "lineage-info.json").write_text(json.dumps({"x": padding, "vocab": {"bomFormat_": 1}}))
    [entry] = harvest(folder).inventory
    assert entry.status == "skipped" and "not examined further" in entry.reason


NON_JSON_SEEDS = [s for s in SEEDS if s not in JSON_SEEDS]
_DECLARATION = re.compile(rb"^<\?xml[^>]*\?>")


def _after_declaration(data: bytes, inserted: bytes) -> bytes:
    """`inserted` at the start of `data`, or after its XML declaration (which must come first)."""
    declared = _DECLARATION.match(data)
    end = declared.end() if declared else 0
    return data[:end] + inserted + data[end:]


@pytest.mark.parametrize("seed", NON_JSON_SEEDS)
def test_a_licence_header_of_comments_past_the_head_hides_no_manifest(tmp_path, seed):
    """Comments before an XML root or a YAML or tag-value first key are legal and common (a licence
    header); they do not push the format's markers out of sight."""
    data = (FORMATS / seed).read_bytes()
    line = "Copyright 2024 ACME Corp. Licensed under the Apache License, Version 2.0.\n"
    header = f"\n<!--\n{line * 80}-->\n" if seed.endswith(".xml") else "".join(f"# {line}" for _ in range(80))
    name = Path(seed).name
    expected = harvested(tmp_path / "plain", name, data)
    assert expected[0][1] == "read"
    assert harvested(tmp_path / "headed", name, _after_declaration(data, header.encode())) == expected


@pytest.mark.parametrize("seed, root", [("cyclonedx/support-chat.cdx.xml", b"<bom"), ("openml/bad-fields.xml", None)])
def test_thousands_of_attributes_before_the_root_namespace_hide_no_manifest(tmp_path, seed, root):
    data = (FORMATS / seed).read_bytes()
    root = root or b"<oml:data_set_description"
    attributes = b"".join(b' a%d="x"' % i for i in range(70_000))
    name = Path(seed).name
    for side in ("plain", "many"):
        (tmp_path / side).mkdir()
    expected = harvested(tmp_path / "plain" / "d", name, data)
    assert harvested(tmp_path / "many" / "d", name, data.replace(root, root + attributes, 1)) == expected


@pytest.mark.parametrize(
    "name, data",
    [
        ("notes.xml", b"<?xml version='1.0'?><!--" + b"x" * (prolog.LIMIT + 8192) + b"--><notes/>"),
        ("notes.xml", b"<notes" + b"".join(b' a%d="x"' % i for i in range(prolog.LIMIT // 8)) + b"/>"),
        ("params.yaml", b"# a header\n" * (prolog.LIMIT // 10 + 1000) + b"lr: 0.1\n"),
    ],
    ids=["comment", "start tag", "yaml comments"],
)
def test_a_file_whose_content_starts_past_the_bound_is_reported_not_skipped(tmp_path, name, data):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / name).write_bytes(data)
    result = harvest(folder)
    assert [(e.format, e.status) for e in result.inventory] == [("unknown", "unreadable")]
    assert "running past its first 1 MB, up to which its format is looked for" in result.problems[0].message
