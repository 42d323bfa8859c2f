"""schema.org Dataset JSON-LD: dataset pages and catalogs that describe data without being Croissant.

JSON-LD is read as plain JSON and no remote @context is ever fetched. The few vocabularies an audit
needs (schema.org over http and https, Croissant, its RAI extension, PROV-O, Dublin Core) are
resolved here from the prefixes and terms a file declares plus their well-known IRIs, so that
`license`, `sc:license` and `http://schema.org/license` all read as the same field. The Croissant
reader is this reader with a stricter idea of what a file is; both share `read_datasets`.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path

from auditor.harvest.jsonld import Document, Node, label, open_document, text_of
from auditor.harvest.layout import Context, Placement
from auditor.harvest.schemalineage import IRI, Target, lineage, node_target
from auditor.identity import hub_ref
from auditor.model import (
    UNREAD_ENTRY,
    AssetRecord,
    Checksum,
    Evidence,
    Identifier,
    LicenseStatement,
    Problem,
    Statement,
)
from auditor.naming import asset_key
from auditor.readers import placeholders
from auditor.readers.values import JSON, shorten_line, type_name

FORMAT = "schema.org"
RANK = 6
PINNABLE = False
HUB_LAYOUT = False
IN_FOLDER = False


STATEMENT_FIELDS = ("description", "citeAs", "citation", "creator", "publisher", "usageInfo")
NODE_TEXT = ("name", "prov:label", "description", "prov:description", "url", "prov:atLocation", "prov:locatedAt", "@id")
DIGESTS = {"md5": 16, "sha1": 20, "sha256": 32, "sha512": 64}  # algorithm -> digest length in bytes

_HEX = re.compile(r"[0-9a-fA-F]+")
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,}/\S+)$", re.I)
_DATASET_TYPE = re.compile(rb'"(?:(?:sc|schema):|https?://schema\.org/)?Dataset"')


def detect(path: Path, head: bytes) -> bool:
    """A .json/.jsonld file whose first 4 KB name schema.org and a Dataset type, and that is not Croissant."""
    return (
        path.suffix.lower() in (".json", ".jsonld")
        and b"@context" in head
        and b"schema.org" in head
        and _DATASET_TYPE.search(head) is not None
        and not is_croissant(head)
    )


def is_croissant(head: bytes) -> bool:
    """Croissant's namespaces (1.x, and `ml:` of 0.8) or compact `cr:` keys in the file's head."""
    return b"mlcommons.org/croissant" in head or b"mlcommons.org/schema" in head or b'"cr:' in head


def read(path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]:
    """Every Dataset node of the file (root, @graph member or catalog entry) as a dataset record."""
    doc, problems = open_document(path, context.rel)
    if doc is None:
        return [], problems
    nodes = doc.datasets()
    if not nodes:
        return [], [
            Problem(
                "malformed",
                f"no schema.org Dataset node found ({doc.root_types()})",
                Evidence(context.rel, "/@type", doc.lines.get("/@type")),
            )
        ]
    records = read_datasets(doc, nodes, FORMAT, "schema.org Dataset", context.placement)
    return records, doc.problems


# --- a Dataset node -> a record ------------------------------------------------------------------------


def read_datasets(doc: Document, nodes: list[Node], fmt: str, basis: str, placement: Placement) -> list[AssetRecord]:
    """The dataset records of Dataset nodes: identities first, so that lineage between the file's own
    datasets can name the record it points to; then licenses, checksums, documentation, lineage.
    Each problem is tagged with the asset it concerns (file-level ones with the first dataset)."""
    records = [AssetRecord(id="", kind="dataset", source=doc.rel, format=fmt, kind_basis=basis) for _ in nodes]
    for node, record in zip(nodes, records, strict=False):
        start = len(doc.problems)
        record.identifiers = _identifiers(doc, node)
        record.id = _record_id(doc, node, record.identifiers, placement)
        doc.tag(start, asset_key(record.kind, record.id))
    doc.records = {node.id: record.id for node, record in zip(nodes, records, strict=False) if node.id}
    for node, record in zip(nodes, records, strict=False):
        start = len(doc.problems)
        record.version = placeholders.stated(_single_text(doc, node, "version"))
        record.licenses = _licenses(doc, node)
        record.checksums = _checksums(doc, node)
        record.statements = _statements(doc, node)
        record.references = lineage(doc, node)
        doc.tag(start, asset_key(record.kind, record.id))
    if records:
        doc.tag(0, asset_key(records[0].kind, records[0].id))
    return records + _described_upstreams(doc, nodes, fmt, basis)


def _described_upstreams(doc: Document, nodes: list[Node], fmt: str, basis: str) -> list[AssetRecord]:
    """A record for each upstream that a lineage node describes inline with a license of its own (a
    full schema.org Dataset inside isBasedOn): the file states its terms, so they are read, not dropped.
    A node with a name or link alone only refers to the upstream; nested lineage is followed."""
    seen = {n.pointer for n in nodes}
    found, todo = [], list(nodes)
    while todo:
        node = todo.pop()
        for name in ("isBasedOn", "prov:wasDerivedFrom"):
            for value, pointer in node.items(name):
                part = doc.node(value, pointer) if isinstance(value, dict) else None
                target = node_target(part) if part is not None and part.get("license") is not None else None
                if part is None or target is None or part.pointer in seen:
                    continue
                seen.add(part.pointer)
                todo.append(part)
                found.append(_described(doc, part, target, fmt, basis))
    return found


def _described(doc: Document, node: Node, target: Target, fmt: str, basis: str) -> AssetRecord:
    """The record of an upstream described inline: its identity, license, version and lineage."""
    record = AssetRecord(id=target.name, kind=target.kind or "dataset", source=doc.rel, format=fmt, kind_basis=basis)
    start = len(doc.problems)
    record.identifiers = _identifiers(doc, node)
    record.version = placeholders.stated(_single_text(doc, node, "version"))
    record.licenses = _licenses(doc, node)
    record.references = lineage(doc, node)
    doc.tag(start, asset_key(record.kind, record.id))
    return record


def _single_text(doc: Document, node: Node, name: str) -> str | None:
    """A property that holds one string (a number is taken as written: schema.org versions may be numbers)."""
    value = node.get(name)
    if value is None:
        return None
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    text = str(value) if number else text_of(value)
    if text is None:
        doc.problem("bad-field", f"'{name}' should be a string, found {type_name(value, 'list')}", node.at(name))
        return None
    return text.strip() or None


def _record_id(doc: Document, node: Node, identifiers: list[Identifier], placement: Placement) -> str:
    """The Hub id when the dataset says it is on the Hub, else its name (else what the layout tells)."""
    hub = next((i.value for i in identifiers if i.scheme == "hub"), None)
    name = _single_text(doc, node, "name")
    if hub or name:
        return hub or name or ""
    fallback = node.id or placement.asset_id or doc.rel
    doc.problem("invalid", f"the dataset has no 'name'; it is identified as '{fallback}'", node.at("name"))
    return fallback


def _identifiers(doc: Document, node: Node) -> list[Identifier]:
    """The dataset's URL, sameAs links, identifiers and IRI @id, as url / doi / purl / hub identifiers."""
    found: list[Identifier] = []
    if node.id and IRI.match(node.id) and not node.id.startswith("_:"):
        found += [Identifier(s, v, doc.ev(node.at("@id"))) for s, v in classify(node.id)]
    for name in ("url", "sameAs", "identifier"):
        for value, pointer in node.items(name):
            text = text_of(value)
            if isinstance(value, dict) and text is None:  # a PropertyValue or a node with a URL
                part = doc.node(value, pointer)
                text = next((t for t in (text_of(part.get(k)) for k in ("value", "url", "@id")) if t), None)
            kinds = classify(text.strip()) if text else []
            if not kinds and name != "identifier":  # schema.org allows any text as an identifier
                doc.problem(
                    "bad-field",
                    f"'{label(pointer)}' should be a URL, DOI or purl, found "
                    f"{repr(shorten_line(text, 80)) if text else type_name(value, 'list')}",
                    pointer,
                )
            found += [Identifier(s, v, doc.ev(pointer)) for s, v in kinds]
    return list({(i.scheme, i.value): i for i in found}.values())


