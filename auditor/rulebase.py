"""The rule base on disk, loaded once per audit into one RuleBase: the rules
(rules/<family>/<ID>-<name>.lp with their YAML metadata header), the shared programs in rules/lib/,
the legal positions in rules/positions/, the repair search in rules/repair/, the license knowledge
in rules/licenses/ and the documentation profiles and MOF framework in rules/profiles/.

Adding a rule is adding one .lp file: its metadata block (`%* --- ... --- *%`, a comment to
clingo) gives the id, severity and texts; its body derives `finding` and `because` atoms.
Nothing here is cached: every audit reads the rule base it is given, so two rule bases can judge
side by side in one process.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor import licenses, openness, profiles
from auditor.readers import safeyaml
from auditor.resources import rules_dir
from auditor.vocabulary import SEVERITIES

FAMILIES = ("license", "obligation", "conflict", "provenance", "documentation", "input")
_HEADER = re.compile(r"%\*\s*\n---\n(.*?)\n---\s*\n\*%", re.S)
_REQUIRED = ("id", "name", "family", "severity", "summary", "message", "why", "how_to_fix")
Metadata = dict[str, Any]  # a rule file's YAML header: untyped until checked by `_rule`


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    family: str
    severity: str
    summary: str
    message: str
    detail: tuple[str, ...]  # names of the finding's detail values; "name:asset" marks an asset id,
    # "name:declared" the finding asset's own license, which its message states as declared (WITH kept)
    why: str
    how_to_fix: str
    references: tuple[str, ...]
    path: Path
    raised_by: str = ""  # set when Python raises the finding instead of a rule body
    reports_check: str = ""  # the obligation check whose unmet outcome this rule reports (terms.yaml `check`)

    @property
    def source(self) -> str:
        """Where the rule is kept, as the reports name it: rules/<family>/<file>."""
        return f"rules/{self.path.parent.name}/{self.path.name}"


@dataclass(frozen=True)
class Position:
    name: str
    summary: str
    description: str
    references: tuple[str, ...]
    path: Path


@dataclass(frozen=True)
class RuleBase:
    """Everything an audit judges with, read from one folder; passed down the pipeline."""

    folder: Path
    rules: Mapping[str, Rule]
    positions: Mapping[str, Position]
    kb: licenses.KnowledgeBase
    profiles: Mapping[str, profiles.Profile]  # the checklist profiles (mof is the framework)
    framework: openness.Framework
    library: tuple[Path, ...]  # rules/lib/*.lp, loaded by every audit
    repair_files: tuple[Path, ...]  # the extra programs of the repair search (ASP only)
    fingerprint: str

    def program_files(self, position: str) -> list[Path]:
        """Every file the engine loads for an audit under `position`, in a fixed order."""
        chosen = self.positions.get(position)
        if chosen is None:
            raise RuleBaseError(f"unknown legal position {position!r}; known: {', '.join(self.positions)}")
        return [*self.library, chosen.path, *(r.path for r in self.rules.values())]


class RuleBaseError(ValueError):
    """A rule or position file is malformed; the message names it."""


def load(folder: Path | None = None) -> RuleBase:
    """The rule base in `folder` (default: the installed one)."""
    folder = folder or rules_dir()
    return RuleBase(
        folder,
        _rules(folder),
        _positions(folder),
        licenses.load(folder / "licenses"),
        profiles.load(folder / "profiles"),
        openness.load(folder / "profiles" / "mof.yaml"),
        tuple(sorted((folder / "lib").glob("*.lp"))),
        tuple(sorted((folder / "repair").glob("*.lp"))),
        fingerprint(folder),
    )


def metadata(path: Path) -> Metadata:
    match = _HEADER.search(path.read_text(encoding="utf-8"))
    if not match:
        raise RuleBaseError(f"{path}: no metadata block (%* --- ... --- *%)")
    meta: Metadata = safeyaml.load(match.group(1))
    return meta


def _rules(folder: Path) -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for family in FAMILIES:
        for path in sorted((folder / family).glob("*.lp")):
            rule = _rule(path, family)
            if rule.id in found or not path.name.startswith(f"{rule.id}-{rule.name}"):
                raise RuleBaseError(f"{path}: rule id {rule.id} is duplicated or does not match the file name")
            found[rule.id] = rule
    return found


def _rule(path: Path, family: str) -> Rule:
    meta = metadata(path)
    missing = [k for k in _REQUIRED if k not in meta]
    if missing or meta["family"] != family or meta["severity"] not in SEVERITIES:
        raise RuleBaseError(f"{path}: metadata lacks {missing} or has a wrong family/severity")
    return Rule(
        meta["id"],
        meta["name"],
        family,
        meta["severity"],
        meta["summary"].strip(),
        meta["message"],
        tuple(meta.get("detail") or ()),
        " ".join(meta["why"].split()),
        " ".join(meta["how_to_fix"].split()),
        tuple(meta.get("references") or ()),
        path,
        meta.get("raised_by", ""),
        meta.get("reports_check", ""),
    )


def _positions(folder: Path) -> dict[str, Position]:
    found = {}
    for path in sorted((folder / "positions").glob("*.lp")):
        meta = metadata(path)
        found[meta["name"]] = Position(
            meta["name"],
            meta["summary"],
            " ".join(meta["description"].split()),
            tuple(meta.get("references") or ()),
            path,
        )
    return found


def fingerprint(folder: Path) -> str:
    """SHA-256 over every file of the rule base (rules, positions, license knowledge, profiles):
    printed on the report so a reader knows exactly which rules and knowledge judged the release."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def descriptors(rules: Mapping[str, Rule]) -> list[dict[str, Any]]:
    """The rules as report.json records them, so that SARIF, JUnit and `mlaudit explain` render the
    rules of the audit that wrote the report, not those installed when it is rendered again."""
    return [
        {
            "id": r.id,
            "name": r.name,
            "family": r.family,
            "severity": r.severity,
            "summary": r.summary,
            "why": r.why,
            "how_to_fix": r.how_to_fix,
            "references": list(r.references),
            "source": r.source,
        }
        for r in rules.values()
    ]


def find(rules: Mapping[str, Rule], key: str) -> Rule | None:
    """The rule `key` names by its id or by its name, in any case: `rules show` takes what a
    reader has at hand, the id of a finding or the name of a rule file."""
    key = key.lower()
    return next((r for r in rules.values() if key in (r.id.lower(), r.name.lower())), None)


def catalog(rb: RuleBase) -> str:
    """The rule catalog in Markdown, generated from the rules' metadata (rules/README.md)."""
    lines = [
        "# Rule catalog",
        "",
        "Generated from the metadata of each rule file by `mlaudit rules list --format markdown`;",
        "do not edit by hand. Each rule is one `.lp` file in the folder of its family, with",
        "fixtures that must fire and must not fire under `fixtures/rules/<ID>-<name>/`.",
        "",
        "| id | name | family | severity | summary |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {r.id} | {r.name} | {r.family} | {r.severity} | {r.summary} |" for r in rb.rules.values()]
    for r in rb.rules.values():
        lines += [
            "",
            f"## {r.id} {r.name}",
            "",
            f"*{r.family}, {r.severity}* · `{r.source}`",
            "",
            r.summary,
            "",
            f"**Why it matters.** {r.why}",
            "",
            f"**How to fix.** {r.how_to_fix}",
        ]
        if r.references:
            lines += ["", "**References.** " + ", ".join(r.references)]
    lines += ["", "## Legal positions", ""]
    lines += [f"- **{p.name}**: {p.description}" for p in rb.positions.values()]
    return "\n".join(lines) + "\n"
