"""SPDX 2 relationships as references between packages.

SPDX 2.3 §11 lets any element (package, file, snippet) be either end of a relationship; a file of a
package (hasFiles, CONTAINS, a tag-value file after its package) is part of it, so what a relationship
says of the file it says of the package. What cannot be placed on a package is told, never dropped.
"""

from __future__ import annotations

from auditor.harvest.spdx import (
    add_reference,
    adds_licenses,
    drop_repeats,
    is_url,
    lifted,
    lineage_relation,
    owner,
    record_reference,
    unread_type,
    variant,
)
from auditor.harvest.spdx2load import Loaded
from auditor.model import (
    INCOMPLETE,
    UNPLACED,
    UNREAD_ENTRY,
    AssetRecord,
    Evidence,
    LicenseStatement,
    Problem,
    Reference,
)
from auditor.naming import asset_key
from auditor.vocabulary import Scheme

# "X TYPE Y": X's record refers to Y ...
_FORWARD = {
    "DESCENDANT_OF": "descendant",
    "COPY_OF": "copy",
    "GENERATED_FROM": "generated",
    "EXPANDED_FROM_ARCHIVE": "copy",
    "CONTAINS": "contains",
    "STATIC_LINK": "contains",
    "DEPENDS_ON": "depends_on",
    "DYNAMIC_LINK": "depends_on",
    "HAS_PREREQUISITE": "depends_on",
    "FILE_MODIFIED": "descendant",  # "SPDXRef-A is a file that was modified from SPDXRef-B"
}
# ... or Y's record refers to X.
_REVERSE = {
    "ANCESTOR_OF": "descendant",
    "GENERATES": "generated",
    "CONTAINED_BY": "contains",
    "PACKAGE_OF": "contains",
    "OPTIONAL_COMPONENT_OF": "contains",
    "DEPENDENCY_OF": "depends_on",
    "BUILD_DEPENDENCY_OF": "build",
    "OPTIONAL_DEPENDENCY_OF": "depends_on",
    "PROVIDED_DEPENDENCY_OF": "depends_on",
    # only used to build, develop or test Y: in none of it (spdx.lineage_relation)
    **dict.fromkeys(("TEST_DEPENDENCY_OF", "DEV_DEPENDENCY_OF", "TEST_OF", "TEST_CASE_OF"), "used"),
    **dict.fromkeys(("BUILD_TOOL_OF", "DEV_TOOL_OF", "TEST_TOOL_OF"), "tool"),
    "RUNTIME_DEPENDENCY_OF": "depends_on",
    "PREREQUISITE_FOR": "depends_on",
    "DATA_FILE_OF": "depends_on",
    # material put into Y: "a patch file that has been applied to", "a file that was added to"
    "PATCH_APPLIED": "contains",
    "FILE_ADDED": "contains",
}
# Relationships of no lineage or license (documentation, metadata, a file deleted, what describes
# what); any other type (OTHER, PATCH_FOR: a patch not said to be applied) is told, not followed.
_NOT_LINEAGE = frozenset(
    {"DESCRIBES", "DESCRIBED_BY", "DEPENDENCY_MANIFEST_OF", "EXAMPLE_OF", "DISTRIBUTION_ARTIFACT"}
    | {"FILE_DELETED", "DOCUMENTATION_OF", "METAFILE_OF", "AMENDS", "REQUIREMENT_DESCRIPTION_FOR"}
    | {"SPECIFICATION_FOR", "VARIANT_OF"}
)


_HOLDING = frozenset({"CONTAINS", "CONTAINED_BY"})  # a package and its files: what places them, no lineage


