"""A card's model-index: the datasets its results were evaluated on, and every entry of another
shape than the card spec's told (an entry that may name evaluation data is unread, INP001; a result
naming no dataset id, or with metrics of another shape, is told): nothing is passed over silently."""

from __future__ import annotations

from auditor.harvest.layout import CardReport, Ev
from auditor.model import UNREAD_ENTRY
from auditor.readers.values import JSON


def evaluated_on(data: dict[str, JSON], ev: Ev, problem: CardReport) -> list[tuple[str, str]]:
    """Each dataset id the results name, once (ignoring case), with the pointer to its `type`."""
    found, seen = [], set()
    for result, pointer in _results(data, ev, problem):
        _check_metrics(result.get("metrics"), f"{pointer}.metrics", ev, problem)
        target = _dataset_type(result, pointer, ev, problem)
        if target and target.lower() not in seen:
            seen.add(target.lower())
            found.append((target, f"{pointer}.dataset.type"))
    return found


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
