"""Model folders: configs, adapter lineage, license texts, safetensors and GGUF headers, checksums."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct
import textwrap
from pathlib import Path

import pytest
from conftest import FIXTURES, RB, findings_of, run_audit, write_tree

from auditor.harvest import Context, harvest, licensetext, modelfolder, weights
from auditor.harvest.layout import place
from auditor.identity import hub_repo
from auditor.model import Evidence, LicenseStatement
from auditor.naming import asset_key

FOLDER = FIXTURES / "formats" / "modelfolder"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "manifests" / "hf-model-cards"
TEXTS = licensetext.texts_dir()


def records_of(result, rel: str):
    return [r for r in result.records if r.source == rel]


def problems_of(result, rel: str):
    return [p for p in result.problems if p.evidence.file == rel]


def read_one(tmp_path: Path, name: str, body, where: str = "acme/m"):
    """Harvest a folder holding one file; return (its record or None, its problems, its inventory entry)."""
    rel = f"{where}/{name}"
    result = harvest(write_tree(tmp_path / "r", {rel: body}))
    records = records_of(result, rel)
    entry = next(e for e in result.inventory if e.file == rel)
    return (records[0] if records else None), problems_of(result, rel), entry


def unpinned(record) -> bool:
    """A weight file whose header could not be read: weights all the same, with no checksum."""
    return record.role == "weights" and record.checksums == [] and record.statements == []


# --- synthetic weight files ---------------------------------------------------------------------


def safetensors(header: dict | bytes, payload: bytes = b"\0" * 16) -> bytes:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + payload


def gguf_string(text: str, wide: bool = True) -> bytes:
    data = text.encode()
    return struct.pack("<Q" if wide else "<I", len(data)) + data


def gguf_value(value, wide: bool = True) -> bytes:
    """Type tag and value: str -> STRING, bool -> BOOL, int -> UINT32, float -> FLOAT32, list -> ARRAY."""
    if isinstance(value, str):
        return struct.pack("<I", 8) + gguf_string(value, wide)
    if isinstance(value, bool):
        return struct.pack("<I?", 7, value)
    if isinstance(value, int):
        return struct.pack("<II", 4, value)
    if isinstance(value, float):
        return struct.pack("<If", 6, value)
    kind, items = (
        (8, b"".join(gguf_string(v, wide) for v in value))
        if value and isinstance(value[0], str)
        else (4, b"".join(struct.pack("<I", v) for v in value))
    )
    return struct.pack("<II", 9, kind) + struct.pack("<Q" if wide else "<I", len(value)) + items


def gguf(metadata: dict, tensors: list[int] = (12,), version: int = 3, tail: bytes = b"\0" * 32) -> bytes:
    """A GGUF file: header, metadata, one tensor info per ggml type in `tensors`, some data."""
    wide = version >= 2
    count = "<Q" if wide else "<I"
    out = b"GGUF" + struct.pack("<I", version) + struct.pack(count, len(tensors)) + struct.pack(count, len(metadata))
    for key, value in metadata.items():
        out += gguf_string(key, wide) + gguf_value(value, wide)
    for i, kind in enumerate(tensors):
        out += gguf_string(f"blk.{i}.weight", wide) + struct.pack("<I", 2) + struct.pack("<QQ" if wide else "<II", 8, 8)
        out += struct.pack("<IQ", kind, 0)
    return out + tail


GGUF_META = {
    "general.architecture": "llama",
    "general.name": "Support Chat 8B",
    "general.license": "llama3.1",
    "general.license.link": "https://www.llama.com/llama3_1/license/",
    "general.file_type": 15,
    "general.quantization_version": 2,
    "general.tags": ["text-generation", "llama"],
    "general.base_model.count": 1,
    "general.base_model.0.name": "Llama 3.1 8B Instruct",
    "general.base_model.0.organization": "Meta Llama",
    "general.base_model.0.repo_url": "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct",
    "general.dataset.count": 1,
    "general.dataset.0.name": "Alpaca",
    "general.dataset.0.repo_url": "https://huggingface.co/datasets/tatsu-lab/alpaca",
    "tokenizer.ggml.tokens": [f"tok{i}" for i in range(300)],
    "tokenizer.ggml.token_type": list(range(300)),
    "llama.context_length": 131072,
    "llama.rope.freq_base": 500000.0,
    "tokenizer.ggml.add_bos_token": True,
}


# --- the LoRA adapter from the corpus -----------------------------------------------------------


def test_adapter_lineage_comes_from_adapter_config():
    result = harvest(FOLDER / "lora-adapter")
    rel = "BanglaGPT/llama3-instruct-lora-adapter/adapter_config.json"
    (record,) = records_of(result, rel)
    assert (record.id, record.kind, record.format) == (
        "BanglaGPT/llama3-instruct-lora-adapter",
        "model",
        "model-folder",
    )
    (ref,) = record.references
    assert (ref.target, ref.kind, ref.relation, ref.scheme, ref.revision) == (
        "meta-llama/Meta-Llama-3-8B-Instruct",
        "model",
        "adapter",
        "hub",
        None,
    )
    assert ref.basis == "declared in adapter_config.json"
    assert (ref.evidence.file, ref.evidence.pointer, ref.evidence.line) == (rel, "/base_model_name_or_path", 4)
    assert {(s.field, s.value) for s in record.statements} == {("peft_type", "LORA"), ("task_type", "CAUSAL_LM")}
    assert record.licenses == [] and problems_of(result, rel) == []


def test_adapter_scenario_audits_with_the_edge_from_adapter_config(tmp_path):
    release = tmp_path / "release"
    shutil.copytree(FOLDER / "lora-adapter", release)
    shutil.copy(TEXTS / "MIT.txt", release / "BanglaGPT" / "llama3-instruct-lora-adapter" / "LICENSE")
    doc = run_audit(release)
    files = {f["file"]: f for f in doc["inventory"]}
    assert files["BanglaGPT/llama3-instruct-lora-adapter/adapter_config.json"]["format"] == "model-folder"
    assert files["BanglaGPT/llama3-instruct-lora-adapter/LICENSE"]["status"] == "read"
    assert any(
        e["parent"].lower().endswith("meta-llama/meta-llama-3-8b-instruct") and e["relation"] == "adapter"
        for e in doc["edges"]
    )


def test_adapter_revision_is_the_pinned_revision(tmp_path):
    body = '{"base_model_name_or_path": "meta-llama/Llama-3.1-8B", "revision": "0e9e39f", "peft_type": "LORA"}'
    record, problems, _ = read_one(tmp_path, "adapter_config.json", body)
    assert record.references[0].revision == "0e9e39f" and problems == []


def test_adapter_on_a_local_path_is_an_upstream_of_unknown_terms(tmp_path):
    """The adapter certainly has a base: a path naming no repository keeps it, unresolved, and tells."""
    body = '{"base_model_name_or_path": "/home/me/models/llama-3-8b", "peft_type": "LORA"}'
    record, problems, entry = read_one(tmp_path, "adapter_config.json", body)
    assert [(r.target, r.scheme, r.relation) for r in record.references] == [
        ("/home/me/models/llama-3-8b", "name", "adapter")
    ]
    assert entry.status == "read" and [p.code for p in problems] == ["bad-field"]
    assert "local path" in problems[0].message and problems[0].asset == asset_key("model", "acme/m")


@pytest.mark.parametrize(
    ("base", "revision"),
    [
        ("/home/u/.cache/huggingface/hub/models--Org2--b/snapshots/0123abcd", "0123abcd"),
        ("C:\\cache\\models--Org2--b", None),
        ("https://huggingface.co/Org2/b", None),
        ("huggingface.co/Org2/b/tree/v1", "v1"),
    ],
)
def test_adapter_base_in_the_hub_cache_or_a_hub_url_names_the_repository(tmp_path, base, revision):
    body = json.dumps({"base_model_name_or_path": base, "peft_type": "LORA"})
    record, problems, _ = read_one(tmp_path, "adapter_config.json", body)
    assert [(r.target, r.scheme, r.revision) for r in record.references] == [("Org2/b", "hub", revision)]
    assert problems == []


def test_adapter_without_base_model_is_invalid(tmp_path):
    record, problems, _ = read_one(
        tmp_path, "adapter_config.json", '{"peft_type": "LORA", "base_model_name_or_path": null}'
    )
    assert record.references == [] and [p.code for p in problems] == ["invalid"]


def test_adapter_fields_of_the_wrong_shape(tmp_path):
    record, problems, _ = read_one(
        tmp_path, "adapter_config.json", '{"base_model_name_or_path": ["a/b"], "peft_type": 3}'
    )
    assert sorted(p.message for p in problems) == [
        "'base_model_name_or_path' should be a string, found array",
        "'peft_type' should be a string, found number",
    ]
    assert record.references == []


# --- configs ------------------------------------------------------------------------------------


def test_hub_snapshot_configs_and_license_files():
    result = harvest(FOLDER / "hub-snapshot")
    base = "models--acme--support-chat-8b/snapshots/5f0b02c75b57c5855da9ae460ce51323ea669d8a"
    (config,) = records_of(result, f"{base}/config.json")
    assert (config.id, config.kind, config.revision) == ("acme/support-chat-8b", "model", base.rsplit("/", 1)[1])
    fields = {s.field: s for s in config.statements}
    assert fields["model_type"].value == "llama" and fields["architectures"].value == "LlamaForCausalLM"
    assert fields["_name_or_path"].value == "meta-llama/Llama-3.1-8B-Instruct"
    assert fields["_name_or_path"].evidence.line == 2
    assert config.references == []  # _name_or_path alone is no lineage
    (generation,) = records_of(result, f"{base}/generation_config.json")
    assert {s.field: s.value for s in generation.statements}["temperature"] == "0.6"
    (notice,) = records_of(result, f"{base}/NOTICE")
    assert notice.statements[0].field == "notice"
    assert notice.statements[0].value.startswith("Llama 3.1 is licensed under the Llama 3.1 Community License")
    assert problems_of(result, f"{base}/NOTICE") == [] and notice.licenses == []
    (license_,) = records_of(result, f"{base}/LICENSE")  # no license text: a notice naming one by its URL
    (named,) = license_.licenses
    assert (named.raw, named.link, named.evidence.line) == (None, "https://www.llama.com/llama3_1/license/", 4)
    assert named.evidence.pointer == "license notice (URL)" and problems_of(result, f"{base}/LICENSE") == []


def test_malformed_config_is_unreadable(tmp_path):
    record, problems, entry = read_one(tmp_path, "config.json", '{"model_type": "llama",\n  "architectures": [}\n')
    assert record is None and entry.status == "unreadable"
    assert problems[0].code == "malformed" and "line 2" in problems[0].message


def test_config_with_wrong_shapes_is_read_in_part(tmp_path):
    record, problems, _ = read_one(tmp_path, "config.json", '{"model_type": "llama", "architectures": "Llama"}')
    assert [s.field for s in record.statements] == ["model_type"]
    assert [p.message for p in problems] == ["'architectures' should be a list of strings, found string"]


def test_deeply_nested_config_is_refused(tmp_path):
    record, problems, entry = read_one(tmp_path, "config.json", "{" + '"a":[' * 500 + "]" * 500 + "}")
    assert record is None and problems[0].code == "refused" and entry.status == "unreadable"


def test_files_in_a_folder_that_names_no_asset_make_no_record(tmp_path):
    record, problems, entry = read_one(tmp_path, "config.json", '{"model_type": "llama"}', where="acme/m/unet/sub")
    assert record is None and entry.format == "model-folder"
    assert problems[0].code == "not-an-asset-folder" and problems[0].asset is None


def test_detect_is_specific():
    assert modelfolder.detect(Path("config.json"), b'  {"a": 1}')
    assert not modelfolder.detect(Path("config.json"), b"model_type: llama")
    assert not modelfolder.detect(Path("tokenizer.json"), b"{}")
    assert not modelfolder.detect(Path(".LICENSE"), b"MIT")
    assert not modelfolder.detect(Path("._model.safetensors"), b"")
    assert not modelfolder.detect(Path("LICENSE.pdf"), b"%PDF")
    assert not modelfolder.detect(Path("README.md"), b"---")
    for name in (
        "LICENSE",
        "LICENSE.md",
        "license.txt",
        "LICENCE",
        "COPYING",
        "NOTICE",
        "LICENSE-MODEL",
        "model.safetensors",
        "m.GGUF",
        "pytorch_model.bin",
        "model.onnx",
        "flax_model.msgpack",
    ):
        assert modelfolder.detect(Path(name), b""), name


def test_hub_urls():
    assert hub_repo("https://huggingface.co/meta-llama/Llama-3.1-8B/tree/main") == (
        "model",
        "meta-llama/Llama-3.1-8B",
    )
    assert hub_repo("https://hf.co/datasets/tatsu-lab/alpaca") == ("dataset", "tatsu-lab/alpaca")
    for url in (
        "https://huggingface.co",
        "https://huggingface.co/spaces/a/b",
        "https://github.com/a/b",
        "https://huggingface.co/docs/hub",
    ):
        assert hub_repo(url) is None, url


# --- license texts ------------------------------------------------------------------------------

REQUIRED = [
    "Apache-2.0",
    "MIT",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "GPL-3.0",
    "LGPL-3.0",
    "AGPL-3.0",
    "MPL-2.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC0-1.0",
    "LicenseRef-Llama-2-Community",
    "LicenseRef-Llama-3-Community",
    "LicenseRef-Llama-3.1-Community",
    "LicenseRef-Llama-3.2-Community",
    "LicenseRef-Llama-3.3-Community",
    "LicenseRef-Gemma-Terms-of-Use",
    "LicenseRef-CreativeML-OpenRAIL-M",
    "LicenseRef-BigScience-OpenRAIL-M",
]


def as_shipped(text: str) -> str:
    """A license as a project ships it: a copyright line on top, lines re-wrapped, Markdown emphasis."""
    words = " ".join(text.split())
    body = textwrap.fill(words, 72).replace(" Section ", " **Section** ")
    return "Copyright (c) 2024 Acme Corp. All rights reserved.\n\n" + body


@pytest.mark.parametrize("license_id", REQUIRED)
def test_license_texts_are_identified(tmp_path, license_id):
    text = as_shipped((TEXTS / f"{license_id}.txt").read_text(encoding="utf-8"))
    record, problems, _ = read_one(tmp_path, "LICENSE", text)
    assert problems == []
    (statement,) = record.licenses
    assert statement.raw == license_id
    score = re.fullmatch(r"license text \(match (\d\.\d\d) with (.+)\)", statement.evidence.pointer)
    assert float(score.group(1)) >= 0.95 and score.group(2) == license_id


def test_a_boost_license_file_is_the_boost_software_license(tmp_path):
    """BSL-1.0 is the Boost Software License (SPDX), not the Business Source License that shares
    its initials: a LICENSE_1_0.txt as Boost ships it, with an SPDX line on top, is identified so."""
    boost = "SPDX-License-Identifier: BSL-1.0\n\n" + (TEXTS / "BSL-1.0.txt").read_text(encoding="utf-8")
    assert boost.splitlines()[2] == "Boost Software License - Version 1.0 - August 17th, 2003"
    match = licensetext.identify(boost)
    assert match.license == "BSL-1.0" and match.accepted


def test_every_reference_text_matches_itself_best():
    """Every license's text; the parts of a license (texts/parts/) are no license of their own."""
    for path in [*TEXTS.glob("*.txt"), *(TEXTS / "other").glob("*.txt")]:
        match = licensetext.identify(path.read_text(encoding="utf-8"))
        assert match.license == path.stem and match.score == 1.0, path.name


