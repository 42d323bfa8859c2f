"""Hugging Face model and dataset cards: README.md (or a Markdown file of another name, see
`othercards`) with YAML front matter and Markdown sections."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from auditor.harvest import hubrelation, mergeconfig, modelindex
from auditor.harvest.layout import CardReport, Ev, Placement
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
# The part of a field's value that documents what the field is for, as a path through its mappings
# (lists on the way are read entry by entry): a model-index documents an evaluation only with a
# result's metric value (the Trainer's `results: []`, a result with `metrics: []` or `value: TBD`
# names what would be measured, not a measure), a co2_eq_emissions only with emissions.
SAID_BY = {"model-index": ("results", "metrics", "value"), "co2_eq_emissions": ("emissions",)}
SAID_ALONE = frozenset({"co2_eq_emissions"})  # the spec lets it hold that part alone: `co2_eq_emissions: 149.2`


MAX_ENTRIES = 1000  # entries read of a license or lineage list: each costs a finding's work, and a list
# of tens of thousands in a 0.4 MB card kept the audit running for minutes


def read_card(path: Path, rel: str, place: Placement, text: str | None = None) -> tuple[AssetRecord, list[Problem]]:
    """One card file -> the record of the asset it describes, and the problems met reading it; `text`:
    the file's text where the caller has read it already (to tell a card of another name)."""
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

    if text is None:
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
    record.body_licenses = _body_licenses(body, body_line, rel)
    merged = _merge_config(body, body_line, problem)
    if meta is not None:
        _read_metadata(record, meta, path.parent, problem, merged)
    record.body_licenses = _own_statements(record)
    return _keyed(record, problems)


def _body_licenses(body: str, body_line: int, rel: str) -> list[LicenseStatement]:
    """The licences the card's prose states, each at its line."""
    return [
        LicenseStatement(name, where, link=link, link_evidence=where if link else None)
        for name, link, line, shape in markdown.stated_licenses(body, body_line)
        for where in [Evidence(rel, f"card body ({shape})", line)]
    ]


def _own_statements(record: AssetRecord) -> list[LicenseStatement]:
    """The body's statements about the card's asset: a model card's about its training data state
    the data's license, not the model's."""
    if record.kind != "model":
        return record.body_licenses
    return [s for s in record.body_licenses if markdown.shape_part(s.evidence.pointer) != "data"]


def _merge_config(body: str, body_line: int, problem: CardReport) -> list[mergeconfig.Parent]:
    """The parents a merge configuration in the body names, each entry it cannot read told."""
    merged, told = hubrelation.merged_models(body, body_line)
    for code, message, pointer, line in told:
        problem(code, message, f"merge configuration {pointer}".strip(), line)
    return merged


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
    record: AssetRecord,
    meta: frontmatter.FrontMatter,
    folder: Path,
    problem: CardReport,
    merged: list[mergeconfig.Parent],
) -> None:
    ev: Ev = lambda pointer: Evidence(record.source, pointer, meta.line(pointer))  # noqa: E731
    merge_config = [
        Reference(
            m.target, "model", "merge", Evidence(record.source, "merge configuration", m.line), "", m.scheme, m.revision
        )
        for m in merged
    ]
    read_fields(record, meta.data, ev, problem, hubrelation.Beside.of(folder), merge_config)


def read_fields(
    record: AssetRecord,
    data: dict[str, JSON],
    ev: Ev,
    problem: CardReport,
    beside: hubrelation.Beside = hubrelation.NOTHING_BESIDE,
    merged: list[Reference] | None = None,
) -> None:
    """What card metadata says about its asset (kind, licenses, upstream, fields), read into
    `record`: from a card's front matter, or from the card data of a Hub API record (hubtable).
    `beside`: what the files beside the card say; `merged`: the models of a merge configuration in
    the card's body (their relation and basis are the card's)."""
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
    if key in SAID_BY and (key not in SAID_ALONE or isinstance(value, dict | list)):
        return _said_at(value, SAID_BY[key])
    return _filled(value)


def _said_at(value: JSON, path: tuple[str, ...]) -> bool:
    """Whether the part of `value` at `path` says anything; a value of another shape on the way (a
    model-index the reader rejects, `results: 5`) says nothing."""
    if isinstance(value, list):
        return any(_said_at(v, path) for v in value)
    if not path:
        return _filled(value)
    return isinstance(value, dict) and _said_at(value.get(path[0]), path[1:])


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
    if isinstance(value, list) and len(value) > MAX_ENTRIES:
        told = f"'{key}' lists {len(value):,} entries, more than the {MAX_ENTRIES:,} read: the rest are not read"
        problem(UNREAD_ENTRY, told, key, ev(key).line)
        value = value[:MAX_ENTRIES]
    items = [(value, key)] if not isinstance(value, list) else [(v, f"{key}[{i}]") for i, v in enumerate(value)]
    found = []
    for item, pointer in items:
        if isinstance(item, str) and item.strip():
            found.append((item.strip(), pointer))
        elif item is not None or pointer != key:  # a null in a list is an entry left empty, as '' is
            problem(UNREAD_ENTRY, _unread_entry(pointer, item), pointer, ev(pointer).line)
    return found


def _unread_entry(pointer: str, item: JSON) -> str:
    """Why an entry of a string field is not read: empty (blank or null), or not a string."""
    if item is None or isinstance(item, str):
        return f"'{pointer}' is empty"
    return f"'{pointer}' should be a string, found {type(item).__name__}"


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
    if looks_like_hub_id(named) and placeholders.says(named) and not _YAML_VALUE.fullmatch(named):
        return named
    problem(
        "bad-field",
        f"'{pointer}' is not a Hub id ('{shorten(value)}' is prose, a local path "
        "or a URL outside the Hub); not followed as an upstream",
        pointer,
        ev(pointer).line,
    )
    return None


# A number or a boolean, as YAML writes them (`datasets: [1, true]`): a value, never a repository's name
_YAML_VALUE = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|true|false", re.I)


def _url_like(value: str) -> bool:
    """Whether an entry may be a URL, with or without its scheme (`huggingface.co/org/x`): a Hub
    id's owner holds no dot, a host does. Most entries are Hub ids, which need no URL parse."""
    return "://" in value or "." in value.partition("/")[0]


def _bases(
    data: dict[str, JSON], ev: Ev, beside: hubrelation.Beside, problem: CardReport, merged: list[Reference]
) -> list[Reference]:
    """The base models: those of base_model, and those of a merge configuration in the body (a
    mergekit card often names one base in its front matter and merges several), once each (Hub ids
    match case-insensitively); the relation declared, else the one the card's
    `base_model:<relation>:` tag states, else inferred."""
    first: dict[str, Reference] = {}
    for target, pointer, rev in _hub_ids(data, "base_model", ev, problem):
        first.setdefault(target.lower(), Reference(target, "model", "", ev(pointer), revision=rev))
    for reference in merged:
        first.setdefault(reference.target.lower(), reference)
    bases = list(first.values())
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
    references = [replace(base, relation=relation, basis=basis) for base in bases]
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
    """The datasets a model-index's results were evaluated on (evaluated_on), once each."""
    refs = []
    for target, pointer in modelindex.evaluated_on(data, ev, problem):
        if named := _hub_target(target, pointer, ev, problem):
            refs.append(Reference(named, "dataset", "evaluated_on", ev(pointer)))
    return refs
