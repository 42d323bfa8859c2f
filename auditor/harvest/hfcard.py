"""Hugging Face model and dataset cards: README.md with YAML front matter and Markdown sections."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from auditor.harvest import hubrelation
from auditor.harvest.layout import Ev, Placement
from auditor.identity import hub_id, looks_like_hub_id, pinned
from auditor.model import (
    UNREAD_ENTRY,
    AssetRecord,
    Evidence,
    LicenseStatement,
    Problem,
    Reference,
    Statement,
    path_keys,
    twice_told,
)
from auditor.naming import asset_key
from auditor.readers import frontmatter, markdown, placeholders
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
        "pretty_name",
        "viewer",
    }
)
# The fields stating the asset's license or lineage (a model-index result's dataset: evaluated_on);
# a key given twice inside one leaves them unknown (model.twice_told).
TERMS_FIELDS = frozenset(
    {"license", "licenses", "license_name", "license_link", "base_model", "base_model_relation"}
    | {"datasets", "source_datasets", "dataset"}
)
# The part of a field's value that documents what the field is for: a model-index with no results
# (the Trainer's default) documents no evaluation, a co2_eq_emissions without emissions no impact.
SAID_BY = {"model-index": "results", "co2_eq_emissions": "emissions"}


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
        _read_metadata(record, meta, path.parent, problem, hubrelation.merged_models(body, body_line))
    return _keyed(record, problems)


def _split(text: str, record: AssetRecord, problem: CardReport) -> tuple[frontmatter.FrontMatter | None, str, int]:
    """The card's metadata (None: none usable), its body and the body's first line: the text after
    the front matter even when the front matter is refused, the whole text when it is never closed."""
    source, fm_line, body, body_line = None, 0, text, 1
    try:
        source, fm_line, body, body_line = frontmatter.split(text)
        meta = frontmatter.parse(source, fm_line) if source is not None else None
    except frontmatter.FrontMatterError as exc:  # a block there, but broken: INP001 says how, not DOC002
        problem("bad-front-matter", str(exc), "front matter", exc.line)
        return None, body, body_line
    if meta is None:
        record.has_metadata = False
    for pointer, line in meta.duplicates if meta else []:
        problem(*twice_told(pointer, path_keys(pointer), TERMS_FIELDS), pointer, line)
    return meta, body, body_line


def _keyed(record: AssetRecord, problems: list[Problem]) -> tuple[AssetRecord, list[Problem]]:
    key = asset_key(record.kind, record.id)
    return record, [Problem(p.code, p.message, p.evidence, key) for p in problems]


def _read_metadata(
    record: AssetRecord, meta: frontmatter.FrontMatter, folder: Path, problem: CardReport, merged: list[tuple[str, int]]
) -> None:
    ev: Ev = lambda pointer: Evidence(record.source, pointer, meta.line(pointer))  # noqa: E731
    merge_config = [(m, Evidence(record.source, "merge configuration", line)) for m, line in merged]
    read_fields(record, meta.data, ev, problem, hubrelation.Beside.of(folder), merge_config)


def read_fields(
    record: AssetRecord,
    data: dict[str, JSON],
    ev: Ev,
    problem: CardReport,
    beside: hubrelation.Beside = hubrelation.NOTHING_BESIDE,
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
    trained_on = _listed(data, "datasets", "trained_on", ev, problem)
    record.references = (
        _bases(data, ev, beside, problem, merged or [])
        + trained_on
        + _source_datasets(data, ev, problem)
        + _evaluations(data, ev, problem)
    )
    record.statements = [
        Statement(key, _summary(value), ev(key))
        for key, value in data.items()
        if (bool(trained_on) if key == "datasets" else _says(key, value))
    ]


def _says(key: str, value: JSON) -> bool:
    """Whether a metadata value says anything: a placeholder ("TBD", "[More Information Needed]") or
    an empty value, however nested, says nothing, and a field of SAID_BY says only by its part.
    (`datasets` says what it names: an entry that is no Hub id is flagged and names nothing.)"""
    if key in SAID_BY and isinstance(value, dict | list):
        entries = value if isinstance(value, list) else [value]
        return any(isinstance(e, dict) and _filled(e.get(SAID_BY[key])) for e in entries)
    return _filled(value)


def _filled(value: JSON) -> bool:
    if isinstance(value, str):
        return placeholders.says(value)
    if isinstance(value, dict):
        return any(map(_filled, value.values()))
    if isinstance(value, list):
        return any(map(_filled, value))
    return value is not None


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
    """A field that may be a string or a list of strings, as (value, pointer) pairs. Each such field
    carries lineage or license: an entry of another shape is unread, which fails the gate."""
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
                UNREAD_ENTRY, f"'{pointer}' should be a string, found {type(item).__name__}", pointer, ev(pointer).line
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
    """The Hub id one entry names (a Hub URL names its repository), or None, flagged, for prose
    (a placeholder such as "TBD" too), a local path or a URL outside the Hub."""
    on_hub = hub_id("url", value) if _url_like(value) else None
    named = on_hub[1] if on_hub else ("" if "://" in value else value)
    if looks_like_hub_id(named) and placeholders.says(named):
        return named
    problem(
        "bad-field",
        f"'{pointer}' is not a Hub id ('{shorten(value)}' is prose, a local path "
        "or a URL outside the Hub); not followed as an upstream",
        pointer,
        ev(pointer).line,
    )
    return None


def _url_like(value: str) -> bool:
    """Whether an entry may be a URL, with or without its scheme (`huggingface.co/org/x`): a Hub
    id's owner holds no dot, a host does. Most entries are Hub ids, which need no URL parse."""
    return "://" in value or "." in value.partition("/")[0]


