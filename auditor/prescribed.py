"""What licenses prescribe of a release's name and card (a name prefix, a "Built with ..." line,
phrases that restate use restrictions), and whether a name or a text meets it: read by the facts
(name_starts, card_mentions, card_negates) and by the changes the repair search may make to the release.
"""

from __future__ import annotations

import re
from functools import cache

from auditor.licenses import KnowledgeBase

_NEGATION = re.compile(r"\b(?:not|no|never|without|nor)\b|n't\b")
_CLAUSE_END = re.compile(r"[.!?;:,\n]")


def prescribed(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(term, value): every name prefix, statement and phrase a license of the knowledge base
    prescribes or accepts, which the release's name and card are read for (not the notices, which
    its NOTICE is read for)."""
    return sorted(
        {
            (t.term, v)
            for lic in kb.licenses.values()
            for t in lic.terms
            if kb.term_kinds[t.term].get("check") != "notice"
            for v in (*(t.values or kb.term_kinds[t.term].get("default_values", [])), *t.accepts)
        }
    )


def notices(kb: KnowledgeBase) -> list[str]:
    """Every notice text a license prescribes word for word (Llama 3 Section 1(b)(iii)), which the
    release's NOTICE is read for."""
    return sorted(
        {
            v
            for lic in kb.licenses.values()
            for t in lic.terms
            if kb.term_kinds[t.term].get("check") == "notice"
            for v in t.values
        }
    )


def states(notice: str, text: str) -> bool:
    """Whether a NOTICE file's text states a prescribed notice: any case, whitespace aside."""
    return " ".join(text.split()).casefold() in " ".join(notice.split()).casefold()


def negated(text: str, phrase: str) -> bool:
    """Whether every mention of the phrase in the (lowercased) text follows a negation in its own
    clause, the text since the last . ! ? ; : , or line break ("not Built with Llama 2"): such a card
    states the phrase without displaying it. A negation elsewhere in the sentence does not count, so
    "a model, not a service, Built with Llama" still displays it."""
    starts = [m.start() for m in re.finditer(re.escape(phrase.lower()), text)]
    return bool(starts) and all(_NEGATION.search(_CLAUSE_END.split(text[:s])[-1]) for s in starts)


def prefixes_met(name: str, kb: KnowledgeBase) -> list[str]:
    """The prescribed name prefixes a release's name begins with (name_starts)."""
    return [v for term, v in prescribed(kb) if term == "naming_prefix" and begins_with(name, v)]


def phrases_in(text: str, kb: KnowledgeBase) -> list[str]:
    """The prescribed statements and phrases a card's text contains (card_mentions)."""
    lowered = text.lower()
    return [v for term, v in prescribed(kb) if term != "naming_prefix" and v.lower() in lowered]


def begins_with(name: str, prefix: str) -> bool:
    """Whether a model name begins with a prescribed prefix as the prefix is read in practice: any
    case, and spaces, hyphens or underscores (or none) between its words ("Llama3-ChatQA" begins
    with "Llama 3"); a prefix ending in a number is not met by a longer number ("Llama-30b")."""
    return re.match(_prefix_pattern(prefix), name, re.I) is not None


@cache
def _prefix_pattern(prefix: str) -> str:
    chunks = re.findall(r"[^\W\d_]+|\d+|[^\w\s-]", prefix)
    tail = r"(?!\d)" if chunks and chunks[-1].isdigit() else ""
    return r"[\s_-]*".join(map(re.escape, chunks)) + tail
