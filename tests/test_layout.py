"""Asset identity from the folder layout, as on the Hugging Face Hub."""

from __future__ import annotations

import json

import pytest
from conftest import card, write_tree

from auditor import audit
from auditor.harvest import harvest
from auditor.harvest.layout import place


@pytest.mark.parametrize(
    "folder, expected",
    [
        ("org/name", ("org/name", None, None)),
        ("name", ("name", None, None)),
        ("models/org/name", ("org/name", "model", None)),
        ("datasets/org/name", ("org/name", "dataset", None)),
        ("datasets/squad", ("squad", "dataset", None)),
        ("models--meta-llama--Llama-2-7b-hf/snapshots/abc123", ("meta-llama/Llama-2-7b-hf", "model", "abc123")),
        ("hub/datasets--org--data/snapshots/r1", ("org/data", "dataset", "r1")),
        ("", ("release", None, None)),
    ],
)
def test_placement(folder, expected):
    p = place(folder, "release")
    assert (p.asset_id, p.kind, p.revision) == expected


@pytest.mark.parametrize(
    "named, expected",
    [
        ("acme/x", ("acme/x", None)),
        ("datasets/acme/x", ("acme/x", "dataset")),
        ("datasets/noname", ("noname", "dataset")),
        ("models/acme/x", ("acme/x", "model")),
        ("https://huggingface.co/datasets/acme/x", ("acme/x", "dataset")),
    ],
)
def test_a_card_at_the_root_describes_the_release_as_the_settings_name_it(named, expected):
    """`--asset datasets/acme/x` names a dataset, as reports name it: never `datasets/datasets/acme/x`."""
    p = place("", named)
    assert (p.asset_id, p.kind) == expected


def test_a_root_dataset_manifest_is_audited_by_the_id_the_lake_reports(tmp_path):
    root = write_tree(tmp_path / "d", {"README.md": card("license: mit\ntask_categories: [text-classification]")})
    doc = audit.run(root, asset="datasets/acme/x").document()
    assert doc["release"]["asset"] == "datasets/acme/x"
    assert [a["id"] for a in doc["assets"]] == ["datasets/acme/x"]


@pytest.mark.parametrize("folder", ["org/name/docs", "models", "models--a--b/refs", "models--a--b/snapshots/r/sub"])
def test_places_that_are_not_asset_cards(folder):
    assert place(folder, "release").asset_id is None


def test_nested_readme_is_listed_as_skipped(tmp_path):
    root = write_tree(tmp_path, {"org/m/README.md": card("license: mit"), "org/m/docs/README.md": "# docs\n"})
    result = harvest(root)
    statuses = {i.file: (i.status, i.reason) for i in result.inventory}
    assert statuses["org/m/docs/README.md"][0] == "skipped"
    assert "nested" in statuses["org/m/docs/README.md"][1]
    assert [r.id for r in result.records] == ["org/m"]


def test_every_file_is_in_the_inventory(tmp_path):
    root = write_tree(
        tmp_path,
        {
            "org/m/README.md": card("license: mit"),
            "org/m/notes.txt": "some notes",
            "org/m/plot.png": b"\x89PNG\r\n\x1a\n",
            "mlaudit.toml": "[release]\nasset = 'org/m'\n",
            ".git/HEAD": "ref: refs/heads/main\n",
        },
    )
    inventory = {i.file: i.status for i in harvest(root).inventory}
    assert inventory == {
        ".git/": "skipped",
        "mlaudit.toml": "read",
        "org/m/README.md": "read",
        "org/m/notes.txt": "skipped",
        "org/m/plot.png": "skipped",
    }


def test_root_readme_without_metadata_is_folder_notes(tmp_path):
    root = write_tree(tmp_path, {"README.md": "# About this release\n", "org/m/README.md": card("license: mit")})
    result = harvest(root)
    assert [r.id for r in result.records] == ["org/m"]
    assert next(i for i in result.inventory if i.file == "README.md").status == "skipped"


def test_root_card_with_metadata_describes_the_named_asset(tmp_path):
    root = write_tree(tmp_path / "my-model", {"README.md": card("license: mit")})
    assert [r.id for r in harvest(root).records] == ["my-model"]
    assert [r.id for r in harvest(root, root_name="acme/x").records] == ["acme/x"]


