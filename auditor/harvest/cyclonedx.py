"""CycloneDX 1.5-1.7 BOMs (JSON and XML): one asset record per component, with its lineage.

ML-BOMs describe models (`machine-learning-model`), datasets (`data`) and the code around them in
one file, with licenses, hashes, package URLs, model cards and a dependency graph: exactly the
license and provenance facts an audit needs. Lineage comes from nesting (`contains`), pedigree
(ancestors, descendants, variants), model-card datasets (`trained_on`) and `dependencies`
(`depends_on`); references between components of the file point at the target's record.

An XML BOM is first mapped onto the JSON shape, so one reader serves both encodings; every value
keeps its JSON pointer, and for XML the XPath and line it came from. Parsing goes only through
`safejson` and `safexml` (bounded, entity-free, no network).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from auditor.identity import hub_id, purl_version
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
from auditor.readers import safejson, safexml
from auditor.readers.values import a_type, a_type_named, shorten

FORMAT = "cyclonedx"
RANK = 4
PINNABLE = True
HUB_LAYOUT = False
VERSIONS = ("1.5", "1.6", "1.7")

_JSON_MARKER = re.compile(rb'"bomFormat"\s*:\s*"CycloneDX"')
_XML_MARKER = re.compile(rb'<(?:[\w.-]+:)?bom\b[^>]*=\s*["\']http://cyclonedx\.org/schema/bom/1\.\d+["\']')
_XML_NAMESPACE = re.compile(r"^http://cyclonedx\.org/schema/bom/(1\.\d+)$")

_CODE_TYPES = frozenset(
    {
        "application",
        "framework",
        "library",
        "container",
        "platform",
        "operating-system",
        "file",
        "firmware",
        "device-driver",
    }
)
_TYPES = _CODE_TYPES | {"machine-learning-model", "data", "device", "cryptographic-asset"}
_KINDS = {"machine-learning-model": "model", "data": "dataset", **{t: "code" for t in _CODE_TYPES}}
_IDENTIFYING_REFERENCES = frozenset(
    {"vcs", "distribution", "distribution-intake", "source-distribution", "website", "model-card"}
)
_HEX = re.compile(r"^[0-9a-fA-F]+$")

# Documentation fields: path under the component (or its modelCard) -> the JSON type the spec gives it.
_COMPONENT_TEXTS = ("description", "copyright", "publisher", "author")
_ENTITIES = ("supplier", "manufacturer")
_MODEL_CARD = {
    "modelParameters/approach": dict,
    "modelParameters/task": str,
    "modelParameters/architectureFamily": str,
    "modelParameters/modelArchitecture": str,
    "modelParameters/inputs": list,
    "modelParameters/outputs": list,
    "quantitativeAnalysis/performanceMetrics": list,
    "considerations/users": list,
    "considerations/useCases": list,
    "considerations/technicalLimitations": list,
    "considerations/performanceTradeoffs": list,
    "considerations/ethicalConsiderations": list,
    "considerations/fairnessAssessments": list,
    "considerations/environmentalConsiderations": dict,
}
_DATA = {"contents": dict, "classification": str, "sensitiveData": list, "governance": dict, "description": str}
_NOT_SUMMARISED = frozenset({"content", "bom-ref", "signature", "graphics", "text"})

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


def detect(path: Path, head: bytes) -> bool:
    """A .json file whose head says "bomFormat": "CycloneDX", or a .xml file rooted in a CycloneDX namespace."""
    name = path.name.lower()
    if name.endswith(".json"):
        return bool(_JSON_MARKER.search(head))
    return name.endswith(".xml") and bool(_XML_MARKER.search(head))


def read(path: Path, context) -> tuple[list[AssetRecord], list[Problem]]:
    """The records of every component the BOM lists, and the problems met reading it."""
    try:
        doc = _load_xml(path) if path.name.lower().endswith(".xml") else _load_json(path)
    except (safejson.JSONRefused, safexml.XMLRefused) as exc:
        return [], [Problem(exc.code, str(exc), Evidence(context.rel, "", exc.line), _placement_key(context))]
    except _NotABom as exc:
        evidence = Evidence(context.rel, exc.pointer, exc.line)
        return [], [Problem("malformed", str(exc), evidence, _placement_key(context))]
    return _Reader(doc, context).run()


def _placement_key(context) -> str | None:
    place = context.placement
    return asset_key(place.kind or "model", place.asset_id) if place.asset_id else None


# --- loading: the BOM in its JSON shape, with the place of every JSON pointer ------------------------


class _NotABom(ValueError):
    def __init__(self, message: str, pointer: str = "", line: int | None = None):
        super().__init__(message)
        self.pointer, self.line = pointer, line


@dataclass
class _Doc:
    """A BOM as JSON values; `lines` maps JSON pointers to lines, `xpaths` (XML only) to XPaths."""

    data: dict
    lines: dict[str, int]
    xpaths: dict[str, str] | None = None

    def where(self, pointer: str) -> tuple[str, int | None]:
        """(pointer or XPath, line) of `pointer`, or of its nearest ancestor the file places."""
        known = pointer
        while known and known not in self.lines:
            known = known.rpartition("/")[0]
        if self.xpaths is None:
            return pointer, self.lines.get(known)
        return self.xpaths.get(known, "/bom"), self.lines.get(known)


def _load_json(path: Path) -> _Doc:
    data = safejson.load(path)
    if not isinstance(data, dict):
        raise _NotABom(f"not a CycloneDX BOM: the top level is {a_type(data)}, not an object")
    return _Doc(data, _json_lines(path.read_bytes().decode("utf-8-sig")))


_JSON_TOKENS = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"(\s*:)?|([\[{])|[\]}]|(,)')
_NEWLINE = re.compile("\n")


def _json_lines(text: str) -> dict[str, int]:
    """The line where each member and array item starts, by JSON pointer (scalars in arrays excepted).

    One pass over strings, brackets and commas; a line number is looked up only where one is kept."""
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    lines: dict[str, int] = {"": 1}
    stack: list[list] = []  # open containers: [pointer, item index (None in an object), pointer of the current child]
    item_starts = False  # the next value starts an item of the innermost array
    for match in _JSON_TOKENS.finditer(text):
        key, colon, opening, comma = match.groups()
        top = stack[-1] if stack else None
        if colon:
            top[2] = f"{top[0]}/{_pointer_step(key)}"
            lines[top[2]] = bisect_right(newlines, match.start()) + 1
            continue
        if comma:
            if top and top[1] is not None:
                top[1] += 1
                item_starts = True
            continue
        if item_starts and (key is not None or opening):
            top[2] = f"{top[0]}/{top[1]}"
            lines[top[2]] = bisect_right(newlines, match.start()) + 1
        item_starts = False
        if opening:
            stack.append([top[2] if top else "", 0 if opening == "[" else None, None])
            item_starts = opening == "["
        elif key is None and stack:
            stack.pop()
    return lines


def _pointer_step(key: str) -> str:
    """A JSON object key (as written between its quotes) as one step of a JSON pointer."""
    if "\\" in key:
        key = json.loads(f'"{key}"')
    return key.replace("~", "~0").replace("/", "~1")


def _load_xml(path: Path) -> _Doc:
    root = safexml.load(path)
    namespace = etree.QName(root).namespace or ""
    version = _XML_NAMESPACE.match(namespace)
    if etree.QName(root).localname != "bom" or not version:
        raise _NotABom(
            f"not a CycloneDX BOM: the root element is <{etree.QName(root).localname}> in namespace "
            f"'{namespace}', not <bom> in http://cyclonedx.org/schema/bom/1.x",
            "/",
            root.sourceline,
        )
    doc = _Doc({}, {"": root.sourceline or 1}, {"": "/bom"})
    doc.data = _xml_object(root, "", "/bom", namespace, doc)
    doc.data.update(bomFormat="CycloneDX", specVersion=version.group(1))
    for key in ("bomFormat", "specVersion"):
        doc.lines[f"/{key}"], doc.xpaths[f"/{key}"] = root.sourceline or 1, "/bom/namespace-uri()"
    return doc


def _xml_children(el, xpath: str, namespace: str) -> list[tuple[str, object, str, bool]]:
    """(local name, element, XPath, repeated?) of the children in the BOM's namespace (extensions skipped)."""
    children = [c for c in el if isinstance(c.tag, str) and etree.QName(c).namespace == namespace]
    names = [etree.QName(c).localname for c in children]
    counts, seen = Counter(names), Counter()
    found = []
    for name, child in zip(names, children, strict=False):
        seen[name] += 1
        step = f"{name}[{seen[name]}]" if counts[name] > 1 else name
        found.append((name, child, f"{xpath}/{step}", counts[name] > 1))
    return found


