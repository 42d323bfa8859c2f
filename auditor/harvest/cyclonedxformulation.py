"""CycloneDX formulation: what a workflow or task made, and from what.

CycloneDX 1.5+ `formulation` "describes how something was manufactured or deployed ... Common
examples include software build pipelines, deployment processes, AI/ML model training". A workflow
or task consumes its `inputs` and produces its `outputs`, so each output component comes from each
input component: a model from the data of its training task is trained on it, anything else is
derived from its inputs (spdx.lineage_relation, code `built`). What names no component here is told.
"""

from __future__ import annotations

from auditor.harvest.cyclonedxwalk import Walk
from auditor.harvest.spdx import lineage_relation
from auditor.model import UNPLACED, UNREAD_ENTRY
from auditor.readers.values import JSON, object_at

BASIS = "declared in formulation: an input of the workflow or task that outputs it"


def formulation(walk: Walk) -> None:
    """Links from the outputs to the inputs of every workflow and task of every formula."""
    for i, formula in walk.array(walk.doc.data, "formulation", "", UNREAD_ENTRY):
        if not isinstance(formula, dict):
            continue
        for j, workflow in walk.array(formula, "workflows", f"/formulation/{i}", UNREAD_ENTRY):
            if isinstance(workflow, dict):
                where = f"/formulation/{i}/workflows/{j}"
                _made(walk, workflow, where)
                for k, task in walk.array(workflow, "tasks", where, UNREAD_ENTRY):
                    if isinstance(task, dict):
                        _made(walk, task, f"{where}/tasks/{k}")


def _made(walk: Walk, step: dict[str, JSON], pointer: str) -> None:
    inputs = _resources(walk, step, "inputs", pointer)
    for ref, at in _resources(walk, step, "outputs", pointer):
        output = walk.bom_refs.get(ref)
        if output is None or output[1] is None:
            walk.problem(UNPLACED, f"formulation output '{ref}' names no component in this BOM: not read", at)
            continue
        for source, where in inputs:
            found = walk.bom_refs.get(source)
            if found is None or found[1] is None:
                unread = f"formulation input '{source}' names no component in this BOM: not read"
                walk.problem(UNREAD_ENTRY, unread, where)
                continue
            relation = lineage_relation("built", output[1].kind, found[1].kind)
            walk.link(output[1], found[1], relation, where, BASIS)


def _resources(walk: Walk, step: dict[str, JSON], key: str, pointer: str) -> list[tuple[str, str]]:
    """(bom-ref, pointer) of each input or output resource given by ref; any other is told."""
    found = []
    for i, item in walk.array(step, key, pointer, UNREAD_ENTRY):
        where = f"{pointer}/{key}/{i}"
        ref = object_at(item, "resource").get("ref") if isinstance(item, dict) else None
        if isinstance(ref, str) and ref:
            found.append((ref, f"{where}/resource/ref"))
        elif isinstance(item, dict) and "resource" in item:
            walk.problem(UNPLACED, f"formulation {key[:-1]} {i} names its resource by no bom-ref: not read", where)
    return found
