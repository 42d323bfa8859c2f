"""Remedies: what would clear a license conflict, as the repair search (auditor/repair.py) finds it.

A `Remedy` is the outcome for one target (the release as a whole, or one conflict finding): the
smallest `Change`s found, or why there are none. A change removes upstream assets (or relicenses
them, or curates a misread license) and takes assets under another of their license alternatives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One smallest change, assets named as reports name them: assets removed, (asset, licenses)
    taken under another alternative, and the rules of error-level conflicts the change brings about."""

    remove: tuple[str, ...]
    choose: tuple[tuple[str, str], ...]
    raises: tuple[str, ...] = ()


@dataclass(frozen=True)
class Remedy:
    """found (with its smallest changes), impossible, not-computed or not-needed; the note says what
    the changes mean or why there are none."""

    status: str
    changes: tuple[Change, ...]
    note: str


@dataclass(frozen=True)
class Remedies:
    """The repair search's answer: the release's remedy, and each conflict finding's (by finding id)."""

    release: Remedy
    findings: Mapping[str, Remedy]
