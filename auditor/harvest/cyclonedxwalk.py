"""One pass over a CycloneDX BOM: its state (records, bom-refs, problems) and the fields read alike
wherever a component is met (licenses, documentation statements, data entries).
"""

from __future__ import annotations

import re
from dataclasses import replace

from auditor.harvest import exported
from auditor.harvest.cyclonedxdoc import Bom
from auditor.harvest.layout import Context
from auditor.harvest.spdx import lineage_relation
from auditor.model import (
    UNREAD_ENTRY,
    AssetRecord,
    Evidence,
    Identifier,
    LicenseStatement,
    Problem,
    Reference,
    Statement,
)
from auditor.naming import asset_key
from auditor.readers.values import JSON, a_type, a_type_named, object_at, shorten
from auditor.vocabulary import ExportProperty, Scheme

# Documentation fields: path under the component (or its modelCard) -> the JSON type the spec gives it.
_COMPONENT_TEXTS = ("description", "copyright", "publisher", "author")
_ENTITIES = ("supplier", "manufacturer")
DATA_FIELDS = {
    "contents": dict,
    "classification": str,
    "sensitiveData": list,
    "governance": dict,
    "description": str,
}
# The fields stating a component's license or lineage: a key given twice inside one leaves them unknown.
TERMS_FIELDS = frozenset({"licenses", "pedigree", "dependencies", "datasets"})
_BOM_LINK = re.compile(r"^urn:cdx:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[1-9][0-9]*#.+$", re.I)
_NOT_SUMMARISED = frozenset({"content", "bom-ref", "signature", "graphics", "text"})


def placement_key(context: Context) -> str | None:
    place = context.placement
    return asset_key(place.kind or "model", place.asset_id) if place.asset_id else None


