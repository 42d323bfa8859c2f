"""The command line: exit codes, outputs, rule catalog."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES, card, write_tree

from auditor.cli import main

DEMO = FIXTURES / "releases" / "demo"


def test_demo_fails_the_default_gate_and_writes_both_reports(tmp_path, capsys):
    assert main(["audit", str(DEMO), "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "verdict: FAIL" in out and "CMP001" in out
    assert (tmp_path / "report.json").is_file() and (tmp_path / "report.html").is_file()


@pytest.mark.parametrize("fail_on, code", [("never", 0), ("error", 1), ("warning", 1), ("info", 1)])
def test_fail_on_thresholds_on_the_demo(tmp_path, fail_on, code):
    assert main(["audit", str(DEMO), "--out", str(tmp_path), "--fail-on", fail_on]) == code


def test_warnings_only_pass_the_error_gate_but_not_the_warning_gate(tmp_path):
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "org/m"\n[audit]\nposition = "permissive"\n',
            "org/m/README.md": card("license: mit\ndatasets: [org/missing]", "## Uses\nChat.\n"),
        },
    )
    out = tmp_path / "out"
    assert main(["audit", str(root), "--out", str(out), "--fail-on", "error"]) == 0
    assert main(["audit", str(root), "--out", str(out), "--fail-on", "warning"]) == 1


def test_a_passing_release_that_fails_the_gate_says_why(tmp_path, capsys):
    """A red CI job whose summary says "verdict: PASS" names the findings that failed the gate."""
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "org/m"\n[audit]\nposition = "permissive"\n',
            "org/m/README.md": card("license: mit\ndatasets: [org/missing]", "## Uses\nChat.\n"),
        },
    )
    assert main(["audit", str(root), "--out", str(tmp_path / "o"), "--fail-on", "error"]) == 0
    assert "--fail-on" not in capsys.readouterr().err
    assert main(["audit", str(root), "--out", str(tmp_path / "o"), "--fail-on", "warning"]) == 1
    captured = capsys.readouterr()
    assert "verdict: FAIL (gate --fail-on warning: open findings at warning or above" in captured.out
    assert "the release itself passes: no open error" in captured.out
    assert "mlaudit: --fail-on warning: open findings at warning or above" in captured.err
    assert " warning" in captured.err.rpartition(":")[2]


def test_missing_input_is_exit_3(tmp_path, capsys):
    assert main(["audit", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 3
    assert "no such file" in capsys.readouterr().err


HUB_RECORDS = FIXTURES / "formats" / "hub-records" / "models.jsonl"


def test_a_manifest_file_is_audited_as_a_folder_holding_it_alone(tmp_path):
    """A table of Hub records (or one SBOM) given as the path is read alone: the folder it lies in,
    its other files and its mlaudit.toml are not; the findings are those of a folder holding only it."""
    alone = write_tree(tmp_path / "alone", {"mlaudit.toml": "[lake]\nuse = 'research'\n"})
    shutil.copy(HUB_RECORDS, alone / "models.jsonl")
    (alone / "other.jsonl").write_text('{"id": "org/elsewhere", "tags": []}\n')
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(HUB_RECORDS, folder / "models.jsonl")
    assert main(["lake", str(alone / "models.jsonl"), "--out", str(tmp_path / "a"), "--fail-on", "never"]) == 0
    assert main(["lake", str(folder), "--out", str(tmp_path / "b"), "--fail-on", "never"]) == 0
    given, whole = ((tmp_path / o / "findings.jsonl").read_bytes() for o in "ab")
    assert given == whole and b"org/elsewhere" not in given
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    assert summary["input"]["files"] == 1 and summary["full_report"].startswith(f"mlaudit audit {alone}/models.jsonl")

    out = tmp_path / "r"
    assert main(["audit", str(alone / "models.jsonl"), "--asset", "acme/support-chat-7b", "--out", str(out)]) == 1
    doc = json.loads((out / "report.json").read_text())
    assert [e["file"] for e in doc["inventory"]] == ["models.jsonl"] and doc["release"]["use"] == "commercial"
    assert main(["harvest", str(alone / "models.jsonl"), "-o", str(tmp_path / "s.json")]) == 0
    assert main(["lake", str(tmp_path / "s.json"), "--out", str(tmp_path / "c"), "--fail-on", "never"]) == 0
    assert (tmp_path / "c" / "findings.jsonl").read_bytes() == given


def test_a_file_that_is_no_manifest_is_listed_and_identifies_no_release(tmp_path):
    (tmp_path / "x.json").write_text("{}")
    assert main(["audit", str(tmp_path / "x.json"), "--out", str(tmp_path / "o")]) == 1
    doc = json.loads((tmp_path / "o" / "report.json").read_text())
    assert [(e["file"], e["status"]) for e in doc["inventory"]] == [("x.json", "skipped")]
    assert doc["verdict"] == "incomplete"


def test_a_path_that_is_neither_file_nor_folder_is_exit_3(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.jsonl")  # never opened: it would block
    assert main(["lake", str(tmp_path / "pipe.jsonl"), "--out", str(tmp_path / "o")]) == 3
    assert "not a manifest file, a folder of manifests nor a harvest snapshot" in capsys.readouterr().err


@pytest.mark.parametrize(
    "toml, message",
    [
        ("[release\nasset=", "not valid TOML"),
        ('[release]\nuse = "sometimes"\n', "use = 'sometimes'"),
        ('[release]\nasset = "org/absent"\n', "not described by any manifest"),
        ('[audit]\nposition = "adventurous"\n', "unknown legal position"),
        ('[releases]\nasset = "x"\n', "unknown table"),
        ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
    ],
)
def test_configuration_errors_are_exit_2(tmp_path, capsys, toml, message):
    root = write_tree(tmp_path / "r", {"mlaudit.toml": toml, "org/m/README.md": card("license: mit")})
    assert main(["audit", str(root), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert message in err


@pytest.mark.parametrize("command", ["licenses suggest", "diff", "lake", "harvest"])
def test_a_too_deeply_nested_mlaudit_toml_is_exit_2_for_every_command(tmp_path, capsys, command):
    deep = "x = " + "[" * 100_000 + "]" * 100_000 + "\n"
    root = write_tree(tmp_path / "r", {"mlaudit.toml": deep, "org/m/README.md": card("license: mit")})
    after = {"diff": [str(root)], "lake": ["--out", str(tmp_path / "o")], "harvest": ["-o", str(tmp_path / "h")]}
    assert main([*command.split(), str(root), *after.get(command, [])]) == 2
    assert "nested too deeply" in capsys.readouterr().err


def test_usage_error_is_exit_2(capsys):
    assert main(["audit"]) == 2
    assert main(["audit", ".", "--fail-on", "sometimes"]) == 2


@pytest.mark.parametrize("command", ["audit", "lake", "impact", "diff"])
def test_a_refused_engine_lists_the_engines_by_name(capsys, command):
    positional = {"impact": ["lake", "asset"], "diff": ["old", "new"]}.get(command, ["."])
    assert main([command, *positional, "--engine", "prolog"]) == 2
    err = capsys.readouterr().err
    assert "'clingo', 'pydatalog', 'duckdb', 'spark', 'both'" in err and "Engine." not in err


def test_a_refused_gate_lists_the_severities_by_name(capsys):
    assert main(["lake", ".", "--fail-on", "sometimes"]) == 2
    assert "(choose from 'error', 'warning', 'info', 'never')" in capsys.readouterr().err


def test_json_summary(tmp_path, capsys):
    main(["audit", str(DEMO), "--out", str(tmp_path), "--format", "json"])
    summary = json.loads(capsys.readouterr().out)
    assert summary["verdict"] == "fail" and summary["counts"]["error"] >= 1
    assert {f["rule"] for f in summary["findings"]} >= {"CMP001", "OBL001", "PRV001", "DOC001", "LIC001", "INP002"}


def test_command_line_overrides_the_toml(tmp_path, capsys):
    main(["audit", str(DEMO), "--out", str(tmp_path), "--use", "research"])
    doc = json.loads((tmp_path / "report.json").read_text())
    assert doc["release"]["use"] == "research" and not {"CMP001", "CMP012"} & {f["rule"] for f in doc["findings"]}


def test_rules_list_and_show(capsys):
    assert main(["rules", "list"]) == 0
    listing = capsys.readouterr().out
    assert "CMP001" in listing and "non-commercial-upstream" in listing
    assert main(["rules", "show", "cmp001"]) == 0
    shown = capsys.readouterr().out
    assert "Why it matters" in shown and "How to fix" in shown and "rules/conflict/" in shown
    assert main(["rules", "show", "XYZ999"]) == 2


def test_python_dash_m_and_console_script_agree():
    result = subprocess.run([sys.executable, "-m", "auditor", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("mlaudit ")


def test_terminal_output_neutralises_control_characters(tmp_path, capsys):
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "org/m"\n',
            "org/m/README.md": card('license: other\nlicense_name: "evil\\u202e\\u001b[31mred"'),
        },
    )
    main(["audit", str(root), "--out", str(tmp_path / "o")])
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\x1b" not in out and "evil" in out


def test_harvest_snapshot_audits_like_the_folder(tmp_path, capsys):
    snapshot = tmp_path / "graph.json"
    assert main(["harvest", str(DEMO), "-o", str(snapshot)]) == 0
    assert "harvested" in capsys.readouterr().out
    main(["audit", str(DEMO), "--out", str(tmp_path / "a"), "--fail-on", "never"])
    main(["audit", str(snapshot), "--out", str(tmp_path / "b"), "--fail-on", "never"])
    assert (tmp_path / "a" / "report.json").read_text() == (tmp_path / "b" / "report.json").read_text()


def test_a_json_file_that_is_not_a_snapshot_is_exit_3(tmp_path):
    (tmp_path / "graph.json").write_text('{"format": "mlaudit-harvest", "version": 99}')
    assert main(["audit", str(tmp_path / "graph.json"), "--out", str(tmp_path / "o")]) == 3


def test_explain_prints_a_finding_with_its_chain(tmp_path, capsys):
    main(["audit", str(DEMO), "--out", str(tmp_path), "--fail-on", "never"])
    report = tmp_path / "report.json"
    finding = next(f for f in json.loads(report.read_text())["findings"] if f["rule"] == "CMP001")
    capsys.readouterr()
    assert main(["explain", finding["id"][:10], "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert finding["id"] in out and "Evidence" in out and "datasets/tatsu-lab/alpaca/README.md:2" in out
    assert "What would fix" in out and "rules/conflict/CMP001" in out
    assert main(["explain", "XYZ", "--report", str(report)]) == 2
    assert main(["explain", "CMP001", "--report", str(tmp_path / "missing.json")]) == 3


def _sbom_with_code(tmp_path):
    """A CycloneDX BOM whose only components are a library and a model that nothing derives from."""
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {"type": "library", "bom-ref": "htr", "name": "SimpleHTR", "licenses": [{"license": {"id": "MIT"}}]},
            {
                "type": "machine-learning-model",
                "bom-ref": "m",
                "name": "word-model",
                "licenses": [{"license": {"id": "MIT"}}],
            },
        ],
    }
    return write_tree(tmp_path / "r", {"bom.cdx.json": json.dumps(bom)})


def test_asset_accepts_every_candidate_the_audit_names(tmp_path, capsys):
    root = _sbom_with_code(tmp_path)
    main(["audit", str(root), "--out", str(tmp_path / "o"), "--fail-on", "never"])
    doc = json.loads((tmp_path / "o" / "report.json").read_text())
    [finding] = [f for f in doc["findings"] if f["rule"] == "INP003"]
    candidates = {step["asset"] for step in finding["evidence"]}
    assert candidates == {"SimpleHTR", "word-model"}
    assert finding["asset"] is None and finding["detail"] == {"candidates": 2, "first": "SimpleHTR, word-model"}
    for name in candidates:
        assert main(["audit", str(root), "--out", str(tmp_path / "o"), "--asset", name, "--fail-on", "never"]) == 0
        assert json.loads((tmp_path / "o" / "report.json").read_text())["release"]["asset"] == name


def test_an_unknown_asset_is_answered_with_the_closest_ids(tmp_path, capsys):
    root = _sbom_with_code(tmp_path)
    capsys.readouterr()
    assert main(["audit", str(root), "--out", str(tmp_path / "o"), "--asset", "SimpelHTR"]) == 2
    assert "did you mean 'SimpleHTR'?" in capsys.readouterr().err
    assert main(["audit", str(root), "--out", str(tmp_path / "o"), "--asset", "zzz"]) == 2
    assert "did you mean" not in capsys.readouterr().err


HOSTILE = "\x1b[2J\x1b]0;x\x07\u202e"
TOML_HOSTILE = "\\u001b[2J\\u001b]0;x\\u0007\\u202e"  # the same, as a TOML or YAML string escapes it


def _clean(captured) -> bool:
    text = captured.out + captured.err
    return not any(c in text for c in "\x1b\x07\x9b\x9d\u202e")


@pytest.mark.parametrize(
    "argv",
    [
        ["audit", HOSTILE],
        ["audit", str(DEMO), "--as-of", HOSTILE],
        ["audit", str(DEMO), "--knowledge-max-age", HOSTILE],
        ["audit", str(DEMO), "--engine", HOSTILE],
        [HOSTILE],
        ["rules", "show", HOSTILE],
        ["licenses", "show", HOSTILE],
        ["audit", str(DEMO), "--asset", HOSTILE],
        ["audit", str(DEMO), "--position", HOSTILE],
        ["explain", HOSTILE, "--report", HOSTILE],
        ["report", HOSTILE],
    ],
)
def test_usage_errors_echo_no_escape_sequence(tmp_path, capsys, argv):
    assert main([*argv, "--out", str(tmp_path)] if argv[0] in ("audit", "report") and len(argv) > 2 else argv) in (2, 3)
    assert _clean(capsys.readouterr())


def test_config_errors_print_no_escape_sequence(tmp_path, capsys):
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": f'[release]\n"{TOML_HOSTILE}" = 1\nasset = "{TOML_HOSTILE}"\n',
            "org/m/README.md": card("license: mit"),
        },
    )
    assert main(["audit", str(root), "--out", str(tmp_path / "o")]) == 2
    captured = capsys.readouterr()
    assert "mlaudit.toml" in captured.err and _clean(captured)


def test_review_file_problems_print_no_escape_sequence(tmp_path, capsys):
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "org/m"\n',
            "org/m/README.md": card("license: mit"),
            "resolutions.yaml": f'resolutions:\n- rule: "{TOML_HOSTILE}"\n  asset: "{TOML_HOSTILE}"\n'
            f'  reason: "{TOML_HOSTILE}"\n  comment: "{TOML_HOSTILE}"\n',
        },
    )
    main(["audit", str(root), "--out", str(tmp_path / "o"), "--fail-on", "never"])
    captured = capsys.readouterr()
    assert "resolutions.yaml" in captured.err and _clean(captured)


@pytest.mark.parametrize(("command", "code"), [(["audit", str(DEMO)], 1), (["rules", "list"], 0)])
def test_a_reader_that_stops_early_leaves_the_exit_code_alone(tmp_path, command, code):
    """`mlaudit audit . | head -1`: the closed pipe is no crash (exit 4), and the gate's answer stands."""
    out = ["--out", str(tmp_path)] if command[0] == "audit" else []
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before mlaudit writes a line: every write meets a broken pipe
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", *command, *out], stdout=write_end, stderr=subprocess.PIPE, timeout=120
    )
    os.close(write_end)
    assert proc.returncode == code and b"internal error" not in proc.stderr, proc.stderr


