"""Documentation profiles: a complete fixture scores 100, an incomplete one lists exactly what is missing."""

from __future__ import annotations

import pytest
import yaml

from auditor import profiles
from conftest import FIXTURES, run_audit

PROFILE_FIXTURES = FIXTURES / "profiles"
CHECKLISTS = sorted(profiles.load())


def release_documentation(doc: dict, profile: str) -> dict:
    (entry,) = [d for d in doc["documentation"] if d["asset"] == doc["release"]["asset"] and d["profile"] == profile]
    return entry


@pytest.mark.parametrize("profile", CHECKLISTS)
def test_every_profile_has_fixtures(profile):
    assert (PROFILE_FIXTURES / profile / "complete").is_dir() and (PROFILE_FIXTURES / profile / "incomplete").is_dir()


@pytest.mark.parametrize("profile", CHECKLISTS)
def test_complete_fixture_meets_every_item(profile):
    doc = run_audit(PROFILE_FIXTURES / profile / "complete")
    entry = release_documentation(doc, profile)
    assert (entry["score"], entry["missing"]) == (100, [])
    assert not [f for f in doc["findings"] if f["rule"] == "DOC001"]


@pytest.mark.parametrize("profile", CHECKLISTS)
def test_incomplete_fixture_lists_what_is_missing(profile):
    folder = PROFILE_FIXTURES / profile / "incomplete"
    expected = yaml.safe_load((folder / "expect.yaml").read_text())
    doc = run_audit(folder)
    entry = release_documentation(doc, profile)
    assert entry["score"] == expected["score"]
    assert [m["item"] for m in entry["missing"]] == expected["missing"]
    assert all(m["expected"] and m["how_to_fix"] for m in entry["missing"])
    required = {i.id for i in profiles.load()[profile].items if i.required}
    flagged = {f["detail"]["item"] for f in doc["findings"] if f["rule"] == "DOC001"}
    assert flagged == required & set(expected["missing"])


def test_profiles_are_selected_on_the_command_line_and_unknown_ones_refused(tmp_path):
    from auditor.cli import main
    demo = FIXTURES / "releases" / "demo"
    assert main(["audit", str(demo), "--out", str(tmp_path), "--fail-on", "never",
                 "--profile", "hf-model-card", "--profile", "eu-ai-act-gpai"]) == 0
    doc = yaml.safe_load((tmp_path / "report.json").read_text())
    assert doc["profiles"] == ["hf-model-card", "eu-ai-act-gpai"]
    assert {d["profile"] for d in doc["documentation"]} == {"hf-model-card", "eu-ai-act-gpai"}
    assert main(["audit", str(demo), "--out", str(tmp_path), "--profile", "iso-42001"]) == 2


def test_eu_items_cite_the_regulation():
    items = profiles.load()["eu-ai-act-gpai"].items
    assert all("Annex" in i.clause for i in items)


def test_mof_profile_reports_class_and_progress(tmp_path):
    """A MOF model file in the release: its Model Openness Framework class and progress per class."""
    oracle = FIXTURES / "mof-oracle"
    source = next(oracle.glob("Class2RTestFile*.yml"))
    (tmp_path / "model.yml").write_bytes(source.read_bytes())
    doc = run_audit(tmp_path, profiles=("mof",))
    (entry,) = [d for d in doc["documentation"] if d["profile"] == "mof"]
    assert entry["class"] == 2 and entry["progress"] == {"1": 77, "2": 100, "3": 100}
    assert entry["score"] == 77 and {m["item"] for m in entry["missing"]} >= {"Datasets"}
