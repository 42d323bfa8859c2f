"""Command line: parse options, call the pipeline, write the reports, set the exit code.

Exit codes (the README's table): 0 the gate passes; 1 open findings at or above --fail-on, or
no release identified; 2 usage or configuration error, or an output that cannot be written; 3 the
input could not be read at all; 4 an internal error (a bug of mlaudit's, never a verdict).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

from auditor import __version__, rulebase, writing
from auditor.report.lines import terminal
from auditor.vocabulary import SEVERITIES

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4
FAIL_ON = (*SEVERITIES, "never")
REPORTS = ("report.json", "report.html")  # written by every audit
# Outputs written on request, besides report.json and report.html: flag -> (file, formatter module,
# help). Each module has render(document) -> str (bytes for a binary file). --all writes every one:
# a new output is one entry.
OUTPUTS = {
    "pdf": ("report.pdf", "auditor.report.pdf", "the report paged for legal review and sign-off (WeasyPrint)"),
    "sarif": ("report.sarif", "auditor.report.sarif", "SARIF 2.1.0 log for code scanning"),
    "lines": ("findings.txt", "auditor.report.lines", "one open finding a line, for grep"),
    "junit": ("junit.xml", "auditor.report.junit", "JUnit XML: a testcase per rule, errors fail"),
    "notice": ("NOTICE", "auditor.report.notice", "attribution and notice text to ship (review it)"),
    "cyclonedx": ("release.cdx.json", "auditor.report.cyclonedx", "the release as a CycloneDX 1.6 ML-BOM"),
    "spdx": ("release.spdx.json", "auditor.report.spdx3", "the release as SPDX 3.0.1 JSON-LD"),
}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        return args.handler(args)
    except Exception as exc:  # a bug of mlaudit's: its own exit code, so CI tells a crash from a failed gate
        return _internal_error(exc, args.debug)


def _internal_error(exc: Exception, debug: bool) -> int:
    """One line naming the error and how to report it; the traceback only when --debug asks."""
    import traceback

    from auditor.report import text

    if debug:
        traceback.print_exc()
    sys.stderr.write(text.internal_error(exc))
    return EXIT_INTERNAL


class _Parser(argparse.ArgumentParser):
    """argparse echoes the values it refuses: cleaned like every other message (subcommands too)."""

    def _print_message(self, message: str, file=None) -> None:
        super()._print_message(terminal(message) if message else message, file)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mlaudit", description="Compliance and provenance audit of ML assets.")
    parser.add_argument("--version", action="version", version=f"mlaudit {__version__}")
    parser.add_argument("--debug", action="store_true", help="on an internal error, show the Python traceback")
    sub = parser.add_subparsers(dest="command", required=True)

    outputs = argparse.ArgumentParser(add_help=False)
    outputs.add_argument(
        "--out",
        type=Path,
        default=Path("mlaudit-report"),
        help="folder for report.html, report.json and the outputs asked for (default: ./mlaudit-report)",
    )
    outputs.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="error",
        help="exit 1 when an open (unresolved) finding has this severity or a higher one (default: error)",
    )
    outputs.add_argument("--format", choices=("text", "json"), default="text", help="terminal summary format")
    for name, (filename, _, description) in OUTPUTS.items():
        outputs.add_argument(f"--{name}", action="store_true", help=f"also write {filename}: {description}")
    outputs.add_argument("--all", action="store_true", help="write every output above")
    outputs.add_argument(
        "--resolutions", type=Path, help="resolutions file to apply (default: resolutions.yaml in the release folder)"
    )
    outputs.add_argument("--baseline", type=Path, help="an earlier report.json: mark findings new, unchanged or gone")
    outputs.add_argument(
        "--as-of",
        type=_date,
        help="judge resolution expiry (and, for audit, the age of license "
        "knowledge) on this date, YYYY-MM-DD (default: today)",
    )

    audit = sub.add_parser("audit", parents=[outputs], help="audit a release folder and write the reports")
    audit.add_argument(
        "path",
        type=Path,
        help="folder holding the release's manifests (and mlaudit.toml), or a snapshot written by mlaudit harvest",
    )
    audit.add_argument("--position", help="legal position (overrides mlaudit.toml)")
    audit.add_argument("--use", help="release use: commercial, non-commercial or research")
    audit.add_argument("--distribution", help="weights, api or internal")
    audit.add_argument("--asset", help="the asset being released (overrides mlaudit.toml)")
    audit.add_argument(
        "--profile",
        action="append",
        dest="profiles",
        metavar="NAME",
        help="documentation profile to apply (repeatable; default: hf-model-card, hf-dataset-card)",
    )
    audit.add_argument(
        "--engine",
        choices=("clingo", "pydatalog", "both"),
        help="reasoning engine; both cross-checks clingo with pyDatalog (default: clingo)",
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
        "--timestamp",
        action="store_true",
        help="record the time of the audit in the reports and "
        "exports (without it, the same input gives byte-identical files)",
    )
    audit.add_argument(
        "--curations", type=Path, help="curations file to apply (default: curations.yaml in the release folder)"
    )
    audit.set_defaults(handler=_audit)

    report = sub.add_parser(
        "report",
        parents=[outputs],
        help="render a stored audit again without reasoning: "
        "a report.json (resolutions and baseline can be applied anew)",
    )
    report.add_argument("path", type=Path, help="the report.json of an earlier audit")
    report.set_defaults(handler=_report)

    harvest = sub.add_parser(
        "harvest",
        help="read a release folder's manifests into a snapshot to audit later, "
        "or fetch a Hub repository and its upstream into a release folder",
    )
    harvest.add_argument("path", help="the release folder, or hf://org/name (a model) or hf://datasets/org/name")
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
    harvest.set_defaults(handler=_harvest)

    explain = sub.add_parser("explain", help="print one finding of a report with its evidence chain and rule")
    explain.add_argument("finding_id", help="the finding's id (e.g. CMP001-ce3405676116), or a unique prefix")
    explain.add_argument(
        "--report",
        type=Path,
        default=Path("mlaudit-report/report.json"),
        help="the report.json to read (default: ./mlaudit-report/report.json)",
    )
    explain.set_defaults(handler=_explain)

    lic = sub.add_parser("licenses", help="license questions about a release, and the license knowledge base")
    lic_sub = lic.add_subparsers(dest="licenses_command", required=True)
    suggest = lic_sub.add_parser("suggest", help="licenses the release may be published under")
    suggest.add_argument("path", type=Path, help="the release folder")
    suggest.add_argument("--position", help="legal position (overrides mlaudit.toml)")
    suggest.add_argument("--asset", help="the asset being released (overrides mlaudit.toml)")
    suggest.set_defaults(handler=_licenses_suggest)
    kb_list = lic_sub.add_parser("list", help="the license knowledge base: one line per entry")
    kb_list.add_argument("--format", choices=("text", "json"), default="text")
    kb_list.set_defaults(handler=_licenses_list)
    kb_show = lic_sub.add_parser("show", help="one entry of the license knowledge base, with every term")
    kb_show.add_argument("license", help="its SPDX id or any spelling a manifest may use (apache-2.0, a URL, ...)")
    kb_show.add_argument("--format", choices=("text", "json"), default="text")
    kb_show.set_defaults(handler=_licenses_show)

    rules = sub.add_parser("rules", help="list the rules or show one")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    listing = rules_sub.add_parser("list", help="one line per rule")
    listing.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="markdown writes the rule catalog (rules/README.md)",
    )
    listing.set_defaults(handler=_rules_list)
    show = rules_sub.add_parser("show", help="a rule's metadata")
    show.add_argument("rule_id")
    show.set_defaults(handler=_rules_show)
    return parser


def _document(args, baseline=None, created=None, **overrides) -> dict | int:
    """Run the audit and build its report document, or return the exit code of the error met."""
    from auditor import audit, config, document, facts, graph, profiles

    try:
        return document.build(
            audit.run(args.path, position=args.position, asset=args.asset, **overrides),
            baseline=baseline,
            created=created,
        )
    except audit.InputError as exc:
        return _error(exc, EXIT_INPUT)
    except (
        config.ConfigError,
        facts.ReleaseError,
        graph.LineageError,
        rulebase.RuleBaseError,
        profiles.ProfileError,
    ) as exc:
        return _error(exc, EXIT_USAGE)


def _error(problem, code: int) -> int:
    print(terminal(f"mlaudit: {problem}"), file=sys.stderr)
    return code


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _months(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of months (0 or more)")
    return int(text)


def _baseline(args) -> tuple[str, dict] | int | None:
    from auditor import review

    if args.baseline is None:
        return None
    try:
        return args.baseline.name, review.read_report(args.baseline)
    except review.ReviewError as exc:
        return _error(exc, EXIT_USAGE)


def _audit(args) -> int:
    from auditor.audit import no_cycle_collection

    with no_cycle_collection():
        return _audit_and_report(args)


def _audit_and_report(args) -> int:
    baseline = _baseline(args)
    if isinstance(baseline, int):
        return baseline
    if (args.notice or args.all) and args.out.resolve() == args.path.resolve():
        return _error(
            f"--notice would replace the NOTICE of the audited folder {args.path}: choose another --out", EXIT_USAGE
        )
    paths = {k: v for k, v in (("resolutions", args.resolutions), ("curations", args.curations)) if v}
    created = datetime.now(UTC) if args.timestamp else None
    doc = _document(
        args,
        baseline,
        created,
        exclude=_own_outputs(args.out),
        review_paths=paths,
        use=args.use,
        distribution=args.distribution,
        engine=args.engine,
        profiles=tuple(args.profiles or ()),
        as_of=args.as_of,
        knowledge_max_age_months=args.knowledge_max_age_months,
    )
    if isinstance(doc, int):
        return doc
    return _write(doc, args)


def _own_outputs(out: Path) -> frozenset[Path]:
    """What audits write into --out, which no audit reads: the folder, when it lies inside the
    audited folder, and, when it is the audited folder, the files an earlier audit wrote there (so
    a rerun gives the same bytes). The release's own NOTICE stays input: --notice may not replace it."""
    out = out.resolve()
    names = [*REPORTS, *(filename for flag, (filename, _, _) in OUTPUTS.items() if flag != "notice")]
    return frozenset({out, *(out / name for name in names)})


