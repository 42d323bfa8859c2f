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
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from auditor.identity import hub_ref
from auditor.model import (
    AssetRecord,
    Checksum,
    Evidence,
    Identifier,
    LicenseStatement,
    Problem,
    Reference,
    Statement,
    asset_key,
)
from auditor.readers import safejson
from auditor.readers.values import shorten_line, type_name

FORMAT = "schema.org"
RANK = 6
PINNABLE = False
HUB_LAYOUT = False

SCHEMA = "https://schema.org/"
CROISSANT = "http://mlcommons.org/croissant/"
RAI = "http://mlcommons.org/croissant/RAI/"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
CROISSANT_08 = "http://mlcommons.org/schema/"  # the `ml:` namespace of Croissant 0.8
WELL_KNOWN = {"sc": SCHEMA, "schema": SCHEMA, "cr": CROISSANT, "rai": RAI, "prov": PROV, "dct": DCT, "ml": CROISSANT_08}
# IRI namespace -> prefix of the canonical field name; schema.org and Croissant terms stay bare.
CANONICAL = (
    ("http://schema.org/", ""),
    ("https://schema.org/", ""),
    ("http://mlcommons.org/croissant/RAI/", "rai:"),
    ("https://mlcommons.org/croissant/RAI/", "rai:"),
    ("http://mlcommons.org/croissant/", ""),
    ("https://mlcommons.org/croissant/", ""),
    (PROV, "prov:"),
    (DCT, "dct:"),
    (CROISSANT_08, ""),
)
RAI_08 = frozenset({"dataBiases", "dataCollection", "personalSensitiveInformation"})  # RAI fields of 0.8

STATEMENT_FIELDS = ("description", "citeAs", "citation", "creator", "publisher", "usageInfo")
NODE_TEXT = ("name", "prov:label", "description", "prov:description", "url", "prov:atLocation", "prov:locatedAt", "@id")
LOCATIONS = ("url", "prov:atLocation", "prov:locatedAt", "sameAs", "contentUrl", "identifier", "@id")
DIGESTS = {"md5": 16, "sha1": 20, "sha256": 32, "sha512": 64}  # algorithm -> digest length in bytes
MAX_LINE_INDEX_BYTES = 16 * 1024 * 1024
MAX_INDEX_DEPTH = 8

_HEX = re.compile(r"[0-9a-fA-F]+")
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,}/\S+)$", re.I)
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")
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


def read(path: Path, context) -> tuple[list[AssetRecord], list[Problem]]:
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


# --- JSON documents with line numbers ------------------------------------------------------------


