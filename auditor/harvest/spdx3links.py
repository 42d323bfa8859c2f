"""SPDX 3 relationships: licenses, lineage between packages (lifted from the files they contain)."""

from __future__ import annotations

from dataclasses import replace

from auditor.harvest import exported
from auditor.harvest.spdx import (
    add_reference,
    adds_licenses,
    drop_repeats,
    element_scheme,
    is_url,
    lifted,
    lineage_relation,
    owner,
    record_reference,
    shape,
    unread_type,
    variant,
)
from auditor.harvest.spdx3builds import RELATIONSHIPS, Built, built
from auditor.harvest.spdx3graph import Graph, as_list, compact_name, own, short_name, text_value
from auditor.harvest.spdx3licenses import LICENSES, licenses
from auditor.model import (
    INCOMPLETE,
    UNPLACED,
    UNREAD_ENTRY,
    AssetRecord,
    Evidence,
    Problem,
    Reference,
)
from auditor.naming import asset_key
from auditor.readers.values import JSON
from auditor.vocabulary import ExportProperty, Scheme

# The fields stating a license or lineage: a key given twice inside one leaves them unknown.
TERMS_FIELDS = frozenset(
    {"relationshipType", "from", "to", "scope", "simplelicensing_licenseExpression"}
    | {"expandedlicensing_member", "expandedlicensing_seeAlso"}
)
# "X type Y": X's record refers to Y ...
_FORWARD = {
    "trainedOn": "trained_on",
    "testedOn": "evaluated_on",
    "descendantOf": "descendant",
    "copyOf": "copy",
    "contains": "contains",
    "hasStaticLink": "contains",
    "hasOptionalComponent": "contains",
    "dependsOn": "depends_on",
    "hasDynamicLink": "depends_on",
    "hasOptionalDependency": "depends_on",
    "hasProvidedDependency": "depends_on",
    "hasPrerequisite": "depends_on",
    "hasDataFile": "depends_on",
    "usesTool": "tool",
    "hasTest": "used",
    "hasTestCase": "used",
    # material put into the `from` package: a file added, what modifies or patches it
    "hasAddedFile": "contains",
    "modifiedBy": "contains",
    "patchedBy": "contains",
}
# ... or each Y's record refers to X.
_REVERSE = {
    "ancestorOf": "descendant",
    "generates": "generated",
    "copiedTo": "copy",
    "expandsTo": "copy",
    "packagedBy": "contains",
}
_VARIANTS = frozenset({"hasVariant", "variantOf"})  # no direction: told, not followed (spdx.variant)
# Relationships of no lineage or license (security, documentation, where an element is published,
# a build's sides: spdx3builds); any other type (`other`, one misspelt) is told, not followed.
_NOT_LINEAGE = frozenset(
    {"affects", "amendedBy", "availableFrom", "configures", "coordinatedBy", "delegatedTo", "describes"}
    | {"doesNotAffect", "exploitCreatedBy", "fixedBy", "fixedIn", "foundBy", "hasAssessmentFor"}
    | {"hasAssociatedVulnerability", "hasDeletedFile", "hasDependencyManifest", "hasDistributionArtifact"}
    | {"hasDocumentation", "hasEvidence", "hasExample", "hasHost", "hasInput", "hasOutput", "hasMetric"}
    | {"hasRequirement", "hasSpecification", "invokedBy", "publishedBy", "reportedBy", "republishedBy"}
    | {"serializedInArtifact", "underInvestigationFor"}
)
# LifecycleScopeType: a dependency only while the child is designed, developed, tested or built
# (spdx.lineage_relation reads each code)
_SCOPED = {"design": "used", "development": "used", "test": "used", "build": "build"}
_NO_ELEMENT = frozenset({"NoAssertionElement", "NoneElement"})
_PARTIAL = frozenset({"incomplete", "noAssertion"})  # RelationshipCompleteness: the `to` list is not all
_PART_KINDS = {"model": "model", "data": "dataset"}  # a file's primaryPurpose: the kind of its record
Stated = tuple[str, dict[str, JSON], list[tuple[int, object]], str]  # (pointer, relationship, to, from)
_PARTS = frozenset({"software_File", "software_Snippet"})  # parts of packages: lifted to the package holding them
_UNPLACED = "a file or snippet no package here holds, or an element not in this document"