def test_every_known_reference_text_names_a_license_of_the_knowledge_base():
    from auditor import license_reading

    kb = RB.kb
    for path in TEXTS.glob("*.txt"):
        assert license_reading.read_declared([LicenseStatement(path.stem, Evidence("", ""))], kb).status == "ok", (
            path.name
        )
    assert (TEXTS / "SOURCES.md").is_file()


def test_apache_header_names_the_license_but_is_not_its_text(tmp_path):
    header = """\
        Copyright 2024 Acme Corp.

        Licensed under the Apache License, Version 2.0 (the "License");
        you may not use this file except in compliance with the License.
        You may obtain a copy of the License at

            http://www.apache.org/licenses/LICENSE-2.0

        Unless required by applicable law or agreed to in writing, software
        distributed under the License is distributed on an "AS IS" BASIS,
        WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
        """
    record, problems, entry = read_one(tmp_path, "LICENSE.txt", header)
    assert problems == [] and entry.status == "read"
    (named,) = record.licenses  # the URL names it too: the sentence is enough
    assert (named.raw, named.name, named.evidence.pointer) == (
        None,
        "Apache License, Version 2.0",
        "license notice (licensed under)",
    )
    assert not licensetext.identify(header).held


def test_apache_notice_file_is_a_notice_not_a_license(tmp_path):
    notice = (
        "Acme Support Chat\nCopyright 2024 Acme Corp.\n\nThis product includes software developed at\n"
        "The Apache Software Foundation (http://www.apache.org/).\n"
    )
    record, problems, _ = read_one(tmp_path, "NOTICE", notice)
    assert record.licenses == [] and problems == []
    assert [(s.field, s.value) for s in record.statements] == [("notice", notice.strip())]