def load_json(path: Path) -> tuple[object, dict[str, int]]:
    """The parsed JSON of `path` and the 1-based line of each JSON pointer (shallow ones); JSONRefused if unreadable."""
    data = safejson.load(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_LINE_INDEX_BYTES else b""
    except OSError:
        raw = b""
    return data, json_lines(raw.decode("utf-8-sig", errors="replace"))


_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def json_lines(text: str, max_depth: int = MAX_INDEX_DEPTH) -> dict[str, int]:
    """JSON pointer -> line where its value starts, for values nested at most `max_depth` deep."""
    lines: dict[str, int] = {}
    stack: list[list] = []  # frames: [pointer, is_object, key, index, awaiting_key]
    line, pos = 1, 0
    for match in _TOKENS.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        token = match.group()
        top = stack[-1] if stack else None
        if token in "}]":
            if stack:
                stack.pop()
        elif token == ":" and top:
            top[4] = False
        elif token == "," and top:
            if top[1]:
                top[4] = True
            else:
                top[3] += 1
        elif top and top[1] and top[4]:
            top[2] = _json_string(token)
        else:
            pointer = "" if top is None else f"{top[0]}/{_escape(top[2] if top[1] else str(top[3]))}"
            if len(stack) <= max_depth:
                lines.setdefault(pointer, line)
            if token in "{[":
                stack.append([pointer, token == "{", "", 0, token == "{"])
    return lines


def _json_string(token: str) -> str:
    try:
        return json.loads(token)
    except ValueError:
        return token


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


# --- JSON-LD vocabulary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocab:
    """What a file's @context says about names: prefixes, term definitions and the default vocabulary."""

    prefixes: dict[str, str]
    terms: dict[str, str]
    vocab: str = SCHEMA

    @classmethod
    def of(cls, context, base: Vocab | None = None) -> Vocab:
        """The vocabulary of an @context value (remote context URLs are not fetched, only their defaults kept)."""
        prefixes = dict(base.prefixes if base else WELL_KNOWN)
        terms = dict(base.terms) if base else {}
        vocab = base.vocab if base else SCHEMA
        for entry in context if isinstance(context, list) else [context]:
            if not isinstance(entry, dict):
                continue
            for key, value in entry.items():
                iri = value.get("@id") if isinstance(value, dict) else value
                if key == "@vocab" and isinstance(value, str):
                    vocab = value
                elif not key.startswith("@") and isinstance(iri, str):
                    if iri.endswith(("/", "#")) and ":" not in key:
                        prefixes[key] = iri
                    else:
                        terms[key] = iri
        return cls(prefixes, terms, vocab)

    def expand(self, name: str) -> str:
        """The full IRI of a property or type name (or a JSON-LD keyword as itself)."""
        for _ in range(4):  # terms may be defined through other terms; a cycle stops here
            if name not in self.terms:
                break
            name = self.terms[name]
        if name.startswith("@"):
            return name
        prefix, colon, rest = name.partition(":")
        if not colon:
            return self.vocab + name
        if rest.startswith("//") or prefix not in self.prefixes:
            return name
        return self.prefixes[prefix] + rest

    def canonical(self, name: str) -> str:
        """The name mlaudit uses: schema.org and Croissant terms bare, `rai:`, `prov:`, `dct:` prefixed."""
        iri = self.expand(name)
        for namespace, prefix in CANONICAL:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if namespace == CROISSANT_08 and local in RAI_08:
                    return "rai:" + local
                return prefix + local
        return iri


class Node:
    """One JSON-LD node object: its properties under canonical names, and the JSON pointer it sits at."""

    def __init__(self, data: dict, pointer: str, vocab: Vocab):
        self.data, self.pointer = data, pointer
        self.vocab = Vocab.of(data["@context"], vocab) if isinstance(data.get("@context"), (dict, list)) else vocab
        self.keys: dict[str, str] = {}
        for key in data:
            self.keys.setdefault(self.vocab.canonical(key), key)

    def get(self, name: str):
        key = self.keys.get(name)
        return None if key is None else self.data[key]

    def at(self, name: str) -> str:
        """The JSON pointer of a property (as the file spells its key)."""
        return f"{self.pointer}/{_escape(self.keys.get(name, name))}"

    def items(self, name: str) -> list[tuple[object, str]]:
        """A property's values as (value, pointer): one for a single value, each item of a list."""
        return values(self.get(name), self.at(name))

    @property
    def types(self) -> set[str]:
        raw = self.get("@type")
        return {self.vocab.canonical(t) for t in (raw if isinstance(raw, list) else [raw]) if isinstance(t, str)}

    @property
    def id(self) -> str | None:
        value = self.get("@id")
        return value if isinstance(value, str) else None

    @property
    def names_a_model(self) -> bool:
        return any(re.split(r"[:/#]", t)[-1].endswith("Model") for t in self.types)


def values(value, pointer: str) -> list[tuple[object, str]]:
    """A JSON-LD value as a list of (item, pointer), unwrapping @list/@set."""
    if isinstance(value, dict) and len(value) == 1 and ("@list" in value or "@set" in value):
        key = next(iter(value))
        return values(value[key], f"{pointer}/{key}")
    if value is None:
        return []
    if isinstance(value, list):
        return [(item, f"{pointer}/{i}") for i, item in enumerate(value) if item is not None]
    return [(value, pointer)]


def text_of(value) -> str | None:
    """The text of a string literal (plain or {"@value": ...}); None for numbers, nodes and other shapes."""
    if isinstance(value, dict) and "@value" in value:
        value = value["@value"]
    return value if isinstance(value, str) else None


def label(pointer: str) -> str:
    """A JSON pointer as a field path for messages: `/distribution/0/sha256` -> `distribution/0/sha256`."""
    return pointer.lstrip("/") or "(root)"


# --- the document ------------------------------------------------------------------------------------


@dataclass
class Document:
    """One JSON-LD file being read: its root, line index, @id index and the problems met so far."""

    rel: str
    root: object
    lines: dict[str, int]
    vocab: Vocab
    ids: dict[str, tuple[dict, str]] = field(default_factory=dict)
    records: dict[str, str] = field(default_factory=dict)  # @id of a Dataset node -> id of its record
    problems: list[Problem] = field(default_factory=list)

    def ev(self, pointer: str) -> Evidence:
        return Evidence(self.rel, pointer, self.lines.get(pointer))

    def problem(self, code: str, message: str, pointer: str) -> None:
        self.problems.append(Problem(code, message, self.ev(pointer)))

    def node(self, data: dict, pointer: str) -> Node:
        """A node, or the node a bare {"@id": ...} reference points to elsewhere in the file."""
        if set(data) == {"@id"} and isinstance(data["@id"], str) and data["@id"] in self.ids:
            data, pointer = self.ids[data["@id"]]
        return Node(data, pointer, self.vocab)

    def datasets(self) -> list[Node]:
        """Dataset nodes: the root, members of @graph or of a root list, and a root catalog's datasets."""
        if isinstance(self.root, dict):
            root = Node(self.root, "", self.vocab)
            candidates = [(self.root, "")] + root.items("@graph") + root.items("dataset")
        else:
            candidates = values(self.root, "") if isinstance(self.root, list) else []
        nodes = [self.node(data, pointer) for data, pointer in candidates if isinstance(data, dict)]
        return [n for n in nodes if "Dataset" in n.types]

    def root_types(self) -> str:
        if not isinstance(self.root, dict):
            return f"the file holds a JSON {type_name(self.root)}"
        types = sorted(Node(self.root, "", self.vocab).types)
        return f"root @type is {', '.join(repr(t) for t in types)}" if types else "the root object has no @type"

    def tag(self, start: int, key: str) -> None:
        """Tag the problems from index `start` on that no asset claims yet with asset `key`."""
        self.problems[start:] = [
            p if p.asset else Problem(p.code, p.message, p.evidence, key) for p in self.problems[start:]
        ]


def open_document(path: Path, rel: str) -> tuple[Document | None, list[Problem]]:
    """The JSON-LD document of `path`, or None and the problem that stops it being read."""
    try:
        root, lines = load_json(path)
    except safejson.JSONRefused as exc:
        return None, [Problem(exc.code, str(exc), Evidence(rel, "", exc.line))]
    context = root.get("@context") if isinstance(root, dict) else None
    doc = Document(rel, root, lines, Vocab.of(context))
    if context is not None and not isinstance(context, (str, dict, list)):
        doc.problem("bad-field", f"'@context' should be a URL, object or list, found {type_name(context)}", "/@context")
    doc.ids = _id_index(root)
    return doc, []


def _id_index(root) -> dict[str, tuple[dict, str]]:
    """@id -> (node, pointer) for every node that defines more than its @id, without recursion."""
    found: dict[str, tuple[dict, str]] = {}
    todo = [(root, "", 0)]
    while todo:
        value, pointer, depth = todo.pop()
        if depth > MAX_INDEX_DEPTH:
            continue
        if isinstance(value, dict):
            if isinstance(value.get("@id"), str) and len(value) > 1:
                found.setdefault(value["@id"], (value, pointer))
            todo += [(v, f"{pointer}/{_escape(k)}", depth + 1) for k, v in value.items() if isinstance(v, (dict, list))]
        elif isinstance(value, list):
            todo += [(v, f"{pointer}/{i}", depth + 1) for i, v in enumerate(value) if isinstance(v, (dict, list))]
    return found


# --- a Dataset node -> a record ------------------------------------------------------------------------


def read_datasets(doc: Document, nodes: list[Node], fmt: str, basis: str, placement) -> list[AssetRecord]:
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
        record.version = _single_text(doc, node, "version")
        record.licenses = _licenses(doc, node)
        record.checksums = _checksums(doc, node)
        record.statements = _statements(doc, node)
        record.references = _lineage(doc, node)
        doc.tag(start, asset_key(record.kind, record.id))
    if records:
        doc.tag(0, asset_key(records[0].kind, records[0].id))
    return records


def _single_text(doc: Document, node: Node, name: str) -> str | None:
    """A property that holds one string (a number is taken as written: schema.org versions may be numbers)."""
    value = node.get(name)
    if value is None:
        return None
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    text = str(value) if number else text_of(value)
    if text is None:
        doc.problem("bad-field", f"'{name}' should be a string, found {type_name(value)}", node.at(name))
        return None
    return text.strip() or None


def _record_id(doc: Document, node: Node, identifiers: list[Identifier], placement) -> str:
    """The Hub id when the dataset says it is on the Hub, else its name (else what the layout tells)."""
    hub = next((i.value for i in identifiers if i.scheme == "hub"), None)
    name = _single_text(doc, node, "name")
    if hub or name:
        return hub or name
    fallback = node.id or placement.asset_id or doc.rel
    doc.problem("invalid", f"the dataset has no 'name'; it is identified as '{fallback}'", node.at("name"))
    return fallback


def _identifiers(doc: Document, node: Node) -> list[Identifier]:
    """The dataset's URL, sameAs links, identifiers and IRI @id, as url / doi / purl / hub identifiers."""
    found: list[Identifier] = []
    if node.id and _IRI.match(node.id) and not node.id.startswith("_:"):
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
                    f"{repr(shorten_line(text, 80)) if text else type_name(value)}",
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
    """Each license as written: a string kept raw, an object read for its id, name and URL."""
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
                doc.problem(
                    "bad-field", f"'{label(pointer)}' is an object without an identifier, @id, name or url", pointer
                )
        else:
            doc.problem(
                "bad-field", f"'{label(pointer)}' should be a string or object, found {type_name(value)}", pointer
            )
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
                f"'{label(pointer)}' should be a FileObject or FileSet object, found {type_name(value)}",
                pointer,
            )
            continue
        part = doc.node(value, pointer)
        target = next((t for t in (text_of(part.get(k)) for k in ("contentUrl", "name")) if t), part.id)
        for algorithm, size in DIGESTS.items():
            for digest, at in part.items(algorithm):
                hex_value, error = _digest(digest, size)
                if error:
                    doc.problem(
                        "bad-field",
                        f"'{label(at)}' should be a {algorithm} digest ({size * 2} hex digits), found {error}",
                        at,
                    )
                else:
                    found.append(Checksum(algorithm, hex_value, target, doc.ev(at)))
    return found


