"""The manifest formats harvest reads, each described by its reader module.

A reader module declares what its format means to the later stages beside its name (`Format`), and
how files of it are found and read (`Reader`). Adding a format is the reader module and one line in
READERS: the graph's precedence between formats (FORMAT_ORDER), the version-pinning check
(PINNABLE) and the identity the Hub's folder layout gives (HUB_LAYOUT) are derived here, so a new
format can neither rank last nor escape a check unnoticed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from auditor.harvest import (
    croissant,
    cyclonedx,
    hfcard,
    hubtable,
    modelfolder,
    mof,
    openml,
    schemaorg,
    spdx2,
    spdx3,
)
from auditor.harvest.layout import Context
from auditor.model import AssetRecord, Problem


class Format(Protocol):
    """What a manifest format means beyond its files."""

    FORMAT: str  # the name shown in the inventory and carried by every record and edge
    RANK: int  # precedence when records of one asset disagree, lowest first
    PINNABLE: bool  # its references can carry a version, so an unpinned one is worth reporting
    HUB_LAYOUT: bool  # its record id is the Hub id by construction (from the folder layout)
    IN_FOLDER: bool  # its file lies in the asset's own folder, beside its card and weights


class Reader(Format, Protocol):
    """A format read from any file it recognises (the card, README.md, is read apart: see hfcard)."""

    def detect(self, path: Path, head: bytes) -> bool:
        """A cheap test on the file's name and head (sniff: the first 4 KB, decoded; or a JSON object's top-level
        marker members; or an XML, YAML or tag-value file's 4 KB past its leading comments, prolog)."""
        ...

    def read(self, path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]:
        """The records the file describes, and the problems met reading it."""
        ...


CARD: Format = hfcard
# In detection order: the first reader whose `detect` accepts a file reads it.
READERS: tuple[Reader, ...] = (modelfolder, croissant, spdx3, spdx2, cyclonedx, openml, schemaorg, mof, hubtable)
FORMATS: tuple[Format, ...] = (CARD, *READERS)

FORMAT_ORDER = tuple(f.FORMAT for f in sorted(FORMATS, key=lambda f: f.RANK))
PINNABLE = frozenset(f.FORMAT for f in FORMATS if f.PINNABLE)
HUB_LAYOUT = frozenset(f.FORMAT for f in FORMATS if f.HUB_LAYOUT)
IN_FOLDER = frozenset(f.FORMAT for f in FORMATS if f.IN_FOLDER)