def _report(args) -> int:
    """Re-render a stored report.json, applying a new resolutions file or baseline if given."""
    from auditor import audit, config, document, review, snapshot

    if snapshot.is_snapshot(args.path):
        return _error(
            f"{args.path} is a harvest snapshot, not an audit: 'mlaudit audit {args.path}' "
            "reasons over it and writes the reports",
            EXIT_USAGE,
        )
    baseline = _baseline(args)
    if isinstance(baseline, int):
        return baseline
    try:
        doc = review.read_report(args.path)
        texts = audit.review_texts({"resolutions": args.resolutions} if args.resolutions else {})
    except review.ReviewError as exc:
        return _error(exc, EXIT_INPUT)
    except config.ConfigError as exc:
        return _error(exc, EXIT_USAGE)
    decisions = review.load(texts, set(rulebase.rules())) if texts else None
    return _write(document.apply_review(doc, decisions, args.as_of, baseline), args)


def _write(doc: dict, args) -> int:
    """Write report.json, report.html and the outputs asked for; print the summary; the exit code."""
    from auditor.report import OutputError, html, jsonfile, text

    reports = list(zip(REPORTS, (jsonfile.render(doc), html.render(doc)), strict=False))
    try:
        reports += [
            (filename, import_module(module).render(doc))
            for flag, (filename, module, _) in OUTPUTS.items()
            if args.all or getattr(args, flag)
        ]
    except OutputError as exc:
        return _error(exc, EXIT_USAGE)
    try:
        outputs = [str(path) for path in writing.write_files(args.out, dict(reports))]
    except writing.WriteError as exc:
        return _error(exc, EXIT_USAGE)
    for problem in doc["review"]["problems"]:
        where = f"{problem['file']}:{problem['line']}" if problem["line"] else problem["file"]
        print(terminal(f"mlaudit: {where}: {problem['message']}"), file=sys.stderr)
    sys.stdout.write(text.render(doc, outputs, args.format))
    return EXIT_FINDINGS if _over_threshold(doc, args.fail_on) else EXIT_OK


