"""The pipeline, composed: harvest -> resolve -> encode -> reason -> interpret.

Each stage is a function of the previous stage's output; this module only wires them together
and is what the CLI and the tests call.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from auditor import config, engine, facts, findings, licenses, profiles, rulebase
from auditor.graph import resolve
from auditor.harvest import harvest
from auditor.model import AssetGraph


class InputError(ValueError):
    """The audit input cannot be read at all (exit code 3)."""


@dataclass
class Audit:
    settings: config.Settings
    graph: AssetGraph
    facts: facts.FactBase
    result: findings.Interpretation
    kb: licenses.KnowledgeBase


@contextmanager
def _no_cycle_collection():
    """Pause Python's cyclic garbage collector: a large audit allocates millions of small
    containers and none of them form cycles, yet the collector would rescan them again and again
    (a third of the run time at 100k assets)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(root: Path, exclude: Path | None = None, **overrides) -> Audit:
    """Audit the release folder `root`; `overrides` are settings given on the command line."""
    with _no_cycle_collection():
        return _run(root, exclude, **overrides)


def _run(root: Path, exclude: Path | None, **overrides) -> Audit:
    if not root.exists():
        raise InputError(f"{root}: no such file or folder")
    if not root.is_dir():
        raise InputError(f"{root}: not a folder (an audit reads a release folder of manifests)")
    settings = config.load(root).override(**overrides)
    rulebase.program_files(settings.position)  # fail fast on an unknown position
    graph = resolve(harvest(root, settings.asset, exclude), settings.lineage)
    kb = licenses.load()
    severities = {rule.id: rule.severity for rule in rulebase.rules().values()}
    fb = facts.encode(graph, settings, kb, profiles.load(), severities)
    files, program = rulebase.program_files(settings.position), fb.program()
    choices = any(fact[0] == "alternative" for fact in fb.facts)
    result = findings.interpret(engine.solve(files, program, choices), fb, graph, kb, rulebase.rules())
    if fb.release and result.blocks_release(findings.display_id(fb.release, graph)):
        sets = engine.repairs(files + rulebase.repair_files(), fb.program(only_cone=True))
        result.repairs = None if sets is None else [
            sorted(findings.display_id(fb.keys[a], graph) for a in removal) for removal in sets]
    return Audit(settings, graph, fb, result, kb)