def classify(text: str) -> list[tuple[str, str]]:
    """The identifier schemes a string gives: purl, doi, url, and hub for a Hub dataset URL."""
    if text.lower().startswith("pkg:"):
        return [("purl", text)]
    found = []
    doi = _DOI.match(text)
    if doi:
        found.append(("doi", doi.group(1)))
    if re.match(r"^https?://", text, re.I):
        found.append(("url", text))
        hub = hub_ref(text)
        if hub and hub[0] == "dataset":
            found.append(("hub", hub[1]))
    return found


def _licenses(doc: Document, node: Node) -> list[LicenseStatement]:
    """Each license as written: a string kept raw, an object read for its id, name and URL. A value
    naming none is a license that cannot be read, not an absent one: unread (INP001), as a card's."""
    found = []
    for value, pointer in node.items("license"):
        text = text_of(value)
        if text is not None:
            if text.strip():
                found.append(LicenseStatement(text, doc.ev(pointer)))
        elif isinstance(value, dict):
            statement = _license_object(doc.node(value, pointer), doc.ev(pointer))
            if statement:
                found.append(statement)
            else:
                unread = f"'{label(pointer)}' is an object without an identifier, @id, name or url; not read"
                doc.problem(UNREAD_ENTRY, unread, pointer)
        else:
            found_type = type_name(value, "list")
            doc.problem(UNREAD_ENTRY, f"'{label(pointer)}' should be a string or object, found {found_type}", pointer)
    return found


