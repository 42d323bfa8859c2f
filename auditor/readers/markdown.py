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
from dataclasses import dataclass
from functools import cache

import yaml
from markdown_it import MarkdownIt

from auditor.model import Evidence, Section
from auditor.resources import rules_dir

MAX_BODY = 64 * 1024  # Hub cards are a few KB; 1 MB of one-line list items would take seconds
MAX_LABEL = 80  # a template label ("**Funded by [optional]:**") is short
_PARSER = MarkdownIt("commonmark").disable("inline")
_TEXT_BLOCKS = frozenset({"inline", "fence", "code_block", "html_block"})
_LABEL = re.compile(r"(?:[-*+]|\d+[.)])? ?(?:\*\*|__)?[^*_:]{0,60}:?(?:\*\*|__)?:?")
_DECORATION = re.compile(r"[\s\-*+>#|=_`~:.]*")
_LINK_TARGET = re.compile(r"\]\([^()\s]{0,2000}\)")
_EMPHASIS = re.compile(r"[*_`]+")


@dataclass(frozen=True)
class Boilerplate:
    """What the card templates write where the author wrote nothing (rules/profiles/placeholders.yaml)."""

    placeholder: re.Pattern[str]  # a placeholder phrase or an unrendered "{{ field }}"
    note: re.Pattern[str]  # "[TODO: ...]" anywhere, or a line that starts with "TODO"
    sentences: tuple[str, ...]  # the templates' default sentences, as plain() gives them


@cache
def boilerplate() -> Boilerplate:
    """The placeholders and template sentences, read once from the rules' data."""
    data = yaml.safe_load((rules_dir() / "profiles" / "placeholders.yaml").read_text(encoding="utf-8"))
    phrases = "|".join(re.escape(p) for p in data["phrases"])
    notes = "|".join(re.escape(n) for n in data["notes"])
    sentences = {plain(s).rstrip(".") for t in data["templates"] for s in t["sentences"]}
    return Boilerplate(
        re.compile(rf"\[? ?(?:{phrases}|\{{\{{[^{{}}]*\}}\}}) ?\]?\.?", re.I),
        re.compile(rf"\[ ?(?:{notes})\b[^\]]{{0,{MAX_LABEL * 4}}}\]|^[#/ ]*(?:{notes})\b.*", re.I),
        tuple(sorted(sentences, key=len, reverse=True)),
    )


def plain(text: str) -> str:
    """`text` as compared with the templates: lower case, links without targets, no emphasis, one space."""
    return " ".join(_EMPHASIS.sub("", _LINK_TARGET.sub("]", text)).lower().split())


def sections(body: str, first_line: int, file: str) -> list[Section]:
    """Headings of `body` (which starts at `first_line` of `file`) with their fill status."""
    tokens = _PARSER.parse(body[:MAX_BODY])
    heads: list[tuple[int, str, int]] = []  # (0-based line in body, heading, level)
    texts: list[list[str]] = [[]]  # texts[0] is the text before the first heading
    for i, token in enumerate(tokens):
        heading = token.type == "heading_open" and token.level == 0 and " ".join(tokens[i + 1].content.split())
        if heading:
            heads.append(((token.map or [0])[0], heading, int(token.tag[1])))
            texts.append([])
        elif token.type == "inline" and tokens[i - 1].type != "heading_open":
            texts[-1].append(" ".join(_uncomment(token.content).split()))  # a paragraph is judged whole
        elif token.type in _TEXT_BLOCKS and tokens[i - 1].type != "heading_open":
            texts[-1].append(_uncomment(token.content))
    return [
        Section(heading, level, _status(text), Evidence(file, f"heading '{heading}'", index + first_line))
        for (index, heading, level), text in zip(heads, texts[1:], strict=True)
    ]


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
    """filled as soon as one line says something; placeholder when lines only hold boilerplate."""
    status = "empty"
    for text in texts:
        for line in text.split("\n"):
            judged = _judge(line)
            if judged == "filled":
                return judged
            status = judged or status
    return status


def _judge(line: str) -> str | None:
    """None for decoration; placeholder for template boilerplate, placeholders and bare labels
    ("**BibTeX:**", "- **Model type:** [More Information Needed]"); filled otherwise."""
    line = plain(line)
    if _DECORATION.fullmatch(line):
        return None
    known = boilerplate()
    rest = line
    for sentence in known.sentences:
        rest = rest.replace(sentence, " ")
    rest = known.placeholder.sub("", known.note.sub("", rest)).strip()
    label = len(rest) <= MAX_LABEL and _LABEL.fullmatch(rest) and (rest != line or rest.endswith(":"))
    return "placeholder" if _DECORATION.fullmatch(rest) or label else "filled"
