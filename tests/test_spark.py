"""The compiled SQL on Apache Spark in local mode (auditor/sparkengine.py): the same atoms as clingo
and DuckDB, on small programs (random graphs included) and the whole rule base over the demo; a
clear usage error when pyspark or Java is missing. One SparkSession for the whole module: Spark is
slow to start. Skipped without pyspark or java, except in CI (CI set), where they must run."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, RB
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit, cli, engine, reasoning, sparkengine, sqlengine

pytestmark = pytest.mark.skipif(
    not (importlib.util.find_spec("pyspark") and shutil.which("java")) and not os.environ.get("CI"),
    reason="no pyspark or java (pip install '.[spark]', apt-get install default-jre-headless); required in CI",
)


@pytest.fixture(scope="module")
def spark():
    return sparkengine.session()


def _three(path: Path, program: str) -> tuple[dict, dict, dict]:
    path.write_text(program)
    found = engine.solve([path], "", choices=False), sqlengine.solve([path], []), sparkengine.solve([path], [])
    by_clingo, by_duckdb, by_spark = ({k: set(v) for k, v in atoms.items() if v} for atoms in found)
    return by_clingo, by_duckdb, by_spark


def test_recursion_negation_and_function_terms(spark, tmp_path):
    program = """
        e(1, 2). e(2, 3). e(3, 1). e(3, 4). blocked(4). v(1; a; "s"; "it's \\\\ here").
        reach(X, Y) :- e(X, Y).
        reach(X, Z) :- reach(X, Y), e(Y, Z).
        open(Y) :- reach(1, Y), not blocked(Y).
        lt(X, Y) :- v(X), v(Y), X < Y.
        why("X001", X, reach(1, X)) :- reach(1, X).
        #show reach/2. #show open/1. #show lt/2. #show why/3.
    """
    by_clingo, by_duckdb, by_spark = _three(tmp_path / "program.lp", program)
    assert by_spark == by_duckdb == by_clingo
    assert len(by_spark["reach"]) == 12 and by_spark["open"] == {(1,), (2,), (3,)}


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 6)), max_size=10))
def test_random_graphs_reach_what_clingo_reaches(spark, tmp_path, edges):
    facts = " ".join(f"e({a}, {b})." for a, b in edges) + " s(1)."
    rules = "r(Y) :- s(Y). r(Y) :- r(X), e(X, Y). u(X) :- e(X, _), not r(X). #show r/1. #show u/1."
    by_clingo, by_duckdb, by_spark = _three(tmp_path / "graph.lp", facts + rules)
    assert by_spark == by_duckdb == by_clingo


def test_a_rule_over_an_empty_table_runs_no_job(spark, tmp_path):
    """A rule joining a table that no fact fills derives nothing, and a recursion that starts from
    nothing takes no round: known without a job; reading a table that holds rows is a job, and only
    the predicates asked for are read (`copy` holds rows too)."""
    program = """
        e(1, 2). e(2, 3).
        blocked_edge(X, Y) :- e(X, Y), blocked(X).
        reach(X, Y) :- blocked_edge(X, Y).
        reach(X, Z) :- reach(X, Y), blocked_edge(Y, Z).
        #show reach/2. #show blocked_edge/2.
    """
    (tmp_path / "empty.lp").write_text(program)
    (tmp_path / "open.lp").write_text(
        program + "open(X) :- e(X, _), not blocked(X). copy(X, Y) :- e(X, Y). #show open/1. #show copy/2."
    )
    spark.sparkContext.setJobGroup("empty", "")
    assert not any(sparkengine.solve([tmp_path / "empty.lp"], []).values())
    assert not spark.sparkContext.statusTracker().getJobIdsForGroup("empty")
    opened = sparkengine.solve([tmp_path / "open.lp"], [], only={"open"})
    assert set(opened["open"]) == {(1,), (2,)} and [name for name, rows in opened.items() if rows] == ["open"]
    assert spark.sparkContext.statusTracker().getJobIdsForGroup("empty")


def test_the_optimiser_knows_a_join_with_an_empty_table_is_empty(spark):
    tables = sparkengine.Tables(spark.newSession())
    tables.execute("CREATE TABLE a (c0 BIGINT)")
    tables.put("b", tables.spark.createDataFrame([(1,), (2,)], "c0 BIGINT"))
    assert not sparkengine.may_hold_rows(tables.spark.sql("SELECT b.c0 FROM b JOIN a ON a.c0 = b.c0"))
    assert not tables.execute("INSERT INTO a SELECT b.c0 FROM b JOIN a ON a.c0 = b.c0 WHERE b.c0 > 1")
    assert sparkengine.may_hold_rows(tables.spark.sql("SELECT * FROM b EXCEPT SELECT * FROM a"))
    assert tables.execute("INSERT INTO a SELECT * FROM b WHERE c0 > 1")
    assert sorted(tables.spark.sql("SELECT * FROM a").collect()) == [(2,)]


@pytest.mark.timeout(900)
def test_spark_agrees_with_clingo_and_duckdb_on_the_demo(spark):
    fb = audit.run(FIXTURES / "releases" / "demo", rb=RB).facts
    files = RB.program_files("conservative")
    by_clingo, by_duckdb, by_spark = (reasoning.reason(which, files, fb) for which in ("clingo", "duckdb", "spark"))
    assert by_spark.engines == ("Spark",)
    assert reasoning.differences(by_clingo.atoms, by_spark.atoms) == ()
    assert reasoning.differences(by_duckdb.atoms, by_spark.atoms) == ()
    assert by_spark.atoms["finding"] and by_spark.atoms["carries"]


@pytest.mark.timeout(900)
def test_spark_reads_back_the_atoms_about_the_assets_asked_for_as_duckdb_does(spark):
    fb = audit.run(FIXTURES / "releases" / "demo", rb=RB).facts
    files, only = RB.program_files("conservative"), ("finding", "because")
    about = [fb.keys.index(str(fb.release))]
    by_duckdb, by_spark = (reasoning.reason(which, files, fb, only, about).atoms for which in ("duckdb", "spark"))
    assert by_spark["finding"] == by_duckdb["finding"] and by_spark["because"] == by_duckdb["because"]
    whole = reasoning.reason("duckdb", files, fb, only).atoms["finding"]
    assert 0 < len(by_spark["finding"]) < len(whole)
    assert {row[1] for row in by_spark["finding"]} == set(about)


def test_a_configured_cluster_keeps_its_master(tmp_path):
    assert not sparkengine.cluster_configured({})
    assert sparkengine.cluster_configured({"PYSPARK_SUBMIT_ARGS": "--master spark://h:7077 pyspark-shell"})
    assert not sparkengine.cluster_configured({"PYSPARK_SUBMIT_ARGS": "--driver-memory 2g pyspark-shell"})
    (tmp_path / "spark-defaults.conf").write_text("spark.executor.memory 2g\n")
    assert not sparkengine.cluster_configured({"SPARK_CONF_DIR": str(tmp_path)})
    (tmp_path / "spark-defaults.conf").write_text("spark.master  yarn\n")
    assert sparkengine.cluster_configured({"SPARK_CONF_DIR": str(tmp_path)})
    assert sparkengine.LOCAL["spark.master"] == "local[2]" and sparkengine.LOCAL["spark.ui.enabled"] == "false"


def test_missing_java_is_a_usage_error_naming_what_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(sparkengine.SparkUnavailable, match="default-jre-headless"):
        sparkengine.session()
    code = cli.main(["audit", str(FIXTURES / "releases" / "demo"), "--engine", "spark", "--out", str(tmp_path)])
    assert code == 2 and "needs a Java runtime" in capsys.readouterr().err


def test_missing_pyspark_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import pyspark.sql raises ImportError
    with pytest.raises(sparkengine.SparkUnavailable, match=r"pip install 'mlaudit\[spark\]'"):
        sparkengine.session()
