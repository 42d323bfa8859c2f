"""The pipeline, composed: harvest -> resolve -> encode -> reason -> interpret.

Each stage is a function of the previous stage's output; this module only wires them together
and is what the CLI and the tests call.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from auditor import config, datalog, engine, facts, findings, licenses, profiles, rulebase, snapshot
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
def no_cycle_collection():
    """Pause Python's cyclic garbage collector: a large audit allocates millions of small
    containers and none of them form cycles, yet the collector would rescan them again and again
    (a third of the run time at 100k assets). On the way out the survivors are frozen, so that
    turning the collector back on does not start by scanning them all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def run(root: Path, exclude: Path | None = None, **overrides) -> Audit:
    """Audit the release folder (or harvest snapshot) `root`; `overrides` are command-line settings."""
    with no_cycle_collection():
        return _run(root, exclude, **overrides)


def _run(root: Path, exclude: Path | None, **overrides) -> Audit:
    if not root.exists():
        raise InputError(f"{root}: no such file or folder")
    if snapshot.is_snapshot(root):
        try:
            harvested, config_text = snapshot.load(root)
        except snapshot.SnapshotError as exc:
            raise InputError(str(exc)) from None
        settings = config.parse(config_text, f"{root} (its mlaudit.toml)").override(**overrides)
    elif root.is_dir():
        settings = config.load(root).override(**overrides)
        harvested = harvest(root, settings.asset, exclude)
    else:
        raise InputError(f"{root}: not a folder of manifests nor a harvest snapshot (mlaudit harvest -o)")
    rulebase.program_files(settings.position)  # fail fast on an unknown position
    settings = replace(settings, profiles=profiles.selected(settings.profiles))
    graph = resolve(harvested, settings.lineage)
    kb = licenses.load()
    fb = facts.encode(graph, settings, kb, profiles.load(), rulebase.rules())
    files = rulebase.program_files(settings.position)
    atoms, differences = reason(settings.engine, files, fb)
    result = findings.interpret(atoms, fb, graph, kb, rulebase.rules(), profiles.load())
    if "mof" in settings.profiles:
        result.documentation += findings.openness(graph, fb)
    result.engines = ENGINE_NAMES[settings.engine]
    result.findings[:0] = findings.engine_disagreements(differences, rulebase.rules()["INP004"])
    if fb.release and result.conflicts_block(findings.display_id(fb.release, graph)):
        sets = engine.repairs(files + rulebase.repair_files(), fb.program(only_cone=True))
        result.repairs = None if sets is None else [
            sorted(findings.display_id(fb.keys[a], graph) for a in removal) for removal in sets]
    return Audit(settings, graph, fb, result, kb)


ENGINE_NAMES = {"clingo": ("clingo",), "pydatalog": ("pyDatalog",), "both": ("clingo", "pyDatalog")}
COMPARED = ("finding", "because", "use_category", "outbound", "carries", "via")


def reason(which: str, files: list[Path], fb: facts.FactBase) -> tuple[dict, list[tuple[str, list, list]]]:
    """The atoms the rules derive, on clingo, pyDatalog or both; with both, also every predicate
    on which they differ as (predicate, only clingo, only pyDatalog).

    License choices are ASP: pyDatalog takes clingo's choices as input facts."""
    choices = any(fact[0] == "alternative" for fact in fb.facts)
    clingo_atoms = engine.solve(files, fb.program(), choices) if which != "pydatalog" or choices else {}
    if which == "clingo":
        return clingo_atoms, []
    pydatalog_atoms = datalog.solve(files, list(fb.facts), clingo_atoms.get("chosen", []))
    pydatalog_atoms["chosen"] = clingo_atoms.get("chosen", [])
    if which == "pydatalog":
        return pydatalog_atoms, []
    return clingo_atoms, differences(clingo_atoms, pydatalog_atoms)


def differences(a: dict, b: dict) -> list[tuple[str, list, list]]:
    found = []
    for name in COMPARED:
        left, right = set(a.get(name, [])), set(b.get(name, []))
        if left != right:
            found.append((name, sorted(left - right, key=repr), sorted(right - left, key=repr)))
    return found


def harvest_to(root: Path, out: Path) -> int:
    """Harvest a release folder into a snapshot file; returns the number of records."""
    if not root.is_dir():
        raise InputError(f"{root}: not a folder of manifests")
    settings = config.load(root)
    harvested = harvest(root, settings.asset)
    toml = root / "mlaudit.toml"
    out.write_text(snapshot.dump(harvested, toml.read_text(encoding="utf-8") if toml.is_file() else None), encoding="utf-8")
    return len(harvested.records)
