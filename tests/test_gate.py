"""What the gate promises on any input: its own exit code for a crash, no broken manifest passing,
no verdict without a release, no report lost or half-written."""

from __future__ import annotations

import json

import pytest

from auditor import audit
from auditor.report import html
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


@pytest.mark.parametrize("fail_on, code", [("error", 1), ("warning", 1), ("info", 1), ("never", 0)])
def test_no_release_identified_is_incomplete_and_fails_the_gate(tmp_path, fail_on, code, capsys):
    root = write_tree(tmp_path / "r", {"org/a/README.md": card("license: mit"), "org/b/README.md": card("license: mit")})
    out = tmp_path / "o"
    assert main(["audit", str(root), "--out", str(out), "--fail-on", fail_on]) == code
    assert "verdict: INCOMPLETE" in capsys.readouterr().out
    assert json.loads((out / "report.json").read_text())["verdict"] == "incomplete"
    assert '<span class="verdict incomplete">INCOMPLETE</span>' in (out / "report.html").read_text()


def test_the_sign_off_page_never_offers_to_approve_an_unidentified_release(tmp_path):
    doc = run_audit(write_tree(tmp_path / "r", {"org/a/README.md": card(), "org/b/README.md": card()}))
    page = html.render(doc, paged=True)
    assert "Nothing to approve" in page and "approved with conditions" not in page


@pytest.mark.parametrize("files", [{}, {"notes.txt": "hello\n", "data.csv": "a,b\n"}], ids=["empty", "no-manifest"])
def test_a_folder_without_manifests_gives_every_output(tmp_path, files, capsys):
    root = write_tree(tmp_path / "r", files)
    root.mkdir(exist_ok=True)
    assert main(["audit", str(root), "--out", str(tmp_path / "o"), "--all", "--fail-on", "never"]) == 0
    assert "verdict: INCOMPLETE" in capsys.readouterr().out
    assert "no asset is described" in (tmp_path / "o" / "report.html").read_text()


def test_asset_ids_that_differ_only_in_case_each_get_their_filter(tmp_path):
    doc = run_audit(write_tree(tmp_path / "r", {"org/a/README.md": card(), "org/b/README.md": card()}))
    for finding, name in zip(doc["findings"], ["Foo", "foo"] * len(doc["findings"])):
        finding["asset"] = name
    page = html.render(doc)
    assert 'id="f-asset-1"' in page and 'id="f-asset-2"' in page and 'id="f-asset-3"' not in page
