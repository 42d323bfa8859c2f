"""Hugging Face model and dataset cards: README.md with YAML front matter and Markdown sections."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from auditor.harvest import modelfolder
from auditor.harvest.layout import Ev, Placement
from auditor.identity import hub_id, looks_like_hub_id, pinned
from auditor.model import AssetRecord, Evidence, LicenseStatement, Problem, Reference, Statement
from auditor.naming import asset_key
from auditor.readers import frontmatter, markdown, safejson
from auditor.readers.text import read_text
from auditor.readers.values import JSON, shorten
from auditor.vocabulary import HUB_RELATIONS

FORMAT = "hf-card"
RANK = 0
PINNABLE = False
HUB_LAYOUT = True
IN_FOLDER = True

CardReport = Callable[..., None]  # problem(code, message, pointer="", line=None): one problem met
DATASET_FIELDS = frozenset(
    {
        "size_categories",
        "task_categories",
        "task_ids",
        "source_datasets",
        "configs",
        "dataset_info",
        "annotations_creators",
        "language_creators",
        "multilinguality",
        "paperswithcode_id",
    }
)
QUANTIZED_TAGS = frozenset({"gguf", "gptq", "awq", "exl2", "quantized", "4-bit", "8-bit", "bitsandbytes"})
# What makes the Hub read a card as a merge besides several base models: mergekit's tags and library.
MERGE_TAGS = frozenset({"merge", "mergekit"})
MAX_MERGED = 32  # model ids read from one card's merge configuration: bounds the upstreams a card adds
_FENCE = re.compile(r"^\s*(```|~~~)")
_MERGE_METHOD = re.compile(r"^\s*merge_method\s*:", re.I)
_MERGED_MODEL = re.compile(r"^\s*(?:-\s*)?(?:model|base_model)\s*:\s*['\"]?([^\s'\"#]+)['\"]?\s*(?:#.*)?$")


@dataclass(frozen=True)
class Beside:
    """What the files beside a card say of its relation to its base, which the Hub reads too: an
    adapter_config.json (an adapter), the quantization method of its config.json (a quantized copy)."""

    adapter: bool = False
    quant_method: str | None = None

    @classmethod
    def of(cls, folder: Path) -> Beside:
        """What the files in the card's `folder` say."""
        return cls((folder / "adapter_config.json").is_file(), _quant_method(folder / "config.json"))


def _quant_method(config: Path) -> str | None:
    """The quantization method a config.json names, or None (also for one that cannot be read: the
    model folder's reader reports it)."""
    try:
        data = safejson.load(config) if config.is_file() else None
    except (safejson.JSONRefused, OSError):
        return None
    return modelfolder.quant_method(data) if isinstance(data, dict) else None


def read_card(path: Path, rel: str, place: Placement) -> tuple[AssetRecord, list[Problem]]:
    """One card file -> the record of the asset it describes, and the problems met reading it."""
    record = AssetRecord(
        id=place.asset_id or rel,
        kind=place.kind or "model",
        source=rel,
        revision=place.revision,
        format=FORMAT,
        kind_basis="layout" if place.kind else "default",
    )
    problems: list[Problem] = []

    def problem(code: str, message: str, pointer: str = "", line: int | None = None) -> None:
        problems.append(Problem(code, message, Evidence(rel, pointer, line)))

    text, error = read_text(path)
    if error:
        problem(*error)
        record.has_metadata = False
        return _keyed(record, problems)
    meta, body, body_line = _split(text, record, problem)
    record.sections = markdown.sections(body, body_line, rel)
    if len(body) > markdown.MAX_BODY:
        problem(
            "truncated",
            f"card body is {len(body) // 1024} KB; sections are read from its first "
            f"{markdown.MAX_BODY // 1024} KB only",
            "body",
        )
    record.text = body
    record.body_licenses = [
        LicenseStatement(name, where, link=link, link_evidence=where if link else None)
        for name, link, line, shape in markdown.stated_licenses(body, body_line)
        for where in [Evidence(rel, f"card body ({shape})", line)]
    ]
    if meta is not None:
        _read_metadata(record, meta, path.parent, problem, _merged_models(body, body_line))
    return _keyed(record, problems)


