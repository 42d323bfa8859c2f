"""The command line's grammar: each sub-command with its options and help, and the handler it runs.

Kept apart from the handlers (`cli`), which receive the parsed options: one function per command
group builds its part of the parser, so a new command or option is one edit in one place.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from auditor import __version__, docgate
from auditor.profiles import DEFAULT_PROFILES
from auditor.report.plaintext import terminal
from auditor.vocabulary import ENGINES, HUB_KINDS, SEVERITIES

Handler = Callable[[argparse.Namespace], int]
# argparse shows the choices it refuses by their repr: plain strings, not the vocabularies' members.
FAIL_ON = (*map(str, SEVERITIES), "never")
ENGINE_CHOICES = tuple(map(str, ENGINES))


class _Parser(argparse.ArgumentParser):
    """argparse echoes the values it refuses: cleaned like every other message (subcommands too)."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        super()._print_message(terminal(message) if message else message, file)


if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    Commands = argparse._SubParsersAction[_Parser]  # what add_subparsers returns: sub-commands parse as _Parser


def parser(handlers: Mapping[str, Handler], outputs: Mapping[str, tuple[str, str, str]]) -> argparse.ArgumentParser:
    """The whole command line; `handlers` names each command's handler ("licenses list"), `outputs`
    the optional output files (flag -> file, module, help)."""
    root = _Parser(prog="mlaudit", description="Compliance and provenance audit of ML assets.")
    root.add_argument("--version", action="version", version=f"mlaudit {__version__}")
    root.add_argument("--debug", action="store_true", help="on an internal error, show the Python traceback")
    sub = root.add_subparsers(dest="command", required=True)
    shared = _output_options(outputs)
    _audit_command(sub, shared, handlers["audit"])
    _report_command(sub, shared, handlers["report"])
    _lake_command(sub, handlers["lake"])
    _impact_command(sub, handlers["impact"])
    _diff_command(sub, handlers["diff"])
    _harvest_command(sub, handlers["harvest"])
    _explain_command(sub, handlers["explain"])
    _licenses_commands(sub, handlers)
    _rules_commands(sub, handlers)
    return root


def _output_options(outputs: Mapping[str, tuple[str, str, str]]) -> _Parser:
    """What `audit` and `report` share: where and what to write, the gate, the review files."""
    options = _Parser(add_help=False)
    options.add_argument(
        "--out",
        type=Path,
        default=Path("mlaudit-report"),
        help="folder for report.html, report.json and the outputs asked for (default: ./mlaudit-report)",
    )
    _gate_options(options)
    options.add_argument("--format", choices=("text", "json"), default="text", help="terminal summary format")
    options.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print every finding with its evidence chain (default: errors and warnings one a line)",
    )
    options.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the severities and the verdict: auto colours a terminal unless NO_COLOR is set (default: auto)",
    )
    for name, (filename, _, description) in outputs.items():
        options.add_argument(f"--{name}", action="store_true", help=f"also write {filename}: {description}")
    options.add_argument("--all", action="store_true", help="write every output above")
    options.add_argument("--baseline", type=Path, help="an earlier report.json: mark findings new, unchanged or gone")
    options.add_argument(
        "--as-of",
        type=_date,
        help="judge resolution expiry (for report, of the --resolutions given) and, for audit, the age of "
        "license knowledge on this date, YYYY-MM-DD (default: today)",
    )
    return options


def _gate_options(options: argparse.ArgumentParser) -> None:
    """The CI gate: which findings and which documentation scores fail it (exit 1); given neither,
    `report` applies the gate its stored report records (None tells "not given" from the default)."""
    _fail_on_option(options, "an open (unresolved) finding", None)
    options.add_argument(
        "--fail-under",
        type=_threshold,
        action="append",
        default=[],
        metavar="[PROFILE=]SCORE",
        help="exit 1 when the release's own documentation score (0-100) is below SCORE under every profile "
        "of the audit, or under PROFILE alone (repeatable)",
    )


def _fail_on_option(command: argparse.ArgumentParser, what: str, default: str | None = "error") -> None:
    command.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=default,
        help=f"exit 1 when {what} has this severity or a higher one (default: error)",
    )


