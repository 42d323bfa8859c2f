"""Command line: parse options, call the pipeline, write the reports, set the exit code.

Exit codes (the README's table): 0 the gate passes; 1 open findings at or above --fail-on, or
no release identified; 2 usage or configuration error, an output that cannot be written, or the
machine short of disk or memory; 3 the input could not be read at all; 4 an internal error (a bug
of mlaudit's, never a verdict).
"""

from __future__ import annotations

import io
import os
import sys
from argparse import Namespace
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

from auditor import cli_outputs, docgate, gate, progress, rulebase, writing
from auditor.cli_options import Handler, parser
from auditor.parsed import JSONObject
from auditor.report.plaintext import terminal
from auditor.vocabulary import REPORTS

Baseline = tuple[str, JSONObject]  # an earlier report.json to compare with, by its file name
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4
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
WRITABLE = frozenset({*REPORTS, *(name for name, _, _ in OUTPUTS.values())})  # what audit or report may write


def command(argv: list[str] | None = None) -> int:
    """The `mlaudit` program: main() with Python's cyclic collector paused for the whole run, whose
    survivors need no collecting since the process ends with it (auditor.audit.no_cycle_collection)."""
    from auditor.audit import no_cycle_collection

    _replace_unencodable()
    with no_cycle_collection(process_ends=True):
        return main(argv)


