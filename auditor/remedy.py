"""Remedies: what would clear a license conflict, as the repair search (auditor/repair.py) finds it.

A `Remedy` is the outcome for one target (the release as a whole, or one conflict finding): the
smallest `Change`s found, or why there are none. A change edits the release itself (renames it,
adds a text to its card or folder, relicenses it), removes upstream assets (or relicenses them, or
curates a misread license) and takes assets under another of their license alternatives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from auditor.vocabulary import EditKind


@dataclass(frozen=True)
class Edit:
    """A change to the release itself, concrete enough to make: rename (value: its new name, file:
    its folder), add_text (value: the text, file: the card, or the empty use policy file, it goes
    in), add_file (value: the file's text, file: the path to write) or relicense (value: the license
    id, file: the card declaring it); `says` is what to do, in plain words."""

    kind: EditKind
    value: str
    file: str | None
    says: str


@dataclass(frozen=True)
class Change:
    """One smallest change, assets named as reports name them: edits of the release, assets
    removed, (asset, licenses) taken under another alternative, and the rules of error-level
    conflicts the change brings about."""

    remove: tuple[str, ...]
    choose: tuple[tuple[str, str], ...]
    raises: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = ()

    def says(self) -> str:
        """The whole change in plain words: its edits of the release, then its upstream changes."""
        it = "them" if len(self.remove) > 1 else "it"
        parts = [e.says for e in self.edits]
        if self.remove:
            parts.append(f"remove {', '.join(self.remove)} from the lineage (or relicense {it})")
        parts += [f"take {asset} under {licenses}" for asset, licenses in self.choose]
        brings = f" (this brings about {', '.join(self.raises)})" if self.raises else ""
        return "; and ".join(parts) + brings


@dataclass(frozen=True)
class Remedy:
    """found (with its smallest changes), impossible, not-computed or not-needed; the note says what
    the changes mean or why there are none."""

    status: str
    changes: tuple[Change, ...]
    note: str
    set_aside: tuple[str, ...] = ()  # the release's: the resolved conflicts it need not clear (finding ids)


@dataclass(frozen=True)
class Remedies:
    """The repair search's answer: the release's remedy, and each conflict finding's (by finding id)."""

    release: Remedy
    findings: Mapping[str, Remedy]