def _harvest(args) -> int:
    from auditor import audit, config

    if args.path.startswith("hf://"):
        return _harvest_hub(args)
    try:
        count = audit.harvest_to(Path(args.path), args.output)
    except audit.InputError as exc:
        return _error(exc, EXIT_INPUT)
    except (config.ConfigError, writing.WriteError) as exc:
        return _error(exc, EXIT_USAGE)
    print(terminal(f"harvested {count} records from {args.path} into {args.output}"))
    return EXIT_OK


def _harvest_hub(args) -> int:
    from auditor import hubcrawl

    try:
        log = hubcrawl.crawl(
            args.path, args.output, revision=args.revision, depth=args.depth, max_assets=args.max_assets
        )
    except hubcrawl.HubError as exc:
        return _error(exc, EXIT_USAGE if exc.usage else EXIT_INPUT)
    except writing.WriteError as exc:
        return _error(exc, EXIT_USAGE)
    print(terminal(hubcrawl.summary(log, args.output)))
    return EXIT_OK


def _explain(args) -> int:
    from auditor import review
    from auditor.report import text

    try:
        doc = review.read_report(args.report)
    except review.ReviewError as exc:
        return _error(exc, EXIT_INPUT)
    matches = [f for f in doc["findings"] if f["id"].startswith(args.finding_id)]
    if len(matches) != 1:
        return _error(f"{len(matches)} findings of {args.report} match {args.finding_id!r}", EXIT_USAGE)
    sys.stdout.write(text.explain(matches[0], rulebase.rules().get(matches[0]["rule"]), doc))
    return EXIT_OK


