"""report.sarif: the findings as a SARIF 2.1.0 log, for code-scanning dashboards and CI annotations.

One run of the driver `mlaudit`. Its rules are every rule of the rule base that judged the release,
as report.json records them, so a dashboard can show what was checked as well as what fired. Each
result points at the first evidence step in the audited folder, or without one at its asset's manifest
(URIs relative to that folder, or to the repository root it lies in when given one, under the base id
SRCROOT, whose absolute place is left to the reader so the bytes do not depend on the machine; a
license's URL is never a location), since code scanning refuses a log with a result it cannot place
in a file, and names its asset as a logical location; the whole evidence chain rides in its properties. The
finding id is the partial fingerprint, so results keep their identity across runs, and the run's
automation id names the release, so code scanning keeps the runs of different releases apart;
resolved findings carry an accepted suppression. Nothing depends on time or machine: the same
document gives the same bytes.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from auditor.parsed import JSON
from auditor.readers.sanitise import plain
from auditor.report.plaintext import in_folder, local_step
from auditor.vocabulary import Severity

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://mlaudit.dev/"
LEVELS: dict[str, str] = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT = "mlauditFindingId/v1"
SRCROOT = "SRCROOT"  # the base id of every artifact location: the audited folder, or the root given
BASELINE_STATES = {"new": "new", "unchanged": "unchanged"}
Places = dict[str | None, str | None]  # asset (None: the release) -> the manifest a result without a file is placed at


def render(document: dict[str, JSON], root: str = "") -> str:
    """The log; `root`: the audited folder's path inside the folder SRCROOT stands for (such as
    `releases/demo` in a repository), put before every location, which are otherwise relative to
    the audited folder itself."""
    descriptors = [_descriptor(r) for r in document["rule_base"].get("rules", [])]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    places = _manifests(document)
    tool = document["tool"]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": tool["name"],
                        "version": tool["version"],
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "automationDetails": {"id": _automation_id(document)},
                "originalUriBaseIds": {SRCROOT: {"description": {"text": _base(root)}}},
                "results": [_result(f, index, root, places) for f in document["findings"]]
                + [_gone(f, index, root, places) for f in (document["review"]["baseline"] or {}).get("gone", [])],
                "properties": _clean(
                    {
                        "position": document["position"],
                        "verdict": document["verdict"],
                        "gate": document.get("gate"),
                        "release": document["release"],
                        "counts": document["counts"],
                    }
                ),
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _automation_id(document: dict[str, JSON]) -> str:
    """`mlaudit/<release>/`: a category per release (the trailing slash leaves the run id out), so an
    upload for one release never closes the alerts of another audited in the same repository."""
    release = document["release"]["asset"]
    return f"mlaudit/{plain(release)}/" if release else "mlaudit/"


def _descriptor(rule: dict[str, JSON]) -> dict[str, JSON]:
    """A rule as report.json records it (rulebase.descriptors), as a SARIF reportingDescriptor."""
    return {
        "id": rule["id"],
        "name": rule["name"],
        "shortDescription": {"text": plain(rule["summary"])},
        "fullDescription": {"text": plain(rule["why"])},
        "help": {"text": plain(rule["how_to_fix"])},
        "defaultConfiguration": {"level": LEVELS[rule["severity"]]},
        "properties": {"family": rule["family"], "tags": [rule["family"]]},
    }


def _base(root: str) -> str:
    """What SRCROOT stands for, in words."""
    if not root:
        return "the audited release folder"
    return f"the folder that holds the audited release folder at {plain(root)}"


def _manifests(document: dict[str, JSON]) -> Places:
    """The first manifest each asset was read from and, under None, the release's (else the first
    file read): where a result with no evidence step in the folder is placed, since code scanning
    refuses a whole log if one result has no file location."""
    sources = {a["id"]: a["sources"][0] for a in document["assets"] if a["sources"] and in_folder(a["sources"][0])}
    read = [e["file"] for e in document["inventory"] if e["status"] == "read"]
    return sources | {None: sources.get(document["release"]["asset"]) or next(iter(read), None)}


def _result(finding: dict[str, JSON], index: dict[str, int], root: str, places: Places) -> dict[str, JSON]:
    result = {"ruleId": finding["rule"]}
    if finding["rule"] in index:
        result["ruleIndex"] = index[finding["rule"]]
    result |= {"level": LEVELS[finding["severity"]], "message": {"text": plain(finding["message"])}}
    location = _location(local_step(finding), finding["asset"], root, places)
    if location:
        result["locations"] = [location]
    result["partialFingerprints"] = {FINGERPRINT: finding["id"]}
    decision = finding["resolution"]
    if finding["status"] == "resolved":
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": plain(
                    f"{decision['reason']} ({decision['reviewer']}, {decision['date']}): {decision['comment']}"
                ),
            }
        ]
    if finding["baseline"]:
        result["baselineState"] = BASELINE_STATES[finding["baseline"]]
    result["properties"] = _clean(
        {
            "family": finding["family"],
            "status": finding["status"],
            "howToFix": finding["how_to_fix"],
            "detail": finding["detail"],
            "evidence": finding["evidence"],
        }
    )
    return result


def _gone(finding: dict[str, JSON], index: dict[str, int], root: str, places: Places) -> dict[str, JSON]:
    """A finding of the baseline that this audit no longer raises (SARIF's "absent" state), placed
    where it pointed in the baseline (a report of schema 1.7 or earlier does not say: its asset's manifest)."""
    result = {"ruleId": finding["rule"]}
    if finding["rule"] in index:
        result["ruleIndex"] = index[finding["rule"]]
    result |= {"level": LEVELS.get(finding["severity"], "warning"), "message": {"text": plain(finding["message"])}}
    step = {"file": finding["file"], "line": finding["line"]} if in_folder(finding.get("file")) else None
    location = _location(step, finding["asset"], root, places)
    if location:
        result["locations"] = [location]
    return result | {"partialFingerprints": {FINGERPRINT: finding["id"]}, "baselineState": "absent"}


def _location(step: dict[str, JSON] | None, asset: JSON, root: str, places: Places) -> dict[str, JSON] | None:
    """The evidence step's file and line, else the manifest of the asset (of the release), and the asset by name."""
    location: dict[str, JSON] = {}
    file = step["file"] if step else places.get(asset) or places[None]
    if file:
        path = f"{root}/{file}" if root else file
        physical = {"artifactLocation": {"uri": _uri(path), "uriBaseId": SRCROOT}}
        if step and step["line"]:
            physical["region"] = {"startLine": step["line"]}
        location["physicalLocation"] = physical
    if asset:
        name = plain(asset)
        location["logicalLocations"] = [{"name": name, "fullyQualifiedName": name, "kind": "resource"}]
    return location or None


def _uri(path: str) -> str:
    """A relative URI for a path; a file name the OS could not decode keeps its original bytes."""
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "replace")
    return quote(raw, safe="/")


def _clean(value: object) -> object:
    """Manifest text in property bags, made safe to display like the messages."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        return {plain(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
