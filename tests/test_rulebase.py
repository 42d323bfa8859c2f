"""The rule base is one object per audit: no rule data is cached for the process, and a report
renders with the rules recorded in it, not with those installed when it is rendered again."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest
from conftest import FIXTURES, RB, run_audit

from auditor import rulebase
from auditor.cli import main
from auditor.report import junit, sarif

DEMO = FIXTURES / "releases" / "demo"


@pytest.fixture(scope="module")
def lenient(tmp_path_factory) -> rulebase.RuleBase:
    """A copy of the installed rule base in which CMP001 (non-commercial upstream) only warns."""
    folder = tmp_path_factory.mktemp("rb") / "rules"
    shutil.copytree(RB.folder, folder)
    (path,) = (folder / "conflict").glob("CMP001-*.lp")
    path.write_text(path.read_text(encoding="utf-8").replace("severity: error", "severity: warning", 1))
    return rulebase.load(folder)


def test_two_rule_bases_judge_side_by_side_in_one_process(lenient):
    assert (lenient.rules["CMP001"].severity, RB.rules["CMP001"].severity) == ("warning", "error")
    assert lenient.fingerprint != RB.fingerprint
    strict, relaxed = run_audit(DEMO, rb=RB), run_audit(DEMO, rb=lenient)
    assert {f["severity"] for f in strict["findings"] if f["rule"] == "CMP001"} == {"error"}
    assert {f["severity"] for f in relaxed["findings"] if f["rule"] == "CMP001"} == {"warning"}
    assert relaxed["counts"]["error"] < strict["counts"]["error"]
    assert (strict["rule_base"]["sha256"], relaxed["rule_base"]["sha256"]) == (RB.fingerprint, lenient.fingerprint)
    assert run_audit(DEMO, rb=RB) == strict  # the first rule base is unchanged by the second


def test_the_report_records_every_rule_that_judged_it():
    doc = run_audit(DEMO)
    recorded = doc["rule_base"]["rules"]
    assert [r["id"] for r in recorded] == list(RB.rules)
    assert recorded == rulebase.descriptors(RB.rules)
    assert {r["source"] for r in recorded} == {r.source for r in RB.rules.values()}


def reworded() -> dict:
    """The demo's report as if written by an audit whose CMP001 said other things than today's."""
    doc = run_audit(DEMO)
    rule = next(r for r in doc["rule_base"]["rules"] if r["id"] == "CMP001")
    rule.update(name="older-name", summary="An older summary.", why="An older reason.", how_to_fix="An older fix.")
    return doc


def test_sarif_and_junit_render_the_rules_of_the_report():
    doc = reworded()
    rules = {r["id"]: r for r in json.loads(sarif.render(doc))["runs"][0]["tool"]["driver"]["rules"]}
    assert list(rules) == list(RB.rules)
    assert rules["CMP001"]["name"] == "older-name"
    assert rules["CMP001"]["shortDescription"] == {"text": "An older summary."}
    assert rules["CMP001"]["fullDescription"] == {"text": "An older reason."}
    assert rules["CMP001"]["help"] == {"text": "An older fix."}
    cases = [c.get("name") for c in ET.fromstring(junit.render(doc)).iter("testcase")]
    assert "CMP001 older-name" in cases and f"CMP001 {RB.rules['CMP001'].name}" not in cases


def test_mlaudit_report_and_explain_use_the_rules_of_the_report(tmp_path, capsys):
    stored = tmp_path / "report.json"
    stored.write_text(json.dumps(reworded()), encoding="utf-8")
    assert main(["report", str(stored), "--out", str(tmp_path / "o"), "--sarif", "--junit", "--fail-on", "never"]) == 0
    log = json.loads((tmp_path / "o" / "report.sarif").read_text(encoding="utf-8"))
    assert {r["id"]: r["name"] for r in log["runs"][0]["tool"]["driver"]["rules"]}["CMP001"] == "older-name"
    assert "CMP001 older-name" in (tmp_path / "o" / "junit.xml").read_text(encoding="utf-8")
    finding = next(f for f in json.loads(stored.read_text())["findings"] if f["rule"] == "CMP001")
    capsys.readouterr()
    assert main(["explain", finding["id"], "--report", str(stored)]) == 0
    assert "Why it matters: An older reason." in capsys.readouterr().out


def test_a_report_of_schema_1_4_renders_with_the_installed_rules(tmp_path):
    """Reports written before the rules were recorded still render: today's rules stand in."""
    doc = run_audit(DEMO)
    del doc["rule_base"]["rules"]
    doc["schema_version"] = "1.4.0"
    stored = tmp_path / "report.json"
    stored.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["report", str(stored), "--out", str(tmp_path / "o"), "--sarif", "--fail-on", "never"]) == 0
    log = json.loads((tmp_path / "o" / "report.sarif").read_text(encoding="utf-8"))
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == list(RB.rules)


def test_an_unknown_position_names_the_known_ones():
    with pytest.raises(rulebase.RuleBaseError, match="unknown legal position 'adventurous'; known: "):
        RB.program_files("adventurous")
