"""The pipeline's stage hook: every stage reports its name and wall time, in order, so a benchmark
or a profiler times the real wiring without replacing any of its functions."""

from __future__ import annotations

from conftest import FIXTURES, RB

from auditor import audit


def test_every_stage_reports_its_time_in_order():
    timed: list[tuple[str, float]] = []
    result = audit.run(
        FIXTURES / "releases" / "demo", rb=RB, on_stage=lambda name, seconds: timed.append((name, seconds))
    )
    assert [name for name, _ in timed] == ["harvest", "resolve", "encode", "reason", "interpret", "repair"]
    assert all(seconds >= 0 for _, seconds in timed) and result.result.findings
