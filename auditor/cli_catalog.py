"""The catalog commands: the licenses the knowledge base reads and the rules of the rule base,
listed and shown (`mlaudit licenses list|show`, `mlaudit rules list|show`)."""

from __future__ import annotations

import json
import sys
from argparse import Namespace

from auditor import rulebase
from auditor.cli import EXIT_OK, EXIT_USAGE, error

RULE_FIELDS = ("id", "name", "family", "severity", "summary")  # of each rule `rules list --format json` prints


def licenses_list(args: Namespace) -> int:
    from auditor import license_entries
    from auditor.report import text

    kb = rulebase.load().kb
    entries = [license_entries.summary(kb.licenses[lid]) for lid in sorted(kb.licenses, key=str.lower)]
    sys.stdout.write(text.knowledge_list(entries, args.format))
    return EXIT_OK


def licenses_show(args: Namespace) -> int:
    from auditor import config, license_entries, license_reading
    from auditor.report import text

    lic = license_reading.lookup(args.license, rulebase.load().kb)
    if lic is None:
        return error(f"no license {args.license!r} in the knowledge base; see 'mlaudit licenses list'", EXIT_USAGE)
    sys.stdout.write(text.knowledge_entry(license_entries.details(lic, config.today()), args.format))
    return EXIT_OK


def rules_list(args: Namespace) -> int:
    rb = rulebase.load()
    if args.format == "markdown":
        sys.stdout.write(rulebase.catalog(rb))
        return EXIT_OK
    if args.format == "json":
        listing = [{k: d[k] for k in RULE_FIELDS} for d in rulebase.descriptors(rb.rules)]
        sys.stdout.write(json.dumps(listing, indent=2, ensure_ascii=True) + "\n")  # escaped: no raw control
        return EXIT_OK
    for rule in rb.rules.values():
        print(f"{rule.id}  {rule.severity:<8} {rule.family:<14} {rule.name:<32} {rule.summary}")
    return EXIT_OK


def rules_show(args: Namespace) -> int:
    rule = rulebase.find(rulebase.load().rules, args.rule)
    if rule is None:
        return error(f"no rule with the id or name {args.rule!r}; see 'mlaudit rules list'", EXIT_USAGE)
    print(f"{rule.id} {rule.name} ({rule.family}, {rule.severity})\n")
    print(f"{rule.summary}\n\nWhy it matters:\n  {rule.why}\n\nHow to fix:\n  {rule.how_to_fix}")
    if rule.references:
        print("\nReferences:\n" + "\n".join(f"  {r}" for r in rule.references))
    print(f"\nSource: {rule.source}")
    return EXIT_OK
