"""SPDX 2.2 and 2.3 documents in every serialization, read through spdx-tools.

SBOMs state the licenses and the lineage of the packages a release is made of. spdx-tools parses the
five serializations (tag-value, JSON, YAML, XML, RDF/XML) into one model and validates it; this reader
turns each package of that model into an asset record and each relationship between packages into a
reference. Files and snippets are parts of packages, not assets: they are not recorded.

Untrusted bytes never reach spdx-tools' own file readers: JSON goes through safejson, XML and RDF/XML
through safexml (no DOCTYPE entities, no network), YAML through a loader with a node budget, and only
the parsed data is handed over. spdx-tools costs about 0.9 s to import, so read() imports it, never
detect(). spdx-tools rewrites license expressions as it parses them, so the raw strings are taken
from the parsed data (RDF/XML has no expression strings: there spdx-tools' rendering is used).

Evidence pointers are one field path for every serialization, with the SPDX JSON field names:
`packages[SPDXRef-Pkg].licenseDeclared`, `relationships[SPDXRef-A DESCENDANT_OF SPDXRef-B]`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import NamedTuple

import yaml

from auditor.harvest import safejson, safexml, safeyaml
from auditor.harvest.text import id_lines, read_text
from auditor.identity import hub_id, split_url
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

FORMAT = "spdx2"
MAX_BYTES = 32 * 1024 * 1024
MAX_YAML_NODES = 1_000_000
FULL_VALIDATION_COST = 400_000  # elements x (relationships + elements) above which cross-checks are skipped
MAX_MESSAGES = 50
MAX_VALUE = 200

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
_ELEMENT_LISTS = (
    "packages",
    "files",
    "snippets",
    "relationships",
    "annotations",
    "hasExtractedLicensingInfos",
    "externalDocumentRefs",
)
_NESTED_LISTS = ("checksums", "externalRefs", "annotations", "ranges")
_NESTED_OBJECTS = ("packageVerificationCode", "checksum")
_RDF_ROOT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
_LICENSE_FIELDS = ("licenseDeclared", "licenseConcluded")
_TAG_FIELDS = {"PackageLicenseDeclared": "licenseDeclared", "PackageLicenseConcluded": "licenseConcluded"}
_MESSAGE_LINE = re.compile(r"\b[Ll]ine:? (\d+)")
# Where an element is declared: JSON, YAML, tag-value and XML SPDXID fields, RDF/XML rdf:about.
_ID_LINE = re.compile(
    r"""(?:"SPDXID"\s*:\s*"|SPDXID\s*:\s*["']?|<SPDXID>\s*|about=["'][^"'#]*#)"""
    r"(SPDXRef-[A-Za-z0-9.\-+]+)"
)
# spdx-tools' sentences that name its own model rather than the document, as the document says it.
_UNANALYSED = "the package says its files were not analyzed (FilesAnalyzed: false)"
_SENTENCES = [
    (re.compile(pattern, re.S), sentence)
    for pattern, sentence in (
        (
            r"^package must contain no elements if files_analyzed is False, but found (.*)$",
            _UNANALYSED + r", yet the document puts files in it: \1",
        ),
        (
            r"^(\w+) must be None if files_analyzed is False, but is: (.*)$",
            _UNANALYSED + r", so it must not give \1; it gives \2",
        ),
        (r"^(.*) is not supported in SPDX-2\.2$", r"\1 is not part of SPDX 2.2 (declare SPDX-2.3 or leave it out)"),
        (
            r'^did not find the referenced spdx_id "([^"]*)" in the SPDX document(.*)$',
            r"no element of the document has the SPDX id \1 named here",
        ),
    )
]
# Python reprs of spdx-tools and license-expression objects, as SPDX writes those values.
_REPRS = [
    (re.compile(pattern), spelled)
    for pattern, spelled in (
        (
            r"Relationship\(spdx_element_id='([^']*)', relationship_type=<\w+\.(\w+): \d+>, "
            r"related_spdx_element_id='([^']*)'[^()]*\)",
            r"\1 \2 \3",
        ),
        (r"LicenseSymbol\('([^']*)'[^()]*(?:\([^()]*\)[^()]*)?\)", r"\1"),
        (r"LicenseWithExceptionSymbol\(license_symbol=([^,()]*), exception_symbol=([^,()]*)\)", r"\1 WITH \2"),
        (r"SpdxNoAssertion\(\)", "NOASSERTION"),
        (r"SpdxNone\(\)", "NONE"),
        (r"<\w+\.(\w+): [^<>]*>", r"\1"),  # an enum's repr: <RelationshipType.CONTAINED_BY: 5>
        (r"\b[A-Z]\w*(?:Type|Algorithm|Category|Purpose)\.(\w+)", r"\1"),  # its str: ChecksumAlgorithm.SHA256
        (r"\[([^\[\]]*)\]", lambda m: ", ".join(i.strip("'\"") for i in m.group(1).split(", "))),  # ['a', 'b']
        (r"\bNone\b", "nothing"),
    )
]
_FIELD = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # license_info_from_files

