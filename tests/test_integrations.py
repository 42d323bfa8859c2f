"""Where engineers run mlaudit: the GitHub Action, the pre-commit hook, and the documentation gate
(--fail-under). The action's and the hook's command lines are run as written, through the CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml
from conftest import FIXTURES, ROOT

from auditor.cli import main
from auditor.harvest import gzipped, harvest, hubtable, modelfolder

DEMO = FIXTURES / "releases" / "demo"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


def _step(step_id: str) -> dict:
    return next(s for s in ACTION["runs"]["steps"] if s.get("id") == step_id)


def _expand(text: str, inputs: dict[str, str]) -> str:
    """An action's `${{ inputs.x }}` and `${{ github.action_path }}`, as the runner substitutes them."""
    context = {f"inputs.{k}": v for k, v in inputs.items()} | {"github.action_path": str(ROOT)}
    return EXPRESSION.sub(lambda m: context[m.group(1)], text)


def _audit_step(
    inputs: dict[str, str], tmp_path, code: int, runner: dict[str, str] | None = None
) -> tuple[list[str], int, str]:
    """Run the audit step's script in bash with a stand-in `mlaudit` that records its arguments and
    exits `code`: the arguments bash gives mlaudit, the step's exit code, and its GITHUB_OUTPUT."""
    step = _step("audit")
    given = {k: inputs.get(k, spec.get("default", "")) for k, spec in ACTION["inputs"].items()}
    env = {name: _expand(value, given) for name, value in step["env"].items()}
    argv, output = tmp_path / "argv", tmp_path / "github_output"
    output.unlink(missing_ok=True)  # the runner gives each step a file of its own
    stub = f'mlaudit() {{ printf "%s\\0" "$@" > "{argv}"; return {code}; }}\n'
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", stub + step["run"]],
        env=os.environ | (runner or {}) | env | {"GITHUB_OUTPUT": str(output)},
        check=False,
    )
    return argv.read_text(encoding="utf-8").split("\0")[:-1], done.returncode, output.read_text(encoding="utf-8")


# The GitHub Action


def test_the_action_uses_every_input_and_installs_from_its_own_checkout():
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert set(ACTION["inputs"]) == used
    assert ACTION["runs"]["using"] == "composite"
    assert "${{ github.action_path }}" in text


def test_the_action_passes_only_flags_the_cli_has(capsys):
    assert main(["audit", "--help"]) == 0
    help_text = capsys.readouterr().out
    flags = re.findall(r"(?<![\w-])--[a-z][a-z-]*", _step("audit")["run"])
    assert flags and all(flag in help_text for flag in flags)


def test_the_action_uploads_the_sarif_even_when_the_gate_fails():
    upload = next(s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("github/codeql-action/upload"))
    assert upload["if"].startswith("always() && inputs.sarif == 'true'")
    assert upload["with"]["sarif_file"] == "${{ inputs.out }}/report.sarif"


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("never", 0)])
def test_the_actions_command_line_audits_and_keeps_the_gates_exit_code(tmp_path, fail_on, code):
    out = tmp_path / "report"
    inputs = {"path": str(DEMO), "out": str(out), "fail-on": fail_on, "args": "--lines --color never"}
    argv, _, _ = _audit_step(inputs, tmp_path, 0)
    assert argv[:2] == ["audit", str(DEMO)] and "--lines" in argv
    assert main(argv) == code
    log = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["automationDetails"]["id"] == "mlaudit/acme/support-chat-7b-GGUF/"
    assert (out / "findings.txt").exists()
    _, step_code, output = _audit_step(inputs, tmp_path, code)
    assert (step_code, output) == (code, f"exit-code={code}\n")


def test_the_actions_sarif_locates_results_in_the_repository(tmp_path, monkeypatch):
    """The action audits a folder inside the repository (the workspace): its SARIF locations are
    paths from the repository's root, where code scanning looks for the files."""
    workspace = tmp_path / "workspace"
    shutil.copytree(DEMO, workspace / "models" / "release")
    inputs = {"path": "models/release", "out": str(tmp_path / "report"), "fail-on": "never"}
    argv, _, _ = _audit_step(inputs, tmp_path, 0, {"GITHUB_WORKSPACE": str(workspace)})
    assert "--sarif-root" in argv
    monkeypatch.chdir(workspace)  # the runner's working directory
    assert main(argv) == 0
    log = json.loads((tmp_path / "report" / "report.sarif").read_text(encoding="utf-8"))
    uris = [loc["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"] for loc in r["locations"]]
    assert uris and all(u["uri"].startswith("models/release/") and u["uriBaseId"] == "SRCROOT" for u in uris)
    assert all((workspace / u["uri"]).is_file() for u in uris)


