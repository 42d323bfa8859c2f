"""Which license a LICENSE file holds, told from its text.

Model folders ship the license as a text file and often nothing else says which it is. The text is
normalised (lowercase, copyright lines and punctuation dropped, whitespace collapsed) and cut into
overlapping 5-word shingles; its Dice similarity with each reference text under
rules/licenses/texts/ (named by the license id the knowledge base knows) picks the best match,
accepted at THRESHOLD or above. Shingles make the score robust to reflowed lines, filled-in names
and small edits, while a short header or notice that only mentions a license scores low against
the full text and is not mistaken for it.

Texts under texts/other/ are close variants the knowledge base does not know (MIT-0 beside MIT):
they are compared too, so that such a text is reported as unidentified rather than taken for its
better-known neighbour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from auditor.resources import rules_dir

THRESHOLD = 0.8
SHINGLE = 5
Shingle = tuple[str, ...]  # SHINGLE words in a row
MAX_WORDS = 60_000  # longer than any reference text; bounds the work on hostile input

_COPYRIGHT_LINE = re.compile(r"^[\W_]*(copyright\b|\(c\)|©|all rights reserved)", re.I)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Match:
    """The reference text closest to a text; `license` is None when there are no references."""

    license: str | None
    score: float
    known: bool = True  # False: a variant the knowledge base does not know (texts/other/)

    @property
    def accepted(self) -> bool:
        return self.license is not None and self.known and self.score >= THRESHOLD


def identify(text: str) -> Match:
    """The best-matching reference license for `text`, with its Dice score (0..1)."""
    shingles = _shingles(text)
    best = Match(None, 0.0)
    for (license_id, known), reference in _references().items():
        score = _dice(shingles, reference)
        if score > best.score:
            best = Match(license_id, score, known)
    return best


def texts_dir() -> Path:
    return rules_dir() / "licenses" / "texts"


@cache
def _references() -> dict[tuple[str, bool], frozenset[Shingle]]:
    """Shingles of every reference text, keyed by (license id, known to the knowledge base)."""
    found = {}
    for folder, known in ((texts_dir(), True), (texts_dir() / "other", False)):
        for path in sorted(folder.glob("*.txt")):
            found[path.stem, known] = _shingles(path.read_text(encoding="utf-8"))
    return found


def normalise(text: str) -> list[str]:
    """The words of `text`, lowercased, without copyright lines or punctuation."""
    lines = (line for line in text.lower().splitlines() if not _COPYRIGHT_LINE.match(line.strip()))
    words = _WORD.findall(" ".join(lines).replace("licence", "license"))
    return words[:MAX_WORDS]


def _shingles(text: str) -> frozenset[Shingle]:
    words = normalise(text)
    return frozenset(zip(*(words[i:] for i in range(SHINGLE)), strict=False))


def _dice(a: frozenset[Shingle], b: frozenset[Shingle]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))