def _split(text: str, record: AssetRecord, problem: CardReport) -> tuple[frontmatter.FrontMatter | None, str, int]:
    """The card's metadata (None: none usable), its body and the body's first line."""
    try:
        source, fm_line, body, body_line = frontmatter.split(text)
        meta = frontmatter.parse(source, fm_line) if source is not None else None
    except frontmatter.FrontMatterError as exc:
        problem("bad-front-matter", str(exc), "front matter", exc.line)
        record.has_metadata = False
        return None, text, 1
    if meta is None:
        record.has_metadata = False
    for pointer, line in meta.duplicates if meta else []:
        problem("duplicate-key", f"field '{pointer}' is given twice; the last value is used", pointer, line)
    return meta, body, body_line


def _keyed(record: AssetRecord, problems: list[Problem]) -> tuple[AssetRecord, list[Problem]]:
    key = asset_key(record.kind, record.id)
    return record, [Problem(p.code, p.message, p.evidence, key) for p in problems]


def _read_metadata(
    record: AssetRecord, meta: frontmatter.FrontMatter, folder: Path, problem: CardReport, merged: list[tuple[str, int]]
) -> None:
    ev: Ev = lambda pointer: Evidence(record.source, pointer, meta.line(pointer))  # noqa: E731
    merge_config = [(m, Evidence(record.source, "merge configuration", line)) for m, line in merged]
    read_fields(record, meta.data, ev, problem, Beside.of(folder), merge_config)


def read_fields(
    record: AssetRecord,
    data: dict[str, JSON],
    ev: Ev,
    problem: CardReport,
    beside: Beside = Beside(),
    merged: list[tuple[str, Evidence]] | None = None,
) -> None:
    """What card metadata says about its asset (kind, licenses, upstream, fields), read into
    `record`: from a card's front matter, or from the card data of a Hub API record (hubtable).
    `beside`: what the files beside the card say; `merged`: the models of a merge configuration in
    the card's body, with where each is named."""
    if record.kind_basis == "default":  # neither the layout nor the record says
        dataset_fields = sorted(DATASET_FIELDS & data.keys())
        if dataset_fields:
            record.kind, record.kind_basis = "dataset", f"dataset-card field {dataset_fields[0]}"
        else:
            record.kind_basis = "no dataset-card fields"
    record.licenses = _licenses(data, ev, problem)
    record.references = (
        _bases(data, ev, beside, problem, merged or [])
        + _listed(data, "datasets", "trained_on", ev, problem)
        + _source_datasets(data, ev, problem)
        + _evaluations(data, ev, problem)
    )
    record.statements = [
        Statement(key, _summary(value), ev(key)) for key, value in data.items() if value not in (None, "", [], {})
    ]


def _summary(value: JSON) -> str:
    """A metadata value as short text: lists joined, mappings by their keys."""
    if isinstance(value, list):
        text = ", ".join(_summary(v) for v in value)
    elif isinstance(value, dict):
        text = "{" + ", ".join(map(str, value)) + "}"
    else:
        text = str(value)
    return text[:200]


def _strings(data: dict[str, JSON], key: str, ev: Ev, problem: CardReport) -> list[tuple[str, str]]:
    """A field that may be a string or a list of strings, as (value, pointer) pairs."""
    value = data.get(key)
    if value is None:
        return []
    items = [(value, key)] if not isinstance(value, list) else [(v, f"{key}[{i}]") for i, v in enumerate(value)]
    found = []
    for item, pointer in items:
        if isinstance(item, str) and item.strip():
            found.append((item.strip(), pointer))
        elif item is not None:
            problem(
                "bad-field", f"'{pointer}' should be a string, found {type(item).__name__}", pointer, ev(pointer).line
            )
    return found


def _licenses(data: dict[str, JSON], ev: Ev, problem: CardReport) -> list[LicenseStatement]:
    """The card's license statements. license_name and license_link name the same license as a single
    `license:` value (the Hub's form for `other`), so they travel with it and every one is tried."""
    name = data.get("license_name") if isinstance(data.get("license_name"), str) else None
    link = data.get("license_link") if isinstance(data.get("license_link"), str) else None
    found = _strings(data, "license", ev, problem) + _strings(data, "licenses", ev, problem)
    name_ev, link_ev = ev("license_name") if name else None, ev("license_link") if link else None
    statements = [
        LicenseStatement(raw, ev(pointer), name, link, name_ev, link_ev)
        if len(found) == 1 or raw.lower() == "other"
        else LicenseStatement(raw, ev(pointer))
        for raw, pointer in found
    ]
    if not statements and (name or link):
        where = ev("license_name" if name else "license_link")
        statements.append(LicenseStatement(None, where, name, link, name_ev, link_ev))
    return statements