def references(loaded: Loaded, records: dict[str, AssetRecord], rel: str) -> list[Problem]:
    """References from the relationships, and what could not be read; each VARIANT_OF ("not clear
    which came first", SPDX 2.3) is told, not followed."""
    document = loaded.document
    external = {r.document_ref_id: r.document_uri for r in document.creation_info.external_document_refs}
    parts = {f.spdx_id for f in document.files} | {s.spdx_id for s in document.snippets}
    containers = _containers(loaded, records, parts)
    told = []
    for r in document.relationships:
        a, kind, b = r.spdx_element_id, r.relationship_type.name, r.related_spdx_element_id
        evidence = Evidence(rel, f"relationships[{a} {kind} {b}]", loaded.relationship_lines.get((a, kind, str(b))))
        if not isinstance(b, str):  # NONE, or NOASSERTION: upstreams of this type not known
            told += _unknown(a, kind, str(b), records, containers, evidence)
            continue
        if kind == "VARIANT_OF" and a in records and b != a:
            told.append(variant(records[a], records[b].id if b in records else b, evidence))
        if kind not in _FORWARD and kind not in _REVERSE:
            if kind not in _NOT_LINEAGE:
                found, other = owner(a, records, containers), owner(b, records, containers)
                named = records[other].id if other else b
                told.append(unread_type(kind, records[found] if found else None, named, evidence))
            continue
        child, parent, code = (a, b, _FORWARD[kind]) if kind in _FORWARD else (b, a, _REVERSE[kind])
        if document.creation_info.spdx_id in (child, parent) or (kind in _HOLDING and _holds(child, parent, parts)):
            continue  # the document lists its elements; a package holding its files is no lineage
        told += _lineage((a, kind, b), child, parent, code, records, containers, external, evidence)
    _parts(loaded, records, containers, rel)
    drop_repeats(records.values())
    return told + _unrelated(loaded, records, rel)


def _parts(loaded: Loaded, records: dict[str, AssetRecord], containers: dict[str, str], rel: str) -> None:
    """A file of a package licensed otherwise than the package (its licenseConcluded, else the licenses
    found in it: licenseInfoInFiles) is a part the package contains: the licenses of parts all apply."""
    for file in loaded.document.files:
        package = owner(file.spdx_id, records, containers)
        stated = _file_license(file.license_concluded) or " AND ".join(
            found for found in map(_file_license, file.license_info_in_file or []) if found
        )
        if package is None or not stated:
            continue
        whole = records[package]
        if not adds_licenses([stated], (s.raw for s in (*whole.licenses, *whole.concluded))):
            continue
        evidence = Evidence(rel, f"files[{file.spdx_id}]", loaded.lines.get(file.spdx_id))
        kind = "dataset" if any(t.name == "DATA" for t in file.file_types or []) else "code"
        part = AssetRecord(f"{whole.id}/{file.name.removeprefix('./')}", kind, rel, format=whole.format)
        part.kind_basis, part.version, part.revision = "file", whole.version, whole.revision
        part.concluded = [LicenseStatement(stated, evidence)]
        records[file.spdx_id] = part
        basis = f"declared: {file.name} is a file of {whole.id}"
        add_reference(whole, record_reference(part, "contains", whole, evidence, basis))


def _file_license(value: object) -> str | None:
    """A file's license as an expression; NOASSERTION and NONE state none."""
    text = str(value) if value is not None else ""
    return text if text and text not in ("NOASSERTION", "NONE") else None


def _unrelated(loaded: Loaded, records: dict[str, AssetRecord], rel: str) -> list[Problem]:
    """A package listed beside the ones the document describes, in no relationship: "If no relationship
    of a particular type is specified, then the document author is not presumed to be asserting whether
    or not there are relationships of that type" (SPDX 2.3 §11.1), so whether a described package holds
    it cannot be told (PRV017), never taken for "no"."""
    document = loaded.document
    root = document.creation_info.spdx_id
    stated = [
        (r.spdx_element_id, r.relationship_type.name, str(r.related_spdx_element_id)) for r in document.relationships
    ]
    described = {b for a, kind, b in stated if a == root and kind == "DESCRIBES"}
    described |= {a for a, kind, b in stated if b == root and kind == "DESCRIBED_BY"}
    related = {e for a, kind, b in stated if root not in (a, b) for e in (a, b)}
    told = []
    for pid, package in records.items():
        if pid in described or pid in related:
            continue
        evidence = Evidence(rel, f"packages[{pid}]", loaded.lines.get(pid))
        for subject in (records[d] for d in sorted(described) if d in records):
            said = f"{package.id} is listed with no relationship: whether {subject.id} holds it cannot be told"
            told.append(Problem(INCOMPLETE, said, evidence, asset_key(subject.kind, subject.id)))
    return told


