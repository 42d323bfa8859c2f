"""Which license a LICENSE file holds, told from its text.

Model folders ship the license as a text file and often nothing else says which it is. The text is
normalised (lowercase, copyright lines, SPDX tags and punctuation dropped, whitespace collapsed) and cut into
overlapping 5-word shingles; its Dice similarity with each reference text under
rules/licenses/texts/ (named by the license id the knowledge base knows) picks the closest one.
Shingles make the score robust to reflowed lines, filled-in names and small edits, while a short
header or notice that only mentions a license scores low against the full text and is not mistaken
for it.

A file may hold more than one license (a code license followed by the weights' license), and a
license with a rider is not that license (SPDX License List Matching Guidelines: only replaceable
or omittable text may differ). So the file is covered, greedily, by the reference texts it holds
(at THRESHOLD or above, as a whole or in full), and what none of them covers is its own wording:
a run of ADDED_RUN words or more makes the file a modified text, whose terms are unknown. So does
any word changed, put in or left out inside a text it holds (licensediff): "without restriction"
made "for non-commercial purposes only" is a few words, and the terms are not the license's.

A short file that is no license text but names one (an SPDX-License-Identifier line, "licensed
under CC BY-NC 4.0", the license's URL) is the repository's statement of its license: it declares
that license, though it gives no copy of it (shipped reads only held texts as copies).

Texts under texts/other/ are close variants the knowledge base does not know (MIT-0 beside MIT):
they are compared too, so that such a text is reported as unidentified rather than taken for its
better-known neighbour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from auditor import license_parts
from auditor.harvest import licensediff
from auditor.license_parts import TEXT_POINTER, texts_dir
from auditor.model import Evidence, LicenseStatement, Problem
from auditor.readers.markdown import stated_licenses
from auditor.readers.values import shorten_line

THRESHOLD = 0.8
SHINGLE = 5
ADDED_RUN = 8  # words in a row no held text has: a sentence, not a filled-in name or a title
MAX_HELD = 4  # license texts told apart in one file
Shingle = tuple[str, ...]  # SHINGLE words in a row
Word = tuple[str, int, bool]  # a word, its line (from 1), whether on a tag line (copyright, SPDX)
Held = tuple[tuple[str, bool], set[int]]  # a reference text a file holds, the positions of the words it covers
SHOWN_LINES = 3  # added lines a finding quotes
MAX_WORDS = 60_000  # longer than any reference text; bounds the work on hostile input
MAX_NOTICE_WORDS = 100  # a file this short matching no text is a notice naming its license, not a document
NAMED = "license notice"  # the pointer of a license a file names without holding its text
_SPDX_TAG = re.compile(r"^[\W_]*spdx-license-identifier:[ \t]*(\S[^\n]{0,200}?)[ \t]*$", re.I | re.M)
_URL = re.compile(r"https?://[^\s<>\"')\]]{1,300}")
_LICENSE_URL = re.compile(r"licen[cs]|publicdomain|creativecommons", re.I)  # a license's page, not a project's

# A line that tags the text rather than licenses: its holder's copyright notice ("Copyright" then
# "(c)", "©", a year or a blank to fill in, README, Obligations; "(c)" or "©" then a year, not a
# clause "(c) You must"), an SPDX tag naming it; and a line "Copyright" then a name, shorter than a
# sentence (ADDED_RUN words: "Copyright Contributors to the Trio project", not a rider)
_TAG_LINE = re.compile(
    r"^[\W_]*(copyright\s*(\(c\)|©|\d{4}|[\[<])|(\(c\)|©)\s*(\d{4}|copyright)|all rights reserved\W*$|spdx-[a-z-]+:)",
    re.I,
)
_WORD = re.compile(r"[^\W_]+")
# the file's own words offering the texts it holds as a choice ("licensed under either of ... at your
# option", the Rust convention for MIT OR Apache-2.0): a dual license, of which the licensee complies with one
_CHOICE = re.compile(r"\beither\b(?: \w+){0,40}? at your (?:option|choice)\b")


@dataclass(frozen=True)
class Match:
    """The reference text closest to a text as a whole (`license` is None when there are no
    references), the reference texts it holds in their order in the file, and the lines of its
    wording none of them has."""

    license: str | None
    score: float
    known: bool = True  # False: a variant the knowledge base does not know (texts/other/)
    held: tuple[tuple[str, bool], ...] = ()  # (license id, known) of each text the file holds
    added: tuple[int, ...] = ()  # lines (from 1) with wording of its own: added, or changed in a held text
    offered: bool = False  # the file's own words offer the texts it holds as a choice (_CHOICE)

    @property
    def holds_known(self) -> bool:
        """The file holds license texts, each of a license the knowledge base knows."""
        return bool(self.held) and all(known for _, known in self.held)

    @property
    def accepted(self) -> bool:
        """The file is known licenses' texts and nothing else."""
        return self.holds_known and not self.added

    @property
    def modified(self) -> bool:
        """The file holds known licenses' texts with wording of its own: it is not those licenses."""
        return self.holds_known and bool(self.added)

    @property
    def licenses(self) -> tuple[str, ...]:
        return tuple(license_id for license_id, _ in self.held)


