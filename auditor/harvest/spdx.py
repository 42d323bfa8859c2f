"""What the SPDX 2 and SPDX 3 readers share: record ids, where a package is on the Hub, lineage codes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple, TypeGuard

from auditor.identity import hub_id, purl_version, split_url
from auditor.model import UNREAD_TYPE, VARIANT, AssetRecord, Evidence, Problem, Reference, variant_told
from auditor.naming import asset_key
from auditor.readers.values import JSON, type_name
from auditor.vocabulary import Scheme


def record_ids(packages: list[tuple[str, str, str | None]]) -> dict[str, str]:
    """(element id, name, version) -> record id: the name, told apart by version, then by element id,
    where names repeat in one document (record references must name one record)."""
    names = Counter(name for _, name, _ in packages)
    ids = {pid: f"{name}@{version}" if names[name] > 1 and version else name for pid, name, version in packages}
    taken = Counter(ids.values())
    return {pid: value if taken[value] == 1 else f"{value} ({pid})" for pid, value in ids.items()}


def shared_values(values: Iterable[object]) -> set[str]:
    """Values (download URLs) that several packages give: they identify none of them."""
    count = Counter(v for v in values if isinstance(v, str))
    return {v for v, n in count.items() if n > 1}


class Hub(NamedTuple):
    """Where a package is on the Hugging Face Hub, and the field that says so."""

    kind: str
    id: str
    revision: str | None
    basis: str
    field: str


def hub_of(purls: list[tuple[str, str]], urls: list[tuple[object, str]]) -> Hub | None:
    """The Hub asset a Hugging Face purl names, else a Hub URL; both given as (value, field) pairs."""
    for purl, name in purls:
        found = hub_id("purl", purl)
        if found and found[1]:
            return Hub(found[0], found[1], purl_version(purl), "purl pkg:huggingface", name)
    for url, name in urls:
        found = hub_id("url", url) if is_url(url) else None
        if found and found[1]:
            return Hub(found[0], found[1], None, f"Hugging Face Hub URL in {name}", name)
    return None


def is_url(value: object) -> TypeGuard[str]:
    """A URL that can be taken apart: urlsplit raises on some strings (an unclosed '[' host)."""
    return isinstance(value, str) and "://" in value and split_url(value) is not None


def shape(value: JSON) -> str:
    """The JSON name of a value's type, for messages (SPDX's word for a missing value: no value)."""
    return "no value" if value is None else type_name(value, "list")


def element_scheme(iri: str) -> str:
    """How a reference names an element of another document: by its IRI where a fragment names the
    element (`<namespace>#<id>`), else as the URL it is."""
    parts = split_url(iri)
    return Scheme.ELEMENT if parts is not None and parts.fragment else Scheme.URL


# A model built from data was trained on it; the program that trained it is a tool, whose terms do not
# reach what it outputs (as a compiler's do not, GPL-3.0 s2).
_TRAINED_WITH = {"dataset": "trained_on", "code": "uses_tool"}


def lineage_relation(code: str, child_kind: str, parent_kind: str) -> str:
    """descendant: finetune between two models; generated: generated_by for a model's output. What is
    only used to make or test the child is in none of it: `used` (a test or development dependency, a
    test) is software the child was built or tested with, or else data it was evaluated on; `build`
    (a build dependency) is such software, or else material the build puts in the child. `built`: an
    input of the build or workflow that output the child: a model is trained on its data and with its
    software, anything else comes from its inputs as from what generated it."""
    if code == "built" and child_kind == "model" and parent_kind in _TRAINED_WITH:
        return _TRAINED_WITH[parent_kind]
    if code == "built":
        return lineage_relation("generated", child_kind, parent_kind)
    if code == "descendant":
        return "finetune" if child_kind == parent_kind == "model" else "derived_from"
    if code == "generated":
        return "generated_by" if parent_kind == "model" and child_kind != "model" else "derived_from"
    if code in ("used", "build") and parent_kind == "code":
        return "uses_tool"
    return {"used": "evaluated_on", "build": "depends_on", "tool": "uses_tool"}.get(code, code)


def variant(record: AssetRecord, other: str, evidence: Evidence) -> Problem:
    """VARIANT_OF, variantOf, hasVariant: told about the record that states it, not followed."""
    return Problem(VARIANT, variant_told(record.id, other), evidence, asset_key(record.kind, record.id))


_LICENSE_WORD = re.compile(r"[\w.+:-]+")
_OPERATORS = frozenset({"AND", "OR", "WITH"})


def adds_licenses(part: Iterable[str | None], whole: Iterable[str | None]) -> bool:
    """Whether a part's license statements name a license its package's statements do not: a file
    under one of the package's own licenses adds no term and is no record of its own."""
    return bool(_named(part) - _named(whole))


def _named(raws: Iterable[str | None]) -> set[str]:
    """The license ids and LicenseRefs of expressions, without their operators."""
    return {word for raw in raws for word in _LICENSE_WORD.findall(raw or "") if word.upper() not in _OPERATORS}


def unread_type(kind: str, record: AssetRecord | None, other: str, evidence: Evidence) -> Problem:
    """A relationship of a type read neither as lineage nor as a license (SPDX OTHER, whose meaning is
    in its comment) from `record` to `other`: told, so that a person reads it, never dropped."""
    about = f" from {record.id} to {other}" if record else f" to {other}"
    told = f"relationship type {kind}{about} is not read as lineage or license: what it says is not followed"
    return Problem(UNREAD_TYPE, told, evidence, asset_key(record.kind, record.id) if record else None)


def record_reference(
    target: AssetRecord, code: str, child: AssetRecord, evidence: Evidence, basis: str = "declared"
) -> Reference:
    """A lineage reference to another record of the same document, pinned to its revision or version."""
    relation = lineage_relation(code, child.kind, target.kind)
    return Reference(target.id, target.kind, relation, evidence, basis, "record", target.revision or target.version)


def add_reference(record: AssetRecord, reference: Reference | None) -> None:
    """`reference` added to the record; `drop_repeats` keeps one per target and relation afterwards."""
    if reference:
        record.references.append(reference)


def drop_repeats(records: Iterable[AssetRecord]) -> None:
    """Each record's references kept once per target and relation (the first stated), in one pass
    over them: a document may state one relationship thousands of times."""
    for record in records:
        seen: set[tuple[str, str]] = set()
        kept = []
        for reference in record.references:
            if (reference.target, reference.relation) not in seen:
                seen.add((reference.target, reference.relation))
                kept.append(reference)
        record.references = kept


def owner(element: str, records: dict[str, AssetRecord], containers: dict[str, str]) -> str | None:
    """The package an element is, or the nearest package that contains it (a file, a snippet): what a
    relationship says of a part it says of the package, whose part it is."""
    seen = set()
    while element not in records:
        if element in seen or element not in containers:
            return None
        seen.add(element)
        element = containers[element]
    return element


def lifted(source: str, kind: str, target: str) -> str:
    """The basis of a reference lifted from the parts a relationship names to their packages."""
    return f"declared of contained files: {source} {kind} {target}"