def _digest(value, size: int) -> tuple[str | None, str | None]:
    """(lowercase hex, None) for a hex or base64 digest of `size` bytes, else (None, what was found)."""
    text = text_of(value)
    if text is None:
        return None, type_name(value)
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
                    "bad-field", f"'{label(pointer)}' should be text or an object, found {type_name(value)}", pointer
                )
            if text and text.strip():
                found.append(Statement(name, shorten_line(text), doc.ev(pointer)))
    return found


def node_text(node: Node) -> str | None:
    """What a node is called: its name or label, else its description, URL or @id."""
    return next((t for t in (text_of(node.get(k)) for k in NODE_TEXT) if t and t.strip()), None)


# --- lineage ----------------------------------------------------------------------------------------------


class Target(NamedTuple):
    """What a reference points at: the target, its scheme, the kind the link or type tells, a revision."""

    name: str
    scheme: str
    kind: str | None = None
    revision: str | None = None


def _lineage(doc: Document, node: Node) -> list[Reference]:
    """isBasedOn and prov:wasDerivedFrom -> derived_from; a model named by prov:wasGeneratedBy -> generated_by."""
    found = []
    for name in ("isBasedOn", "prov:wasDerivedFrom"):
        for value, pointer in node.items(name):
            found += _refs(doc, value, pointer, "derived_from", "dataset")
    for value, pointer in node.items("prov:wasGeneratedBy"):
        found += _generated_by(doc, value, pointer)
    seen, unique = set(), []
    for ref in found:
        if (ref.target.lower(), ref.relation) not in seen:
            seen.add((ref.target.lower(), ref.relation))
            unique.append(ref)
    return unique


