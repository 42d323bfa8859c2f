"""What the gate promises on any input: its own exit code for a crash, no broken manifest passing,
no verdict without a release, no report lost or half-written."""

from __future__ import annotations

import pytest

from auditor import audit
from auditor.cli import main
from conftest import card, write_tree


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
