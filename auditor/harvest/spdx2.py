"""SPDX 2.2 and 2.3 documents in every serialization, read through spdx-tools.

SBOMs state the licenses and the lineage of the packages a release is made of. spdx-tools parses the
five serializations (tag-value, JSON, YAML, XML, RDF/XML) into one model and validates it; this reader
turns each package of that model into an asset record and each relationship between packages into a
reference (auditor/harvest/spdx2links.py). Files and snippets are parts of packages, not assets: they
are not recorded, and what a relationship says of one is said of the package that contains it.

Untrusted bytes never reach spdx-tools' own file readers: JSON goes through safejson, XML and RDF/XML
through safexml (no DOCTYPE entities, no network), YAML through a loader with a node budget, and only
the parsed data is handed over. spdx-tools costs about 0.9 s to import, so read() imports it, never
detect(). spdx-tools rewrites license expressions as it parses them, so the raw strings are taken
from the parsed data (RDF/XML has no expression strings: there spdx-tools' rendering is used).

Evidence pointers are one field path for every serialization, with the SPDX JSON field names:
`packages[SPDXRef-Pkg].licenseDeclared`, `relationships[SPDXRef-A DESCENDANT_OF SPDXRef-B]`.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.harvest.layout import Context, Ev
from auditor.harvest.spdx import Hub, hub_of, is_url, record_ids, shared_values
from auditor.harvest.spdx2licenses import descriptions, stated
from auditor.harvest.spdx2links import references
from auditor.harvest.spdx2load import MAX_MESSAGES, TERMS_FIELDS, Loaded, Unreadable, load, plain
from auditor.model import AssetRecord, Checksum, Described, Evidence, Identifier, Problem, Statement, given_twice
from auditor.naming import asset_key
from auditor.readers.values import JSON, shorten_line
from auditor.vocabulary import Scheme

if TYPE_CHECKING:  # spdx-tools costs about 0.9 s to import: read() imports it, detect() never
    from spdx_tools.spdx.model.document import Document
    from spdx_tools.spdx.model.package import Package
    from spdx_tools.spdx.validation.validation_message import ValidationMessage

FORMAT = "spdx2"
RANK = 3
PINNABLE = True
HUB_LAYOUT = False
IN_FOLDER = False
FULL_VALIDATION_COST = 400_000  # elements x (relationships + elements) above which cross-checks are skipped

_SUFFIXES = (
    (".spdx", "tag"),
    (".tag", "tag"),
    (".json", "json"),
    (".yaml", "yaml"),
    (".yml", "yaml"),
    (".rdf", "xml"),
    (".xml", "xml"),
)
_MARKERS = {
    "tag": (b"SPDXVersion:",),
    "json": (b'"spdxVersion"', b'"SPDXID"'),
    "yaml": (b"spdxVersion:", b"SPDXID:"),
    "xml": (b"<spdxVersion>", b"<SPDXID>", b"spdx.org/rdf/terms"),
}

# Purposes that make a package software; the others (DEVICE, ARCHIVE, FILE, OTHER) leave the kind to the purl.
_CODE_PURPOSES = frozenset(
    {"APPLICATION", "FRAMEWORK", "LIBRARY", "SOURCE", "CONTAINER", "OPERATING_SYSTEM", "FIRMWARE", "INSTALL"}
)
_STATEMENTS = (
    ("supplier", "supplier"),
    ("originator", "originator"),
    ("downloadLocation", "download_location"),
    ("homepage", "homepage"),
    ("versionInfo", "version"),
    ("packageFileName", "file_name"),
    ("primaryPackagePurpose", "primary_package_purpose"),
    ("summary", "summary"),
    ("description", "description"),
    ("comment", "comment"),
    ("copyrightText", "copyright_text"),
    ("licenseComments", "license_comment"),
    ("sourceInfo", "source_info"),
    ("releaseDate", "release_date"),
    ("builtDate", "built_date"),
    ("validUntilDate", "valid_until_date"),
)


def detect(path: Path, head: bytes) -> bool:
    serialization = _serialization(path.name)
    return (
        serialization is not None
        and b"spdx.org/rdf/3" not in head
        and any(marker in head for marker in _MARKERS[serialization])
    )


def read(path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]:
    """Every package of the document as a record, its relationships as references, and what is wrong."""
    rel = context.rel
    try:
        loaded = load(path, _serialization(path.name) or "json")
    except Unreadable as exc:
        return [], [Problem(code, message, Evidence(rel, "", line)) for code, message, line in exc.problems]
    records, told = _records(loaded, rel)
    twice = [given_twice(rel, at, TERMS_FIELDS, line) for at, line in loaded.twice]
    return records, twice + told + _validate(loaded, rel, records)


def _serialization(name: str) -> str | None:
    name = name.lower()
    return next((kind for suffix, kind in _SUFFIXES if name.endswith(suffix)), None)


# --- records ------------------------------------------------------------------------------------


def _records(loaded: Loaded, rel: str) -> tuple[list[AssetRecord], list[Problem]]:
    packages = loaded.document.packages
    shared = shared_values(p.download_location for p in packages)
    names = record_ids([(p.spdx_id, p.name, p.version) for p in packages])
    refs = descriptions(loaded.document.extracted_licensing_info)
    records = {p.spdx_id: _record(p, names[p.spdx_id], loaded, rel, shared, refs) for p in packages}
    told = references(loaded, records, rel)  # which may add the parts of packages
    return list(records.values()), told


def _record(
    package: Package, name: str, loaded: Loaded, rel: str, shared: set[str], refs: dict[str, Described]
) -> AssetRecord:
    pid = package.spdx_id
    line = loaded.lines.get(pid)
    ev: Ev = lambda f: Evidence(rel, f"packages[{pid}].{f}", line)  # noqa: E731
    hub = _hub(package)
    kind, basis = (hub.kind, hub.basis) if hub else _kind(package)
    record = AssetRecord(
        id=hub.id if hub else name,
        kind=kind,
        source=rel,
        format=FORMAT,
        kind_basis=basis,
        version=package.version,
        revision=hub.revision if hub else None,
    )
    raw = loaded.raw.get(pid, {})
    record.licenses = stated(raw.get("licenseDeclared"), package.license_declared, ev("licenseDeclared"), refs)
    record.concluded = stated(raw.get("licenseConcluded"), package.license_concluded, ev("licenseConcluded"), refs)
    record.identifiers = _identifiers(package, ev, shared, hub)
    namespace = loaded.document.creation_info.document_namespace
    if is_url(namespace):  # what another document's DocumentRef-<doc>:<SPDXID> names
        record.identifiers.append(Identifier(Scheme.ELEMENT, f"{namespace}#{pid}", ev("SPDXID")))
    record.checksums = [
        Checksum(_algorithm(c.algorithm), c.value.lower(), package.file_name, ev("checksums"))
        for c in package.checksums
    ]
    record.statements = _statements(package, ev)
    return record


def _hub(package: Package) -> Hub | None:
    return hub_of(
        [(purl, "externalRefs") for purl in _purls(package)],
        [(package.download_location, "downloadLocation"), (package.homepage, "homepage")],
    )


def _kind(package: Package) -> tuple[str, str]:
    purpose = package.primary_package_purpose
    if purpose is not None and purpose.name in _CODE_PURPOSES:
        return "code", f"primaryPackagePurpose {purpose.name}"
    types = [p[4:].split("/", 1)[0].lower() for p in _purls(package)]
    software = [t for t in types if t != "generic"]
    if software:
        return "code", f"purl type {software[0]}"
    said = f"primaryPackagePurpose {purpose.name}" if purpose is not None else "no primaryPackagePurpose"
    return "other", f"{said}, no purl or Hub URL telling what it is"


def _purls(package: Package) -> list[str]:
    return [
        r.locator
        for r in package.external_references
        if r.reference_type == "purl" and r.locator.lower().startswith("pkg:")
    ]


def _identifiers(package: Package, ev: Ev, shared: set[str], hub: Hub | None) -> list[Identifier]:
    found = [Identifier("purl", purl, ev("externalRefs")) for purl in _purls(package)]
    found += [
        Identifier("doi", r.locator, ev("externalRefs"))
        for r in package.external_references
        if r.locator.lower().startswith(("doi:", "10.", "https://doi.org/"))
    ]
    location = package.download_location
    if is_url(location) and location not in shared:
        found.append(Identifier("url", location, ev("downloadLocation")))
    if hub:
        found.append(Identifier("hub", hub.id, ev(hub.field)))
    return found


def _algorithm(algorithm: Enum) -> str:
    return algorithm.name.lower().replace("_", "-")


def _statements(package: Package, ev: Ev) -> list[Statement]:
    found = []
    for name, attribute in _STATEMENTS:
        value = getattr(package, attribute)
        if value is not None and str(value).strip():
            found.append(Statement(name, shorten_line(_value(value)), ev(name)))
    found += [
        Statement("attributionTexts", shorten_line(t), ev("attributionTexts"))
        for t in package.attribution_texts
        if t.strip()
    ]
    return found


def _value(value: JSON) -> str:
    """Text of a model value: actors as SPDX writes them, enums by name, dates in ISO form."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.name
    return str(value).strip()