def test_notice_is_cut_to_200_characters(tmp_path):
    record, _, _ = read_one(tmp_path, "NOTICE.txt", "attribution " * 100)
    assert len(record.statements[0].value) == 200


def test_a_variant_the_knowledge_base_does_not_know_is_not_taken_for_its_neighbour(tmp_path):
    record, problems, _ = read_one(tmp_path, "LICENSE", (TEXTS / "other" / "0BSD.txt").read_text())
    assert record.licenses == []
    assert problems[0].message == (
        "LICENSE text matches no known license (best: 0BSD at 1.00, a license the knowledge base does not cover)"
    )


def test_a_known_variant_is_told_from_its_neighbour(tmp_path):
    record, problems, _ = read_one(tmp_path, "LICENSE", (TEXTS / "MIT-0.txt").read_text())
    assert [s.raw for s in record.licenses] == ["MIT-0"] and problems == []


def test_empty_license_file(tmp_path):
    _record, problems, _ = read_one(tmp_path, "LICENSE", "")
    assert problems[0].message == "LICENSE text matches no known license (best: none)"


@pytest.mark.parametrize(
    "body, code",
    [
        (b"MIT\x00\x01\x02", "binary"),
        (b"Licen\xe7a MIT", "not-utf8"),
        (b"x" * (modelfolder.MAX_LICENSE_BYTES + 1), "too-large"),
    ],
)
def test_unreadable_license_files(tmp_path, body, code):
    record, problems, entry = read_one(tmp_path, "COPYING", body)
    assert record is None and [p.code for p in problems] == [code] and entry.status == "unreadable"


