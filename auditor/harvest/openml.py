"""OpenML dataset descriptions, as the OpenML API serves them in XML (oml:data_set_description) or JSON.

OpenML hosts tabular datasets that are mostly copies of older collections (UCI, StatLib, Kaggle):
the description gives the OpenML id and name, the licence (OpenML's spelling; "Public" is common
and is no license, but the raw string is kept for the license reading to judge), the data file and
its MD5, and where the data originally came from, which becomes a derived_from reference.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from auditor.harvest.jsonld import label
from auditor.harvest.layout import Context
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
    given_twice,
)
from auditor.naming import asset_key
from auditor.readers import safejson, safexml
from auditor.readers.jsonlines import json_pointer, load_json
from auditor.readers.safexml import line_of
from auditor.readers.values import shorten_line, type_name

FORMAT = "openml"
RANK = 5
PINNABLE = False
HUB_LAYOUT = False
IN_FOLDER = False
NAMESPACE = "http://openml.org/openml"
ROOT = "data_set_description"
STATEMENT_FIELDS = (
    "description",
    "url",
    "original_data_url",
    "paper_url",
    "citation",
    "creator",
    "contributor",
    "collection_date",
    "default_target_attribute",
    "upload_date",
)
TERMS_FIELDS = frozenset({"licence", "original_data_url"})  # the license and lineage: given twice, unknown
_MD5 = re.compile(r"[0-9a-fA-F]{32}")


def detect(path: Path, head: bytes) -> bool:
    """An .xml file with oml:data_set_description in the OpenML namespace, or a .json one with that key."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return b"data_set_description" in head and NAMESPACE.encode() in head
    return suffix == ".json" and b'"data_set_description"' in head


def read(path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]:
    """The dataset record of one description file, and the problems met reading it."""
    problems: list[Problem] = []
    if path.suffix.lower() == ".xml":
        fields, prefix = _xml_fields(path, context.rel, problems), f"/oml:{ROOT}/oml:"
    else:
        fields, prefix = _json_fields(path, context.rel, problems), f"/{ROOT}/"
    if fields is None:
        return [], problems
    record = _record(fields, context, Evidence(context.rel, prefix + "name"), problems)
    key = asset_key(record.kind, record.id)
    return [record], [Problem(p.code, p.message, p.evidence, key) for p in problems]


# --- the two serialisations -> field name: [(text, evidence)] ------------------------------------------

Fields = dict[str, list[tuple[str, Evidence]]]


def _xml_fields(path: Path, rel: str, problems: list[Problem]) -> Fields | None:
    try:
        root = safexml.load(path)
    except safexml.XMLRefused as exc:
        problems.append(Problem(exc.code, str(exc), Evidence(rel, "", exc.line)))
        return None
    tag = _local(root.tag)
    if tag != ROOT:
        problems.append(
            Problem(
                "malformed",
                f"root element is <{tag}>, expected <oml:{ROOT}>",
                Evidence(rel, f"/{tag}", line_of(root)),
            )
        )
        return None
    if _namespace(root.tag) != NAMESPACE:
        problems.append(
            Problem(
                "invalid",
                f"<{ROOT}> is not in the OpenML namespace {NAMESPACE} "
                f"(found {_namespace(root.tag) or 'no namespace'}); read anyway",
                Evidence(rel, f"/{ROOT}", line_of(root)),
            )
        )
    children = [child for child in root if isinstance(child.tag, str)]  # unresolved entities have no tag
    counts = Counter(_local(child.tag) for child in children)
    fields: Fields = {}
    for child in children:
        name = _local(child.tag)
        index = f"[{len(fields.get(name, [])) + 1}]" if counts[name] > 1 else ""
        pointer = f"/oml:{ROOT}/oml:{name}{index}"
        evidence = Evidence(rel, pointer, line_of(child))
        if len(child):
            problems.append(Problem("bad-field", f"'oml:{name}' should hold text, found child elements", evidence))
            continue
        fields.setdefault(name, []).append(((child.text or "").strip(), evidence))
    return fields


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def _json_fields(path: Path, rel: str, problems: list[Problem]) -> Fields | None:
    twice: list[safejson.Where] = []
    try:
        data, lines = load_json(path, twice)
    except safejson.JSONRefused as exc:
        problems.append(Problem(exc.code, str(exc), Evidence(rel, "", exc.line)))
        return None
    problems += [given_twice(rel, json_pointer(twin), TERMS_FIELDS, keys=twin) for twin in twice]
    description = data.get(ROOT) if isinstance(data, dict) else None
    if not isinstance(description, dict):
        found = (
            type_name(description, "list")
            if isinstance(data, dict) and ROOT in data
            else f"a JSON {type_name(data, 'list')} without it"
        )
        problems.append(
            Problem("malformed", f"expected an object under '{ROOT}', found {found}", Evidence(rel, f"/{ROOT}"))
        )
        return None
    fields: Fields = {}
    for name, value in description.items():
        pointer = f"/{ROOT}/{name}"
        items = [(v, f"{pointer}/{i}") for i, v in enumerate(value)] if isinstance(value, list) else [(value, pointer)]
        for item, at in items:
            evidence = Evidence(rel, at, lines.get(at))
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                fields.setdefault(name, []).append((str(item).strip(), evidence))
            elif item is not None:
                problems.append(
                    Problem("bad-field", f"'{label(at)}' should be text, found {type_name(item, 'list')}", evidence)
                )
    return fields


