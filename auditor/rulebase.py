"""The rule base on disk: rules/<family>/<ID>-<name>.lp files with their YAML metadata header,
shared programs in rules/lib/, and the legal positions in rules/positions/.

Adding a rule is adding one .lp file: its metadata block (`%* --- ... --- *%`, a comment to
clingo) gives the id, severity and texts; its body derives `finding` and `because` atoms.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from auditor.resources import rules_dir
from auditor.vocabulary import SEVERITIES

FAMILIES = ("license", "obligation", "conflict", "provenance", "documentation", "input")
_HEADER = re.compile(r"%\*\s*\n---\n(.*?)\n---\s*\n\*%", re.S)
_REQUIRED = ("id", "name", "family", "severity", "summary", "message", "why", "how_to_fix")


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    family: str
    severity: str
    summary: str
    message: str
    detail: tuple[str, ...]  # names of the finding's detail values; "name:asset" marks an asset id
    why: str
    how_to_fix: str
    references: tuple[str, ...]
    path: Path
    raised_by: str = ""  # set when Python raises the finding instead of a rule body
    reports_check: str = ""  # the obligation check whose unmet outcome this rule reports (terms.yaml `check`)


@dataclass(frozen=True)
class Position:
    name: str
    summary: str
    description: str
    references: tuple[str, ...]
    path: Path


class RuleBaseError(ValueError):
    """A rule or position file is malformed; the message names it."""


def metadata(path: Path) -> dict:
    match = _HEADER.search(path.read_text(encoding="utf-8"))
    if not match:
        raise RuleBaseError(f"{path}: no metadata block (%* --- ... --- *%)")
    return yaml.safe_load(match.group(1))


@cache
def rules(folder: Path | None = None) -> dict[str, Rule]:
    folder = folder or rules_dir()
    found: dict[str, Rule] = {}
    for family in FAMILIES:
        for path in sorted((folder / family).glob("*.lp")):
            meta = metadata(path)
            missing = [k for k in _REQUIRED if k not in meta]
            if missing or meta["family"] != family or meta["severity"] not in SEVERITIES:
                raise RuleBaseError(f"{path}: metadata lacks {missing} or has a wrong family/severity")
            if meta["id"] in found or not path.name.startswith(f"{meta['id']}-{meta['name']}"):
                raise RuleBaseError(f"{path}: rule id {meta['id']} is duplicated or does not match the file name")
            found[meta["id"]] = Rule(
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
    return found


@cache
def positions(folder: Path | None = None) -> dict[str, Position]:
    folder = folder or rules_dir()
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


def repair_files(folder: Path | None = None) -> list[Path]:
    """The extra programs of the repair search (ASP only)."""
    return sorted(((folder or rules_dir()) / "repair").glob("*.lp"))


def program_files(position: str, folder: Path | None = None) -> list[Path]:
    """Every file the engine loads for an audit under `position`, in a fixed order."""
    folder = folder or rules_dir()
    chosen = positions(folder).get(position)
    if chosen is None:
        raise RuleBaseError(f"unknown legal position {position!r}; known: {', '.join(positions(folder))}")
    return sorted((folder / "lib").glob("*.lp")) + [chosen.path] + [r.path for r in rules(folder).values()]


@cache
def fingerprint(folder: Path | None = None) -> str:
    """SHA-256 over every file of the rule base (rules, positions, license knowledge, profiles):
    printed on the report so a reader knows exactly which rules and knowledge judged the release."""
    folder = folder or rules_dir()
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def catalog() -> str:
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
    lines += [f"| {r.id} | {r.name} | {r.family} | {r.severity} | {r.summary} |" for r in rules().values()]
    for r in rules().values():
        lines += [
            "",
            f"## {r.id} {r.name}",
            "",
            f"*{r.family}, {r.severity}* · `rules/{r.path.parent.name}/{r.path.name}`",
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
    lines += [f"- **{p.name}**: {p.description}" for p in positions().values()]
    return "\n".join(lines) + "\n"
