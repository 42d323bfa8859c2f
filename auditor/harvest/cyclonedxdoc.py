"""CycloneDX BOMs in their JSON shape: a JSON BOM as parsed, an XML BOM mapped onto the JSON shape.

One walk then serves both encodings: every value keeps its JSON pointer, and for XML the XPath and
line it came from. Parsing goes only through `safejson` and `safexml` (bounded, entity-free, no
network).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from auditor.readers import safejson, safexml
from auditor.readers.jsonlines import json_lines
from auditor.readers.safexml import attributes, line_of
from auditor.readers.text import decode
from auditor.readers.values import JSON, a_type

_XML_NAMESPACE = re.compile(r"^http://cyclonedx\.org/schema/bom/(1\.\d+)$")
# XML -> JSON shape: wrapper elements whose children are the items of a JSON array, elements repeated
# directly under their parent that JSON gathers in an array, and elements whose text is a JSON field.
_XML_LISTS = frozenset(
    {
        "components",
        "services",
        "hashes",
        "licenses",
        "externalReferences",
        "authors",
        "properties",
        "dependencies",
        "datasets",
        "inputs",
        "outputs",
        "performanceMetrics",
        "users",
        "useCases",
        "technicalLimitations",
        "performanceTradeoffs",
        "ethicalConsiderations",
        "fairnessAssessments",
        "ancestors",
        "descendants",
        "variants",
        "commits",
        "patches",
        "custodians",
        "stewards",
        "owners",
        "energyConsumptions",
        "energyProviders",
    }
)
_XML_REPEATED = frozenset({"data", "sensitiveData"})
_XML_TEXT_KEYS = {"hash": "content", "property": "value", "expression": "expression"}
_XML_WRAPPED_ITEMS = frozenset({"license", "ref"})  # <licenses><license> -> {"license": {...}}


class NotABom(ValueError):
    def __init__(self, message: str, pointer: str = "", line: int | None = None):
        super().__init__(message)
        self.pointer, self.line = pointer, line


@dataclass
class Bom:
    """A BOM as JSON values; `lines` maps JSON pointers to lines, `xpaths` (XML only) to XPaths."""

    data: dict[str, JSON]
    lines: dict[str, int | None]
    xpaths: dict[str, str] = field(default_factory=dict)
    twice: list[safejson.Where] = field(default_factory=list)  # where keys are given twice (JSON)

    def where(self, pointer: str) -> tuple[str, int | None]:
        """(pointer or XPath, line) of `pointer`, or of its nearest ancestor the file places."""
        known = pointer
        while known and known not in self.lines:
            known = known.rpartition("/")[0]
        if not self.xpaths:
            return pointer, self.lines.get(known)
        return self.xpaths.get(known, "/bom"), self.lines.get(known)

    def place(self, pointer: str, line: int | None, xpath: str) -> None:
        """Where in an XML BOM the value at `pointer` comes from."""
        self.lines[pointer], self.xpaths[pointer] = line, xpath


def load_json(path: Path) -> Bom:
    twice: list[safejson.Where] = []
    data = safejson.load(path, twice=twice)
    if not isinstance(data, dict):
        raise NotABom(f"not a CycloneDX BOM: the top level is {a_type(data)}, not an object")
    return Bom(data, dict(json_lines(decode(path.read_bytes(), "replace"), safejson.MAX_DEPTH)), twice=twice)


def load_xml(path: Path) -> Bom:
    root = safexml.load(path)
    namespace = etree.QName(root).namespace or ""
    version = _XML_NAMESPACE.match(namespace)
    if etree.QName(root).localname != "bom" or not version:
        raise NotABom(
            f"not a CycloneDX BOM: the root element is <{etree.QName(root).localname}> in namespace "
            f"'{namespace}', not <bom> in http://cyclonedx.org/schema/bom/1.x",
            "/",
            line_of(root),
        )
    doc = Bom({}, {"": line_of(root) or 1}, {"": "/bom"})
    doc.data = _xml_object(root, "", "/bom", namespace, doc)
    doc.data.update(bomFormat="CycloneDX", specVersion=version.group(1))
    for key in ("bomFormat", "specVersion"):
        doc.place(f"/{key}", line_of(root) or 1, "/bom/namespace-uri()")
    return doc


def _xml_children(el: etree._Element, xpath: str, namespace: str) -> list[tuple[str, etree._Element, str, bool]]:
    """(local name, element, XPath, repeated?) of the children in the BOM's namespace (extensions skipped)."""
    children = [c for c in el if isinstance(c.tag, str) and etree.QName(c).namespace == namespace]
    names = [etree.QName(c).localname for c in children]
    counts, seen = Counter(names), Counter[str]()
    found = []
    for name, child in zip(names, children, strict=False):
        seen[name] += 1
        step = f"{name}[{seen[name]}]" if counts[name] > 1 else name
        found.append((name, child, f"{xpath}/{step}", counts[name] > 1))
    return found