class Walk:
    """The state of one pass over a BOM, and the fields read alike in every component."""

    def __init__(self, doc: Bom, context: Context):
        self.doc, self.rel, self.context = doc, context.rel, context
        self.spec = doc.data.get("specVersion")
        self.records: list[tuple[str, AssetRecord]] = []  # (JSON pointer of the component, record)
        self.ids: set[str] = set()
        self.problems: list[tuple[str, str, str, str]] = []  # (code, message, JSON pointer, component's)
        self.bom_refs: dict[str, tuple[str, AssetRecord | None]] = {}  # bom-ref -> (pointer, record; None: a service)
        self.pending: list[tuple[AssetRecord, str, str, str]] = []  # (record, bom-ref, relation, pointer)
        self.exact: list[tuple[AssetRecord, str, str, str]] = []  # the same, from mlaudit:relation:<relation>
        self.unresolved: set[str] = set()  # ids of records an mlaudit export marks unresolved
        self.excluded: set[int] = set()  # the records (by identity) of components scoped "excluded"

    def ev(self, pointer: str) -> Evidence:
        where, line = self.doc.where(pointer)
        return Evidence(self.rel, where, line)

    def problem(self, code: str, message: str, pointer: str, about: str | None = None) -> None:
        """A problem at `pointer`, about the component at `about` (else the one whose subtree holds it)."""
        self.problems.append((code, message, pointer, about or pointer))

    def _problems(self) -> list[Problem]:
        """Each problem is about the component whose subtree holds it, else about the BOM's subject."""
        owners = {p: asset_key(r.kind, r.id) for p, r in self.records}
        first = next(iter(owners.values()), None) or placement_key(self.context)
        subject = owners.get("/metadata/component", first)
        found = []
        for code, message, pointer, owner in self.problems:
            while owner and owner not in owners:
                owner = owner.rpartition("/")[0]
            found.append(Problem(code, message, self.ev(pointer), owners.get(owner, subject)))
        return found

    def array(self, node: dict[str, JSON], key: str, pointer: str, code: str = "invalid") -> list[tuple[int, object]]:
        """The items of an optional array field, with their indices; a wrong shape is a problem."""
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(code, f"'{key}' should be an array, found {a_type(value)}", f"{pointer}/{key}")
            return []
        return list(enumerate(value))

    def text(self, node: dict[str, JSON], key: str, pointer: str) -> str | None:
        """An optional string field, stripped; a wrong shape is a bad-field problem."""
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            self.problem("bad-field", f"'{key}' should be a string, found {a_type(value)}", f"{pointer}/{key}")
            return None
        return value.strip()

    def register(self, node: dict[str, JSON], pointer: str, record: AssetRecord | None) -> None:
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
            serial, version = self.doc.data.get("serialNumber"), self.doc.data.get("version", 1)
            if record is not None and isinstance(serial, str) and serial.startswith("urn:uuid:"):
                link = f"urn:cdx:{serial.removeprefix('urn:uuid:')}/{version}#{ref}"  # what other BOMs name
                record.identifiers.append(Identifier(Scheme.ELEMENT, link, self.ev(f"{pointer}/bom-ref")))

    def bom_link(self, record: AssetRecord, ref: str, relation: str, pointer: str) -> bool:
        """A BOM-Link, `urn:cdx:<serial>/<version>#<bom-ref>` (CycloneDX 1.5+), names a component of
        another BOM: a reference to it, joined to that component wherever that BOM is read."""
        if not _BOM_LINK.match(ref):
            return False
        record.references.append(Reference(ref, "dataset", relation, self.ev(pointer), scheme=Scheme.ELEMENT))
        return True

    def link(
        self, record: AssetRecord, target: AssetRecord, relation: str, pointer: str, basis: str = "declared"
    ) -> None:
        """A reference from `record` to another record of this file. A component scoped "excluded"
        (CycloneDX 1.6: "for test and other non-runtime purposes ... not reachable within a call
        graph at runtime") is in none of what contains or depends on it: it is software the record
        was built or tested with, or data it was evaluated on, as SPDX test dependencies are."""
        if id(target) in self.excluded and relation in ("contains", "depends_on"):
            relation, basis = lineage_relation("used", record.kind, target.kind), "declared: scope excluded"
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

    def own(self, node: dict[str, JSON], pointer: str) -> list[tuple[str, str, str]]:
        """The component's properties in mlaudit's namespace: (name, value, the property's pointer)."""
        found = []
        for i, item in self.array(node, "properties", pointer, "bad-field"):
            if isinstance(item, dict):
                for name, value in exported.own([(item.get("name"), item.get("value"))]).items():
                    found.append((name, value, f"{pointer}/properties/{i}"))
        return found

    def own_relations(self, record: AssetRecord, properties: list[tuple[str, str, str]]) -> None:
        """`mlaudit:relation:<relation>` names a parent by bom-ref; resolved once every ref is known."""
        if exported.unresolved(exported.own((name, value) for name, value, _ in properties)):
            self.unresolved.add(record.id)
        prefix = f"{ExportProperty.RELATION}:"
        for name, value, pointer in properties:
            relation = exported.relation(name.removeprefix(prefix)) if name.startswith(prefix) else None
            if relation:
                self.exact.append((record, value, relation, pointer))

    def own_links(self) -> None:
        """The exact relations of mlaudit's export win over the generic links between the same two
        components (a dependency read as depends_on, a model-card dataset as trained_on)."""
        exact = [(r, self.bom_refs.get(ref), relation, p) for r, ref, relation, p in self.exact]
        targets: dict[int, set[str]] = {}
        for record, target, _, _ in exact:
            if target and target[1]:
                targets.setdefault(id(record), set()).add(target[1].id)
        for _, record in self.records:
            named = targets.get(id(record), set())
            record.references = [r for r in record.references if r.scheme != Scheme.RECORD or r.target not in named]
        for record, target, relation, pointer in exact:
            if target and target[1]:
                self.link(record, target[1], relation, pointer)

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

    def _licenses(self, record: AssetRecord, node: dict[str, JSON], pointer: str) -> None:
        """License ids, names and expressions as written; acknowledgement 'concluded' goes to `concluded`.
        The licenses of the component's evidence count where they are acknowledged as declared (1.6
        keeps a concluded expression alone in `licenses` and the declared ones there)."""
        entries = self.array(node, "licenses", pointer, UNREAD_ENTRY)
        for i, entry in entries:
            self._entry(record, entry, f"{pointer}/licenses/{i}")
        evidence = node.get("evidence")
        for i, entry in self.array(evidence, "licenses", f"{pointer}/evidence") if isinstance(evidence, dict) else []:
            lic = entry.get("license") if isinstance(entry, dict) else None
            if isinstance(lic, dict) and lic.get("acknowledgement") == "declared":
                self._entry(record, entry, f"{pointer}/evidence/licenses/{i}")
        expressions = sum(1 for _, e in entries if isinstance(e, dict) and "expression" in e)
        if self.spec in ("1.5", "1.6") and expressions and len(entries) > 1:
            self.problem(
                "invalid",
                f"in CycloneDX {self.spec} 'licenses' holds either license entries or one "
                "expression, not both or several expressions (allowed from 1.7); all are read as applying",
                f"{pointer}/licenses",
            )
            record.licenses += record.concluded  # none of them decides over the others
            record.concluded.clear()

    def _entry(self, record: AssetRecord, entry: JSON, where: str) -> None:
        statement, acknowledgement = self._license(entry, where)
        if statement is None:
            return
        if acknowledgement not in (None, "declared", "concluded"):
            self.problem(
                "bad-field",
                f"license acknowledgement '{acknowledgement}' is neither 'declared' nor 'concluded'; read as declared",
                f"{where}/acknowledgement",
            )
        (record.concluded if acknowledgement == "concluded" else record.licenses).append(statement)

    def _license(self, entry: JSON, where: str) -> tuple[LicenseStatement | None, object]:
        if isinstance(entry, dict) and isinstance(entry.get("license"), dict):
            lic, inner = entry["license"], f"{where}/license"
            key = "id" if isinstance(lic.get("id"), str) and lic["id"].strip() else "name"
            raw = lic.get(key) if isinstance(lic.get(key), str) and lic[key].strip() else None
            link = lic.get("url") if isinstance(lic.get("url"), str) else None
            if raw is None:  # a license not named: read by its URL, or unread (its terms unknown)
                code = "invalid" if link else UNREAD_ENTRY
                self.problem(code, "a license should have a string 'id' or 'name'", inner)
                if link is None:
                    return None, None
            statement = _labelled(LicenseStatement(raw, self.ev(f"{inner}/{key}" if raw else inner), link=link), lic)
            return statement, lic.get("acknowledgement")
        if isinstance(entry, dict) and isinstance(entry.get("expression"), str) and entry["expression"].strip():
            return LicenseStatement(entry["expression"], self.ev(f"{where}/expression")), entry.get("acknowledgement")
        self.problem(
            UNREAD_ENTRY,
            f'a \'licenses\' entry should be {{"license": {{...}}}} or {{"expression": "..."}}, found {a_type(entry)}',
            where,
        )
        return None, None

    def _statements(self, record: AssetRecord, node: dict[str, JSON], pointer: str) -> None:
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

    def _entity(self, record: AssetRecord, node: dict[str, JSON], key: str, pointer: str) -> None:
        name = _party(node[key])
        if name:
            record.statements.append(Statement(key, shorten(name), self.ev(f"{pointer}/{key}")))
        else:
            self.problem("bad-field", f"'{key}' should be an organization with a 'name' or 'url'", f"{pointer}/{key}")

    def _fields(
        self, record: AssetRecord, node: dict[str, JSON], fields: dict[str, JSON], pointer: str, prefix: str
    ) -> None:
        """Statements for documentation fields given as path -> expected JSON type."""
        for path, expected in fields.items():
            value: JSON = node
            where = pointer
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

    def _data(self, record: AssetRecord, node: dict[str, JSON], pointer: str) -> None:
        """The `data` entries of a data component: contents, classification, governance... as statements."""
        for i, item in self.array(node, "data", pointer, "bad-field"):
            where = f"{pointer}/data/{i}"
            if not isinstance(item, dict):
                self.problem("bad-field", f"a 'data' entry should be an object, found {a_type(item)}", where)
                continue
            self._fields(record, item, DATA_FIELDS, where, "data")
            contents = object_at(item, "contents")
            url = self.text(contents, "url", f"{where}/contents")
            if url:
                record.identifiers.append(Identifier("url", url, self.ev(f"{where}/contents/url")))


def _labelled(statement: LicenseStatement, lic: dict[str, JSON]) -> LicenseStatement:
    """A license entry of mlaudit's export as it was declared: its id or name is the declaration's
    license name or link when `mlaudit:license-label` says so, and `mlaudit:license-name` is the name
    written beside it."""
    items = lic.get("properties")
    pairs = [(p.get("name"), p.get("value")) for p in items if isinstance(p, dict)] if isinstance(items, list) else []
    properties = exported.own(pairs)
    name = properties.get(ExportProperty.LICENSE_NAME)
    label = properties.get(ExportProperty.LICENSE_LABEL)
    if label == "name":
        return replace(statement, raw=None, name=statement.raw)
    if label == "link":
        return replace(statement, raw=None, link=statement.raw)
    return replace(statement, name=name) if name else statement


def _party(value: JSON) -> str | None:
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


def _summary(value: JSON) -> str:
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
