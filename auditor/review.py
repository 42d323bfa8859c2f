"""The review workflow: decisions a reviewer keeps beside the release, applied on every audit.

- curations.yaml corrects harvested metadata (today: an asset's license) before reasoning, so the
  rules judge the corrected value and the report shows both;
- resolutions.yaml accepts findings after reasoning, keyed by rule id + asset (never by message
  text, which may be reworded), with a reason from a closed list, a comment, the reviewer, the
  date and an optional expiry;
- a baseline (an earlier report.json) marks findings new, unchanged or gone (auditor/baseline.py).

Resolutions and the baseline act on the report document, so `mlaudit report` can re-apply them to a
stored audit without reasoning again. A malformed entry is listed as a problem and not applied:
the finding it meant stays open, which is the safe way to fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypedDict

from auditor import shape
from auditor.interpretation import Finding
from auditor.model import AssetGraph, Curation, Evidence, Problem
from auditor.naming import display_id
from auditor.parsed import JSON, YAML, JSONObject
from auditor.readers import safejson
from auditor.readers.frontmatter import FrontMatter, FrontMatterError, parse
from auditor.vocabulary import ReviewStatus

RESOLUTIONS_FILE, CURATIONS_FILE = "resolutions.yaml", "curations.yaml"
# The closed list of reasons a finding may be accepted for (README: "Review workflow").
REASONS = {
    "legal-approved": "counsel reviewed the finding and approved the release as it is",
    "license-obtained": "a separate license or written permission was obtained from the licensor",
    "not-applicable": "the rule's premise does not hold for this release (e.g. the upstream is not shipped)",
    "false-positive": "the finding is wrong; prefer a curation when the harvested metadata is the cause",
    "risk-accepted": "the owner accepts the risk knowingly, for a limited time (give an expiry)",
    "documented-elsewhere": "the documentation asked for exists outside the audited files",
}
REPORT_LIMIT = 1024 * 1024 * 1024  # a 100k-asset report.json is about 80 MB
_RESOLUTION_KEYS = {"rule", "asset", "detail", "reason", "comment", "reviewer", "date", "expires"}
_CURATION_KEYS = {"asset", "license", "comment", "curator", "date"}


@dataclass(frozen=True)
class Resolution:
    rule: str
    asset: str
    detail: tuple[tuple[str, str], ...]  # optional narrowing to findings with these detail values
    reason: str
    comment: str
    reviewer: str
    date: str
    expires: str | None
    file: str
    line: int | None

    def matches(self, finding: JSONObject) -> bool:
        details = {k: str(v) for k, v in finding["detail"].items()}
        return (
            finding["rule"] == self.rule
            and (finding["asset"] or "").lower() == self.asset.lower()
            and all(details.get(k) == v for k, v in self.detail)
        )

    def in_force(self, as_of: dt.date) -> bool:
        return self.expires is None or self.expires >= as_of.isoformat()

    def record(self, expired: bool) -> JSONObject:
        return {
            "reason": self.reason,
            "comment": self.comment,
            "reviewer": self.reviewer,
            "date": self.date,
            "expires": self.expires,
            "expired": expired,
            "file": self.file,
            "line": self.line,
        }


class ReviewProblem(TypedDict):
    """An entry of a review file that cannot be used; `fatal`: the whole file cannot be."""

    kind: str
    file: str
    line: int | None
    message: str
    fatal: bool


Lines = dict[str, int | None]  # an entry's fields ("" for the entry itself) -> line in the file


class Review:
    """The parsed review files: what to apply, and the entries that could not be used."""

    def __init__(self) -> None:
        self.resolutions: list[Resolution] = []
        self.curations: list[Curation] = []
        self.problems: list[ReviewProblem] = []
        self.files: dict[str, str] = {}  # kind -> file name as the report names it

    def problem(self, kind: str, file: str, line: int | None, message: str, fatal: bool = False) -> None:
        """An entry that cannot be used; `fatal`: the whole file cannot be."""
        self.problems.append({"kind": kind, "file": file, "line": line, "message": message, "fatal": fatal})

    def input_problems(self) -> list[Problem]:
        """The problems as input problems of the audit: a review file that cannot be read is as
        broken as an unreadable manifest (it fails the gate); an entry that cannot be used is a
        field problem. No asset owns them: they are the release's."""
        return [
            Problem("malformed" if p["fatal"] else "bad-field", p["message"], Evidence(p["file"], p["kind"], p["line"]))
            for p in self.problems
        ]

    def unusable(self) -> str | None:
        """Why a review file cannot be used at all, for `mlaudit report`, which cannot raise the INP001
        that fails the gate of `mlaudit audit` for it (findings come from reasoning): None if none."""
        fatal = next((p for p in self.problems if p["fatal"]), None)
        if fatal is None:
            return None
        where = f"{fatal['file']}:{fatal['line']}" if fatal["line"] else fatal["file"]
        return f"{where}: {fatal['message']}: fix it (mlaudit audit fails the gate on it: INP001)"

    def problems_of(self, kind: str) -> list[JSONObject]:
        """The problems of one review file, as the report lists them."""
        return [{k: v for k, v in p.items() if k != "fatal"} for p in self.problems if p["kind"] == kind]


