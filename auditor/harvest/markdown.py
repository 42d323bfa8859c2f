"""Card body: its section headings and whether each section says anything.

The Hub's card templates pre-fill every section with "[More Information Needed]"; a section that
holds only such placeholders (or template labels like "- **Developed by:**" with no value) is as
good as missing, so each heading gets a status: filled, placeholder or empty.
"""

from __future__ import annotations

import re

from auditor.model import Evidence, Section

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PLACEHOLDER = re.compile(
    r"\[?\s*(more information needed|needs more information|more info needed|optional"
    r"|todo|tbd|to be (?:added|completed)|\{\{[^}]*\}\})\s*\]?\.?",
    re.I,
)
_LABEL = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\*\*|__)?[^*_:]{0,60}:?(?:\*\*|__)?:?\s*$")
_DECORATION = re.compile(r"^[\s\-*+>#|=_`~:.]*$")


def sections(body: str, first_line: int, file: str) -> list[Section]:
    """Headings of `body` (which starts at `first_line` of `file`) with their fill status."""
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    lines = body.split("\n")
    heads: list[tuple[int, str, int]] = []  # (index of first content line, heading, level)
    content: list[list[str]] = [[]]  # content[0] is the text before the first heading
    fence = None
    for i, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            content[-1].append(line)
            continue
        if opened:
            fence = opened.group(1)
            content[-1].append(line)
            continue
        atx = _ATX.match(line)
        setext = _SETEXT.match(line) if i and lines[i - 1].strip() and not _ATX.match(lines[i - 1]) else None
        if atx and (atx.group(2) or "").strip():
            heads.append((i, atx.group(2).strip(), len(atx.group(1))))
            content.append([])
        elif setext and content[-1] and content[-1][-1] == lines[i - 1]:
            content[-1].pop()
            heads.append((i - 1, lines[i - 1].strip(), 1 if setext.group(1)[0] == "=" else 2))
            content.append([])
        else:
            content[-1].append(line)
    own = [_status(c) for c in content[1:]]
    result = []
    for n, (index, heading, level) in enumerate(heads):
        status = own[n]
        for m in range(n + 1, len(heads)):
            if heads[m][2] <= level:
                break
            status = _better(status, own[m])
        result.append(Section(heading, level, status, Evidence(file, f"heading '{heading}'", index + first_line)))
    return result


def _status(lines: list[str]) -> str:
    status = "empty"
    for line in lines:
        if _DECORATION.match(line) or _FENCE.match(line):
            continue
        rest = _PLACEHOLDER.sub("", line)
        if rest != line and (_DECORATION.match(rest) or _LABEL.match(rest)):
            status = "placeholder"
            continue
        return "filled"
    return status


def _better(a: str, b: str) -> str:
    order = ("empty", "placeholder", "filled")
    return a if order.index(a) >= order.index(b) else b
