"""What the card templates write where nobody wrote anything, and whether a line says more.

The data is rules/profiles/placeholders.yaml: placeholder phrases, notes to the author, filler,
announcements of what is to come, the words that add nothing after them, pointers to the base
model's card, the templates' guidance sentences; stand-ins for a value ("[MODEL_NAME]", "XXX") are
read by their shape (STAND_IN). A line is compared with it sentence by sentence, in words (no case,
punctuation, emphasis or link targets), so a guidance sentence counts wherever an editor left it and
a phrase counts only as whole words ("todo" is not in "Todorov").

Bound: every pattern is anchored or starts at a fixed character and repeats only bounded groups,
so a line costs time linear in its length; the known sentences are looked up in a set, and the
trailing words, announcements and instructions are read word by word in one pass.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import pairwise

from auditor.readers import safeyaml
from auditor.resources import rules_dir
from auditor.vocabulary import SectionStatus

MAX_LABEL = 80  # a template label ("**Funded by [optional]:**") is short
MAX_SUBJECT = 4  # words before an announcement ("the paper is coming soon"); a longer sentence says more
MAX_REMEMBERED = 200  # lines this short have their judgement remembered (at most 65,536: a lake's rows repeat values)
_LINK_TARGET = re.compile(r"\]\([^()\s]{0,2000}\)")
EMPHASIS = re.compile(r"[*_`]+")
_TAG = re.compile(  # HTML's own elements: "<Describe the uses here>" is an instruction, not a tag
    r"</?(?:a|b|i|p|br|hr|div|span|img|details|summary|center|sub|sup|em|strong|small|font|table|thead|tbody"
    r"|tr|td|th|ul|ol|li|h[1-6]|code|pre|figure|figcaption|picture|source|video|audio|iframe|blockquote)"
    r"(?:\s[^<>]{0,500})?/?>"
)
_UNRENDERED = re.compile(r"\{\{[^{}]{0,500}\}\}|\{%[^{}]{0,500}%\}")
STAND_IN = re.compile(  # a value never filled in (placeholders.yaml lists the shapes); read before case is folded
    r"[\[<][A-Z][A-Z0-9]{0,40}(?:_[A-Z0-9]{1,40}){1,8}[\]>]"  # [MODEL_NAME], <DATASET_NAME>
    r"|(?<![\w\\$])\{(?:[a-z][a-z0-9]{0,40}(?:_[a-z0-9]{1,40}){1,8}|[A-Z][A-Z0-9]{0,40}(?:_[A-Z0-9]{1,40}){1,8})\}"
    r"|\b[Xx]{3,40}\b"  # XXX
    r"|[@/](?:[\w-]{1,63}\.){0,8}?example\.(?:com|org|net)\b",  # your.name@example.com, https://example.org
)
_SLOT = "\x00"  # what a stand-in becomes: a sentence holding it says nothing
_URL = re.compile(r"<?(?:(?:https?|ftp)://|www\.)\S{1,2000}")
_ABBREVIATION = re.compile(r"\b(e\.g|i\.e|et al|etc|cf|vs)\.")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|(?<=[。！？])")
_WORD = re.compile(r"\w+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")  # kana and CJK ideographs: no spaces between words


@dataclass(frozen=True)
class Boilerplate:
    """rules/profiles/placeholders.yaml, compiled."""

    marks: re.Pattern[str]  # notes, instructions and "[optional]", cut from a line before it is read
    phrases: re.Pattern[str]  # placeholder phrases as whole words, in a sentence's words
    fillers: frozenset[str]  # sentences that say nothing, in words
    openings: tuple[str, ...]  # a sentence opening with these words says nothing ("lorem ipsum")
    sentences: Mapping[str, str]  # the templates' guidance, sentence by sentence, in words -> its source
    verbs: frozenset[str]  # verbs of an instruction to the author
    trailing: tuple[tuple[str, ...], ...]  # words that add nothing at a sentence's end, as word lists
    pending: tuple[tuple[str, ...], ...]  # words announcing what is to come at a sentence's end, as word lists
    deferrals: tuple[str, ...]  # a sentence opening with these words points to the base model's card


@cache
def boilerplate() -> Boilerplate:
    """The placeholders, read once from the rules' data."""
    data = safeyaml.load((rules_dir() / "profiles" / "placeholders.yaml").read_text(encoding="utf-8"))
    notes, verbs, bracketed = (_alternatives(data[k]) for k in ("notes", "instructions", "bracketed"))
    marks = re.compile(
        rf"\[ ?(?:{notes})\b[^\]]{{0,320}}\]|^[-#/> ]*(?:{notes})\b(?= ?[:(\-]|$).*"  # [TODO: ...], "# TODO: ..."
        rf"|[\[<] ?(?:{verbs})\b[^\[\]<>]{{0,320}}[\]>]|[\[<][^\[\]<>]{{0,320}}\bhere ?[\]>]"  # [Insert ... here]
        rf"|[\[(] ?(?:{bracketed}) ?[\])]"
    )
    spaced = "|".join(re.escape(words(p)) for p in data["phrases"] if not _UNSPACED.search(p))
    unspaced = "|".join(re.escape(words(p)) for p in data["phrases"] if _UNSPACED.search(p))
    known = Boilerplate(
        marks,
        re.compile(rf"(?<!\S)(?:{spaced})(?!\S)|{unspaced}"),
        frozenset(words(str(f)) for f in data["fillers"]),
        tuple(words(o) for o in data["openings"]),
        {},
        frozenset(v.lower() for v in data["instructions"]),
        tuple(tuple(words(t).split()) for t in data["trailing"]),
        tuple(tuple(words(p).split()) for p in data["pending"]),
        tuple(words(d) for d in data["deferrals"]),
    )
    guidance = {
        s: str(t["source"])
        for t in data["templates"]
        for text in t["sentences"]
        for s in _sentences(plain(str(text)), known)
        if not _label(s)
    }
    return replace(known, sentences=guidance)