def relationships(graph: Graph, records: dict[str, AssetRecord]) -> None:
    containers = _containers(graph, records)
    of_parts: list[Stated] = []  # license relationships of files: read once lineage is placed on packages
    for pointer, element in graph.elements:
        if element.get("type") not in RELATIONSHIPS:
            continue
        kind = short_name(element.get("relationshipType"))
        if kind is None:
            graph.bad(
                f"relationship should give a relationshipType string, found {shape(element.get('relationshipType'))}",
                graph.at(pointer, "relationshipType"),
                element.get("spdxId"),
            )
            continue
        ends = _ends(pointer, element, graph)
        if ends is None:
            continue
        source, targets = ends
        if kind in _FORWARD:
            _incomplete(pointer, element, kind, owner(source, records, containers), targets, records, graph)
        if kind in LICENSES and source in records:
            licenses(pointer, element, targets, records[source], LICENSES[kind], graph)
        elif kind in LICENSES:
            of_parts.append((pointer, element, targets, source))
        elif kind in _FORWARD or kind in _REVERSE:
            _lineage(pointer, element, kind, source, targets, records, containers, graph)
        elif kind in _VARIANTS and source in records:
            _variants(pointer, element, records[source], targets, records, graph)
        elif kind not in LICENSES and kind not in _VARIANTS and kind not in _NOT_LINEAGE:
            evidence = graph.evidence(graph.at(pointer, "relationshipType"), element.get("spdxId"))
            graph.problems.append(_unread(kind, source, targets, records, containers, evidence))
    for link in built(graph):
        placed = _placed("hasOutput", link.output, link.source, records, containers, graph, link.evidence)
        if placed is not None:
            _add_lineage(records[placed[0]], placed[1], "built", "hasInput", records, graph, link)
    for stated in of_parts:
        _part_license(stated, records, containers, graph)
    drop_repeats(records.values())


def _part_license(stated: Stated, records: dict[str, AssetRecord], containers: dict[str, str], graph: Graph) -> None:
    """A license stated of a file or snippet: the license of a part of the package holding it (the
    licenses of parts all apply), so a part licensed otherwise than its package is a record the package
    contains; one no package here holds is told."""
    pointer, element, targets, source = stated
    kind = short_name(element.get("relationshipType")) or ""
    evidence = graph.evidence(graph.at(pointer, "from"), element.get("spdxId"))
    package = owner(source, records, containers)
    if package is None or source not in graph.by_id:
        graph.problems.append(Problem(UNPLACED, f"{kind} of '{source}', {_UNPLACED}: not read", evidence))
        return
    whole, part_element = records[package], graph.by_id[source][1]
    name = text_value(part_element.get("name")) or source
    purpose = short_name(part_element.get("software_primaryPurpose"))
    part = records.get(source) or AssetRecord(
        f"{whole.id}/{name}", _PART_KINDS.get(purpose or "", "code"), graph.rel, format=whole.format, kind_basis="file"
    )
    part.version, part.revision = whole.version, whole.revision  # a part of this version of the package
    licenses(pointer, element, targets, part, LICENSES[kind], graph)
    own_licenses = [s.raw for s in (*whole.licenses, *whole.concluded)]
    if source not in records and adds_licenses((s.raw for s in (*part.licenses, *part.concluded)), own_licenses):
        records[source] = part
        basis = f"declared: {name} is a file of {whole.id} ({kind} of the file)"
        add_reference(whole, record_reference(part, "contains", whole, evidence, basis))


def _unread(
    kind: str,
    source: str,
    targets: list[tuple[int, object]],
    records: dict[str, AssetRecord],
    containers: dict[str, str],
    evidence: Evidence,
) -> Problem:
    """A relationship of a type not read, from the package `source` is or is part of to what it names."""
    found = owner(source, records, containers)
    ends = [owner(t, records, containers) or t for _, t in targets if isinstance(t, str)]
    named = ", ".join(records[e].id if e in records else e for e in ends) or "no element"
    return unread_type(kind, records[found] if found else None, named, evidence)