def _generated_by(doc: Document, value, pointer: str) -> list[Reference]:
    """An activity (or agent) that names a model, or whose agents or used entities do, gives a
    generated_by reference to that model; its other used entities are inputs (derived_from)."""
    found = _refs(doc, value, pointer, "generated_by", "model") if _is_model(doc, value, pointer) else []
    if not isinstance(value, dict):
        return found
    activity = doc.node(value, pointer)
    for name in ("prov:wasAssociatedWith", "wasAssociatedWith", "prov:used", "used"):
        for item, at in activity.items(name):
            if _is_model(doc, item, at):
                found += _refs(doc, item, at, "generated_by", "model")
            elif name.endswith("used"):
                found += _refs(doc, item, at, "derived_from", "dataset")
    return found


def _is_model(doc: Document, value, pointer: str) -> bool:
    """Whether an activity, agent, entity or link names a model: a *Model @type, a Hub model URL or purl."""
    if isinstance(value, dict):
        target = _node_target(doc.node(value, pointer))
    else:
        text = text_of(value)
        target = _upstream(text.strip()) if text and text.strip() else None
    return target is not None and target.kind == "model"


def _refs(doc: Document, value, pointer: str, relation: str, kind: str) -> list[Reference]:
    """The reference a string or node makes, or a bad-field problem when it names nothing."""
    text = text_of(value)
    if text is not None:
        target = _upstream(text.strip()) if text.strip() else None
    elif isinstance(value, dict) and isinstance(value.get("@id"), str) and value["@id"] in doc.records:
        target = Target(doc.records[value["@id"]], "record", "dataset")
    elif isinstance(value, dict):
        target = _node_target(doc.node(value, pointer))
    else:
        target = None
    if target is None:
        doc.problem("bad-field", f"'{label(pointer)}' names no upstream asset (no URL, @id, name or label)", pointer)
        return []
    return [
        Reference(
            target.name, target.kind or kind, relation, doc.ev(pointer), scheme=target.scheme, revision=target.revision
        )
    ]


