"""The SPDX 3 JSON-LD graph: its elements under their compact names, by id, with pointers and lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.harvest import exported
from auditor.harvest.spdx import shape
from auditor.model import Evidence, Problem
from auditor.readers.values import JSON

MAX_NESTING = 20
_TERMS = re.compile(r"^https?://spdx\.org/rdf/3\.[0-9.]+/terms/([A-Za-z]+)/(\w+)$")


@dataclass
class Graph:
    """The document's elements by id, with their JSON pointers and lines."""

    rel: str
    elements: list[tuple[str, dict[str, JSON]]] = field(default_factory=list)  # (pointer, element) in document order
    by_id: dict[str, tuple[str, dict[str, JSON]]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    keys: dict[str, dict[str, str]] = field(default_factory=dict)  # pointer -> compact name -> key as written
    problems: list[Problem] = field(default_factory=list)

    def at(self, pointer: str, key: str, *rest: str | int) -> str:
        """JSON pointer to a property of the element at `pointer`, with the key as the document wrote it."""
        parts = [self.keys.get(pointer, {}).get(key, key), *map(str, rest)]
        return pointer + "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)

    def evidence(self, pointer: str, element_id: str | None) -> Evidence:
        return Evidence(self.rel, pointer, self.lines.get(element_id or ""))

    def bad(self, message: str, pointer: str, element_id: str | None, asset: str | None = None) -> None:
        self.problems.append(Problem("bad-field", message, self.evidence(pointer, element_id), asset))


def collect(data: JSON, graph: Graph) -> str | None:
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
        graph.keys[pointer] = {compact_name(key): key for key in item}
        graph.elements.append((pointer, element))
        if isinstance(element.get("spdxId"), str):
            graph.by_id.setdefault(element["spdxId"], (pointer, element))
    return None


def _compact(value: JSON) -> JSON:
    """Keys and types as the SPDX 3.0.1 context compacts them, whatever form the document used."""
    if isinstance(value, list):
        return [_compact(v) for v in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        name = compact_name(key)
        result[name] = compact_name(item) if name == "type" and isinstance(item, str) else _compact(item)
    return result


def _type(value: JSON) -> str | None:
    """An element's type: JSON-LD allows a list of types, of which the first string counts."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return value if isinstance(value, str) else None


def compact_name(name: str) -> str:
    """A compact name: `@type` is `type`, `@id` is `spdxId`, a term IRI its context name."""
    name = {"@type": "type", "@id": "spdxId"}.get(name, name)
    match = _TERMS.match(name)
    if not match:
        return name
    profile, term = match.groups()
    return term if profile == "Core" else f"{profile.lower()}_{term}"


def short_name(value: JSON) -> str | None:
    """A vocabulary entry (`model`, or its full IRI) as its short name."""
    if not isinstance(value, str):
        return None
    return value.rstrip("/").rsplit("/", 1)[-1] if "://" in value else value


def text_value(value: JSON) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def own(element: dict[str, JSON]) -> dict[str, str]:
    """The element's properties in mlaudit's namespace, as its exports write them: entries of an
    `extension_CdxPropertiesExtension` (SPDX 3's extension for name-value properties)."""
    entries = [
        entry
        for extension in as_list(element.get("extension"))
        if isinstance(extension, dict) and extension.get("type") == "extension_CdxPropertiesExtension"
        for entry in as_list(extension.get("extension_cdxProperty"))
        if isinstance(entry, dict)
    ]
    return exported.own((e.get("extension_cdxPropName"), e.get("extension_cdxPropValue")) for e in entries)


def as_list(value: JSON) -> list[JSON]:
    return value if isinstance(value, list) else [] if value is None else [value]
