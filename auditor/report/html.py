"""report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched), autoescaped.

The same template renders the PDF (see pdf.py): `paged=True` adds the cover, the table of contents,
the sign-off page and the print stylesheet. Every document string is treated as untrusted text.
"""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from auditor.parsed import JSON, JSONObject
from auditor.readers.sanitise import showable
from auditor.report import lineage
from auditor.resources import templates_dir
from auditor.vocabulary import SEVERITIES, ReviewStatus


def render(document: JSONObject, paged: bool = False) -> str:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["bdi"] = _isolated
    document = map_strings(document, showable)
    diagram = _styled(lineage.render(document), env.get_template("lineage.css").render())
    return env.get_template("report.html.j2").render(
        report=document, lineage_svg=diagram, paged=paged, severities=SEVERITIES, statuses=tuple(ReviewStatus)
    )


def _styled(svg: str, css: str) -> Markup:
    """The lineage SVG (built with every label escaped, see lineage.py) carrying its own stylesheet,
    the only one WeasyPrint applies to an SVG."""
    opening, _, rest = svg.partition(">")
    return Markup(f"{opening}><style>\n{css}</style>{rest}")


def map_strings(value: JSON, change: Callable[[str], str]) -> JSON:
    """The document with `change` applied to every string in it."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: map_strings(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [map_strings(item, change) for item in value]
    return value


def _isolated(text: str) -> Markup:
    """Manifest text, escaped, in its own <bdi>: a right-to-left override inside it cannot reorder
    the text that follows, and the stylesheet lets it wrap anywhere."""
    return Markup("<bdi>{}</bdi>").format(text)
