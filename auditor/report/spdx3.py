"""release.spdx.json: the audited release and its lineage as SPDX 3.0.1 JSON-LD (AI and Dataset profiles).

One `@graph` holding: the CreationInfo; mlaudit as the SoftwareAgent that created the data and the
Tool it was created with; the SpdxDocument, whose root element is the release; one package per
asset (`ai_AIPackage` for models, `dataset_DatasetPackage` for datasets, `software_Package` for the
rest); the licenses; one Relationship per lineage edge; and an Annotation on the release with the
audit's conclusions.

Licenses: the concluded license (the expression mlaudit read) by `hasConcludedLicense`, each declared
license as written by its own `hasDeclaredLicense`, both to `simplelicensing_LicenseExpression`
elements. Text that is not an SPDX license expression is not passed off as one: the relationship
points to NoAssertionLicense instead and its comment keeps the text. Without a concluded license the
export makes no assertion (NoAssertionLicense); an asset whose manifests declare no license is
declared NoneLicense, one no manifest describes is declared NoAssertionLicense.

Lineage: each edge becomes the closest SPDX 3.0.1 relationship type, directed as the spec reads it
("from trainedOn to": the model was trained on the data; "from generates to": the model generated
the data): trained_on trainedOn, evaluated_on testedOn, generated_by generates, contains contains,
depends_on dependsOn, uses_tool usesTool, copy copiedTo (from the original to the copy), and every
derivation (finetune, adapter, quantized, merge, distill, derived_from) descendantOf, since 3.0.1
has no finer type for them (hasVariant names no direction, copiedTo an exact copy, not a new model
made from another). The exact mlaudit relation is an `mlaudit:relation` entry of the relationship's
`extension_CdxPropertiesExtension` (SPDX 3's extension for name-value properties), and its comment
says it in words.

The same extension carries what SPDX cannot say (vocabulary.ExportProperty): each package's kind,
whether a manifest describes it (`mlaudit:resolved`), and each declared license as written, with the
license name and link beside it (`mlaudit:license`, `-name`, `-link`; `mlaudit:declared` "none" on
the NoneLicense of an asset that declares none). mlaudit's SPDX 3 reader takes these over the generic
reading (auditor/harvest/exported.py), so that auditing this document alone gives the assets,
relations, licenses, verdict and license findings of the audit that wrote it
(tests/test_export_roundtrip.py). The release is the root element and its use and distribution are
in the annotation, for other tools: mlaudit takes them as audit options (mlaudit.toml's [release],
--asset, --use, --distribution) of whichever folder it audits, this document's included.

The document claims conformance to the core, software and licensing profiles only: the AI and
Dataset profiles also require a supplier, version, download location and release time of every
package, which an audit report does not know and this export does not invent.

Identifiers are IRIs under a `urn:uuid:` namespace derived from a hash of the whole report, with the
kind and percent-escaped id of each asset as fragment, so the same report always gives the same
bytes. Every string of the report is kept as it is, as JSON string content: the encoder escapes control
characters, markup means nothing in JSON, and unpaired surrogates (which UTF-8 cannot carry) become "?".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Callable
from urllib.parse import quote

from auditor.parsed import JSON, JSONObject
from auditor.report import content
from auditor.vocabulary import ExportProperty, Relation

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
SPEC_VERSION = "3.0.1"
# SPDX requires a creation time, but a report renders to the same bytes every time, so the export
# takes the report's own `created` when it has a usable one and otherwise this fixed, documented value.
EPOCH = "1970-01-01T00:00:00Z"
CREATION_INFO = "_:creationinfo"
NO_ASSERTION = "expandedlicensing_NoAssertionLicense"
NONE = "expandedlicensing_NoneLicense"
PROFILES = ["core", "software", "simpleLicensing", "expandedLicensing"]
PACKAGE_TYPES = {"model": "ai_AIPackage", "dataset": "dataset_DatasetPackage"}
PURPOSES = {"model": "model", "dataset": "data", "other": "other"}
# mlaudit relation (child -> parent) -> SPDX relationship type, and whether the parent is its `from`
LINEAGE = {
    Relation.FINETUNE: ("descendantOf", False),
    Relation.ADAPTER: ("descendantOf", False),
    Relation.QUANTIZED: ("descendantOf", False),
    Relation.COPY: ("copiedTo", True),
    Relation.MERGE: ("descendantOf", False),
    Relation.DISTILL: ("descendantOf", False),
    Relation.DERIVED_FROM: ("descendantOf", False),
    Relation.TRAINED_ON: ("trainedOn", False),
    Relation.EVALUATED_ON: ("testedOn", False),
    Relation.GENERATED_BY: ("generates", True),
    Relation.CONTAINS: ("contains", False),
    Relation.DEPENDS_ON: ("dependsOn", False),
    Relation.USES_TOOL: ("usesTool", False),
}
_UNRESOLVED: dict[str, str] = {ExportProperty.RESOLVED: "false"}
# a declaration as written: mlaudit's property -> the report's field
_AS_WRITTEN: dict[str, str] = {
    ExportProperty.LICENSE: "raw",
    ExportProperty.LICENSE_NAME: "name",
    ExportProperty.LICENSE_LINK: "link",
}
_TOKEN = re.compile(r"[()]|[^ \t\r\n()]+")
_LICENSE = re.compile(r"(DocumentRef-[A-Za-z0-9.\-]+:)?[A-Za-z0-9.\-]+\+?")
_ADDITION = re.compile(r"(DocumentRef-[A-Za-z0-9.\-]+:)?[A-Za-z0-9.\-]+")
_OPERATORS = frozenset({"AND", "OR", "WITH"})


def render(document: JSONObject) -> str:
    ns = _namespace(document)
    agent, tool = f"{ns}#mlaudit-agent", f"{ns}#mlaudit-tool"
    assets = _unique(document["assets"])
    ref = _referrer(ns, assets)
    release = document["release"]["asset"]
    elements = _elements(document, assets, ns, ref)
    title = f"mlaudit audit of {release}" if release else "mlaudit audit (no release identified)"
    spdx_document = _element(
        "SpdxDocument",
        f"{ns}#document",
        name=title,
        profileConformance=PROFILES,
        rootElement=[ref(release)] if release else None,
        element=[agent, tool, *(e["spdxId"] for e in elements)],
    )
    name = f"{document['tool']['name']} {document['tool']['version']}"
    graph = [
        _creation_info(document, agent, tool),
        _element("SoftwareAgent", agent, name=name),
        _element("Tool", tool, name=name),
        spdx_document,
        *elements,
    ]
    text = json.dumps({"@context": CONTEXT, "@graph": graph}, indent=2, ensure_ascii=False) + "\n"
    return _visible(text.encode("utf-8", "replace").decode("utf-8"))


def _referrer(ns: str, assets: list[JSONObject]) -> Callable[[str], str]:
    """The element id of an asset by its id; an edge may name an asset the document does not list."""
    ids: dict[str, str] = {}
    for asset in assets:
        ids.setdefault(asset["id"], _ref(ns, asset["kind"], asset["id"]))

    def ref(name: str) -> str:
        return ids.get(name) or _ref(ns, "asset", name)

    return ref


def _elements(document: JSONObject, assets: list[JSONObject], ns: str, ref: Callable[[str], str]) -> list[JSONObject]:
    """The packages, their license expressions, the relationships and the audit's annotation."""
    release = document["release"]["asset"]
    packages = [_package(a, _ref(ns, a["kind"], a["id"])) for a in assets]
    expressions: dict[str, JSONObject] = {}
    links = [r for a in assets for r in _licenses(a, _ref(ns, a["kind"], a["id"]), ns, expressions)]
    links += [_lineage(edge, ref) for edge in document["edges"]]
    relationships = [_element("Relationship", f"{ns}#relationship-{n}", **r) for n, r in enumerate(links, 1)]
    annotation = _element(
        "Annotation",
        f"{ns}#audit",
        annotationType="review",
        subject=ref(release) if release else f"{ns}#document",
        statement=_conclusions(document),
    )
    return [*packages, *expressions.values(), *relationships, annotation]