def _license_object(license_node: Node, evidence: Evidence) -> LicenseStatement | None:
    """{"@id"/"identifier", "name", "url"}: the id is the raw license, name and URL kept beside it."""
    name, url = text_of(license_node.get("name")), text_of(license_node.get("url"))
    raw = text_of(license_node.get("identifier")) or license_node.id
    if not (raw or name or url):
        return None
    return LicenseStatement(raw, evidence, name, url or license_node.id)


def _checksums(doc: Document, node: Node) -> list[Checksum]:
    """md5/sha1/sha256/sha512 of each distribution file, as lowercase hex (base64 digests converted)."""
    found = []
    for value, pointer in node.items("distribution"):
        if not isinstance(value, dict):
            doc.problem(
                "bad-field",
                f"'{label(pointer)}' should be a FileObject or FileSet object, found {type_name(value, 'list')}",
                pointer,
            )
            continue
        part = doc.node(value, pointer)
        target = next((t for t in (text_of(part.get(k)) for k in ("contentUrl", "name")) if t), part.id)
        for algorithm, size in DIGESTS.items():
            for digest, at in part.items(algorithm):
                hex_value, error = _digest(digest, size)
                if hex_value is None:
                    doc.problem(
                        "bad-field",
                        f"'{label(at)}' should be a {algorithm} digest ({size * 2} hex digits), found {error}",
                        at,
                    )
                else:
                    found.append(Checksum(algorithm, hex_value, target, doc.ev(at)))
    return found


def _digest(value: JSON, size: int) -> tuple[str | None, str | None]:
    """(lowercase hex, None) for a hex or base64 digest of `size` bytes, else (None, what was found)."""
    text = text_of(value)
    if text is None:
        return None, type_name(value, "list")
    text = text.strip()
    if _HEX.fullmatch(text):
        return (text.lower(), None) if len(text) == size * 2 else (None, f"{len(text)} hex digits")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) == size:
        return raw.hex(), None
    return None, repr(shorten_line(text, 80))


def _statements(doc: Document, node: Node) -> list[Statement]:
    """Documentation fields: description, citation, creators, publishers, usage info, every rai: and prov: key."""
    names = [n for n in STATEMENT_FIELDS if n in node.keys]
    names += [n for n in node.keys if n.startswith(("rai:", "prov:"))]
    found = []
    for name in names:
        for value, pointer in node.items(name):
            text = str(value).lower() if isinstance(value, bool) else text_of(value)
            if isinstance(value, dict) and text is None:
                text = node_text(doc.node(value, pointer))
                if text is None:
                    doc.problem(
                        "bad-field",
                        f"'{label(pointer)}' is an object without a name, label, description, url or @id",
                        pointer,
                    )
            elif text is None:
                doc.problem(
                    "bad-field",
                    f"'{label(pointer)}' should be text or an object, found {type_name(value, 'list')}",
                    pointer,
                )
            if text and placeholders.is_value(text):  # "TBD", "N/A", "[More Information Needed]" state nothing
                found.append(Statement(name, shorten_line(text), doc.ev(pointer)))
    return found


def node_text(node: Node) -> str | None:
    """What a node is called: its name or label, else its description, URL or @id."""
    return next((t for t in (text_of(node.get(k)) for k in NODE_TEXT) if t and t.strip()), None)
