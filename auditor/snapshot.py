"""The harvest stage's output on disk: `mlaudit harvest PATH -o graph.json` writes it, and
`mlaudit audit graph.json` audits it later without reading the manifests again.

The file holds every record, problem and inventory entry the harvest produced, plus the
release folder's mlaudit.toml, so that an audit of the snapshot equals an audit of the folder.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from auditor import shape
from auditor.model import (
    AssetRecord,
    Checksum,
    Evidence,
    Harvest,
    Identifier,
    InventoryEntry,
    LicenseStatement,
    Problem,
    Reference,
    Section,
    Statement,
)
from auditor.parsed import JSONObject
from auditor.readers import safejson

FORMAT = "mlaudit-harvest"
VERSION = 1
LIMIT = 1024 * 1024 * 1024  # bytes; like a report.json, a 100k-asset snapshot is tens of MB


class SnapshotError(ValueError):
    """The file is not a harvest snapshot this version reads."""


def dump(harvest: Harvest, config_text: str | None, review_texts: dict[str, str]) -> str:
    """The snapshot text: the harvest plus the release folder's mlaudit.toml and review files."""
    body = {
        "format": FORMAT,
        "version": VERSION,
        "root": Path(harvest.root).name,
        "config": config_text,
        "review": review_texts,
        "records": [asdict(r) for r in harvest.records],
        "problems": [asdict(p) for p in harvest.problems],
        "inventory": [asdict(i) for i in harvest.inventory],
        "fingerprint": harvest.fingerprint,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"


def is_snapshot(path: Path) -> bool:
    if not path.is_file() or path.suffix != ".json":
        return False
    with open(path, "rb") as fh:
        return FORMAT.encode() in fh.read(256)


def load(path: Path) -> tuple[Harvest, str | None, dict[str, str]]:
    """The harvest stored in `path`, and the mlaudit.toml and review file texts it carried; the file
    is bounded in size and checked against snapshot.schema.json before anything is built from it."""
    try:
        body = safejson.load(path, limit=LIMIT)
    except safejson.JSONRefused as exc:
        raise SnapshotError(f"{path}: cannot read harvest snapshot: {exc}") from None
    wrong = shape.problem(body, "snapshot")
    if wrong:
        raise SnapshotError(f"{path}: not a version-{VERSION} mlaudit harvest snapshot: {wrong}")
    harvest = Harvest(
        root=body["root"],
        records=[_record(r) for r in body["records"]],
        problems=[_problem(p) for p in body["problems"]],
        inventory=[InventoryEntry(**i) for i in body["inventory"]],
        fingerprint=body.get("fingerprint", ""),
    )
    return harvest, body.get("config"), body.get("review") or {}


def _ev(d: JSONObject) -> Evidence:
    return Evidence(**d)


def _ev_or_none(d: JSONObject | None) -> Evidence | None:
    return None if d is None else _ev(d)


def _problem(d: JSONObject) -> Problem:
    return Problem(d["code"], d["message"], _ev(d["evidence"]), d.get("asset"))


def _license(d: JSONObject) -> LicenseStatement:
    return LicenseStatement(
        d["raw"],
        _ev(d["evidence"]),
        d.get("name"),
        d.get("link"),
        _ev(d["name_evidence"]) if d.get("name_evidence") else None,
        _ev(d["link_evidence"]) if d.get("link_evidence") else None,
        tuple((ref, name, link, text) for ref, name, link, text in d.get("described", [])),
    )


def _record(d: JSONObject) -> AssetRecord:
    return AssetRecord(
        id=d["id"],
        kind=d["kind"],
        source=d["source"],
        licenses=[_license(s) for s in d["licenses"]],
        references=[Reference(**{**r, "evidence": _ev(r["evidence"])}) for r in d["references"]],
        sections=None
        if d["sections"] is None
        else [
            Section(**{**s, "evidence": _ev(s["evidence"]), "judged": _ev_or_none(s.get("judged"))})
            for s in d["sections"]
        ],
        text=d["text"],
        has_metadata=d["has_metadata"],
        revision=d["revision"],
        kind_basis=d["kind_basis"],
        format=d["format"],
        version=d["version"],
        concluded=[_license(s) for s in d["concluded"]],
        identifiers=[Identifier(**{**i, "evidence": _ev(i["evidence"])}) for i in d["identifiers"]],
        checksums=[Checksum(**{**c, "evidence": _ev(c["evidence"])}) for c in d["checksums"]],
        statements=[Statement(**{**s, "evidence": _ev(s["evidence"])}) for s in d["statements"]],
        role=d.get("role"),
        body_licenses=[_license(s) for s in d.get("body_licenses", [])],
        modified=d.get("modified"),
        branches=d.get("branches", []),
        place=_ev(d["place"]) if d.get("place") else None,
    )