def _visible(text: str) -> str:
    """Invisible characters (a right-to-left override, zero-width marks) as JSON escapes: the data
    is kept, but nothing in the file displays other than it reads."""
    return "".join(c if c.isprintable() or c == "\n" else json.dumps(c)[1:-1] for c in text)


def _namespace(document: JSONObject) -> str:
    """A UUID URN derived from the report's content: same report, same identifiers, whichever
    engine reasoned."""
    digest = hashlib.sha256(json.dumps(content(document), sort_keys=True, default=str).encode()).hexdigest()
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'mlaudit:report:' + digest)}"


def _ref(ns: str, kind: str, name: str) -> str:
    return f"{ns}#{quote(kind, safe='', errors='surrogatepass')}:{quote(name, safe='/', errors='surrogatepass')}"


def _unique(assets: list[JSONObject]) -> list[JSONObject]:
    """One package per (kind, id): a second entry could only repeat the first's identifier."""
    seen, found = set(), []
    for asset in assets:
        if (asset["kind"], asset["id"]) not in seen:
            seen.add((asset["kind"], asset["id"]))
            found.append(asset)
    return found


def _element(kind: str, spdx_id: str, **properties: JSON) -> JSONObject:
    element: JSONObject = {"type": kind, "spdxId": spdx_id, "creationInfo": CREATION_INFO}
    return element | {k: v for k, v in properties.items() if v is not None}


