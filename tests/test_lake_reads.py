"""What a lake reads back from DuckDB (auditor/sqlengine.py read with `only`): the predicates the
lake names and none of the others, each atom as clingo derives it, every value of the same kind (a
constant stays a constant, a function term a tuple, a row its predicate's row type)."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import FIXTURES, RB

from auditor import facts, lake, reasoning
from auditor.asptext import Constant

LAKES = sorted(p for p in (FIXTURES / "lakes").iterdir() if p.is_dir())


def _kinds(rows: list) -> Counter:
    """Rows with their type and each value's type beside it: "x" and the constant x differ."""
    return Counter((type(row), tuple((type(v), v) for v in row)) for row in rows)


@pytest.mark.parametrize("root", LAKES, ids=lambda p: p.name)
def test_a_lake_reads_back_only_what_it_names_as_clingo_gives_it(root):
    loaded = lake.load(root, frozenset(), RB, engine="duckdb")
    fb = facts.encode(loaded.graph, loaded.settings, RB, lake=True)
    whole = reasoning.reason("duckdb", loaded.files, fb).atoms
    read = reasoning.reason("duckdb", loaded.files, fb, lake.READS).atoms
    by_clingo = reasoning.reason("clingo", loaded.files, fb).atoms
    assert set(read) - {"chosen"} == {name for name in lake.READS if whole.get(name)}
    assert set(whole) - set(read), "the fixture derives atoms a lake does not read"
    for name in lake.READS:
        assert _kinds(read.get(name, [])) == _kinds(by_clingo.get(name, [])), name
    assert any(isinstance(v, Constant) for row in read["because"] for v in row[-1]), "no constant was read"
