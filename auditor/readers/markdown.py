"""Card body: its section headings and whether each section says anything.

The Hub's card templates pre-fill every section with "[More Information Needed]"; a section that
holds only such placeholders (or template labels like "- **Developed by:**" with no value) is as
good as missing, so each heading gets a status: filled, placeholder or empty. The status is the
section's own text, before its first sub-heading: which sub-sections count for a heading depends
on what each means, and that is the profiles' knowledge (profiles.credited).

Bound: the body's blocks come from markdown-it-py's CommonMark block parser, which is linear in
the text (inline parsing is off: only the blocks' raw text is judged, and pure-Python inline
parsing costs seconds a megabyte). Its tokens cost microseconds each, so sections are read from the
first MAX_BODY characters only. Comments are cut by a find loop and every line's judgement runs
on whitespace-collapsed text with regexes that cannot backtrack more than a bounded amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt, rules_block
from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.parser_block import RuleFuncBlockType
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from auditor.model import Evidence, Section
from auditor.readers import placeholders
from auditor.readers.placeholders import EMPHASIS, MAX_LABEL, judge, words
from auditor.vocabulary import SectionStatus

MAX_QUOTE = 120  # characters of a line quoted as the reason a section is not filled
MAX_BODY = 64 * 1024  # Hub cards are a few KB; 1 MB of one-line list items would take seconds


def _lines_kept(rule: RuleFuncBlockType) -> RuleFuncBlockType:
    """`rule` (a paragraph, a setext heading) with its tokens' first line the first line of the text
    it keeps: markdown-it trims whitespace a CommonMark blank line does not hold (U+2028, a vertical
    tab, a form feed) off the text, and so the lines holding only that, yet maps the block from its
    first line: a statement after such a line was told a line early. Lines are the file's, \n-ended."""

    def kept(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        before = len(state.tokens)
        if not rule(state, start, end, silent):
            return False
        text = state.getLines(start, state.line, state.blkIndent, False)
        dropped = text[: len(text) - len(text.lstrip(MD_TRIM_CHARS))].count("\n")
        for token in state.tokens[before:]:
            if token.map:
                token.map = [token.map[0] + dropped, token.map[1]]
        return True

    return kept


_PARSER = MarkdownIt("commonmark").disable("inline")
_PARSER.block.ruler.at("paragraph", _lines_kept(rules_block.paragraph))
_PARSER.block.ruler.at("lheading", _lines_kept(rules_block.lheading))
_TEXT_BLOCKS = frozenset({"inline", "fence", "code_block"})
_HTML_ROW = re.compile(r"<tr\b[^<>]{0,500}>", re.I)
_HTML_ROW_END = re.compile(r"</tr\s{0,50}>", re.I)
_HTML_CELL = re.compile(r"<t[dh]\b[^<>]{0,500}>", re.I)
_HTML_HEADER, _HTML_DATA = re.compile(r"<th\b", re.I), re.compile(r"<td\b", re.I)
_HTML_TITLE = re.compile(r"<(h[1-4]|summary)\b[^<>]{0,500}>(.{0,500}?)</\1\s{0,50}>|</details\s{0,50}>", re.I | re.S)
_ANY_TAG = re.compile(r"<[^<>]{0,500}>")
# An element styled invisible, to its closing tag (nesting aside: bounded, not parsed)
_HIDDEN = re.compile(
    r"<([a-z][a-z0-9]{0,20})\b[^<>]{0,500}?(?:\bhidden\b|display\s{0,5}:\s{0,5}none|visibility\s{0,5}:\s{0,5}hidden)"
    r"[^<>]{0,500}>.{0,5000}?</\1\s{0,50}>",
    re.I | re.S,
)
_IMAGE_ALT = re.compile(r"!\[[^\[\]\n]{0,500}\]\(")
# **Label:** text, or as Meta's Llama cards write them, **Label** Text (a new sentence after the label)
_LABELLED = re.compile(
    r"(?:\*\*|__)([^*_:\n]{1,80})(?::(?:\*\*|__)|(?:\*\*|__):|(?:\*\*|__)(?=[ \t]{1,20}[A-Z0-9]))[ \t]*(?=\S)"
)


@lru_cache(maxsize=1)
def _blocks(body: str) -> list[Token]:
    """The blocks of `body`'s first MAX_BODY characters. Harvest asks for a card's sections, then
    for its licence statements: the one body is parsed once (the parse is most of a card's cost)."""
    return _PARSER.parse(body[:MAX_BODY])


@dataclass
class _Outline:
    """The sections as they are read: their headings, the text of each, and the section text goes to."""

    heads: list[tuple[int, str, int, bool]] = field(default_factory=list)  # (0-based line, heading, level, label)
    texts: list[list[tuple[int, str]]] = field(default_factory=lambda: [[]])  # (0-based line, text); [0]: before
    # the first heading
    current: int = 0  # the index in texts that text now goes to
    interrupted: list[int] = field(default_factory=list)  # sections an open <details> or labelled paragraph interrupts

    def add(self, line: int, text: str) -> None:
        """Text from `line` on, to the section open there."""
        self.texts[self.current].append((line, text))

    def head(self, line: int, heading: str, level: int, label: bool = False) -> None:
        self.heads.append((line, heading, level, label))
        self.texts.append([])
        self.current = len(self.texts) - 1

    def open(self, line: int, heading: str, label: bool = False) -> None:
        """A <details> block or a labelled paragraph (`label`) titled `heading`: a sub-section of the
        current one until it closes."""
        self.interrupted.append(self.current)
        self.head(line, heading, min(6, (self.heads[self.current - 1][2] if self.current else 1) + 1), label)

    def close(self) -> None:
        """</details>, a labelled paragraph's end: text goes back to the section it interrupted."""
        if self.interrupted:
            self.current = self.interrupted.pop()


def sections(body: str, first_line: int, file: str) -> list[Section]:
    """Headings of `body` (which starts at `first_line` of `file`) with their fill status. HTML
    headings (<h1>-<h4>) are headings as Markdown's are, and a <details> block's <summary> titles a
    sub-section of the section it is in, as the Hub renders them."""
    tokens = _blocks(body)
    outline = _Outline()
    for i, token in enumerate(tokens):
        heading = token.type == "heading_open" and token.level == 0 and " ".join(tokens[i + 1].content.split())
        if heading:
            outline.interrupted.clear()
            outline.head((token.map or [0])[0], heading, int(token.tag[1]))
        elif token.type == "inline" and tokens[i - 1].type != "heading_open":
            _read_paragraph(outline, _shown(token.content), (token.map or [0])[0], tokens[i - 1].level == 0)
        elif token.type == "html_block":
            _read_html(outline, _shown(token.content), (token.map or [0])[0])
        elif token.type in _TEXT_BLOCKS and tokens[i - 1].type != "heading_open":
            outline.add((token.map or [0])[0] + (token.type == "fence"), uncomment(token.content))
    return [
        _section(heading, level, label, text, Evidence(file, f"heading '{heading}'", index + first_line), first_line)
        for (index, heading, level, label), text in zip(outline.heads, outline.texts[1:], strict=True)
    ]


def _section(heading: str, level: int, label: bool, texts: list[tuple[int, str]], at: Evidence, first: int) -> Section:
    """A section with its status and, when it is not filled, the line that left it so, quoted."""
    status, line, text = _status(texts, heading)
    judged = None
    if line is not None:
        quoted = text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"
        judged = Evidence(at.file, f"the text '{quoted}'{placeholders.why(text, heading)}", line + first)
    return Section(heading, level, status, at, label, judged)


def _read_paragraph(outline: _Outline, text: str, line: int, top: bool) -> None:
    """A paragraph into the outline. One of the card's own (not a list item: the templates' "- **Developed
    by:**" lines are values of their section) that opens with a bold label, "**Intended use:** Summarising
    ...", or without the colon before a new sentence, "**Out-of-scope Uses** Use in any manner ...", is a
    sub-section of its own under that label, holding the rest of the paragraph."""
    labelled = _LABELLED.match(text) if top else None
    if labelled is None or judge(labelled.group(1)) != SectionStatus.FILLED:
        outline.add(line, _paragraph(text))
        return
    outline.open(line, " ".join(labelled.group(1).split()), label=True)
    outline.add(line, _paragraph(text[labelled.end() :]))
    outline.close()


def _read_html(outline: _Outline, text: str, line: int) -> None:
    """An HTML block into the outline: its headings and <details> titles open sections, the text
    between them goes to the section open there."""
    start = counted = 0
    for match in _HTML_TITLE.finditer(text):
        outline.add(line, _html(text[start : match.start()]))
        line += text.count("\n", counted, match.start())
        start, counted = match.end(), match.start()
        title = " ".join(_ANY_TAG.sub(" ", match.group(2) or "").split())
        if match.group(1) is None:
            outline.close()
        elif judge(title) != SectionStatus.FILLED:  # "Click to expand" titles nothing: it is text
            outline.add(line, match.group(0))
        elif match.group(1).lower() == "summary":
            outline.open(line, title)
        else:
            outline.head(line, title, int(match.group(1)[1]))
    outline.add(line, _html(text[start:]))


def uncomment(text: str) -> str:
    """`text` without HTML comments (an unclosed one runs to the end), in one pass: what the
    rendered card shows of them is nothing, so nothing in them fills a section or states anything."""
    if "<!--" not in text:
        return text
    kept, start = [], 0
    while (opened := text.find("<!--", start)) >= 0:
        kept.append(text[start:opened])
        closed = text.find("-->", opened + 4)
        start = len(text) if closed < 0 else closed + 3
    kept.append(text[start:])
    return "".join(kept)


def _shown(text: str) -> str:
    """`text` without HTML comments and elements styled invisible (`hidden`, `display: none`,
    `visibility: hidden`): the rendered card shows nothing of them, so they fill no section."""
    return _HIDDEN.sub("", uncomment(text))


def rendered(text: str) -> str:
    """`text` as a card displays it: without what _shown() cuts, or markup, whose attributes (an
    image's alt text, a title) and an image's Markdown alt text show no text on the page."""
    return _ANY_TAG.sub("", _IMAGE_ALT.sub("![](", _shown(text)))


def _paragraph(text: str) -> str:
    """A paragraph as judged: whole, its lines joined (a template sentence may wrap), but a table
    (CommonMark reads one as a paragraph) row by row after its header, each row as "first cell: the
    others", so that column names and row names with no values below or beside them are labels."""
    lines = text.split("\n")
    if len(lines) < 2 or not _delimiter_row(lines[1]):
        return " ".join(text.split())
    rows = ([c.strip() for c in row.strip().strip("|").split("|")] for row in lines[2:])
    return "\n".join(f"{cells[0]}: {' '.join(cells[1:])}" if len(cells) > 1 else cells[0] for cells in rows)


def _html(text: str) -> str:
    """An HTML block as judged: a table in it row by row, each as "first cell: the others", as a
    Markdown table is, and a row of header cells (<th>) left out as a Markdown table's header row is;
    the text around the table as it is."""
    before, *rows = _HTML_ROW.split(text)
    lines = [before]
    for row in rows:
        inside, *after = _HTML_ROW_END.split(row, maxsplit=1)
        cells = [" ".join(c.split()) for c in _HTML_CELL.split(inside)[1:]]
        if cells and not (_HTML_HEADER.search(inside) and not _HTML_DATA.search(inside)):
            lines.append(f"{cells[0]}: {' '.join(cells[1:])}" if len(cells) > 1 else cells[0])
        lines += after
    return "\n".join(lines)


def _delimiter_row(line: str) -> bool:
    """'|---|:--:|', the row under a table's header."""
    return "-" in line and "|" in line and not line.strip(" |:-")


def _status(texts: list[tuple[int, str]], heading: str) -> tuple[SectionStatus, int | None, str]:
    """filled as soon as one line says something; else the best of its lines: deferred when one only
    points to the base model's card, placeholder when they only hold boilerplate or repeat the heading.
    With the status, the first line (0-based, and its text) that gave it, when it is not filled."""
    status, named, found, said = SectionStatus.EMPTY, words(heading), None, ""
    for start, text in texts:
        for n, line in enumerate(text.split("\n")):
            judged = SectionStatus.PLACEHOLDER if named and words(line) == named else judge(line)
            if judged == SectionStatus.FILLED:
                return judged, None, ""
            if judged and SectionStatus(judged).rank > status.rank:
                status, found, said = SectionStatus(judged), start + n, " ".join(line.split())
    return status, found, said


# --- licence statements in the body --------------------------------------------------------------
# Read from the same CommonMark blocks, one line at a time, each line cut to MAX_LINE characters: the
# patterns are anchored or start at a fixed phrase and repeat only bounded groups, so each line costs
# time linear in its length.
MAX_LINE = 300
MAX_STATED = 8  # statements kept from one body: a card states its license once or twice
_LICENSE_FIELD = re.compile(r"^[-*+>\s]{0,4}(?:\*\*|__)?licen[cs]e(?:\*\*|__)?\s?:(?:\*\*|__)?\s*(\S.{0,150})$", re.I)
_UNDER = re.compile(
    r"(?:^|\b(?:this|the|our) (?:(?:model|pretrained|trained) )?"
    r"(model|dataset|repository|repo|work|project|code|data|weights|checkpoint|adapter)s?"
    r"(?: (?:in|of) (?:this|the) \w+)? (?:is|are) (?:(?!not |never )\w+ ){0,2}?)"
    r"(?:licensed|released|distributed|made available|available|provided|shared)(?: \w+){0,2}? under"
    r" (?:the terms of )?(?:the |an? )?(?P<name>\S.{0,150})",
    re.I,
)
# What part of the work a statement is about, from its subject or a bracket after the name ("MIT (code)")
PARTS = {"code": "code", "repository": "code", "repo": "code", "weights": "weights", "checkpoint": "weights"}
PARTS |= {"data": "data", "dataset": "data"}
_BRACKET = re.compile(r"\s\(([^()]{1,80})\)")
# "under the License is ...": the license named before, named again (not "Licence Ouverte")
_REFERS_BACK = re.compile(r"licen[cs]e(?:\W*$|\s(?:is|are|and|for|to)\b)", re.I)
RESTRICTED = "restricted"  # the shape's last word for a license named with a restriction added
# A restriction the statement adds to the license it names: "MIT (non-commercial use only)"
_RESTRICTION = re.compile(r"\b(?:only|non-?commercial|research|not|no|except|prohibited|without)\b", re.I)
_LICENSE_HEADING = re.compile(r"licen[cs](?:e|es|ing)(?: information)?", re.I)
_LINK = re.compile(r"\[([^\[\]]{1,150})\]\(([^()\s]{1,500})\)")
# An HTML link, as Creative Commons' chooser writes its sentence: <a rel="license" href="URL">name</a>
_HTML_LINK = re.compile(
    r"<a\b[^<>]{0,500}?\bhref\s?=\s?[\"']([^\"'\s<>()]{1,500})[\"'][^<>]{0,500}>([^<>\[\]]{1,150})</a\s{0,50}>", re.I
)
_LICENSE_WORD = re.compile(r"\s+licen[cs]e$", re.I)  # "… 4.0 International License", as CC's chooser writes
_TAIL = re.compile(r"\s\(|[.;:!?](?:\s|$)|\s[-–—]\s|\s\|")  # where a stated name ends


def stated_licenses(body: str, first_line: int) -> list[tuple[str, str | None, int, str]]:
    """License statements of a card body as (name, link, line, shape), in the order written: a
    "License: X" line, a sentence saying this work is "licensed under X", or the first line of a
    "License" section when it is only a name. Which of them name a licence is the reading's to say."""
    found: list[tuple[str, str | None, int, str]] = []
    if not _may_state(body[:MAX_BODY]):
        return found
    tokens = _blocks(body)
    section, first_in_section = "", False
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            section, first_in_section = " ".join(tokens[i + 1].content.split()), True
        elif token.type == "inline" and tokens[i - 1].type != "heading_open" and len(found) < MAX_STATED:
            start = (token.map or [0])[0] + first_line
            in_license = bool(_LICENSE_HEADING.fullmatch(section))
            for n, line in enumerate(uncomment(token.content).split("\n")):
                said = _unhtml(line[: 4 * MAX_LINE])[:MAX_LINE].strip()
                found += _line_statements(said, start + n, in_license and first_in_section)
                first_in_section = False
    return found[:MAX_STATED]


def _may_state(text: str) -> bool:
    """Whether a statement can be in `text`: each shape needs "licen" (a line or a License heading)
    or " under ", in any case (to the patterns' IGNORECASE a dotted or dotless I is an i), unless
    cutting out a comment joins one."""
    low = text.lower()
    return "licen" in low or " under " in low or "<!--" in text or "\u0131" in text or "\u0130" in text


def _line_statements(line: str, number: int, opens_license_section: bool) -> list[tuple[str, str | None, int, str]]:
    """A line's statements: one per license a "License:" line lists ("MIT (code); CC BY-NC 4.0
    (weights)"), each with the part of the work it is about (its shape says "; code"); a negated
    sentence ("is not licensed under") states none."""
    if match := _LICENSE_FIELD.match(line):
        items, shape, part = match.group(1).split(";"), "license line", ""
    elif " under " in line.lower() and (match := _UNDER.search(line)):  # the phrase _UNDER needs, found fast
        items, shape, part = [match.group("name")], "licensed under", PARTS.get((match.group(1) or "").lower(), "")
    elif opens_license_section and 0 < len(line) <= MAX_LABEL:
        items, shape, part = [line], "License section", ""
    else:
        return []
    return [found for item in items for found in _item_statements(item.strip(), number, shape, part)]


def _item_statements(text: str, number: int, shape: str, part: str) -> list[tuple[str, str | None, int, str]]:
    """The statement of one named license; when the name runs on past a comma ("CC BY 4.0, but the
    images ..."), the part before the comma follows as a second reading ("Apache License, Version 2.0"
    needs the whole), and a name closed by the word License without it (Creative Commons' own sentence:
    "licensed under a Creative Commons Attribution 4.0 International License"). A bracket after the name
    names the part ("(weights)") or adds a restriction ("(non-commercial use only)"): a restricted
    license is not the license named, so the statement names both, and its shape says "restricted"."""
    name, link = _named(text)
    if _REFERS_BACK.match(name):  # "distributed under the License is distributed on an AS IS basis"
        return []
    bracket = _BRACKET.match(_LINK.sub(r"\1", text), len(name)) if name else None
    said = bracket.group(1).strip().lower() if bracket else ""
    part = PARTS.get(said, part)
    if _RESTRICTION.search(said):
        return [(f"{name} ({said})", link, number, f"{shape}; {RESTRICTED}")]
    shape += f"; {part}" if part else ""
    names = [name, name.split(",", 1)[0].strip()]
    names += [_LICENSE_WORD.sub("", n) for n in names]
    return [(n, link, number, shape) for n in dict.fromkeys(names) if n]


def _unhtml(line: str) -> str:
    """A line as its statement reads: an HTML link as a Markdown one, other markup (an image) left out."""
    return _ANY_TAG.sub("", _HTML_LINK.sub(r"[\2](\1)", line))


def shape_part(pointer: str) -> str:
    """What a body statement's evidence pointer ("card body (licensed under; weights)") says it is
    about: a part of the work, RESTRICTED, or "" for the whole work."""
    _, sep, part = pointer.rstrip(")").rpartition("; ")
    return part if sep else ""


def _named(text: str) -> tuple[str, str | None]:
    """A stated name without emphasis, link target or the rest of its sentence; a link's target apart."""
    link = _LINK.search(text)
    text = _LINK.sub(r"\1", text)
    text = EMPHASIS.sub("", text)
    if end := _TAIL.search(text):
        text = text[: end.start()]
    return text.strip(" \"'`,"), link.group(2) if link else None
