"""schema.org lineage: the upstream assets a Dataset node names (isBasedOn, prov:wasDerivedFrom,
prov:wasGeneratedBy), each as a reference to a Hub id, purl, IRI or plain name, with the kind the
link or the node's type tells."""

from __future__ import annotations

import re
from typing import NamedTuple

from auditor.harvest.jsonld import Document, Node, label, text_of
from auditor.identity import hub_ref
from auditor.model import UNREAD_ENTRY, Reference
from auditor.readers.values import JSON

LOCATIONS = ("url", "prov:atLocation", "prov:locatedAt", "sameAs", "contentUrl", "identifier", "@id")
IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")


class Target(NamedTuple):
    """What a reference points at: the target, its scheme, the kind the link or type tells, a revision."""

    name: str
    scheme: str
    kind: str | None = None
    revision: str | None = None


def lineage(doc: Document, node: Node) -> list[Reference]:
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


def _generated_by(doc: Document, value: JSON, pointer: str) -> list[Reference]:
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


def _is_model(doc: Document, value: JSON, pointer: str) -> bool:
    """Whether an activity, agent, entity or link names a model: a *Model @type, a Hub model URL or purl."""
    if isinstance(value, dict):
        target = node_target(doc.node(value, pointer))
    else:
        text = text_of(value)
        target = _upstream(text.strip()) if text and text.strip() else None
    return target is not None and target.kind == "model"


def _refs(doc: Document, value: JSON, pointer: str, relation: str, kind: str) -> list[Reference]:
    """The reference a string or node makes, or an unread-entry problem when it names nothing."""
    text = text_of(value)
    if text is not None:
        target = _upstream(text.strip()) if text.strip() else None
    elif isinstance(value, dict) and isinstance(value.get("@id"), str) and value["@id"] in doc.records:
        target = Target(doc.records[value["@id"]], "record", "dataset")
    elif isinstance(value, dict):
        target = node_target(doc.node(value, pointer))
    else:
        target = None
    if target is None:
        doc.problem(UNREAD_ENTRY, f"'{label(pointer)}' names no upstream asset (no URL, @id, name or label)", pointer)
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
    if IRI.match(text):
        return Target(text, "url")
    return Target(text, "hub")


def node_target(node: Node) -> Target | None:
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
