"""Every fix offered fixes: each change the repair search offers, for the demo and for the must-fire
fixtures of every conflict rule, is made to a copy of the fixture's files (the card's name,
license and text edited, a file written, an upstream reference dropped) and the copy audited
again: the finding it targets is gone, and any error-level conflict it brings about is one it named.

The appliers below are the test's own, one per kind of change, over plain files: they make the
change as a person following the report's words would.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, card, run_audit, write_tree

from auditor.harvest.licensetext import texts_dir

DEMO = FIXTURES / "releases" / "demo"
RULES = FIXTURES / "rules"
RELEASE_SIDE = ("CMP002", "CMP006", "CMP007", "CMP008", "CMP009")  # conflicts the release's own edits clear
CASES = [DEMO, *sorted(RULES.glob("CMP*/fire*"))]
LICENSE_FILE = re.compile(r"^(LICEN[CS]E|COPYING)([-._].*)?$", re.I)


# --- the appliers: one function per kind of change, over the fixture's files -------------------


def front_matter(path: Path) -> tuple[dict, str]:
    """A card's YAML front matter and its Markdown body."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
    return (yaml.safe_load(match.group(1)) or {}, match.group(2)) if match else ({}, text)


def write_card(path: Path, meta: dict, body: str) -> None:
    path.write_text("---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n" + body, encoding="utf-8")


def rename(root: Path, edit: dict, doc: dict) -> None:
    """Move the release's folder to its new name and name it so in mlaudit.toml."""
    old, new = doc["release"]["asset"], edit["value"]
    (root / new).parent.mkdir(parents=True, exist_ok=True)
    (root / old).rename(root / new)
    toml = root / "mlaudit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(f'"{old}"', f'"{new}"'), encoding="utf-8")


def add_text(root: Path, edit: dict, doc: dict) -> None:
    path = root / edit["file"]
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + edit["value"] + "\n", encoding="utf-8")


def add_file(root: Path, edit: dict, doc: dict) -> None:
    path = root / edit["file"]
    assert not path.exists()
    path.write_text(edit["value"], encoding="utf-8")


def relicense(root: Path, edit: dict, doc: dict) -> None:
    """Declare the license in the card and ship its text as LICENSE, in place of the folder's other
    license files, as the fix says (where mlaudit keeps that text; else no license file is left)."""
    path = root / edit["file"]
    meta, body = front_matter(path)
    meta = {k: v for k, v in meta.items() if k not in ("license_name", "license_link")}
    write_card(path, {**meta, "license": edit["value"]}, body)
    for other in path.parent.iterdir():
        if LICENSE_FILE.match(other.name):
            other.unlink()
    text = texts_dir() / f"{edit['value']}.txt"
    if text.is_file():
        (path.parent / "LICENSE").write_bytes(text.read_bytes())


def remove(root: Path, asset: str) -> None:
    """Drop every reference to an upstream asset: the cards' base_model and datasets, the lineage
    of mlaudit.toml."""
    kind, hub = ("dataset", asset.removeprefix("datasets/")) if asset.startswith("datasets/") else ("model", asset)
    fields = ("datasets", "source_datasets") if kind == "dataset" else ("base_model",)
    dropped = 0
    for path in root.rglob("README.md"):
        meta, body = front_matter(path)
        for field in (f for f in fields if f in meta):
            values = meta[field] if isinstance(meta[field], list) else [meta[field]]
            kept = [v for v in values if str(v).split("|")[-1].lower() != hub.lower()]
            dropped += len(values) - len(kept)
            meta[field] = kept
        write_card(path, meta, body) if meta else None
    toml = root / "mlaudit.toml"
    blocks = toml.read_text(encoding="utf-8").split("[[lineage]]")
    kept_blocks = [b for b in blocks[1:] if f'parent = "{asset}"' not in b]
    dropped += len(blocks) - 1 - len(kept_blocks)
    toml.write_text("[[lineage]]".join([blocks[0], *kept_blocks]), encoding="utf-8")
    assert dropped, f"no reference to {asset} found"


def choose(root: Path, asset: str, licenses: str) -> None:
    """Take an upstream asset under one of its alternatives: its card declares that one alone."""
    path = root / asset / "README.md"
    meta, body = front_matter(path)
    write_card(path, {**meta, "license": licenses}, body)


EDITS: dict[str, Callable[[Path, dict, dict], None]] = {
    "rename": rename,
    "add_text": add_text,
    "add_file": add_file,
    "relicense": relicense,
}


def apply(root: Path, change: dict, doc: dict) -> None:
    for edit in change["edits"]:
        EDITS[edit["kind"]](root, edit, doc)
    for asset in change["remove"]:
        remove(root, asset)
    for choice in change["choose"]:
        choose(root, choice["asset"], choice["license"])


# --- the proof ---------------------------------------------------------------------------------