def _audit_command(sub: Commands, shared: _Parser, handler: Handler) -> None:
    audit = sub.add_parser("audit", parents=[shared], help="audit a release folder and write the reports")
    audit.add_argument(
        "path",
        type=Path,
        help="folder holding the release's manifests (and mlaudit.toml), one manifest file read alone, "
        "or a snapshot written by mlaudit harvest",
    )
    _release_options(audit, use=True)
    audit.add_argument(
        "--profile",
        action="append",
        dest="profiles",
        metavar="NAME",
        help="documentation profile to apply (repeatable; default: profiles under [audit] in mlaudit.toml, "
        f"else {', '.join(DEFAULT_PROFILES)})",
    )
    _engine_option(
        audit,
        "reasoning engine: duckdb (or spark, with the spark extra) runs the rules' Datalog core compiled "
        "to SQL; both cross-checks clingo with pyDatalog (default: clingo)",
    )
    audit.add_argument(
        "--knowledge-max-age",
        type=_months,
        metavar="MONTHS",
        dest="knowledge_max_age_months",
        help="license knowledge verified longer ago than this is reported stale (LIC003; "
        "overrides mlaudit.toml; default: 12)",
    )
    audit.add_argument(
        "--sarif-root",
        type=Path,
        metavar="DIR",
        help="the folder report.sarif's locations are relative to, such as the repository root when the "
        "audited folder is inside one (default: the audited folder)",
    )
    _record_options(audit)
    _records_kind_option(audit)
    audit.set_defaults(handler=handler)


def _records_kind_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--records-kind",
        choices=HUB_KINDS,
        help="what the rows of a table of Hub records describe when they state no repo_type and the "
        "table's name does not say (models…, datasets…); default: each row's tags and card data decide",
    )


def _engine_option(command: argparse.ArgumentParser, description: str) -> None:
    command.add_argument("--engine", choices=ENGINE_CHOICES, help=description)


def _position_option(command: argparse.ArgumentParser, description: str = "legal position") -> None:
    command.add_argument("--position", help=f"{description} (overrides mlaudit.toml)")


def _release_options(command: argparse.ArgumentParser, use: bool = False) -> None:
    """Which asset is released, how, and under which legal position, overriding mlaudit.toml."""
    _position_option(command)
    if use:
        command.add_argument("--use", help="release use: commercial, non-commercial or research")
        command.add_argument("--distribution", help="weights, api or internal")
    command.add_argument(
        "--asset", help="the asset being released, as reports name it or by its Hub URL (overrides mlaudit.toml)"
    )


def _record_options(audit: argparse.ArgumentParser) -> None:
    audit.add_argument(
        "--resolutions", type=Path, help="resolutions file to apply (default: resolutions.yaml in the release folder)"
    )
    audit.add_argument(
        "--timestamp",
        action="store_true",
        help="record the time of the audit in the reports and "
        "exports (without it, the same input gives byte-identical files)",
    )
    audit.add_argument(
        "--curations", type=Path, help="curations file to apply (default: curations.yaml in the release folder)"
    )


def _report_command(sub: Commands, shared: _Parser, handler: Handler) -> None:
    report = sub.add_parser(
        "report",
        parents=[shared],
        help="render a stored audit again without reasoning: "
        "a report.json (resolutions and baseline can be applied anew)",
    )
    report.add_argument("path", type=Path, help="the report.json of an earlier audit")
    report.add_argument(
        "--resolutions",
        type=Path,
        help="resolutions file to apply instead of the decisions the stored report holds "
        "(default: keep those decisions as they are)",
    )
    report.set_defaults(handler=handler)


def _lake_command(sub: Commands, handler: Handler) -> None:
    lake = sub.add_parser(
        "lake", help="audit every asset of a collection as a release; write findings, a summary and a page"
    )
    lake.add_argument(
        "path",
        type=Path,
        help="folder of manifests (and mlaudit.toml with [lake]), one manifest file such as a table of Hub records, "
        "or a snapshot of mlaudit harvest",
    )
    lake.add_argument(
        "--out",
        type=Path,
        default=Path("mlaudit-lake"),
        help="folder for findings.jsonl, findings.parquet, assets.parquet, summary.json and lake.html "
        "(default: ./mlaudit-lake)",
    )
    _engine_option(lake, "reasoning engine, as for audit (default: engine under [audit] in mlaudit.toml, else duckdb)")
    _position_option(lake)
    _fail_on_option(lake, "an open finding about any asset")
    _records_kind_option(lake)
    lake.set_defaults(handler=handler)


def _impact_command(sub: Commands, handler: Handler) -> None:
    impact = sub.add_parser(
        "impact", help="what descends from an asset, and what a relicence or takedown of it would change"
    )
    impact.add_argument(
        "snapshot", type=Path, help="the lake: a folder of manifests, one manifest file, or a harvest snapshot"
    )
    impact.add_argument(
        "asset", help="the asset as reports name it, or its Hub id (any case; a dataset's without datasets/) or URL"
    )
    change = impact.add_mutually_exclusive_group()
    change.add_argument(
        "--relicense",
        metavar="LICENSE",
        help="judge the lake as if the asset declared LICENSE (a license mlaudit knows, an expression of "
        "such, or a LicenseRef- of your own)",
    )
    change.add_argument("--takedown", action="store_true", help="judge the lake as if the asset were withdrawn")
    impact.add_argument("--format", choices=("text", "json"), default="text", help="what to print (default: text)")
    impact.add_argument("--out", type=Path, help="folder to write impact.json and impact.html into")
    _engine_option(impact, "reasoning engine, as for lake")
    _position_option(impact)
    _records_kind_option(impact)
    impact.set_defaults(handler=handler)


