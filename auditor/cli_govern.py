"""`mlaudit impact` and `mlaudit diff`: governance over time, on the lake's reasoning (see
auditor/impact.py and auditor/drift.py); the exit codes are the lake's (cli.py)."""

from __future__ import annotations

import sys
from argparse import Namespace

from auditor import audit, config, drift, drift_sides, graph, impact, lake, rulebase, writing
from auditor.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, error
from auditor.report import drifthtml, drifttext, impacthtml, impacttext


def run_impact(args: Namespace) -> int:
    """What descends from the asset and, for a relicence or takedown, what changes for each descendant."""
    try:
        rb = rulebase.load()
        change = impact.relicence(args.relicense, rb.kb) if args.relicense is not None else impact.Change("none")
        change = impact.Change("takedown") if args.takedown else change
        loaded = lake.load(
            args.snapshot,
            frozenset(),
            rb,
            downstream_of=frozenset({args.asset}),
            engine=args.engine,
            position=args.position,
            records_kind=args.records_kind,
        )
        with audit.no_cycle_collection():
            doc = impact.assess(loaded, args.asset, change)
    except audit.InputError as exc:
        return error(exc, EXIT_INPUT)
    except (config.ConfigError, graph.LineageError, rulebase.RuleBaseError, impact.ImpactError) as exc:
        return error(exc, EXIT_USAGE)
    written: list[str] = []
    if args.out is not None:
        files: dict[str, str | bytes] = {"impact.json": impacttext.as_json(doc), "impact.html": impacthtml.render(doc)}
        try:
            written = [str(path) for path in writing.write_files(args.out, files)]
        except writing.WriteError as exc:
            return error(exc, EXIT_USAGE)
    text = impacttext.as_json(doc) if args.format == "json" else impacttext.render(doc, written)
    sys.stdout.write(text)
    return EXIT_OK


def run_diff(args: Namespace) -> int:
    """What changed between two reports, two lake outputs or two lakes (each judged first)."""
    rb = rulebase.load()
    try:
        with audit.no_cycle_collection():
            settings = {"engine": args.engine, "position": args.position, "records_kind": args.records_kind}
            old, new = (drift_sides.read(side, rb, settings) for side in (args.old, args.new))
            doc, changes = drift.compare(old, new, rb.kb, files=args.out is not None)
    except (audit.InputError, drift_sides.DriftError) as exc:
        return error(exc, EXIT_INPUT)
    except (config.ConfigError, graph.LineageError, rulebase.RuleBaseError) as exc:
        return error(exc, EXIT_USAGE)
    written: list[str] = []
    if args.out is not None:
        files: dict[str, str | bytes] = {"diff.json": impacttext.as_json(doc), "diff.html": drifthtml.render(doc)}
        files.update(changes)
        try:
            written = [str(path) for path in writing.write_files(args.out, files)]
        except writing.WriteError as exc:
            return error(exc, EXIT_USAGE)
    sys.stdout.write(impacttext.as_json(doc) if args.format == "json" else drifttext.render(doc, written))
    return EXIT_OK
