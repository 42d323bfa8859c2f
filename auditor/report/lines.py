"""findings.txt: one open finding a line, `SEVERITY ID asset: message [file:line]`, ready for grep.

The id (`CMP001-ce3405676116`, its rule first) is what `mlaudit explain` takes. Lines follow the
report's order (severity, then rule). Resolved findings are left out: report.json keeps them.
Every value is made plain (auditor.report.plaintext), so one finding stays one line.
"""

from __future__ import annotations

from auditor.parsed import JSON
from auditor.readers.sanitise import plain
from auditor.report.plaintext import local_step, where

NO_ASSET = "(the audit as a whole)"  # in place of the asset of a finding about no one asset


def render(document: dict[str, JSON]) -> str:
    return "".join(line(f) + "\n" for f in document["findings"] if f["status"] == "open")


def line(finding: dict[str, JSON]) -> str:
    return f"{finding['severity'].upper()} {finding['id']} {subject(finding)}"


def subject(finding: dict[str, JSON]) -> str:
    """`asset: message [file:line]`: what a finding's line says after its id and severity, here and
    in the terminal summary."""
    step = local_step(finding)
    return f"{plain(finding['asset'] or NO_ASSET)}: {plain(finding['message'])}" + (f" [{where(step)}]" if step else "")
