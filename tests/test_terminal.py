"""The terminal summary (concise by default, chains with --verbose, colour), `explain` on an
ambiguous id, `rules list --format json`, `rules show` by name, and help texts that match behaviour."""

from __future__ import annotations

import io
import json
import re

import pytest
from conftest import FIXTURES, RB, ROOT, card, run_audit, write_tree

from auditor.cli import main
from auditor.profiles import DEFAULT_PROFILES
from auditor.report import text

DEMO = FIXTURES / "releases" / "demo"
RELEASE = "acme/support-chat-7b-GGUF"
LINE = re.compile(r"^(?P<id>[A-Z]{3}\d{3}-[0-9a-f]{6,12}) (?P<severity>error|warning|info) +(?P<rest>.+)$")
PAINT = re.compile(r"\x1b\[[0-9;]+m(error|warning|info|FAIL|PASS|INCOMPLETE)\x1b\[0m")


@pytest.fixture(scope="module")
def demo() -> dict:
    return run_audit(DEMO)


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> tuple[str, dict]:
    """The demo audited as the README's quick start does: the printed summary and report.json."""
    out = tmp_path_factory.mktemp("demo")
    printed = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", printed)
        assert main(["audit", str(DEMO), "--out", str(out), "--fail-on", "never"]) == 0
    return printed.getvalue(), json.loads((out / "report.json").read_text(encoding="utf-8"))


def finding_lines(summary: str) -> list[re.Match[str]]:
    return [m for m in map(LINE.match, summary.splitlines()) if m]


# --- the concise summary -----------------------------------------------------------------------------


def test_the_demo_summary_fits_in_40_lines(audited):
    summary, _ = audited
    assert len(summary.splitlines()) <= 40


