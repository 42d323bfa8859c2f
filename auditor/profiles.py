"""Documentation profiles (rules/profiles/*.yaml): the documentation items an asset should carry.

Profiles are data; the rules decide which items each asset meets (rules/lib/documentation.lp).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path

from auditor.model import Section
from auditor.readers import safeyaml
from auditor.vocabulary import SectionStatus

DEFAULT_PROFILES = ("hf-model-card", "hf-dataset-card", "spdx3-ai", "spdx3-dataset")


@dataclass(frozen=True)
class Item:
    id: str
    headings: tuple[str, ...]
    fields: tuple[str, ...]
    license: bool
    required: bool
    how_to_fix: str
    clause: str = ""  # where the profile's source asks for the item
    keywords: tuple[str, ...] = ()  # normalised; a heading that mentions one means the item too

    @property
    def expected(self) -> str:
        """What would meet the item, as a reader should look for it."""
        named = " or ".join(repr(h) for h in self.headings[:3])
        also = f" (or any heading with {' or '.join(repr(k) for k in self.keywords[:3])})" if self.keywords else ""
        parts = [f"a filled-in section headed {named}{also}"] if self.headings else []
        parts += [f"the field {' or '.join(repr(f) for f in self.fields[:3])}"] if self.fields else []
        parts += ["a declared license"] if self.license else []
        return "; or ".join(parts) + (f" ({self.clause})" if self.clause else "")


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    applies_to: tuple[str, ...]
    source: str
    items: tuple[Item, ...]
    formats: tuple[str, ...] = ()  # when set, only assets described in one of these formats

    @cached_property
    def _meant(self) -> dict[tuple[str, bool], tuple[str, ...]]:
        return {}  # (normalised heading, title) -> item ids: cards repeat the same headings

    def items_meant(self, heading: str, title: bool) -> tuple[str, ...]:
        """The ids of the items a section under the normalised `heading` can meet (see `items_meant`)."""
        found = self._meant.get((heading, title))
        if found is None:
            found = self._meant[heading, title] = tuple(
                i.id
                for i in self.items
                if heading in map(normalise_heading, i.headings)
                or (not title and any(mentions(heading, k) for k in i.keywords))
            )
        return found


class ProfileError(ValueError):
    """An unknown profile was selected."""


@cache
def normalise_heading(text: str) -> str:
    """Headings compare without case, punctuation, markup or numbering:
    '2.1 **Bias, Risks & Limitations**' -> 'bias risks limitations'."""
    text = re.sub(r"\[optional\]", " ", text.lower()).replace("&", " and ")
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    while words and words[0].isdigit():
        words.pop(0)
    return " ".join(w for w in words if w != "and")


def mentions(heading: str, keyword: str) -> bool:
    """Whether the normalised `heading` holds the normalised `keyword`'s words in a row, each whole or
    with a plural ending: 'limitation' is in 'known limitations', 'bias' in 'biases', but 'harm' is not
    in 'harmonised' nor 'personal' in 'personalization'. A word that means the item only in some
    company is a keyword only with it ('sensitive information', not 'case-sensitive')."""
    words, key = heading.split(), keyword.split()
    starts = range(len(words) - len(key) + 1)
    return any(all(map(_inflects, words[i : i + len(key)], key)) for i in starts)


def _inflects(word: str, key: str) -> bool:
    """Whether `word` is `key` or its plural: 'risks', 'biases', 'modalities'."""
    return word in (key, key + "s", key + "es") or (key.endswith("y") and word == key[:-1] + "ies")


def items_meant(profiles: Mapping[str, Profile], heading: str, title: bool = False) -> list[tuple[str, str]]:
    """(profile, item) pairs a card section under the normalised `heading` can meet: those that list
    the heading, and those with a keyword it mentions (real cards word headings in many ways). A
    card's title names the asset, not a section ('credit-risk-v1' says nothing of risks): only listed
    headings count there."""
    return [(p.id, item) for p in profiles.values() for item in p.items_meant(heading, title)]


def credited(profiles: Mapping[str, Profile], sections: list[Section]) -> list[tuple[Section, str, str, str]]:
    """(section, profile, item, status) for each item a section's heading means: the status is the
    best of its own text and the text of its sub-sections that do not mean other items instead, and the
    section's `judged` the line that gave it, from its own text or such a sub-section's.
    "Training Details" is filled by its "Training Hyperparameters" (the same item, Training
    Procedure) or an unnamed "Settings", but its "Training Data" counts only for Training Data.
    Headings nest at most six deep, so this is linear in the sections."""
    meant = [
        items_meant(profiles, normalise_heading(s.heading), title=n == 0 and s.level == 1)
        for n, s in enumerate(sections)
    ]
    found = []
    for n, section in enumerate(sections):
        for profile, item in meant[n]:
            best = _earned(sections, meant, n, (profile, item))
            found.append((replace(section, judged=best.judged), profile, item, best.status))
    return found


def _earned(sections: list[Section], meant: list[list[tuple[str, str]]], n: int, item: tuple[str, str]) -> Section:
    """The section whose status section `n` earns for `item` (itself or a sub-section); a sub-section
    meaning other items is left out with everything under it."""
    best, excluded = sections[n], 7  # the level of the sub-section left out, if any
    for m in range(n + 1, len(sections)):
        level = sections[m].level
        if level <= sections[n].level:
            break
        if level > excluded:
            continue
        excluded = level if _claims(sections[m], meant[m], meant[n], item) else 7
        if excluded == 7 and SectionStatus(sections[m].status).rank > SectionStatus(best.status).rank:
            best = sections[m]
    return best


def _claims(sub: Section, own: list[tuple[str, str]], parent: list[tuple[str, str]], item: tuple[str, str]) -> bool:
    """Whether a sub-section meaning the items `own` keeps its text from `item` of its section (which
    means `parent`): a heading meaning other items does. A labelled paragraph is a paragraph of its
    section, under a label that may be as general as "**Overview** ..." under "Training Data": it keeps
    its text only from an item its section shares with another its label means ("Intended uses &
    limitations" holding "**Limitations:** ...", which says nothing of uses)."""
    if not own or item in own:
        return False
    return not sub.label or bool(set(own) & set(parent))


def load(folder: Path) -> dict[str, Profile]:
    """Checklist profiles by id, from rules/profiles/ (the mof classification is computed elsewhere)."""
    profiles = {}
    for path in sorted(folder.glob("*.yaml")):
        data = safeyaml.load(path.read_text(encoding="utf-8"))
        if "items" not in data:
            continue
        items = tuple(
            Item(
                i["item"],
                tuple(i.get("headings", ())),
                tuple(i.get("fields", ())),
                bool(i.get("license")),
                bool(i.get("required")),
                " ".join(i["how_to_fix"].split()),
                i.get("clause", ""),
                tuple(normalise_heading(k) for k in i.get("keywords", ())),
            )
            for i in data["items"]
        )
        profiles[data["id"]] = Profile(
            data["id"],
            data.get("name", data["id"]),
            tuple(data["applies_to"]),
            data["source"],
            items,
            tuple(data.get("formats", ())),
        )
    return profiles


def selected(names: tuple[str, ...], available: Iterable[str]) -> tuple[str, ...]:
    """The profiles an audit uses (the defaults when none is named) among the `available` checklists
    and mof; unknown names are an error."""
    known = set(available) | {"mof"}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ProfileError(f"unknown documentation profile(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return tuple(names) or DEFAULT_PROFILES