# Purposes that make a package software; the others (DEVICE, ARCHIVE, FILE, OTHER) leave the kind to the purl.
_CODE_PURPOSES = frozenset(
    {"APPLICATION", "FRAMEWORK", "LIBRARY", "SOURCE", "CONTAINER", "OPERATING_SYSTEM", "FIRMWARE", "INSTALL"}
)
# "X TYPE Y": X's record refers to Y ...
_FORWARD = {
    "DESCENDANT_OF": "descendant",
    "VARIANT_OF": "derived_from",
    "COPY_OF": "derived_from",
    "GENERATED_FROM": "generated",
    "EXPANDED_FROM_ARCHIVE": "derived_from",
    "CONTAINS": "contains",
    "STATIC_LINK": "contains",
    "DEPENDS_ON": "depends_on",
    "DYNAMIC_LINK": "depends_on",
    "HAS_PREREQUISITE": "depends_on",
}
# ... or Y's record refers to X.
_REVERSE = {
    "ANCESTOR_OF": "descendant",
    "GENERATES": "generated",
    "CONTAINED_BY": "contains",
    "PACKAGE_OF": "contains",
    "OPTIONAL_COMPONENT_OF": "contains",
    "DEPENDENCY_OF": "depends_on",
    "BUILD_DEPENDENCY_OF": "depends_on",
    "DEV_DEPENDENCY_OF": "depends_on",
    "OPTIONAL_DEPENDENCY_OF": "depends_on",
    "PROVIDED_DEPENDENCY_OF": "depends_on",
    "TEST_DEPENDENCY_OF": "depends_on",
    "RUNTIME_DEPENDENCY_OF": "depends_on",
    "PREREQUISITE_FOR": "depends_on",
    "DATA_FILE_OF": "depends_on",
}
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


class _Unreadable(Exception):
    """The file cannot be read as an SPDX 2 document; `problems` say why."""

    def __init__(self, problems: list[tuple[str, str, int | None]]):
        super().__init__(problems[0][1])
        self.problems = problems


@dataclass
class _Loaded:
    """A parsed document, with what spdx-tools does not keep: raw license strings and lines."""

    document: object
    raw: dict[str, dict[str, tuple[str, int | None]]] = field(default_factory=dict)  # id -> field -> (text, line)
    lines: dict[str, int] = field(default_factory=dict)  # element id -> line where it is declared
    relationship_lines: dict[tuple[str, str, str], int] = field(default_factory=dict)


def detect(path: Path, head: bytes) -> bool:
    serialization = _serialization(path.name)
    return (
        serialization is not None
        and b"spdx.org/rdf/3" not in head
        and any(marker in head for marker in _MARKERS[serialization])
    )


