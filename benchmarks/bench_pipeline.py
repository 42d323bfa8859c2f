"""Benchmark of the audit pipeline on a synthetic, Hugging Face-like lineage graph.

What it measures: wall time and peak memory of each stage of an audit (harvest, resolve, encode
facts, reason with clingo, interpret findings, build the report document and render report.json)
when the release sits at the bottom of a Hub-sized lineage graph of 10k or 100k assets. The
target, from the design notes, is an ecosystem-scale audit: 100k assets through facts + reasoning
+ JSON in under 15 s and under 2 GB on a 2-core machine.

Why synthetic: a real Hub crawl is large, slow to fetch and changes every day. The generator
reproduces the shapes that make lineage audits expensive, deterministically from a seed:
  - ~60 % models, ~40 % datasets;
  - heavy-tailed fan-out: a few foundation models with thousands of fine-tunes, most with few
    (Pareto popularity weights, preferential choice of parents);
  - fine-tunes, adapters and quantized copies (one base_model), merges (2-4 base models);
  - datasets attached to models (`datasets:`, trained_on), dataset-to-dataset `source_datasets`
    (derived_from), `model-index` evaluations (evaluated_on);
  - Hub license ids in a realistic mix, about half the assets without any license, some `other`
    licenses with only a name, a few cards without YAML front matter;
  - a few references to assets that do not exist (unresolved), some with different letter case;
  - 3-8 card sections per asset, about a quarter of them template placeholders or empty;
  - lineage mostly 1-4 deep, with a tail up to ~11.
The release audited (commercial use, weights) is the model with the largest upstream cone among
the deepest ones, so the release-specific rules do the most work.

Two modes: "in-memory" builds the harvest's AssetRecords directly (no disk) and audits them with
`auditor.audit.audit_harvest`; "on-disk" writes real README.md cards in the Hub layout
(<org>/<name>/, datasets/<org>/<name>/) under a temporary folder and audits it with
`auditor.audit.run`, which also times the harvest reading them. The stages are timed by the
pipeline's own stage hook (`on_stage`). Both modes give identical records
(`--check` verifies it on a small graph).

Every run happens in a fresh subprocess, so the peak RSS of one size does not leak into the next.
Peak RSS comes from getrusage (ru_maxrss), which sees clingo's C++ memory; tracemalloc would not.

    python benchmarks/bench_pipeline.py                  # 10k in-memory, 10k on-disk, 100k in-memory
    python benchmarks/bench_pipeline.py --sizes 1000 5000
    python benchmarks/bench_pipeline.py --disk           # also 100k on disk (writes 100k files)
    python benchmarks/bench_pipeline.py --check          # in-memory records == harvested records
    python benchmarks/bench_pipeline.py --release 200    # `mlaudit audit` of a 200-card release, Python start included
    python benchmarks/bench_pipeline.py --cycles 3 6     # clingo and pyDatalog on lineage cycles of 3 and 6 assets
    python benchmarks/bench_pipeline.py --harvest-ratio 5000  # harvest vs a bare read + YAML loop, same files

Two small-scale measurements, for the targets a person meets every day:
  - `--release N`: the cards of an N-asset lineage are written to a folder and `python -m auditor
    audit FOLDER` (report.json + report.html) runs in a fresh process `--repeat` times after one
    warm-up run (which leaves compiled bytecode behind, as an installed package has). Wall time and
    CPU time (user + system, of the child) per run; target 1.0 s of wall time.
  - `--harvest-ratio N`: N cards are written, then one fresh process alternates a bare loop (walk
    the folder, read each card, cut its front matter, parse it with PyYAML's libyaml loader) and
    auditor.harvest.harvest over the same files (with the collector paused, as audit.run runs it),
    `--repeat` rounds; CPU time of each, and the ratio harvest / bare (target: 5x or less).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.model import AssetRecord, Evidence, Harvest, InventoryEntry, LicenseStatement, Reference, Section

TARGET_ASSETS, TARGET_SECONDS, TARGET_MB = 100_000, 15.0, 2048
DEFAULT_SIZES = (10_000, 100_000)
DISK_BY_DEFAULT_UP_TO = 10_000
MAX_DEPTH = 11
Row = dict[str, str | float | int]  # one stage of a run: its name, seconds and peak RSS in MB
Run = dict[str, Any]  # one run's measurements, as JSON passed from the child process

# --------------------------------------------------------------------------------------------
# Workload vocabulary: Hub license ids with relative weights, card headings, names.


class Mix:
    """Choices with relative weights, cumulated once (drawn by `_weighted`)."""

    def __init__(self, weights: dict[str, float]):
        self.names = list(weights)
        self.cum = list(itertools.accumulate(weights.values()))


FOUNDATION_LICENSES = Mix(
    {
        "apache-2.0": 30,
        "llama2": 12,
        "llama3": 10,
        "llama3.1": 6,
        "mit": 10,
        "gemma": 6,
        "openrail": 5,
        "creativeml-openrail-m": 5,
        "bigscience-openrail-m": 4,
        "cc-by-nc-4.0": 5,
        "other": 7,
    }
)
MODEL_LICENSES = Mix(
    {
        "apache-2.0": 30,
        "mit": 10,
        "llama2": 3,
        "llama3": 3,
        "llama3.1": 2,
        "cc-by-4.0": 7,
        "cc-by-nc-4.0": 6,
        "cc-by-sa-4.0": 3,
        "cc-by-nc-sa-4.0": 3,
        "openrail": 4,
        "creativeml-openrail-m": 4,
        "bigscience-openrail-m": 2,
        "openrail++": 1,
        "gemma": 2,
        "gpl-3.0": 2,
        "bsd-3-clause": 1,
        "afl-3.0": 2,
        "cc0-1.0": 2,
        "other": 5,
        "unknown": 2,
    }
)
DATASET_LICENSES = Mix(
    {
        "cc-by-4.0": 20,
        "apache-2.0": 15,
        "mit": 15,
        "cc-by-sa-4.0": 8,
        "cc-by-nc-4.0": 8,
        "cc-by-nc-sa-4.0": 4,
        "odc-by": 4,
        "cc0-1.0": 6,
        "openrail": 2,
        "llama2": 1,
        "afl-3.0": 3,
        "gpl-3.0": 2,
        "other": 8,
        "unknown": 4,
    }
)
OTHER_NAMES = ("deepseek-license", "tongyi-qianwen", "yi-license", "falcon-llm-license", "custom-research-license")
MISSING_LICENSE = {"model": 0.48, "dataset": 0.45}  # share of non-foundation assets without a license
INHERIT_LICENSE = 0.4  # a derived asset that declares a license copies its parent's this often

MODEL_HEADINGS = (
    "Model Details",
    "Model Description",
    "Uses",
    "Direct Use",
    "Intended uses & limitations",
    "Out-of-Scope Use",
    "Bias, Risks, and Limitations",
    "Limitations",
    "How to Get Started with the Model",
    "Training Data",
    "Training and evaluation data",
    "Training Procedure",
    "Training hyperparameters",
    "Evaluation",
    "Training results",
    "Environmental Impact",
    "Technical Specifications",
    "Citation",
    "Model Card Contact",
    "Framework versions",
    "Prompt Template",
    "Acknowledgements",
)
DATASET_HEADINGS = (
    "Dataset Details",
    "Dataset Description",
    "Dataset Summary",
    "Uses",
    "Supported Tasks and Leaderboards",
    "Dataset Structure",
    "Data Fields",
    "Data Splits",
    "Curation Rationale",
    "Source Data",
    "Annotations",
    "Personal and Sensitive Information",
    "Bias, Risks, and Limitations",
    "Considerations for Using the Data",
    "Licensing Information",
    "Citation Information",
    "Contributions",
)
STATUSES = Mix({"filled": 0.70, "placeholder": 0.22, "empty": 0.08})
PLACEHOLDER = "[More Information Needed]"
FILLED = "This section was written by the authors and describes the asset in a few sentences."

FAMILIES = (
    "Llama-2",
    "Meta-Llama-3",
    "Mistral",
    "gemma",
    "Qwen2",
    "phi",
    "falcon",
    "pythia",
    "bloom",
    "stable-diffusion",
    "gpt2",
    "deepseek",
    "Yi",
    "OLMo",
    "aya",
    "bert",
    "t5",
    "whisper",
)
FOUNDATION_ORGS = (
    "meta-llama",
    "mistralai",
    "google",
    "Qwen",
    "microsoft",
    "tiiuae",
    "EleutherAI",
    "bigscience",
    "stabilityai",
    "openai-community",
    "deepseek-ai",
    "01-ai",
    "allenai",
)
TOPICS = (
    "squad",
    "alpaca",
    "gsm8k",
    "mmlu",
    "wikitext",
    "c4",
    "oasst",
    "ultrachat",
    "imdb",
    "glue",
    "code-search",
    "common-voice",
    "laion",
    "dolly",
    "hh-rlhf",
    "slimpajama",
    "arxiv",
    "pubmed",
)
RELATIONS = Mix({"finetune": 0.55, "adapter": 0.20, "quantized": 0.17, "merge": 0.08})
SUFFIXES = {
    "finetune": ("sft", "dpo", "instruct", "chat", "finetuned"),
    "adapter": ("lora", "qlora"),
    "quantized": ("GGUF", "GPTQ", "AWQ"),
    "merge": ("merge", "slerp", "ties"),
}
TAGS = {
    "finetune": ["generated_from_trainer"],
    "adapter": ["lora"],
    "quantized": ["gguf", "quantized"],
    "merge": ["merge", "mergekit"],
}


# --------------------------------------------------------------------------------------------
# Generation: a list of Spec, parents always created before their children (a DAG).


@dataclass(slots=True)
class Spec:
    kind: str
    id: str
    depth: int = 0
    licenses: list[str] = field(default_factory=list)  # Hub ids as written in `license:`
    license_name: str | None = None
    bases: list[str] = field(default_factory=list)
    relation: str | None = None
    declares_relation: bool = False
    datasets: list[str] = field(default_factory=list)  # trained_on
    sources: list[str] = field(default_factory=list)  # source_datasets values, as written
    evals: list[str] = field(default_factory=list)  # model-index dataset types
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, status), level 2
    metadata: bool = True
    weight: float = 1.0

    @property
    def upstream(self) -> list[str]:
        return self.bases + self.datasets + [s.split("|")[-1] for s in self.sources if s != "original"] + self.evals


class Pool:
    """Ids drawn with probability proportional to a weight fixed when they join (O(log n) draws)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: list[str] = []
        self.cum: list[float] = []

    def add(self, asset_id: str, weight: float) -> None:
        self.ids.append(asset_id)
        self.cum.append((self.cum[-1] if self.cum else 0.0) + weight)

    def pick(self) -> str:
        return self.ids[bisect.bisect(self.cum, self.rng.random() * self.cum[-1])]

    def distinct(self, k: int) -> list[str]:
        found: dict[str, None] = {}
        for _ in range(k * 8):
            found[self.pick()] = None
            if len(found) == k:
                break
        return list(found)