# --- safetensors --------------------------------------------------------------------------------


def test_safetensors_metadata_and_checksum(tmp_path):
    body = safetensors(
        {
            "__metadata__": {"format": "pt", "license": "apache-2.0"},
            "w": {"dtype": "F16", "shape": [2, 4], "data_offsets": [0, 16]},
        }
    )
    record, problems, _ = read_one(tmp_path, "model.safetensors", body)
    assert problems == []
    assert [(s.field, s.value, s.evidence.pointer) for s in record.statements] == [
        ("__metadata__.format", "pt", "/__metadata__/format"),
        ("__metadata__.license", "apache-2.0", "/__metadata__/license"),
    ]
    (checksum,) = record.checksums
    assert (checksum.algorithm, checksum.file) == ("sha256", "acme/m/model.safetensors")
    assert checksum.value == hashlib.sha256(body).hexdigest()


def test_safetensors_metadata_values_must_be_strings(tmp_path):
    record, problems, _ = read_one(
        tmp_path, "model.safetensors", safetensors({"__metadata__": {"step": 1000, "format": "pt"}})
    )
    assert [s.field for s in record.statements] == ["__metadata__.format"]
    assert [p.message for p in problems] == ["'__metadata__.step' should be a string, found number"]


@pytest.mark.parametrize(
    "body, code, words",
    [
        (b"\x05\x00", "malformed", "too short"),
        (struct.pack("<Q", 1000) + b"{}", "malformed", "claims 1000 bytes but only 2 follow"),
        (struct.pack("<Q", 2**40) + b"{}", "refused", "over the 100 MB limit"),
        (safetensors(b"not json"), "malformed", "invalid JSON"),
        (safetensors(b"[1, 2]"), "malformed", "should be a JSON object, found array"),
        (safetensors(b'{"a": "\xff"}'), "malformed", "not UTF-8"),
        (safetensors(b"[" * 300 + b"]" * 300), "refused", "nested 300 levels"),
    ],
)
def test_malformed_safetensors_headers(tmp_path, body, code, words):
    """A header that fails is told, and the file stays weights the folder ships, unpinned."""
    record, problems, entry = read_one(tmp_path, "model.safetensors", body)
    assert unpinned(record) and entry.status == "unreadable"
    (problem,) = problems
    assert problem.code == code and words in problem.message


@pytest.mark.parametrize(
    "name", ["pytorch_model.bin", "model.pt", "model.pth", "sd.ckpt", "model.onnx", "tf_model.h5", "flax_model.msgpack"]
)
def test_every_weight_file_gets_a_checksum(tmp_path, name):
    body = bytes(range(256)) * 3
    record, problems, _ = read_one(tmp_path, name, body)
    assert problems == [] and record.checksums[0].value == hashlib.sha256(body).hexdigest()


def test_git_lfs_pointer_gives_the_checksum_it_stands_for(tmp_path):
    oid = hashlib.sha256(b"the real weights").hexdigest()
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 16971227136\n"
    record, problems, _ = read_one(tmp_path, "model-00001-of-00004.safetensors", pointer)
    assert problems == [] and record.statements == []
    (checksum,) = record.checksums
    assert (checksum.value, checksum.evidence.pointer) == (oid, "git-lfs pointer oid")