# --- validation ---------------------------------------------------------------------------------


def _validate(loaded: Loaded, rel: str, records: list[AssetRecord]) -> list[Problem]:
    """spdx-tools' validation, one problem per message naming the element; cross-checks only when cheap."""
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    document = loaded.document
    elements = len(document.packages) + len(document.files) + len(document.snippets) + 1
    links = len(document.relationships) + len(document.annotations) + elements
    problems = []
    try:
        if elements * links <= FULL_VALIDATION_COST:
            messages = validate_full_spdx_document(document)
        else:
            messages = _validate_elements(document)
            partly = (
                f"{elements} elements and {len(document.relationships)} relationships: each element was "
                "validated, but not the ids that relationships and annotations name (spdx-tools checks them "
                "in quadratic time)"
            )
            problems.append(Problem("partly-validated", partly, Evidence(rel, "")))
    except Exception as exc:  # a validator tripping on odd data must not lose the records already read
        failed = f"spdx-tools could not validate the document: {type(exc).__name__}: {shorten_line(str(exc), 300)}"
        return [Problem("invalid", failed, Evidence(rel, ""))]
    package_ids = (p.spdx_id for p in document.packages)
    keys = {pid: asset_key(r.kind, r.id) for pid, r in zip(package_ids, records, strict=False)}
    for message in messages[:MAX_MESSAGES]:
        problems.append(_invalid(message, loaded, rel, keys))
    if len(messages) > MAX_MESSAGES:
        problems.append(
            Problem("invalid", f"{len(messages) - MAX_MESSAGES} more validation messages not shown", Evidence(rel, ""))
        )
    return problems