def _licenses_suggest(args) -> int:
    from auditor.report import text

    doc = _document(args)
    if isinstance(doc, int):
        return doc
    sys.stdout.write(text.outbound(doc))
    return EXIT_OK


def _licenses_list(args) -> int:
    from auditor import licenses
    from auditor.report import text

    kb = licenses.load()
    entries = [licenses.summary(kb.licenses[lid]) for lid in sorted(kb.licenses, key=str.lower)]
    sys.stdout.write(text.knowledge_list(entries, args.format))
    return EXIT_OK


def _licenses_show(args) -> int:
    from auditor import config, licenses
    from auditor.report import text

    lic = licenses.lookup(args.license, licenses.load())
    if lic is None:
        return _error(f"no license {args.license!r} in the knowledge base; see 'mlaudit licenses list'", EXIT_USAGE)
    sys.stdout.write(text.knowledge_entry(licenses.details(lic, config.today()), args.format))
    return EXIT_OK


def _over_threshold(doc: dict, fail_on: str) -> bool:
    """Whether the gate fails: an incomplete audit fails it at every threshold but never."""
    if fail_on == "never":
        return False
    if doc["verdict"] == "incomplete":
        return True
    levels = FAIL_ON[: FAIL_ON.index(fail_on) + 1]
    return any(f["status"] == "open" and f["severity"] in levels for f in doc["findings"])


def _rules_list(args) -> int:
    if args.format == "markdown":
        sys.stdout.write(rulebase.catalog())
        return EXIT_OK
    for rule in rulebase.rules().values():
        print(f"{rule.id}  {rule.severity:<8} {rule.family:<14} {rule.name:<32} {rule.summary}")
    return EXIT_OK


def _rules_show(args) -> int:
    rule = rulebase.rules().get(args.rule_id.upper())
    if rule is None:
        return _error(f"no rule {args.rule_id!r}; see 'mlaudit rules list'", EXIT_USAGE)
    print(f"{rule.id} {rule.name} ({rule.family}, {rule.severity})\n")
    print(f"{rule.summary}\n\nWhy it matters:\n  {rule.why}\n\nHow to fix:\n  {rule.how_to_fix}")
    if rule.references:
        print("\nReferences:\n" + "\n".join(f"  {r}" for r in rule.references))
    print(f"\nSource: rules/{rule.path.parent.name}/{rule.path.name}")
    return EXIT_OK