def _xml_value(name: str, el, pointer: str, xpath: str, namespace: str, doc: _Doc):
    """The JSON value an XML element stands for."""
    doc.lines[pointer], doc.xpaths[pointer] = el.sourceline, xpath
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
        value[key] = el.text.strip()
        doc.lines[f"{pointer}/{key}"], doc.xpaths[f"{pointer}/{key}"] = el.sourceline, xpath
    return value


def _xml_object(el, pointer: str, xpath: str, namespace: str, doc: _Doc) -> dict:
    value: dict = {}
    for attr, text in el.attrib.items():
        attr = etree.QName(attr).localname
        value[attr] = text
        doc.lines[f"{pointer}/{attr}"], doc.xpaths[f"{pointer}/{attr}"] = el.sourceline, f"{xpath}/@{attr}"
    for name, child, child_xpath, repeated in _xml_children(el, xpath, namespace):
        if name in _XML_REPEATED or repeated:
            items = value.setdefault(name, [])
            items.append(_xml_value(name, child, f"{pointer}/{name}/{len(items)}", child_xpath, namespace, doc))
        else:
            value[name] = _xml_value(name, child, f"{pointer}/{name}", child_xpath, namespace, doc)
    return value


def _xml_list(el, pointer: str, xpath: str, namespace: str, doc: _Doc) -> list:
    items = []
    for i, (name, child, child_xpath, _) in enumerate(_xml_children(el, xpath, namespace)):
        item_pointer = f"{pointer}/{i}"
        if name in _XML_WRAPPED_ITEMS:
            doc.lines[item_pointer], doc.xpaths[item_pointer] = child.sourceline, child_xpath
            items.append({name: _xml_value(name, child, f"{item_pointer}/{name}", child_xpath, namespace, doc)})
        else:
            items.append(_xml_value(name, child, item_pointer, child_xpath, namespace, doc))
    return items