def statements(text: str, name: str, rel: str, notice: bool = False) -> tuple[list[LicenseStatement], list[Problem]]:
    """What the license file `name` (at `rel`) states, told from its text: each license whose text it
    is, or their choice (OR) where the file's own words offer one; a modified text as a license of
    unknown terms (a LicenseRef naming what it modifies), with a problem quoting the lines it adds; the
    licenses a short license file (not a NOTICE, whose URLs are attributions) names; and a problem for
    a text that matches nothing known."""
    match = identify(text)
    if match.accepted and match.offered:
        where = Evidence(rel, f"{TEXT_POINTER} (holds their full texts and offers them as a choice)", 1)
        return [LicenseStatement(" OR ".join(match.licenses), where)], []
    if match.accepted:
        whole = match.licenses == (match.license,)
        score = f"match {match.score:.2f} with {match.license}" if whole else "holds its full text"
        return [LicenseStatement(lid, Evidence(rel, f"{TEXT_POINTER} ({score})", 1)) for lid in match.licenses], []
    if match.modified:
        texts = " and ".join(match.licenses)
        lines = text.split("\n")
        quoted = "; ".join(f"line {n}: '{shorten_line(lines[n - 1], 120)}'" for n in match.added[:SHOWN_LINES])
        more = f" and {len(match.added) - SHOWN_LINES} more lines" if len(match.added) > SHOWN_LINES else ""
        where = Evidence(rel, TEXT_POINTER, match.added[0])
        message = (
            f"{name} is not the text of {texts}: it adds or changes wording of its own ({quoted}{more}), so its terms "
            "are unknown until a person reads them"
        )
        raw = "LicenseRef-modified-" + "-and-".join(match.licenses)
        return [LicenseStatement(raw, where)], [Problem("modified-license", message, where)]
    short = len(_WORD.findall(text, 0, 20_000)) <= MAX_NOTICE_WORDS
    named = _named(text, rel) if short and not notice else []
    if named:
        return named, []
    message = f"{name} text matches no known license (best: {_best(match)})"
    return [], [Problem("unidentified-license", message, Evidence(rel, TEXT_POINTER, 1))]


