"""The review workflow: resolutions, curations, baseline, and re-rendering a stored report."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, RB

from auditor import audit, review
from auditor.cli import main
from auditor.report import html, text

DEMO = FIXTURES / "releases" / "demo"
RELEASE = "acme/support-chat-7b-GGUF"
NC = "CMP001"  # the demo's error: commercial release bound by alpaca's CC-BY-NC-4.0

ACCEPT_NC = f"""\
resolutions:
  - rule: {NC}
    asset: {RELEASE}
    detail: {{license: CC-BY-NC-4.0}}
    reason: license-obtained
    comment: Stanford granted a commercial license for Alpaca, contract C-2291.
    reviewer: Jane Roe (Legal)
    date: 2026-11-01
"""


@pytest.fixture
def release(tmp_path):
    """A writable copy of the demo release, to add review files to."""
    return shutil.copytree(DEMO, tmp_path / "demo")


def audit_doc(root, as_of=dt.date(2026, 11, 28), baseline=None, **paths) -> dict:
    return audit.run(root, review_paths=paths, rb=RB).document(as_of, baseline)


def findings(doc, rule=NC, asset=RELEASE):
    return [f for f in doc["findings"] if f["rule"] == rule and f["asset"] == asset]


# Resolutions


def test_resolution_accepts_its_finding_and_keeps_it_in_the_report(release):
    before = audit_doc(release)
    (release / "resolutions.yaml").write_text(ACCEPT_NC)
    doc = audit_doc(release)
    [finding] = findings(doc)
    assert finding["status"] == "resolved"
    assert finding["resolution"] == {
        "reason": "license-obtained",
        "comment": "Stanford granted a commercial license for Alpaca, contract C-2291.",
        "reviewer": "Jane Roe (Legal)",
        "date": "2026-11-01",
        "expires": None,
        "expired": False,
        "file": "resolutions.yaml",
        "line": 2,
    }
    assert doc["counts"]["resolved"] == 1 and doc["counts"]["open"] == before["counts"]["open"] - 1
    assert doc["counts"]["error"] == before["counts"]["error"] - 1
    assert doc["review"]["resolutions"] == {"file": "resolutions.yaml", "applied": 1, "expired": [], "orphaned": []}
    assert {"file": "resolutions.yaml", "format": "mlaudit resolutions", "status": "read", "reason": ""} in doc[
        "inventory"
    ]


def test_the_release_repair_clears_the_conflicts_left_open_not_those_resolved(release):
    """A licence obtained for a dataset is no reason to retrain without it: the whole release's
    repair aims at the open conflicts; the resolved one keeps its own fix and is named set aside."""
    before = audit_doc(release)["repairs"]
    (release / "resolutions.yaml").write_text(ACCEPT_NC)
    doc = audit_doc(release)
    [finding] = findings(doc)
    assert any("datasets/tatsu-lab/alpaca" in c["remove"] for c in before["changes"])
    assert doc["repairs"]["status"] == "found" and doc["repairs"]["set_aside"] == [finding["id"]]
    assert not any("datasets/tatsu-lab/alpaca" in c["remove"] for c in doc["repairs"]["changes"])
    assert "left open" in doc["repairs"]["note"] and finding["fix"]["status"] == "found"
    [blocker] = findings(doc, "CMP012")
    unknown = ACCEPT_NC.replace(f"rule: {NC}", "rule: CMP012").replace("    detail: {license: CC-BY-NC-4.0}\n", "")
    (release / "resolutions.yaml").write_text(ACCEPT_NC + unknown.removeprefix("resolutions:\n"))
    repairs = audit_doc(release)["repairs"]
    assert repairs["status"] == "not-needed" and "resolved" in repairs["note"]
    assert set(repairs["set_aside"]) == {finding["id"], blocker["id"]}


def test_the_checklist_names_the_findings_about_each_term_and_the_decision_that_accepts_one(release):
    """An unmet term beside a licence obtained says so, and a term an open error is about is listed
    on the first page whatever the files show (the unknown terms of an unlicensed upstream)."""
    (release / "resolutions.yaml").write_text(ACCEPT_NC)
    doc = audit_doc(release)
    [finding], [blocker] = findings(doc), findings(doc, "CMP012")
    terms = {o["term"]: o for o in doc["obligations"]}
    assert terms["non_commercial"]["status"] == "unmet" and terms["non_commercial"]["findings"] == [finding["id"]]
    [decision] = terms["non_commercial"]["resolved"]
    assert decision["finding"] == finding["id"] and decision["reason"] == "license-obtained"
    assert terms["unknown_terms"]["findings"] == [blocker["id"]] and terms["unknown_terms"]["resolved"] == []
    said = f"{finding['id']} resolved (license-obtained, Jane Roe (Legal), 2026-11-01; resolutions.yaml:2)"
    summary = text.render(doc, [])
    assert f"  unmet: non commercial of CC-BY-NC-4.0 ({said})" in summary
    assert f"  cannot tell: unknown terms of NOASSERTION ({blocker['id']} open error)" in summary
    cover = html.render(doc).partition('class="unmet"')[2].partition("</ul>")[0]
    assert said in cover and f"{blocker['id']} open error" in cover


def test_resolution_matches_rule_and_asset_not_message_text(release):
    (release / "resolutions.yaml").write_text(ACCEPT_NC.replace("    detail: {license: CC-BY-NC-4.0}\n", ""))
    doc = audit_doc(release)
    assert all(f["status"] == "resolved" for f in findings(doc))
    assert all(f["status"] == "open" for f in doc["findings"] if f["rule"] != NC or f["asset"] != RELEASE)


def test_resolution_narrowed_by_detail_leaves_other_findings_open_and_is_orphaned(release):
    (release / "resolutions.yaml").write_text(ACCEPT_NC.replace("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0"))
    doc = audit_doc(release)
    assert [f["status"] for f in findings(doc)] == ["open"]
    [orphan] = doc["review"]["resolutions"]["orphaned"]
    assert orphan["detail"] == {"license": "CC-BY-NC-SA-4.0"} and orphan["line"] == 2


def test_expired_resolution_reopens_its_finding(release):
    (release / "resolutions.yaml").write_text(ACCEPT_NC + "    expires: 2026-12-31\n")
    assert findings(audit_doc(release, as_of=dt.date(2026, 12, 31)))[0]["status"] == "resolved"
    doc = audit_doc(release, as_of=dt.date(2027, 1, 1))
    [finding] = findings(doc)
    assert finding["status"] == "open" and finding["resolution"]["expired"] is True
    assert doc["review"]["as_of"] == "2027-01-01" and doc["verdict"] == "fail"
    assert doc["review"]["resolutions"]["orphaned"] == []  # it matched; it is just no longer in force
    assert doc["review"]["resolutions"]["applied"] == 0  # counted expired, not applied
    [expired] = doc["review"]["resolutions"]["expired"]
    assert (expired["rule"], expired["expires"], expired["line"]) == (NC, "2026-12-31", 2)


def test_the_terminal_says_a_resolution_expired(release, tmp_path, capsys):
    """The CI log is where a gate that passed yesterday is seen to fail today: it says why."""
    (release / "resolutions.yaml").write_text(ACCEPT_NC + "    expires: 2026-12-31\n")
    main(["audit", str(release), "--out", str(tmp_path / "o"), "--as-of", "2027-01-01"])
    out = capsys.readouterr().out
    assert "resolutions: 0 applied, 1 expired from resolutions.yaml as of 2027-01-01" in out
    assert f"  expired on 2026-12-31: {NC} on {RELEASE}, open again (resolutions.yaml:2)" in out


def test_an_empty_expiry_is_no_expiry(release):
    (release / "resolutions.yaml").write_text(ACCEPT_NC + '    expires: ""\n')
    doc = audit_doc(release)
    assert findings(doc)[0]["status"] == "resolved" and doc["review"]["problems"] == []


def test_no_date_in_the_report_unless_an_expiry_depends_on_it(release):
    (release / "resolutions.yaml").write_text(ACCEPT_NC)
    assert audit_doc(release, as_of=dt.date(2030, 1, 1)) == audit_doc(release, as_of=dt.date(2020, 1, 1))


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"comment": ""}, "missing or empty: comment"),
        ({"comment": None}, "missing or empty: comment"),
        ({"reason": "because"}, "reason 'because' is not one of legal-approved"),
        ({"rule": "XYZ999"}, "no rule 'XYZ999'"),
        ({"date": "last week"}, "date 'last week' is not a date"),
        ({"expires": "2026-10-01"}, "expires 2026-10-01 is before its date 2026-11-01"),
        ({"message": "the text of the finding"}, "unknown field(s): message"),
        ({"reviewer": "  "}, "missing or empty: reviewer"),
        ({"asset": ["a/b", "c/d"]}, "not text: asset"),
    ],
)
def test_malformed_resolution_is_listed_with_file_and_line_and_not_applied(release, entry, message):
    fields = {
        "rule": NC,
        "asset": RELEASE,
        "reason": "legal-approved",
        "comment": "Counsel cleared it.",
        "reviewer": "J. Roe",
        "date": "2026-11-01",
    } | entry
    body = "".join(f"    {k}: {json.dumps(v)}\n" for k, v in fields.items()).replace("    ", "  - ", 1)
    (release / "resolutions.yaml").write_text(
        "resolutions:\n  - rule: PRV001\n    asset: x\n    reason: not-applicable\n"
        "    comment: fine\n    reviewer: J\n    date: 2026-01-01\n" + body
    )
    doc = audit_doc(release)
    [problem] = doc["review"]["problems"]
    assert problem["file"] == "resolutions.yaml" and problem["line"] == 8 and message in problem["message"]
    assert findings(doc)[0]["status"] == "open"
    assert len(doc["review"]["resolutions"]["orphaned"]) == 1  # the good entry is still read


@pytest.mark.parametrize("kind", ["resolutions", "curations"])
def test_an_unreadable_review_file_is_an_input_error_and_a_bad_entry_a_field_problem(release, kind):
    """A review file nobody can read fails the gate like an unreadable manifest; an entry that cannot
    be used is a field problem. Both name the file and line, and belong to the release."""
    (release / f"{kind}.yaml").write_text(f"{kind}:\n  - rule: [unclosed\n")
    broken = audit_doc(release)
    [finding] = [f for f in broken["findings"] if f["rule"] == "INP001"]
    assert finding["asset"] == RELEASE and finding["severity"] == "error"
    assert finding["evidence"][0]["file"] == f"{kind}.yaml" and finding["evidence"][0]["line"] == 3
    (release / f"{kind}.yaml").write_text(f"{kind}:\n  - 5\n")
    entry = audit_doc(release)
    assert [
        f["evidence"][0]["file"]
        for f in entry["findings"]
        if f["rule"] == "INP002" and f["evidence"][0]["file"] == f"{kind}.yaml"
    ] == [f"{kind}.yaml"]
    assert not [f for f in entry["findings"] if f["rule"] == "INP001"]


def test_resolutions_file_that_is_not_a_list_is_one_problem(release):
    (release / "resolutions.yaml").write_text("- rule: CMP001\n")
    assert [p["message"] for p in audit_doc(release)["review"]["problems"]] == [
        "the resolutions file is a list, expected a mapping of fields; no resolutions applied"
    ]
    (release / "resolutions.yaml").write_text("resolution:\n  - rule: CMP001\n")
    assert [p["message"] for p in audit_doc(release)["review"]["problems"]] == [
        "expected one top-level key 'resolutions:' holding a list; no resolutions applied"
    ]


def test_resolutions_file_given_on_the_command_line_replaces_the_folders(release, tmp_path):
    (release / "resolutions.yaml").write_text("resolutions: []\n")
    elsewhere = tmp_path / "legal-decisions.yaml"
    elsewhere.write_text(ACCEPT_NC)
    doc = audit_doc(release, resolutions=elsewhere)
    assert findings(doc)[0]["resolution"]["file"] == "legal-decisions.yaml" == doc["review"]["resolutions"]["file"]
    inventory = {e["file"]: e for e in doc["inventory"]}
    assert inventory["legal-decisions.yaml"] == {
        "file": "legal-decisions.yaml",
        "format": "mlaudit resolutions",
        "status": "read",
        "reason": "given with --resolutions",
    }
    assert inventory["resolutions.yaml"]["status"] == "skipped"
    assert inventory["resolutions.yaml"]["reason"] == "--resolutions legal-decisions.yaml is applied instead"


@pytest.mark.parametrize("kind", ["resolutions", "curations"])
def test_a_review_file_from_outside_enters_the_input_fingerprint(tmp_path, monkeypatch, kind):
    """Two audits whose decisions differ differ in their fingerprint, and the report does not
    depend on the working directory the file was given from."""
    given = tmp_path / "decisions" / "review.yaml"
    given.parent.mkdir()
    given.write_text(ACCEPT_NC if kind == "resolutions" else CURATE_ALPACA)
    plain = audit_doc(DEMO)
    doc = audit_doc(DEMO, **{kind: given})
    assert doc["input"]["sha256"] != plain["input"]["sha256"] and doc["input"]["files"] == plain["input"]["files"] + 1
    given.write_text(given.read_text() + "# changed\n")
    assert audit_doc(DEMO, **{kind: given})["input"]["sha256"] != doc["input"]["sha256"]
    monkeypatch.chdir(tmp_path)
    assert audit_doc(DEMO, **{kind: Path("decisions/review.yaml")}) == audit_doc(DEMO, **{kind: given.resolve()})


def test_a_review_file_given_from_inside_the_folder_is_named_by_its_path_there(release):
    (release / "legal").mkdir()
    (release / "legal" / "decisions.yaml").write_text(ACCEPT_NC)
    doc = audit_doc(release, resolutions=release / "legal" / "decisions.yaml")
    assert doc["review"]["resolutions"]["file"] == "legal/decisions.yaml"
    assert [e["status"] for e in doc["inventory"] if e["file"] == "legal/decisions.yaml"] == ["read"]


# Curations

CURATE_ALPACA = """\
curations:
  - asset: datasets/tatsu-lab/alpaca
    license: Apache-2.0
    comment: Hypothetical - legal found the data relicensed under Apache-2.0 (letter of 2026-10-30).
    curator: Jane Roe (Legal)
    date: 2026-11-02