def _incomplete(
    pointer: str,
    element: dict[str, JSON],
    kind: str,
    downstream: str | None,
    targets: list[tuple[int, object]],
    records: dict[str, AssetRecord],
    graph: Graph,
) -> None:
    """An upstream relationship that says its list is partial is told, never taken for all of the
    package's lineage: no element at all (`to` is one or more elements, INP001), completeness
    incomplete ("known not to be exhaustive") or noAssertion, or a NoAssertionElement ("a set of
    Elements of unknown identity or cardinality", SPDX 3.0.1)."""
    if downstream is None:
        return
    record, eid = records[downstream], element.get("spdxId")
    asset = asset_key(record.kind, record.id)
    if not targets:
        unread = f"{kind} of {record.id} names no element in 'to'; its upstream is unknown"
        graph.problems.append(Problem(UNREAD_ENTRY, unread, graph.evidence(graph.at(pointer, "to"), eid), asset))
    completeness = short_name(element.get("completeness"))
    if completeness in _PARTIAL:
        said = f"its {kind} relationship is marked completeness {completeness}"
        graph.problems.append(Problem(INCOMPLETE, said, graph.evidence(graph.at(pointer, "completeness"), eid), asset))
    for i, target in targets:
        if isinstance(target, str) and short_name(compact_name(target)) == "NoAssertionElement":
            said = f"{kind} names NoAssertionElement, upstreams of unknown identity"
            graph.problems.append(Problem(INCOMPLETE, said, graph.evidence(graph.at(pointer, "to", i), eid), asset))


def _ends(pointer: str, element: dict[str, JSON], graph: Graph) -> tuple[str, list[tuple[int, object]]] | None:
    """The `from` id and the (index, target) pairs of `to`, or None (with a problem) when malformed."""
    eid = element.get("spdxId")
    source = element.get("from")
    if isinstance(source, dict):
        source = source.get("spdxId")
    if not isinstance(source, str):
        graph.bad(f"relationship 'from' should be an element id, found {shape(source)}", graph.at(pointer, "from"), eid)
        return None
    targets = element.get("to")
    if not isinstance(targets, (list, str, dict)):
        graph.bad(
            f"relationship 'to' should be a list of element ids, found {shape(targets)}", graph.at(pointer, "to"), eid
        )
        return None
    return source, list(enumerate(as_list(targets)))


def _variants(
    pointer: str,
    element: dict[str, JSON],
    record: AssetRecord,
    targets: list[tuple[int, object]],
    records: dict[str, AssetRecord],
    graph: Graph,
) -> None:
    """hasVariant / variantOf: each variant another package (or a URL) names is told, not followed."""
    for i, target in targets:
        target = target.get("spdxId") if isinstance(target, dict) else target
        if not isinstance(target, str):
            continue
        other = records[target].id if target in records else target if is_url(target) else None
        if other and other != record.id:
            evidence = graph.evidence(graph.at(pointer, "to", i), element.get("spdxId"))
            graph.problems.append(variant(record, other, evidence))


def _containers(graph: Graph, records: dict[str, AssetRecord]) -> dict[str, str]:
    """Element id -> the id of the element that contains it (from `contains` relationships)."""
    parent: dict[str, str] = {}
    for _, element in graph.elements:
        if (
            element.get("type") in RELATIONSHIPS
            and short_name(element.get("relationshipType")) == "contains"
            and isinstance(element.get("from"), str)
        ):
            for target in as_list(element.get("to")):
                if isinstance(target, str) and target not in records:
                    parent.setdefault(target, element["from"])
    return parent


def _lineage(
    pointer: str,
    element: dict[str, JSON],
    kind: str,
    source: str,
    targets: JSON,
    records: dict[str, AssetRecord],
    containers: dict[str, str],
    graph: Graph,
) -> None:
    eid = element.get("spdxId")
    scope = short_name(element.get("scope"))
    exact = exported.relation(own(element).get(ExportProperty.RELATION))
    for i, target in targets:
        target = target.get("spdxId") if isinstance(target, dict) else target
        if not isinstance(target, str):
            graph.bad(
                f"relationship 'to[{i}]' should be an element id, found {shape(target)}",
                graph.at(pointer, "to", i),
                eid,
            )
            continue
        child, parent = (source, target) if kind in _FORWARD else (target, source)
        if kind == "contains" and parent in graph.by_id and parent not in records:
            continue  # a package holding its files: the containers, no lineage
        evidence = graph.evidence(graph.at(pointer, "to", i), eid)
        placed = _placed(kind, child, parent, records, containers, graph, evidence)
        if placed is None or _run_output(kind, source, records, graph, evidence):
            continue
        downstream, upstream = placed
        basis = "declared" if placed == (child, parent) else lifted(source, kind, target)
        basis += f" ({scope} scope)" if scope else ""
        code = _FORWARD.get(kind) or _REVERSE[kind]
        code = _SCOPED.get(scope or "", code) if code == "depends_on" else code
        _add_lineage(
            records[downstream], upstream, code, kind, records, graph, Built("", parent, evidence, basis), exact
        )