# The pre-commit hook


def test_the_pre_commit_hook_audits_the_folder_it_runs_in(tmp_path, monkeypatch, capsys):
    (hook,) = HOOKS
    assert (hook["id"], hook["language"], hook["pass_filenames"]) == ("mlaudit", "python", False)
    release = shutil.copytree(DEMO, tmp_path / "release")
    monkeypatch.chdir(release)
    command = hook["entry"].split() + hook["args"]
    assert command[0] == "mlaudit"
    assert main(command[1:]) == 1  # the demo fails the default gate, so the commit would be refused
    assert (release / "mlaudit-report" / "report.json").exists()


def test_the_pre_commit_hook_runs_when_a_manifest_changes_and_only_then():
    """Any file a reader reads: every one the fixtures hold, weights of each kind, tables of Hub records."""
    pattern = re.compile(HOOKS[0]["files"])
    read = [e.file for e in harvest(FIXTURES).inventory if e.status == "read"]
    weights = [f"m/model{suffix}" for suffix in modelfolder.WEIGHTS]
    tables = [f"lake/models{suffix}{gz}" for suffix in hubtable.SUFFIXES for gz in ("", gzipped.SUFFIX)]
    more = ["m/config.json", "bom.cdx.json", "sbom.spdx", "d/croissant.jsonld", "m/LICENCE.txt", "resolutions.yaml"]
    assert [name for name in read + weights + tables + more if not pattern.search(name)] == []
    assert not any(pattern.search(name) for name in ("src/x.py", "docs/guide.md", "README.md.orig", "Makefile"))


# --fail-under: the release's own documentation score (the demo's release scores 8 under hf-model-card)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    assert main(["audit", str(DEMO), "--out", str(out), "--fail-on", "never"]) == 0
    return out / "report.json"


def _gate(stored, tmp_path, *thresholds: str) -> int:
    flags = [x for t in thresholds for x in ("--fail-under", t)]
    return main(["report", str(stored), "--out", str(tmp_path), "--fail-on", "never", *flags])


@pytest.mark.parametrize(
    ("thresholds", "code"),
    [
        (("9",), 1),
        (("8",), 0),
        (("hf-model-card=9",), 1),
        (("hf-model-card=8",), 0),
        (("90", "hf-model-card=8"), 0),  # the profile's own threshold overrides the bare one
        (("hf-dataset-card=1",), 1),  # a named profile that gives the release no score
    ],
)
def test_fail_under_gates_the_releases_own_score(stored, tmp_path, capsys, thresholds, code):
    assert _gate(stored, tmp_path, *thresholds) == code
    err = capsys.readouterr().err
    assert ("--fail-under" in err) == bool(code)


def test_fail_under_names_the_profile_that_failed(stored, tmp_path, capsys):
    assert _gate(stored, tmp_path, "60") == 1
    assert "acme/support-chat-7b-GGUF scores 8 under hf-model-card, below 60" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["x", "101", "-1", "=5", "hf-model-card=", "hf-model-card=6.5"])
def test_fail_under_refuses_a_value_that_is_no_score(stored, tmp_path, capsys, bad):
    assert _gate(stored, tmp_path, bad) == 2
    assert "--fail-under" in capsys.readouterr().err


def test_fail_under_refuses_a_profile_the_audit_did_not_apply(stored, tmp_path, capsys):
    assert _gate(stored, tmp_path, "mof=10") == 2
    assert "not a profile of this audit" in capsys.readouterr().err
    assert not (tmp_path / "report.json").exists()


def test_fail_under_fails_an_audit_without_a_release(stored, tmp_path, capsys):
    doc = json.loads(stored.read_text(encoding="utf-8"))
    doc["release"]["asset"] = None
    (tmp_path / "in").mkdir()
    unknown = tmp_path / "in" / "report.json"
    unknown.write_text(json.dumps(doc), encoding="utf-8")
    assert _gate(unknown, tmp_path / "out", "10") == 1
    assert "no release identified" in capsys.readouterr().err
