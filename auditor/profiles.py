"""Documentation profiles (rules/profiles/*.yaml): the documentation items an asset should carry.

Profiles are data; the rules decide which items each asset meets (rules/lib/documentation.lp).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from auditor.resources import rules_dir

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

    @property
    def expected(self) -> str:
        """What would meet the item, as a reader should look for it."""
        parts = [f"a filled-in section headed {' or '.join(repr(h) for h in self.headings[:3])}"] if self.headings else []
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


class ProfileError(ValueError):
    """An unknown profile was selected."""


@cache
def normalise_heading(text: str) -> str:
    """Headings compare without case, punctuation or markup: 'Bias, Risks & Limitations' -> 'bias risks limitations'."""
    text = re.sub(r"\[optional\]", " ", text.lower()).replace("&", " and ")
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    return " ".join(w for w in words if w != "and")


@cache
def load(folder: Path | None = None) -> dict[str, Profile]:
    """Checklist profiles by id (the mof classification profile is computed elsewhere)."""
    folder = folder or rules_dir() / "profiles"
    profiles = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "items" not in data:
            continue
        items = tuple(Item(i["item"], tuple(i.get("headings", ())), tuple(i.get("fields", ())), bool(i.get("license")),
                           bool(i.get("required")), " ".join(i["how_to_fix"].split()), i.get("clause", ""))
                      for i in data["items"])
        profiles[data["id"]] = Profile(data["id"], data.get("name", data["id"]), tuple(data["applies_to"]),
                                       data["source"], items, tuple(data.get("formats", ())))
    return profiles


def selected(names: tuple[str, ...]) -> tuple[str, ...]:
    """The profiles an audit uses (the defaults when none is named); unknown names are an error."""
    known = set(load()) | {"mof"}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ProfileError(f"unknown documentation profile(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return tuple(names) or DEFAULT_PROFILES
