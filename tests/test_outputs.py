"""The machine outputs and the NOTICE: SARIF, JUnit XML, findings.txt, NOTICE, and their CLI flags."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, RB, ROOT, card, run_audit, write_tree

from auditor.cli import OUTPUTS, main
from auditor.cli_outputs import RECORD
from auditor.report import junit, lines, notice, sarif

DEMO = FIXTURES / "releases" / "demo"
SARIF_SCHEMA = Path(sarif.__file__).resolve().parents[1] / "schemas" / "sarif-2.1.0.schema.json"
LLAMA2_NOTICE = (
    "Llama 2 is licensed under the LLAMA 2 Community License, Copyright (c) Meta Platforms, Inc. All Rights Reserved."
)
HOSTILE = "evil\u202e\x1b[31mred\x00\x07\nsecond line\u2028third\ud800"


@pytest.fixture(scope="module")
def demo() -> dict:
    return run_audit(DEMO)


def validate_sarif(text: str) -> dict:
    """The log, checked against the SARIF schema and against what GitHub code scanning requires
    beyond it: every result has a location in a file, or the whole upload is refused."""
    log = json.loads(text)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)
    for result in log["runs"][0]["results"]:
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], result
    return log


def open_findings(doc: dict) -> list[dict]:
    return [f for f in doc["findings"] if f["status"] == "open"]


def hostile_document(doc: dict) -> dict:
    """The demo with untrusted text in every place a manifest can reach."""
    doc = copy.deepcopy(doc)
    for f in doc["findings"]:
        f["message"] += HOSTILE
        f["asset"] = (f["asset"] or "") + HOSTILE
        f["evidence"][0] |= {"fact": HOSTILE, "file": f"dir with space/{HOSTILE}.md", "line": 3}
    for o in doc["obligations"]:
        o["imposed_by"] = [a + HOSTILE for a in o["imposed_by"]]
        o["text"] += HOSTILE
    doc["release"]["asset"] += HOSTILE
    return doc


# SARIF


def test_bundled_sarif_schema_is_the_oasis_one():
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")


def test_sarif_validates_and_carries_the_demo_findings(demo):
    log = validate_sarif(sarif.render(demo))
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "mlaudit" and driver["version"] == demo["tool"]["version"] and driver["informationUri"]
    assert [r["id"] for r in driver["rules"]] == list(RB.rules)
    results = log["runs"][0]["results"]
    assert [r["partialFingerprints"][sarif.FINGERPRINT] for r in results] == [f["id"] for f in demo["findings"]]
    for result in results:
        rule = driver["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["defaultConfiguration"]["level"] == result["level"]
    assert {r["level"] for r in results} == {"error", "warning", "note"}


def test_a_documentation_alert_says_how_to_write_its_item(demo):
    """A code-scanning alert has no documentation table: DOC001's fix is the profile's own for its item."""
    results = json.loads(sarif.render(demo))["runs"][0]["results"]
    fixes = {(d["profile"], m["item"]): m["how_to_fix"] for d in demo["documentation"] for m in d["missing"]}
    alerts = [r for r in results if r["ruleId"] == "DOC001"]
    assert alerts
    for alert in alerts:
        [finding] = [f for f in demo["findings"] if f["id"] == next(iter(alert["partialFingerprints"].values()))]
        fix = fixes[(finding["detail"]["profile"], finding["detail"]["item"])]
        assert alert["properties"]["howToFix"].startswith(fix) and finding["how_to_fix"].startswith(fix)


def test_sarif_rules_carry_the_rule_metadata(demo):
    rules = {r["id"]: r for r in json.loads(sarif.render(demo))["runs"][0]["tool"]["driver"]["rules"]}
    meta = RB.rules["CMP001"]
    assert rules["CMP001"] == {
        "id": "CMP001",
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.why},
        "help": {"text": meta.how_to_fix},
        "defaultConfiguration": {"level": "error"},
        "properties": {"family": "conflict", "tags": ["conflict"]},
    }


def test_sarif_locates_a_result_at_its_first_file_and_names_the_asset(demo):
    results = json.loads(sarif.render(demo))["runs"][0]["results"]
    quantised = next(r for r in results if r["ruleId"] == "INP002")
    location = quantised["locations"][0]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "acme/support-chat-7b-GGUF/README.md", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 6},
    }
    assert location["logicalLocations"][0]["name"] == "acme/support-chat-7b-GGUF"
    conflict = next(r for r in results if r["ruleId"] == "CMP001")
    assert conflict["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "mlaudit.toml", "uriBaseId": "SRCROOT"}
    }
    assert conflict["properties"]["family"] == "conflict"
    assert conflict["properties"]["evidence"][-1]["file"].startswith("https://creativecommons.org/")


def test_sarif_places_results_under_the_release_folder_and_names_the_release(demo):
    run = validate_sarif(sarif.render(demo))["runs"][0]
    assert run["automationDetails"] == {"id": "mlaudit/acme/support-chat-7b-GGUF/"}
    assert set(run["originalUriBaseIds"]) == {"SRCROOT"}
    located = [loc["physicalLocation"] for r in run["results"] for loc in r.get("locations", [])]
    uris = [p["artifactLocation"] for p in located]
    assert uris and all(a["uriBaseId"] == "SRCROOT" and "://" not in a["uri"] for a in uris)


def _locations(log: dict) -> list[str]:
    results = log["runs"][0]["results"]
    return [loc["physicalLocation"]["artifactLocation"]["uri"] for r in results for loc in r.get("locations", [])]


def test_sarif_locations_are_relative_to_the_repository_root_given(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(DEMO, repo / "releases" / "demo")
    monkeypatch.chdir(repo)
    assert main(["audit", "releases/demo", "--out", str(tmp_path / "plain"), "--sarif", "--fail-on", "never"]) == 0
    argv = ["audit", "releases/demo", "--out", str(tmp_path / "rooted"), "--sarif", "--fail-on", "never"]
    assert main([*argv, "--sarif-root", str(repo)]) == 0
    plain = validate_sarif((tmp_path / "plain" / "report.sarif").read_text(encoding="utf-8"))
    rooted = validate_sarif((tmp_path / "rooted" / "report.sarif").read_text(encoding="utf-8"))
    assert _locations(rooted) == [f"releases/demo/{uri}" for uri in _locations(plain)] and _locations(plain)
    assert all((repo / uri).is_file() for uri in _locations(rooted))  # each names a file of the repository
    description = rooted["runs"][0]["originalUriBaseIds"]["SRCROOT"]["description"]["text"]
    assert description == "the folder that holds the audited release folder at releases/demo"
    assert main([*argv, "--sarif-root", "releases/demo"]) == 0  # the folder itself: as without the option
    assert (tmp_path / "rooted" / "report.sarif").read_bytes() == (tmp_path / "plain" / "report.sarif").read_bytes()


def test_sarif_root_outside_which_the_folder_lies_is_a_usage_error(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    argv = ["audit", str(DEMO), "--out", str(tmp_path / "out"), "--sarif", "--sarif-root", str(elsewhere)]
    assert main(argv) == 2
    assert "is not inside it" in capsys.readouterr().err and not (tmp_path / "out" / "report.json").exists()


def test_sarif_automation_id_without_a_release(demo):
    doc = copy.deepcopy(demo)
    doc["release"]["asset"] = None
    assert validate_sarif(sarif.render(doc))["runs"][0]["automationDetails"] == {"id": "mlaudit/"}


def test_sarif_suppresses_resolved_findings_with_the_decision(demo):
    doc = copy.deepcopy(demo)
    doc["findings"][0] |= {
        "status": "resolved",
        "resolution": {
            "reason": "legal-approved",
            "comment": "Counsel cleared it.",
            "reviewer": "J. Roe",
            "date": "2026-11-01",
            "expires": None,
            "expired": False,
            "file": "resolutions.yaml",
            "line": 2,
        },
    }
    results = validate_sarif(sarif.render(doc))["runs"][0]["results"]
    assert results[0]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "legal-approved (J. Roe, 2026-11-01): Counsel cleared it.",
        }
    ]
    assert all("suppressions" not in r for r in results[1:])


def test_sarif_carries_the_baseline_state_and_the_findings_gone(demo):
    doc = copy.deepcopy(demo)
    for f, state in zip(doc["findings"], ["new", "unchanged"], strict=False):
        f["baseline"] = state
    gone = {"id": "CMP004-0123456789ab", "rule": "CMP004", "severity": "error", "asset": "a/b", "message": HOSTILE}
    placed = gone | {"id": "CMP004-0123456789ac", "file": "a/b/README.md", "line": 4}
    doc["review"]["baseline"] = {"file": "old.json", "new": 1, "unchanged": 1, "gone": [gone, placed]}
    results = validate_sarif(sarif.render(doc))["runs"][0]["results"]
    assert [r.get("baselineState") for r in results[:3]] == ["new", "unchanged", None]
    assert results[-2]["baselineState"] == "absent" and results[-2]["partialFingerprints"] == {
        "mlauditFindingId/v1": "CMP004-0123456789ab"
    }
    # where the gone finding pointed; a report of schema 1.7 does not say: the release's manifest
    assert [r["locations"][0]["physicalLocation"] for r in results[-2:]] == [
        {"artifactLocation": {"uri": "acme/support-chat-7b-GGUF/README.md", "uriBaseId": "SRCROOT"}},
        {"artifactLocation": {"uri": "a/b/README.md", "uriBaseId": "SRCROOT"}, "region": {"startLine": 4}},
    ]


def test_sarif_places_a_result_without_a_file_at_its_assets_manifest(demo):
    """Else at the release's: an unresolved asset has none."""
    doc = copy.deepcopy(demo)
    placed = {"DOC002": "datasets/acme/support-tickets/README.md", "PRV002": "acme/support-chat-7b-GGUF/README.md"}
    for f in doc["findings"]:
        f["evidence"] = [s | {"file": "https://example.org/x"} for s in f["evidence"]]
    results = validate_sarif(sarif.render(doc))["runs"][0]["results"]
    uris = {r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert {rule: uris[rule] for rule in placed} == placed


def test_sarif_of_a_baseline_run_places_every_finding_gone(tmp_path):
    changed = tmp_path / "changed"
    shutil.copytree(DEMO, changed)
    card = changed / "datasets" / "tatsu-lab" / "alpaca" / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("cc-by-nc-4.0", "cc-by-nc-sa-4.0"), encoding="utf-8")
    assert main(["audit", str(DEMO), "--out", str(tmp_path / "old"), "--fail-on", "never"]) == 0
    baseline = ["--baseline", str(tmp_path / "old" / "report.json")]
    assert (
        main(["audit", str(changed), "--out", str(tmp_path / "new"), "--sarif", "--fail-on", "never", *baseline]) == 0
    )
    log = validate_sarif((tmp_path / "new" / "report.sarif").read_text(encoding="utf-8"))
    gone = [r for r in log["runs"][0]["results"] if r.get("baselineState") == "absent"]
    assert gone and {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in gone} <= {
        "mlaudit.toml",
        "acme/support-chat-7b-GGUF/README.md",
    }