def _run_output(kind: str, source: str, records: dict[str, AssetRecord], graph: Graph, evidence: Evidence) -> bool:
    """Whether a file inside a package that is no model (a script: primaryPurpose executable) generates
    the output: it is what running a program produced, not the package's model's output, and the
    program is a tool whose terms do not cross (as a build's software is); told, not read as lineage."""
    if kind != "generates" or source in records or source not in graph.by_id:
        return False
    element = graph.by_id[source][1]
    if element.get("type") not in _PARTS or short_name(element.get("software_primaryPurpose")) == "model":
        return False
    name = text_value(element.get("name")) or source
    told = f"generates from {name}, a file that is no model: what running it produced is not read as lineage"
    graph.problems.append(Problem(UNPLACED, told, evidence))
    return True


def _add_lineage(
    record: AssetRecord,
    upstream: str,
    code: str,
    kind: str,
    records: dict[str, AssetRecord],
    graph: Graph,
    link: Built,
    exact: str | None = None,
) -> None:
    """The reference to `upstream`; one that names nothing is told, its upstream unknown."""
    reference = _reference(upstream, code, record, records, graph, link.evidence, link.basis, exact)
    if reference is None and _unplaced(upstream, graph):
        unread = f"{kind} names '{link.source}', {_UNPLACED}; not read"
        graph.problems.append(Problem(UNREAD_ENTRY, unread, link.evidence, asset_key(record.kind, record.id)))
    add_reference(record, reference)


def _placed(
    kind: str,
    child: str,
    parent: str,
    records: dict[str, AssetRecord],
    containers: dict[str, str],
    graph: Graph,
    evidence: Evidence,
) -> tuple[str, str] | None:
    """(the package `child` is or is part of, that of `parent`, else `parent` itself); None when the
    child is part of no package here (told) or both are parts of one package."""
    downstream, upstream = owner(child, records, containers), owner(parent, records, containers) or parent
    if downstream is None:
        if _unplaced(child, graph):
            unplaced = f"{kind} gives the lineage of '{child}', {_UNPLACED}: not read"
            graph.problems.append(Problem(UNPLACED, unplaced, evidence))
        return None
    return None if downstream == upstream else (downstream, upstream)


def _unplaced(element: str, graph: Graph) -> bool:
    """A part of no package here, or an element neither here nor "none" / "no assertion": lineage
    stated of it cannot be placed (agents, tools and the document are no assets, nor parts of one)."""
    if element in graph.by_id:
        return graph.by_id[element][1].get("type") in _PARTS
    return short_name(compact_name(element)) not in _NO_ELEMENT


def _reference(
    parent: str,
    code: str,
    child: AssetRecord,
    records: dict[str, AssetRecord],
    graph: Graph,
    evidence: Evidence,
    basis: str,
    exact: str | None,
) -> Reference | None:
    """The reference to `parent`; `exact`, the relation mlaudit's export names, wins over the one
    the relationship type implies."""
    if parent in records:
        found = record_reference(records[parent], code, child, evidence, basis)
        return replace(found, relation=exact) if exact else found
    named = is_url(parent) or element_scheme(parent) == Scheme.ELEMENT
    if parent in graph.by_id or short_name(compact_name(parent)) in _NO_ELEMENT or not named:
        return None  # a file, an agent or another element that is not an asset; or "none" / "no assertion"
    relation = exact or lineage_relation(code, child.kind, "other")
    return Reference(parent, "other", relation, evidence, basis, element_scheme(parent))