def test_a_terminal_that_cannot_show_a_character_gets_an_escape_not_a_crash(tmp_path):
    """An ASCII-only stdout (PYTHONIOENCODING=ascii, a CI log set so): the gate's exit code, not 4."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(DEMO), "--out", str(tmp_path)],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert b"mlaudit 0.1.0 \\xb7 position" in proc.stdout


def test_names_are_read_as_utf8_under_the_c_locale(tmp_path):
    """Under LC_ALL=C without UTF-8 mode Python takes file names for ASCII: a folder named in UTF-8
    is audited as under any other locale, with the same report."""
    root = write_tree(tmp_path / "r", {"org/m \u00e4/README.md": card("license: mit", "## Uses\nChat.\n")})
    reports = []
    for name, env in (("c", {"LC_ALL": "C", "PYTHONUTF8": "0"}), ("utf8", {"LC_ALL": "C.UTF-8"})):
        proc = subprocess.run(
            [sys.executable, "-m", "auditor", "audit", str(root), "--out", str(tmp_path / name), "--fail-on", "never"],
            capture_output=True,
            env={**os.environ, **env},
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        reports.append((tmp_path / name / "report.json").read_bytes())
    assert reports[0] == reports[1]
    assert "org/m \u00e4/README.md" in json.loads(reports[0])["inventory"][0]["file"]
