"""The parts of a CycloneDX BOM's subject: the listed components that nothing else in the BOM places.

`metadata.component` is "the component that the BOM describes" and `components` the BOM's inventory;
for a product of several modules, "each module should be its own component, specified under
`bom.components`" (CycloneDX SBOM guide). The dependency graph may leave a component out, and then
"Components or services that are not represented in the dependency graph may have unknown
dependencies. It is recommended that implementations assume this to be opaque and not an indicator of
an object being dependency-free" (CycloneDX 1.6, `dependencies`). So a top-level component that no
dependency entry depends on and no nesting, pedigree or model card reaches is read as part of the
subject (`contains`), never as unrelated to it: its terms are those of what the subject is made of.
A component that is only the `ref` of an entry has its own dependencies stated, not its dependents:
the graph does not place it outside the subject. Where
the graph states the subject's own dependencies (an entry whose `ref` is the subject), they are
known, and another listed component (an older version, a sibling) is not read as part of it.

A composition whose aggregate is incomplete or unknown says the BOM does not list all of a
component's assemblies or dependencies ("Additional relationships exist and may include constituent
components, services, or dependencies", CycloneDX 1.6): told for each component it names (PRV017).
"""

from __future__ import annotations

import re

from auditor.harvest.cyclonedxwalk import Walk
from auditor.model import INCOMPLETE, AssetRecord
from auditor.readers.values import JSON
from auditor.vocabulary import Scheme

SUBJECT = "/metadata/component"
_PARTIAL = re.compile(r"^(incomplete.*|unknown)$")  # aggregates saying relationships exist that are not listed
_TOP = re.compile(r"^/components/\d+$")
BASIS = "inferred: listed in the BOM of the component it describes, in no dependency graph"


def inventory(walk: Walk) -> None:
    """Link the subject to each top-level component the BOM leaves unplaced."""
    subject = next((r for p, r in walk.records if p == SUBJECT), None)
    if subject is None or _stated(walk, subject):
        return
    graphed = _graphed(walk)
    reached = {ref.target for _, r in walk.records for ref in r.references if ref.scheme == Scheme.RECORD}
    downstream = _downstream(subject, [r for _, r in walk.records])
    for pointer, record in walk.records:
        placed = id(record) in graphed or record.id in reached or record.id in downstream
        if _TOP.match(pointer) and record is not subject and not placed:
            walk.link(subject, record, "contains", pointer, BASIS)


def compositions(walk: Walk) -> None:
    """Each component a composition names whose relationships the BOM says it does not list in full."""
    for i, entry in walk.array(walk.doc.data, "compositions", ""):
        aggregate = entry.get("aggregate") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not isinstance(aggregate, str) or not _PARTIAL.match(aggregate):
            continue
        for field in ("assemblies", "dependencies"):
            for j, ref in walk.array(entry, field, f"/compositions/{i}"):
                target = walk.bom_refs.get(ref) if isinstance(ref, str) else None
                if target and target[1] is not None:
                    said = f"a composition says its {field} are {aggregate.replace('_', ' ')}"
                    walk.problem(INCOMPLETE, said, f"/compositions/{i}/{field}/{j}", target[0])


def _graphed(walk: Walk) -> set[int]:
    """The records (by identity) some entry of the dependency graph depends on: a service's
    dependencies among them, which no link records."""
    refs: list[JSON] = []
    for entry in _entries(walk.doc.data.get("dependencies")):
        if isinstance(entry, dict):
            refs += _entries(entry.get("dependsOn"))
    found = (walk.bom_refs.get(ref) for ref in refs if isinstance(ref, str))
    return {id(target[1]) for target in found if target and target[1]}


def _stated(walk: Walk, subject: AssetRecord) -> bool:
    """Whether the dependency graph has an entry for the subject: its dependencies are then stated."""
    for entry in _entries(walk.doc.data.get("dependencies")):
        ref = entry.get("ref") if isinstance(entry, dict) else None
        target = walk.bom_refs.get(ref) if isinstance(ref, str) else None
        if target and target[1] is subject:
            return True
    return False


def _entries(value: JSON) -> list[JSON]:
    return value if isinstance(value, list) else []


def _downstream(subject: AssetRecord, records: list[AssetRecord]) -> set[str]:
    """Ids of the records whose lineage reaches the subject: the subject cannot contain them."""
    downstream_of: dict[str, set[str]] = {}
    for record in records:
        for ref in record.references:
            downstream_of.setdefault(ref.target, set()).add(record.id)
    found, todo = {subject.id}, [subject.id]
    while todo:
        more = downstream_of.get(todo.pop(), set()) - found
        found |= more
        todo += more
    return found