def test_sarif_is_deterministic(demo):
    assert sarif.render(demo) == sarif.render(run_audit(DEMO))


# JUnit


def test_junit_has_a_testcase_per_rule_and_a_failure_per_open_error(demo):
    root = ET.fromstring(junit.render(demo))
    suite = root.find("testsuite")
    errors = [f for f in open_findings(demo) if f["severity"] == "error"]
    assert suite.get("name") == "mlaudit" and len(root.findall("testsuite")) == 1
    assert int(suite.get("failures")) == len(suite.findall(".//failure")) == len(errors) == demo["counts"]["error"]
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases) == len(RB.rules)
    cmp001 = next(c for c in cases if c.get("name").startswith("CMP001 "))
    assert cmp001.get("classname") == "conflict"
    assert cmp001.find("failure").get("type") == "CMP001"
    assert "datasets/tatsu-lab/alpaca/README.md:2" in cmp001.find("failure").text


def test_junit_lists_warnings_in_system_out_without_failing(demo):
    suite = ET.fromstring(junit.render(demo)).find("testsuite")
    lic001 = next(c for c in suite.findall("testcase") if c.get("name").startswith("LIC001 "))
    assert lic001.find("failure") is None
    assert re.match(r"WARNING LIC001-[0-9a-f]{12} acme/support-chat-7b-GGUF: ", lic001.find("system-out").text)


