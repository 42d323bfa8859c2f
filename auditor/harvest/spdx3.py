"""SPDX 3.0.1 JSON-LD documents: AI, dataset and software packages, their licenses and lineage.

SPDX 3 adds the AI and Dataset profiles: a model and the data it was trained and tested on, with
their documentation fields, in one graph of elements. spdx-tools cannot read SPDX 3, so this reader
walks the JSON-LD itself: a `@graph` list of elements, or a single element. The `@context` is never
fetched: compact names are those of the SPDX 3.0.1 context (`ai_typeOfModel`, `software_Package`),
and full IRIs (`https://spdx.org/rdf/3.0.1/terms/AI/typeOfModel`) are turned into the same names.

Every property a package fills is kept as a statement under its compact name, so that the
documentation profiles can check what the AI and Dataset profiles ask for. Licenses and lineage are
Relationship elements. A trainedOn or testedOn relationship between files (weights trained on data
files) is lifted to the packages that contain those files. The `mlaudit:` entries of an
`extension_CdxPropertiesExtension` that mlaudit's own export writes (the exact relation, the kind,
an asset only referenced, a license as written) win over the generic reading (auditor/harvest/exported.py).

Evidence pointers are JSON pointers into the document (`/@graph/12/ai_typeOfModel`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from auditor.harvest import exported
from auditor.harvest.layout import Context, Ev
from auditor.harvest.spdx import Hub, element_scheme, hub_of, is_url, record_ids, shape, shared_values
from auditor.harvest.spdx3graph import MAX_NESTING, Graph, as_list, collect, own, short_name, text_value
from auditor.harvest.spdx3links import TERMS_FIELDS, relationships
from auditor.model import (
    AssetRecord,
    Checksum,
    Evidence,
    Identifier,
    Problem,
    Statement,
    given_twice,
)
from auditor.readers import placeholders, safejson
from auditor.readers.text import decode, id_lines
from auditor.readers.values import JSON, shorten_line
from auditor.vocabulary import Scheme


class ElementEv(Protocol):
    """The evidence of a property of one element: ev(key, *steps into its value)."""

    def __call__(self, key: str, *rest: str | int) -> Evidence: ...


FORMAT = "spdx3"
RANK = 2
PINNABLE = True
HUB_LAYOUT = False
IN_FOLDER = False

_VOCAB = re.compile(r"^https?://spdx\.org/rdf/3\.[0-9.]+/terms/[A-Za-z]+/[A-Za-z]+/\w+$")
_ID_LINE = re.compile(r'"(?:spdxId|@id)"\s*:\s*"((?:[^"\\]|\\.)*)"')
_KINDS = {"ai_AIPackage": "model", "dataset_DatasetPackage": "dataset", "software_Package": "code"}
_PURPOSE_KINDS = {"model": "model", "data": "dataset"}
_NOT_STATEMENTS = frozenset(
    {"type", "spdxId", "creationInfo", "verifiedUsing", "externalIdentifier", "externalRef", "extension", "name"}
)
_AGENT_FIELDS = frozenset({"suppliedBy", "originatedBy"})
# Properties whose values are entries of an SPDX 3.0.1 vocabulary (Dataset: DatasetType, ConfidentialityLevel,
# DatasetAvailability; AI: PresenceType, SafetyRiskAssessment; Software: SoftwarePurpose), not free text.
_VOCABULARIES = frozenset(
    {
        "dataset_datasetType",
        "dataset_confidentialityLevel",
        "dataset_datasetAvailability",
        "dataset_hasSensitivePersonalInformation",
        "ai_autonomyType",
        "ai_safetyRiskAssessment",
        "ai_useSensitivePersonalInformation",
        "software_primaryPurpose",
        "software_additionalPurpose",
    }
)


def detect(path: Path, head: bytes) -> bool:
    return path.name.lower().endswith((".json", ".jsonld")) and b"spdx.org/rdf/3" in head and b"@context" in head


def read(path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]:
    """Every AI, dataset and software package of the graph as a record, with licenses and lineage."""
    twice: list[safejson.Where] = []
    try:
        data = safejson.load(path, twice=twice)
    except safejson.JSONRefused as exc:
        return [], [Problem(exc.code, str(exc), Evidence(context.rel, "", exc.line))]
    graph = Graph(context.rel)
    graph.problems += [given_twice(context.rel, safejson.dotted(at), TERMS_FIELDS, keys=at) for at in twice]
    problem = collect(data, graph)
    if problem:
        return [], [Problem("malformed", problem, Evidence(context.rel, ""))]
    graph.lines = id_lines(_ID_LINE, decode(path.read_bytes(), "replace"))
    records = _records(graph)
    relationships(graph, records)
    gone = {r.id for e, r in records.items() if exported.unresolved(own(graph.by_id[e][1]))}
    return exported.unresolve(list(records.values()), gone), graph.problems


# --- package records ----------------------------------------------------------------------------


def _records(graph: Graph) -> dict[str, AssetRecord]:
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
    names = record_ids([(e["spdxId"], _package_name(e), _version(e)) for _, e in packages])
    shared = shared_values(e.get("software_downloadLocation") for _, e in packages)
    return {e["spdxId"]: _record(pointer, e, names[e["spdxId"]], graph, shared) for pointer, e in packages}


def _package_name(element: dict[str, JSON]) -> str:
    name = element.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else element["spdxId"]


def _record(pointer: str, element: dict[str, JSON], name: str, graph: Graph, shared: set[str]) -> AssetRecord:
    eid = element["spdxId"]
    ev: ElementEv = lambda key, *rest: graph.evidence(graph.at(pointer, key, *rest), eid)  # noqa: E731
    hub = _hub(element)
    kind, basis = _kind(element, hub)
    record = AssetRecord(
        id=hub.id if hub else name,
        kind=exported.kind(own(element), kind),
        source=graph.rel,
        format=FORMAT,
        kind_basis=basis,
        version=_version(element),
        revision=hub.revision if hub else None,
    )
    record.identifiers = _identifiers(element, ev, shared, hub)
    record.checksums = _checksums(element, ev, graph, pointer)
    record.statements = [
        Statement(key, shorten_line(text), ev(key))
        for key, value in element.items()
        if key not in _NOT_STATEMENTS
        and not key.startswith("@")
        and (text := _render(value, key, graph))
        and _states(key, text)
    ]
    return record


def _states(key: str, text: str) -> bool:
    """Whether a property's text states something: "TBD", "N/A", "NOASSERTION" do not; a value of one
    of SPDX 3's vocabularies ("image", a dataset type) does, unless it is its noAssertion entry."""
    if key in _VOCABULARIES:
        return text.lower() != "noassertion"
    return placeholders.is_value(text)