def test_symlink_out_of_the_folder_is_not_followed(tmp_path):
    outside = write_tree(tmp_path / "outside", {"secret.txt": "x"})
    root = write_tree(tmp_path / "r", {"org/m/README.md": card("license: mit")})
    (root / "org" / "m" / "leak.txt").symlink_to(outside / "secret.txt")
    entry = next(i for i in harvest(root).inventory if i.file == "org/m/leak.txt")
    assert entry.status == "skipped" and "outside" in entry.reason


def test_names_that_are_not_utf8_are_read_and_shown_escaped(tmp_path):
    import os

    root = write_tree(tmp_path / "r", {"org/m/README.md": card("license: mit")})
    component = {"type": "data", "name": "up", "licenses": [{"license": {"id": "MIT"}}]}
    bom = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [component]})
    os.makedirs(os.path.join(bytes(root), b"org", b"m", b"sbom\xff"))
    for name in (b"bom\xe9.cdx.json", b"sbom\xff/bom.cdx.json"):  # Latin-1 names, as old archives keep them
        with open(os.path.join(bytes(root), b"org", b"m", name), "wb") as handle:
            handle.write(bom.encode())
    harvested = harvest(root)
    inventory = {i.file: (i.format, i.status) for i in harvested.inventory}
    assert inventory["org/m/bom\\xe9.cdx.json"] == ("cyclonedx", "read")
    assert inventory["org/m/sbom\\xff/bom.cdx.json"] == ("cyclonedx", "read")
    assert not harvested.problems


def test_a_file_changed_after_it_was_read_is_an_input_problem(tmp_path, monkeypatch):
    import auditor.harvest as harvesting

    root = write_tree(tmp_path / "r", {"org/m/README.md": card("license: cc-by-nc-4.0"), "org/n/README.md": card()})
    read_card = harvesting.hfcard.read_card

    def read_then_changed(path, rel, placement, text=None):  # the file replaced once read, as a checkout may
        read = read_card(path, rel, placement, text)
        if rel == "org/m/README.md":
            (root / "org/m/README.md.new").write_text(card("license: mit"))
            (root / "org/m/README.md.new").replace(path)
        return read

    monkeypatch.setattr(harvesting.hfcard, "read_card", read_then_changed)
    problems = harvest(root).problems
    assert [(p.code, p.evidence.file) for p in problems] == [("unreadable", "org/m/README.md")]
    assert "changed while it was audited" in problems[0].message


SETTINGS = {"mlaudit.toml": '[release]\nasset = "org/m"\n', "resolutions.yaml": "resolutions: []\n"}


def test_settings_changed_after_they_were_read_are_an_input_problem(tmp_path, monkeypatch):
    """mlaudit.toml is read before the harvest walks the folder: a change made since is told as any
    file's, since the settings applied may not be the content fingerprinted."""
    from auditor import config

    root = write_tree(tmp_path / "r", {"org/m/README.md": card("license: mit"), **SETTINGS})
    load = config.load

    def load_then_changed(folder):
        settings = load(folder)
        (folder / "mlaudit.toml").write_text('[release]\nasset = "org/n"\n', encoding="utf-8")
        return settings

    monkeypatch.setattr(config, "load", load_then_changed)
    harvested, settings, _ = audit.read(root, frozenset(), {})
    assert settings.asset == "org/m"
    assert [(p.code, p.evidence.file) for p in harvested.problems] == [("unreadable", "mlaudit.toml")]


def test_a_review_file_is_read_as_the_input_fingerprint_found_it(tmp_path, monkeypatch):
    """The review files are read before the walk too: one changed once the fingerprint is taken
    leaves the decisions applied those of the content fingerprinted."""
    import auditor.harvest as harvesting

    root = write_tree(tmp_path / "r", {"org/m/README.md": card("license: mit"), **SETTINGS})
    fingerprint = harvesting.fingerprint

    def fingerprint_then_changed(harvested, opened):
        found = fingerprint(harvested, opened)
        (root / "resolutions.yaml").write_text("resolutions: [changed]\n", encoding="utf-8")
        return found

    monkeypatch.setattr(harvesting, "fingerprint", fingerprint_then_changed)
    _, _, texts = audit.read(root, frozenset(), {})
    assert texts["resolutions"] == ("resolutions.yaml", SETTINGS["resolutions.yaml"])
