"""Documentation profiles (rules/profiles/*.yaml): the card sections each kind of asset needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from auditor.resources import rules_dir


@dataclass(frozen=True)
class Profile:
    id: str
    applies_to: str
    source: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (section, accepted headings)
    required: tuple[str, ...]


@cache
def normalise_heading(text: str) -> str:
    """Headings compare without case, punctuation or markup: 'Bias, Risks & Limitations' -> 'bias risks limitations'."""
    text = re.sub(r"\[optional\]", " ", text.lower()).replace("&", " and ")
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    return " ".join(w for w in words if w != "and")


@cache
def load(folder: Path | None = None) -> dict[str, Profile]:
    folder = folder or rules_dir() / "profiles"
    profiles = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sections = tuple((s["section"], tuple(s.get("headings", [s["section"]]))) for s in data["sections"])
        required = tuple(s["section"] for s in data["sections"] if s.get("required"))
        profiles[data["id"]] = Profile(data["id"], data["applies_to"], data["source"], sections, required)
    return profiles
