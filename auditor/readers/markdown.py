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
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from auditor.model import Evidence, Section
from auditor.readers.placeholders import EMPHASIS, MAX_LABEL, judge, words

MAX_BODY = 64 * 1024  # Hub cards are a few KB; 1 MB of one-line list items would take seconds
_PARSER = MarkdownIt("commonmark").disable("inline")
_TEXT_BLOCKS = frozenset({"inline", "fence", "code_block", "html_block"})


@lru_cache(maxsize=1)
def _blocks(body: str) -> list[Token]:
    """The blocks of `body`'s first MAX_BODY characters. Harvest asks for a card's sections, then
    for its licence statements: the one body is parsed once (the parse is most of a card's cost)."""
    return _PARSER.parse(body[:MAX_BODY])


def sections(body: str, first_line: int, file: str) -> list[Section]:
    """Headings of `body` (which starts at `first_line` of `file`) with their fill status."""
    tokens = _blocks(body)
    heads: list[tuple[int, str, int]] = []  # (0-based line in body, heading, level)
    texts: list[list[str]] = [[]]  # texts[0] is the text before the first heading
    for i, token in enumerate(tokens):
        heading = token.type == "heading_open" and token.level == 0 and " ".join(tokens[i + 1].content.split())
        if heading:
            heads.append(((token.map or [0])[0], heading, int(token.tag[1])))
            texts.append([])
        elif token.type == "inline" and tokens[i - 1].type != "heading_open":
            texts[-1].append(_paragraph(uncomment(token.content)))
        elif token.type in _TEXT_BLOCKS and tokens[i - 1].type != "heading_open":
            texts[-1].append(uncomment(token.content))
    return [
        Section(heading, level, _status(text, heading), Evidence(file, f"heading '{heading}'", index + first_line))
        for (index, heading, level), text in zip(heads, texts[1:], strict=True)
    ]


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


def _paragraph(text: str) -> str:
    """A paragraph as judged: whole, its lines joined (a template sentence may wrap), but a table
    (CommonMark reads one as a paragraph) row by row after its header, each row as "first cell: the
    others", so that column names and row names with no values below or beside them are labels."""
    lines = text.split("\n")
    if len(lines) < 2 or not _delimiter_row(lines[1]):
        return " ".join(text.split())
    rows = ([c.strip() for c in row.strip().strip("|").split("|")] for row in lines[2:])
    return "\n".join(f"{cells[0]}: {' '.join(cells[1:])}" if len(cells) > 1 else cells[0] for cells in rows)


def _delimiter_row(line: str) -> bool:
    """'|---|:--:|', the row under a table's header."""
    return "-" in line and "|" in line and not line.strip(" |:-")


def _status(texts: list[str], heading: str) -> str:
    """filled as soon as one line says something; placeholder when lines only hold boilerplate or
    repeat the heading."""
    status, named = "empty", words(heading)
    for text in texts:
        for line in text.split("\n"):
            judged = "placeholder" if named and words(line) == named else judge(line)
            if judged == "filled":
                return judged
            status = judged or status
    return status


# --- licence statements in the body --------------------------------------------------------------
# Read from the same CommonMark blocks, one line at a time, each line cut to MAX_LINE characters: the
# patterns are anchored or start at a fixed phrase and repeat only bounded groups, so each line costs
# time linear in its length.
MAX_LINE = 300
MAX_STATED = 8  # statements kept from one body: a card states its license once or twice
_LICENSE_FIELD = re.compile(r"^[-*+>\s]{0,4}(?:\*\*|__)?licen[cs]e(?:\*\*|__)?\s?:(?:\*\*|__)?\s*(\S.{0,150})$", re.I)
_UNDER = re.compile(
    r"(?:^|\b(?:this|the|our) (?:model|dataset|repository|repo|work|project|code|data|weights|checkpoints?|adapter)s?"
    r" (?:is|are) (?:\w+ ){0,2}?)"
    r"(?:licensed|released|distributed|made available|available|provided|shared)(?: \w+){0,2}? under"
    r" (?:the terms of )?(?:the )?(\S.{0,150})",
    re.I,
)
_LICENSE_HEADING = re.compile(r"licen[cs](?:e|es|ing)(?: information)?", re.I)
_LINK = re.compile(r"\[([^\[\]]{1,150})\]\(([^()\s]{1,500})\)")
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
                found += _line_statements(line[:MAX_LINE].strip(), start + n, in_license and first_in_section)
                first_in_section = False
    return found[:MAX_STATED]


def _may_state(text: str) -> bool:
    """Whether a statement can be in `text`: each shape needs "licen" (a line or a License heading)
    or " under ", in any case (to the patterns' IGNORECASE a dotted or dotless I is an i), unless
    cutting out a comment joins one."""
    low = text.lower()
    return "licen" in low or " under " in low or "<!--" in text or "\u0131" in text or "\u0130" in text


def _line_statements(line: str, number: int, opens_license_section: bool) -> list[tuple[str, str | None, int, str]]:
    """A line's statement; when the name runs on past a comma ("CC BY 4.0, but the images ..."), the
    part before the comma follows as a second reading ("Apache License, Version 2.0" needs the whole)."""
    if match := _LICENSE_FIELD.match(line):
        text, shape = match.group(1), "license line"
    elif " under " in line.lower() and (match := _UNDER.search(line)):  # the phrase _UNDER needs, found fast
        text, shape = match.group(1), "licensed under"
    elif opens_license_section and 0 < len(line) <= MAX_LABEL:
        text, shape = line, "License section"
    else:
        return []
    name, link = _named(text)
    before_comma = name.split(",", 1)[0].strip()
    return [(n, link, number, shape) for n in dict.fromkeys((name, before_comma)) if n]


def _named(text: str) -> tuple[str, str | None]:
    """A stated name without emphasis, link target or the rest of its sentence; a link's target apart."""
    link = _LINK.search(text)
    text = _LINK.sub(r"\1", text)
    text = EMPHASIS.sub("", text)
    if end := _TAIL.search(text):
        text = text[: end.start()]
    return text.strip(" \"'`,"), link.group(2) if link else None
