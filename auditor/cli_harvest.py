"""`mlaudit harvest`: read a release folder's manifests into a snapshot to audit later, or fetch a
Hub repository and its upstream into a release folder (hf://); the exit codes are cli.py's."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from auditor import audit, config, writing
from auditor.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, error
from auditor.report.plaintext import terminal


def run(args: Namespace) -> int:
    if args.path.startswith("hf://"):
        return _hub(args)
    try:
        count = audit.harvest_to(Path(args.path), args.output, args.records_kind)
    except audit.InputError as exc:
        return error(exc, EXIT_INPUT)
    except (config.ConfigError, writing.WriteError) as exc:
        return error(exc, EXIT_USAGE)
    print(terminal(f"harvested {count} records from {args.path} into {args.output}"))
    return EXIT_OK


def _hub(args: Namespace) -> int:
    from auditor import hubcrawl

    try:
        log = hubcrawl.crawl(
            args.path, args.output, revision=args.revision, depth=args.depth, max_assets=args.max_assets
        )
    except hubcrawl.HubError as exc:
        return error(exc, EXIT_USAGE if exc.usage else EXIT_INPUT)
    except writing.WriteError as exc:
        return error(exc, EXIT_USAGE)
    print(terminal(hubcrawl.summary(log, args.output)))
    return EXIT_OK
