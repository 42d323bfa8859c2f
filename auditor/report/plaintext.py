"""Plain text for the machine outputs (findings.txt, SARIF, JUnit, NOTICE) and the terminal.

Manifest text is untrusted, so control, format (e.g. a right-to-left override) and line separator
characters are stripped: one finding stays one line and reads as the file says. `where` and
`local_step` name the place in the audited folder a finding points at.
"""

from __future__ import annotations

import re

from auditor.parsed import JSON
from auditor.readers.sanitise import plain

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def where(step: dict[str, JSON]) -> str:
    """`file:line`, or `file` when the line is unknown."""
    return plain(step["file"]) + (f":{step['line']}" if step["line"] else "")


def local_step(finding: dict[str, JSON]) -> dict[str, JSON] | None:
    """The first evidence step that points into the audited folder (not at a license's URL)."""
    return next((s for s in finding["evidence"] if in_folder(s["file"])), None)


def in_folder(file: JSON) -> bool:
    """Whether a file an evidence step or asset source names is one of the audited folder (not a URL)."""
    return isinstance(file, str) and bool(file) and not _URL.match(file)


def severity(finding: dict[str, JSON]) -> str:
    """A finding's severity, and its status where it is not open: a resolved error blocks nothing,
    and a list of changes must not show it as one that does."""
    return str(finding["severity"]) if finding["status"] == "open" else f"{finding['severity']} ({finding['status']})"


def terminal(text: str) -> str:
    """Text for stdout or stderr: each line plain, so nothing read can move the cursor, clear the
    screen, retitle the window or reorder what follows."""
    return "\n".join(plain(line) for line in text.split("\n"))
