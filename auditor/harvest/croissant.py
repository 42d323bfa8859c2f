"""Croissant (MLCommons) dataset descriptions, versions 0.8, 1.0 and 1.1.

A Croissant file is schema.org Dataset JSON-LD with a dataset-loading vocabulary (`cr:`), the
Responsible-AI extension (`rai:`) and PROV-O provenance. For an audit it is one dataset: who made
it, under which license, which files with which checksums, what it was derived from or generated
by, and which datasheet (RAI) fields it fills. Reading is shared with the schema.org reader; this
module decides what a Croissant file is and checks what Croissant requires of the dataset node.
"""

from __future__ import annotations

from pathlib import Path

from auditor.harvest import jsonld, schemaorg
from auditor.harvest.layout import Context
from auditor.model import AssetRecord, Problem

FORMAT = "croissant"
RANK = 1
PINNABLE = False
HUB_LAYOUT = False
IN_FOLDER = False


def detect(path: Path, head: bytes) -> bool:
    """A .json/.jsonld file whose first 4 KB name a Croissant namespace or use `cr:` keys."""
    return path.suffix.lower() in (".json", ".jsonld") and schemaorg.is_croissant(head)


def read(path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]:
    """The one dataset record a Croissant file describes, and the problems met reading it."""
    doc, problems = jsonld.open_document(path, context.rel)
    if doc is None:
        return [], problems
    node = _dataset_node(doc)
    if node is None:
        return [], [
            Problem(
                "malformed",
                f"not a Croissant dataset: {doc.root_types()}, expected an object with @type sc:Dataset",
                doc.ev(""),
            )
        ]
    records = schemaorg.read_datasets(doc, [node], FORMAT, _basis(node), context.placement)
    return records, doc.problems


def _dataset_node(doc: jsonld.Document) -> jsonld.Node | None:
    """The Dataset node; a root object without @type is read as one (with a problem), another type is not."""
    nodes = doc.datasets()
    if len(nodes) > 1:
        doc.problem(
            "invalid", f"{len(nodes)} Dataset nodes in one Croissant file; only the first is read", nodes[1].pointer
        )
    if nodes:
        return nodes[0]
    if not isinstance(doc.root, dict) or "@type" in doc.root:
        return None
    doc.problem(
        "invalid", "the root object has no @type; Croissant requires sc:Dataset (read as a dataset anyway)", "/@type"
    )
    return jsonld.Node(doc.root, "", doc.vocab)


def _basis(node: jsonld.Node) -> str:
    """Why the record is a dataset, naming the Croissant version the file conforms to."""
    conforms = [jsonld.text_of(v) for v, _ in node.items("dct:conformsTo") + node.items("conformsTo")]
    versions = [c.rstrip("/").rsplit("/", 1)[-1] for c in conforms if c and "mlcommons.org/croissant" in c]
    return f"Croissant {versions[0]} dataset" if versions else "Croissant dataset"
