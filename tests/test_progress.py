"""Progress lines on stderr: one per stage slower than the threshold, on a terminal only, and
nothing of it in the reports."""

from __future__ import annotations

import io
import re
import sys

import pytest
from conftest import FIXTURES

from auditor import progress
from auditor.cli import main

DEMO = FIXTURES / "releases" / "demo"
LINE = re.compile(r"mlaudit: [\w .]+… \d+\.\d s")


def test_a_stage_over_the_threshold_gets_one_line():
    out = io.StringIO()
    hook = progress.Progress(out, slow=2.0)
    hook("harvest", 1.9)
    hook("reason", 3.14)
    assert out.getvalue() == "mlaudit: reasoning… 3.1 s\n"


@pytest.fixture
def audited(tmp_path, monkeypatch, capsys):
    """Factory: audit the demo with every stage counted slow, stderr a terminal or not; its stderr
    and report.json."""
    monkeypatch.setattr(progress, "SLOW", 0.0)

    def run(terminal: bool) -> tuple[str, bytes]:
        monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
        out = tmp_path / ("tty" if terminal else "pipe")
        main(["audit", str(DEMO), "--out", str(out), "--sarif"])
        return capsys.readouterr().err, (out / "report.json").read_bytes()

    return run


def test_on_a_terminal_each_stage_and_each_output_is_shown(audited):
    shown, _ = audited(terminal=True)
    lines = shown.splitlines()
    assert lines and all(LINE.fullmatch(line) for line in lines), lines
    stages = [line.split("…")[0].removeprefix("mlaudit: ") for line in lines]
    assert stages[0] == "harvest" and "reasoning" in stages and stages[-1] == "writing report.sarif"


def test_off_a_terminal_nothing_is_shown_and_the_report_is_the_same(audited):
    shown, report = audited(terminal=False)
    assert shown == ""
    assert audited(terminal=True)[1] == report
