"""The CI gate of a release audit (--fail-on, --fail-under): which open findings and documentation
scores fail it, and why in words, recorded in the document (`gate`) so that every report states the
outcome the exit code gives, and `mlaudit report` applies the same thresholds again."""

from __future__ import annotations

from collections import Counter

from auditor import docgate
from auditor.cli_options import FAIL_ON
from auditor.parsed import JSONObject

DEFAULT_FAIL_ON = "error"


def outcome(doc: JSONObject, fail_on: str, thresholds: list[docgate.Threshold]) -> JSONObject:
    """The gate applied to the document and its outcome: the thresholds set, each that fails and why
    (raises docgate.GateError for a threshold of a profile the audit did not apply)."""
    shortfalls = docgate.shortfalls(doc, thresholds)
    failures = [{"option": f"--fail-under {_threshold(t)}", "reason": r} for t, r in shortfalls]
    if fails(doc, fail_on):
        failures.insert(0, {"option": f"--fail-on {fail_on}", "reason": _fail_on_reason(doc, fail_on)})
    return {
        "fail_on": fail_on,
        "fail_under": [{"profile": p, "score": n} for p, n in thresholds],
        "passed": not failures,
        "failures": failures,
    }


def thresholds(
    doc: JSONObject, fail_on: str | None, fail_under: list[docgate.Threshold]
) -> tuple[str, list[docgate.Threshold]]:
    """The gate to apply: the thresholds given, else (`mlaudit report` given none) those the stored
    report records, else the default gate."""
    if fail_on is not None or fail_under:
        return fail_on or DEFAULT_FAIL_ON, fail_under
    gate = doc.get("gate") or {"fail_on": DEFAULT_FAIL_ON, "fail_under": []}
    return gate["fail_on"], [(t["profile"], t["score"]) for t in gate["fail_under"]]


def fails(doc: JSONObject, fail_on: str) -> bool:
    """Whether open findings fail the gate: an incomplete audit fails it at every threshold but never."""
    if fail_on == "never":
        return False
    return doc["verdict"] == "incomplete" or any(_gating(doc, fail_on))


def _gating(doc: JSONObject, fail_on: str) -> list[JSONObject]:
    """The open findings at or above the --fail-on threshold."""
    levels = FAIL_ON[: FAIL_ON.index(fail_on) + 1]
    return [f for f in doc["findings"] if f["status"] == "open" and f["severity"] in levels]


def _fail_on_reason(doc: JSONObject, fail_on: str) -> str:
    """Why open findings fail the gate; a CI log that shows "verdict: PASS" on a red job says why."""
    if doc["verdict"] == "incomplete":
        return "no release identified, so the audit is incomplete"
    counts = Counter(f["severity"] for f in _gating(doc, fail_on))
    said = ", ".join(f"{counts[level]} {level}" for level in FAIL_ON if counts[level])
    return f"open findings at {fail_on} or above: {said}"


def _threshold(threshold: docgate.Threshold) -> str:
    profile, score = threshold
    return f"{profile}={score}" if profile else str(score)