def read(path: Path, context) -> tuple[list[AssetRecord], list[Problem]]:
    """Every package of the document as a record, its relationships as references, and what is wrong."""
    rel = context.rel
    try:
        loaded = _load(path, _serialization(path.name) or "json")
    except _Unreadable as exc:
        return [], [Problem(code, message, Evidence(rel, "", line)) for code, message, line in exc.problems]
    records = _records(loaded, rel)
    return records, _validate(loaded, rel, records)


def _serialization(name: str) -> str | None:
    name = name.lower()
    return next((kind for suffix, kind in _SUFFIXES if name.endswith(suffix)), None)


# --- loading ------------------------------------------------------------------------------------


def _load(path: Path, serialization: str) -> _Loaded:
    if serialization == "tag":
        return _load_tagvalue(_text(path))
    if serialization == "yaml":
        text = _text(path)
        return _from_dict(_yaml(text), text)
    data = _bytes(path)
    text = data.decode("utf-8-sig", errors="replace")
    if serialization == "json":
        try:
            return _from_dict(safejson.loads(data), text)
        except safejson.JSONRefused as exc:
            raise _Unreadable([(exc.code, str(exc), exc.line)]) from None
    try:
        root = safexml.loads(data)
    except safexml.XMLRefused as exc:
        raise _Unreadable([(exc.code, str(exc), exc.line)]) from None
    if root.tag == _RDF_ROOT:
        return _load_rdf(data, text)
    if root.tag != "Document":
        raise _Unreadable(
            [
                (
                    "malformed",
                    f"XML root element is <{root.tag}>, expected <Document> (SPDX XML) or <rdf:RDF> (SPDX RDF/XML)",
                    root.sourceline,
                )
            ]
        )
    return _from_dict(_xml_dict(root), text)


def _bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _Unreadable(
                [
                    (
                        "refused",
                        f"file is {size / 1048576:.1f} MB, over the {MAX_BYTES // 1048576} MB limit for SPDX documents",
                        None,
                    )
                ]
            )
        return path.read_bytes()
    except OSError as exc:
        raise _Unreadable([("malformed", f"cannot read file: {exc.strerror or exc}", None)]) from None


def _text(path: Path) -> str:
    text, error = read_text(path)
    if error:
        raise _Unreadable([(error[0], error[1], None)])
    return text


def _parsed(parse, *args, **kwargs):
    """Run an spdx-tools parser; its complaints make the file unreadable, one problem per message."""
    from spdx_tools.spdx.parser.error import SPDXParsingError

    try:
        return parse(*args, **kwargs)
    except SPDXParsingError as exc:
        messages = list(dict.fromkeys(exc.get_messages())) or ["no details given"]
        raise _Unreadable(
            [
                ("malformed", f"not a valid SPDX 2 document: {shorten(plain(m), 300)}", _line_in(m))
                for m in messages[:MAX_MESSAGES]
            ]
        ) from None
    except (Exception, SystemExit) as exc:  # untrusted shapes spdx-tools does not expect (it may even exit)
        raise _Unreadable(
            [
                (
                    "malformed",
                    f"not a readable SPDX 2 document ({type(exc).__name__}: {shorten(plain(str(exc)), 300)})",
                    None,
                )
            ]
        ) from None


def plain(message: str) -> str:
    """An spdx-tools message in the user's words: its known sentences rephrased (_SENTENCES), then
    any Python repr left spelled as SPDX writes it (_REPRS) and field names as words. Linear: every
    pattern is anchored or stops at the next bracket or quote."""
    for pattern, sentence in _SENTENCES:
        message = pattern.sub(sentence, message)
    for pattern, spelled in _REPRS:
        message = pattern.sub(spelled, message)
    return _FIELD.sub(lambda m: m.group(0).replace("_", " "), message)


def _line_in(message: str) -> int | None:
    """The line a tag-value parser message names, if it names one."""
    found = _MESSAGE_LINE.search(message)
    return int(found.group(1)) if found else None


