"""The pipeline, composed: harvest -> graph (curated, cut to a named release's cone) -> facts -> atoms
-> interpretation (remedied).

Each stage is a function from the previous stage's output to a new value; this module only wires
them together and is what the CLI and the tests call. The report document is built from the
result (`Audit.document`).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from auditor import (
    cone,
    config,
    document,
    facts,
    findings,
    profiles,
    reasoning,
    releases,
    repair,
    review,
    rulebase,
    snapshot,
    writing,
)
from auditor.graph import build
from auditor.harvest import CONFIG_FILES, harvest, signed
from auditor.harvest.folder import refusal
from auditor.interpretation import Interpretation
from auditor.model import AssetGraph, Harvest, InventoryEntry
from auditor.parsed import JSON

StageHook = Callable[[str, float], None]  # told each stage's name and its wall time in seconds
# Containers a run may leave uncollected before its survivors are frozen rather than scanned at its end
# (auditor.audit.no_cycle_collection): a collection of this many takes about a tenth of a second.
FREEZE_ABOVE = 500_000


class InputError(ValueError):
    """The audit input cannot be read at all (exit code 3)."""


@dataclass(frozen=True)
class Audit:
    """What one audit produced, stage by stage, and the rule base that judged it."""

    settings: config.Settings
    curated: review.Curated
    facts: facts.FactBase
    result: Interpretation
    rb: rulebase.RuleBase
    review: review.Review

    @property
    def graph(self) -> AssetGraph:
        return self.curated.graph

    def document(
        self,
        as_of: dt.date | None = None,
        baseline: tuple[str, dict[str, JSON]] | None = None,
        created: dt.datetime | None = None,
    ) -> dict[str, JSON]:
        """The report document (auditor/document.py) of this audit."""
        return document.build(self.result, self.curated, self.settings, self.review, self.rb, as_of, baseline, created)


@contextmanager
def no_cycle_collection(process_ends: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector: a large audit allocates millions of small
    containers and few of them form cycles, yet the collector would rescan them again and again
    (a third of the run time at 100k assets). On the way out the survivors are frozen, so that
    turning the collector back on does not start by scanning them all. A frozen object is never
    collected, though: unless the process ends after this block (the command line) or the run was
    large, the youngest generation, which holds what the run made and nothing older, is collected
    instead (and what survives is left to the collector as usual), so that a process auditing many
    releases (a test suite, a service) keeps no run's cycles (pyDatalog's state is cyclic) and pays
    for the run's objects alone. Inside an outer pause (or with the collector off) the outer block
    decides."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if process_ends or gc.get_count()[0] > FREEZE_ABOVE:
            gc.freeze()
        else:
            gc.collect(0)
        gc.enable()


@runtime_checkable
class Announcing(Protocol):
    """A stage hook that is also told when each stage starts (progress.Progress)."""

    def start(self, name: str) -> None: ...


@contextmanager
def stage(name: str, on_stage: StageHook | None) -> Iterator[None]:
    """Times the block as the stage `name` and tells `on_stage`, if any (its start too, if it asks)."""
    if isinstance(on_stage, Announcing):
        on_stage.start(name)
    start = time.perf_counter()
    try:
        yield
    finally:
        if on_stage is not None:
            on_stage(name, time.perf_counter() - start)


def run(
    root: Path,
    exclude: frozenset[Path] = frozenset(),
    review_paths: dict[str, Path] | None = None,
    rb: rulebase.RuleBase | None = None,
    on_stage: StageHook | None = None,
    **overrides: Any,
) -> Audit:
    """Audit the release folder (or harvest snapshot) `root`; `overrides` are command-line settings,
    `review_paths` review files ("resolutions"/"curations") given instead of the folder's own,
    `exclude` the absolute paths of files and folders not to read (the audit's own outputs), `rb`
    the rule base to judge with (default: the installed one), `on_stage` told each stage's time."""
    rb = rb or rulebase.load()
    with no_cycle_collection():
        with stage("harvest", on_stage):
            harvested, settings, texts = read(root, exclude, overrides)
        given = review_texts(review_paths or {}, root, confined=False)
        texts.update(given)
        return audit_harvest(listed(harvested, given), settings, texts, rb, on_stage)


def audit_harvest(
    harvested: Harvest,
    settings: config.Settings,
    texts: dict[str, tuple[str, str]],
    rb: rulebase.RuleBase,
    on_stage: StageHook | None = None,
) -> Audit:
    """Judge a harvest (and the review files' texts) with the rule base `rb`: a straight chain of
    stages, each a function from the previous stage's value to a new one."""
    files, settings = prepared(settings, rb)
    with stage("resolve", on_stage):
        decisions, curated = reviewed(harvested, settings, texts, rb)
        curated = _cut(curated, settings.asset)
        settings = releases.settled(settings, curated.graph)
    with stage("encode", on_stage):
        fb = facts.encode(curated.graph, settings, rb)
    with stage("reason", on_stage):
        reasoned = reasoning.reason(settings.engine, files, fb)
    with stage("interpret", on_stage):
        result = findings.read_atoms(reasoned, fb, curated.graph, rb, "mof" in settings.profiles)
    with stage("repair", on_stage):
        assert settings.as_of is not None  # prepared() dates the audit
        accepted = review.accepted(result.findings, decisions, settings.as_of)
        remedies = repair.search(result, fb, curated.graph, files, reasoned.atoms, rb, accepted)
        result = repair.remedied(result, remedies)
    return Audit(settings, curated, fb, result, rb, decisions)


def _cut(curated: review.Curated, release: str | None) -> review.Curated:
    """The curated graph cut to a named release's cone, counting what was cut for the report."""
    graph = cone.cut(curated.graph, release)
    outside = (len(curated.graph.assets) - len(graph.assets), len(curated.graph.edges) - len(graph.edges))
    return replace(curated, graph=graph, outside=outside)


def prepared(settings: config.Settings, rb: rulebase.RuleBase) -> tuple[list[Path], config.Settings]:
    """The rule files of the settings' position (failing fast on an unknown one) and the settings
    completed: the profiles selected and the date judged on."""
    files = rb.program_files(settings.position)
    as_of = settings.as_of or config.today()
    return files, replace(settings, profiles=profiles.selected(settings.profiles, rb.profiles), as_of=as_of)


def reviewed(
    harvested: Harvest, settings: config.Settings, texts: dict[str, tuple[str, str]], rb: rulebase.RuleBase
) -> tuple[review.Review, review.Curated]:
    """The review files' decisions and the graph of the harvest with the curations applied (a
    review file's problems join the harvest's)."""
    decisions = review.load(texts, set(rb.rules))
    harvested = replace(harvested, problems=[*harvested.problems, *decisions.input_problems()])
    return decisions, review.curate(build(harvested, settings.lineage), decisions)


def read(
    root: Path,
    exclude: frozenset[Path],
    overrides: dict[str, Any],
    downstream_of: frozenset[str] = frozenset(),
    every: bool = False,
) -> tuple[Harvest, config.Settings, dict[str, tuple[str, str]]]:
    """The harvest of `root` (a folder or a snapshot), its settings and its review files' texts;
    `downstream_of`: read only what descends from these names, and its lineage, from tables of Hub
    records (see harvest); `every` (a lake): every asset is read, whatever release the settings name."""
    if not root.exists():
        raise InputError(f"{root}: no such file or folder")
    if snapshot.is_snapshot(root):
        try:
            harvested, config_text, stored = snapshot.load(root)
        except snapshot.SnapshotError as exc:
            raise InputError(str(exc)) from None
        settings = config.parse(config_text, f"{root} (its mlaudit.toml)").override(**overrides)
        texts = {kind: (name, stored[name]) for kind, name in REVIEW_FILES.items() if name in stored}
    elif root.is_dir() or root.is_file():  # a file is one manifest alone: no folder's settings or review files
        folder = root.is_dir()
        before = signed(root) if folder else {}
        settings = (config.load(root) if folder else config.parse(None, root)).override(**overrides)
        texts = review_texts({kind: root / name for kind, name in REVIEW_FILES.items()}, root) if folder else {}
        focused = None if every else focus(settings)
        kind = settings.records_kind
        harvested = harvest(root, settings.asset, exclude, focused, downstream_of, kind, read_before=before)
    else:
        message = "not a manifest file, a folder of manifests nor a harvest snapshot (mlaudit harvest -o)"
        raise InputError(f"{root}: {message}")
    return harvested, settings, texts


def focus(settings: config.Settings) -> frozenset[str] | None:
    """The names a named release's lineage is reached from (the release, and both ends of the
    lineage mlaudit.toml declares), so that harvest reads no more of a table of Hub records than the
    cut graph keeps; None without a named release. A declared child outside the release's lineage is
    read too: the graph checks every declared child is described, wherever it stands."""
    if settings.asset is None:
        return None
    return frozenset({settings.asset, *(name for edge in settings.lineage for name in edge[:2])})


REVIEW_FILES = {"resolutions": review.RESOLUTIONS_FILE, "curations": review.CURATIONS_FILE}


def review_texts(paths: dict[str, Path], root: Path | None = None, confined: bool = True) -> dict[str, tuple[str, str]]:
    """kind -> (name as reports give it, text) of the review files that exist (`confined`: one the
    audited folder `root` refuses, a link out of it or a FIFO, is not read: the harvest tells it,
    INP001); a file that exists but cannot be read, or is no regular file, stops the audit, since its
    decisions would silently go missing."""
    texts = {}
    for kind, path in paths.items():
        if confined and root is not None and refusal(path, root.resolve()) is not None:
            continue
        texts[kind] = (_review_name(path, root), config.read_own(path, f"{kind} file"))
    return texts


def _review_name(path: Path, root: Path | None) -> str:
    """A review file as reports name it: its path in the audited folder, else its file name; never
    as typed, so that a report does not depend on the working directory or the machine."""
    folder = None if root is None else (root if root.is_dir() else root.parent).resolve()
    where = path.resolve()
    return where.relative_to(folder).as_posix() if folder and where.is_relative_to(folder) else path.name


def listed(harvested: Harvest, given: dict[str, tuple[str, str]]) -> Harvest:
    """The harvest with each review file given on the command line in its inventory and its content
    in the input fingerprint, since its decisions change the verdict; the folder's own file of that
    kind is listed as not applied."""
    if not given:
        return harvested
    inventory, digest = list(harvested.inventory), hashlib.sha256(harvested.fingerprint.encode())
    for kind, (name, text) in sorted(given.items()):
        own, instead = REVIEW_FILES[kind], f"--{kind} {name} is applied instead"
        inventory = [replace(e, status="skipped", reason=instead) if e.file == own else e for e in inventory]
        inventory = [e for e in inventory if e.file != name]
        inventory.append(InventoryEntry(name, CONFIG_FILES[own], "read", f"given with --{kind}"))
        digest.update(f"{name}\0{hashlib.sha256(text.encode()).hexdigest()}\n".encode())
    return replace(harvested, inventory=inventory, fingerprint=digest.hexdigest())


def harvest_to(root: Path, out: Path, records_kind: str | None = None) -> int:
    """Harvest a release folder (or one manifest file) into a snapshot file; returns the number of
    records. `records_kind`: as the setting says (config.Settings)."""
    if root.is_file():  # one manifest alone: no folder's settings or review files
        harvested, config_text, stored = harvest(root, records_kind=records_kind), None, {}
    elif root.is_dir():
        before = signed(root)
        asset, config_text = config.load(root).asset, config.text(root)
        stored = dict(review_texts({kind: root / name for kind, name in REVIEW_FILES.items()}, root).values())
        harvested = harvest(root, asset, records_kind=records_kind, read_before=before)
    else:
        raise InputError(f"{root}: not a manifest file nor a folder of manifests")
    writing.write_file(out, snapshot.dump(harvested, config_text, stored))
    return len(harvested.records)