def _named(text: str, rel: str) -> list[LicenseStatement]:
    """The licenses a notice names: by an SPDX-License-Identifier line, a sentence ("licensed under
    X", read as a card body's) or, where neither does, a license's URL, each with its line."""
    found = [
        LicenseStatement(tag.group(1), Evidence(rel, f"{NAMED} (SPDX-License-Identifier)", _line(text, tag.start())))
        for tag in _SPDX_TAG.finditer(text)
    ]
    lines: set[int] = set()
    for said, link, line, shape in stated_licenses(text, 1):
        if line not in lines:  # the first reading of a sentence; the others are the card reader's fallbacks
            lines.add(line)
            where = Evidence(rel, f"{NAMED} ({shape})", line)
            found.append(LicenseStatement(None, where, name=said, link=link, name_evidence=where, link_evidence=where))
    linked = {s.link for s in found}
    for url in (u.group(0).rstrip(".,;:") for u in _URL.finditer(text) if not found):
        if url not in linked and _LICENSE_URL.search(url):
            linked.add(url)
            where = Evidence(rel, f"{NAMED} (URL)", _line(text, text.index(url)))
            found.append(LicenseStatement(None, where, link=url, link_evidence=where))
    return found[:MAX_HELD]


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _best(match: Match) -> str:
    if match.license is None:
        return "none"
    unknown = "" if match.known else ", a license the knowledge base does not cover"
    return f"{match.license} at {match.score:.2f}{unknown}"


def identify(text: str) -> Match:
    """The best-matching reference license for `text`, with its Dice score (0..1), the texts it holds
    and the lines it adds to them."""
    words = _words(text)
    shingles = _shingle_set([w for w, _, tag in words if not tag])
    best = Match(None, 0.0)
    for (license_id, known), (reference, _) in _references().items():
        score = _dice(shingles, reference)
        if score > best.score:
            best = Match(license_id, score, known)
    picked, covered = _cover(words, shingles)
    kept = license_parts.whole([license_id for (license_id, _), _ in picked])
    held = tuple(key for key, _ in picked if key[0] in kept)
    changed = {line for key, span in picked for line in _changed(words, key, span)} if held else set()
    added = tuple(sorted({*_added(words, covered), *changed})) if held else ()
    own = " ".join(w for (w, _, _), done in zip(words, covered, strict=True) if not done)
    return Match(best.license, best.score, best.known, held, added, len(held) > 1 and bool(_CHOICE.search(own)))


def _changed(words: list[Word], key: tuple[str, bool], span: set[int]) -> list[int]:
    """The lines where the text departs from the held reference `key` within the words it covers."""
    inside = words[min(span) : max(span) + 1]
    return [inside[i][1] for i in licensediff.departures([(w, tag) for w, _, tag in inside], _aligned(key))]


def _cover(words: list[Word], shingles: frozenset[Shingle]) -> tuple[list[Held], list[bool]]:
    """The reference texts the text holds, picked greedily by the words each covers that those
    picked before do not (at least half its own: a text, not a shared sentence), in their order in
    the text, each with the positions of the words it covers first (those of another text it shares a
    sentence with are that text's); and which words they cover (a tag line's are the holder's, covered).
    A part of a license (texts/parts/) is compared only beside the license it belongs to."""
    references = _references()
    candidates = {key: full for key, (plain, full) in references.items() if _holds(shingles, plain)}
    held = {license_id for license_id, _ in candidates}
    parts = {key: (plain, full) for key, (of, plain, full) in _appendices().items() if of in held}
    references = {**references, **{key: texts for key, texts in parts.items() if _holds(shingles, texts[0])}}
    candidates |= {key: references[key][1] for key in parts if key in references}
    covered = [tag for _, _, tag in words]
    picked: list[Held] = []
    while candidates and len(picked) < MAX_HELD:
        spans = {key: _covers(words, reference) for key, reference in candidates.items()}
        new_words = {k: sum(1 for i in spans[k] if not covered[i]) for k in spans}
        # the most words; of texts covering about as many (BSD-3-Clause inside BSD-3-Clause-Clear), the closest
        most = max(new_words.values())
        key = max((k for k in spans if new_words[k] > most - SHINGLE), key=lambda k: _dice(shingles, references[k][0]))
        new = [i for i in spans[key] if not covered[i]]
        if len(new) < max(ADDED_RUN, len(spans[key]) / 2):
            break
        for i in new:
            covered[i] = True
        picked.append((key, set(new)))
        del candidates[key]
    return sorted(picked, key=lambda held: min(held[1])), covered


