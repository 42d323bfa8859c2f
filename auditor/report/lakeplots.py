"""The lake page's plots: bar charts drawn by matplotlib's SVG backend, inlined in the page.

Deterministic bytes: a fixed `svg.hashsalt` (the ids matplotlib generates), no date in the
metadata, text kept as text (no glyph paths) and never read as mathtext, so that a `$` in a
license name from a manifest is drawn as it is. Labels are manifest text: matplotlib escapes them
in the SVG it writes, and they are cleaned of control characters first. matplotlib is imported here
only, when a lake page is rendered.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from auditor.readers.sanitise import showable

LABEL_CHARS = 48  # a longer label is cut, with an ellipsis: the page's tables give it whole
STYLE: dict[Any, Any] = {  # matplotlib types its keys as a closed list of names
    "svg.hashsalt": "mlaudit",
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.size": 9,
}
COLOURS = {"fail": "#b42318", "pass": "#067647", "bar": "#475467"}


def bars(labels: Sequence[str], values: Sequence[int], title: str, colours: Sequence[str] = ()) -> Markup:
    """A horizontal bar chart, the first label at the top, as inline SVG markup."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with rc_context(STYLE):
        figure = Figure(figsize=(6.4, 0.9 + 0.32 * max(len(labels), 1)))
        axes = figure.subplots()
        shown = [_label(text) for text in labels]
        axes.barh(range(len(shown)), values, color=list(colours) or COLOURS["bar"])
        axes.set_yticks(range(len(shown)), shown)
        axes.invert_yaxis()
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        figure.suptitle(title, x=0.01, ha="left", size="medium")  # over the figure: long labels push the axes right
        axes.spines[["top", "right"]].set_visible(False)
        for i, value in enumerate(values):
            axes.annotate(str(value), (value, i), xytext=(3, 0), textcoords="offset points", va="center")
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return Markup(_inline(out.getvalue()))


def _label(text: str) -> str:
    text = showable(text)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _inline(svg: str) -> str:
    """The <svg> element alone: no XML declaration or DOCTYPE inside an HTML page."""
    return svg[svg.index("<svg") :]
