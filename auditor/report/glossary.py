"""The report's glossary (reports/templates/glossary.yaml): which of its terms a report uses, and
report text with each use linked to its entry.

A report lists only the entries it uses: html.render renders the page once without a glossary,
reads which terms its text shows, and renders it again with those. Linking works on the raw text:
each piece is escaped on its own and each match becomes a link, so no pattern can produce markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

from auditor.readers import safeyaml
from auditor.resources import templates_dir

FIELDS = ("id", "term", "pattern", "explains")


@dataclass(frozen=True)
class Entry:
    id: str  # the anchor: #g-<id>
    term: str
    pattern: str
    explains: str


@cache
def entries() -> tuple[Entry, ...]:
    """The glossary, in its order; a malformed file is a bug of the installation, not of an input."""
    data = safeyaml.load((templates_dir() / "glossary.yaml").read_text(encoding="utf-8"))
    found = []
    for item in data:
        if sorted(item) != sorted(FIELDS) or not re.fullmatch(r"[a-z][a-z0-9-]*", item["id"]):
            raise ValueError(f"glossary.yaml: malformed entry {item!r}")
        if re.compile(item["pattern"]).groups:  # each entry is one named group of the matcher
            raise ValueError(f"glossary.yaml: {item['id']}: use (?:...), not a capturing group")
        found.append(Entry(**{k: str(item[k]) for k in FIELDS}))
    return tuple(found)


@cache
def _matcher(ids: tuple[str, ...]) -> tuple[re.Pattern[str], tuple[Entry, ...]] | None:
    """One pattern for the entries `ids`, a named group each (earlier entries win a tie), and the
    entries in the groups' order."""
    chosen = tuple(e for e in entries() if e.id in ids)
    if not chosen:
        return None
    return re.compile("|".join(f"(?P<g{i}>{e.pattern})" for i, e in enumerate(chosen))), chosen


def used(text: str) -> tuple[Entry, ...]:
    """The entries whose term occurs in `text` (a rendered report's text), in glossary order."""
    return tuple(e for e in entries() if _occurs(e.pattern, text))


def _occurs(pattern: str, text: str) -> bool:
    """Whether `pattern` matches in `text`. A leading word boundary keeps the regex engine from
    skipping ahead to the term's first letters, and most terms are absent from a long page: the
    rest of the pattern finds each candidate start quickly, and the whole pattern is tried there."""
    if not pattern.startswith(r"\b"):
        return re.search(pattern, text) is not None
    whole, rest, start = re.compile(pattern), re.compile(pattern[2:]), 0
    while (candidate := rest.search(text, start)) is not None:
        if whole.match(text, candidate.start()):
            return True
        start = candidate.start() + 1
    return False


def linked(text: str, shown: tuple[Entry, ...]) -> Markup:
    """`text` escaped, each use of a term of `shown` a link to its entry."""
    found = _matcher(tuple(e.id for e in shown))
    if found is None:
        return escape(text)
    matcher, chosen = found
    pieces, last = [], 0
    for match in matcher.finditer(text):
        if not match[0]:
            continue
        entry = chosen[int(str(match.lastgroup)[1:])]
        pieces += [escape(text[last : match.start()]), _link(entry, match[0])]
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def _link(entry: Entry, text: str) -> Markup:
    return Markup(f'<a class="term" href="#g-{escape(entry.id)}">{escape(text)}</a>')