def _xml_value(name: str, el: etree._Element, pointer: str, xpath: str, namespace: str, doc: Bom) -> JSON:
    """The JSON value an XML element stands for."""
    doc.place(pointer, line_of(el), xpath)
    if name == "dependency":
        return _xml_dependency(el, pointer, xpath, namespace, doc)
    if name in _XML_LISTS:
        return _xml_list(el, pointer, xpath, namespace, doc)
    has_children = bool(_xml_children(el, xpath, namespace))
    if not has_children and not el.attrib and name not in _XML_TEXT_KEYS:
        return (el.text or "").strip()
    value = _xml_object(el, pointer, xpath, namespace, doc)
    if not has_children and (el.text or "").strip():
        key = _XML_TEXT_KEYS.get(name, "content")
        value[key] = (el.text or "").strip()
        doc.place(f"{pointer}/{key}", line_of(el), xpath)
    return value


def _xml_object(el: etree._Element, pointer: str, xpath: str, namespace: str, doc: Bom) -> dict[str, JSON]:
    value: dict[str, JSON] = {}
    for attr, text in attributes(el):
        attr = etree.QName(attr).localname
        value[attr] = text
        doc.place(f"{pointer}/{attr}", line_of(el), f"{xpath}/@{attr}")
    for name, child, child_xpath, repeated in _xml_children(el, xpath, namespace):
        if name in _XML_REPEATED or repeated:
            items = value.setdefault(name, [])
            items.append(_xml_value(name, child, f"{pointer}/{name}/{len(items)}", child_xpath, namespace, doc))
        else:
            value[name] = _xml_value(name, child, f"{pointer}/{name}", child_xpath, namespace, doc)
    return value


def _xml_list(el: etree._Element, pointer: str, xpath: str, namespace: str, doc: Bom) -> list[JSON]:
    items: list[JSON] = []
    for i, (name, child, child_xpath, _) in enumerate(_xml_children(el, xpath, namespace)):
        item_pointer = f"{pointer}/{i}"
        if name in _XML_WRAPPED_ITEMS:
            doc.place(item_pointer, line_of(child), child_xpath)
            items.append({name: _xml_value(name, child, f"{item_pointer}/{name}", child_xpath, namespace, doc)})
        else:
            items.append(_xml_value(name, child, item_pointer, child_xpath, namespace, doc))
    return items


def _xml_dependency(el: etree._Element, pointer: str, xpath: str, namespace: str, doc: Bom) -> dict[str, JSON]:
    """<dependency ref="a"><dependency ref="b"/></dependency> -> {"ref": "a", "dependsOn": ["b"]}."""
    doc.place(f"{pointer}/ref", line_of(el), f"{xpath}/@ref")
    depends: list[JSON] = []
    for name, child, child_xpath, _ in _xml_children(el, xpath, namespace):
        if name == "dependency":
            item = f"{pointer}/dependsOn/{len(depends)}"
            doc.place(item, line_of(child), f"{child_xpath}/@ref")
            depends.append(child.get("ref"))
    return {"ref": el.get("ref"), "dependsOn": depends}
