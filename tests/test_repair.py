"""What would fix it: the smallest changes upstream, for the release and for each conflict."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, card, run_audit, write_tree

from auditor.cli import main

DEMO = FIXTURES / "releases" / "demo"


def fix_of(doc: dict, rule: str) -> dict:
    [finding] = [f for f in doc["findings"] if f["rule"] == rule]
    return finding["fix"]


def changes(fix: dict) -> list[tuple]:
    return [
        (tuple(c["remove"]), tuple((x["asset"], x["license"]) for x in c["choose"]), tuple(c["raises"]))
        for c in fix["changes"]
    ]


def test_each_conflict_gets_its_own_smallest_fix():
    doc = run_audit(DEMO)
    assert changes(fix_of(doc, "CMP001")) == [(("datasets/tatsu-lab/alpaca",), (), ())]
    assert changes(fix_of(doc, "CMP012")) == [(("datasets/acme/support-tickets",), (), ())]
    # the release as a whole needs both
    assert doc["repairs"]["changes"] == [
        {"remove": ["datasets/acme/support-tickets", "datasets/tatsu-lab/alpaca"], "choose": [], "raises": []}
    ]
    assert all(f["fix"] is None for f in doc["findings"] if f["family"] != "conflict")


def test_the_suggested_fix_applied_as_a_curation_clears_the_finding(tmp_path):
    release = shutil.copytree(DEMO, tmp_path / "demo")
    [asset] = fix_of(run_audit(release), "CMP001")["changes"][0]["remove"]
    (release / "curations.yaml").write_text(
        f"curations:\n  - asset: {asset}\n    license: CC0-1.0\n    comment: relicensed by its authors\n"
        "    curator: J. Roe\n    date: 2026-11-01\n"
    )
    assert [f for f in run_audit(release)["findings"] if f["rule"] == "CMP001"] == []


def test_a_license_alternative_is_a_fix_and_says_what_it_brings(tmp_path):
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "acme/model"\n',
            "acme/model/README.md": card("license: apache-2.0\nbase_model: org/base"),
            "org/base/README.md": card("license: cc-by-nc-4.0 OR gpl-3.0"),
        },
    )
    doc = run_audit(root)
    assert doc["license_choices"][0]["chosen"] == ["GPL-3.0-only"]  # fewer errors than CC-BY-NC-4.0
    assert changes(fix_of(doc, "CMP002")) == [
        (("org/base",), (), ()),
        ((), (("org/base", "CC-BY-NC-4.0"),), ("CMP001", "CMP006")),  # clears CMP002, brings non-commercial
    ]


def test_explain_prints_the_findings_own_fix(tmp_path, capsys):
    out = tmp_path / "out"
    main(["audit", str(DEMO), "--out", str(out), "--fail-on", "never"])
    capsys.readouterr()
    doc_id = next(f["id"] for f in run_audit(DEMO)["findings"] if f["rule"] == "CMP012")
    assert main(["explain", doc_id, "--report", str(out / "report.json")]) == 0
    text = capsys.readouterr().out
    assert "What would fix it" in text and "datasets/acme/support-tickets" in text
    assert "datasets/tatsu-lab/alpaca" not in text.split("What would fix it")[1]