def _alternatives(entries: list[str]) -> str:
    return "|".join(re.escape(e.lower()) for e in entries)


def plain(text: str) -> str:
    """`text` as compared with the templates: HTML entities as the characters they show ("&nbsp;" and
    "&#8203;" show no word), stand-ins marked, lower case, links without targets, no emphasis, no HTML
    tags, one space."""
    marked = STAND_IN.sub(_SLOT, html.unescape(text))
    return " ".join(_TAG.sub(" ", EMPHASIS.sub("", _LINK_TARGET.sub("]", marked.lower()))).split())


def words(text: str) -> str:
    """The words of `text`, lower case and one space apart: 'N/A' -> 'n a'."""
    return " ".join(_WORD.findall(text.lower()))


def judge(line: str) -> SectionStatus | None:
    """None when `line` holds no words (blank, decoration, markup); placeholder when its words are
    only boilerplate, labels ("**BibTeX:**"), stand-ins or a bare URL; deferred when it only points to
    the base model's card beside those; filled otherwise. Cards written from the Hub's templates repeat
    the same short lines card after card: those are judged once."""
    return _judge_short(line) if len(line) <= MAX_REMEMBERED else _judgement(line)


def _judgement(line: str) -> SectionStatus | None:
    text = plain(line)
    if not _WORD.search(text) and _SLOT not in text:
        return None
    known = boilerplate()
    if _URL.fullmatch(text):
        return SectionStatus.PLACEHOLDER
    said = [s for s in _sentences(text, known) if not _label(s) and not _boilerplate(s, known)]
    if not said:
        return SectionStatus.PLACEHOLDER
    return SectionStatus.DEFERRED if all(s.startswith(known.deferrals) for s in said) else SectionStatus.FILLED


_judge_short = lru_cache(maxsize=65536)(_judgement)