def _diff_command(sub: Commands, handler: Handler) -> None:
    diff = sub.add_parser("diff", help="what changed between two audits: licences, use, lineage, findings, drift")
    for side in ("old", "new"):
        diff.add_argument(
            side,
            type=Path,
            help=f"the {side} side: a report.json, a lake output folder (or its summary.json), or a lake "
            "(a folder or a manifest file: judged first)",
        )
    diff.add_argument("--format", choices=("text", "json"), default="text", help="what to print (default: text)")
    diff.add_argument(
        "--out", type=Path, help="folder to write diff.json, diff.html and every change (changes.parquet, …) into"
    )
    _engine_option(diff, "reasoning engine for a side that is judged first")
    _position_option(diff, "legal position for a side that is judged first")
    _records_kind_option(diff)
    diff.set_defaults(handler=handler)


def _harvest_command(sub: Commands, handler: Handler) -> None:
    harvest = sub.add_parser(
        "harvest",
        help="read a release folder's manifests into a snapshot to audit later, "
        "or fetch a Hub repository and its upstream into a release folder",
    )
    harvest.add_argument(
        "path", help="the release folder or one manifest file, or hf://org/name (a model) or hf://datasets/org/name"
    )
    harvest.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help="snapshot file to write (graph.json); for hf:// the release folder to write",
    )
    harvest.add_argument("--revision", default="main", help="hf:// only: branch, tag or commit to pin (default: main)")
    harvest.add_argument("--depth", type=int, default=3, help="hf:// only: upstream links to follow (default: 3)")
    harvest.add_argument(
        "--max-assets", type=int, default=50, help="hf:// only: most repositories to fetch (default: 50)"
    )
    _records_kind_option(harvest)
    harvest.set_defaults(handler=handler)


def _explain_command(sub: Commands, handler: Handler) -> None:
    explain = sub.add_parser("explain", help="print one finding of a report with its evidence chain and rule")
    explain.add_argument("finding_id", help="the finding's id (e.g. CMP001-ce3405676116), or a unique prefix")
    explain.add_argument(
        "--report",
        type=Path,
        default=Path("mlaudit-report/report.json"),
        help="the report.json to read (default: ./mlaudit-report/report.json)",
    )
    explain.set_defaults(handler=handler)


def _licenses_commands(sub: Commands, handlers: Mapping[str, Handler]) -> None:
    lic = sub.add_parser("licenses", help="license questions about a release, and the license knowledge base")
    lic_sub = lic.add_subparsers(dest="licenses_command", required=True)
    suggest = lic_sub.add_parser("suggest", help="licenses the release may be published under")
    suggest.add_argument("path", type=Path, help="the release folder, or one manifest file")
    _release_options(suggest)
    suggest.set_defaults(handler=handlers["licenses suggest"])
    kb_list = lic_sub.add_parser("list", help="the license knowledge base: one line per entry")
    kb_list.add_argument("--format", choices=("text", "json"), default="text")
    kb_list.set_defaults(handler=handlers["licenses list"])
    kb_show = lic_sub.add_parser("show", help="one entry of the license knowledge base, with every term")
    kb_show.add_argument("license", help="its SPDX id or any spelling a manifest may use (apache-2.0, a URL, ...)")
    kb_show.add_argument("--format", choices=("text", "json"), default="text")
    kb_show.set_defaults(handler=handlers["licenses show"])


def _rules_commands(sub: Commands, handlers: Mapping[str, Handler]) -> None:
    rules = sub.add_parser("rules", help="list the rules or show one")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    listing = rules_sub.add_parser("list", help="one line per rule")
    listing.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="json: a list of {id, name, family, severity, summary}; markdown: the rule catalog (rules/README.md)",
    )
    listing.set_defaults(handler=handlers["rules list"])
    show = rules_sub.add_parser("show", help="a rule's metadata")
    show.add_argument("rule", help="its id (CMP001) or name (non-commercial-upstream), in any case")
    show.set_defaults(handler=handlers["rules show"])


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _months(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of months (0 or more)")
    return int(text)


def _threshold(text: str) -> docgate.Threshold:
    try:
        return docgate.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