"""


def test_curation_changes_what_the_rules_see_and_shows_both_values(release):
    (release / "curations.yaml").write_text(CURATE_ALPACA)
    doc = audit_doc(release)
    assert findings(doc) == []  # the non-commercial conflict came from alpaca's license
    alpaca = next(a for a in doc["assets"] if a["id"] == "datasets/tatsu-lab/alpaca")
    assert alpaca["license"] == "Apache-2.0"
    assert alpaca["curation"] == {
        "license": "Apache-2.0",
        "original": "CC-BY-NC-4.0",
        "comment": CURATE_ALPACA.split("comment: ")[1].split("\n")[0],
        "curator": "Jane Roe (Legal)",
        "date": "2026-11-02",
        "file": "curations.yaml",
        "line": 3,
    }
    assert "curated by Jane Roe (Legal)" in alpaca["license_reading"]
    assert doc["review"]["curations"] == {
        "file": "curations.yaml",
        "applied": ["datasets/tatsu-lab/alpaca"],
        "orphaned": [],
    }


def test_curated_license_is_the_evidence_of_findings_it_causes(release):
    (release / "curations.yaml").write_text(CURATE_ALPACA.replace("Apache-2.0", "CC-BY-ND-4.0"))
    doc = audit_doc(release)
    steps = [s for f in doc["findings"] for s in f["evidence"] if s["file"] == "curations.yaml"]
    assert steps and all(s["line"] == 3 and s["pointer"] == "curations[0].license" for s in steps)


def test_curation_of_an_unknown_asset_is_orphaned_and_a_second_one_is_a_problem(release):
    second = CURATE_ALPACA.split("curations:\n")[1].replace("Apache-2.0", "MIT")
    (release / "curations.yaml").write_text(
        CURATE_ALPACA + second + CURATE_ALPACA.split("curations:\n")[1].replace("tatsu-lab/alpaca", "nobody/nothing")
    )
    doc = audit_doc(release)
    assert doc["review"]["curations"]["orphaned"] == [
        {"asset": "datasets/nobody/nothing", "license": "Apache-2.0", "file": "curations.yaml", "line": 13}
    ]
    assert [p["line"] for p in doc["review"]["problems"]] == [8]
    assert next(a for a in doc["assets"] if a["id"] == "datasets/tatsu-lab/alpaca")["license"] == "Apache-2.0"


def test_snapshot_carries_the_review_files(release, tmp_path):
    (release / "resolutions.yaml").write_text(ACCEPT_NC)
    (release / "curations.yaml").write_text(CURATE_ALPACA.replace("Apache-2.0", "CC-BY-ND-4.0"))
    snapshot = tmp_path / "graph.json"
    assert main(["harvest", str(release), "-o", str(snapshot)]) == 0
    assert audit_doc(snapshot) == audit_doc(release)


# Baseline


def test_baseline_marks_findings_new_unchanged_and_gone(release):
    old = audit_doc(release)
    (release / "curations.yaml").write_text(CURATE_ALPACA.replace("Apache-2.0", "CC-BY-ND-4.0"))
    doc = audit_doc(release, baseline=("old.json", old))
    states = {f["id"]: f["baseline"] for f in doc["findings"]}
    old_ids = {f["id"] for f in old["findings"]}
    assert {i for i, s in states.items() if s == "unchanged"} == old_ids & states.keys()
    assert {i for i, s in states.items() if s == "new"} == states.keys() - old_ids != set()
    gone = doc["review"]["baseline"]["gone"]
    assert {g["id"] for g in gone} == old_ids - states.keys() and any(g["rule"] == NC for g in gone)
    assert doc["review"]["baseline"]["new"] == len(states.keys() - old_ids)
    was = {f["id"]: f for f in old["findings"]}
    for g in gone:  # where it pointed: the first evidence step in the folder
        step = next(s for s in was[g["id"]]["evidence"] if s["file"] and "://" not in s["file"])
        assert (g["file"], g["line"]) == (step["file"], step["line"])


def test_baseline_that_is_not_a_report_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "old.json"
    bad.write_text('{"schema_version": "0.9"}')
    assert main(["audit", str(DEMO), "--out", str(tmp_path / "o"), "--baseline", str(bad)]) == 2
    assert "old.json: not an mlaudit report.json" in capsys.readouterr().err


def test_baseline_of_another_release_is_a_usage_error_naming_both(tmp_path, capsys):
    other = tmp_path / "other"
    assert main(["audit", str(DEMO), "--asset", "acme/support-chat-7b", "--out", str(other)]) in (0, 1)
    capsys.readouterr()
    args = ["--out", str(tmp_path / "o"), "--baseline", str(other / "report.json")]
    assert main(["audit", str(DEMO), "--asset", RELEASE, *args]) == 2
    said = capsys.readouterr().err
    assert f"a report of the release acme/support-chat-7b, not of {RELEASE}" in said
    assert main(["report", str(other / "report.json"), "--baseline", str(other / "report.json")]) in (0, 1)


# The CI gate and re-rendering


def test_fail_on_counts_only_unresolved_findings(release, tmp_path):
    out = tmp_path / "out"
    assert main(["audit", str(release), "--out", str(out), "--format", "json"]) == 1
    errors = [f for f in json.loads((out / "report.json").read_text())["findings"] if f["severity"] == "error"]
    entries = "".join(
        f"  - rule: {f['rule']}\n    asset: {f['asset']}\n    reason: legal-approved\n"
        f"    comment: Counsel cleared it.\n    reviewer: J. Roe\n    date: 2026-11-01\n"
        for f in errors
    )
    (release / "resolutions.yaml").write_text("resolutions:\n" + entries)
    assert main(["audit", str(release), "--out", str(out), "--format", "json"]) == 0
    assert main(["audit", str(release), "--out", str(out), "--fail-on", "warning", "--format", "json"]) == 1


def test_report_re_renders_a_stored_audit_byte_for_byte(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    main(["audit", str(DEMO), "--out", str(first), "--fail-on", "never", "--sarif"])
    assert main(["report", str(first / "report.json"), "--out", str(second), "--fail-on", "never", "--sarif"]) == 0
    for name in ("report.json", "report.html", "report.sarif"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_report_applies_new_resolutions_and_baseline_without_reasoning(tmp_path, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    main(["audit", str(DEMO), "--out", str(first), "--fail-on", "never"])
    decisions = tmp_path / "resolutions.yaml"
    decisions.write_text(ACCEPT_NC)
    monkeypatch.setattr(audit, "run", lambda *a, **k: pytest.fail("mlaudit report reasoned again"))
    code = main(
        [
            "report",
            str(first / "report.json"),
            "--out",
            str(second),
            "--resolutions",
            str(decisions),
            "--baseline",
            str(first / "report.json"),
        ]
    )
    doc = json.loads((second / "report.json").read_text())
    assert findings(doc)[0]["status"] == "resolved" and doc["counts"]["resolved"] == 1
    assert {f["baseline"] for f in doc["findings"]} == {"unchanged"} and doc["review"]["baseline"]["gone"] == []
    assert doc["gate"]["fail_on"] == "never" and code == 0  # given no gate, the stored report's applies


def test_report_with_a_resolutions_file_that_cannot_be_used_fails_as_audit_does(release, tmp_path, capsys):
    assert main(["audit", str(release), "--out", str(tmp_path / "a"), "--fail-on", "never"]) == 0
    (release / "resolutions.yaml").write_text("resolutions: [\n")
    assert main(["audit", str(release), "--out", str(tmp_path / "b")]) == 1  # INP001
    capsys.readouterr()
    given = ["--resolutions", str(release / "resolutions.yaml"), "--fail-on", "never"]
    assert main(["report", str(tmp_path / "a" / "report.json"), "--out", str(tmp_path / "c"), *given]) == 2
    err = capsys.readouterr().err
    assert (
        "resolutions.yaml:2: invalid YAML" in err
        and "fails the gate on it: INP001" in err
        and not (tmp_path / "c").exists()
    )


def test_report_of_a_file_that_is_not_a_report_is_exit_3(tmp_path, capsys):
    (tmp_path / "x.json").write_text("[1, 2]")
    assert main(["report", str(tmp_path / "x.json"), "--out", str(tmp_path / "o")]) == 3
    assert "x.json: not an mlaudit report.json" in capsys.readouterr().err


def test_reasons_are_the_documented_closed_list():
    readme = (FIXTURES.parent / "README.md").read_text(encoding="utf-8")
    for reason in review.REASONS:
        assert f"`{reason}`" in readme, reason


def test_report_of_a_harvest_snapshot_points_to_audit(tmp_path, capsys):
    snapshot = tmp_path / "graph.json"
    main(["harvest", str(DEMO), "-o", str(snapshot)])
    assert main(["report", str(snapshot), "--out", str(tmp_path / "o")]) == 2
    assert f"'mlaudit audit {snapshot}' reasons over it" in capsys.readouterr().err


def test_html_shows_the_decision_the_curation_and_the_baseline(release):
    import html as html_lib
    import re

    from auditor.report import html

    old = audit_doc(release)
    (release / "resolutions.yaml").write_text(
        ACCEPT_NC + "  - rule: PRV001\n    asset: nothing/here\n"
        "    reason: not-applicable\n    comment: old\n    reviewer: J\n"
        "    date: 2026-01-01\n"
    )
    (release / "curations.yaml").write_text(CURATE_ALPACA.replace("tatsu-lab/alpaca", "acme/support-tickets"))
    page = html.render(audit_doc(release, baseline=("old.json", old)))
    shown = " ".join(html_lib.unescape(re.sub(r"<(/?)(td|th|li|p|div|h\d)\b[^>]*>", " ", page)).split())
    shown = re.sub(r"<[^>]+>", "", shown)
    assert (
        "Resolved · license-obtained · Jane Roe (Legal), 2026-11-01: Stanford granted a commercial license "
        "for Alpaca, contract C-2291. — resolutions.yaml:2"
    ) in shown
    assert "Resolutions that match no finding" in shown and "nothing/here" in shown
    assert "datasets/acme/support-tickets (missing) Apache-2.0 Jane Roe (Legal), 2026-11-02" in shown
    assert "Compared with old.json:" in shown and "gone" in shown


def test_a_resolution_with_a_key_given_twice_is_told_and_not_applied(release):
    """Readers disagree on which of two values counts: a reviewer's decision applies only as written once."""
    (release / "resolutions.yaml").write_text(
        ACCEPT_NC.replace(f"  - rule: {NC}\n", f"  - rule: CMP006\n    rule: {NC}\n")
    )
    doc = audit_doc(release)
    [problem] = doc["review"]["problems"]
    assert (
        problem["line"] == 3
        and problem["message"] == "field 'resolutions[0].rule' is given twice; resolutions[0] not applied"
    )
    assert findings(doc)[0]["status"] == "open"
    (release / "resolutions.yaml").write_text(ACCEPT_NC + ACCEPT_NC)
    [problem] = audit_doc(release)["review"]["problems"]
    assert problem["message"] == "field 'resolutions' is given twice; no resolutions applied"