def errors(doc: dict) -> set[tuple[str, str]]:
    """The release's open error-level conflicts, by rule and detail (a rename changes its name)."""
    return {
        (f["rule"], repr(sorted(f["detail"].items())))
        for f in doc["findings"]
        if f["family"] == "conflict" and f["severity"] == "error" and f["status"] == "open"
        if f["asset"] == doc["release"]["asset"]
    }


def audit_with(fixture: Path, change: dict, doc: dict, tmp_path: Path, n: int) -> dict:
    copy = shutil.copytree(fixture, tmp_path / f"copy{n}")
    apply(copy, change, doc)
    return run_audit(copy)


def offered(doc: dict) -> list[tuple[dict | None, dict]]:
    """(targeted finding or None for the release as a whole, change) for every change offered."""
    pairs: list[tuple[dict | None, dict]] = [(None, c) for c in doc["repairs"]["changes"]]
    for f in doc["findings"]:
        if f["fix"] and f["fix"]["status"] == "found":
            pairs += [(f, c) for c in f["fix"]["changes"]]
    return pairs


@pytest.mark.parametrize("fixture", CASES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_offered_fix_clears_its_finding_when_made(fixture, tmp_path):
    doc = run_audit(fixture)
    pairs = offered(doc)
    assert pairs or not fixture.parent.name.startswith(RELEASE_SIDE), "the fixture offers no fix to prove"
    for n, (target, change) in enumerate(pairs):
        after = audit_with(fixture, change, doc, tmp_path, n)
        brought = {rule for rule, _ in errors(after) - errors(doc)}
        assert brought <= set(change["raises"]), change["says"]
        if target is None:
            assert errors(after) == set(), change["says"]  # the release's conflicts are all cleared
            continue
        same = [
            f
            for f in after["findings"]
            if f["rule"] == target["rule"] and f["detail"] == target["detail"] and f["status"] == "open"
            if f["asset"] in (target["asset"], after["release"]["asset"])
        ]
        assert same == [], change["says"]


@pytest.mark.parametrize(
    "fixture", [c for c in CASES if c.parent.name.startswith(RELEASE_SIDE)], ids=lambda p: str(p.relative_to(FIXTURES))
)
def test_release_side_conflicts_are_fixed_on_the_release_side(fixture):
    """Whatever the release's own team can do comes first: no upstream is removed for these."""
    doc = run_audit(fixture)
    rule = fixture.parent.name.split("-")[0]
    fixes = [c for f in doc["findings"] if f["rule"] == rule for c in f["fix"]["changes"]]
    assert fixes and all(c["edits"] and not c["remove"] and not c["choose"] for c in fixes)


def test_the_demo_never_offers_removing_the_model_it_is_a_quantized_copy_of():
    doc = run_audit(DEMO)
    [parent] = [e["parent"] for e in doc["edges"] if e["child"] == doc["release"]["asset"]]
    assert parent == "acme/support-chat-7b"
    assert all(parent not in change["remove"] for _, change in offered(doc))
    [cmp007] = [f for f in doc["findings"] if f["rule"] == "CMP007"]
    kinds = {e["kind"] for c in cmp007["fix"]["changes"] for e in c["edits"]}
    assert kinds == {"add_text", "add_file"}  # restate the restrictions on the card, or ship a use policy


def test_an_adapter_is_renamed_rather_than_cut_from_its_base(tmp_path):
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "acme/support-lora"\n',
            "acme/support-lora/README.md": card(
                "license: llama3\nbase_model: meta-llama/Meta-Llama-3-8B\nbase_model_relation: adapter",
                "# Card\n\nBuilt with Meta Llama 3.\n",
            ),
            "meta-llama/Meta-Llama-3-8B/README.md": card("license: llama3"),
        },
    )
    doc = run_audit(root)
    [cmp008] = [f for f in doc["findings"] if f["rule"] == "CMP008"]
    [change] = cmp008["fix"]["changes"]
    assert change["remove"] == [] and [(e["kind"], e["value"]) for e in change["edits"]] == [
        ("rename", "acme/Llama-3-support-lora")
    ]
    assert "acme/Llama-3-support-lora" in change["says"] and '"Llama 3"' in change["says"]


def test_the_model_copied_is_removed_only_when_nothing_else_clears(tmp_path):
    """A quantized copy of a non-commercial model, released for commercial use: no change to the
    release clears that, so the copy's own source is the one remedy, offered last."""
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "acme/m-gguf"\nuse = "commercial"\n',
            "acme/m-gguf/README.md": card("license: cc-by-nc-4.0\nbase_model: acme/m\nbase_model_relation: quantized"),
            "acme/m/README.md": card("license: cc-by-nc-4.0"),
        },
    )
    doc = run_audit(root)
    [cmp001] = [f for f in doc["findings"] if f["rule"] == "CMP001"]
    assert [c["remove"] for c in cmp001["fix"]["changes"]] == [["acme/m"]]