def why(line: str, heading: str) -> str:
    """What makes a line that says nothing so, when its quote alone does not show it, for a reader to
    check the judgement: " (the stand-in '<INPUT_FILE>')", " (template text, <its source>)"; "" for a
    placeholder phrase, filler or a label, which the quote shows."""
    if stand_in := STAND_IN.search(line):
        return f" (the stand-in '{stand_in.group(0)}', a value never filled in)"
    text, known = plain(line), boilerplate()
    if _URL.fullmatch(text):
        return " (a bare URL)"
    if words(line) == words(heading):
        return " (the heading repeated)"
    sentences = _sentences(text, known)
    if source := next((known.sentences[s] for s in sentences if s in known.sentences), None):
        return f" (template text, {source})"
    if sentences and all(s.startswith(known.deferrals) for s in sentences):
        return " (a pointer to the base model's card)"
    return ""


def says(value: str) -> bool:
    """Whether a value (a metadata string, a line) says anything beyond boilerplate, of itself."""
    return judge(value) == SectionStatus.FILLED


def is_value(text: str) -> bool:
    """Whether a manifest field's text is a value: it says something, or it is a URL (a download
    location, a DOI link), which in a card section would be a bare link standing for one."""
    return says(text) or bool(_URL.fullmatch(plain(text)))


def stated(value: str | None) -> str | None:
    """`value` when it says something; None for a placeholder ("TBD", SPDX's "NOASSERTION"): a version
    that is one names no version."""
    return value if value is not None and says(value) else None


def _sentences(text: str, known: Boilerplate) -> list[str]:
    """The sentences of `text` (as plain() gives it) without notes, instructions, unrendered fields
    and sentences holding a stand-in: each in words, a label ("developed by:") kept with its colon."""
    text = _UNRENDERED.sub(" ", known.marks.sub(" ", _ABBREVIATION.sub(r"\1", text)))
    parts = (p.strip() for p in _SENTENCE_END.split(text))
    return [
        words(p) + (":" if p.endswith(":") and len(p) <= MAX_LABEL else "")
        for p in parts
        if _WORD.search(p) and _SLOT not in p
    ]


def _label(sentence: str) -> bool:
    return sentence.endswith(":")


def _boilerplate(sentence: str, known: Boilerplate) -> bool:
    """Whether a sentence (in words) is a template's, filler, an announcement or an instruction, with
    or without placeholder phrases ("[More Information Needed] fp32, fp16 mixed precision ...") and
    trailing words ("Will be added later.")."""
    found, ends = _ends(" ".join(known.phrases.sub(" ", sentence).split()), known)
    rest = " ".join(found[: ends[-1]])
    return (
        not rest
        or _instruction(sentence, known)
        or any(s in known.sentences or s in known.fillers or s.startswith(known.openings) for s in (sentence, rest))
        or any(_announces(found, end, known) for end in ends)
    )


def _ends(sentence: str, known: Boilerplate) -> tuple[list[str], list[int]]:
    """The words of `sentence`, and where they end as the trailing words at the end are cut, one word
    list at a time ("will be added later": 4, then 3 for "will be added"): linear in the sentence, as
    the words are never copied."""
    found = sentence.split()
    ends = [len(found)]
    while tail := next((t for t in known.trailing if _ends_with(found, ends[-1], t)), None):
        ends.append(ends[-1] - len(tail))
    return found, ends


def _announces(found: list[str], end: int, known: Boilerplate) -> bool:
    """Whether the words up to `end` only announce what is to come, after a short subject: "paper
    coming soon", "code and weights will be released"."""
    return any(_ends_with(found, end, p) and end - len(p) <= MAX_SUBJECT for p in known.pending)


def _ends_with(found: list[str], end: int, tail: tuple[str, ...]) -> bool:
    return end >= len(tail) and found[end - len(tail) : end] == list(tail)


def _instruction(sentence: str, known: Boilerplate) -> bool:
    """Whether a sentence tells the author what to write there: "Add description here.", "If you use
    this model, please describe your use case here." An instruction to the reader names no "here"."""
    found = sentence.split()
    return found[-1] == "here" and (
        found[0] in known.verbs or any(a == "please" and b in known.verbs for a, b in pairwise(found))
    )