def load(texts: dict[str, tuple[str, str]], rule_ids: set[str]) -> Review:
    """Parse the review files; `texts` maps "resolutions"/"curations" to (file name, text)."""
    review = Review()
    for kind, (name, text) in sorted(texts.items()):
        review.files[kind] = name
        entries = _entries(name, text, kind, review)
        for i, (entry, lines) in enumerate(entries):
            where = f"{kind}[{i}]"
            if lines is None:
                continue
            if kind == "resolutions":
                _resolution(entry, lines, where, name, rule_ids, review)
            else:
                _curation(entry, lines, where, name, review)
    return review


def _entries(name: str, text: str, kind: str, review: Review) -> list[tuple[YAML, Lines | None]]:
    """Each entry with its lines; None for the lines of an entry not to apply (a key given twice)."""
    try:
        front = parse(text, 1, f"the {kind} file")
    except FrontMatterError as exc:
        review.problem(kind, name, exc.line, f"{exc}; no {kind} applied", fatal=True)
        return []
    items = front.data.get(kind)
    if set(front.data) != {kind} or not isinstance(items, list):
        one = f"expected one top-level key '{kind}:' holding a list"
        review.problem(kind, name, 1, f"{one}; no {kind} applied", fatal=True)
        return []
    if kind in (twice := _twice(front, kind, name, review)):
        return []
    return [(item, None if f"{kind}[{i}]" in twice else _lines(front, f"{kind}[{i}]")) for i, item in enumerate(items)]


def _twice(front: FrontMatter, kind: str, name: str, review: Review) -> set[str]:
    """The entries (`kind[i]`; `kind`: the file) with a key given twice, told: a decision applies only unambiguous."""
    found = set()
    for pointer, line in front.duplicates:
        entry = pointer.partition("]")[0] + "]" if pointer.startswith(f"{kind}[") else kind
        found.add(entry)
        applied = f"no {kind} applied" if entry == kind else f"{entry} not applied"
        review.problem(kind, name, line, f"field '{pointer}' is given twice; {applied}", fatal=entry == kind)
    return found


def _lines(front: FrontMatter, pointer: str) -> Lines:
    """The lines of the entry at `pointer`: of each of its fields by name, and of itself ("")."""
    lines: Lines = {k.partition(".")[2]: v for k, v in front.lines.items() if k.startswith(pointer)}
    lines[""] = front.line(pointer)
    return lines


