"""findings.txt: one open finding a line, `SEVERITY RULE asset: message [file:line]`, ready for grep.

Lines follow the report's order (severity, then rule). Resolved findings are left out: report.json
keeps them. Manifest text is untrusted, so control, format (e.g. a right-to-left override) and line
separator characters are stripped: one finding stays one line and reads as the file says.

`plain`, `where` and `local_step` are shared with the other machine outputs (SARIF, JUnit, NOTICE);
`terminal` cleans every message the command line prints.
"""

from __future__ import annotations

import re

from auditor.readers.sanitise import plain as plain  # re-exported: the machine outputs share it

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def render(document: dict) -> str:
    return "".join(line(f) + "\n" for f in document["findings"] if f["status"] == "open")


def line(finding: dict) -> str:
    step = local_step(finding)
    return (
        f"{finding['severity'].upper()} {finding['rule']} {plain(finding['asset'] or '-')}: "
        f"{plain(finding['message'])}" + (f" [{where(step)}]" if step else "")
    )


def where(step: dict) -> str:
    """`file:line`, or `file` when the line is unknown."""
    return plain(step["file"]) + (f":{step['line']}" if step["line"] else "")


def local_step(finding: dict) -> dict | None:
    """The first evidence step that points into the audited folder (not at a license's URL)."""
    return next((s for s in finding["evidence"] if s["file"] and not _URL.match(s["file"])), None)


def terminal(text: str) -> str:
    """Text for stdout or stderr: each line plain, so nothing read can move the cursor, clear the
    screen, retitle the window or reorder what follows."""
    return "\n".join(plain(line) for line in text.split("\n"))