def _hub_ids(data: dict[str, JSON], key: str, ev: Ev, problem: CardReport) -> list[tuple[str, str, str | None]]:
    """(Hub id, pointer, pinned revision) of each entry of a field naming Hub repositories. A Hub
    URL names its repository (and a revision, if it points into one), `org/name@rev` a repository at
    a revision; prose, local paths and other URLs name none and are flagged, not followed."""
    found = []
    for value, pointer in _strings(data, key, ev, problem):
        target, revision = pinned(value)
        named = _hub_target(target, pointer, ev, problem)
        if named:
            found.append((named, pointer, revision))
    return found


def _hub_target(value: str, pointer: str, ev: Ev, problem: CardReport) -> str | None:
    """The Hub id one entry names (a Hub URL names its repository), or None, flagged, for prose,
    a local path or a URL outside the Hub."""
    on_hub = hub_id("url", value)
    named = on_hub[1] if on_hub else ("" if "://" in value else value)
    if looks_like_hub_id(named):
        return named
    problem(
        "bad-field",
        f"'{pointer}' is not a Hub id ('{shorten(value)}' is prose, a local path "
        "or a URL outside the Hub); not followed as an upstream",
        pointer,
        ev(pointer).line,
    )
    return None


def _bases(
    data: dict[str, JSON], ev: Ev, beside: Beside, problem: CardReport, merged: list[tuple[str, Evidence]]
) -> list[Reference]:
    """The base models: those of base_model, and those of a merge configuration in the body (a
    mergekit card often names one base in its front matter and merges several), once each; the
    relation declared, else the one the card's `base_model:<relation>:` tag states, else inferred."""
    bases = [(target, ev(pointer), rev) for target, pointer, rev in _hub_ids(data, "base_model", ev, problem)]
    named = {target.lower() for target, _, _ in bases}
    bases += [(model, evidence, None) for model, evidence in merged if model.lower() not in named]
    declared = data.get("base_model_relation")
    if isinstance(declared, str) and declared.strip().lower() in HUB_RELATIONS:
        relation, basis = declared.strip().lower(), "declared in base_model_relation"
    else:
        if declared is not None:
            problem(
                "bad-field",
                f"base_model_relation '{declared}' is not one of "
                f"{', '.join(sorted(HUB_RELATIONS))}; the relation is inferred instead",
                "base_model_relation",
                ev("base_model_relation").line,
            )
        relation, basis = _infer_relation(data, bases, bool(merged), beside)
    references = [Reference(t, "model", relation, evidence, basis, revision=rev) for t, evidence, rev in bases]
    stated = tag_relations(_tags(data))
    return [tagged(reference, stated, "the card's") for reference in references]


def _tags(data: dict[str, JSON]) -> list[str]:
    """The card's tags, in place (one that is not a string as empty)."""
    tags = data.get("tags")
    return [t if isinstance(t, str) else "" for t in tags] if isinstance(tags, list) else []


def base_model_tag(tag: str) -> tuple[str, str | None] | None:
    """(base model, the relation it states or None) of a `base_model:org/x` or
    `base_model:<relation>:org/x` tag, which the Hub computes (with the relation it inferred) and
    cards often copy; None for another tag."""
    prefix, _, value = tag.partition(":")
    if prefix != "base_model" or not value:
        return None
    relation, _, target = value.partition(":")
    return (target, relation) if relation in HUB_RELATIONS and target else (value, None)


def tag_relations(tags: list[str]) -> dict[str, tuple[str, str]]:
    """base model (lowercase) -> (relation, pointer of its first tag) that `base_model:<relation>:` tags state."""
    stated: dict[str, tuple[str, str]] = {}
    for i, tag in enumerate(tags):
        named = base_model_tag(tag)
        if named and named[1]:
            stated.setdefault(named[0].lower(), (named[1], f"tags[{i}]"))
    return stated


def tagged(reference: Reference, stated: dict[str, tuple[str, str]], whose: str) -> Reference:
    """A base model's relation as `whose` tag states it (`stated`: tag_relations), over mlaudit's
    inference, unless base_model_relation declares one."""
    found = stated.get(reference.target.lower())
    if reference.kind != "model" or found is None or reference.basis.startswith("declared"):
        return reference
    relation, pointer = found
    basis = f"{whose} tag base_model:{relation} ({pointer})"
    return Reference(
        reference.target, "model", relation, reference.evidence, basis, reference.scheme, reference.revision
    )