def _unknown(
    a: str, kind: str, b: str, records: dict[str, AssetRecord], containers: dict[str, str], evidence: Evidence
) -> list[Problem]:
    """A lineage relationship to NOASSERTION, a "known unknown" (SPDX 2.3 §11.1): the package has
    upstreams of this type the document does not name, told (PRV017); NONE says it has none."""
    downstream = owner(a, records, containers)
    if b != "NOASSERTION" or kind not in _FORWARD or downstream is None:
        return []
    record = records[downstream]
    said = f"{a} {kind} NOASSERTION: upstreams of unknown identity"
    return [Problem(INCOMPLETE, said, evidence, asset_key(record.kind, record.id))]


def _holds(child: str, parent: str, parts: set[str]) -> bool:
    return parent in parts and child not in parts


def _containers(loaded: Loaded, records: dict[str, AssetRecord], parts: set[str]) -> dict[str, str]:
    """File or snippet id -> the package (or file) holding it: CONTAINS and CONTAINED_BY (spdx-tools
    turns hasFiles and tag-value files after a package into CONTAINS), a snippet's file."""
    holder = {s.spdx_id: s.file_spdx_id for s in loaded.document.snippets}
    for r in loaded.document.relationships:
        a, kind, b = r.spdx_element_id, r.relationship_type.name, r.related_spdx_element_id
        whole, part = (a, b) if kind == "CONTAINS" else (b, a) if kind in _HOLDING else (None, None)
        if isinstance(part, str) and part in parts and isinstance(whole, str) and whole in records:
            holder.setdefault(part, whole)
    return holder


def _lineage(
    stated: tuple[str, str, str],
    child: str,
    parent: str,
    code: str,
    records: dict[str, AssetRecord],
    containers: dict[str, str],
    external: dict[str, str],
    evidence: Evidence,
) -> list[Problem]:
    """The reference from the package `child` is or is part of to the one `parent` is or is part of."""
    a, kind, b = stated
    downstream = owner(child, records, containers)
    upstream = owner(parent, records, containers) or parent  # else an element of another document
    if downstream is None:
        where = "an element of another document" if ":" in child else "a file or snippet no package here holds"
        return [Problem(UNPLACED, f"{kind} gives the lineage of '{child}', {where}: not read", evidence)]
    if downstream == upstream:
        return []  # between parts of one package
    basis = "declared" if (downstream, upstream) == (child, parent) else lifted(a, kind, b)
    record = records[downstream]
    reference = _reference(upstream, code, record, records, external, evidence, basis)
    if reference is None:  # a lineage edge to nothing: its upstream is unknown
        unread = f"{kind} names '{parent}', which no package here or in a declared document is or holds; not read"
        return [Problem(UNREAD_ENTRY, unread, evidence, asset_key(record.kind, record.id))]
    add_reference(record, reference)
    return []


def _reference(
    parent: str,
    code: str,
    child: AssetRecord,
    records: dict[str, AssetRecord],
    external: dict[str, str],
    evidence: Evidence,
    basis: str,
) -> Reference | None:
    if parent in records:
        return record_reference(records[parent], code, child, evidence, basis)
    prefix, _, element = parent.partition(":")
    if not element or prefix not in external or not is_url(external[prefix]):
        return None  # a file of no package, or an undeclared document (validation says so)
    relation = lineage_relation(code, child.kind, "other")
    return Reference(f"{external[prefix]}#{element}", "other", relation, evidence, basis, Scheme.ELEMENT)