def _replace_unencodable() -> None:
    """A terminal or log whose encoding lacks a character mlaudit prints (its "·", a name from a
    manifest) gets an escape for it, not a crash that would turn the gate's answer into exit 4."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser(HANDLERS, OUTPUTS).parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    handler: Handler = args.handler
    try:
        return handler(args)
    except BrokenPipeError:  # a listing piped into `head`: nothing was left to say, no error
        _stdout_gone()
        return EXIT_OK
    except Exception as exc:  # a bug of mlaudit's: its own exit code, so CI tells a crash from a failed gate
        short = writing.no_room(exc) or _out_of_memory(exc)  # not a bug: the machine ran short
        return error(short, EXIT_USAGE) if short else _internal_error(exc, args.debug)


def _out_of_memory(exc: Exception) -> str | None:
    """What to say when `exc` is Python's or DuckDB's memory running out (a lake too large for the
    machine), else None."""
    if not isinstance(exc, MemoryError) and type(exc).__name__ != "OutOfMemoryException":
        return None
    first = str(exc).partition("\n")[0] or type(exc).__name__
    return f"out of memory ({first}): free memory, or run it on a machine with more"


def _stdout_gone() -> None:
    """The reader of stdout has closed the pipe: send what is left to /dev/null, so that Python's
    final flush does not fail again (the recipe of the signal module's documentation)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _internal_error(exc: Exception, debug: bool) -> int:
    """One line naming the error and how to report it; the traceback only when --debug asks."""
    import traceback

    from auditor.report import text

    if debug:
        traceback.print_exc()
    sys.stderr.write(text.internal_error(exc))
    return EXIT_INTERNAL


def _document(
    args: Namespace,
    baseline: Baseline | None = None,
    created: datetime | None = None,
    exclude: frozenset[Path] = frozenset(),
    review_paths: dict[str, Path] | None = None,
    **overrides: Any,  # settings from the command line, as audit.run takes them
) -> JSONObject | int:
    """Run the audit and build its report document, or return the exit code of the error met."""
    from auditor import audit, config, graph, profiles, releases, review

    try:
        # on_stage named, so that mypy knows `overrides` (settings) cannot be the stage hook
        return audit.run(
            args.path,
            exclude,
            review_paths,
            rulebase.load(),
            on_stage=progress.on_terminal(),
            position=args.position,
            asset=args.asset,
            **overrides,
        ).document(baseline=baseline, created=created)
    except audit.InputError as exc:
        return error(exc, EXIT_INPUT)
    except (
        config.ConfigError,
        releases.ReleaseError,
        graph.LineageError,
        rulebase.RuleBaseError,
        profiles.ProfileError,
        review.ReviewError,
    ) as exc:
        return error(exc, EXIT_USAGE)


def error(problem: object, code: int) -> int:
    print(terminal(f"mlaudit: {problem}"), file=sys.stderr)
    return code


def _baseline(args: Namespace) -> Baseline | int | None:
    from auditor import review

    if args.baseline is None:
        return None
    try:
        return args.baseline.name, review.read_report(args.baseline)
    except review.ReviewError as exc:
        return error(exc, EXIT_USAGE)


def _audit(args: Namespace) -> int:
    baseline = _baseline(args)
    if isinstance(baseline, int):
        return baseline
    own, refused = cli_outputs.guard(args.out, args.path, [*REPORTS, *(name for name, _, _ in _asked(args))], WRITABLE)
    if refused:
        return error(refused, EXIT_USAGE)
    paths = {k: v for k, v in (("resolutions", args.resolutions), ("curations", args.curations)) if v}
    created = datetime.now(UTC) if args.timestamp else None
    doc = _document(
        args,
        baseline,
        created,
        exclude=own.exclude(),
        review_paths=paths,
        use=args.use,
        distribution=args.distribution,
        engine=args.engine,
        profiles=tuple(args.profiles or ()),
        as_of=args.as_of,
        knowledge_max_age_months=args.knowledge_max_age_months,
        records_kind=args.records_kind,
    )
    if isinstance(doc, int):
        return doc
    return _write(doc, args, own)


def _report(args: Namespace) -> int:
    """Re-render a stored report.json, applying a new resolutions file or baseline if given."""
    from auditor import audit, config, document, review, snapshot

    if snapshot.is_snapshot(args.path):
        said = f"{args.path} is a harvest snapshot, not an audit: 'mlaudit audit {args.path}' reasons over it"
        return error(f"{said} and writes the reports", EXIT_USAGE)
    baseline = _baseline(args)
    if isinstance(baseline, int):
        return baseline
    try:
        doc = document.worded(review.read_report(args.path))
        texts = audit.review_texts({"resolutions": args.resolutions} if args.resolutions else {})
    except review.ReviewError as exc:
        return error(exc, EXIT_INPUT)
    except config.ConfigError as exc:
        return error(exc, EXIT_USAGE)
    own, refused = cli_outputs.for_report(doc, args.out, [*REPORTS, *(name for name, _, _ in _asked(args))], WRITABLE)
    if refused:
        return error(refused, EXIT_USAGE)
    rule_ids = {r["id"] for r in _rules_of(doc)}  # a report of schema 1.4 renders with the installed rules
    decisions = review.load(texts, rule_ids) if texts else None
    if decisions and (unusable := decisions.unusable()):
        return error(unusable, EXIT_USAGE)
    try:
        return _write(document.apply_review(doc, decisions, args.as_of, baseline), args, own)
    except review.ReviewError as exc:  # a baseline of another release
        return error(exc, EXIT_USAGE)


def _rules_of(doc: JSONObject) -> list[JSONObject]:
    """The rules of the audit that wrote a stored report, which renders with them; a report of
    schema 1.4 or earlier does not record them, so the installed rules stand in (and are recorded)."""
    if "rules" not in doc["rule_base"]:
        doc["rule_base"]["rules"] = rulebase.descriptors(rulebase.load().rules)
    rules: list[JSONObject] = doc["rule_base"]["rules"]
    return rules


def _write(doc: JSONObject, args: Namespace, own: cli_outputs.OwnOutputs) -> int:
    """Write report.json, report.html and the outputs asked for, as `own.write` does; print the
    summary; the exit code."""
    from auditor.report import OutputError, firstpage, html, jsonfile, text

    try:
        doc["gate"] = gate.outcome(doc, *gate.thresholds(doc, args.fail_on, args.fail_under))
    except docgate.GateError as exc:
        return error(exc, EXIT_USAGE)
    reports: list[tuple[str, str | bytes]] = [*zip(REPORTS, (jsonfile.render(doc), html.render(doc)), strict=True)]
    try:
        reports += _outputs(doc, args)
    except OutputError as exc:
        return error(exc, EXIT_USAGE)
    try:
        outputs, stale = own.write(args.out, reports)
    except writing.WriteError as exc:
        return error(exc, EXIT_USAGE)
    if stale:
        print(terminal(f"mlaudit: removed {', '.join(stale)} of an earlier audit from {args.out}"), file=sys.stderr)
    for problem in doc["review"]["problems"]:
        where = f"{problem['file']}:{problem['line']}" if problem["line"] else problem["file"]
        print(terminal(f"mlaudit: {where}: {problem['message']}"), file=sys.stderr)
    code = EXIT_OK if doc["gate"]["passed"] else EXIT_FINDINGS
    try:
        sys.stdout.write(text.render(doc, outputs, args.format, args.verbose, _colour(args.color)))
        sys.stdout.flush()
    except BrokenPipeError:  # `mlaudit audit . | head`: the reader has gone, the gate's answer stands
        _stdout_gone()
    for failure in firstpage.gate_failures(doc):  # last, where the reader of a failed CI step looks
        print(terminal(f"mlaudit: {failure}"), file=sys.stderr)
    return code


def _outputs(doc: JSONObject, args: Namespace) -> list[tuple[str, str | bytes]]:
    """The outputs asked for, rendered; a slow one (the PDF of a large lineage) shown on a terminal."""
    from auditor.audit import stage

    hook = progress.on_terminal()
    options = {"sarif": {"root": _sarif_root(args)}}  # what an output needs beyond the document
    rendered: list[tuple[str, str | bytes]] = []
    for filename, module, flag in _asked(args):
        with stage(f"writing {filename}", hook):
            rendered.append((filename, import_module(module).render(doc, **options.get(flag, {}))))
    return rendered


def _asked(args: Namespace) -> list[tuple[str, str, str]]:
    """(file, formatter module, flag) of each output asked for besides the reports."""
    return [(name, module, flag) for flag, (name, module, _) in OUTPUTS.items() if args.all or getattr(args, flag)]


def _sarif_root(args: Namespace) -> str:
    """The audited folder's path inside --sarif-root (the folder of a snapshot audited), which
    report.sarif puts before each location; empty without the option (and for `report`, which
    does not know the folder)."""
    from auditor.report import OutputError

    root: Path | None = getattr(args, "sarif_root", None)
    if root is None:
        return ""
    folder = (args.path if args.path.is_dir() else args.path.parent).resolve()
    try:
        inside = folder.relative_to(root.resolve())
    except ValueError:
        raise OutputError(f"--sarif-root {root}: the audited folder {args.path} is not inside it") from None
    return "" if inside == Path() else inside.as_posix()


def _colour(choice: str) -> bool:
    """--color always or never as said; auto colours a terminal unless NO_COLOR is set to anything
    (no-color.org), and never a file or pipe."""
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _harvest(args: Namespace) -> int:
    from auditor import cli_harvest

    return cli_harvest.run(args)


def _explain(args: Namespace) -> int:
    from auditor import document, review
    from auditor.report import text

    try:
        doc = document.worded(review.read_report(args.report))
    except review.ReviewError as exc:
        return error(exc, EXIT_INPUT)
    matches = [f for f in doc["findings"] if f["id"].startswith(args.finding_id)]
    if len(matches) != 1:
        listed = "".join(f"\n  {text.match(f)}" for f in matches)
        more = ": give more of the id" if matches else ""
        return error(f"{len(matches)} findings of {args.report} match {args.finding_id!r}{more}{listed}", EXIT_USAGE)
    _rules_of(doc)
    sys.stdout.write(text.explain(matches[0], doc))
    return EXIT_OK


def _licenses_suggest(args: Namespace) -> int:
    from auditor.report import text

    doc = _document(args)
    if isinstance(doc, int):
        return doc
    sys.stdout.write(text.outbound(doc))
    return EXIT_OK


def _lake(args: Namespace) -> int:
    from auditor import cli_lake

    return cli_lake.run(args)


def _govern(name: str) -> Handler:
    """A handler of auditor/cli_govern.py (impact, diff), imported when its command runs."""

    def handler(args: Namespace) -> int:
        from auditor import cli_govern

        return int(getattr(cli_govern, name)(args))

    return handler


def _catalog(name: str) -> Handler:
    """A handler of auditor/cli_catalog.py, imported when its command runs."""

    def handler(args: Namespace) -> int:
        from auditor import cli_catalog

        return int(getattr(cli_catalog, name)(args))

    return handler


HANDLERS: dict[str, Handler] = {
    "audit": _audit,
    "lake": _lake,
    "impact": _govern("run_impact"),
    "diff": _govern("run_diff"),
    "report": _report,
    "harvest": _harvest,
    "explain": _explain,
    "licenses suggest": _licenses_suggest,
    "licenses list": _catalog("licenses_list"),
    "licenses show": _catalog("licenses_show"),
    "rules list": _catalog("rules_list"),
    "rules show": _catalog("rules_show"),
}
