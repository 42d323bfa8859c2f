"""JSON-LD read as plain JSON: vocabularies resolved from the file's own @context, nodes under canonical names.

No remote @context is ever fetched. The few vocabularies an audit needs (schema.org over http and
https, Croissant, its RAI extension, PROV-O, Dublin Core) are resolved from the prefixes and terms a
file declares plus their well-known IRIs, so that `license`, `sc:license` and
`http://schema.org/license` all read as the same field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from auditor.model import Evidence, Problem, twice_told
from auditor.readers import safejson
from auditor.readers.jsonlines import MAX_INDEX_DEPTH, json_pointer, load_json, pointer_step
from auditor.readers.values import JSON, type_name

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
# The fields (canonical names) stating a node's license or lineage: given twice inside one, unknown.
TERMS_FIELDS = frozenset({"license", "isBasedOn", "prov:wasDerivedFrom", "prov:wasGeneratedBy"})
RAI_08 = frozenset({"dataBiases", "dataCollection", "personalSensitiveInformation"})  # RAI fields of 0.8


@dataclass(frozen=True)
class Vocab:
    """What a file's @context says about names: prefixes, term definitions and the default vocabulary."""

    prefixes: dict[str, str]
    terms: dict[str, str]
    vocab: str = SCHEMA

    @classmethod
    def of(cls, context: JSON, base: Vocab | None = None) -> Vocab:
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

    def __init__(self, data: dict[str, JSON], pointer: str, vocab: Vocab):
        self.data, self.pointer = data, pointer
        self.vocab = Vocab.of(data["@context"], vocab) if isinstance(data.get("@context"), (dict, list)) else vocab
        self.keys: dict[str, str] = {}
        for key in data:
            self.keys.setdefault(self.vocab.canonical(key), key)

    def get(self, name: str) -> JSON:
        key = self.keys.get(name)
        return None if key is None else self.data[key]

    def at(self, name: str) -> str:
        """The JSON pointer of a property (as the file spells its key)."""
        return f"{self.pointer}/{pointer_step(self.keys.get(name, name))}"

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


def values(value: JSON, pointer: str) -> list[tuple[object, str]]:
    """A JSON-LD value as a list of (item, pointer), unwrapping @list/@set."""
    if isinstance(value, dict) and len(value) == 1 and ("@list" in value or "@set" in value):
        key = next(iter(value))
        return values(value[key], f"{pointer}/{key}")
    if value is None:
        return []
    if isinstance(value, list):
        return [(item, f"{pointer}/{i}") for i, item in enumerate(value) if item is not None]
    return [(value, pointer)]


def text_of(value: JSON) -> str | None:
    """The text of a string literal (plain or {"@value": ...}); None for numbers, nodes and other shapes."""
    if isinstance(value, dict) and "@value" in value:
        value = value["@value"]
    return value if isinstance(value, str) else None


def label(pointer: str) -> str:
    """A JSON pointer as a field path for messages: `/distribution/0/sha256` -> `distribution/0/sha256`."""
    return pointer.lstrip("/") or "(root)"


@dataclass
class Document:
    """One JSON-LD file being read: its root, line index, @id index and the problems met so far."""

    rel: str
    root: object
    lines: dict[str, int]
    vocab: Vocab
    ids: dict[str, tuple[dict[str, JSON], str]] = field(default_factory=dict)
    records: dict[str, str] = field(default_factory=dict)  # @id of a Dataset node -> id of its record
    problems: list[Problem] = field(default_factory=list)

    def ev(self, pointer: str) -> Evidence:
        return Evidence(self.rel, pointer, self.lines.get(pointer))

    def problem(self, code: str, message: str, pointer: str) -> None:
        self.problems.append(Problem(code, message, self.ev(pointer)))

    def node(self, data: dict[str, JSON], pointer: str) -> Node:
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
            return f"the file holds a JSON {type_name(self.root, 'list')}"
        types = sorted(Node(self.root, "", self.vocab).types)
        return f"root @type is {', '.join(repr(t) for t in types)}" if types else "the root object has no @type"

    def tag(self, start: int, key: str) -> None:
        """Tag the problems from index `start` on that no asset claims yet with asset `key`."""
        self.problems[start:] = [
            p if p.asset else Problem(p.code, p.message, p.evidence, key) for p in self.problems[start:]
        ]


def open_document(path: Path, rel: str) -> tuple[Document | None, list[Problem]]:
    """The JSON-LD document of `path`, or None and the problem that stops it being read."""
    twice: list[safejson.Where] = []
    try:
        root, lines = load_json(path, twice)
    except safejson.JSONRefused as exc:
        return None, [Problem(exc.code, str(exc), Evidence(rel, "", exc.line))]
    context = root.get("@context") if isinstance(root, dict) else None
    doc = Document(rel, root, lines, Vocab.of(context))
    for at in twice:
        keys = [doc.vocab.canonical(k) if isinstance(k, str) else k for k in at]
        doc.problem(*twice_told(safejson.dotted(at), keys, TERMS_FIELDS), json_pointer(at))
    if context is not None and not isinstance(context, (str, dict, list)):
        doc.problem(
            "bad-field", f"'@context' should be a URL, object or list, found {type_name(context, 'list')}", "/@context"
        )
    doc.ids = _id_index(root)
    return doc, []


def _id_index(root: JSON) -> dict[str, tuple[dict[str, JSON], str]]:
    """@id -> (node, pointer) for every node that defines more than its @id, without recursion."""
    found: dict[str, tuple[dict[str, JSON], str]] = {}
    todo = [(root, "", 0)]
    while todo:
        value, pointer, depth = todo.pop()
        if depth > MAX_INDEX_DEPTH:
            continue
        if isinstance(value, dict):
            if isinstance(value.get("@id"), str) and len(value) > 1:
                found.setdefault(value["@id"], (value, pointer))
            todo += [
                (v, f"{pointer}/{pointer_step(k)}", depth + 1) for k, v in value.items() if isinstance(v, (dict, list))
            ]
        elif isinstance(value, list):
            todo += [(v, f"{pointer}/{i}", depth + 1) for i, v in enumerate(value) if isinstance(v, (dict, list))]
    return found
