"""What the gate promises on any input: its own exit code for a crash, no broken manifest passing,
no verdict without a release, no report lost or half-written."""

from __future__ import annotations

import json

import pytest

from auditor import audit
from auditor.cli import main
from conftest import FIXTURES, card, findings_of, run_audit, write_tree


@pytest.fixture
def passing(tmp_path):
    """A release folder that passes the default gate (warnings only)."""
    return write_tree(tmp_path / "r", {
        "mlaudit.toml": '[release]\nasset = "org/m"\n[audit]\nposition = "permissive"\n',
        "org/m/README.md": card("license: mit", "## Uses\nChat.\n"),
    })


def _broken(*args, **kwargs):
    raise KeyError("no such thing")


def test_an_internal_error_exits_4_with_one_line(passing, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(audit, "reason", _broken)
    assert main(["audit", str(passing), "--out", str(tmp_path / "o")]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: KeyError" in err and "--debug" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(passing, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(audit, "reason", _broken)
    assert main(["--debug", "audit", str(passing), "--out", str(tmp_path / "o")]) == 4
    err = capsys.readouterr().err
    assert "Traceback" in err and "_broken" in err and err.rstrip().endswith("mlaudit --debug ...'")


SPDX2 = (FIXTURES / "formats" / "spdx2" / "ml-release.spdx.json").read_text(encoding="utf-8")
CROISSANT = (FIXTURES / "formats" / "croissant" / "synthetic-instructions.json").read_text(encoding="utf-8")
BROKEN = {  # a manifest of each format, cut short: none names the asset it describes
    "sbom.cdx.json": (FIXTURES / "formats" / "cyclonedx" / "truncated.cdx.json").read_text(encoding="utf-8"),
    "sbom.spdx.json": SPDX2[:300],
    "croissant.json": CROISSANT[:200],
}


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_manifest_of_the_release_folder_fails_the_gate(passing, tmp_path, name, capsys):
    (passing / name).write_text(BROKEN[name], encoding="utf-8")
    assert main(["audit", str(passing), "--out", str(tmp_path / "o"), "--format", "json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["verdict"] == "fail"
    assert [f["asset"] for f in summary["findings"] if f["rule"] == "INP001" and name in f["message"]] == ["org/m"]


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_manifest_no_asset_owns_is_a_finding_of_the_audit(tmp_path, name):
    root = write_tree(tmp_path / "r", {name: BROKEN[name]})
    found = findings_of(run_audit(root), "INP001")
    assert [(f["asset"], f["severity"], f["detail"]["file"]) for f in found] == [(None, "error", name)]
