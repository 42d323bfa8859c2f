"""Card body: its section headings and whether each section says anything.

The Hub's card templates pre-fill every section with "[More Information Needed]"; a section that
holds only such placeholders (or template labels like "- **Developed by:**" with no value) is as
good as missing, so each heading gets a status: filled, placeholder or empty.

Bound: the body's blocks come from markdown-it-py's CommonMark block parser, which is linear in
the text (inline parsing is off: only the blocks' raw text is judged, and pure-Python inline
parsing costs seconds a megabyte). Its tokens cost microseconds each, so sections are read from the
first MAX_BODY characters only. Comments are cut by a find loop and every line's judgement runs
on whitespace-collapsed text with regexes that cannot backtrack more than a bounded amount.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from auditor.model import Evidence, Section

MAX_BODY = 64 * 1024  # Hub cards are a few KB; 1 MB of one-line list items would take seconds
MAX_LABEL = 80  # a template label ("**Funded by [optional]:**") is short
_PARSER = MarkdownIt("commonmark").disable("inline")
_TEXT_BLOCKS = frozenset({"inline", "fence", "code_block", "html_block"})
_PLACEHOLDER = re.compile(
    r"\[? ?(?:more information needed|needs more information|more info needed|optional"
    r"|todo|tbd|to be (?:added|completed)|\{\{[^{}]*\}\}) ?\]?\.?",
    re.I,
)
_LABEL = re.compile(r"(?:[-*+]|\d+[.)])? ?(?:\*\*|__)?[^*_:]{0,60}:?(?:\*\*|__)?:?")
_DECORATION = re.compile(r"[\s\-*+>#|=_`~:.]*")


def sections(body: str, first_line: int, file: str) -> list[Section]:
    """Headings of `body` (which starts at `first_line` of `file`) with their fill status."""
    tokens = _PARSER.parse(body[:MAX_BODY])
    heads: list[tuple[int, str, int]] = []  # (0-based line in body, heading, level)
    texts: list[list[str]] = [[]]  # texts[0] is the text before the first heading
    for i, token in enumerate(tokens):
        heading = token.type == "heading_open" and token.level == 0 and " ".join(tokens[i + 1].content.split())
        if heading:
            heads.append((token.map[0], heading, int(token.tag[1])))
            texts.append([])
        elif token.type in _TEXT_BLOCKS and tokens[i - 1].type != "heading_open":
            texts[-1].append(_uncomment(token.content))
    own = [_status(t) for t in texts[1:]]
    result = []
    for n, (index, heading, level) in enumerate(heads):
        status = own[n]
        for m in range(n + 1, len(heads)):
            if heads[m][2] <= level:
                break
            status = _better(status, own[m])
        result.append(Section(heading, level, status, Evidence(file, f"heading '{heading}'", index + first_line)))
    return result


def _uncomment(text: str) -> str:
    """`text` without HTML comments (an unclosed one runs to the end), in one pass."""
    kept, start = [], 0
    while (opened := text.find("<!--", start)) >= 0:
        kept.append(text[start:opened])
        closed = text.find("-->", opened + 4)
        start = len(text) if closed < 0 else closed + 3
    kept.append(text[start:])
    return "".join(kept)


def _status(texts: list[str]) -> str:
    status = "empty"
    for text in texts:
        for line in text.split("\n"):
            line = " ".join(line.split())
            if _DECORATION.fullmatch(line):
                continue
            rest = _PLACEHOLDER.sub("", line).strip()
            if rest != line and (_DECORATION.fullmatch(rest) or len(rest) <= MAX_LABEL and _LABEL.fullmatch(rest)):
                status = "placeholder"
                continue
            return "filled"
    return status


def _better(a: str, b: str) -> str:
    order = ("empty", "placeholder", "filled")
    return a if order.index(a) >= order.index(b) else b
