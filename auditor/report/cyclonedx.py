"""release.cdx.json: the audited release as a CycloneDX 1.6 ML-BOM, for SBOM tools and registries.

The release asset is the BOM's subject (metadata.component) and every other asset is a component:
models as `machine-learning-model`, datasets as `data`. Each carries the license the audit
concluded (acknowledgement "concluded") and the licenses its manifests declared ("declared").
CycloneDX 1.6 lets a `licenses` array hold license entries or one expression, never both: when
the concluded license is an expression, the declared ones go to `evidence.licenses`.

Lineage goes where CycloneDX has a place for it: every edge in `dependencies` (child depends on
parent), the data a model was trained on in its model card's datasets, and each edge as an
`mlaudit:relation:<relation>` property naming the parent's bom-ref, the one place the exact relation
(finetune, adapter, quantized, merge, distill, evaluated_on, generated_by, ...) is kept: a dependency
says only "depends on". `pedigree.ancestors` is left out: it takes whole components, not references,
so an ancestor shared by two children (a DAG) would be written twice and read back as two assets.
What the formats cannot say is an `mlaudit:` property (vocabulary.ExportProperty): the asset's kind,
whether a manifest describes it (`mlaudit:resolved`), and, for a declared license written by its
name or link alone, which (`mlaudit:license-label`). mlaudit's CycloneDX reader takes these over
the generic reading (auditor/harvest/exported.py), so that auditing this BOM alone gives the assets,
relations, licenses, verdict and license findings of the audit that wrote it (tests/test_export_roundtrip.py).
The release is the BOM's subject and its use and distribution are `mlaudit:release:*` properties,
for other tools: mlaudit takes them as audit options (mlaudit.toml's [release], --asset, --use,
--distribution) of whichever folder it audits, this BOM's included. The audit's conclusions are
`mlaudit:` properties of the release component.

Manifest text is untrusted: control and format characters are dropped from every string. The
serial number is derived from the document's content and no timestamp is written unless the
audit recorded one (--timestamp), so the same document gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from functools import cache
from pathlib import Path
from typing import TypeVar

from auditor.parsed import JSON, JSONObject
from auditor.readers.sanitise import plain
from auditor.report import content
from auditor.vocabulary import Relation

T = TypeVar("T")
SPEC_VERSION = "1.6"
SCHEMA_URI = "http://cyclonedx.org/schema/bom-1.6.schema.json"
SPDX_SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "spdx.schema.json"
TYPES = {"model": "machine-learning-model", "dataset": "data", "code": "library", "other": "file"}
# A model card's datasets: training data only. The spec lets the list hold evaluation data too,
# but readers (mlaudit's own among them) take it as training data, and evaluation carries no terms;
# evaluated_on stays in the dependencies and the mlaudit:relation properties.
DATA_USES = (Relation.TRAINED_ON,)
_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")  # a plain URL, for `url`


def render(document: JSONObject) -> str:
    """The BOM as indented JSON text (UTF-8 when written), one component per asset of the document."""
    assets = {a["id"]: a for a in document["assets"]}
    refs = _refs(document["assets"])
    parents = _parents(document["edges"])
    release = document["release"]["asset"]
    components = {i: _component(a, parents.get(i, []), assets, refs) for i, a in assets.items()}
    metadata: JSONObject = {"tools": {"components": [_tool(document["tool"])]}}
    timestamp = _timestamp(document["created"])
    if timestamp:
        metadata = {"timestamp": timestamp} | metadata
    conclusions = _conclusions(document)
    if release in components:
        subject = components.pop(release)
        subject["properties"] = conclusions + subject["properties"]
        metadata["component"] = subject
    else:
        metadata["properties"] = conclusions
    bom = {
        "$schema": SCHEMA_URI,
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": serial_number(document),
        "version": 1,
        "metadata": metadata,
        "components": list(components.values()),
        "dependencies": [_dependency(refs[i], parents.get(i, []), refs) for i in assets],
    }
    return json.dumps(bom, indent=2, ensure_ascii=False) + "\n"


def serial_number(document: JSONObject) -> str:
    """An RFC 9562 version-8 UUID from the SHA-256 of the canonical document: same content, same
    serial, whichever engine reasoned."""
    canonical = json.dumps(content(document), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    digest = bytearray(hashlib.sha256(canonical.encode("ascii")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x80
    digest[8] = (digest[8] & 0x3F) | 0x80
    return f"urn:uuid:{uuid.UUID(bytes=bytes(digest))}"


def _refs(assets: list[JSONObject]) -> dict[str, str]:
    """A bom-ref per asset id: the id made printable, kept unique if cleaning made two ids alike."""
    refs: dict[str, str] = {}
    taken: set[str] = set()
    for asset in assets:
        base = plain(asset["id"]) or "asset"
        ref, n = base, 1
        while ref in taken:
            n += 1
            ref = f"{base}#{n}"
        refs[asset["id"]] = ref
        taken.add(ref)
    return refs


def _tool(tool: JSONObject) -> JSONObject:
    return {"type": "application", "name": plain(tool["name"]), "version": plain(tool["version"])}


def _timestamp(created: JSON) -> str | None:
    """The document's creation time when it has one with a time zone (CycloneDX wants RFC 3339)."""
    if not isinstance(created, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(created)
    except ValueError:
        return None
    return moment.isoformat() if moment.tzinfo else None


def _parents(edges: list[JSONObject]) -> dict[str, list[JSONObject]]:
    """The edges of each child, in the document's order."""
    found: dict[str, list[JSONObject]] = {}
    for edge in edges:
        found.setdefault(edge["child"], []).append(edge)
    return found


def _component(
    asset: JSONObject, edges: list[JSONObject], assets: dict[str, JSONObject], refs: dict[str, str]
) -> JSONObject:
    component: JSONObject = {"type": TYPES[asset["kind"]], "bom-ref": refs[asset["id"]], "name": plain(asset["name"])}
    concluded = _concluded(asset["license"])
    declared = _unique([_declared(d) for d in asset["declared_licenses"] if d["raw"] or d["name"] or d["link"]])
    if concluded and "expression" in concluded[0]:
        component["licenses"] = concluded
        if declared:
            component["evidence"] = {"licenses": declared}
    elif concluded or declared:
        component["licenses"] = concluded + declared
    if asset["kind"] == "model":
        datasets = _unique(
            [
                {"ref": refs[e["parent"]]}
                for e in edges
                if e["relation"] in DATA_USES and assets[e["parent"]]["kind"] == "dataset"
            ]
        )
        if datasets:
            component["modelCard"] = {"modelParameters": {"datasets": datasets}}
    component["properties"] = _asset_properties(asset) + [
        _property(f"relation:{e['relation']}", refs[e["parent"]]) for e in edges
    ]
    return component


def _concluded(expression: str | None) -> list[JSONObject]:
    """One license entry for a single license, else the expression (1.6 takes one expression alone)."""
    if not expression:
        return []
    text = plain(expression)
    if re.search(r"[\s()]", text):
        return [{"expression": text, "acknowledgement": "concluded"}]
    return [{"license": _license(text) | {"acknowledgement": "concluded"}}]


def _declared(declaration: JSONObject) -> JSONObject:
    """A declared license as written; a license name given beside the id is kept as a property, and
    an entry naming the declaration by its name or link alone says so (mlaudit:license-label)."""
    label = plain(declaration["raw"] or declaration["name"] or declaration["link"])
    entry = _license(label) | {"acknowledgement": "declared"}
    link = declaration["link"]
    if link and _URL.fullmatch(link):
        entry["url"] = link
    name = declaration["name"]
    if not declaration["raw"]:
        entry["properties"] = [_property("license-label", "name" if name else "link")]
    elif name and plain(name) != label:
        entry["properties"] = [_property("license-name", name)]
    return {"license": entry}


def _license(label: str) -> JSONObject:
    """`id` only for ids of the SPDX list the schema enumerates; anything else (LicenseRef-..., Hub ids) is a name."""
    return {"id": label} if label in spdx_ids() else {"name": label}


@cache
def spdx_ids() -> frozenset[str]:
    """The SPDX ids CycloneDX accepts as a license `id` (the enum of the bundled spdx.schema.json)."""
    return frozenset(json.loads(SPDX_SCHEMA.read_text(encoding="utf-8"))["enum"])


def _asset_properties(asset: JSONObject) -> list[JSONObject]:
    found = [
        _property("kind", asset["kind"]),
        _property("resolved", str(asset["resolved"]).lower()),
        _property("license-status", asset["license_status"]),
        _property("license-reading", asset["license_reading"]),
        _property("use-category", asset["use_category"]),
    ]
    return found + [_property("source", s) for s in asset["sources"]]


def _conclusions(document: JSONObject) -> list[JSONObject]:
    """What the audit concluded about the release: verdict, position, use, outbound licenses, counts."""
    release = document["release"]
    found = [
        _property("verdict", document["verdict"]),
        _property("position", document["position"]),
        _property("release:use", release["use"]),
        _property("release:distribution", release["distribution"]),
    ]
    if release["use_category"]:
        found.append(_property("release:use-category", release["use_category"]))
    found += [_property("outbound-license", lic) for lic in document["outbound_licenses"]]
    return found + [_property(f"findings:{key}", str(value)) for key, value in document["counts"].items()]


def _dependency(ref: str, edges: list[JSONObject], refs: dict[str, str]) -> JSONObject:
    """Every asset is listed, with no dependsOn when it has no parent, as CycloneDX asks of a full graph."""
    entry: JSONObject = {"ref": ref}
    parents = _unique([refs[e["parent"]] for e in edges])
    if parents:
        entry["dependsOn"] = parents
    return entry


def _property(name: str, value: str) -> JSONObject:
    return {"name": f"mlaudit:{name}", "value": plain(value)}


def _unique(items: list[T]) -> list[T]:
    """Items in their first order without repeats (CycloneDX arrays of refs must be unique)."""
    found: list[T] = []
    for item in items:
        if item not in found:
            found.append(item)
    return found
