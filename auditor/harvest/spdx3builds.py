"""SPDX 3 Build elements as lineage: each output of a build comes from each of its inputs.

SPDX 3.0.1 hasInput: "The from Build element consumes each to Element as an input"; hasOutput: "The
from Build element generates each to Element as an output". The Build profile records a training run
as it records a software build, so a model output from a dataset input was trained on it
(spdx.lineage_relation, code `built`).
"""

from __future__ import annotations

from typing import NamedTuple

from auditor.harvest.spdx3graph import Graph, as_list, short_name
from auditor.model import Evidence

RELATIONSHIPS = frozenset({"Relationship", "LifecycleScopedRelationship"})
_SIDES = frozenset({"hasInput", "hasOutput"})


class Built(NamedTuple):
    """One output of a build and one of its inputs, with the input's evidence."""

    output: str
    source: str
    evidence: Evidence
    basis: str


def built(graph: Graph) -> list[Built]:
    """Every (output, input) pair of every Build the document's hasInput and hasOutput name."""
    sides: dict[tuple[str, str], list[tuple[str, Evidence]]] = {}
    for pointer, element in graph.elements:
        kind, build = short_name(element.get("relationshipType")), element.get("from")
        if element.get("type") not in RELATIONSHIPS or kind not in _SIDES or not isinstance(build, str):
            continue
        for i, target in enumerate(as_list(element.get("to"))):
            if isinstance(target, str):
                evidence = graph.evidence(graph.at(pointer, "to", i), element.get("spdxId"))
                sides.setdefault((build, kind), []).append((target, evidence))
    return [
        Built(output, source, evidence, f"declared by build {build}: hasInput {source}, hasOutput {output}")
        for (build, kind), outputs in sides.items()
        if kind == "hasOutput"
        for output, _ in outputs
        for source, evidence in sides.get((build, "hasInput"), [])
    ]
