"""lake.html: a lake audit's summary as one self-contained page (inline CSS and SVG plots, no
script, nothing fetched), autoescaped like report.html."""

from __future__ import annotations

from markupsafe import Markup

from auditor.parsed import JSONObject
from auditor.readers.sanitise import showable
from auditor.report import lakeplots
from auditor.report.html import environment, map_strings

SHOWN_FILES = 200  # input files not read that the page lists; summary.json lists every one


def render(summary: JSONObject) -> str:
    """The page of a lake summary (lakedb.outputs)."""
    summary = map_strings(summary, showable)
    return (
        environment().get_template("lake.html.j2").render(lake=summary, plots=_plots(summary), shown_files=SHOWN_FILES)
    )


def _plots(s: JSONObject) -> dict[str, Markup]:
    """The plots where a picture says it better than a table; a ranking with no rows has none."""
    verdicts = s["verdicts"]
    plots = {
        "verdicts": lakeplots.bars(
            ["fail", "pass"],
            [verdicts["fail"], verdicts["pass"]],
            "Assets by verdict",
            [lakeplots.COLOURS["fail"], lakeplots.COLOURS["pass"]],
        )
    }
    for name, title, label in (
        ("conflicting_pairs", "Conflicting license pairs (derived ← base), by assets", _pair),
        ("license_mix", "License mix, by assets", lambda row: row["license"]),
        ("worst_organisations", "Organisations by failing assets", lambda row: row["organisation"]),
    ):
        rows = s[name]
        values = [row["failing" if name == "worst_organisations" else "assets"] for row in rows]
        if rows:
            plots[name] = lakeplots.bars([label(row) for row in rows], values, title)
    return plots


def _pair(row: JSONObject) -> str:
    return f"{row['derived']} ← {row['base']}"