def _required(
    entry: YAML, lines: Lines, where: str, name: str, keys: set[str], optional: set[str], review: Review
) -> bool:
    kind = where.partition("[")[0]
    if not isinstance(entry, dict):
        review.problem(kind, name, lines.get(""), f"{where} is not a mapping of fields; not applied")
        return False
    missing = sorted(k for k in keys - optional if not str(entry.get(k) or "").strip())
    unknown = sorted(set(entry) - keys)
    not_text = sorted(k for k in keys - optional - set(missing) if not isinstance(entry.get(k), str))
    if missing or unknown or not_text:
        said = "; ".join(
            s
            for s in (
                missing and f"missing or empty: {', '.join(missing)}",
                unknown and f"unknown field(s): {', '.join(unknown)}",
                not_text and f"not text: {', '.join(not_text)}",
            )
            if s
        )
        review.problem(kind, name, lines.get(""), f"{where}: {said}; not applied")
        return False
    return True


def _date(value: YAML, field: str, where: str, name: str, line: int | None, review: Review) -> str | None:
    kind = where.partition("[")[0]
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        review.problem(
            kind, name, line, f"{where}: {field} {str(value)[:40]!r} is not a date (YYYY-MM-DD); not applied"
        )
        return None


def _resolution(entry: YAML, lines: Lines, where: str, name: str, rule_ids: set[str], review: Review) -> None:
    if not _required(entry, lines, where, name, _RESOLUTION_KEYS, {"detail", "expires"}, review):
        return
    line, kind = lines.get(""), "resolutions"
    if entry["rule"] not in rule_ids:
        review.problem(kind, name, line, f"{where}: no rule {str(entry['rule'])[:40]!r}; not applied")
        return
    if entry["reason"] not in REASONS:
        reason = f"reason {str(entry['reason'])[:40]!r} is not one of {', '.join(REASONS)}"
        review.problem(kind, name, line, f"{where}: {reason}; not applied")
        return
    detail = entry.get("detail") or {}
    if not isinstance(detail, dict) or not all(isinstance(v, str) for v in detail.values()):
        review.problem(kind, name, line, f"{where}: detail must map detail names to values; not applied")
        return
    date = _date(entry["date"], "date", where, name, line, review)
    expires = _date(entry["expires"], "expires", where, name, line, review) if entry.get("expires") else None
    if date is None or (entry.get("expires") and expires is None):
        return
    if expires is not None and expires < date:
        review.problem(kind, name, line, f"{where}: expires {expires} is before its date {date}; not applied")
        return
    review.resolutions.append(
        Resolution(
            entry["rule"],
            entry["asset"],
            tuple(sorted(detail.items())),
            entry["reason"],
            " ".join(entry["comment"].split()),
            entry["reviewer"],
            date,
            expires,
            name,
            line,
        )
    )


def _curation(entry: YAML, lines: Lines, where: str, name: str, review: Review) -> None:
    if not _required(entry, lines, where, name, _CURATION_KEYS, set(), review):
        return
    date = _date(entry["date"], "date", where, name, lines.get(""), review)
    if date is not None:
        review.curations.append(
            Curation(
                entry["asset"],
                entry["license"],
                " ".join(entry["comment"].split()),
                entry["curator"],
                date,
                Evidence(name, f"{where}.license", lines.get("license")),
            )
        )


@dataclass(frozen=True)
class Curated:
    """The graph with each curation attached to its asset, and the curations that could not be:
    orphaned (no asset of that name) and the problems (a second curation of one asset)."""

    graph: AssetGraph
    orphaned: tuple[dict[str, JSON], ...] = ()
    problems: tuple[dict[str, JSON], ...] = ()
    outside: tuple[int, int] = (0, 0)  # assets and edges cut away with a named release's cone (cone.py)


