"""`mlaudit lake`: audit every asset of a collection, write the lake's outputs, set the exit code
(the gate's codes, as for `mlaudit audit`: see cli.py)."""

from __future__ import annotations

import sys
from argparse import Namespace

from auditor import audit, config, graph, lake, lakedb, progress, rulebase, writing
from auditor.cli import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_USAGE, error
from auditor.report import lakehtml, laketext
from auditor.report.plaintext import terminal

OUTPUTS = ("findings.jsonl", "findings.parquet", "assets.parquet", "edges.parquet", "summary.json", "lake.html")


def run(args: Namespace) -> int:
    out = args.out.resolve()
    try:
        judged = lake.run(
            args.path,
            frozenset({out, *(out / name for name in OUTPUTS)}),
            rulebase.load(),
            on_stage=progress.on_terminal(),
            engine=args.engine,
            position=args.position,
            records_kind=args.records_kind,
        )
    except audit.InputError as exc:
        return error(exc, EXIT_INPUT)
    except (config.ConfigError, graph.LineageError, rulebase.RuleBaseError) as exc:
        return error(exc, EXIT_USAGE)
    with lakedb.outputs(judged) as (summary, tables):
        files: dict[str, writing.Body] = {
            **tables,
            "summary.json": laketext.summary_json(summary),
            "lake.html": lakehtml.render(summary),
        }
        try:
            written = [str(path) for path in writing.write_files(args.out, files)]
        except writing.WriteError as exc:
            return error(exc, EXIT_USAGE)
    for problem in judged.review["problems"]:  # a review file's entries that could not be used
        where = f"{problem['file']}:{problem['line']}" if problem["line"] else problem["file"]
        print(terminal(f"mlaudit: {where}: {problem['message']}"), file=sys.stderr)
    sys.stdout.write(laketext.render(summary, written))
    return EXIT_FINDINGS if lakedb.gate(summary, args.fail_on) else EXIT_OK
