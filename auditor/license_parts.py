"""Texts that are part of a license as its steward publishes it (rules/licenses/texts/parts.yaml).

LGPL-3.0 is the GPL-3.0 text supplemented by additional permissions and asks for both to be shipped;
Meta's Llama 3 LICENSE appends the Acceptable Use Policy its agreement incorporates. Such a text
beside its license is that license: read as a second license that also applies, it would turn the
LGPL's weak copyleft into the GPL's, or make Meta's own file a modified license of unknown terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from auditor.model import AssetRecord
from auditor.readers import safeyaml
from auditor.resources import rules_dir

TEXT_POINTER = "license text"  # the evidence pointer of a statement told from a license file's text


@dataclass(frozen=True)
class Part:
    text: str  # the reference text that is a part (texts/<text>.txt)
    of: str  # the reference text of the license it is part of
    licenses: tuple[str, ...]  # the ids the knowledge base gives that license
    clause: str
    source: str


def texts_dir() -> Path:
    return rules_dir() / "licenses" / "texts"


@cache
def parts() -> tuple[Part, ...]:
    data = safeyaml.load((texts_dir() / "parts.yaml").read_text(encoding="utf-8"))
    return tuple(
        Part(
            str(p["text"]),
            str(p["of"]),
            tuple(str(i) for i in p["licenses"]),
            " ".join(str(p["clause"]).split()),
            p["source"],
        )
        for p in data["parts"]
    )


def whole(held: list[str]) -> list[str]:
    """The texts of `held` (reference text names) that are not part of another of them."""
    return [t for t in held if not any(p.text == t and p.of in held for p in parts())]


def shipped_part(record: AssetRecord, stated: set[str]) -> bool:
    """A license file whose texts are all parts of a license the asset's other records state (`stated`:
    license ids), as COPYING holding the GPL-3.0 text beside a card's LGPL-3.0: a copy that license
    asks to be shipped, not a license of its own."""
    return (
        record.role == "license"
        and bool(record.licenses)
        and all(
            s.evidence.pointer.startswith(TEXT_POINTER)
            and any(p.text == s.raw and stated & set(p.licenses) for p in parts())
            for s in record.licenses
        )
    )