def _validate_elements(document: Document) -> list[ValidationMessage]:
    from spdx_tools.spdx.validation.creation_info_validator import validate_creation_info
    from spdx_tools.spdx.validation.extracted_licensing_info_validator import validate_extracted_licensing_infos
    from spdx_tools.spdx.validation.file_validator import validate_files
    from spdx_tools.spdx.validation.package_validator import validate_packages
    from spdx_tools.spdx.validation.snippet_validator import validate_snippets

    version = document.creation_info.spdx_version
    return (
        validate_creation_info(document.creation_info, version)
        + validate_packages(document.packages, version)
        + validate_files(document.files, version)
        + validate_snippets(document.snippets, version)
        + validate_extracted_licensing_infos(document.extracted_licensing_info)
    )


def _invalid(message: ValidationMessage, loaded: Loaded, rel: str, packages: dict[str, str]) -> Problem:
    """A validation message as a problem naming its element (its package, for the asset)."""
    context = message.context
    element = context.element_type.name if context.element_type else "DOCUMENT"
    relationship = context.full_element if element == "RELATIONSHIP" else None
    named = context.spdx_id or context.parent_id or (relationship.spdx_element_id if relationship else None)
    line = loaded.lines.get(named or "")
    if relationship is not None:
        triple = (
            relationship.spdx_element_id,
            relationship.relationship_type.name,
            str(relationship.related_spdx_element_id),
        )
        pointer, line = f"relationships[{' '.join(triple)}]", loaded.relationship_lines.get(triple)
    elif element in ("PACKAGE", "FILE", "SNIPPET") and named:
        pointer = f"{element.lower()}s[{named}]"
    else:
        pointer = f"packages[{named}]" if named in packages else named or ""
    what = element.lower().replace("_", " ") + (f" {named}" if named else "")
    text = f"SPDX validation, {what}: {shorten_line(plain(message.validation_message), 300)}"
    return Problem("invalid", text, Evidence(rel, pointer, line), packages.get(named or ""))
