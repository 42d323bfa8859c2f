"""The pipeline, composed: harvest -> resolve -> encode -> reason -> interpret.

Each stage is a function of the previous stage's output; this module only wires them together
and is what the CLI and the tests call.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from auditor import (
    config,
    datalog,
    engine,
    facts,
    findings,
    profiles,
    repair,
    review,
    rulebase,
    snapshot,
    writing,
)
from auditor.graph import resolve
from auditor.harvest import harvest
from auditor.harvest.folder import refusal
from auditor.model import AssetGraph, Harvest

StageHook = Callable[[str, float], None]  # told each stage's name and its wall time in seconds


class InputError(ValueError):
    """The audit input cannot be read at all (exit code 3)."""


@dataclass
class Audit:
    settings: config.Settings
    graph: AssetGraph
    facts: facts.FactBase
    result: findings.Interpretation
    rb: rulebase.RuleBase
    review: review.Review
    orphaned_curations: list[dict]


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


@contextmanager
def _stage(name: str, on_stage: StageHook | None) -> Iterator[None]:
    start = time.perf_counter()
    yield
    if on_stage is not None:
        on_stage(name, time.perf_counter() - start)


def run(
    root: Path,
    exclude: frozenset[Path] = frozenset(),
    review_paths: dict[str, Path] | None = None,
    rb: rulebase.RuleBase | None = None,
    on_stage: StageHook | None = None,
    **overrides,
) -> Audit:
    """Audit the release folder (or harvest snapshot) `root`; `overrides` are command-line settings,
    `review_paths` review files ("resolutions"/"curations") given instead of the folder's own,
    `exclude` the absolute paths of files and folders not to read (the audit's own outputs), `rb`
    the rule base to judge with (default: the installed one), `on_stage` told each stage's time."""
    rb = rb or rulebase.load()
    with no_cycle_collection():
        with _stage("harvest", on_stage):
            harvested, settings, texts = _read(root, exclude, **overrides)
        texts.update(review_texts(review_paths or {}))
        return audit_harvest(harvested, settings, texts, rb, on_stage)


def _read(root: Path, exclude: frozenset[Path], **overrides) -> tuple[Harvest, config.Settings, dict]:
    """The harvest, the settings and the review texts of a release folder or a snapshot."""
    if not root.exists():
        raise InputError(f"{root}: no such file or folder")
    if snapshot.is_snapshot(root):
        try:
            harvested, config_text, stored = snapshot.load(root)
        except snapshot.SnapshotError as exc:
            raise InputError(str(exc)) from None
        settings = config.parse(config_text, f"{root} (its mlaudit.toml)").override(**overrides)
        texts = {kind: (name, stored[name]) for kind, name in REVIEW_FILES.items() if name in stored}
    elif root.is_dir():
        settings = config.load(root).override(**overrides)
        harvested = harvest(root, settings.asset, exclude)
        texts = review_texts({kind: root / name for kind, name in REVIEW_FILES.items()}, root)
    else:
        raise InputError(f"{root}: not a folder of manifests nor a harvest snapshot (mlaudit harvest -o)")
    return harvested, settings, texts


def audit_harvest(
    harvested: Harvest,
    settings: config.Settings,
    texts: dict[str, tuple[str, str]],
    rb: rulebase.RuleBase,
    on_stage: StageHook | None = None,
) -> Audit:
    """Judge a harvest (and the review files' texts) with the rule base `rb`, stage by stage."""
    files = rb.program_files(settings.position)  # fails fast on an unknown position
    settings = replace(
        settings, profiles=profiles.selected(settings.profiles, rb.profiles), as_of=settings.as_of or config.today()
    )
    with _stage("resolve", on_stage):
        decisions = review.load(texts, set(rb.rules))
        harvested = replace(harvested, problems=[*harvested.problems, *decisions.input_problems()])
        graph = resolve(harvested, settings.lineage)
        orphaned = review.curate(graph, decisions, lambda key: findings.display_id(key, graph))
    with _stage("encode", on_stage):
        fb = facts.encode(graph, settings, rb)
    with _stage("reason", on_stage):
        atoms, differences = reason(settings.engine, files, fb)
    with _stage("interpret", on_stage):
        result = findings.interpret(atoms, fb, graph, rb)
        if "mof" in settings.profiles:
            result.documentation += findings.openness(graph, fb, rb.framework)
        result.engines = ENGINE_NAMES[settings.engine]
        result.findings[:0] = findings.engine_disagreements(differences, rb.rules["INP004"])
    with _stage("repair", on_stage):
        repair.search(result, fb, graph, files, atoms, rb, from_clingo=settings.engine != "pydatalog")
    return Audit(settings, graph, fb, result, rb, decisions, orphaned)


REVIEW_FILES = {"resolutions": review.RESOLUTIONS_FILE, "curations": review.CURATIONS_FILE}


def review_texts(paths: dict[str, Path], root: Path | None = None) -> dict[str, tuple[str, str]]:
    """kind -> (name as reports give it, text) of the review files that exist; a file that exists
    but cannot be read stops the audit, since its decisions would silently go missing."""
    texts = {}
    for kind, path in paths.items():
        if root is not None and refusal(path, root.resolve()) is not None:
            continue
        try:
            texts[kind] = (path.name if root is not None else str(path), path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise config.ConfigError(f"{path}: cannot read {kind} file: {exc}") from None
    return texts


ENGINE_NAMES = {"clingo": ("clingo",), "pydatalog": ("pyDatalog",), "both": ("clingo", "pyDatalog")}
COMPARED = ("finding", "because", "use_category", "outbound", "carries", "via", "obligation_status", "status_basis")


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
    stored = {
        name: text
        for name, text in review_texts({kind: root / name for kind, name in REVIEW_FILES.items()}, root).values()
    }
    writing.write_file(out, snapshot.dump(harvested, config.text(root), stored))
    return len(harvested.records)