# --- fields -> record -----------------------------------------------------------------------------------


def _record(fields: Fields, context: Context, name_at: Evidence, problems: list[Problem]) -> AssetRecord:
    """The dataset record; single-valued fields take their first non-empty value."""
    first = {name: next(((t, e) for t, e in values if t), None) for name, values in fields.items()}
    record = AssetRecord(
        id="", kind="dataset", source=context.rel, format=FORMAT, kind_basis="OpenML dataset description"
    )
    record.identifiers = _identifiers(first.get("id"), problems)
    record.id = _record_id(first.get("name"), record.identifiers, context, name_at, problems)
    version, url = first.get("version"), first.get("url")
    record.version = version[0] if version else None
    record.licenses = [LicenseStatement(text, ev) for text, ev in fields.get("licence", []) if text]
    data_file = url[0] if url else None
    record.checksums = _checksums(fields.get("md5_checksum", []), data_file, problems)
    record.statements = [
        Statement(name, shorten_line(text), ev)
        for name in STATEMENT_FIELDS
        for text, ev in fields.get(name, [])
        if text
    ]
    record.references = [ref for text, ev in fields.get("original_data_url", []) for ref in _origins(text, ev)]
    return record


def _identifiers(dataset_id: tuple[str, Evidence] | None, problems: list[Problem]) -> list[Identifier]:
    """https://www.openml.org/d/<id> for a positive integer id."""
    if dataset_id is None:
        return []
    text, evidence = dataset_id
    if not text.isdigit() or int(text) <= 0:
        problems.append(
            Problem("invalid", f"'id' should be a positive integer, found '{shorten_line(text, 40)}'", evidence)
        )
        return []
    return [Identifier("url", f"https://www.openml.org/d/{int(text)}", evidence)]


def _record_id(
    name: tuple[str, Evidence] | None,
    identifiers: list[Identifier],
    context: Context,
    name_at: Evidence,
    problems: list[Problem],
) -> str:
    """The OpenML name; without one, the OpenML URL or what the folder layout tells."""
    if name is not None:
        return name[0]
    fallback = identifiers[0].value if identifiers else context.placement.asset_id or context.rel
    problems.append(
        Problem("invalid", f"the description has no 'name'; the dataset is identified as '{fallback}'", name_at)
    )
    return fallback


def _checksums(values: list[tuple[str, Evidence]], data_file: str | None, problems: list[Problem]) -> list[Checksum]:
    """The MD5 of the data file (an empty md5_checksum is no checksum, not an error)."""
    found = []
    for text, evidence in values:
        if _MD5.fullmatch(text):
            found.append(Checksum("md5", text.lower(), data_file, evidence))
        elif text:
            problems.append(
                Problem(
                    "bad-field", f"'md5_checksum' should be 32 hex digits, found '{shorten_line(text, 80)}'", evidence
                )
            )
    return found


def _origins(text: str, evidence: Evidence) -> list[Reference]:
    """original_data_url: one or more URLs (OpenML separates several with commas) the data was copied from."""
    refs = []
    for url in re.split(r"[\s,]+", text):
        if not re.match(r"^https?://", url, re.I):
            continue
        hub = hub_ref(url)
        if hub:
            refs.append(Reference(hub[1], hub[0], "derived_from", evidence, revision=hub[2]))
        else:
            refs.append(Reference(url, "dataset", "derived_from", evidence, scheme="url"))
    return refs