def _xml_dependency(el, pointer: str, xpath: str, namespace: str, doc: _Doc) -> dict:
    """<dependency ref="a"><dependency ref="b"/></dependency> -> {"ref": "a", "dependsOn": ["b"]}."""
    doc.lines[f"{pointer}/ref"], doc.xpaths[f"{pointer}/ref"] = el.sourceline, f"{xpath}/@ref"
    depends = []
    for name, child, child_xpath, _ in _xml_children(el, xpath, namespace):
        if name == "dependency":
            item = f"{pointer}/dependsOn/{len(depends)}"
            doc.lines[item], doc.xpaths[item] = child.sourceline, f"{child_xpath}/@ref"
            depends.append(child.get("ref"))
    return {"ref": el.get("ref"), "dependsOn": depends}


# --- reading: records from the JSON shape -------------------------------------------------------------


class _Reader:
    """One pass over the BOM: records as components are met, references between them resolved last."""

    def __init__(self, doc: _Doc, context):
        self.doc, self.rel, self.context = doc, context.rel, context
        self.spec = doc.data.get("specVersion")
        self.records: list[tuple[str, AssetRecord]] = []  # (JSON pointer of the component, record)
        self.ids: set[str] = set()
        self.problems: list[tuple[str, str, str]] = []  # (code, message, JSON pointer)
        self.bom_refs: dict[str, tuple[str, AssetRecord | None]] = {}  # bom-ref -> (pointer, record; None: a service)
        self.pending: list[tuple[AssetRecord, str, str, str]] = []  # (record, bom-ref, relation, pointer)

    def run(self) -> tuple[list[AssetRecord], list[Problem]]:
        """The subject (metadata.component) first, then every component; references between them last."""
        data = self.doc.data
        self._check_header(data)
        metadata = data.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            self.problem("invalid", f"'metadata' should be an object, found {a_type(metadata)}", "/metadata")
        elif metadata and metadata.get("component") is not None:
            subject = self.component(metadata["component"], "/metadata/component")
            if subject:
                self._subject_statements(subject, metadata)
        for i, node in self.array(data, "components", ""):
            self.component(node, f"/components/{i}")
        self._services(data, "")
        self._resolve_pending()
        self._dependencies(data)
        records = [r for _, r in self.records]
        if not records:
            self.problem(
                "empty",
                "the BOM describes no component (no metadata.component and no 'components'): nothing to audit",
                "",
            )
        return records, self._problems()

    # --- problems and evidence

    def ev(self, pointer: str) -> Evidence:
        where, line = self.doc.where(pointer)
        return Evidence(self.rel, where, line)

    def problem(self, code: str, message: str, pointer: str) -> None:
        self.problems.append((code, message, pointer))

    def _problems(self) -> list[Problem]:
        """Each problem is about the component whose subtree holds it, else about the BOM's subject."""
        owners = {p: asset_key(r.kind, r.id) for p, r in self.records}
        first = next(iter(owners.values()), None) or _placement_key(self.context)
        subject = owners.get("/metadata/component", first)
        found = []
        for code, message, pointer in self.problems:
            owner = pointer
            while owner and owner not in owners:
                owner = owner.rpartition("/")[0]
            found.append(Problem(code, message, self.ev(pointer), owners.get(owner, subject)))
        return found

    def array(self, node: dict, key: str, pointer: str, code: str = "invalid") -> list[tuple[int, object]]:
        """The items of an optional array field, with their indices; a wrong shape is a problem."""
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(code, f"'{key}' should be an array, found {a_type(value)}", f"{pointer}/{key}")
            return []
        return list(enumerate(value))

    def text(self, node: dict, key: str, pointer: str) -> str | None:
        """An optional string field, stripped; a wrong shape is a bad-field problem."""
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            self.problem("bad-field", f"'{key}' should be a string, found {a_type(value)}", f"{pointer}/{key}")
            return None
        return value.strip()

    # --- the BOM as a whole

    def _check_header(self, data: dict) -> None:
        if data.get("bomFormat") != "CycloneDX":
            found = "missing" if "bomFormat" not in data else json.dumps(data["bomFormat"])[:60]
            self.problem("invalid", f"'bomFormat' should be \"CycloneDX\", found {found}", "/bomFormat")
        if self.spec not in VERSIONS:
            found = "missing" if "specVersion" not in data else json.dumps(self.spec)[:60]
            self.problem(
                "invalid",
                f"'specVersion' is {found}; this reader reads CycloneDX {', '.join(VERSIONS)} "
                "(the BOM is read as far as it goes)",
                "/specVersion",
            )

    def _subject_statements(self, subject: AssetRecord, metadata: dict) -> None:
        """metadata.supplier and metadata.manufacturer describe the BOM's subject."""
        for key in ("supplier", "manufacturer", "manufacture"):
            if metadata.get(key) is not None:
                self._entity(subject, metadata, key, "/metadata")

    def _services(self, node: dict, pointer: str) -> None:
        """Services are not assets, but dependencies may name them: their bom-refs are known."""
        for i, service in self.array(node, "services", pointer):
            if isinstance(service, dict):
                self.register(service, f"{pointer}/services/{i}", None)
                self._services(service, f"{pointer}/services/{i}")

    def register(self, node: dict, pointer: str, record: AssetRecord | None) -> None:
        ref = node.get("bom-ref")
        if ref is None:
            return
        if not isinstance(ref, str) or not ref:
            self.problem(
                "invalid",
                f"'bom-ref' should be a non-empty string, found {a_type(ref)}",
                f"{pointer}/bom-ref",
            )
        elif ref in self.bom_refs:
            self.problem(
                "invalid",
                f"bom-ref '{ref}' is used twice (first at {self.bom_refs[ref][0]}); "
                "every bom-ref must be unique, references to it go to the first",
                f"{pointer}/bom-ref",
            )
        else:
            self.bom_refs[ref] = (pointer, record)

    def _resolve_pending(self) -> None:
        for record, ref, relation, pointer in self.pending:
            target = self.bom_refs.get(ref)
            if target is None or target[1] is None:
                self.problem("invalid", f"model-card dataset ref '{ref}' names no component in this BOM", pointer)
            else:
                self.link(record, target[1], relation, pointer)

    def _dependencies(self, data: dict) -> None:
        """depends_on between components; services are not assets, so edges from or to them are not kept."""
        for i, entry in self.array(data, "dependencies", ""):
            pointer = f"/dependencies/{i}"
            if not isinstance(entry, dict) or not isinstance(entry.get("ref"), str):
                self.problem("invalid", f"dependency {i} should be an object with a string 'ref'", pointer)
                continue
            source = self.bom_refs.get(entry["ref"])
            if source is None:
                self.problem(
                    "invalid",
                    f"dependency ref '{entry['ref']}' names no component or service in this BOM",
                    f"{pointer}/ref",
                )
                continue
            for j, ref in self.array(entry, "dependsOn", pointer):
                target = self.bom_refs.get(ref) if isinstance(ref, str) else None
                if target is None:
                    self.problem(
                        "invalid",
                        f"dependsOn '{ref}' names no component or service in this BOM",
                        f"{pointer}/dependsOn/{j}",
                    )
                elif source[1] is not None and target[1] is not None:
                    self.link(source[1], target[1], "depends_on", f"{pointer}/dependsOn/{j}")

    def link(
        self, record: AssetRecord, target: AssetRecord, relation: str, pointer: str, basis: str = "declared"
    ) -> None:
        """A reference from `record` to another record of this file."""
        if target is not record:
            record.references.append(
                Reference(
                    target.id,
                    target.kind,
                    relation,
                    self.ev(pointer),
                    basis,
                    "record",
                    target.revision or target.version,
                )
            )

    # --- one component

    def component(self, node, pointer: str) -> AssetRecord | None:
        if not isinstance(node, dict):
            self.problem("invalid", f"a component should be an object, found {a_type(node)}", pointer)
            return None
        kind, basis = self._kind(node, pointer)
        identifiers = self._identifiers(node, pointer)
        hub = _hub(kind, identifiers)
        name = self._name(node, pointer)
        if hub is None and name is None:
            self.problem("invalid", "component has no 'name'; it is skipped with everything nested in it", pointer)
            return None
        version = self._version(node, pointer)
        record = AssetRecord(
            id=self._unique(hub[0] if hub else name, version),
            kind=kind,
            source=self.rel,
            format=FORMAT,
            kind_basis=basis,
            version=version,
            revision=hub[1] if hub else None,
            identifiers=identifiers,
            checksums=self._checksums(node, pointer),
        )
        self.records.append((pointer, record))
        self.register(node, pointer, record)
        self._licenses(record, node, pointer)
        self._statements(record, node, pointer)
        self._model_card(record, node, pointer)
        self._data(record, node, pointer)
        for i, child in self.array(node, "components", pointer):
            nested = self.component(child, f"{pointer}/components/{i}")
            if nested:
                self.link(record, nested, "contains", f"{pointer}/components/{i}")
        self._pedigree(record, node, pointer)
        return record

    def _unique(self, asset_id: str, version: str | None) -> str:
        """Record ids are unique in the file, so that references to records resolve: a second
        acme/lib becomes acme/lib@<version> (or acme/lib#2 without a version)."""
        found = asset_id
        if found in self.ids and version:
            found = f"{asset_id}@{version}"
        n = 1
        while found in self.ids:
            n += 1
            found = f"{asset_id}#{n}"
        self.ids.add(found)
        return found

    def _kind(self, node: dict, pointer: str) -> tuple[str, str]:
        ctype = node.get("type")
        if ctype not in _TYPES:
            found = f"'{ctype}'" if isinstance(ctype, str) else "missing" if ctype is None else a_type(ctype)
            self.problem("invalid", f"component 'type' is {found}, not a CycloneDX component type", f"{pointer}/type")
            return "other", "CycloneDX component without a known type"
        return _KINDS.get(ctype, "other"), f"CycloneDX component type {ctype}"

    def _name(self, node: dict, pointer: str) -> str | None:
        """group/name when the component has a group (CycloneDX identifies a component by both), else name."""
        name, group = self.text(node, "name", pointer), self.text(node, "group", pointer)
        return f"{group}/{name}" if name and group else name

    def _version(self, node: dict, pointer: str) -> str | None:
        version = node.get("version")
        if isinstance(version, (int, float)) and not isinstance(version, bool):
            return str(version)
        return self.text(node, "version", pointer)

    def _identifiers(self, node: dict, pointer: str) -> list[Identifier]:
        found = []
        for key in ("purl", "cpe"):
            value = self.text(node, key, pointer)
            if value:
                found.append(Identifier(key, value, self.ev(f"{pointer}/{key}")))
        for i, ref in self.array(node, "externalReferences", pointer, "bad-field"):
            where = f"{pointer}/externalReferences/{i}"
            if not isinstance(ref, dict) or not isinstance(ref.get("url"), str):
                self.problem("bad-field", "an external reference should be an object with a string 'url'", where)
            elif ref.get("type") in _IDENTIFYING_REFERENCES and ref["url"].strip():
                found.append(Identifier("url", ref["url"].strip(), self.ev(f"{where}/url")))
        return found

    def _checksums(self, node: dict, pointer: str) -> list[Checksum]:
        found = []
        file = node.get("name") if node.get("type") == "file" and isinstance(node.get("name"), str) else None
        for i, item in self.array(node, "hashes", pointer, "bad-field"):
            where = f"{pointer}/hashes/{i}"
            alg = item.get("alg") if isinstance(item, dict) else None
            content = item.get("content") if isinstance(item, dict) else None
            if not isinstance(alg, str) or not isinstance(content, str) or not _HEX.match(content.strip()):
                self.problem(
                    "bad-field", "a hash should be an object with a string 'alg' and hexadecimal 'content'", where
                )
                continue
            found.append(Checksum(_algorithm(alg), content.strip().lower(), file, self.ev(f"{where}/content")))
        return found

    def _licenses(self, record: AssetRecord, node: dict, pointer: str) -> None:
        """License ids, names and expressions as written; acknowledgement 'concluded' goes to `concluded`."""
        entries = self.array(node, "licenses", pointer, "bad-field")
        for i, entry in entries:
            where = f"{pointer}/licenses/{i}"
            statement, acknowledgement = self._license(entry, where)
            if statement is None:
                continue
            if acknowledgement not in (None, "declared", "concluded"):
                self.problem(
                    "bad-field",
                    f"license acknowledgement '{acknowledgement}' is neither 'declared' nor "
                    "'concluded'; read as declared",
                    f"{where}/acknowledgement",
                )
            (record.concluded if acknowledgement == "concluded" else record.licenses).append(statement)
        expressions = sum(1 for _, e in entries if isinstance(e, dict) and "expression" in e)
        if self.spec in ("1.5", "1.6") and expressions and len(entries) > 1:
            self.problem(
                "invalid",
                f"in CycloneDX {self.spec} 'licenses' holds either license entries or one "
                "expression, not both or several expressions (allowed from 1.7); all are read as applying",
                f"{pointer}/licenses",
            )

    def _license(self, entry, where: str) -> tuple[LicenseStatement | None, object]:
        if isinstance(entry, dict) and isinstance(entry.get("license"), dict):
            lic, inner = entry["license"], f"{where}/license"
            key = "id" if isinstance(lic.get("id"), str) and lic["id"].strip() else "name"
            raw = lic.get(key) if isinstance(lic.get(key), str) and lic[key].strip() else None
            link = lic.get("url") if isinstance(lic.get("url"), str) else None
            if raw is None:
                self.problem("invalid", "a license should have a string 'id' or 'name'", inner)
                if link is None:
                    return None, None
            statement = LicenseStatement(raw, self.ev(f"{inner}/{key}" if raw else inner), link=link)
            return statement, lic.get("acknowledgement")
        if isinstance(entry, dict) and isinstance(entry.get("expression"), str) and entry["expression"].strip():
            return LicenseStatement(entry["expression"], self.ev(f"{where}/expression")), entry.get("acknowledgement")
        self.problem(
            "bad-field",
            f'a \'licenses\' entry should be {{"license": {{...}}}} or {{"expression": "..."}}, found {a_type(entry)}',
            where,
        )
        return None, None

    def _statements(self, record: AssetRecord, node: dict, pointer: str) -> None:
        for key in _COMPONENT_TEXTS:
            value = self.text(node, key, pointer)
            if value:
                record.statements.append(Statement(key, shorten(value), self.ev(f"{pointer}/{key}")))
        for key in _ENTITIES:
            if node.get(key) is not None:
                self._entity(record, node, key, pointer)
        for i, author in self.array(node, "authors", pointer, "bad-field"):
            name = _party(author)
            if name:
                record.statements.append(Statement("authors", shorten(name), self.ev(f"{pointer}/authors/{i}")))

    def _entity(self, record: AssetRecord, node: dict, key: str, pointer: str) -> None:
        name = _party(node[key])
        if name:
            record.statements.append(Statement(key, shorten(name), self.ev(f"{pointer}/{key}")))
        else:
            self.problem("bad-field", f"'{key}' should be an organization with a 'name' or 'url'", f"{pointer}/{key}")

    def _fields(self, record: AssetRecord, node: dict, fields: dict, pointer: str, prefix: str) -> None:
        """Statements for documentation fields given as path -> expected JSON type."""
        for path, expected in fields.items():
            value, where = node, pointer
            for step in path.split("/"):
                value = value.get(step) if isinstance(value, dict) else None
                where = f"{where}/{step}"
            if value is None or value == "" or value == [] or value == {}:
                continue
            name = f"{prefix}.{path.replace('/', '.')}"
            if not isinstance(value, expected):
                self.problem(
                    "bad-field",
                    f"'{name}' should be {a_type_named(expected)}, found {a_type(value)}",
                    where,
                )
                continue
            items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            for i, item in items:
                text = _summary(item)
                if text:
                    record.statements.append(
                        Statement(name, shorten(text), self.ev(where if i is None else f"{where}/{i}"))
                    )

    def _model_card(self, record: AssetRecord, node: dict, pointer: str) -> None:
        card = node.get("modelCard")
        if card is None:
            return
        where = f"{pointer}/modelCard"
        if not isinstance(card, dict):
            self.problem("bad-field", f"'modelCard' should be an object, found {a_type(card)}", where)
            return
        self._fields(record, card, _MODEL_CARD, where, "modelCard")
        params = card.get("modelParameters") if isinstance(card.get("modelParameters"), dict) else {}
        for i, dataset in self.array(params, "datasets", f"{where}/modelParameters", "bad-field"):
            self._dataset(record, dataset, f"{where}/modelParameters/datasets/{i}")

    def _dataset(self, record: AssetRecord, dataset, pointer: str) -> None:
        """A model-card dataset: a ref to a data component, or an inline dataset that becomes a record."""
        if isinstance(dataset, dict) and "ref" in dataset:
            if isinstance(dataset["ref"], str) and dataset["ref"]:
                self.pending.append((record, dataset["ref"], "trained_on", f"{pointer}/ref"))
            else:
                self.problem(
                    "bad-field",
                    f"a dataset 'ref' should be a bom-ref string, found {a_type(dataset['ref'])}",
                    f"{pointer}/ref",
                )
            return
        if not isinstance(dataset, dict):
            self.problem(
                "bad-field",
                f"a model-card dataset should be an object, found {a_type(dataset)}",
                pointer,
            )
            return
        contents = dataset.get("contents") if isinstance(dataset.get("contents"), dict) else {}
        url = self.text(contents, "url", f"{pointer}/contents")
        identifiers = [Identifier("url", url, self.ev(f"{pointer}/contents/url"))] if url else []
        hub = _hub("dataset", identifiers)
        name = hub[0] if hub else self.text(dataset, "name", pointer) or url
        if name is None:
            self.problem("bad-field", "an inline dataset should have a 'name' or 'contents.url'", pointer)
            return
        inline = AssetRecord(
            id=self._unique(name, None),
            kind="dataset",
            source=self.rel,
            format=FORMAT,
            identifiers=identifiers,
            kind_basis="CycloneDX model-card dataset",
        )
        self.records.append((pointer, inline))
        self.register(dataset, pointer, inline)
        self._fields(inline, dataset, _DATA, pointer, "data")
        self.link(record, inline, "trained_on", pointer)

    def _data(self, record: AssetRecord, node: dict, pointer: str) -> None:
        """The `data` entries of a data component: contents, classification, governance... as statements."""
        for i, item in self.array(node, "data", pointer, "bad-field"):
            where = f"{pointer}/data/{i}"
            if not isinstance(item, dict):
                self.problem("bad-field", f"a 'data' entry should be an object, found {a_type(item)}", where)
                continue
            self._fields(record, item, _DATA, where, "data")
            contents = item.get("contents") if isinstance(item.get("contents"), dict) else {}
            url = self.text(contents, "url", f"{where}/contents")
            if url:
                record.identifiers.append(Identifier("url", url, self.ev(f"{where}/contents/url")))

    def _pedigree(self, record: AssetRecord, node: dict, pointer: str) -> None:
        """Ancestors and variants are upstream of the component; descendants are downstream of it."""
        pedigree = node.get("pedigree")
        if pedigree is None:
            return
        where = f"{pointer}/pedigree"
        if not isinstance(pedigree, dict):
            self.problem("bad-field", f"'pedigree' should be an object, found {a_type(pedigree)}", where)
            return
        for key in ("ancestors", "variants", "descendants"):
            for i, child in self.array(pedigree, key, where):
                other = self.component(child, f"{where}/{key}/{i}")
                if other is None:
                    continue
                child_record, parent = (other, record) if key == "descendants" else (record, other)
                relation, basis = _derivation(child_record, parent, key)
                self.link(child_record, parent, relation, f"{where}/{key}/{i}", basis)