class Lineage:
    """Deterministic generator of a Hub-like lineage graph of `n` assets."""

    def __init__(self, n: int, seed: int):
        self.rng = random.Random(seed)
        self.n_models = round(n * 0.6)
        self.n_datasets = n - self.n_models
        self.specs: dict[str, Spec] = {}
        self.foundations, self.derived, self.data = Pool(self.rng), Pool(self.rng), Pool(self.rng)
        self.org_pool = max(50, n // 8)
        self.ghosts = 0

    def build(self) -> list[Spec]:
        rng = self.rng
        n_found = max(3, round(self.n_models * 0.003))
        n_seed_data = max(10, round(self.n_datasets * 0.05))
        for i in range(n_seed_data):
            self._dataset(i, seed=True)
        for i in range(n_found):
            self._foundation(i)
        rest = ["model"] * (self.n_models - n_found) + ["dataset"] * (self.n_datasets - n_seed_data)
        rng.shuffle(rest)
        for i, kind in enumerate(rest, start=n_found + n_seed_data):
            self._model(i) if kind == "model" else self._dataset(i, seed=False)
        return list(self.specs.values())

    # -- assets

    def _foundation(self, i: int) -> None:
        rng = self.rng
        name = f"{rng.choice(FAMILIES)}-{rng.choice((1, 2, 7, 8, 13, 70))}b-{i}"
        spec = Spec("model", f"{rng.choice(FOUNDATION_ORGS)}/{name}", licenses=[_weighted(rng, FOUNDATION_LICENSES)])
        self._other_name(spec)
        if rng.random() < 0.3:
            spec.datasets = self._refs(self.data, rng.randint(1, 3), "dataset")
        self._card(spec, MODEL_HEADINGS)
        self._join(spec, self.foundations, min(60.0, rng.paretovariate(1.2)))  # a few very popular bases

    def _model(self, i: int) -> None:
        rng = self.rng
        relation = _weighted(rng, RELATIONS)
        if relation == "merge":  # mergers mostly merge fine-tunes and other merges
            parents = [self._parent(0.2) for _ in range(rng.choice((2, 2, 2, 3, 3, 4)))]
        else:
            parents = [self._parent()]
        parents = list(dict.fromkeys(parents))
        if relation == "merge" and len(parents) == 1:
            relation = "finetune"
        first = self.specs[parents[0]]
        stem = "-".join(first.id.split("/")[1].split("-")[:3])
        spec = Spec(
            "model",
            f"{self._org()}/{stem}-{rng.choice(SUFFIXES[relation])}-{i}",
            relation=relation,
            depth=1 + max(self.specs[p].depth for p in parents),
            declares_relation=rng.random() < 0.1,
        )
        spec.bases = [self._maybe_ghost(p, "model") for p in parents]
        self._license(spec, first, MODEL_LICENSES)
        trained = {"finetune": 0.5, "adapter": 0.4, "quantized": 0.05, "merge": 0.1}[relation]
        if rng.random() < trained:
            spec.datasets = self._refs(self.data, rng.randint(1, 3), "dataset")
        if rng.random() < 0.12:
            spec.evals = self._refs(self.data, rng.randint(1, 4), "dataset")
        self._card(spec, MODEL_HEADINGS)
        weight = {"finetune": 1.0, "merge": 2.0, "adapter": 0.3, "quantized": 0.05}[relation]
        self._join(spec, self.derived, weight * rng.paretovariate(1.2))

    def _dataset(self, i: int, seed: bool) -> None:
        rng = self.rng
        parents = [] if seed or rng.random() > 0.2 else self.data.distinct(rng.choice((1, 1, 2)))
        if parents:
            stem = "-".join(parents[0].split("/")[1].split("-")[:2])
            name = f"{stem}-{rng.choice(('cleaned', 'filtered', 'translated', 'dedup', 'subset'))}-{i}"
        else:
            name = f"{rng.choice(TOPICS)}-{rng.choice(('v1', 'v2', 'en', 'multilingual', 'mini'))}-{i}"
        spec = Spec("dataset", f"{self._org()}/{name}")
        spec.sources = [("extended|" if rng.random() < 0.3 else "") + self._maybe_ghost(p, "dataset") for p in parents]
        if not parents and rng.random() < 0.3:
            spec.sources = ["original"]
        self._license(spec, self.specs[parents[0]] if parents else None, DATASET_LICENSES)
        self._card(spec, DATASET_HEADINGS)
        self._join(spec, self.data, rng.paretovariate(1.0) * (5 if seed else 1))

    # -- parts

    def _parent(self, foundation_share: float = 0.62) -> str:
        if not self.derived.ids or self.rng.random() < foundation_share:
            return self.foundations.pick()
        parent = self.derived.pick()
        return parent if self.specs[parent].depth < MAX_DEPTH else self.foundations.pick()

    def _refs(self, pool: Pool, k: int, kind: str) -> list[str]:
        return [self._maybe_ghost(t, kind) for t in pool.distinct(k)]

    def _maybe_ghost(self, target: str, kind: str) -> str:
        """A few references name assets that do not exist, some spell an existing one in other case."""
        r = self.rng.random()
        if r < 0.003:
            self.ghosts += 1
            return f"ghost-{kind}s/{target.split('/')[1]}-private"
        if r < 0.02:
            return target[0].swapcase() + target[1:]
        return target

    def _license(self, spec: Spec, parent: Spec | None, mix: Mix) -> None:
        rng = self.rng
        if rng.random() < MISSING_LICENSE[spec.kind]:
            return
        if parent is not None and parent.licenses and rng.random() < INHERIT_LICENSE:
            spec.licenses, spec.license_name = list(parent.licenses), parent.license_name
            return
        spec.licenses = [_weighted(rng, mix)]
        if spec.kind == "dataset" and rng.random() < 0.02:
            spec.licenses.append(_weighted(rng, mix))
        self._other_name(spec)

    def _other_name(self, spec: Spec) -> None:
        if "other" in spec.licenses and self.rng.random() < 0.6:
            spec.license_name = self.rng.choice(OTHER_NAMES)

    def _card(self, spec: Spec, headings: tuple[str, ...]) -> None:
        rng = self.rng
        chosen = rng.sample(headings, rng.randint(2, 7))  # + the title heading: 3-8 sections
        spec.sections = [(h, _weighted(rng, STATUSES)) for h in chosen]
        if rng.random() < 0.03 and spec.id.split("/")[0] not in FOUNDATION_ORGS:
            spec.metadata = False  # a card without YAML front matter: no license, no lineage
            spec.licenses, spec.license_name, spec.relation, spec.depth = [], None, None, 0
            spec.bases, spec.datasets, spec.sources, spec.evals = [], [], [], []

    def _org(self) -> str:
        rank = int(self.org_pool ** self.rng.random())  # log-uniform: Zipf-like popularity of orgs
        return f"{('lab', 'team', 'user', 'research', 'studio')[rank % 5]}-{rank}"

    def _join(self, spec: Spec, pool: Pool, weight: float) -> None:
        if spec.id in self.specs:
            raise AssertionError(f"duplicate id {spec.id}")
        spec.weight = weight
        self.specs[spec.id] = spec
        pool.add(spec.id, weight)


def _weighted(rng: random.Random, mix: Mix) -> str:
    return mix.names[bisect.bisect(mix.cum, rng.random() * mix.cum[-1])]


def choose_release(specs: list[Spec]) -> tuple[Spec, int]:
    """Among the deepest models, the one with the largest upstream cone (and that cone's size)."""
    by_id = {s.id.lower(): s for s in specs}
    models = sorted((s for s in specs if s.kind == "model" and s.metadata), key=lambda s: -s.depth)
    best, best_cone = None, -1
    for spec in models[:300]:
        size = len(_cone(spec, by_id))
        if size > best_cone:
            best, best_cone = spec, size
    if best is None:
        raise ValueError("the workload has no model with a card to release")
    return best, best_cone


def _cone(spec: Spec, by_id: dict[str, Spec]) -> set[str]:
    seen, stack = set(), [spec]
    while stack:
        for target in stack.pop().upstream:
            key = target.lower()
            if key not in seen:
                seen.add(key)
                if key in by_id:
                    stack.append(by_id[key])
    return seen


# --------------------------------------------------------------------------------------------
# Cards: one writer gives both the README.md text and the record harvest reads from it.


class CardText:
    """Lines of a card, with the 1-based line of every front-matter pointer as harvest reports it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.at: dict[str, int] = {}

    def add(self, line: str, pointer: str | None = None) -> int:
        self.lines.append(line)
        if pointer:
            self.at[pointer] = len(self.lines)
        return len(self.lines)

    def items(self, key: str, values: list[str]) -> None:
        self.add(f"{key}:", key)
        for i, value in enumerate(values):
            self.add(f"- {value}", f"{key}[{i}]")


def card(spec: Spec) -> tuple[CardText, AssetRecord]:
    """The card of `spec` and the AssetRecord that auditor.harvest reads from it."""
    source = f"datasets/{spec.id}/README.md" if spec.kind == "dataset" else f"{spec.id}/README.md"
    text = CardText()
    # models sit at <org>/<name>/ (kind from the card), datasets under datasets/ (kind from the layout)
    basis = "layout" if spec.kind == "dataset" else "no dataset-card fields" if spec.metadata else "default"
    record = AssetRecord(id=spec.id, kind=spec.kind, source=source, has_metadata=spec.metadata, kind_basis=basis)
    if spec.metadata:
        text.add("---")
        _front_matter(spec, text)
        text.add("---")
        ev = lambda pointer: Evidence(source, pointer, text.at.get(pointer))  # noqa: E731
        record.licenses = _license_statements(spec, ev)
        record.references = _references(spec, ev)
    start = len(text.lines)
    record.sections = _body(spec, text, source)
    if "text" in AssetRecord.__dataclass_fields__:  # the card's Markdown body, kept by harvest
        record.text = "\n".join(text.lines[start:]) + "\n"
    return text, record


def _front_matter(spec: Spec, text: CardText) -> None:
    if len(spec.licenses) == 1:
        text.add(f"license: {spec.licenses[0]}", "license")
    elif spec.licenses:
        text.items("license", spec.licenses)
    if spec.license_name:
        text.add(f"license_name: {spec.license_name}", "license_name")
    if spec.kind == "dataset":
        text.items("task_categories", ["text-generation"])
        if spec.sources:
            text.items("source_datasets", spec.sources)
        return
    text.add("library_name: peft" if spec.relation == "adapter" else "library_name: transformers", "library_name")
    if len(spec.bases) == 1:
        text.add(f"base_model: {spec.bases[0]}", "base_model")
    elif spec.bases:
        text.items("base_model", spec.bases)
    if spec.declares_relation:
        text.add(f"base_model_relation: {spec.relation}", "base_model_relation")
    if spec.relation:
        text.items("tags", TAGS[spec.relation])
    if spec.datasets:
        text.items("datasets", spec.datasets)
    if spec.evals:
        _model_index(spec, text)


def _model_index(spec: Spec, text: CardText) -> None:
    text.add("model-index:")
    text.add(f"- name: {spec.id.split('/')[1]}")
    text.add("  results:")
    for j, target in enumerate(spec.evals):
        text.add("  - task:")
        text.add("      type: text-generation")
        text.add("    dataset:")
        text.add(f"      name: {target.split('/')[1]}")
        text.add(f"      type: {target}", f"model-index[0].results[{j}].dataset.type")
        text.add("    metrics:")
        text.add("    - type: accuracy")
        text.add(f"      value: {40 + j * 3.5}")


def _license_statements(spec: Spec, ev: Callable[[str], Evidence]) -> list[LicenseStatement]:
    pointers = ["license"] if len(spec.licenses) == 1 else [f"license[{i}]" for i in range(len(spec.licenses))]
    return [
        LicenseStatement(raw, ev(p), spec.license_name if raw == "other" else None)
        for raw, p in zip(spec.licenses, pointers, strict=False)
    ]


def _references(spec: Spec, ev: Callable[[str], Evidence]) -> list[Reference]:
    refs = []
    if spec.bases:
        relation, basis = _relation(spec)
        pointers = ["base_model"] if len(spec.bases) == 1 else [f"base_model[{i}]" for i in range(len(spec.bases))]
        refs += [Reference(t, "model", relation, ev(p), basis) for t, p in zip(spec.bases, pointers, strict=False)]
    refs += [Reference(t, "dataset", "trained_on", ev(f"datasets[{i}]")) for i, t in enumerate(spec.datasets)]
    refs += [
        Reference(s.split("|")[-1], "dataset", "derived_from", ev(f"source_datasets[{i}]"))
        for i, s in enumerate(spec.sources)
        if s != "original"
    ]
    refs += [
        Reference(t, "dataset", "evaluated_on", ev(f"model-index[0].results[{j}].dataset.type"))
        for j, t in enumerate(spec.evals)
    ]
    return refs


def _relation(spec: Spec) -> tuple[str, str]:
    """The relation and basis auditor.harvest.hfcard gives these base_model fields."""
    if spec.declares_relation and spec.relation:
        return spec.relation, "declared in base_model_relation"
    if len(spec.bases) > 1:
        return "merge", "inferred: several base models"
    if spec.relation == "adapter":
        return "adapter", "inferred: PEFT adapter (library_name peft or adapter_config.json)"
    if spec.relation == "quantized":
        return "quantized", "inferred: quantization tag gguf"
    return "finetune", "inferred: single base model"


def _body(spec: Spec, text: CardText, source: str) -> list[Section]:
    title = f"{'Dataset' if spec.kind == 'dataset' else 'Model'} Card for {spec.id.split('/')[1]}"
    text.add("")
    line = text.add(f"# {title}")
    sections = [Section(title, 1, "filled", Evidence(source, f"heading '{title}'", line))]
    text.add("")
    text.add(FILLED)
    for heading, status in spec.sections:
        text.add("")
        line = text.add(f"## {heading}")
        text.add("")
        if status != "empty":
            text.add(FILLED if status == "filled" else PLACEHOLDER)
        sections.append(Section(heading, 2, status, Evidence(source, f"heading '{heading}'", line)))
    return sections


def in_memory_harvest(specs: list[Spec]) -> Harvest:
    result = Harvest(root="/synthetic-hub")
    for spec in specs:
        _, record = card(spec)
        result.records.append(record)
        result.inventory.append(InventoryEntry(record.source, "hf-card", "read"))
    return result


def write_cards(specs: list[Spec], root: Path) -> None:
    for spec in specs:
        text, record = card(spec)
        path = root / record.source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(text.lines) + "\n", encoding="utf-8")


def workload(specs: list[Spec], release: Spec, cone: int, ghosts: int) -> dict[str, Any]:
    kinds = Counter(s.kind for s in specs)
    relations = Counter(s.relation for s in specs if s.relation)
    fan_out = Counter(b.lower() for s in specs for b in s.bases)
    depths = [s.depth for s in specs if s.kind == "model" and s.bases]
    return {
        "models": kinds["model"],
        "datasets": kinds["dataset"],
        "relations": dict(relations),
        "trained_on": sum(len(s.datasets) for s in specs),
        "derived_from": sum(len([x for x in s.sources if x != "original"]) for s in specs),
        "evaluated_on": sum(len(s.evals) for s in specs),
        "unresolved_refs": ghosts,
        "no_license_pct": round(100 * sum(not s.licenses for s in specs) / len(specs), 1),
        "top_fan_out": fan_out.most_common(1)[0][1] if fan_out else 0,
        "depth_le4_pct": round(100 * sum(d <= 4 for d in depths) / max(1, len(depths)), 1),
        "max_depth": max(depths, default=0),
        "release": release.id,
        "release_depth": release.depth,
        "release_cone": cone,
    }


# --------------------------------------------------------------------------------------------
# One run (in a child process): the pipeline stage by stage, as auditor.audit.run wires it.


class Stages:
    """Wall time (summed over calls) and peak RSS after each stage, printed as they finish."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.rows: dict[str, Row] = {}

    def record(self, name: str, seconds: float) -> None:
        """The pipeline's stage hook (audit.run's `on_stage`), and the end of each stage timed here."""
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        row = self.rows.setdefault(name, {"stage": name, "seconds": 0.0, "peak_rss_mb": 0})
        row["seconds"] = round(float(row["seconds"]) + seconds, 3)
        row["peak_rss_mb"] = round(rss)
        print(f"  [{self.label}] {name:<10} {seconds:7.2f} s  peak RSS {rss:6.0f} MB", file=sys.stderr, flush=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.record(name, time.perf_counter() - start)

    def remainder(self, name: str, total: float) -> None:
        """Time inside `total` that no stage accounts for (work audit.run does between its stages)."""
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        seconds = total - sum(float(r["seconds"]) for r in self.rows.values() if r["stage"] != "generate")
        self.rows[name] = {"stage": name, "seconds": round(max(0.0, seconds), 3), "peak_rss_mb": round(rss)}


def generate(size: int, seed: int, folder: Path | None) -> tuple[Spec, dict[str, Any], Harvest | None]:
    """The release to audit, the workload's shape, and its harvest built in memory; or, given a
    `folder`, no harvest: the cards are written there, to be read by the audit."""
    lineage = Lineage(size, seed)
    specs = lineage.build()
    release, cone = choose_release(specs)
    shape = workload(specs, release, cone, lineage.ghosts)
    if folder is not None:
        write_cards(specs, folder)
        return release, shape, None
    return release, shape, in_memory_harvest(specs)


def run_once(size: int, mode: str, seed: int) -> Run:
    """One audit through the pipeline's entry points, timed stage by stage with its stage hook:
    auditor.audit.run on the cards written to disk, or auditor.audit.audit_harvest on the records
    built in memory. The document and report.json are built as the CLI does."""
    from auditor import audit, config, rulebase
    from auditor.report import jsonfile

    rb = rulebase.load()  # the CLI loads it before the audit too
    stages = Stages(f"{size} {mode}")
    tmp = Path(tempfile.mkdtemp(prefix="mlaudit-bench-"))
    try:
        with stages.stage("generate"):
            release, shape, harvested = generate(size, seed, None if mode == "in-memory" else tmp)
        start = time.perf_counter()
        if harvested is None:
            result = audit.run(
                tmp, rb=rb, on_stage=stages.record, asset=release.id, use="commercial", distribution="weights"
            )
        else:
            with audit.no_cycle_collection():
                settings = config.load(tmp).override(asset=release.id, use="commercial", distribution="weights")
                result = audit.audit_harvest(harvested, settings, {}, rb, on_stage=stages.record)
        stages.remainder("other", time.perf_counter() - start)
        with stages.stage("document"):
            report = jsonfile.render(result.document())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "size": size,
        "mode": mode,
        "seed": seed,
        "stages": list(stages.rows.values()),
        "facts": len(result.facts.facts),
        "program_mb": round(len(result.facts.program()) / 1e6, 1),
        "findings": len(result.result.findings),
        "by_rule": dict(sorted(Counter(f.rule for f in result.result.findings).items())),
        "json_mb": round(len(report.encode()) / 1e6, 1),
        "workload": shape,
    }


def run_in_subprocess(size: int, mode: str, seed: int) -> Run:
    command = [sys.executable, __file__, "--child", str(size), mode, "--seed", str(seed)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    run: Run = json.loads(done.stdout.strip().splitlines()[-1])
    return run


# --------------------------------------------------------------------------------------------
# The table.

STAGE_NAMES = (
    ("generate", "generate workload"),
    ("harvest", "harvest (read cards)"),
    ("resolve", "resolve graph"),
    ("encode", "encode facts"),
    ("reason", "reason (clingo)"),
    ("interpret", "interpret findings"),
    ("repair", "repair search"),
    ("other", "rest of audit.run"),
    ("document", "document + JSON render"),
)
BUDGET = ("encode", "reason", "interpret", "repair", "other", "document")


def budget(run: Run) -> tuple[float, int]:
    seconds = sum(r["seconds"] for r in run["stages"] if r["stage"] in BUDGET)
    return seconds, max(r["peak_rss_mb"] for r in run["stages"])


def verdict(run: Run) -> str:
    if run["size"] < TARGET_ASSETS:
        return "–"
    seconds, mb = budget(run)
    ok = seconds < TARGET_SECONDS and mb < TARGET_MB
    return f"{'met' if ok else 'MISSED'} (<{TARGET_SECONDS:.0f} s, <{TARGET_MB / 1024:.0f} GB)"


def table(runs: list[Run]) -> str:
    head = [f"{r['size'] // 1000}k {r['mode']}" if r["size"] >= 1000 else f"{r['size']} {r['mode']}" for r in runs]
    lines = ["| stage | " + " | ".join(head) + " |", "|---|" + "---:|" * len(runs)]
    for key, label in STAGE_NAMES:
        cells = []
        for run in runs:
            row = next((r for r in run["stages"] if r["stage"] == key), None)
            cells.append(f"{row['seconds']:.2f} s · {row['peak_rss_mb']} MB" if row else "–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    totals = [budget(r) for r in runs]
    lines.append("| **facts + reasoning + JSON** | " + " | ".join(f"**{s:.2f} s**" for s, _ in totals) + " |")
    lines.append("| peak RSS | " + " | ".join(f"{mb} MB" for _, mb in totals) + " |")
    lines.append("| 100k target | " + " | ".join(verdict(r) for r in runs) + " |")
    lines.append("| facts (ASP text) | " + " | ".join(f"{r['facts']:,} ({r['program_mb']} MB)" for r in runs) + " |")
    lines.append("| findings | " + " | ".join(f"{r['findings']:,}" for r in runs) + " |")
    lines.append("| report.json | " + " | ".join(f"{r['json_mb']} MB" for r in runs) + " |")
    return "\n".join(lines)


def notes(runs: list[Run]) -> str:
    import clingo

    seen, out = set(), []
    for run in runs:
        w = run["workload"]
        if run["size"] in seen:
            continue
        seen.add(run["size"])
        rel = ", ".join(f"{k} {v:,}" for k, v in sorted(w["relations"].items()))
        out.append(
            f"- {run['size']:,} assets: {w['models']:,} models, {w['datasets']:,} datasets; base_model edges "
            f"({rel}), trained_on {w['trained_on']:,}, derived_from {w['derived_from']:,}, evaluated_on "
            f"{w['evaluated_on']:,}; {w['unresolved_refs']} unresolved references; {w['no_license_pct']} % "
            f"without license; largest fan-out {w['top_fan_out']:,}; {w['depth_le4_pct']} % of derived models "
            f"1-4 deep, deepest {w['max_depth']}; release `{w['release']}` (depth {w['release_depth']}, "
            f"{w['release_cone']:,} upstream assets); findings by rule: "
            + ", ".join(f"{k} {v:,}" for k, v in run["by_rule"].items())
        )
    machine = (
        f"Python {platform.python_version()}, clingo {clingo.__version__}, {os.cpu_count()} CPUs; "
        f"seed {runs[0]['seed']}. Each cell: wall time · peak RSS of the process so far (fresh process per "
        'column). "facts + reasoning + JSON" = encode + reason + interpret + repair + rest of audit.run + '
        "document/JSON."
    )
    return machine + "\n\n" + "\n".join(out)


# --------------------------------------------------------------------------------------------


def check(seed: int, size: int = 600) -> int:
    """In-memory records must equal what auditor.harvest reads from the written cards."""
    from auditor.harvest import harvest

    specs = Lineage(size, seed).build()
    expected = in_memory_harvest(specs)
    with tempfile.TemporaryDirectory(prefix="mlaudit-bench-check-") as tmp:
        write_cards(specs, Path(tmp))
        read = harvest(Path(tmp))
    by_source = {r.source: r for r in read.records}
    wrong = [r.source for r in expected.records if by_source.get(r.source) != r]
    problems = [p.message for p in read.problems]
    print(f"{len(expected.records)} cards: {len(wrong)} records differ, {len(problems)} harvest problems")
    mine = {r.source: r for r in expected.records}
    for source in wrong[:5]:
        theirs = by_source.get(source)
        fields = [k for k in vars(mine[source]) if theirs is None or getattr(theirs, k) != getattr(mine[source], k)]
        print(f"  {source}: differs in {', '.join(fields)}")
    return 1 if wrong or problems or len(read.records) != len(expected.records) else 0


def engine_timings(sizes: list[int], seed: int) -> str:
    """The reasoning stage alone on clingo and on pyDatalog (the cross-check engine), for the
    sizes where pyDatalog finishes in reasonable time, so the README can say when to use it."""
    from auditor import audit, config, datalog, engine, facts, profiles, rulebase
    from auditor.graph import build

    rb = rulebase.load()
    rows = ["| assets | facts | clingo | pyDatalog |", "|---:|---:|---:|---:|"]
    for size in sizes:
        lineage = Lineage(size, seed)
        specs = lineage.build()
        release, _ = choose_release(specs)
        graph = build(in_memory_harvest(specs))
        with audit.no_cycle_collection():
            fb = facts.encode(graph, config.Settings(asset=release.id, profiles=profiles.DEFAULT_PROFILES), rb)
            files = rb.program_files("conservative")
            start = time.perf_counter()
            engine.solve(files, fb.program(), False)
            middle = time.perf_counter()
            datalog.solve(files, list(fb.facts))
            end = time.perf_counter()
        rows.append(f"| {size:,} | {len(fb.facts):,} | {middle - start:.2f} s | {end - middle:.2f} s |")
    return "\n".join(rows)


def cycle_timings(sizes: list[int]) -> str:
    """The reasoning stage alone on clingo and on pyDatalog for a release on a lineage cycle of n
    assets (a0 fine-tuned from a1 ... from a0, as tests/test_engines.py audits): pyDatalog ends on a
    cycle only because the translation resolves recursion first (auditor/datalog.py); this is how
    long it takes, which a test cannot assert on a loaded machine."""
    from auditor import audit, datalog, engine, rulebase

    rb = rulebase.load()
    rows = ["| cycle of | facts | clingo | pyDatalog |", "|---:|---:|---:|---:|"]
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="mlaudit-bench-cycle-") as tmp:
            root = Path(tmp)
            (root / "mlaudit.toml").write_text('[release]\nasset = "org/a0"\nuse = "commercial"\n')
            for i in range(size):
                (root / "org" / f"a{i}").mkdir(parents=True)
                license_id = "cc-by-nc-4.0" if i == size - 1 else "apache-2.0"
                (root / "org" / f"a{i}" / "README.md").write_text(
                    f"---\nlicense: {license_id}\nbase_model: org/a{(i + 1) % size}\n"
                    "base_model_relation: finetune\n---\n# Card\n"
                )
            done = audit.run(root, rb=rb)
        files = rb.program_files(done.settings.position)
        with audit.no_cycle_collection():
            start = time.perf_counter()
            engine.solve(files, done.facts.program(), False)
            middle = time.perf_counter()
            datalog.solve(files, list(done.facts.facts))
            end = time.perf_counter()
        rows.append(f"| {size} | {len(done.facts.facts):,} | {middle - start:.2f} s | {end - middle:.2f} s |")
    return "\n".join(rows)


RELEASE_TARGET_S, HARVEST_TARGET_RATIO = 1.0, 5.0
_FRONT_MATTER = re.compile(r"^\s*---\n([\S\s]*?)\n---[ \t]*(?:\n|$)")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _checkout_env() -> dict[str, str]:
    """The environment of a child that imports this checkout's auditor (not an installed one) and
    may write its bytecode cache, as an installed package has one."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    return env


def release_run(size: int, seed: int, repeat: int) -> str:
    """`python -m auditor audit` of the cards of a `size`-asset lineage, in fresh processes: wall
    and CPU seconds per run, after a warm-up run that leaves the bytecode cache behind."""
    env = _checkout_env()
    with tempfile.TemporaryDirectory(prefix="mlaudit-bench-release-") as tmp:
        cards, out = Path(tmp) / "release", Path(tmp) / "out"
        write_cards(Lineage(size, seed).build(), cards)
        command = [sys.executable, "-m", "auditor", "audit", str(cards), "--out", str(out), "--fail-on", "never"]
        walls, cpus, load = [], [], os.getloadavg()[0]
        for n in range(repeat + 1):
            cpu, start = _child_cpu(), time.perf_counter()
            subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
            if n:  # the first run is the warm-up
                walls.append(time.perf_counter() - start)
                cpus.append(_child_cpu() - cpu)
        sizes = {name: (out / name).stat().st_size for name in ("report.json", "report.html")}
    verdict = "met" if statistics.median(walls) <= RELEASE_TARGET_S else "MISSED"
    return (
        f"{size}-asset release, `python -m auditor audit` (report.json {sizes['report.json']:,} B, "
        f"report.html {sizes['report.html']:,} B), {repeat} runs:\n"
        f"  wall: {_spread(walls, '{:.2f} s')} (target <= {RELEASE_TARGET_S} s: {verdict})\n"
        f"  CPU (user + system): {_spread(cpus, '{:.2f} s')}\n"
        f"  load average before the runs: {load:.1f} on {os.cpu_count()} CPUs"
    )


def _spread(values: list[float], form: str) -> str:
    """Repeated measures as the benchmark prints them: least, median and most."""
    least, middle, most = (form.format(v) for v in (min(values), statistics.median(values), max(values)))
    return f"min {least}, median {middle}, max {most}"


def bare_read(root: Path) -> int:
    """The floor a card harvest is compared with: walk, read, cut the front matter, parse its YAML."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parsed = 0
    for folder, _, files in os.walk(root):
        if "README.md" in files:
            with open(os.path.join(folder, "README.md"), encoding="utf-8") as fh:
                block = _FRONT_MATTER.match(fh.read())
            if block:
                yaml.load(block.group(1), Loader=loader)  # a safe loader
                parsed += 1
    return parsed


def harvest_ratio(size: int, seed: int, repeat: int) -> str:
    """Harvest against the bare loop over the same `size` cards, alternating, in one fresh process."""
    command = [sys.executable, __file__, "--harvest-child", str(size), "--seed", str(seed), "--repeat", str(repeat)]
    return subprocess.run(command, env=_checkout_env(), stdout=subprocess.PIPE, text=True, check=True).stdout.strip()


def harvest_child(size: int, seed: int, repeat: int) -> str:
    from auditor import audit
    from auditor.harvest import harvest

    with tempfile.TemporaryDirectory(prefix="mlaudit-bench-harvest-") as tmp:
        root = Path(tmp).resolve()
        write_cards(Lineage(size, seed).build(), root)
        bare_read(root)  # the files in the page cache for both
        bares, harvests = [], []
        for _ in range(repeat):
            start = time.process_time()
            bare_read(root)
            bares.append(time.process_time() - start)
            start = time.process_time()
            with audit.no_cycle_collection():
                records = len(harvest(root).records)
            harvests.append(time.process_time() - start)
    ratios = [h / b for h, b in zip(harvests, bares, strict=True)]
    verdict = "met" if statistics.median(ratios) <= HARVEST_TARGET_RATIO else "MISSED"
    return (
        f"harvest of {size:,} cards ({records:,} records) vs a bare read + YAML loop (PyYAML "
        f"{'libyaml' if 'CSafeLoader' in dir(__import__('yaml')) else 'pure-Python'} loader), {repeat} rounds, CPU s:\n"
        f"  bare: {', '.join(f'{b:.2f}' for b in bares)}\n"
        f"  harvest: {', '.join(f'{h:.2f}' for h in harvests)}\n"
        f"  ratio: {_spread(ratios, '{:.1f}x')} "
        f"(target <= {HARVEST_TARGET_RATIO:.0f}x: {verdict}); {1000 * min(harvests) / size:.2f} ms a card\n"
        f"  load average after the rounds: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="numbers of assets (default: 10000 100000)"
    )
    parser.add_argument(
        "--disk",
        action="store_true",
        help=f"also run on disk for sizes over {DISK_BY_DEFAULT_UP_TO:,} (writes that many files)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="also print every run's raw measurements as JSON")
    parser.add_argument("--check", action="store_true", help="verify in-memory records equal harvested ones")
    parser.add_argument(
        "--engines",
        type=int,
        nargs="+",
        metavar="SIZE",
        help="instead: time the reasoning on clingo and on pyDatalog at these sizes",
    )
    parser.add_argument(
        "--cycles",
        type=int,
        nargs="+",
        metavar="N",
        help="instead: time the reasoning on clingo and on pyDatalog on lineage cycles of N assets",
    )
    parser.add_argument("--release", type=int, metavar="N", help="instead: time `mlaudit audit` of an N-card release")
    parser.add_argument(
        "--harvest-ratio", type=int, metavar="N", help="instead: harvest of N cards vs a bare read + YAML loop"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs (--release) or rounds (--harvest-ratio)")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--harvest-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.harvest_child:
        print(harvest_child(args.harvest_child, args.seed, args.repeat))
        return 0
    if args.release or args.harvest_ratio:
        if args.release:
            print(release_run(args.release, args.seed, args.repeat), flush=True)
        if args.harvest_ratio:
            print(harvest_ratio(args.harvest_ratio, args.seed, args.repeat))
        return 0
    if args.check:
        return check(args.seed)
    if args.engines:
        print(engine_timings(args.engines, args.seed))
        return 0
    if args.cycles:
        print(cycle_timings(args.cycles))
        return 0
    if args.child:
        print(json.dumps(run_once(int(args.child[0]), args.child[1], args.seed)))
        return 0
    runs = []
    for size in args.sizes:
        runs.append(run_in_subprocess(size, "in-memory", args.seed))
        if args.disk or size <= DISK_BY_DEFAULT_UP_TO:
            runs.append(run_in_subprocess(size, "on-disk", args.seed))
    print(table(runs) + "\n\n" + notes(runs))
    if args.json:
        print(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
