"""A baseline: an earlier report.json of the same release, against which each finding is marked new
or unchanged and the findings gone are listed, with the licence changes of the release's lineage."""

from __future__ import annotations

from auditor.parsed import JSONObject
from auditor.report.plaintext import local_step
from auditor.review import ReviewError


def compare(doc: JSONObject, baseline: JSONObject, name: str) -> None:
    """Mark each finding new or unchanged against an earlier report, and list the findings gone; a
    report of another release is refused, since its findings would all show as gone or new."""
    try:
        before = {f["id"]: f for f in baseline["findings"]}
    except (KeyError, TypeError) as exc:
        raise ReviewError(f"{name}: not an mlaudit report.json (no findings list: {exc})") from None
    if (was := release_of(baseline)) != (this := release_of(doc)):
        raise ReviewError(
            f"{name}: the baseline is a report of the release {was}, not of {this}: a baseline marks one release's "
            "findings against its earlier report (`mlaudit diff` compares two releases)"
        )
    now = {f["id"] for f in doc["findings"]}
    for finding in doc["findings"]:
        finding["baseline"] = "unchanged" if finding["id"] in before else "new"
    gone = [_gone(f) for i, f in sorted(before.items(), key=lambda item: str(item[0])) if i not in now]
    doc["review"]["baseline"] = {
        "file": name,
        "new": sum(f["baseline"] == "new" for f in doc["findings"]),
        "unchanged": len(now & before.keys()),
        "gone": gone,
        "licenses": _license_changes(doc, baseline),
    }


def _gone(finding: JSONObject) -> JSONObject:
    """A baseline finding this audit no longer raises, with the place in the folder it pointed at,
    so that the outputs can still show where it was."""
    keys = ("id", "rule", "severity", "asset", "message")
    entry: JSONObject = {k: None if finding.get(k) is None else str(finding[k]) for k in keys}
    step = local_step(finding) or {"file": None, "line": None}
    return entry | {"file": step["file"], "line": step["line"]}


def release_of(doc: JSONObject) -> str | None:
    """The asset a report is the release audit of."""
    return doc["release"].get("asset") if isinstance(doc.get("release"), dict) else None


def _license_changes(doc: JSONObject, baseline: JSONObject) -> list[JSONObject]:
    """Each asset of the release's lineage whose license, as read, is not the baseline's
    (`mlaudit diff` of the two reports says more: declared licenses, use, edges, drift)."""
    was = {str(a.get("id")): _read_as(a) for a in baseline.get("assets", []) if isinstance(a, dict)}
    return [
        {"asset": a["id"], "before": was[a["id"]], "after": _read_as(a)}
        for a in doc.get("assets", [])
        if a["in_lineage"] and a["id"] in was and was[a["id"]] != _read_as(a)
    ]


def _read_as(asset: JSONObject) -> str:
    status = asset.get("license_status")
    return str(asset.get("license")) if status == "ok" and asset.get("license") else f"({status})"
