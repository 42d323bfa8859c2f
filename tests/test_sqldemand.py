"""Demand restriction of the compiled SQL (auditor/sqldemand.py): a predicate every reader guards
is derived only for the guarded rows, and the atoms read back stay clingo's."""

from __future__ import annotations

import duckdb
import pytest

from auditor import datalog, engine, sqldemand, sqlengine

_GRAPH = """
    asset(1, model). asset(2, model). asset(3, model). asset(4, model).
    edge(1, 2, finetune). edge(2, 3, finetune). edge(4, 3, finetune).
    release(1, commercial, weights).
    cone(A) :- release(A, _, _).
    cone(P) :- cone(C), edge(C, P, _).
    parent(C, P) :- edge(C, P, _).
    seen(C) :- cone(C), parent(C, _).
    #show seen/1.
"""


def _restricted(tmp_path, program: str) -> tuple[list[datalog.Rule], dict, dict, int]:
    """The rules after restriction, clingo's and DuckDB's shown atoms, and the rows DuckDB derived for parent."""
    path = tmp_path / "program.lp"
    path.write_text(program)
    rules = sqldemand.restrict(datalog.translate([path]))
    by_clingo = {k: set(v) for k, v in engine.solve([path], "", choices=False).items() if v}
    compiled, connection = sqlengine.compiled([path]), duckdb.connect()
    sqlengine.load(connection, compiled, [], ())
    sqlengine.run(connection, compiled)
    by_duckdb = {k: set(v) for k, v in sqlengine.read(connection, compiled).items() if v}
    return rules, by_clingo, by_duckdb, connection.execute("SELECT count(*) FROM parent__2").fetchone()[0]


def test_a_predicate_read_only_beside_the_cone_is_derived_for_the_cone(tmp_path):
    rules, by_clingo, by_duckdb, rows = _restricted(tmp_path, _GRAPH)
    (parent,) = [rule for rule in rules if rule.head[0] == "parent__2"]
    assert parent.body[-1] == ("pos", "parent__2__demand0", ["C"])
    assert by_duckdb == by_clingo == {"seen": {(1,), (2,)}}
    assert rows == 2  # edge(4, 3) is outside the release's lineage: not derived


@pytest.mark.parametrize(
    "reader",
    [
        "other(C) :- parent(C, _).",  # a reader without a guard needs every row
        "#show parent/2.",  # read back: every row is an answer
        "other(C) :- asset(C, _), parent(C, _).",  # the only guard is an input table, as wide as the graph
    ],
)
def test_a_predicate_some_reader_needs_whole_is_left_whole(tmp_path, reader):
    rules, by_clingo, by_duckdb, rows = _restricted(tmp_path, _GRAPH + reader + " #show other/1.")
    assert not [rule for rule in rules if "demand" in rule.head[0]]
    assert by_duckdb == by_clingo and rows == 3


def test_a_predicate_already_derived_from_a_narrow_one_is_left_as_it_is(tmp_path):
    program = _GRAPH.replace("parent(C, P) :- edge(C, P, _).", "parent(C, P) :- cone(C), edge(C, P, _).")
    rules, by_clingo, by_duckdb, rows = _restricted(tmp_path, program)
    assert not [rule for rule in rules if "demand" in rule.head[0]]
    assert by_duckdb == by_clingo and rows == 2