def _from_dict(data, text: str) -> _Loaded:
    """JSON, YAML and XML: spdx-tools' dictionary parser, raw license strings from the same dictionary."""
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

    if not isinstance(data, dict):
        raise _Unreadable([("malformed", f"an SPDX document should be an object, found {shape(data)}", None)])
    _check_lists(data)
    document = _parsed(JsonLikeDictParser().parse, data)
    lines = id_lines(_ID_LINE, text)
    raw = {}
    for package in data.get("packages") or []:
        if isinstance(package, dict) and isinstance(package.get("SPDXID"), str):
            pid = package["SPDXID"]
            raw[pid] = {f: (package[f], lines.get(pid)) for f in _LICENSE_FIELDS if isinstance(package.get(f), str)}
    return _Loaded(document, raw, lines)


def _check_lists(data: dict) -> None:
    """Lists of elements must hold objects: spdx-tools assumes so without checking, and then fails
    with an AttributeError instead of a message naming the field."""
    found = []
    if "creationInfo" in data and not isinstance(data["creationInfo"], dict):
        found.append(f"'creationInfo' should be an object, found {shape(data['creationInfo'])}")
    for name in _ELEMENT_LISTS:
        for i, element in _objects(data, name, name, found):
            for field_name in _NESTED_LISTS:
                _objects(element, field_name, f"{name}[{i}].{field_name}", found)
            for field_name in _NESTED_OBJECTS:
                if field_name in element and not isinstance(element[field_name], dict):
                    found.append(f"'{name}[{i}].{field_name}' should be an object, found {shape(element[field_name])}")
    if found:
        raise _Unreadable([("malformed", message, None) for message in found[:MAX_MESSAGES]])


def _objects(data: dict, key: str, path: str, found: list[str]) -> list[tuple[int, dict]]:
    """The objects of the list data[key] (absent: none); what is not a list of objects goes to `found`."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        found.append(f"'{path}' should be a list of objects, found {shape(value)}")
        return []
    found += [
        f"'{path}[{i}]' should be an object, found {shape(v)}" for i, v in enumerate(value) if not isinstance(v, dict)
    ]
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


class _YAMLLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML whose dates and decimals stay as written: spdx-tools wants text for dates and versions."""


for _tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"):
    _YAMLLoader.add_constructor(_tag, yaml.SafeLoader.construct_scalar)