def test_empty_weight_file_is_malformed(tmp_path):
    record, problems, entry = read_one(tmp_path, "pytorch_model.bin", b"")
    assert (
        unpinned(record) and [p.message for p in problems] == ["weight file is empty"] and entry.status == "unreadable"
    )


def test_checksums_are_streamed_in_chunks(tmp_path, monkeypatch):
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(256)) * 41)
    monkeypatch.setattr(weights, "CHUNK", 100)
    reads = []
    real_open = open

    def spy(*args, **kwargs):
        fh = real_open(*args, **kwargs)
        original = fh.read
        fh.read = lambda n=-1: reads.append(n) or original(n)
        return fh

    monkeypatch.setattr("builtins.open", spy)
    assert weights.sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert reads and all(n == 100 for n in reads)


# --- GGUF ---------------------------------------------------------------------------------------


def test_gguf_license_lineage_and_statements(tmp_path):
    body = gguf(GGUF_META)
    record, problems, _ = read_one(tmp_path, "support-chat-8b.Q4_K_M.gguf", body, where="acme/support-chat-8b-GGUF")
    assert problems == []
    (license_,) = record.licenses
    assert (license_.raw, license_.link, license_.evidence.pointer) == (
        "llama3.1",
        "https://www.llama.com/llama3_1/license/",
        "general.license",
    )
    refs = {(r.target, r.kind, r.relation, r.scheme) for r in record.references}
    assert refs == {
        ("meta-llama/Llama-3.1-8B-Instruct", "model", "quantized", "hub"),
        ("tatsu-lab/alpaca", "dataset", "trained_on", "hub"),
    }
    fields = {s.field: s.value for s in record.statements}
    assert fields["general.file_type"] == "15 (MOSTLY_Q4_K_M)"
    assert fields["general.name"] == "Support Chat 8B" and fields["general.architecture"] == "llama"
    assert fields["general.quantization_version"] == "2" and fields["general.tags"] == "text-generation, llama"
    assert not any(f.startswith(("general.license", "general.base_model", "tokenizer.")) for f in fields)
    assert record.checksums[0].value == hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize(
    "meta, tensors, relation",
    [
        ({"general.file_type": 1}, [1], "finetune"),
        ({"general.file_type": 32}, [12], "finetune"),  # the file type decides over the tensors
        ({}, [0, 1, 30], "finetune"),
        ({}, [0, 8], "quantized"),
        ({"general.file_type": 1024}, [2], "quantized"),  # "guessed": the tensors decide
    ],
)
def test_gguf_relation_follows_quantization(tmp_path, meta, tensors, relation):
    meta = {**meta, "general.base_model.0.repo_url": "https://huggingface.co/org/base"}
    record, _, _ = read_one(tmp_path, "m.gguf", gguf(meta, tensors))
    assert [r.relation for r in record.references] == [relation]


def test_gguf_base_model_without_repo_url_is_named_by_its_name(tmp_path):
    meta = {
        "general.base_model.count": 2,
        "general.base_model.0.name": "Llama 3.1 8B",
        "general.base_model.0.organization": "Meta Llama",
        "general.base_model.0.version": "3.1",
        "general.base_model.1.repo_url": "https://github.com/acme/base",
    }
    record, problems, _ = read_one(tmp_path, "m.gguf", gguf(meta))
    first, second = record.references
    assert (first.target, first.scheme, first.revision) == ("Llama 3.1 8B", "hub", "3.1")
    assert "organization Meta Llama" in first.basis
    assert (second.target, second.scheme) == ("https://github.com/acme/base", "url")
    assert problems == []


def test_gguf_count_that_disagrees_is_a_field_problem(tmp_path):
    meta = {"general.base_model.count": 2, "general.base_model.0.repo_url": "https://huggingface.co/org/base"}
    record, problems, _ = read_one(tmp_path, "m.gguf", gguf(meta))
    assert len(record.references) == 1
    assert [p.message for p in problems] == ["'general.base_model.count' is 2 but 1 base model entries are described"]


def test_gguf_version_1_with_32_bit_lengths(tmp_path):
    record, problems, _ = read_one(
        tmp_path, "m.gguf", gguf({"general.license": "mit", "general.name": "old"}, version=1)
    )
    assert problems == [] and [s.raw for s in record.licenses] == ["mit"]


def test_gguf_license_name_without_id(tmp_path):
    record, _, _ = read_one(tmp_path, "m.gguf", gguf({"general.license.name": "Acme Model License"}))
    (license_,) = record.licenses
    assert (license_.raw, license_.name) == (None, "Acme Model License")


def test_gguf_license_of_the_wrong_type(tmp_path):
    record, problems, _ = read_one(tmp_path, "m.gguf", gguf({"general.license": 7}))
    assert record.licenses == [] and [p.message for p in problems] == ["'general.license' should be a string"]


def _gguf_head(key_count: int = 1) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, 0, key_count)