def _derivation(child: AssetRecord, parent: AssetRecord, key: str) -> tuple[str, str]:
    """(relation, basis) of a pedigree link: a model derived from a model is read as a fine-tune."""
    if key != "variants" and child.kind == parent.kind == "model":
        return "finetune", f"inferred: pedigree.{key} links two models"
    return "derived_from", f"declared in pedigree.{key}"


def _hub(kind: str, identifiers: list[Identifier]) -> tuple[str, str | None] | None:
    """(Hub id, revision) when a purl or URL of the component points at the Hugging Face Hub."""
    for ident in identifiers:
        found = hub_id(ident.scheme, ident.value, kind)
        if found and "/" in found[1] and (found[0] == kind or kind not in ("model", "dataset")):
            pinned = purl_version(ident.value) if ident.scheme == "purl" else None
            return found[1], unquote(pinned) if pinned else None
    return None


def _algorithm(alg: str) -> str:
    """SHA-256 -> sha256, SHA3-256 -> sha3-256, BLAKE2b-256 -> blake2b-256."""
    alg = alg.strip().lower()
    return alg.replace("-", "", 1) if alg.startswith("sha-") else alg


def _party(value) -> str | None:
    """The name of an organization or person (else its email or first URL)."""
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, dict):
        return None
    for key in ("name", "email", "url"):
        found = value.get(key)
        found = found[0] if isinstance(found, list) and found else found
        if isinstance(found, str) and found.strip():
            return found.strip()
    return None


def _summary(value) -> str:
    """A documentation value as one line of text (attachments and signatures left out)."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return ", ".join(filter(None, map(_summary, value)))
    parts = [(k, _summary(v)) for k, v in value.items() if k not in _NOT_SUMMARISED]
    parts = [(k, text) for k, text in parts if text]
    if len(parts) == 1:
        return parts[0][1]  # {"type": "supervised"} -> supervised, {"organization": {"name": "X"}} -> X
    return "; ".join(f"{k}: {text}" for k, text in parts)