def _yaml(text: str):
    try:
        node = safeyaml.compose(text, _YAMLLoader, MAX_YAML_NODES)
        if node is None:
            raise _Unreadable([("malformed", "empty YAML document", None)])
        return _YAMLLoader("").construct_document(node)
    except safeyaml.Refused as exc:
        raise _Unreadable([("refused", str(exc), exc.line)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _Unreadable(
            [("malformed", f"invalid YAML: {exc.problem or exc.context}", mark.line + 1 if mark else None)]
        ) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise _Unreadable([("malformed", f"invalid YAML: {exc}", None)]) from None


def _xml_dict(element):
    """An XML element as the dictionary spdx-tools' XML reader builds (xmltodict shape, list fields as lists)."""
    from spdx_tools.spdx.parser.xml.xml_parser import LIST_LIKE_FIELDS

    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        return element.text
    result: dict = {}
    for child in children:
        value = _xml_dict(child)
        if child.tag in result:
            if not isinstance(result[child.tag], list):
                result[child.tag] = [result[child.tag]]
            result[child.tag].append(value)
        elif child.tag in LIST_LIKE_FIELDS:
            result[child.tag] = [value] if value else []
        else:
            result[child.tag] = value
    return result


def _load_rdf(data: bytes, text: str) -> _Loaded:
    from rdflib import Graph
    from spdx_tools.spdx.parser.rdf.rdf_parser import translate_graph_to_document

    graph = _parsed(Graph().parse, data=data, format="xml")  # safexml has already refused DOCTYPE entities
    _check_rdf_document(graph)
    return _Loaded(_parsed(translate_graph_to_document, graph), {}, id_lines(_ID_LINE, text))


def _check_rdf_document(graph) -> None:
    """spdx-tools ends the whole process (sys.exit) when the RDF lacks one well-named SpdxDocument."""
    from rdflib import RDF
    from spdx_tools.spdx.rdfschema.namespace import SPDX_NAMESPACE

    documents = sorted(str(s) for s in set(graph.subjects(RDF.type, SPDX_NAMESPACE.SpdxDocument)))
    if len(documents) != 1:
        raise _Unreadable(
            [("malformed", f"RDF/XML should describe exactly one spdx:SpdxDocument, found {len(documents)}", None)]
        )
    namespace, _, element = documents[0].partition("#")
    if not namespace or not element:
        raise _Unreadable(
            [
                (
                    "malformed",
                    "the spdx:SpdxDocument URI should be the document namespace, '#' and "
                    f"its SPDX id, found '{shorten(documents[0], 200)}'",
                    None,
                )
            ]
        )


def _load_tagvalue(text: str) -> _Loaded:
    from ply import yacc
    from spdx_tools.common.spdx_licensing import spdx_licensing
    from spdx_tools.spdx.parser.tagvalue import parser as tagvalue

    # spdx-tools' tag-value parser builds a new license index (~50 ms) for every license field it
    # meets; the index spdx-tools built at import time is the same and serves them all.
    tagvalue.get_spdx_licensing = lambda: spdx_licensing
    parser = _parsed(tagvalue.Parser, debug=False, errorlog=yacc.NullLogger())
    loaded = _Loaded(_parsed(parser.parse, text))
    _scan_tagvalue(text, loaded)
    return loaded


def _scan_tagvalue(text: str, loaded: _Loaded) -> None:
    """Lines of packages and relationships, and the license strings as written, from the tag-value text."""
    package: dict | None = None
    in_text = False
    for number, line in enumerate(text.split("\n"), 1):
        if in_text:
            in_text = "</text>" not in line
            continue
        tag, _, value = line.partition(":")
        tag, value = tag.strip(), value.strip()
        in_text = "<text>" in value and "</text>" not in value
        if tag == "PackageName":
            package = {"line": number}
        elif tag in ("FileName", "SnippetSPDXID", "LicenseID"):
            package = None
        elif package is not None and tag == "SPDXID" and "id" not in package:
            package["id"] = value
            loaded.lines[value] = package["line"]
            loaded.raw[value] = package.setdefault("raw", {})
        elif package is not None and tag in _TAG_FIELDS:
            package.setdefault("raw", {})[_TAG_FIELDS[tag]] = (value, number)
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) >= 3:
                loaded.relationship_lines.setdefault((parts[0], parts[1], parts[2]), number)


# --- records ------------------------------------------------------------------------------------


def _records(loaded: _Loaded, rel: str) -> list[AssetRecord]:
    packages = loaded.document.packages
    shared = shared_values(p.download_location for p in packages)
    names = record_ids([(p.spdx_id, p.name, p.version) for p in packages])
    records = {p.spdx_id: _record(p, names[p.spdx_id], loaded, rel, shared) for p in packages}
    _references(loaded, records, rel)
    return list(records.values())


def _record(package, name: str, loaded: _Loaded, rel: str, shared: set[str]) -> AssetRecord:
    pid = package.spdx_id
    line = loaded.lines.get(pid)
    ev = lambda f: Evidence(rel, f"packages[{pid}].{f}", line)  # noqa: E731
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
    record.licenses = _license(raw.get("licenseDeclared"), package.license_declared, ev("licenseDeclared"))
    record.concluded = _license(raw.get("licenseConcluded"), package.license_concluded, ev("licenseConcluded"))
    record.identifiers = _identifiers(package, ev, shared, hub)
    record.checksums = [
        Checksum(_algorithm(c.algorithm), c.value.lower(), package.file_name, ev("checksums"))
        for c in package.checksums
    ]
    record.statements = _statements(package, ev)
    return record


def record_ids(packages: list[tuple[str, str, str | None]]) -> dict[str, str]:
    """(element id, name, version) -> record id: the name, told apart by version, then by element id,
    where names repeat in one document (record references must name one record)."""
    names = Counter(name for _, name, _ in packages)
    ids = {pid: f"{name}@{version}" if names[name] > 1 and version else name for pid, name, version in packages}
    taken = Counter(ids.values())
    return {pid: value if taken[value] == 1 else f"{value} ({pid})" for pid, value in ids.items()}


def shared_values(values) -> set[str]:
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
            revision = purl.split("@", 1)[1].split("?")[0].split("#")[0] if "@" in purl else None
            return Hub(found[0], found[1], revision or None, "purl pkg:huggingface", name)
    for url, name in urls:
        found = hub_id("url", url) if is_url(url) else None
        if found and found[1]:
            return Hub(found[0], found[1], None, f"Hugging Face Hub URL in {name}", name)
    return None


def _hub(package) -> Hub | None:
    return hub_of(
        [(purl, "externalRefs") for purl in _purls(package)],
        [(package.download_location, "downloadLocation"), (package.homepage, "homepage")],
    )


def _kind(package) -> tuple[str, str]:
    purpose = package.primary_package_purpose
    if purpose is not None and purpose.name in _CODE_PURPOSES:
        return "code", f"primaryPackagePurpose {purpose.name}"
    types = [p[4:].split("/", 1)[0].lower() for p in _purls(package)]
    software = [t for t in types if t != "generic"]
    if software:
        return "code", f"purl type {software[0]}"
    said = f"primaryPackagePurpose {purpose.name}" if purpose is not None else "no primaryPackagePurpose"
    return "other", f"{said}, no purl or Hub URL telling what it is"


def _purls(package) -> list[str]:
    return [
        r.locator
        for r in package.external_references
        if r.reference_type == "purl" and r.locator.lower().startswith("pkg:")
    ]


def _license(raw: tuple[str, int | None] | None, parsed, evidence: Evidence) -> list[LicenseStatement]:
    """The license field as written (absent: no statement); NOASSERTION and NONE stay as they are."""
    if parsed is None:
        return []
    if raw is None:  # RDF/XML: no expression string, spdx-tools' rendering of the parsed expression
        return [LicenseStatement(str(parsed), evidence)]
    return [LicenseStatement(raw[0].strip(), Evidence(evidence.file, evidence.pointer, raw[1]))]


def _identifiers(package, ev, shared: set[str], hub: Hub | None) -> list[Identifier]:
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


def _algorithm(algorithm) -> str:
    return algorithm.name.lower().replace("_", "-")


def _statements(package, ev) -> list[Statement]:
    found = []
    for name, attribute in _STATEMENTS:
        value = getattr(package, attribute)
        if value is not None and str(value).strip():
            found.append(Statement(name, shorten(_value(value)), ev(name)))
    found += [
        Statement("attributionTexts", shorten(t), ev("attributionTexts"))
        for t in package.attribution_texts
        if t.strip()
    ]
    return found


def _value(value) -> str:
    """Text of a model value: actors as SPDX writes them, enums by name, dates in ISO form."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.name
    return str(value).strip()


def shorten(text: str, limit: int = MAX_VALUE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_url(value) -> bool:
    """A URL that can be taken apart: urlsplit raises on some strings (an unclosed '[' host)."""
    return isinstance(value, str) and "://" in value and split_url(value) is not None


def shape(value) -> str:
    """The JSON name of a value's type, for messages."""
    names = {dict: "object", list: "list", str: "string", bool: "boolean", int: "number", float: "number"}
    return "no value" if value is None else names.get(type(value), type(value).__name__)


# --- relationships ------------------------------------------------------------------------------


def _references(loaded: _Loaded, records: dict[str, AssetRecord], rel: str) -> None:
    document = loaded.document
    external = {r.document_ref_id: r.document_uri for r in document.creation_info.external_document_refs}
    for r in document.relationships:
        a, kind, b = r.spdx_element_id, r.relationship_type.name, r.related_spdx_element_id
        if not isinstance(b, str) or (kind not in _FORWARD and kind not in _REVERSE):
            continue
        child, parent, code = (a, b, _FORWARD[kind]) if kind in _FORWARD else (b, a, _REVERSE[kind])
        record = records.get(child)
        if record is None or parent == child:
            continue  # files, snippets, the document itself, or an element of another document
        evidence = Evidence(rel, f"relationships[{a} {kind} {b}]", loaded.relationship_lines.get((a, kind, b)))
        reference = _reference(parent, code, record, records, external, evidence)
        if reference and not any(
            (x.target, x.relation) == (reference.target, reference.relation) for x in record.references
        ):
            record.references.append(reference)


def _reference(
    parent: str,
    code: str,
    child: AssetRecord,
    records: dict[str, AssetRecord],
    external: dict[str, str],
    evidence: Evidence,
) -> Reference | None:
    if parent in records:
        target = records[parent]
        return Reference(
            target.id,
            target.kind,
            lineage_relation(code, child.kind, target.kind),
            evidence,
            scheme="record",
            revision=target.revision or target.version,
        )
    prefix, _, element = parent.partition(":")
    if not element or prefix not in external or not is_url(external[prefix]):
        return None  # a file or snippet of this document, or an undeclared document (validation says so)
    relation = lineage_relation(code, child.kind, "other")
    return Reference(f"{external[prefix]}#{element}", "other", relation, evidence, scheme="url")


def lineage_relation(code: str, child_kind: str, parent_kind: str) -> str:
    """descendant: finetune between two models; generated: generated_by for a model's output."""
    if code == "descendant":
        return "finetune" if child_kind == parent_kind == "model" else "derived_from"
    if code == "generated":
        return "generated_by" if parent_kind == "model" and child_kind != "model" else "derived_from"
    return code


# --- validation ---------------------------------------------------------------------------------


def _validate(loaded: _Loaded, rel: str, records: list[AssetRecord]) -> list[Problem]:
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
            problems.append(
                Problem(
                    "partly-validated",
                    f"{elements} elements and {len(document.relationships)} "
                    "relationships: each element was validated, but not the ids that "
                    "relationships and annotations name (spdx-tools checks them in quadratic "
                    "time)",
                    Evidence(rel, ""),
                )
            )
    except Exception as exc:  # a validator tripping on odd data must not lose the records already read
        return [
            Problem(
                "invalid",
                f"spdx-tools could not validate the document: {type(exc).__name__}: {shorten(str(exc), 300)}",
                Evidence(rel, ""),
            )
        ]
    package_ids = (p.spdx_id for p in document.packages)
    keys = {pid: asset_key(r.kind, r.id) for pid, r in zip(package_ids, records, strict=False)}
    for message in messages[:MAX_MESSAGES]:
        problems.append(_invalid(message, loaded, rel, keys))
    if len(messages) > MAX_MESSAGES:
        problems.append(
            Problem("invalid", f"{len(messages) - MAX_MESSAGES} more validation messages not shown", Evidence(rel, ""))
        )
    return problems


def _validate_elements(document) -> list:
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


def _invalid(message, loaded: _Loaded, rel: str, packages: dict[str, str]) -> Problem:
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
    text = f"SPDX validation, {what}: {shorten(plain(message.validation_message), 300)}"
    return Problem("invalid", text, Evidence(rel, pointer, line), packages.get(named or ""))