@pytest.mark.parametrize(
    "body, code, words",
    [
        (b"GGML" + b"\0" * 20, "malformed", "first 4 bytes are not 'GGUF'"),
        (b"GGUF" + struct.pack(">I", 3) + b"\0" * 16, "malformed", "big-endian GGUF (version 3)"),
        (b"GGUF" + struct.pack("<I", 9) + b"\0" * 16, "malformed", "unsupported GGUF version 9"),
        (b"GGUF\x03\x00", "malformed", "ends early"),
        (gguf(GGUF_META)[:200], "malformed", "ends early"),
        (b"GGUF" + struct.pack("<IQQ", 3, 0, 2**40), "refused", "metadata key count"),
        (b"GGUF" + struct.pack("<IQQ", 3, 2**40, 0), "refused", "tensor count"),
        (_gguf_head() + struct.pack("<Q", 2**31) + b"key", "refused", "string length 2147483648"),
        (_gguf_head() + gguf_string("k") + struct.pack("<I", 99), "malformed", "unknown value type 99"),
        (_gguf_head() + gguf_string("k") + struct.pack("<IIQ", 9, 4, 2**40), "refused", "array length of 'k'"),
        (_gguf_head() + gguf_string("k") + struct.pack("<IIQ", 9, 4, 10**6), "malformed", "ends early"),
        (
            _gguf_head()
            + gguf_string("k")
            + struct.pack("<IIQ", 9, 9, 1)
            + struct.pack("<IQ", 9, 1)
            + struct.pack("<IQ", 9, 1)
            + struct.pack("<IQ", 9, 1),
            "refused",
            "nests arrays",
        ),
    ],
)
def test_hostile_gguf_headers(tmp_path, body, code, words):
    record, problems, entry = read_one(tmp_path, "m.gguf", body)
    assert unpinned(record) and entry.status == "unreadable"
    (problem,) = problems
    assert problem.code == code and words in problem.message, problem.message


def test_gguf_header_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(weights, "MAX_HEADER_BYTES", 1000)
    record, problems, _ = read_one(tmp_path, "m.gguf", gguf(GGUF_META))
    assert unpinned(record) and problems[0].code == "refused" and "GGUF header is over" in problems[0].message


def test_gguf_item_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(weights, "MAX_GGUF_ITEMS", 250)
    record, problems, _ = read_one(tmp_path, "m.gguf", gguf(GGUF_META))
    assert unpinned(record) and problems[0].message == "GGUF header has over 250 array items"


def test_gguf_vocabulary_with_a_string_past_the_end(tmp_path):
    body = _gguf_head() + gguf_string("tokens") + struct.pack("<IIQ", 9, 8, 100) + gguf_string("a") * 99
    body += struct.pack("<Q", 500) + b"short"
    record, problems, _ = read_one(tmp_path, "m.gguf", body)
    assert unpinned(record) and "ends early" in problems[0].message


# --- conformance --------------------------------------------------------------------------------


