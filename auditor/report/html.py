"""report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched), autoescaped.

The same template renders the PDF (see pdf.py): `paged=True` adds the cover, the table of contents,
the sign-off page and the print stylesheet. Every document string is treated as untrusted text; the
rules' how-to-fix texts go through markdown-it's inline renderer, which escapes them the same way.

The tables list the release's lineage (report.json's `in_lineage`), counting the rest of the folder
in one line; documentation completeness is a one-page summary, its detail an appendix; the glossary
(glossary.py) lists the terms the page uses and the first page and the findings link to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from html import unescape

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from auditor.parsed import JSON, JSONObject
from auditor.readers.sanitise import showable
from auditor.report import firstpage, glossary, lineage, lineage_draw, plaintext
from auditor.resources import templates_dir
from auditor.vocabulary import SEVERITIES, ReviewStatus

DOCUMENTATION_ROWS = 24  # rows of the documentation summary: with its headings, one A4 page
# Steps of an evidence chain the PDF shows at either end: a 400-level lineage's chains made a
# third of its pages, laid out in minutes; report.html gives every step.
PDF_CHAIN_ENDS = 20

# The PDF draws the lineage on landscape A4 pages (print.css: 297 x 210 mm less 18 mm margins on
# either side, 22 mm above and 20 mm below), in parts of at most this size in CSS px (96 a inch),
# leaving room for the section's heading and a caption; at a scale that keeps its smallest text
# at 7.5 pt (a CSS px is 0.75 pt).
MM = 96 / 25.4
LINEAGE_PAGE = ((297 - 36) * MM, (210 - 42 - 45) * MM)
LINEAGE_SCALE = 7.5 / (0.75 * lineage_draw.SMALLEST_FONT)


def render(document: JSONObject, paged: bool = False) -> str:
    """The page, rendered twice: once to read which glossary terms it uses, then with those listed."""
    env = environment()
    env.globals.update(
        verdict_sentence=firstpage.verdict_sentence,
        gate_failures=firstpage.gate_failures,
        blockers=firstpage.blockers,
        changes_line=firstpage.changes_line,
        flagged=firstpage.flagged,
        concerning=firstpage.concerning,
    )
    document = map_strings(document, showable)
    css = env.get_template("lineage.css").render()
    svgs = lineage.pages(document, *LINEAGE_PAGE, LINEAGE_SCALE) if paged else [lineage.render(document)]
    template = env.get_template("report.html.j2")
    context = {
        "report": document,
        "lineage_svgs": [styled(svg, css) for svg in svgs],
        "paged": paged,
        "chain_ends": PDF_CHAIN_ENDS,
        "severities": SEVERITIES,
        "statuses": tuple(ReviewStatus),
        **_scope(document),
        "documentation_rows": _documentation_rows(document),
    }
    # the documentation appendix links no term: rendered once, for both passes
    # the PDF details the summary's rows alone: WeasyPrint takes about a quarter second to lay out
    # each, most of a large lineage's PDF time (a 200-card chain's took minutes); report.html lists all
    rows = context["documentation_rows"] if paged else document["documentation"]
    appendix = env.get_template("appendix.html.j2").render(report=document, rows=rows)
    context["documentation_detail"] = Markup(appendix)
    without = template.render(glossary=(), **context)
    return template.render(glossary=glossary.used(_shown_text(without)), **context)


def environment() -> Environment:
    """The templates, autoescaped (every string is untrusted), with the `bdi`, `markdown`, `gloss` and
    `severity` filters."""
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
    env.filters["gloss"] = _glossed
    env.filters["severity"] = plaintext.severity
    return env


def _scope(document: JSONObject) -> dict[str, JSON]:
    """The assets and edges of the release's lineage, which the report's tables list, and how many
    of the folder's are left to report.json (a report of schema 1.5 or earlier lists them all); the
    assets findings name, numbered for the page's filters (looked up, not searched: a release may
    name tens of thousands)."""
    assets = [a for a in document["assets"] if a.get("in_lineage", True)]
    edges = [e for e in document["edges"] if e.get("in_lineage", True)]
    cut = document["release"].get("outside_lineage", {"assets": 0, "edges": 0})  # cut before encoding
    named = sorted({f["asset"] for f in document["findings"] if f.get("asset") is not None})
    return {
        "finding_assets": named,
        "asset_number": {asset: number for number, asset in enumerate(named, 1)},
        "lineage_assets": assets,
        "lineage_edges": edges,
        "other_assets": len(document["assets"]) - len(assets) + cut["assets"],
        "other_edges": len(document["edges"]) - len(edges) + cut["edges"],
    }


def _documentation_rows(document: JSONObject) -> list[JSONObject]:
    """The documentation summary's rows: the release's first, then the lowest scores, at most
    DOCUMENTATION_ROWS (report.html's appendix details every one, the PDF's these)."""
    release = document["release"]["asset"]
    ranked = sorted(document["documentation"], key=lambda d: (d["asset"] != release, d["score"], d["asset"]))
    return ranked[:DOCUMENTATION_ROWS]


_TAG = re.compile(r"<style\b.*?</style>|<[^>]*>", re.DOTALL)


def _shown_text(page: str) -> str:
    """The text a page shows: its markup and stylesheets left out, its entities read."""
    return unescape(_TAG.sub(" ", page))


@pass_context
def _glossed(context: Context, text: str) -> Markup:
    """Text, escaped, with each use of a term the page's glossary lists linked to its entry."""
    return glossary.linked(text, context["glossary"])


def styled(svg: str, css: str) -> Markup:
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
    return Markup(f"<bdi>{escape(text)}</bdi>")  # what Markup.format does, without its formatter


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


@lru_cache(maxsize=4096)  # the same rule and profile texts recur on every asset
def _inline_markdown(text: str) -> Markup:
    """A rule's text (how to fix) with its inline Markdown rendered by markdown-it, which escapes
    everything else: `base_model:` shows as code, not between backticks."""
    return Markup(_MARKDOWN.renderInline(text))