def _upstream(text: str) -> Target:
    """The target a string names: a Hub id from a Hub URL, a purl, another IRI, else a plain name."""
    hub = hub_ref(text)
    if hub:
        return Target(hub[1], "hub", hub[0], hub[2])
    if text.lower().startswith("pkg:"):
        hf = text.lower().startswith("pkg:huggingface/")
        kind = ("dataset" if text.lower().startswith("pkg:huggingface/datasets/") else "model") if hf else None
        return Target(text, "purl", kind)
    if _IRI.match(text):
        return Target(text, "url")
    return Target(text, "hub")


def _node_target(node: Node) -> Target | None:
    """A node's best name: a link that tells the kind (Hub, purl), else any link, else its name or label.
    A bare local @id ("squad1") names nothing outside the file and is skipped."""
    links = [t.strip() for t in (text_of(node.get(k)) for k in LOCATIONS) if t and t.strip()]
    candidates = [c for c in map(_upstream, links) if c.scheme != "hub" or c.kind]
    name = next((t.strip() for t in (text_of(node.get(k)) for k in ("name", "prov:label")) if t and t.strip()), None)
    if name:
        candidates.append(Target(name, "hub"))
    best = next((c for c in candidates if c.kind), None) or next(iter(candidates), None)
    if best is None:
        return None
    kind = best.kind or (
        "model"
        if node.names_a_model
        else "code"
        if node.types & {"SoftwareSourceCode", "SoftwareApplication"}
        else None
    )
    return best._replace(kind=kind, revision=best.revision or text_of(node.get("version")))