def test_corpus_adapter_folder_is_read_file_by_file(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus folder {CORPUS} is absent (checked out without ../shared)")
    files = {}
    for path in sorted(CORPUS.iterdir()):
        if path.name == "SOURCES.md":
            continue
        repo, _, original = path.name.partition(".")
        org, _, name = repo.partition("__")
        files[f"{org}/{name}/{original}"] = path.read_bytes()
    result = harvest(write_tree(tmp_path / "corpus", files))
    for rel in files:
        entry = next(e for e in result.inventory if e.file == rel)
        assert records_of(result, rel) or problems_of(result, rel), f"{rel}: {entry}"
        assert entry.status == "read", f"{rel}: {entry.reason}"
    (config,) = [r for r in result.records if r.source.endswith("adapter_config.json")]
    assert config.references[0].target == "meta-llama/Meta-Llama-3-8B-Instruct"


def test_reader_works_on_a_single_file(tmp_path):
    path = tmp_path / "adapter_config.json"
    path.write_text('{"base_model_name_or_path": "org/base"}', encoding="utf-8")
    records, problems = modelfolder.read(path, Context("acme/x/adapter_config.json", place("acme/x", "root")))
    assert [r.id for r in records] == ["acme/x"] and problems == []


@pytest.mark.parametrize(
    "name, body, role",
    [
        ("config.json", '{"model_type": "llama"}', "config"),
        (
            "model.safetensors",
            safetensors({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, b"\0" * 4),
            "weights",
        ),
        ("LICENSE", "See the MIT terms.\n", "license"),
        ("NOTICE", "Acme\n", "notice"),
        ("USE_POLICY.md", "# Acceptable use\n", "policy"),
        ("Acceptable-Use-Policy.md", "# Acceptable use\n", "policy"),
    ],
)
def test_each_file_of_a_folder_has_its_role(tmp_path, name, body, role):
    """What a folder ships is what a release's obligations are checked against; texts are kept whole."""
    record, _, entry = read_one(tmp_path, name, body)
    assert record.role == role and entry.status == "read"
    assert record.text == (body if role in ("license", "notice", "policy") else None)


# --- license files: declared or shipped ------------------------------------------------------------


def _folder_with_license_files(tmp_path: Path, card_license: str, files: dict[str, str]) -> Path:
    """A GPL-3.0 fine-tune trained on a CC BY 4.0 dataset, with the license files given (name -> text id)."""
    root = write_tree(
        tmp_path / "release",
        {
            "mlaudit.toml": '[release]\nasset = "acme/chat"\n',
            "acme/chat/README.md": f"---\n{card_license}base_model: up/base\ndatasets: [univ/corpus]\n---\n# Chat\n",
            "up/base/README.md": "---\nlicense: gpl-3.0\n---\n# Base\n",
            "datasets/univ/corpus/README.md": "---\nlicense: cc-by-4.0\n---\n# Corpus\n",
        },
    )
    for name, text in files.items():
        shutil.copy(TEXTS / f"{text}.txt", root / "acme" / "chat" / name)
    return root


def _asset(doc: dict, name: str) -> dict:
    return next(a for a in doc["assets"] if a["id"] == name)


def test_an_upstream_license_text_shipped_beside_the_declaring_file_is_shipped_not_declared(tmp_path):
    """LICENSE-CC-BY-4.0 beside a card and LICENSE that declare GPL-3.0 is the dataset's license text
    the release carries (CC BY 4.0 s3(a)(1)(C)): the copy duty is met, and the release stays GPL-3.0."""
    files = {"LICENSE": "GPL-3.0", "LICENSE-CC-BY-4.0": "CC-BY-4.0"}
    doc = run_audit(_folder_with_license_files(tmp_path, "license: gpl-3.0\n", files))
    assert _asset(doc, "acme/chat")["license"] == "GPL-3.0-only"
    assert not findings_of(doc, "PRV003") and not findings_of(doc, "CMP002")
    copy = next(o for o in doc["obligations"] if o["license"] == "CC-BY-4.0" and o["term"] == "include_license")
    assert copy["status"] == "met"


def test_a_suffixed_license_file_declares_where_nothing_else_does(tmp_path):
    doc = run_audit(_folder_with_license_files(tmp_path, "", {"LICENSE-GPL-3.0": "GPL-3.0"}))
    assert _asset(doc, "acme/chat")["license"] == "GPL-3.0-only"


def test_a_plain_license_that_contradicts_the_card_is_still_a_disagreement(tmp_path):
    files = {"LICENSE": "CC-BY-4.0", "LICENSE-CC-BY-4.0": "CC-BY-4.0"}
    doc = run_audit(_folder_with_license_files(tmp_path, "license: gpl-3.0\n", files))
    assert [f["detail"]["aspect"] for f in findings_of(doc, "PRV003")] == ["license"]


def test_a_suffix_naming_what_the_file_licenses_declares(tmp_path):
    """LICENSE-MODEL names the part it licenses, not a license: its text is the weights' license, and
    one that contradicts the card is a disagreement, not a text the folder happens to ship."""
    files = {"LICENSE-MODEL": "CC-BY-NC-4.0"}
    doc = run_audit(_folder_with_license_files(tmp_path, "license: apache-2.0\n", files))
    assert [f["detail"]["aspect"] for f in findings_of(doc, "PRV003")] == ["license"]
    assert "CC-BY-NC-4.0" in _asset(doc, "acme/chat")["license"]


def test_a_suffix_naming_the_license_by_a_word_of_its_name_is_a_shipped_text(tmp_path):
    files = {"LICENSE-APACHE": "Apache-2.0", "LICENSE-MIT": "MIT"}
    doc = run_audit(_folder_with_license_files(tmp_path, "license: gpl-3.0\n", files))
    assert _asset(doc, "acme/chat")["license"] == "GPL-3.0-only" and not findings_of(doc, "PRV003")


# --- mergekit configurations and quantization settings beside the card -------------------------

MERGEKIT_CONFIG = """\
models:
  - model: org1/a+org5/lora
    parameters:
      weight: 0.5
  - model: /home/u/.cache/huggingface/hub/models--org2--b/snapshots/abc123
  - model:
      model: {path: org3/c}
      lora: {path: org6/lora}
slices:
  - sources:
      - model: org1/a
        layer_range: [0, 8]
merge_method: linear
base_model: org1/a
"""


def test_mergekit_config_names_every_merge_parent(tmp_path):
    """mergekit_config.yml, read as YAML: ids, `base+lora`, the cache layout and the long form."""
    record, problems, entry = read_one(tmp_path, "mergekit_config.yml", MERGEKIT_CONFIG)
    assert entry.status == "read" and problems == []
    assert [(r.target, r.relation, r.revision, r.evidence.line) for r in record.references] == [
        ("org1/a", "merge", None, 2),
        ("org5/lora", "merge", None, 2),
        ("org2/b", "merge", "abc123", 5),
        ("org3/c", "merge", None, 7),
        ("org6/lora", "merge", None, 8),
    ]
    assert {r.basis for r in record.references} == {"declared in mergekit_config.yml"}


def test_mergekit_config_entries_it_cannot_read_are_told(tmp_path):
    body = "models:\n  - model: [org1/a]\n  - model: org2/b+\n  - model: ./merged/local\nmerge_method: linear\n"
    record, problems, _ = read_one(tmp_path, "mergekit_config.yml", body)
    assert [(p.code, p.evidence.line) for p in problems] == [("unread-entry", 2), ("unread-entry", 3), ("bad-field", 4)]
    assert [(r.target, r.scheme) for r in record.references] == [("./merged/local", "name")]


def test_mergekit_config_that_is_no_yaml_is_unread(tmp_path):
    _, problems, _ = read_one(tmp_path, "mergekit_config.yml", "models: [\n")
    assert [p.code for p in problems] == ["unread-entry"] and "parents are unknown" in problems[0].message


def test_merge_described_by_mergekit_config_alone_inherits_its_parents_terms(release):
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/merged"\nuse = "commercial"\n',
            "acme/merged/README.md": "---\nlicense: apache-2.0\ntags: [mergekit, merge]\n---\n# merged\n",
            "acme/merged/mergekit_config.yml": "models:\n  - model: org1/a\n  - model: org2/b\nmerge_method: linear\n",
            "org1/a/README.md": "---\nlicense: apache-2.0\n---\n",
            "org2/b/README.md": "---\nlicense: cc-by-nc-4.0\n---\n",
        }
    )
    assert {(e["parent"], e["relation"]) for e in doc["edges"]} == {("org1/a", "merge"), ("org2/b", "merge")}
    assert findings_of(doc, "CMP001")


