"""impact.html: `mlaudit impact`'s answer as one self-contained page (inline CSS and SVG, no script,
nothing fetched), autoescaped like report.html: the affected subgraph drawn by the lineage diagram's
code (lineage_draw.py, igraph's Sugiyama layout), then each descendant's changes."""

from __future__ import annotations

from auditor.parsed import JSONObject
from auditor.readers.sanitise import showable
from auditor.report import impacttext, lineage, lineage_draw
from auditor.report.html import environment, map_strings, styled
from auditor.report.lineage_draw import Box, Diagram, Link
from auditor.vocabulary import Severity


def render(doc: JSONObject) -> str:
    """The page of an impact (impact.assess)."""
    doc = map_strings(doc, showable)
    env = environment()
    env.filters["path_text"] = impacttext.path_text
    env.filters["standing"] = impacttext.standing
    css = env.get_template("lineage.css").render()
    svg = lineage_draw.draw(diagram_of(doc)).svg(least=lineage.SCREEN_FONT / lineage_draw.SMALLEST_FONT)
    rows = doc["assets"]
    more = impacttext.more(len(rows)) if len(rows) > impacttext.LISTED else None
    return env.get_template("impact.html.j2").render(
        impact=doc, svg=styled(svg, css), rows=rows[: impacttext.LISTED], more=more
    )


def diagram_of(doc: JSONObject) -> Diagram:
    """The asset and its descendants (at most lineage.MAX_BOXES, nearest first), linked by the edges of
    their shortest paths; an asset a new error blocks is outlined in red, and so are the links into it."""
    rows = doc["assets"][: lineage.MAX_BOXES]
    shown = {row["asset"] for row in rows}
    blocked = {
        row["asset"]: tuple(f["id"] for f in _open(row["appear"]) if f["severity"] == Severity.ERROR) for row in rows
    }
    links = {
        Link(step["to"], step["from"], step["relation"], blocked[step["to"]])
        for row in rows
        for path in row["paths"]
        for step in path
        if step["to"] in shown and step["from"] in shown
    }
    left = len(doc["assets"]) - len(rows)
    where = "listed below" if len(doc["assets"]) <= impacttext.LISTED else "in impact.json"
    note = f"{left} more descendants are {where}, not drawn" if left else None
    return Diagram([_box(row, row["asset"] == doc["asset"]) for row in rows], sorted(links), note)


def _box(row: JSONObject, changed: bool) -> Box:
    """A descendant's box: name, kind and the licence before → after; outlined by its worst new finding."""
    worst = min((Severity(f["severity"]) for f in _open(row["appear"])), key=lambda s: s.rank, default=None)
    license_text = impacttext.licence(row)
    name = row["asset"].removeprefix("datasets/") if row["kind"] == "dataset" else row["asset"]
    return Box(
        key=row["asset"],
        lines=(name, row["kind"], license_text),
        title=f"{row['asset']} ({row['kind']}, {license_text}): {len(row['appear'])} findings appear, "
        f"{len(row['disappear'])} disappear",
        stroke=lineage.COLOURS.get(worst, "#8b949e"),
        stroke_width=3 if worst in (Severity.ERROR, Severity.WARNING) else 1.2,
        fill="#fff8e6" if changed else "#f6f7f9",
        dashed=row["verdict"]["before"] is None,
        group=False,
    )


def _errors(row: JSONObject) -> tuple[str, ...]:
    """The ids of the open errors that appear at a descendant: what blocks it after the change."""
    return tuple(f["id"] for f in _open(row["appear"]) if f["severity"] == Severity.ERROR)


def _open(found: list[JSONObject]) -> list[JSONObject]:
    """The findings still open: a resolved one outlines nothing."""
    return [f for f in found if f["status"] == "open"]