def _creation_info(document: JSONObject, agent: str, tool: str) -> JSONObject:
    created = _created(document["created"])
    info: JSONObject = {
        "type": "CreationInfo",
        "@id": CREATION_INFO,
        "specVersion": SPEC_VERSION,
        "created": created or EPOCH,
        "createdBy": [agent],
        "createdUsing": [tool],
    }
    if created is None:
        info["comment"] = (
            "The audit report records no creation time; 'created' is a fixed value so that the "
            "same report always exports to the same bytes."
        )
    return info


def _created(value: JSON) -> str | None:
    """An ISO 8601 time with a time zone, as SPDX writes it (UTC, seconds, 'Z'); else None."""
    try:
        when = dt.datetime.fromisoformat(value)
        if when.tzinfo is None:
            return None
        return when.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    except (TypeError, ValueError, OverflowError):
        return None


def _package(asset: JSONObject, spdx_id: str) -> JSONObject:
    kind = asset["kind"]
    return _element(
        PACKAGE_TYPES.get(kind, "software_Package"),
        spdx_id,
        name=asset["name"],
        software_primaryPurpose=PURPOSES.get(kind),
        dataset_datasetType=["noAssertion"] if kind == "dataset" else None,
        comment=None if asset["resolved"] else "Referenced in the lineage, but no manifest describes it (unresolved).",
        extension=_extension(
            {ExportProperty.KIND: kind} | _UNRESOLVED if not asset["resolved"] else {ExportProperty.KIND: kind}
        ),
    )


def _licenses(asset: JSONObject, source: str, ns: str, expressions: dict[str, JSONObject]) -> list[JSONObject]:
    """hasConcludedLicense, then one hasDeclaredLicense per declared license (or NONE / NOASSERTION)."""
    concluded = asset["license"]
    if concluded is None:
        target = NO_ASSERTION
        why = f"mlaudit concluded no license: status {asset['license_status']} ({asset['license_reading']})"
    elif _is_expression(concluded):
        target, why = _license(concluded, ns, expressions), f"mlaudit's reading: {asset['license_reading']}"
    else:
        target, why = NO_ASSERTION, f"mlaudit concluded {concluded!r}, which is not an SPDX license expression"
    found = [_link(source, "hasConcludedLicense", target, why)]
    if not asset["declared_licenses"]:
        declared, why = (
            (NONE, "the manifests declare no license")
            if asset["resolved"]
            else (NO_ASSERTION, "no manifest describes this asset")
        )
        own: dict[str, str] = {ExportProperty.DECLARED: "none"} if asset["resolved"] else {}
        return found + [_link(source, "hasDeclaredLicense", declared, why, own)]
    for entry in asset["declared_licenses"]:
        raw = entry["raw"]
        target = _license(raw, ns, expressions) if raw and _is_expression(raw) else NO_ASSERTION
        own = {k: entry[f] for k, f in _AS_WRITTEN.items() if entry.get(f)}
        found.append(_link(source, "hasDeclaredLicense", target, _declaration(entry, target == NO_ASSERTION), own))
    return found


