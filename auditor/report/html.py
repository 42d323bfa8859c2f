"""report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched), autoescaped.

The same template renders the PDF (see pdf.py): `paged=True` adds the cover, the table of contents,
the sign-off page and the print stylesheet. Every document string is treated as untrusted text; the
rules' how-to-fix texts go through markdown-it's inline renderer, which escapes them the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from auditor.parsed import JSON, JSONObject
from auditor.readers.sanitise import showable
from auditor.report import firstpage, lineage, lineage_draw
from auditor.resources import templates_dir
from auditor.vocabulary import SEVERITIES, ReviewStatus

# The PDF draws the lineage on landscape A4 pages (print.css: 297 x 210 mm less 18 mm margins on
# either side, 22 mm above and 20 mm below), in parts of at most this size in CSS px (96 a inch),
# leaving room for the section's heading and a caption; at a scale that keeps its smallest text
# at 7.5 pt (a CSS px is 0.75 pt).
MM = 96 / 25.4
LINEAGE_PAGE = ((297 - 36) * MM, (210 - 42 - 45) * MM)
LINEAGE_SCALE = 7.5 / (0.75 * lineage_draw.SMALLEST_FONT)


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
    env.filters["markdown"] = _inline_markdown
    env.globals.update(
        verdict_sentence=firstpage.verdict_sentence, blockers=firstpage.blockers, changes_line=firstpage.changes_line
    )
    document = map_strings(document, showable)
    css = env.get_template("lineage.css").render()
    svgs = lineage.pages(document, *LINEAGE_PAGE, LINEAGE_SCALE) if paged else [lineage.render(document)]
    return env.get_template("report.html.j2").render(
        report=document,
        lineage_svgs=[_styled(svg, css) for svg in svgs],
        paged=paged,
        severities=SEVERITIES,
        statuses=tuple(ReviewStatus),
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


def _link_text(_: object, tokens: Sequence[Token], index: int, *__: object) -> str:
    """A link's close: its URL shown after its text, since the page follows no link (its CSP
    allows no request, and a printed report has nothing to click)."""
    opening = next(t for t in reversed(tokens[:index]) if t.type == "link_open")
    return f" ({escape(opening.attrGet('href'))})"


def _web_link(url: str) -> bool:
    """Only http(s) links are read as links; any other `[text](url)` stays literal text."""
    return url.lower().startswith(("http://", "https://"))


# The inline Markdown of rule texts: code spans, emphasis, links. html=False escapes raw HTML.
_MARKDOWN = MarkdownIt("zero", {"html": False}).enable(["backticks", "emphasis", "link", "escape"])
_MARKDOWN.validateLink = _web_link  # type: ignore[method-assign]  # markdown-it documents replacing this hook
_MARKDOWN.add_render_rule("link_open", lambda *_: "")
_MARKDOWN.add_render_rule("link_close", _link_text)


def _inline_markdown(text: str) -> Markup:
    """A rule's text (how to fix) with its inline Markdown rendered by markdown-it, which escapes
    everything else: `base_model:` shows as code, not between backticks."""
    return Markup(_MARKDOWN.renderInline(text))