# findings.txt


def test_lines_are_one_per_open_finding_in_report_order(demo):
    text = lines.render(demo)
    assert text.endswith("\n")
    rows = text.splitlines()
    assert len(rows) == len(open_findings(demo))
    for row, finding in zip(rows, open_findings(demo), strict=False):
        head = f"{finding['severity'].upper()} {finding['id']} {finding['asset']}: {finding['message']}"
        assert row.startswith(head)
    assert any(r.endswith("[datasets/acme/support-tickets/README.md:1]") for r in rows)


def test_each_line_of_findings_txt_names_a_finding_explain_can_show(demo, tmp_path, capsys):
    """The second field is the finding's id: `mlaudit explain` takes it as it is."""
    report = tmp_path / "report.json"
    report.write_text(json.dumps(demo), encoding="utf-8")
    for row in lines.render(demo).splitlines():
        assert main(["explain", row.split()[1], "--report", str(report)]) == 0
        assert capsys.readouterr().out.startswith(row.split()[1] + "  ")


# NOTICE


def test_notice_carries_the_llama_notice_and_the_cc_by_nc_attribution(demo):
    text = notice.render(demo)
    assert text.startswith("NOTICE for acme/support-chat-7b-GGUF\n")
    assert "Generated by mlaudit" in text and "Review it before shipping" in text
    assert f"\n  {LLAMA2_NOTICE}\n" in text
    assert "datasets/tatsu-lab/alpaca, licensed under CC-BY-NC-4.0 (attribution: Section 3(a)(1)(A))" in text
    assert "https://creativecommons.org/licenses/by-nc/4.0/legalcode" in text
    assert "Section 1(b)(iv): https://ai.meta.com/llama/use-policy" in text
    assert "  - datasets/acme/support-tickets" in text.split("Terms unknown")[1]
    sections = [
        line for line in text.splitlines() if line in ("Apache-2.0", "CC-BY-NC-4.0", "LicenseRef-Llama-2-Community")
    ]
    assert sections == sorted(sections) and len(sections) == 3


