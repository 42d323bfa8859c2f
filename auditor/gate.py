"""The CI gate of a release audit (--fail-on): which open findings fail it, and why in words when
the release itself passes (no open error) but the gate does not."""

from __future__ import annotations

from collections import Counter

from auditor.cli_options import FAIL_ON
from auditor.parsed import JSONObject


def fails(doc: JSONObject, fail_on: str) -> bool:
    """Whether the gate fails: an incomplete audit fails it at every threshold but never."""
    if fail_on == "never":
        return False
    return doc["verdict"] == "incomplete" or any(_gating(doc, fail_on))


def _gating(doc: JSONObject, fail_on: str) -> list[JSONObject]:
    """The open findings at or above the --fail-on threshold."""
    levels = FAIL_ON[: FAIL_ON.index(fail_on) + 1]
    return [f for f in doc["findings"] if f["status"] == "open" and f["severity"] in levels]


def why(doc: JSONObject, fail_on: str) -> str:
    """Why a release that passes (no open error) fails the gate all the same: a CI log that shows
    "verdict: PASS" on a red job says so."""
    counts = Counter(f["severity"] for f in _gating(doc, fail_on))
    said = ", ".join(f"{counts[level]} {level}" for level in FAIL_ON if counts[level])
    return f"the release passes (no open error), but the gate fails on its open findings at {fail_on} or above: {said}"