def test_the_readme_shows_the_summary_the_quick_start_prints(tmp_path, monkeypatch, capsys):
    """Every line of the README's example, but the elision, is printed, in that order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ mlaudit audit fixtures/releases/demo --fail-on never\n"
    example = readme[readme.index(command) + len(command) :].split("```")[0].splitlines()
    monkeypatch.chdir(tmp_path)  # the default --out, ./mlaudit-report, as the example names it
    assert main(["audit", str(DEMO), "--fail-on", "never"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert [line for line in printed if line in example] == [line for line in example if line != "..."]


def test_each_open_error_and_warning_is_one_line_with_its_id_and_place(audited):
    summary, doc = audited
    shown = [f for f in doc["findings"] if f["status"] == "open" and f["severity"] != "info"]
    lines = finding_lines(summary)
    assert [m["severity"] for m in lines] == [f["severity"] for f in shown]
    for m, f in zip(lines, shown, strict=True):
        assert f["id"].startswith(m["id"]) and m["rest"].startswith(f"{f['asset']}: {f['message']}")
    prv012 = next(f for f in shown if f["rule"] == "PRV012")
    assert f"{prv012['id'][:13]} error   {RELEASE}: {prv012['message']} [{RELEASE}/README.md:5]" in summary


def test_info_findings_and_obligations_are_counted_with_the_report_named(audited):
    summary, doc = audited
    assert "↳" not in summary and "OBL001-" not in summary
    report = next(line for line in summary.splitlines() if line.startswith("wrote ") and line.endswith(".html"))[6:]
    assert f"info: {doc['counts']['info']} open (OBL001, PRV008), listed in {report}" in summary
    c = doc["obligation_counts"]
    assert f"obligations: {len(doc['obligations'])} · {c['unmet']} unmet, {c['cannot-tell']} cannot tell" in summary


def test_the_verdict_line_says_why_it_fails(audited):
    summary, _ = audited
    verdict = next(line for line in summary.splitlines() if line.startswith("verdict:"))
    assert verdict == (
        f"verdict: FAIL: {RELEASE} is released for commercial use but is bound by the non-commercial term "
        "of CC-BY-NC-4.0 (and 2 more errors)"
    )


def test_a_passing_verdict_has_no_reason_and_an_incomplete_one_says_what_is_missing(tmp_path):
    passing = run_audit(write_tree(tmp_path / "p", {"org/m/README.md": card("license: mit", "## Uses\nChat.\n")}))
    assert "verdict: PASS\n" in text.render(passing, [])
    unnamed = run_audit(write_tree(tmp_path / "i", {"org/a/README.md": card(), "org/b/README.md": card()}))
    assert "verdict: INCOMPLETE: no release identified; name it as [release] asset" in text.render(unnamed, [])


def test_a_finding_about_no_one_asset_says_so_and_the_checklist_speaks_plain_words(demo):
    """No bare "-" for the asset of an audit-wide finding; no internal term id in a status sentence."""
    audit_wide = {**demo, "findings": [{**demo["findings"][0], "asset": None, "severity": "warning", "status": "open"}]}
    assert f"warning (the audit as a whole): {demo['findings'][0]['message']}" in text.render(audit_wide, [])
    facts = [s["fact"] for o in demo["obligations"] for s in o["status_evidence"]]
    assert (
        "no file mlaudit reads shows whether the release meets this term (state changes): a person must check it"
        in facts
    )
    assert not [f for f in facts if re.search(r"whether \w+-\w+", f)]


def test_what_would_fix_the_errors_is_a_short_list(demo):
    many = {**demo, "repairs": {**demo["repairs"], "changes": demo["repairs"]["changes"] * 8}}
    summary = text.render(many, [])
    assert summary.count("  - remove ") == text.MOST_CHANGES
    assert f"  - and {8 - text.MOST_CHANGES} more in the report" in summary


def test_every_short_id_is_one_explain_accepts(audited, tmp_path, capsys):
    summary, doc = audited
    report = tmp_path / "report.json"
    report.write_text(json.dumps(doc), encoding="utf-8")
    for m in finding_lines(summary):
        assert main(["explain", m["id"], "--report", str(report)]) == 0
        assert capsys.readouterr().out.startswith(next(f["id"] for f in doc["findings"] if f["id"].startswith(m["id"])))


def test_short_ids_grow_until_each_names_one_finding():
    ids = ["DOC001-abcdef111111", "DOC001-abcdef222222", "CMP001-0123456789ab"]
    assert text.short_ids([{"id": i} for i in ids]) == {
        "DOC001-abcdef111111": "DOC001-abcdef1",
        "DOC001-abcdef222222": "DOC001-abcdef2",
        "CMP001-0123456789ab": "CMP001-0123456",
    }
    assert text.short_ids([{"id": "CMP001-0123456789ab"}]) == {"CMP001-0123456789ab": "CMP001-012345"}


def test_verbose_prints_every_finding_with_its_chain(tmp_path, capsys):
    assert main(["audit", str(DEMO), "--out", str(tmp_path), "--fail-on", "never", "--verbose"]) == 0
    summary = capsys.readouterr().out
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert len(finding_lines(summary)) == len(doc["findings"])
    assert summary.count("    ↳ ") == sum(len(f["evidence"]) for f in doc["findings"])
    chain = "    ↳ datasets/tatsu-lab/alpaca is licensed CC-BY-NC-4.0  [datasets/tatsu-lab/alpaca/README.md:2 license]"
    assert chain in summary


def test_resolved_findings_are_counted_by_default_and_marked_when_verbose(demo):
    doc = json.loads(json.dumps(demo))
    resolved = next(f for f in doc["findings"] if f["rule"] == "LIC001")
    resolved["status"] = "resolved"
    assert resolved["id"][:13] not in text.render(doc, [])
    assert re.search(rf"^{resolved['id'][:13]} warning .* \[resolved\]$", text.render(doc, [], verbose=True), re.M)


def test_json_summary_is_unchanged_by_the_text_options(demo):
    assert text.render(demo, [], "json", verbose=True, colour=True) == text.render(demo, [], "json")


# --- colour --------------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def summary_on(stdout: io.StringIO, tmp_path, monkeypatch, *options: str) -> str:
    monkeypatch.setattr("sys.stdout", stdout)
    main(["audit", str(DEMO), "--out", str(tmp_path), "--fail-on", "never", *options])
    return stdout.getvalue()


def test_colour_always_marks_the_severities_and_the_verdict(tmp_path, monkeypatch):
    summary = summary_on(io.StringIO(), tmp_path, monkeypatch, "--color", "always")
    assert "verdict: \x1b[1;31mFAIL\x1b[0m: " in summary
    assert re.search(r"^CMP001-[0-9a-f]{6} \x1b\[31merror\x1b\[0m   acme/", summary, re.M)
    assert re.search(r"^DOC001-[0-9a-f]{6} \x1b\[33mwarning\x1b\[0m acme/", summary, re.M)
    assert "\x1b" not in PAINT.sub(r"\1", summary)


def test_info_is_dim_when_verbose(tmp_path, monkeypatch):
    summary = summary_on(io.StringIO(), tmp_path, monkeypatch, "--color", "always", "--verbose")
    assert re.search(r"^OBL001-[0-9a-f]{6} \x1b\[2minfo\x1b\[0m    acme/", summary, re.M)


@pytest.mark.parametrize(
    "stdout, options, no_color, coloured",
    [
        (Terminal, ("--color", "never"), None, False),
        (io.StringIO, (), None, False),  # auto: a file or pipe gets none
        (Terminal, (), None, True),  # auto: a terminal gets colour
        (Terminal, (), "1", False),  # NO_COLOR set to anything disables it
        (Terminal, (), "", True),  # an empty NO_COLOR does not
        (io.StringIO, ("--color", "always"), "1", True),  # the option is the user's latest word
    ],
)
def test_colour_follows_the_option_the_terminal_and_no_color(
    tmp_path, monkeypatch, stdout, options, no_color, coloured
):
    monkeypatch.delenv("NO_COLOR", raising=False)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    summary = summary_on(stdout(), tmp_path, monkeypatch, *options)
    assert ("\x1b[" in summary) is coloured


def test_colour_never_frames_text_read_from_the_input(tmp_path, monkeypatch):
    """The hostile fixture's escapes and bidi controls stay out; only mlaudit's own words are coloured."""
    summary = summary_on(io.StringIO(), tmp_path, monkeypatch, "--color", "always", "--verbose")
    hostile = text.render(run_audit(FIXTURES / "hostile"), [], verbose=True, colour=True)
    for out in (summary, hostile):
        assert PAINT.search(out) and "\x1b" not in PAINT.sub(r"\1", out)
    assert "evil-org/evil-model" in hostile and not {c for c in hostile if c in "\u202e\u2066\x07"}


# --- explain, rules, help ------------------------------------------------------------------------------


def test_explain_lists_the_findings_an_ambiguous_id_matches(audited, tmp_path, capsys):
    _, doc = audited
    report = tmp_path / "report.json"
    report.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["explain", "DOC001", "--report", str(report)]) == 2
    captured = capsys.readouterr()
    docs = [f for f in doc["findings"] if f["rule"] == "DOC001"]
    assert (
        captured.out == "" and f"{len(docs)} findings of {report} match 'DOC001': give more of the id" in captured.err
    )
    for f in docs:
        assert f"\n  {f['id']} warning {f['asset']}: {f['message']}" in captured.err
    assert main(["explain", "XYZ", "--report", str(report)]) == 2
    assert capsys.readouterr().err.strip().endswith("0 findings of " + str(report) + " match 'XYZ'")


def test_rules_list_as_json(capsys):
    assert main(["rules", "list", "--format", "json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listing] == list(RB.rules)
    cmp001 = RB.rules["CMP001"]
    assert listing[[r["id"] for r in listing].index("CMP001")] == {
        "id": "CMP001",
        "name": cmp001.name,
        "family": "conflict",
        "severity": cmp001.severity,
        "summary": cmp001.summary,
    }


@pytest.mark.parametrize("key", ["DOC001", "doc001", "missing-documentation-item", "Missing-Documentation-Item"])
def test_rules_show_takes_an_id_or_a_name(capsys, key):
    assert main(["rules", "show", key]) == 0
    assert capsys.readouterr().out.startswith("DOC001 missing-documentation-item (documentation, warning)\n")


def test_rules_show_an_unknown_name_is_a_usage_error(capsys):
    assert main(["rules", "show", "missing-documentation"]) == 2
    assert "no rule with the id or name 'missing-documentation'" in capsys.readouterr().err


def helped(capsys, *argv: str) -> str:
    assert main([*argv, "--help"]) == 0
    return " ".join(capsys.readouterr().out.split())


def test_the_profile_help_names_the_default_profiles(capsys):
    assert f"else {', '.join(DEFAULT_PROFILES)})" in helped(capsys, "audit").replace("- ", "-")


def test_report_keeps_the_stored_resolutions_as_its_help_says(tmp_path, capsys):
    decisions = tmp_path / "resolutions.yaml"
    decisions.write_text(
        f"resolutions:\n  - rule: LIC001\n    asset: {RELEASE}\n    reason: legal-approved\n"
        "    comment: Counsel read the ACME model license.\n    reviewer: Jane Roe\n    date: 2026-11-01\n",
        encoding="utf-8",
    )
    first, second = tmp_path / "a", tmp_path / "b"
    main(["audit", str(DEMO), "--out", str(first), "--fail-on", "never", "--resolutions", str(decisions)])
    (first / "resolutions.yaml").write_text("resolutions: []\n", encoding="utf-8")  # beside the report: not read
    assert main(["report", str(first / "report.json"), "--out", str(second), "--fail-on", "never"]) == 0
    assert json.loads((second / "report.json").read_text(encoding="utf-8"))["counts"]["resolved"] == 1
    shown = helped(capsys, "report")
    assert "keep those decisions as they are" in shown and "resolutions.yaml in the release folder" not in shown
    assert "judge resolution expiry (for report, of the --resolutions given)" in shown
    assert "resolutions.yaml in the release folder" in helped(capsys, "audit")