@pytest.mark.parametrize(
    ("name", "body", "basis"),
    [
        ("quantize_config.json", '{"bits": 4, "group_size": 128}', "quantize_config.json quant_method (gptq)"),
        ("quant_config.json", '{"w_bit": 4, "q_group_size": 128}', "quant_config.json quant_method (awq)"),
        ("config.json", '{"quantization": {"group_size": 64, "bits": 4}}', "config.json quantization (mlx 4-bit)"),
    ],
)
def test_quantization_settings_beside_the_card_make_a_quantized_copy(tmp_path, name, body, basis):
    """AutoGPTQ's and AutoAWQ's settings files and MLX's config key say what config.json's
    quantization_config says: the same copy gets the same relation whichever file carries it."""
    card = "---\nlicense: mit\nbase_model: acme/chat\n---\n"
    result = harvest(write_tree(tmp_path / "r", {"acme/q/README.md": card, f"acme/q/{name}": body}))
    ref = records_of(result, "acme/q/README.md")[0].references[0]
    assert (ref.relation, ref.basis) == ("quantized", f"inferred: {basis}")
    assert next(e for e in result.inventory if e.file == f"acme/q/{name}").status == "read"


# --- weights in sub-folders of an asset's folder --------------------------------------------------


@pytest.mark.parametrize("sub", ["unet", "Q4_K_M", "original/deeper"])
def test_weights_in_a_sub_folder_are_the_assets_and_count_as_shipped(release, sub):
    """diffusers' unet/, a split GGUF quant's folder, Meta's original/: the folder holds its weights,
    so an Apache-2.0 copy shipped without the licence text leaves include-license unmet."""
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/sd"\n',
            "acme/sd/README.md": "---\nlicense: apache-2.0\nbase_model: up/base\n---\n# sd\n",
            f"acme/sd/{sub}/model.safetensors": safetensors({}),
            "up/base/README.md": "---\nlicense: apache-2.0\n---\n",
        }
    )
    entry = next(f for f in doc["inventory"] if f["file"] == f"acme/sd/{sub}/model.safetensors")
    assert entry["status"] == "read" and entry["reason"] == ""
    assert any(e["file"] == entry["file"] for f in findings_of(doc, "OBL002") for e in f["evidence"])


MODEL_INDEX = {
    "_class_name": "StableDiffusionPipeline",
    "_diffusers_version": "0.21.0",
    "unet": ["diffusers", "UNet2DConditionModel"],
    "text_encoder": ["transformers", "CLIPTextModel"],
    "safety_checker": [None, None],
}


@pytest.mark.parametrize("where", ["acme/sd", "sd", ""])
def test_a_diffusers_pipelines_components_are_read_as_parts_of_its_model(tmp_path, where):
    """model_index.json names the sub-folders that are the pipeline's components: their configs and
    weights are its model's, read, whatever the layout (<org>/<name>, <name>, the audit root); a
    sub-folder it does not name, or a component it leaves out ([null, null]), is no part of it."""
    at = f"{where}/" if where else ""
    files = {
        f"{at}README.md": "---\nlicense: mit\n---\n",
        f"{at}model_index.json": json.dumps(MODEL_INDEX),
        f"{at}unet/config.json": '{"_class_name": "UNet2DConditionModel"}',
        f"{at}unet/diffusion_pytorch_model.safetensors": safetensors({}),
        f"{at}text_encoder/config.json": '{"model_type": "clip_text_model"}',
        f"{at}safety_checker/config.json": '{"model_type": "clip"}',
        f"{at}extras/config.json": '{"model_type": "llama"}',
    }
    result = harvest(write_tree(tmp_path / "pipe", files))
    ids = {r.source: r.id for r in result.records}
    parts = [
        "model_index.json",
        "unet/config.json",
        "unet/diffusion_pytorch_model.safetensors",
        "text_encoder/config.json",
    ]
    assert {ids.get(at + part) for part in parts} == {ids[at + "README.md"]}
    assert all(e.status == "read" for e in result.inventory if e.file in {at + part for part in parts})
    (index,) = records_of(result, at + "model_index.json")
    assert [(s.field, s.value) for s in index.statements] == [
        ("_class_name", "StableDiffusionPipeline"),
        ("_diffusers_version", "0.21.0"),
        ("component.unet", "diffusers UNet2DConditionModel"),
        ("component.text_encoder", "transformers CLIPTextModel"),
    ]
    for other in ("safety_checker/config.json", "extras/config.json"):
        assert ids.get(at + other) != ids[at + "README.md"], other
    if where == "acme/sd":  # nested past the layout: told, not read
        told = {p.evidence.file for p in result.problems if p.code == modelfolder.NOT_PLACED}
        assert told == {"acme/sd/safety_checker/config.json", "acme/sd/extras/config.json"}


def test_a_file_outside_every_asset_folder_is_skipped_not_read(tmp_path):
    _, problems, entry = read_one(tmp_path, "config.json", '{"model_type": "llama"}', where="a/b/c")
    assert entry.status == "skipped" and [p.code for p in problems] == ["not-an-asset-folder"]


def test_mergekit_fixture_names_its_slices_and_lora(tmp_path):
    root = tmp_path / "release"
    shutil.copytree(FOLDER / "mergekit-merge" / "acme", root / "acme")
    result = harvest(root)
    (record,) = records_of(result, "acme/merged-7b/mergekit_config.yml")
    assert [r.target for r in record.references] == ["org1/chat-7b", "org2/base-7b", "org3/style-lora"]
    assert problems_of(result, "acme/merged-7b/mergekit_config.yml") == []
