"""mlaudit's own namespace in the CycloneDX and SPDX 3 documents it exports, read back.

An export must audit as the folder it was written from did. Where a format has a word for a fact
(a training dataset, a descendant, a license) the export uses it; where the word is lossy (every
lineage edge a CycloneDX dependency, every derivation an SPDX descendantOf) or missing (an asset
only referenced, never described), the export adds an `mlaudit:` property (vocabulary.ExportProperty).
The readers take the property over the generic reading only in that namespace: another tool's
properties never change what a document's own vocabulary says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from auditor.model import KINDS, AssetRecord
from auditor.vocabulary import NAMESPACE, RELATIONS, ExportProperty, Scheme


def own(pairs: Iterable[tuple[object, object]]) -> dict[str, str]:
    """The mlaudit-namespace (name, value) string pairs, the first value of each name."""
    found: dict[str, str] = {}
    for name, value in pairs:
        if isinstance(name, str) and name.startswith(NAMESPACE) and isinstance(value, str):
            found.setdefault(name, value)
    return found


def kind(properties: dict[str, str], default: str) -> str:
    value = properties.get(ExportProperty.KIND)
    return value if value in KINDS else default


def relation(value: str | None) -> str | None:
    """A lineage relation mlaudit knows, else None (the generic reading stands)."""
    return value if value in RELATIONS else None


def unresolved(properties: dict[str, str]) -> bool:
    return properties.get(ExportProperty.RESOLVED) == "false"


def unresolve(records: list[AssetRecord], gone: set[str]) -> list[AssetRecord]:
    """The records without those an export marks unresolved: an asset only referenced is not
    described by the export either, so references to it name its id, match nothing, and it is
    unresolved again, as it was in the audit that wrote the export."""
    kept = [r for r in records if r.id not in gone]
    for record in kept:
        record.references = [
            replace(ref, scheme=Scheme.HUB) if ref.scheme == Scheme.RECORD and ref.target in gone else ref
            for ref in record.references
        ]
    return kept
