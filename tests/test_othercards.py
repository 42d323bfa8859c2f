"""A Hub card under another name than README.md (MODEL_CARD.md, a flattened org__name.README.md) is
its folder's card; where the folder has a README.md card or several such files, each is told, never
dropped; a Markdown document without card front matter stays a file no reader reads."""

from __future__ import annotations

import pytest
from conftest import card, write_tree

from auditor.harvest import harvest, hfcard, othercards
from auditor.harvest.othercards import UNREAD_CARD

SKIPPED = ("unknown", "skipped", "not a manifest format mlaudit reads")


def entries(result):
    return {e.file: (e.format, e.status, e.reason) for e in result.inventory}


@pytest.mark.parametrize(
    "name", ["MODEL_CARD.md", "model_card.md", "DATASET_CARD.md", "acme__chat.README.md", "card.markdown"]
)
def test_a_card_of_another_name_is_its_folders_card(tmp_path, name):
    result = harvest(write_tree(tmp_path, {f"acme/chat/{name}": card("license: mit\nbase_model: meta/base")}))
    (record,) = result.records
    assert (record.id, record.source, [s.raw for s in record.licenses]) == ("acme/chat", f"acme/chat/{name}", ["mit"])
    assert [r.target for r in record.references] == ["meta/base"]
    assert entries(result)[f"acme/chat/{name}"] == ("hf-card", "read", "")


def test_a_card_of_another_name_is_read_once(tmp_path, monkeypatch):
    """Its text, read to tell it is a card, is the text the card reader reads."""
    read = []
    for module in (othercards, hfcard):
        real = module.read_text
        monkeypatch.setattr(module, "read_text", lambda path, *a, real=real: read.append(path.name) or real(path, *a))
    (record,) = harvest(write_tree(tmp_path, {"acme/chat/MODEL_CARD.md": card("license: mit")})).records
    assert [s.raw for s in record.licenses] == ["mit"] and read == ["MODEL_CARD.md"]


@pytest.mark.parametrize("name", ["MODEL_CARD.md", "model_card.md"])  # sorted before README.md, and after
def test_a_card_beside_a_readme_card_is_told_and_not_read(tmp_path, name):
    files = {"acme/chat/README.md": card("license: mit"), f"acme/chat/{name}": card("license: apache-2.0")}
    result = harvest(write_tree(tmp_path, files))
    (record,) = result.records
    assert [s.raw for s in record.licenses] == ["mit"]
    (problem,) = result.problems
    assert (problem.code, problem.evidence.file, problem.asset) == (UNREAD_CARD, f"acme/chat/{name}", "model:acme/chat")
    assert "acme/chat/README.md" in problem.message
    assert entries(result)[f"acme/chat/{name}"][:2] == ("hf-card", "skipped")


def test_several_cards_without_a_readme_are_each_told(tmp_path):
    files = {"x/MODEL_CARD.md": card("license: mit"), "x/DATASET_CARD.md": card("license: cc-by-4.0")}
    result = harvest(write_tree(tmp_path, files))
    assert result.records == []
    told = {p.evidence.file: p.message for p in result.problems if p.code == UNREAD_CARD}
    assert set(told) == set(files)
    assert "x/DATASET_CARD.md" in told["x/MODEL_CARD.md"]


def test_a_root_card_beside_release_notes_is_the_release_card(tmp_path):
    files = {"README.md": "# Release notes\n", "DATASET_CARD.md": card("license: cc-by-4.0\ntask_categories: [qa]")}
    result = harvest(write_tree(tmp_path, files), root_name="acme/qa")
    (record,) = result.records
    assert (record.id, record.kind, record.source) == ("acme/qa", "dataset", "DATASET_CARD.md")


def test_a_card_with_broken_yaml_is_reported_as_a_readme_would_be(tmp_path):
    result = harvest(write_tree(tmp_path, {"m/MODEL_CARD.md": "---\nlicense: mit\ntags: [a\n---\n# c\n"}))
    assert [(p.code, p.evidence.file) for p in result.problems] == [("bad-front-matter", "m/MODEL_CARD.md")]


@pytest.mark.parametrize(
    "text",
    [
        "# Notes\nLicense: MIT\n",
        card("title: Notes\ntags: [blog]\nlanguage: en"),
        "---\nlicense: mit\n# never closed\n",
    ],
)
def test_a_markdown_document_without_card_front_matter_is_no_manifest(tmp_path, text):
    result = harvest(write_tree(tmp_path, {"m/NOTES.md": text}))
    assert (result.records, result.problems) == ([], [])
    assert entries(result)["m/NOTES.md"] == SKIPPED