def _declaration(entry: JSONObject, unreadable: bool) -> str:
    """Where a license was declared, and what the relationship's target cannot say."""
    where = f"declared in {entry['file']}" + (f" line {entry['line']}" if entry.get("line") else "")
    parts = [where + (f" ({entry['pointer']})" if entry.get("pointer") else "")]
    if unreadable:
        parts.append(f"as written: {entry['raw']!r}, not an SPDX license expression")
    parts += [f"{key}: {entry[key]}" for key in ("name", "link") if entry.get(key)]
    return "; ".join(parts)


def _license(text: str, ns: str, expressions: dict[str, JSONObject]) -> str:
    """The id of the LicenseExpression element for `text`, one element per distinct text."""
    if text not in expressions:
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        expressions[text] = _element(
            "simplelicensing_LicenseExpression", f"{ns}#license-{digest}", simplelicensing_licenseExpression=text
        )
    spdx_id: str = expressions[text]["spdxId"]
    return spdx_id


def _is_expression(text: str) -> bool:
    """SPDX license expression syntax: ids (or LicenseRef-/DocumentRef- refs, `+`), WITH an addition,
    AND / OR, parentheses. Whether an id is on the SPDX license list is not checked."""
    tokens = _TOKEN.findall(text)
    depth, operand, simple, i = 0, True, False, 0  # expecting an operand; the last one was a plain license
    while i < len(tokens):
        token = tokens[i]
        addition = tokens[i + 1] if i + 1 < len(tokens) else ""
        if operand and token == "(":
            depth += 1
        elif operand and token not in _OPERATORS and _LICENSE.fullmatch(token):
            operand, simple = False, True
        elif operand:
            return False
        elif token == ")" and depth:
            depth, simple = depth - 1, False
        elif token in ("AND", "OR"):
            operand = True
        elif token == "WITH" and simple and addition not in _OPERATORS and _ADDITION.fullmatch(addition):
            i, simple = i + 1, False
        else:
            return False
        i += 1
    return not operand and depth == 0


def _link(source: str, kind: str, target: str, comment: str, own: dict[str, str] | None = None) -> JSONObject:
    found: JSONObject = {"from": source, "relationshipType": kind, "to": [target], "comment": comment}
    return found | ({"extension": _extension(own)} if own else {})


def _extension(own: dict[str, str]) -> list[JSONObject]:
    """mlaudit's own properties (vocabulary.ExportProperty) as SPDX 3's CycloneDX-properties extension."""
    entries = [
        {"type": "extension_CdxPropertyEntry", "extension_cdxPropName": name, "extension_cdxPropValue": value}
        for name, value in own.items()
    ]
    return [{"type": "extension_CdxPropertiesExtension", "extension_cdxProperty": entries}]


def _lineage(edge: JSONObject, ref: Callable[[str], str]) -> JSONObject:
    kind, reverse = LINEAGE.get(edge["relation"], ("other", False))
    child, parent = ref(edge["child"]), ref(edge["parent"])
    source, target = (parent, child) if reverse else (child, parent)
    where = f"; from {edge['file']}" + (f" line {edge['line']}" if edge.get("line") else "") if edge.get("file") else ""
    return _link(
        source,
        kind,
        target,
        f"mlaudit relation: {edge['child']} {edge['relation']} {edge['parent']} (basis: {edge.get('basis')}{where})",
        {ExportProperty.RELATION: edge["relation"]},
    )


def _conclusions(document: JSONObject) -> str:
    """The audit's outcome in a few sentences: verdict, release terms, legal position, outbound licenses."""
    release, counts = document["release"], document["counts"]
    outbound = ", ".join(document["outbound_licenses"]) or "none of the knowledge base keeps every requirement"
    sentences = [
        (
            f"mlaudit verdict: {document['verdict']}, with {counts['open']} open findings ({counts['error']} error, "
            f"{counts['warning']} warning, {counts['info']} info)."
        ),
        f"Audited for {release['use']} use, distributed as {release['distribution']}.",
        f"Legal position: {document['position']}.",
        document.get("position_summary"),
        f"Licenses the release may be published under: {outbound}.",
    ]
    return " ".join(s for s in sentences if s)
