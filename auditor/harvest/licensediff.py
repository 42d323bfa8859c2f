"""Where a license file departs from a reference text it holds, word by word.

A shingle match tells that a file holds a license text; it does not see a few words changed inside
it ("without restriction" made "for non-commercial purposes only") or a short clause put in, and
either changes the terms. So the file's words, from the first to the last the reference covers, are
aligned with the reference's, and every difference between passages they share is a departure,
unless the SPDX License List Matching Guidelines let it differ (rules/licenses/texts/matching.yaml):
a blank of the reference filled in (a holder's or organization's name), equivalent words, list
numbering, or the example after the end of the terms (how to apply the license). A file's copyright
notices are the holder's and left out; the reference's are blanks. What comes before or after the reference's words
(a title, another text) is the cover's business (licensetext).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

import yaml

from auditor.resources import rules_dir

MAX_SPAN = 3  # a held text's words spread over more than this many times its length are not aligned (bound)
# "[yyyy]", "<name of author>", "{Owner Organization}", not "<https://...>"
_BLANK = re.compile(r"[<\[{](?!https?:)[^<>\[\]{}]{1,150}[>\]}]")
_NUMBERING = re.compile(r"\d{1,3}|[a-z]|[ivx]{1,4}")  # "1." "(a)" "(iv)": Markdown renumbers lists


@dataclass(frozen=True)
class Reference:
    """A reference text's words, which of them are a blank to fill in or may be left out,
    and how many of them are terms (the rest shows how to apply the license)."""

    words: tuple[str, ...]
    blank: tuple[bool, ...]
    optional: tuple[bool, ...]  # words a file may leave out ("and/or" written "and")
    terms: int


def reference(text_words: Sequence[tuple[str, str, bool]]) -> Reference:
    """A reference from its (word, the line it is on, on a copyright notice) triples: its blanks are
    the words of a notice (a file has its own, or none, or has it mid-line when it rewraps the text),
    of a bracketed blank of their line or of a replaceable phrase."""
    words = tuple(w for w, _, _ in text_words)
    blank = [notice or _in_blank(w, line) for w, line, notice in text_words]
    for phrase in _matching().replaceable:
        for start in _find(words, phrase):
            blank[start : start + len(phrase)] = [True] * len(phrase)
    optional = [False] * len(words)
    for phrase, (first, count) in _matching().omittable:
        for start in _find(words, phrase):
            optional[start + first : start + first + count] = [True] * count
    ends = [start for phrase in _matching().end_of_terms for start in _find(words, phrase)]
    return Reference(words, tuple(blank), tuple(optional), min(ends, default=len(words)))


def _in_blank(word: str, line: str) -> bool:
    return any(word in re.findall(r"[^\W_]+", blank.group(0)) for blank in _BLANK.finditer(line))


def _find(words: tuple[str, ...], phrase: tuple[str, ...]) -> list[int]:
    return [i for i in range(len(words) - len(phrase) + 1) if words[i : i + len(phrase)] == phrase]


def departures(words: Sequence[tuple[str, bool]], ref: Reference) -> list[int]:
    """Positions in `words` (the file's words the reference covers, in order, each with whether it is
    on a copyright notice) where the file departs from the reference's terms: the first word it puts
    in or changes, or the word after which it leaves reference words out."""
    if len(words) > MAX_SPAN * len(ref.words):
        return [0]
    found = []
    opcodes = SequenceMatcher(None, [w for w, _ in words], list(ref.words), autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes[1:-1]:  # the ends: a title, an appendix left out
        if tag != "equal" and j1 <= ref.terms and not _may_differ(words[i1:i2], ref, j1, j2):
            found.append(i1 if i2 > i1 else max(i1 - 1, 0))
    return found


def _may_differ(put: Sequence[tuple[str, bool]], ref: Reference, j1: int, j2: int) -> bool:
    """Whether the words `put` where the reference has its words j1..j2 leave the terms as they are:
    a blank filled in or left empty, a notice of the file's own, other numbering, equivalent words."""
    gone = ref.words[j1:j2]
    if all(ref.blank[j1:j2]) and (j2 > j1 or all(notice for _, notice in put)):
        return True
    said = [w for w, notice in put if not notice]
    if not said and all(ref.optional[j1:j2]):
        return True
    if all(_NUMBERING.fullmatch(w) for w in [*said, *gone]):
        return True
    return len(said) == len(gone) and all(_same(a, b) for a, b in zip(said, gone, strict=True))


def _same(a: str, b: str) -> bool:
    return a == b or frozenset((a, b)) in _matching().equivalent


@dataclass(frozen=True)
class _Matching:
    """matching.yaml: the replaceable and end-of-terms phrases as words, the equivalent word pairs."""

    replaceable: tuple[tuple[str, ...], ...]
    omittable: tuple[
        tuple[tuple[str, ...], tuple[int, int]], ...
    ]  # a phrase; where its words that may go start, how many
    end_of_terms: tuple[tuple[str, ...], ...]
    equivalent: frozenset[frozenset[str]]


@cache
def _matching() -> _Matching:
    data = yaml.safe_load((rules_dir() / "licenses" / "texts" / "matching.yaml").read_text(encoding="utf-8"))
    return _Matching(
        tuple(tuple(e["phrase"].split()) for e in data["replaceable"]),
        tuple((tuple(e["phrase"].split()), _within(e["phrase"].split(), e["omit"].split())) for e in data["omittable"]),
        tuple(tuple(e["phrase"].split()) for e in data["end_of_terms"]),
        frozenset(frozenset(e["words"]) for e in data["equivalent"]),
    )


def _within(phrase: list[str], omit: list[str]) -> tuple[int, int]:
    """Where the words `omit` start in `phrase`, and how many they are."""
    return next(i for i in range(len(phrase)) if phrase[i : i + len(omit)] == omit), len(omit)