def _holds(shingles: frozenset[Shingle], reference: frozenset[Shingle]) -> bool:
    """Whether the text is the reference as a whole, or holds it in full among other text."""
    return bool(reference) and max(_dice(shingles, reference), len(shingles & reference) / len(reference)) >= THRESHOLD


def _covers(words: list[Word], reference: frozenset[Shingle]) -> set[int]:
    """The positions of the words that are part of a shingle of the reference."""
    found: set[int] = set()
    for i in range(len(words) - SHINGLE + 1):
        if tuple(w for w, _, _ in words[i : i + SHINGLE]) in reference:
            found.update(range(i, i + SHINGLE))
    return found


def _added(words: list[Word], covered: list[bool]) -> tuple[int, ...]:
    """The lines of every run of ADDED_RUN or more words in a row that no held text covers."""
    lines: set[int] = set()
    run: list[int] = []
    for (_, line, _), done in zip([*words, ("", 0, True)], [*covered, True], strict=True):
        if not done:
            run.append(line)
            continue
        if len(run) >= ADDED_RUN:
            lines.update(run)
        run = []
    return tuple(sorted(lines))


@cache
def reference_texts() -> dict[tuple[str, bool], str]:
    """Every reference text, keyed by (license id, known to the knowledge base): read once, for the
    matcher here and for the license documents' own copyright lines (shipped.py)."""
    return {
        (path.stem, known): path.read_text(encoding="utf-8")
        for folder, known in ((texts_dir(), True), (texts_dir() / "other", False))
        for path in sorted(folder.glob("*.txt"))
    }


@cache
def _aligned(key: tuple[str, bool]) -> licensediff.Reference:
    """The reference text `key` (a license's or a part's) word by word, as licensediff aligns a text with it."""
    text = reference_texts().get(key) or (texts_dir() / f"{key[0]}.txt").read_text(encoding="utf-8")
    lines = text.lower().split("\n")
    return licensediff.reference([(w, lines[line - 1], tag) for w, line, tag in _words(text)])


@cache
def _references() -> dict[tuple[str, bool], tuple[frozenset[Shingle], frozenset[Shingle]]]:
    """Shingles of every reference text: without its tag lines, to score a text, and with them, to
    tell which words of a text it has (a reflowed text has them mid-line)."""
    found = {}
    for key, text in reference_texts().items():
        words = _words(text)
        found[key] = _shingle_set([w for w, _, tag in words if not tag]), _shingle_set([w for w, _, _ in words])
    return found


@cache
def _appendices() -> dict[tuple[str, bool], tuple[str, frozenset[Shingle], frozenset[Shingle]]]:
    """Shingles of each part that is no license of its own (texts/parts/), keyed as a reference
    text is, with the text of the license it belongs to: compared only beside that license."""
    found = {}
    for part in license_parts.parts():
        if (part.text, True) not in _references():
            words = _words((texts_dir() / f"{part.text}.txt").read_text(encoding="utf-8"))
            found[part.text, True] = (
                part.of,
                _shingle_set([w for w, _, tag in words if not tag]),
                _shingle_set([w for w, _, _ in words]),
            )
    return found


def _words(text: str) -> list[Word]:
    """(word, line from 1, on a tag line) of `text`, lowercased, without punctuation."""
    found: list[Word] = []
    for number, line in enumerate(text.lower().split("\n"), start=1):  # the file's lines: no U+2028 ends one
        words = _WORD.findall(line.replace("licence", "license"))
        tag = bool(_TAG_LINE.match(line.strip())) or (words[:1] == ["copyright"] and len(words) < ADDED_RUN)
        found += [(word, number, tag) for word in words]
        if len(found) >= MAX_WORDS:
            return found[:MAX_WORDS]
    return found


def _shingle_set(words: list[str]) -> frozenset[Shingle]:
    return frozenset(zip(*(words[i:] for i in range(SHINGLE)), strict=False))


def _dice(a: frozenset[Shingle], b: frozenset[Shingle]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))
