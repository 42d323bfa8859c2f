"""Progress on stderr: a stage still running after the threshold is announced while it runs, and its
line completed with the time when it ends; on a terminal only, and nothing of it in the reports."""

from __future__ import annotations

import io
import re
import sys
import threading
import time

import pytest
from conftest import FIXTURES

from auditor import audit, progress
from auditor.cli import main

DEMO = FIXTURES / "releases" / "demo"
LINE = re.compile(r"(?:mlaudit: [\w .]+…\r)?mlaudit: [\w .]+… \d+\.\d s")


class Screen(io.StringIO):
    """A terminal's stderr: what was written, and an event set at each write."""

    def __init__(self) -> None:
        super().__init__()
        self.written = threading.Event()

    def flush(self) -> None:
        super().flush()
        self.written.set()


def test_a_long_stage_is_announced_while_it_runs_and_its_line_completed_at_its_end():
    screen = Screen()
    hook = progress.Progress(screen, slow=0.05)
    with audit.stage("reason", hook):
        assert screen.written.wait(5), "the stage was never announced"
        assert screen.getvalue() == "mlaudit: reasoning…"  # on screen before the stage ends
    assert re.fullmatch(r"mlaudit: reasoning…\rmlaudit: reasoning… \d+\.\d s\n", screen.getvalue())


def test_a_quick_stage_shows_nothing_and_its_timer_stays_quiet_after_it():
    screen = Screen()
    hook = progress.Progress(screen, slow=0.2)
    with audit.stage("harvest", hook):
        pass
    with audit.stage("reason", hook):
        pass
    time.sleep(0.4)  # past the threshold: a timer left running would write now
    assert screen.getvalue() == ""


def test_a_stage_that_fails_still_completes_its_line():
    screen = Screen()
    hook = progress.Progress(screen, slow=0.01)
    with pytest.raises(ValueError), audit.stage("harvest", hook):
        assert screen.written.wait(5)
        raise ValueError("unreadable")
    assert screen.getvalue().endswith(" s\n") and screen.getvalue().startswith("mlaudit: harvesting…\r")


def test_a_slow_stage_told_only_its_end_gets_one_line():
    out = io.StringIO()
    hook = progress.Progress(out, slow=2.0)
    hook("harvest", 1.9)
    hook("reason", 3.14)
    assert out.getvalue() == "mlaudit: reasoning… 3.1 s\n"


@pytest.fixture
def audited(tmp_path, monkeypatch, capsys):
    """Factory: audit the demo with every stage announced at once, stderr a terminal or not; its
    stderr and report.json."""
    monkeypatch.setattr(progress, "SLOW", 0.0)

    def run(terminal: bool) -> tuple[str, bytes]:
        monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
        out = tmp_path / ("tty" if terminal else "pipe")
        main(["audit", str(DEMO), "--out", str(out), "--sarif"])
        return capsys.readouterr().err, (out / "report.json").read_bytes()

    return run


def test_on_a_terminal_each_stage_and_each_output_is_shown(audited):
    shown, _ = audited(terminal=True)
    lines = shown.removesuffix("\n").split("\n")  # not splitlines: a line rewritten after \r is one line
    assert lines and all(LINE.fullmatch(line) for line in lines), lines
    stages = [line.rpartition("\r")[2].split("…")[0].removeprefix("mlaudit: ") for line in lines]
    assert stages[0] == "harvesting" and "reasoning" in stages and stages[-1] == "writing report.sarif"


def test_off_a_terminal_nothing_is_shown_and_the_report_is_the_same(audited):
    shown, report = audited(terminal=False)
    assert shown == ""
    assert audited(terminal=True)[1] == report
