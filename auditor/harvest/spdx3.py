"""SPDX 3.0.1 JSON-LD documents: AI, dataset and software packages, their licenses and lineage.

SPDX 3 adds the AI and Dataset profiles: a model and the data it was trained and tested on, with
their documentation fields, in one graph of elements. spdx-tools cannot read SPDX 3, so this reader
walks the JSON-LD itself: a `@graph` list of elements, or a single element. The `@context` is never
fetched: compact names are those of the SPDX 3.0.1 context (`ai_typeOfModel`, `software_Package`),
and full IRIs (`https://spdx.org/rdf/3.0.1/terms/AI/typeOfModel`) are turned into the same names.

Every property a package fills is kept as a statement under its compact name, so that the
documentation profiles can check what the AI and Dataset profiles ask for. Licenses and lineage are
Relationship elements. A trainedOn or testedOn relationship between files (weights trained on data
files) is lifted to the packages that contain those files.

Evidence pointers are JSON pointers into the document (`/@graph/12/ai_typeOfModel`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from auditor.harvest import safejson
from auditor.harvest.spdx2 import Hub, hub_of, is_url, lineage_relation, record_ids, shape, shared_values, shorten
from auditor.harvest.text import id_lines
from auditor.model import (
    AssetRecord,
    Checksum,
    Evidence,
    Identifier,
    LicenseStatement,
    Problem,
    Reference,
    Statement,
)
from auditor.naming import asset_key

FORMAT = "spdx3"
MAX_NESTING = 20

_TERMS = re.compile(r"^https?://spdx\.org/rdf/3\.[0-9.]+/terms/([A-Za-z]+)/(\w+)$")
_VOCAB = re.compile(r"^https?://spdx\.org/rdf/3\.[0-9.]+/terms/[A-Za-z]+/[A-Za-z]+/\w+$")
_ID_LINE = re.compile(r'"(?:spdxId|@id)"\s*:\s*"((?:[^"\\]|\\.)*)"')
_KINDS = {"ai_AIPackage": "model", "dataset_DatasetPackage": "dataset", "software_Package": "code"}
_PURPOSE_KINDS = {"model": "model", "data": "dataset"}
_RELATIONSHIPS = frozenset({"Relationship", "LifecycleScopedRelationship"})
_NOT_STATEMENTS = frozenset(
    {"type", "spdxId", "creationInfo", "verifiedUsing", "externalIdentifier", "externalRef", "extension", "name"}
)
_AGENT_FIELDS = frozenset({"suppliedBy", "originatedBy"})
_LICENSES = {"hasDeclaredLicense": "licenses", "hasConcludedLicense": "concluded"}
# "X type Y": X's record refers to Y ...
_FORWARD = {
    "trainedOn": "trained_on",
    "testedOn": "evaluated_on",
    "descendantOf": "descendant",
    "variantOf": "derived_from",
    "copyOf": "derived_from",
    "contains": "contains",
    "hasStaticLink": "contains",
    "hasOptionalComponent": "contains",
    "dependsOn": "depends_on",
    "hasDynamicLink": "depends_on",
    "hasOptionalDependency": "depends_on",
    "hasProvidedDependency": "depends_on",
    "hasPrerequisite": "depends_on",
    "hasDataFile": "depends_on",
}
# ... or each Y's record refers to X.
_REVERSE = {
    "ancestorOf": "descendant",
    "generates": "generated",
    "copiedTo": "derived_from",
    "hasVariant": "derived_from",
    "packagedBy": "contains",
}
_LIFTED = frozenset({"trainedOn", "testedOn"})  # said of files, meant of the packages holding them
_NO_LICENSE = {"NoAssertionLicense": "NOASSERTION", "NoneLicense": "NONE"}
_NO_ELEMENT = frozenset({"NoAssertionElement", "NoneElement"})


@dataclass
class _Graph:
    """The document's elements by id, with their JSON pointers and lines."""

    rel: str
    elements: list[tuple[str, dict]] = field(default_factory=list)  # (pointer, element) in document order
    by_id: dict[str, tuple[str, dict]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    keys: dict[str, dict[str, str]] = field(default_factory=dict)  # pointer -> compact name -> key as written
    problems: list[Problem] = field(default_factory=list)

    def at(self, pointer: str, key: str, *rest) -> str:
        """JSON pointer to a property of the element at `pointer`, with the key as the document wrote it."""
        parts = [self.keys.get(pointer, {}).get(key, key), *map(str, rest)]
        return pointer + "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)

    def evidence(self, pointer: str, element_id: str | None) -> Evidence:
        return Evidence(self.rel, pointer, self.lines.get(element_id or ""))

    def bad(self, message: str, pointer: str, element_id: str | None, asset: str | None = None) -> None:
        self.problems.append(Problem("bad-field", message, self.evidence(pointer, element_id), asset))


def detect(path: Path, head: bytes) -> bool:
    return path.name.lower().endswith((".json", ".jsonld")) and b"spdx.org/rdf/3" in head and b"@context" in head


def read(path: Path, context) -> tuple[list[AssetRecord], list[Problem]]:
    """Every AI, dataset and software package of the graph as a record, with licenses and lineage."""
    try:
        data = safejson.load(path)
    except safejson.JSONRefused as exc:
        return [], [Problem(exc.code, str(exc), Evidence(context.rel, "", exc.line))]
    graph = _Graph(context.rel)
    problem = _collect(data, graph)
    if problem:
        return [], [Problem("malformed", problem, Evidence(context.rel, ""))]
    graph.lines = id_lines(_ID_LINE, path.read_text(encoding="utf-8-sig", errors="replace"))
    records = _records(graph)
    _relationships(graph, records)
    return list(records.values()), graph.problems


# --- the graph ----------------------------------------------------------------------------------


def _collect(data, graph: _Graph) -> str | None:
    """Fill the graph from the top-level value; a message when it is not an SPDX 3 JSON-LD shape."""
    if isinstance(data, dict) and "@graph" in data:
        items, base = data["@graph"], "/@graph"
        if not isinstance(items, list):
            return f"'@graph' should be a list of elements, found {shape(items)}"
    elif isinstance(data, dict):
        items, base = [data], ""
    elif isinstance(data, list):
        items, base = data, ""
    else:
        return f"an SPDX 3 document should be a JSON-LD object or list, found {shape(data)}"
    for i, item in enumerate(items):
        pointer = f"{base}/{i}" if base or isinstance(data, list) else ""
        if not isinstance(item, dict):
            graph.bad(f"'{pointer}' should be an element object, found {shape(item)}", pointer, None)
            continue
        element = _compact(item)
        element["type"] = _type(element.get("type"))
        graph.keys[pointer] = {_name(key): key for key in item}
        graph.elements.append((pointer, element))
        if isinstance(element.get("spdxId"), str):
            graph.by_id.setdefault(element["spdxId"], (pointer, element))
    return None


def _compact(value):
    """Keys and types as the SPDX 3.0.1 context compacts them, whatever form the document used."""
    if isinstance(value, list):
        return [_compact(v) for v in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        name = _name(key)
        result[name] = _name(item) if name == "type" and isinstance(item, str) else _compact(item)
    return result


def _type(value) -> str | None:
    """An element's type: JSON-LD allows a list of types, of which the first string counts."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return value if isinstance(value, str) else None


def _name(name: str) -> str:
    """A compact name: `@type` is `type`, `@id` is `spdxId`, a term IRI its context name."""
    name = {"@type": "type", "@id": "spdxId"}.get(name, name)
    match = _TERMS.match(name)
    if not match:
        return name
    profile, term = match.groups()
    return term if profile == "Core" else f"{profile.lower()}_{term}"


def _vocab(value) -> str | None:
    """A vocabulary entry (`model`, or its full IRI) as its short name."""
    if not isinstance(value, str):
        return None
    return value.rstrip("/").rsplit("/", 1)[-1] if "://" in value else value


# --- package records ----------------------------------------------------------------------------


def _records(graph: _Graph) -> dict[str, AssetRecord]:
    packages = [(p, e) for p, e in graph.elements if e.get("type") in _KINDS]
    for pointer, element in packages:
        if not isinstance(element.get("spdxId"), str):
            graph.bad(
                f"{element['type']} element should have an spdxId string, found {shape(element.get('spdxId'))}; "
                "it is not read",
                graph.at(pointer, "spdxId"),
                None,
            )
    packages = [(p, e) for p, e in packages if isinstance(e.get("spdxId"), str)]
    for pointer, element in packages:
        if not isinstance(element.get("name"), str) or not element["name"].strip():
            graph.bad(
                f"package {element['spdxId']} has no name; its spdxId names it",
                graph.at(pointer, "name"),
                element["spdxId"],
            )
    names = record_ids([(e["spdxId"], _package_name(e), _text(e.get("software_packageVersion"))) for _, e in packages])
    shared = shared_values(e.get("software_downloadLocation") for _, e in packages)
    return {e["spdxId"]: _record(pointer, e, names[e["spdxId"]], graph, shared) for pointer, e in packages}


def _package_name(element: dict) -> str:
    name = element.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else element["spdxId"]


def _record(pointer: str, element: dict, name: str, graph: _Graph, shared: set[str]) -> AssetRecord:
    eid = element["spdxId"]
    ev = lambda key, *rest: graph.evidence(graph.at(pointer, key, *rest), eid)  # noqa: E731
    hub = _hub(element)
    kind, basis = _kind(element, hub)
    record = AssetRecord(
        id=hub.id if hub else name,
        kind=kind,
        source=graph.rel,
        format=FORMAT,
        kind_basis=basis,
        version=_text(element.get("software_packageVersion")),
        revision=hub.revision if hub else None,
    )
    record.identifiers = _identifiers(element, ev, shared, hub)
    record.checksums = _checksums(element, ev, graph, pointer)
    record.statements = [
        Statement(key, shorten(text), ev(key))
        for key, value in element.items()
        if key not in _NOT_STATEMENTS and not key.startswith("@") and (text := _render(value, key, graph))
    ]
    return record


def _kind(element: dict, hub: Hub | None) -> tuple[str, str]:
    kind = _KINDS[element["type"]]
    if kind != "code":
        return kind, f"SPDX 3 element type {element['type']}"
    if hub:
        return hub.kind, hub.basis
    purpose = _vocab(element.get("software_primaryPurpose"))
    if purpose in _PURPOSE_KINDS:
        return _PURPOSE_KINDS[purpose], f"software_primaryPurpose {purpose}"
    return "code", "SPDX 3 element type software_Package"


def _purls(element: dict) -> list[tuple[str, str]]:
    """(purl, key it came from)."""
    found = (
        [(element["software_packageUrl"], "software_packageUrl")]
        if isinstance(element.get("software_packageUrl"), str)
        else []
    )
    for ident in _list(element.get("externalIdentifier")):
        if (
            isinstance(ident, dict)
            and _vocab(ident.get("externalIdentifierType")) == "packageUrl"
            and isinstance(ident.get("identifier"), str)
        ):
            found.append((ident["identifier"], "externalIdentifier"))
    return found


def _hub(element: dict) -> Hub | None:
    return hub_of(_purls(element), [(element.get(k), k) for k in ("software_downloadLocation", "software_homePage")])


def _identifiers(element: dict, ev, shared: set[str], hub: Hub | None) -> list[Identifier]:
    found = [Identifier("purl", purl, ev(key)) for purl, key in _purls(element)]
    for ident in _list(element.get("externalIdentifier")):
        value = ident.get("identifier") if isinstance(ident, dict) else None
        kind = _vocab(ident.get("externalIdentifierType")) if isinstance(ident, dict) else None
        if kind == "urlScheme" and is_url(value):
            found.append(Identifier("url", value, ev("externalIdentifier")))
        elif isinstance(value, str) and value.lower().startswith(("doi:", "10.", "https://doi.org/")):
            found.append(Identifier("doi", value, ev("externalIdentifier")))
    location = element.get("software_downloadLocation")
    if is_url(location) and location not in shared:
        found.append(Identifier("url", location, ev("software_downloadLocation")))
    if hub:
        found.append(Identifier("hub", hub.id, ev(hub.field)))
    return found


def _checksums(element: dict, ev, graph: _Graph, pointer: str) -> list[Checksum]:
    found = []
    for i, method in enumerate(_list(element.get("verifiedUsing"))):
        if not isinstance(method, dict) or method.get("type") != "Hash":
            continue  # package verification codes and signatures are not file checksums
        algorithm, value = _vocab(method.get("algorithm")), method.get("hashValue")
        if algorithm and isinstance(value, str):
            found.append(Checksum(algorithm.lower(), value.strip().lower(), None, ev("verifiedUsing", i)))
        else:
            graph.bad(
                f"hash verifiedUsing[{i}] should give an algorithm and a hashValue string, found "
                f"algorithm {shape(method.get('algorithm'))} and hashValue {shape(value)}",
                graph.at(pointer, "verifiedUsing", i),
                element["spdxId"],
            )
    return found


def _render(value, key: str, graph: _Graph, depth: int = 0) -> str:
    """A property value as text: agents by name, dictionary entries as key=value, lists joined."""
    if depth > MAX_NESTING:
        return "…"
    if isinstance(value, str):
        agent = graph.by_id.get(value, ("", {}))[1] if key in _AGENT_FIELDS else {}
        if isinstance(agent.get("name"), str):
            return agent["name"].strip()
        return (_vocab(value) if _VOCAB.match(value) else value).strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "; ".join(t for v in value if (t := _render(v, key, graph, depth + 1)))
    if isinstance(value, dict) and "key" in value:  # a DictionaryEntry
        entry = _render(value["key"], "", graph, depth + 1)
        rendered = _render(value.get("value"), "", graph, depth + 1)
        return f"{entry}={rendered}" if rendered else entry
    if isinstance(value, dict):
        parts = ((k, _render(v, k, graph, depth + 1)) for k, v in value.items() if k != "type")
        return ", ".join(f"{k}: {t}" for k, t in parts if t)
    return ""


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


# --- relationships ------------------------------------------------------------------------------


def _relationships(graph: _Graph, records: dict[str, AssetRecord]) -> None:
    containers = _containers(graph, records)
    for pointer, element in graph.elements:
        if element.get("type") not in _RELATIONSHIPS:
            continue
        kind = _vocab(element.get("relationshipType"))
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
        if kind in _LICENSES and source in records:
            _licenses(pointer, element, targets, records[source], _LICENSES[kind], graph)
        elif kind in _FORWARD or kind in _REVERSE:
            _lineage(pointer, element, kind, source, targets, records, containers, graph)


def _ends(pointer: str, element: dict, graph: _Graph) -> tuple[str, list[tuple[int, object]]] | None:
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
    return source, list(enumerate(_list(targets)))


def _licenses(pointer: str, element: dict, targets, record: AssetRecord, which: str, graph: _Graph) -> None:
    """hasDeclaredLicense / hasConcludedLicense: one statement per license the relationship names."""
    eid, kind = element.get("spdxId"), _vocab(element.get("relationshipType"))
    for i, target in targets:
        where = graph.at(pointer, "to", i)
        try:
            getattr(record, which).append(_license(target, graph.evidence(where, eid), graph))
        except ValueError as exc:
            graph.bad(f"{kind} of {record.id}: {exc}", where, eid, asset_key(record.kind, record.id))


def _license(target, evidence: Evidence, graph: _Graph) -> LicenseStatement:
    element = _element(target, graph)
    if element is not None and element.get("type") == "expandedlicensing_CustomLicense":
        see_also = [s for s in _list(element.get("expandedlicensing_seeAlso")) if isinstance(s, str)]
        return LicenseStatement(None, evidence, _license_name(element), see_also[0] if see_also else None)
    return LicenseStatement(_expression(target, graph, 0), evidence)


def _element(target, graph: _Graph) -> dict | None:
    if isinstance(target, dict):
        return target
    return graph.by_id.get(target, (None, None))[1] if isinstance(target, str) else None


def _expression(target, graph: _Graph, depth: int) -> str:
    """A license element (or the id of a listed license) as an SPDX license expression."""
    if depth > MAX_NESTING:
        raise ValueError(f"license expression nested more than {MAX_NESTING} levels deep")
    element = _element(target, graph)
    if element is None:
        return _license_id(target)
    kind = element.get("type")
    member = lambda key: _expression(element.get(key), graph, depth + 1)  # noqa: E731
    if kind == "simplelicensing_LicenseExpression":
        text = element.get("simplelicensing_licenseExpression")
        if not isinstance(text, str) or not text.strip():
            raise ValueError("simplelicensing_licenseExpression should be a non-empty string")
        return text.strip()
    if kind in ("expandedlicensing_ConjunctiveLicenseSet", "expandedlicensing_DisjunctiveLicenseSet"):
        members = _list(element.get("expandedlicensing_member"))
        if not members:
            raise ValueError(f"{kind} has no expandedlicensing_member")
        joint = " AND " if kind.endswith("ConjunctiveLicenseSet") else " OR "
        return "(" + joint.join(_expression(m, graph, depth + 1) for m in members) + ")"
    if kind == "expandedlicensing_OrLaterOperator":
        return member("expandedlicensing_subjectLicense") + "+"
    if kind == "expandedlicensing_WithAdditionOperator":
        subject = member("expandedlicensing_subjectExtendableLicense")
        return f"{subject} WITH {member('expandedlicensing_subjectAddition')}"
    if isinstance(element.get("spdxId"), str) and isinstance(kind, str) and kind.startswith("expandedlicensing_"):
        return _license_name(element)
    raise ValueError(f"{element.get('spdxId') or 'an inline element'} of type {kind} is not a license")


def _license_id(target) -> str:
    """A license named only by its id: a listed license IRI, or NoAssertionLicense / NoneLicense."""
    if not isinstance(target, str) or not target.strip():
        raise ValueError(f"a license should be named by an element id, found {shape(target)}")
    tail = _vocab(_name(target)) or ""
    tail = tail.removeprefix("expandedlicensing_")
    if tail in _NO_LICENSE:
        return _NO_LICENSE[tail]
    if "spdx.org/licenses/" in target:
        return tail
    raise ValueError(f"names {target}, which is neither in the document nor an SPDX listed license")


def _license_name(element: dict) -> str:
    """Listed licenses by their SPDX id, others by name, else by the last part of their id."""
    eid = element.get("spdxId") or ""
    if "spdx.org/licenses/" not in eid and isinstance(element.get("name"), str) and element["name"].strip():
        return element["name"].strip()
    return eid.rstrip("/").rsplit("/", 1)[-1] or "unnamed license"


def _containers(graph: _Graph, records: dict[str, AssetRecord]) -> dict[str, str]:
    """Element id -> the id of the element that contains it (from `contains` relationships)."""
    parent: dict[str, str] = {}
    for _, element in graph.elements:
        if (
            element.get("type") in _RELATIONSHIPS
            and _vocab(element.get("relationshipType")) == "contains"
            and isinstance(element.get("from"), str)
        ):
            for target in _list(element.get("to")):
                if isinstance(target, str) and target not in records:
                    parent.setdefault(target, element["from"])
    return parent


def _owner(element_id: str, records: dict[str, AssetRecord], containers: dict[str, str]) -> str | None:
    """The package an element is, or the nearest package that contains it."""
    seen = set()
    while element_id not in records:
        if element_id in seen or element_id not in containers:
            return None
        seen.add(element_id)
        element_id = containers[element_id]
    return element_id


def _lineage(
    pointer: str,
    element: dict,
    kind: str,
    source: str,
    targets,
    records: dict[str, AssetRecord],
    containers: dict[str, str],
    graph: _Graph,
) -> None:
    eid = element.get("spdxId")
    scope = _vocab(element.get("scope"))
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
        basis = "declared"
        if kind in _LIFTED and (child not in records or parent not in records):
            child, parent = _owner(child, records, containers), _owner(parent, records, containers)
            basis = f"declared of contained files: {source} {kind} {target}"
        if child is None or parent is None or child == parent or child not in records:
            continue
        if scope:
            basis += f" ({scope} scope)"
        evidence = graph.evidence(graph.at(pointer, "to", i), eid)
        _add(
            records[child],
            _reference(parent, _FORWARD.get(kind) or _REVERSE[kind], records[child], records, graph, evidence, basis),
        )


def _reference(
    parent: str,
    code: str,
    child: AssetRecord,
    records: dict[str, AssetRecord],
    graph: _Graph,
    evidence: Evidence,
    basis: str,
) -> Reference | None:
    if parent in records:
        target = records[parent]
        return Reference(
            target.id,
            target.kind,
            lineage_relation(code, child.kind, target.kind),
            evidence,
            basis,
            "record",
            target.revision or target.version,
        )
    if parent in graph.by_id or _vocab(_name(parent)) in _NO_ELEMENT or not is_url(parent):
        return None  # a file, an agent or another element that is not an asset; or "none" / "no assertion"
    return Reference(parent, "other", lineage_relation(code, child.kind, "other"), evidence, basis, "url")


def _add(record: AssetRecord, reference: Reference | None) -> None:
    if reference and not any(
        (r.target, r.relation) == (reference.target, reference.relation) for r in record.references
    ):
        record.references.append(reference)