def _infer_relation(
    data: dict[str, JSON], bases: list[tuple[str, Evidence, str | None]], merge_config: bool, beside: Beside
) -> tuple[str, str]:
    """The Hub's inference when base_model_relation is absent, in its order: adapter files, then
    merge signs, then quantization signs, else a fine-tune."""
    tags = {t.lower() for t in _tags(data)}
    library = str(data.get("library_name") or "").lower()
    if library == "peft" or beside.adapter:
        return "adapter", "inferred: PEFT adapter (library_name peft or adapter_config.json)"
    if len(bases) > 1:
        return "merge", "inferred: several base models"
    merged = (
        ["a merge configuration"]
        if merge_config
        else sorted(tags & MERGE_TAGS) or ([library] if library in MERGE_TAGS else [])
    )
    if merged:
        return "merge", f"inferred: {merged[0] if merge_config else 'merge tag ' + merged[0]}"
    quantized = sorted(tags & QUANTIZED_TAGS) or ([library] if library in QUANTIZED_TAGS else [])
    if quantized:
        return "quantized", f"inferred: quantization tag {quantized[0]}"
    if beside.quant_method:
        return "quantized", f"inferred: config.json quantization_config ({beside.quant_method})"
    return "finetune", "inferred: single base model"


def _merged_models(body: str, body_line: int) -> list[tuple[str, int]]:
    """(Hub id, line) of the models a merge configuration in the body names: a fenced block with a
    merge_method, as mergekit writes into the cards it makes. One pass over the lines, at most
    MAX_MERGED ids."""
    found: list[tuple[str, int]] = []
    block: list[tuple[str, int]] | None = None
    in_merge, text = False, body[: markdown.MAX_BODY]
    if "```" not in text and "~~~" not in text:
        return []  # no fenced block, no merge configuration (most cards)
    for number, line in enumerate(text.splitlines(), body_line):
        if _FENCE.match(line):
            if block is not None and in_merge:
                found += block
            block, in_merge = ([] if block is None else None), False
        elif block is not None:
            in_merge = in_merge or bool(_MERGE_METHOD.match(line))
            model = _MERGED_MODEL.match(line)
            if model and looks_like_hub_id(model.group(1)):
                block.append((model.group(1), number))
    first: dict[str, tuple[str, int]] = {}
    for merged, number in found:
        first.setdefault(merged.lower(), (merged, number))
    return list(first.values())[:MAX_MERGED]


def _listed(data: dict[str, JSON], key: str, relation: str, ev: Ev, problem: CardReport) -> list[Reference]:
    return [Reference(t, "dataset", relation, ev(p), revision=r) for t, p, r in _hub_ids(data, key, ev, problem)]


def _source_datasets(data: dict[str, JSON], ev: Ev, problem: CardReport) -> list[Reference]:
    refs = []
    for value, pointer in _strings(data, "source_datasets", ev, problem):
        target = value.split("|", 1)[1].strip() if value.lower().startswith("extended|") else value
        if target.lower() not in ("original", "extended", "") and (named := _hub_target(target, pointer, ev, problem)):
            refs.append(Reference(named, "dataset", "derived_from", ev(pointer)))
    return refs


def _evaluations(data: dict[str, JSON], ev: Ev, problem: CardReport) -> list[Reference]:
    index = data.get("model-index")
    if index is None:
        return []
    if not isinstance(index, list):
        problem("bad-field", "'model-index' should be a list", "model-index", ev("model-index").line)
        return []
    refs, seen = [], set()
    for i, entry in enumerate(index):
        results = entry.get("results") if isinstance(entry, dict) else None
        for j, result in enumerate(results if isinstance(results, list) else []):
            dataset = result.get("dataset") if isinstance(result, dict) else None
            target = dataset.get("type") if isinstance(dataset, dict) else None
            pointer = f"model-index[{i}].results[{j}].dataset.type"
            if isinstance(target, str) and target.strip() and target.strip().lower() not in seen:
                seen.add(target.strip().lower())
                if named := _hub_target(target.strip(), pointer, ev, problem):
                    refs.append(Reference(named, "dataset", "evaluated_on", ev(pointer)))
    return refs