def test_notice_uses_prescribed_values_and_marks_missing_text_for_review():
    doc = {
        "tool": {"version": "0"},
        "position": "p",
        "release": {"asset": "org/m"},
        "assets": [{"id": "meta-llama/Meta-Llama-3-8B", "license": "LicenseRef-Llama-3-Community"}],
        "obligations": [
            {
                "term": "display_notice",
                "license": "LicenseRef-Llama-3-Community",
                "clause": "Section 1(b)(i)(B)",
                "text": 'Prominently display "Built with Meta Llama 3" on a related website.',
                "source": "u",
                "imposed_by": ["meta-llama/Meta-Llama-3-8B"],
                "values": ["Built with Meta Llama 3"],
            },
            {
                "term": "include_notice",
                "license": "Apache-2.0",
                "clause": "Section 4(d)",
                "source": "u",
                "text": "If the work has a NOTICE file, include its attribution notices.",
                "imposed_by": ["org/c"],
            },
        ],
    }
    text = notice.render(doc)
    assert "\n  Built with Meta Llama 3\n" in text
    assert "  [review] If the work has a NOTICE file, include its attribution notices." in text


def test_notice_is_deterministic(demo):
    assert notice.render(demo) == notice.render(run_audit(DEMO))


# hostile text


@pytest.mark.parametrize("render", [sarif.render, junit.render, lines.render, notice.render])
def test_hostile_strings_do_not_reach_any_output(demo, render):
    out = render(hostile_document(demo))
    for bad in ("\u202e", "\x1b", "\x00", "\x07", "\u2028", "\ud800"):
        assert bad not in out
    assert "evil" in out and "red" in out


def test_hostile_strings_keep_every_output_well_formed(demo):
    doc = hostile_document(demo)
    log = validate_sarif(sarif.render(doc))
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith(
        "dir%20with%20space/evil%E2%80%AE%1B"
    )
    ET.fromstring(junit.render(doc))
    assert len(lines.render(doc).splitlines()) == len(open_findings(doc))


def test_hostile_license_name_end_to_end(tmp_path):
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "org/m"\n',
            "org/m/README.md": card('license: other\nlicense_name: "evil\\u202e\\u001b[31mred"'),
        },
    )
    out = tmp_path / "out"
    main(["audit", str(root), "--out", str(out), "--all"])
    for name, _, _ in OUTPUTS.values():
        if name.endswith(".pdf"):
            continue  # binary: tests/test_pdf.py reads it as text
        body = (out / name).read_text(encoding="utf-8")
        assert "\u202e" not in body and "\x1b" not in body
    validate_sarif((out / "report.sarif").read_text(encoding="utf-8"))
    ET.parse(out / "junit.xml")


# command line


@pytest.mark.parametrize(
    "flag, name",
    [("--sarif", "report.sarif"), ("--lines", "findings.txt"), ("--junit", "junit.xml"), ("--notice", "NOTICE")],
)
def test_each_flag_writes_its_file_only(tmp_path, capsys, flag, name):
    assert main(["audit", str(DEMO), "--out", str(tmp_path), flag]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["report.json", "report.html", name, RECORD])
    assert f"wrote {tmp_path / name}" in capsys.readouterr().out


def test_all_writes_every_output(tmp_path, demo):
    main(["audit", str(DEMO), "--out", str(tmp_path), "--all", "--fail-on", "never"])
    written = {p.name for p in tmp_path.iterdir()}
    assert written == {"report.json", "report.html", RECORD, *(name for name, _, _ in OUTPUTS.values())}
    assert (tmp_path / "findings.txt").read_text(encoding="utf-8") == lines.render(demo)
    assert (tmp_path / "NOTICE").read_text(encoding="utf-8") == notice.render(demo)


