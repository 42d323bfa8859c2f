"""CycloneDX 1.5-1.7 BOMs (JSON and XML): one asset record per component, with its lineage.

ML-BOMs describe models (`machine-learning-model`), datasets (`data`) and the code around them in
one file, with licenses, hashes, package URLs, model cards and a dependency graph: exactly the
license and provenance facts an audit needs. Lineage comes from nesting (`contains`), pedigree
(ancestors, descendants; a variant, which names no direction, is told, not followed), model-card
datasets (`trained_on`), `dependencies` (`depends_on`) and `formulation` (cyclonedxformulation.py); a
listed component nothing places is part of the BOM's subject (cyclonedxparts.py); references between
components of the file point at the target's record. The `mlaudit:` properties of mlaudit's own export (the exact
relation, the kind, an asset only referenced, a license given by name) win over that generic
reading (auditor/harvest/exported.py); declared licenses in a component's `evidence.licenses` are
read too.

An XML BOM is first mapped onto the JSON shape, so one reader serves both encodings; every value
keeps its JSON pointer, and for XML the XPath and line it came from. Parsing goes only through
`safejson` and `safexml` (bounded, entity-free, no network).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

from auditor.harvest import exported
from auditor.harvest.cyclonedxdoc import NotABom, load_json, load_xml
from auditor.harvest.cyclonedxformulation import formulation
from auditor.harvest.cyclonedxparts import compositions, inventory
from auditor.harvest.cyclonedxwalk import DATA_FIELDS, TERMS_FIELDS, Walk, placement_key
from auditor.harvest.layout import Context
from auditor.identity import hub_id, purl_version
from auditor.model import (
    UNREAD_ENTRY,
    VARIANT,
    AssetRecord,
    Checksum,
    Evidence,
    Identifier,
    Problem,
    twice_told,
    variant_told,
)
from auditor.readers import safejson, safexml
from auditor.readers.jsonlines import json_pointer
from auditor.readers.values import JSON, a_type, object_at

FORMAT = "cyclonedx"
RANK = 4
PINNABLE = True
HUB_LAYOUT = False
IN_FOLDER = False
VERSIONS = ("1.5", "1.6", "1.7")

_JSON_MARKER = re.compile(rb'"bomFormat"\s*:\s*"CycloneDX"')
_XML_MARKER = re.compile(rb'<(?:[\w.-]+:)?bom\b[^>]*=\s*["\']http://cyclonedx\.org/schema/bom/1\.\d+["\']')

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


def detect(path: Path, head: bytes) -> bool:
    """A .json file whose head says "bomFormat": "CycloneDX", or a .xml file rooted in a CycloneDX namespace."""
    name = path.name.lower()
    if name.endswith(".json"):
        return bool(_JSON_MARKER.search(head))
    return name.endswith(".xml") and bool(_XML_MARKER.search(head))


def read(path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]:
    """The records of every component the BOM lists, and the problems met reading it."""
    try:
        doc = load_xml(path) if path.name.lower().endswith(".xml") else load_json(path)
    except (safejson.JSONRefused, safexml.XMLRefused) as exc:
        return [], [Problem(exc.code, str(exc), Evidence(context.rel, "", exc.line), placement_key(context))]
    except NotABom as exc:
        evidence = Evidence(context.rel, exc.pointer, exc.line)
        return [], [Problem("malformed", str(exc), evidence, placement_key(context))]
    return _Reader(doc, context).run()


class _Reader(Walk):
    """One pass over the BOM: records as components are met, references between them resolved last."""

    def run(self) -> tuple[list[AssetRecord], list[Problem]]:
        """The subject (metadata.component) first, then every component; references between them last."""
        data = self.doc.data
        self._check_header(data)
        for at in self.doc.twice:
            self.problem(*twice_told(safejson.dotted(at), at, TERMS_FIELDS), json_pointer(at))
        metadata = data.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            self.problem(UNREAD_ENTRY, f"'metadata' should be an object, found {a_type(metadata)}", "/metadata")
        elif metadata and metadata.get("component") is not None:
            subject = self.component(metadata["component"], "/metadata/component")
            if subject:
                self._subject_statements(subject, metadata)
        for i, node in self.array(data, "components", "", UNREAD_ENTRY):
            self.component(node, f"/components/{i}")
        self._services(data, "")
        self._resolve_pending()
        self._dependencies(data)
        formulation(self)
        self.own_links()
        inventory(self)
        compositions(self)
        records = exported.unresolve([r for _, r in self.records], self.unresolved)
        if not records:
            self.problem(
                "empty",
                "the BOM describes no component (no metadata.component and no 'components'): nothing to audit",
                "",
            )
        return records, self._problems()

    # --- the BOM as a whole

    def _check_header(self, data: dict[str, JSON]) -> None:
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

    def _subject_statements(self, subject: AssetRecord, metadata: dict[str, JSON]) -> None:
        """metadata.supplier and metadata.manufacturer describe the BOM's subject."""
        for key in ("supplier", "manufacturer", "manufacture"):
            if metadata.get(key) is not None:
                self._entity(subject, metadata, key, "/metadata")

    def _services(self, node: dict[str, JSON], pointer: str) -> None:
        """Services are not assets, but dependencies may name them: their bom-refs are known."""
        for i, service in self.array(node, "services", pointer):
            if isinstance(service, dict):
                self.register(service, f"{pointer}/services/{i}", None)
                self._services(service, f"{pointer}/services/{i}")

    def _resolve_pending(self) -> None:
        for record, ref, relation, pointer in self.pending:
            target = self.bom_refs.get(ref)
            if target is not None and target[1] is not None:
                self.link(record, target[1], relation, pointer)
            elif not self.bom_link(record, ref, relation, pointer):
                self.problem(UNREAD_ENTRY, f"model-card dataset ref '{ref}' names no component in this BOM", pointer)

    def _dependencies(self, data: dict[str, JSON]) -> None:
        """depends_on between components; services are not assets, so edges from or to them are not kept."""
        for i, entry in self.array(data, "dependencies", "", UNREAD_ENTRY):
            pointer = f"/dependencies/{i}"
            if not isinstance(entry, dict) or not isinstance(entry.get("ref"), str):
                self.problem(UNREAD_ENTRY, f"dependency {i} should be an object with a string 'ref'", pointer)
                continue
            source = self.bom_refs.get(entry["ref"])
            if source is None:
                self.problem(
                    UNREAD_ENTRY,
                    f"dependency ref '{entry['ref']}' names no component or service in this BOM",
                    f"{pointer}/ref",
                )
                continue
            for j, ref in self.array(entry, "dependsOn", pointer, UNREAD_ENTRY):
                target = self.bom_refs.get(ref) if isinstance(ref, str) else None
                if target is None:
                    self.problem(
                        UNREAD_ENTRY,
                        f"dependsOn '{ref}' names no component or service in this BOM",
                        f"{pointer}/dependsOn/{j}",
                    )
                elif source[1] is not None and target[1] is not None:
                    self.link(source[1], target[1], "depends_on", f"{pointer}/dependsOn/{j}")

    # --- one component

    def component(self, node: JSON, pointer: str) -> AssetRecord | None:
        if not isinstance(node, dict):
            self.problem(UNREAD_ENTRY, f"a component should be an object, found {a_type(node)}", pointer)
            return None
        kind, basis = self._kind(node, pointer)
        identifiers = self._identifiers(node, pointer)
        hub = _hub(kind, identifiers)
        name = self._name(node, pointer)
        if hub is None and name is None:
            self.problem(UNREAD_ENTRY, "component has no 'name'; it is skipped with everything nested in it", pointer)
            return None
        version = self._version(node, pointer)
        properties = self.own(node, pointer)
        record = AssetRecord(
            id=self._unique(hub[0] if hub else name or "", version),
            kind=exported.kind(exported.own((name, value) for name, value, _ in properties), kind),
            source=self.rel,
            format=FORMAT,
            kind_basis=basis,
            version=version,
            revision=hub[1] if hub else None,
            identifiers=identifiers,
            checksums=self._checksums(node, pointer),
        )
        self.records.append((pointer, record))
        if node.get("scope") == "excluded":
            self.excluded.add(id(record))
        self.register(node, pointer, record)
        self.own_relations(record, properties)
        self._licenses(record, node, pointer)
        self._statements(record, node, pointer)
        self._model_card(record, node, pointer)
        self._data(record, node, pointer)
        for i, child in self.array(node, "components", pointer, UNREAD_ENTRY):
            nested = self.component(child, f"{pointer}/components/{i}")
            if nested:
                self.link(record, nested, "contains", f"{pointer}/components/{i}")
        self._pedigree(record, node, pointer)
        return record

    def _kind(self, node: dict[str, JSON], pointer: str) -> tuple[str, str]:
        ctype = node.get("type")
        if not isinstance(ctype, str) or ctype not in _TYPES:  # a list or object is unhashable
            found = f"'{ctype}'" if isinstance(ctype, str) else "missing" if ctype is None else a_type(ctype)
            self.problem("invalid", f"component 'type' is {found}, not a CycloneDX component type", f"{pointer}/type")
            return "other", "CycloneDX component without a known type"
        return _KINDS.get(ctype, "other"), f"CycloneDX component type {ctype}"

    def _name(self, node: dict[str, JSON], pointer: str) -> str | None:
        """group/name when the component has a group (CycloneDX identifies a component by both), else name."""
        name, group = self.text(node, "name", pointer), self.text(node, "group", pointer)
        return f"{group}/{name}" if name and group else name

    def _version(self, node: dict[str, JSON], pointer: str) -> str | None:
        version = node.get("version")
        if isinstance(version, (int, float)) and not isinstance(version, bool):
            return str(version)
        return self.text(node, "version", pointer)

    def _identifiers(self, node: dict[str, JSON], pointer: str) -> list[Identifier]:
        found = []
        for key in ("purl", "cpe"):
            value = self.text(node, key, pointer)
            if value:
                found.append(Identifier(key, value, self.ev(f"{pointer}/{key}")))
        for i, ref in self.array(node, "externalReferences", pointer, "bad-field"):
            where = f"{pointer}/externalReferences/{i}"
            if not isinstance(ref, dict) or not isinstance(ref.get("url"), str):
                self.problem("bad-field", "an external reference should be an object with a string 'url'", where)
            elif self.text(ref, "type", where) in _IDENTIFYING_REFERENCES and ref["url"].strip():
                found.append(Identifier("url", ref["url"].strip(), self.ev(f"{where}/url")))
        return found

    def _checksums(self, node: dict[str, JSON], pointer: str) -> list[Checksum]:
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

    def _model_card(self, record: AssetRecord, node: dict[str, JSON], pointer: str) -> None:
        card = node.get("modelCard")
        if card is None:
            return
        where = f"{pointer}/modelCard"
        if not isinstance(card, dict):
            self.problem("bad-field", f"'modelCard' should be an object, found {a_type(card)}", where)
            return
        self._fields(record, card, _MODEL_CARD, where, "modelCard")
        params = object_at(card, "modelParameters")
        for i, dataset in self.array(params, "datasets", f"{where}/modelParameters", UNREAD_ENTRY):
            self._dataset(record, dataset, f"{where}/modelParameters/datasets/{i}")

    def _dataset(self, record: AssetRecord, dataset: JSON, pointer: str) -> None:
        """A model-card dataset: a ref to a data component, or an inline dataset that becomes a record."""
        if isinstance(dataset, dict) and "ref" in dataset:
            if isinstance(dataset["ref"], str) and dataset["ref"]:
                self.pending.append((record, dataset["ref"], "trained_on", f"{pointer}/ref"))
            else:
                self.problem(
                    UNREAD_ENTRY,
                    f"a dataset 'ref' should be a bom-ref string, found {a_type(dataset['ref'])}",
                    f"{pointer}/ref",
                )
            return
        if not isinstance(dataset, dict):
            self.problem(
                UNREAD_ENTRY,
                f"a model-card dataset should be an object, found {a_type(dataset)}",
                pointer,
            )
            return
        contents = object_at(dataset, "contents")
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
        self._fields(inline, dataset, DATA_FIELDS, pointer, "data")
        self.link(record, inline, "trained_on", pointer)

    def _pedigree(self, record: AssetRecord, node: dict[str, JSON], pointer: str) -> None:
        """Ancestors are upstream of the component, descendants downstream of it; variants are neither
        ("unclear if one is derived from the other", CycloneDX 1.6): read as components, told, not linked."""
        pedigree = node.get("pedigree")
        if pedigree is None:
            return
        where = f"{pointer}/pedigree"
        if not isinstance(pedigree, dict):
            self.problem(UNREAD_ENTRY, f"'pedigree' should be an object, found {a_type(pedigree)}", where)
            return
        for key in ("ancestors", "variants", "descendants"):
            for i, child in self.array(pedigree, key, where, UNREAD_ENTRY):
                other = self.component(child, f"{where}/{key}/{i}")
                if other is None:
                    continue
                if key == "variants":
                    self.problem(VARIANT, variant_told(record.id, other.id), f"{where}/{key}")
                    continue
                child_record, parent = (other, record) if key == "descendants" else (record, other)
                relation, basis = _derivation(child_record, parent, key)
                self.link(child_record, parent, relation, f"{where}/{key}/{i}", basis)


def _derivation(child: AssetRecord, parent: AssetRecord, key: str) -> tuple[str, str]:
    """(relation, basis) of a pedigree link: a model derived from a model is read as a fine-tune."""
    if child.kind == parent.kind == "model":
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