def _version(element: dict[str, JSON]) -> str | None:
    """The package's version; a placeholder ("TBD", "NOASSERTION") is none, and names no record."""
    return placeholders.stated(text_value(element.get("software_packageVersion")))


def _kind(element: dict[str, JSON], hub: Hub | None) -> tuple[str, str]:
    kind = _KINDS[element["type"]]
    if kind != "code":
        return kind, f"SPDX 3 element type {element['type']}"
    if hub:
        return hub.kind, hub.basis
    purpose = short_name(element.get("software_primaryPurpose"))
    if purpose in _PURPOSE_KINDS:
        return _PURPOSE_KINDS[purpose], f"software_primaryPurpose {purpose}"
    return "code", "SPDX 3 element type software_Package"


def _purls(element: dict[str, JSON]) -> list[tuple[str, str]]:
    """(purl, key it came from)."""
    found = (
        [(element["software_packageUrl"], "software_packageUrl")]
        if isinstance(element.get("software_packageUrl"), str)
        else []
    )
    for ident in as_list(element.get("externalIdentifier")):
        if (
            isinstance(ident, dict)
            and short_name(ident.get("externalIdentifierType")) == "packageUrl"
            and isinstance(ident.get("identifier"), str)
        ):
            found.append((ident["identifier"], "externalIdentifier"))
    return found


def _hub(element: dict[str, JSON]) -> Hub | None:
    return hub_of(_purls(element), [(element.get(k), k) for k in ("software_downloadLocation", "software_homePage")])


def _identifiers(element: dict[str, JSON], ev: Ev, shared: set[str], hub: Hub | None) -> list[Identifier]:
    found = [Identifier("purl", purl, ev(key)) for purl, key in _purls(element)]
    if element_scheme(element["spdxId"]) == Scheme.ELEMENT:  # what another document's relationships name
        found.append(Identifier(Scheme.ELEMENT, element["spdxId"], ev("spdxId")))
    for ident in as_list(element.get("externalIdentifier")):
        value = ident.get("identifier") if isinstance(ident, dict) else None
        kind = short_name(ident.get("externalIdentifierType")) if isinstance(ident, dict) else None
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


def _checksums(element: dict[str, JSON], ev: ElementEv, graph: Graph, pointer: str) -> list[Checksum]:
    found = []
    for i, method in enumerate(as_list(element.get("verifiedUsing"))):
        if not isinstance(method, dict) or method.get("type") != "Hash":
            continue  # package verification codes and signatures are not file checksums
        algorithm, value = short_name(method.get("algorithm")), method.get("hashValue")
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


def _render(value: JSON, key: str, graph: Graph, depth: int = 0) -> str:
    """A property value as text: agents by name, dictionary entries as key=value, lists joined."""
    if depth > MAX_NESTING:
        return "…"
    if isinstance(value, str):
        agent = graph.by_id.get(value, ("", {}))[1] if key in _AGENT_FIELDS else {}
        if isinstance(agent.get("name"), str):
            return str(agent["name"]).strip()
        return ((short_name(value) or value) if _VOCAB.match(value) else value).strip()
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