def curate(graph: AssetGraph, review: Review) -> Curated:
    """A new graph whose assets carry their curations (each named as reports name its asset)."""
    by_name = {display_id(key, graph).lower(): key for key in graph.assets}
    curated: dict[str, Curation] = {}
    orphaned, problems = [], []
    for curation in review.curations:
        key = by_name.get(curation.asset.lower())
        if key is None:
            orphaned.append(
                {
                    "asset": curation.asset,
                    "license": curation.license,
                    "file": curation.evidence.file,
                    "line": curation.evidence.line,
                }
            )
        elif key in curated:
            where = curation.evidence
            message = f"a second curation of {curation.asset}; the first one is applied"
            problems.append({"kind": "curations", "file": where.file, "line": where.line, "message": message})
        else:
            curated[key] = curation
    assets = {key: replace(a, curation=curated[key]) if key in curated else a for key, a in graph.assets.items()}
    return Curated(replace(graph, assets=assets), tuple(orphaned), tuple(problems))


def resolve(doc: JSONObject, review: Review, as_of: dt.date) -> None:
    """Mark the findings the resolutions accept; an expired resolution leaves its finding open."""
    summarise(doc["review"], review, applied(doc["findings"], review, as_of), as_of)


def applied(findings: Iterable[JSONObject], review: Review, as_of: dt.date) -> set[Resolution]:
    """Mark each of `findings` resolved or open; the resolutions that matched one."""
    used = set()
    for finding in findings:
        matching = [r for r in review.resolutions if r.matches(finding)]
        used.update(matching)
        active = [r for r in matching if r.in_force(as_of)]
        chosen = next(iter(active or matching), None)
        finding["resolution"] = None if chosen is None else chosen.record(expired=not active)
        finding["status"] = (ReviewStatus.RESOLVED if active else ReviewStatus.OPEN).value
    return used


def accepted(findings: Iterable[Finding], review: Review, as_of: dt.date) -> frozenset[str]:
    """The ids of the findings an unexpired resolution accepts, known before the document is: the
    repair search aims at the conflicts left open."""
    active = [r for r in review.resolutions if r.in_force(as_of)]
    return frozenset(
        f.id for f in findings if any(r.matches({"rule": f.rule, "asset": f.asset, "detail": f.detail}) for r in active)
    )


def summarise(about: JSONObject, review: Review, used: set[Resolution], as_of: dt.date) -> None:
    """The review's part of a report (`about`): the resolutions `used` in force, those expired (their
    findings open again: what turns yesterday's passing gate into today's failing one) and those
    that matched no finding."""
    expiring = any(r.expires for r in review.resolutions)
    expired = [r for r in review.resolutions if r in used and not r.in_force(as_of)]
    about.update(
        {
            "as_of": as_of.isoformat() if expiring else None,
            "resolutions": {
                "file": review.files.get("resolutions"),
                "applied": len(used) - len(expired),
                "expired": [_orphan(r) | {"expires": r.expires} for r in expired],
                "orphaned": [_orphan(r) for r in review.resolutions if r not in used],
            },
        }
    )
    kept = [p for p in about["problems"] if p["kind"] != "resolutions"]
    about["problems"] = kept + review.problems_of("resolutions")


def _orphan(r: Resolution) -> JSONObject:
    return {
        "rule": r.rule,
        "asset": r.asset,
        "detail": dict(r.detail),
        "reason": r.reason,
        "reviewer": r.reviewer,
        "file": r.file,
        "line": r.line,
    }


class ReviewError(ValueError):
    """A review input (baseline or stored report) cannot be used at all; the message names it."""


def read_report(path: Path) -> JSONObject:
    """A stored report.json, bounded in size like any untrusted JSON and checked against its schema."""
    try:
        doc = safejson.load(path, limit=REPORT_LIMIT)
    except safejson.JSONRefused as exc:
        raise ReviewError(f"{path}: {exc}") from None
    wrong = shape.problem(doc, "report")
    if wrong:
        raise ReviewError(f"{path}: not an mlaudit report.json of schema version 1: {wrong}")
    report: JSONObject = doc  # the report schema requires an object
    return report