def _bases(
    data: dict[str, JSON], ev: Ev, beside: hubrelation.Beside, problem: CardReport, merged: list[tuple[str, Evidence]]
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
        relation, basis = hubrelation.inferred(data, bases, bool(merged), beside)
    references = [Reference(t, "model", relation, evidence, basis, revision=rev) for t, evidence, rev in bases]
    stated = hubrelation.tag_relations(hubrelation.tags(data))
    return [hubrelation.tagged(reference, stated, "the card's") for reference in references]


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
    """The datasets a model-index's results were evaluated on (evaluated_on), once each. An entry of
    another shape may name one, so it is unread (INP001); a result naming no dataset id, or with
    metrics of another shape, is told: nothing is passed over silently."""
    refs, seen = [], set()
    for result, pointer in _results(data, ev, problem):
        _check_metrics(result.get("metrics"), f"{pointer}.metrics", ev, problem)
        target = _dataset_type(result, pointer, ev, problem)
        if target and target.lower() not in seen:
            seen.add(target.lower())
            if named := _hub_target(target, f"{pointer}.dataset.type", ev, problem):
                refs.append(Reference(named, "dataset", "evaluated_on", ev(f"{pointer}.dataset.type")))
    return refs


def _results(data: dict[str, JSON], ev: Ev, problem: CardReport) -> list[tuple[dict[str, JSON], str]]:
    """Each result of the model-index, with its pointer; an entry or result of another shape, unread."""
    found: list[tuple[dict[str, JSON], str]] = []
    for entry, pointer in _items(data.get("model-index"), "model-index", ev, problem):
        if not isinstance(entry, dict):
            _shape(pointer, "a mapping", entry, ev, problem)
            continue
        for result, at in _items(entry.get("results"), f"{pointer}.results", ev, problem):
            if isinstance(result, dict):
                found.append((result, at))
            else:
                _shape(at, "a mapping", result, ev, problem)
    return found


def _dataset_type(result: dict[str, JSON], pointer: str, ev: Ev, problem: CardReport) -> str | None:
    """The Hub id a result's dataset names (its `type`); a result naming none is told, a dataset or
    type of another shape unread."""
    dataset = result.get("dataset")
    target = dataset.get("type") if isinstance(dataset, dict) else None
    if isinstance(target, str) and target.strip():
        return target.strip()
    if dataset is not None and not isinstance(dataset, dict):
        _shape(f"{pointer}.dataset", "a mapping", dataset, ev, problem)
    elif target is not None and not isinstance(target, str):
        _shape(f"{pointer}.dataset.type", "a string", target, ev, problem)
    else:
        where = f"{pointer}.dataset" if dataset is not None else pointer
        told = "gives no 'type'" if dataset is not None else "names no 'dataset'"
        problem("bad-field", f"'{where}' {told}: the evaluation data is not known", where, ev(where).line)
    return None


def _check_metrics(metrics: JSON, pointer: str, ev: Ev, problem: CardReport) -> None:
    """Metrics name no upstream: one of another shape than the card spec's is told, not unread."""
    for metric, at in _items(metrics, pointer, ev, problem, "bad-field"):
        if not (isinstance(metric, dict) and isinstance(metric.get("type"), str) and "value" in metric):
            _shape(at, "a mapping with a 'type' and a 'value'", metric, ev, problem, "bad-field")


def _items(value: JSON, pointer: str, ev: Ev, problem: CardReport, code: str = UNREAD_ENTRY) -> list[tuple[JSON, str]]:
    """The items of a list of the model-index with their pointers: none for None, and for a value of
    another shape, told with `code`."""
    if isinstance(value, list):
        return [(item, f"{pointer}[{i}]") for i, item in enumerate(value)]
    if value is not None:
        _shape(pointer, "a list", value, ev, problem, code)
    return []


def _shape(pointer: str, expected: str, found: JSON, ev: Ev, problem: CardReport, code: str = UNREAD_ENTRY) -> None:
    """An entry of the model-index of another shape than `expected`: unread (it may name evaluation
    data), or told with `code`."""
    problem(code, f"'{pointer}' should be {expected}, found {type(found).__name__}", pointer, ev(pointer).line)