def test_without_flags_only_the_two_reports_are_written(tmp_path):
    main(["audit", str(DEMO), "--out", str(tmp_path)])
    assert {p.name for p in tmp_path.iterdir()} == {"report.json", "report.html", RECORD}


def test_timestamp_is_recorded_only_when_asked_for(tmp_path):
    plain_run, stamped = tmp_path / "a", tmp_path / "b"
    main(["audit", str(DEMO), "--out", str(plain_run), "--cyclonedx", "--spdx", "--fail-on", "never"])
    main(["audit", str(DEMO), "--out", str(stamped), "--cyclonedx", "--spdx", "--timestamp", "--fail-on", "never"])
    assert json.loads((plain_run / "report.json").read_text())["created"] is None
    assert "timestamp" not in json.loads((plain_run / "release.cdx.json").read_text())["metadata"]
    created = json.loads((stamped / "report.json").read_text())["created"]
    moment = dt.datetime.fromisoformat(created)
    assert moment.tzinfo is not None and abs(dt.datetime.now(dt.UTC) - moment) < dt.timedelta(minutes=5)
    assert json.loads((stamped / "release.cdx.json").read_text())["metadata"]["timestamp"].startswith(created[:19])
    [info] = [
        e for e in json.loads((stamped / "release.spdx.json").read_text())["@graph"] if e["type"] == "CreationInfo"
    ]
    assert info["created"].startswith(created[:19])


def test_a_rerun_removes_the_outputs_of_the_earlier_audit_it_does_not_write(tmp_path, capsys):
    """A NOTICE or SARIF of an earlier audit beside a new report.json would be taken for this audit's;
    a file mlaudit did not write, or one changed since, is never removed."""
    out = tmp_path / "out"
    assert main(["audit", str(DEMO), "--out", str(out), "--notice", "--sarif", "--lines"]) == 1
    (out / "report.pdf").write_text("the team's own\n")
    (out / "findings.txt").write_text("edited\n")
    capsys.readouterr()
    assert main(["audit", str(DEMO), "--out", str(out)]) == 1
    names = {p.name for p in out.iterdir()}
    assert names == {"report.json", "report.html", "report.pdf", "findings.txt", ".mlaudit-outputs.json"}
    assert f"removed NOTICE, report.sarif of an earlier audit from {out}" in capsys.readouterr().err
    assert set(json.loads((out / ".mlaudit-outputs.json").read_bytes())["files"]) == {"report.json", "report.html"}


def test_the_pdf_details_the_documentation_summary_rows_alone_and_says_where_the_rest_are():
    """WeasyPrint lays each appendix row out in about a quarter second: a 200-card chain's PDF took
    minutes. The paged page details the summary's rows; report.html every one."""
    from auditor.report import html

    doc = json.loads((ROOT / "tests" / "golden" / "demo.report.json").read_text(encoding="utf-8"))
    row = doc["documentation"][0]
    doc["documentation"] = [row | {"asset": f"org/m{i:03d}"} for i in range(60)]

    def detailed(page: str) -> int:
        appendix = page[page.index('id="documentation-detail"') :]
        return appendix[: appendix.index("</table>")].count("<tr>") - 1  # less the heading

    assert detailed(html.render(doc)) == 60
    paged = html.render(doc, paged=True)
    assert detailed(paged) == html.DOCUMENTATION_ROWS
    assert f"{html.DOCUMENTATION_ROWS} of 60: report.html and report.json list every one" in paged


def test_the_pdf_shows_a_long_evidence_chain_at_either_end_and_says_how_many_steps_it_leaves():
    """A deep lineage's chains made a third of its PDF's pages; report.html gives every step."""
    from auditor.report import html

    doc = json.loads((ROOT / "tests" / "golden" / "demo.report.json").read_text(encoding="utf-8"))
    [finding] = [f for f in doc["findings"] if f["rule"] == "CMP001"]
    step = finding["evidence"][0]
    finding["evidence"] = [step | {"fact": f"step {i:03d}"} for i in range(100)]
    whole, paged = html.render(doc), html.render(doc, paged=True)
    assert all(f"step {i:03d}" in whole for i in range(100))
    ends = html.PDF_CHAIN_ENDS
    shown = [i for i in range(100) if f"step {i:03d}<" in paged]
    assert shown == [*range(ends), *range(100 - ends, 100)]
    assert f"… {100 - 2 * ends} more steps: report.html and report.json give the chain whole" in paged
