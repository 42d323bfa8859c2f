"""diff.html: `mlaudit diff`'s answer as one self-contained page (inline CSS, no script, nothing
fetched), autoescaped like report.html: the counts and drift patterns on top, then each listed asset's
changes (the answer lists the first drift.LIMIT; the files beside the page hold every one)."""

from __future__ import annotations

from auditor import __version__
from auditor.parsed import JSONObject
from auditor.readers.sanitise import showable
from auditor.report.drifttext import FIELDS, NONE, positions
from auditor.report.html import environment, map_strings


def render(doc: JSONObject) -> str:
    """The page of a diff (drift.compare)."""
    doc = map_strings(doc, showable)
    return (
        environment()
        .get_template("diff.html.j2")
        .render(diff=doc, fields=FIELDS, none=NONE, version=__version__, position=positions(doc))
    )
