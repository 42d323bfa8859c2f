"""pyDatalog and DuckDB (the Datalog core compiled to SQL) as independent engines: the same atoms
as clingo on every fixture and on random lineages (with every output: tests/test_engine_parity.py),
and any difference (here provoked by altering the translation) is caught and reported."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import FIXTURES, RB, run_audit, within, write_tree
from hypothesis import HealthCheck, given, settings
from test_properties import cards, lineages

from auditor import audit, datalog, engine, facts, lake, reasoning, sqlcompile, sqlengine

SCENARIOS = sorted(p for p in (FIXTURES / "rules").glob("*/*") if p.is_dir()) + sorted(
    p for p in (FIXTURES / "releases").glob("*") if p.is_dir()
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lineages())
def test_both_engines_agree_on_random_lineages(assets):
    root = Path(tempfile.mkdtemp())
    try:
        doc = run_audit(write_tree(root, cards(assets)), engine="both")
    finally:
        shutil.rmtree(root)
    assert not [f for f in doc["findings"] if f["rule"] == "INP004"]


def _duckdb_differences(folder: Path) -> tuple[reasoning.Difference, ...]:
    """Where DuckDB's atoms differ from clingo's on the facts of an audit of `folder`."""
    done = audit.run(folder, rb=RB)
    files = RB.program_files(done.settings.position)
    by_clingo = reasoning.reason("clingo", files, done.facts)
    by_duckdb = reasoning.reason("duckdb", files, done.facts)
    assert by_duckdb.engines == ("DuckDB",)
    return reasoning.differences(by_clingo.atoms, by_duckdb.atoms)


# Every other folder under fixtures/ an audit reads: cards, manifest formats, profiles, hostile input.
FOLDERS = [p for group in ("cards", "formats", "profiles", "knowledge") for p in sorted((FIXTURES / group).iterdir())]
FOLDERS = [p for p in FOLDERS if p.is_dir()] + [FIXTURES / "hostile"]


@pytest.mark.parametrize("folder", SCENARIOS + FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_duckdb_agrees_with_clingo(folder):
    assert _duckdb_differences(folder) == ()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lineages())
def test_duckdb_agrees_with_clingo_on_random_lineages(assets):
    root = Path(tempfile.mkdtemp())
    try:
        assert _duckdb_differences(write_tree(root, cards(assets))) == ()
    finally:
        shutil.rmtree(root)


def test_an_altered_compilation_is_caught(monkeypatch):
    real = datalog.translate

    def without_propagation(files):
        translation = real(files)
        translation.rules = [
            r for r in translation.rules if not (r.head[0] == "carries__3" and "carries__3" in {b[1] for b in r.body})
        ]
        return translation

    monkeypatch.setattr(datalog, "translate", without_propagation)
    monkeypatch.setattr(sqlengine, "_compiled", lambda files: sqlcompile.compile_files([p for p, _ in files]))
    assert {d.predicate for d in _duckdb_differences(FIXTURES / "releases" / "demo")} >= {"carries", "finding"}


def _without_fix(doc: dict) -> list[dict]:
    return [{k: v for k, v in f.items() if k != "fix"} for f in doc["findings"]]


def test_a_constant_read_back_as_a_string_is_caught(monkeypatch):
    """pyDatalog holds every value as a Python string, and the constant `commercial` equals the
    string "commercial" in Python; given back as a string, it would be written again as one (the
    repair search's inputs), so the engines are compared on the atoms' text."""

    def as_string(value):
        return value[1:] if isinstance(value, str) and value.startswith(datalog.CONSTANT) else value

    monkeypatch.setattr(datalog, "_read", as_string)
    doc = run_audit(FIXTURES / "releases" / "demo", engine="both")
    assert "finding" in {f["detail"]["predicate"] for f in doc["findings"] if f["rule"] == "INP004"}


def test_an_altered_translation_is_caught(monkeypatch):
    real = datalog.translate

    def without_one_rule(files):
        translation = real(files)
        translation.rules = [r for r in translation.rules if not r.head[0].startswith("finding__5")]
        return translation

    monkeypatch.setattr(datalog, "translate", without_one_rule)
    doc = run_audit(FIXTURES / "releases" / "demo", engine="both")
    disagreements = {f["detail"]["predicate"]: f for f in doc["findings"] if f["rule"] == "INP004"}
    assert set(disagreements) == {"finding", "because"}  # the evidence of the lost findings differs too
    disagreement = disagreements["finding"]
    assert disagreement["severity"] == "error" and doc["verdict"] == "fail"
    assert "only clingo derives finding('CMP001'" in disagreement["message"]
    assert any(step["fact"].startswith("clingo: finding") for step in disagreement["evidence"])


@pytest.mark.parametrize(
    "program, construct",
    [
        ("{ p(X) : q(X) }.", "choice, disjunction or constraint"),
        (":- p(X), q(X).", "choice, disjunction or constraint"),
        ("p(N) :- N = #count { X : q(X) }.", "an aggregate"),
        ("p(X) :- q(X) : r(X); s(X).", "conditional literal"),
        ("p(X+1) :- q(X).", "function terms, tuples and arithmetic"),
        ("#minimize { 1, X : q(X) }.", "Minimize statement"),
    ],
)
def test_untranslatable_constructs_are_refused_with_file_and_line(tmp_path, program, construct):
    path = tmp_path / "X001-example.lp"
    path.write_text("% a rule\n" + program + "\n")
    with pytest.raises(datalog.TranslationError) as error:
        datalog.translate([path])
    assert "X001-example.lp:2" in str(error.value) and construct in str(error.value)


def test_the_rule_base_is_translated_once_and_each_caller_gets_its_own_copy(tmp_path, monkeypatch):
    """Every audit translates the same rule base: it is parsed once a process (again when a file
    changes), and a caller replacing its copy's rules (as the tests above do) changes no other's."""
    path = tmp_path / "reach.lp"
    path.write_text("reach(X, Y) :- edge(X, Y, _).\n#show reach/2.\n")
    first = datalog.translate([path])
    first.rules = []
    monkeypatch.setattr(datalog.ast, "parse_files", None)  # parsing again would fail
    assert [rule.head[0] for rule in datalog.translate([path]).rules] == ["reach__2"]
    monkeypatch.undo()
    path.write_text("reach(X, Y) :- edge(Y, X, _).\n#show reach/2.\n")
    os.utime(path, ns=(0, path.stat().st_mtime_ns + 1))  # a new modification time, however coarse the clock
    assert datalog.translate([path]).rules[0].body[0][2][:2] == ["Y", "X"]


def test_asp_only_files_are_not_translated():
    files = [p for p in RB.program_files("conservative") if p.name == "choice.lp"]
    assert datalog.translate(files).rules == []


def _cycle(n: int) -> dict[str, str]:
    """Fine-tunes a0 -> a1 -> ... -> a(n-1) -> a0: a lineage cycle of n assets (n=1: a self-loop)."""
    files = {"mlaudit.toml": '[release]\nasset = "org/a0"\nuse = "commercial"\n'}
    for i in range(n):
        files[f"org/a{i}/README.md"] = (
            f"---\nlicense: {'cc-by-nc-4.0' if i == n - 1 else 'apache-2.0'}\n"
            f"base_model: org/a{(i + 1) % n}\nbase_model_relation: finetune\n---\n# Card\n"
        )
    return files


def test_right_recursion_over_a_cycle_is_resolved_recursion_first_and_ends(tmp_path):
    """pyDatalog's resolution of a right-recursive rule never ends on a cycle: the translation puts
    the recursive literal first, and the closure of a 3-cycle is then all nine pairs. How long the
    real rules take on cycles is measured by `benchmarks/bench_pipeline.py --cycles`."""
    path = tmp_path / "reach.lp"
    path.write_text("reach(X, Y) :- edge(X, Y, _).\nreach(X, Z) :- edge(X, Y, _), reach(Y, Z).\n#show reach/2.\n")
    recursive = datalog.translate([path]).rules[1]
    assert [pred for _, pred, _ in recursive.body] == ["reach__2", "edge__3"]
    cycle = [("edge", i, (i + 1) % 3, "finetune") for i in range(3)]
    assert sorted(datalog.solve([path], cycle)["reach"]) == [(a, b) for a in range(3) for b in range(3)]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_both_engines_terminate_and_agree_on_lineage_cycles(tmp_path, n):
    folder = write_tree(tmp_path / "release", _cycle(n))
    by_pydatalog = run_audit(folder, engine="pydatalog")
    by_clingo = run_audit(folder, engine="clingo")
    assert _without_fix(by_pydatalog) == _without_fix(by_clingo)
    assert _without_fix(run_audit(folder, engine="duckdb")) == _without_fix(by_clingo)

    assert by_pydatalog | {"engines": []} == by_clingo | {"engines": []}  # the same report apart from the engine
    cycled = {f["asset"] for f in by_clingo["findings"] if f["rule"] == "PRV010"}
    assert n == 1 or cycled == {f"org/a{i}" for i in range(n)}  # every member: the wrong reference may be any's
    assert not [f for f in run_audit(folder, engine="both")["findings"] if f["rule"] == "INP004"]


def test_a_cycle_is_stated_once_and_each_member_cites_its_own_edge(tmp_path):
    """Every member told the whole cycle made the evidence grow with the square of its length."""

    def cited(n: int) -> list[dict]:
        folder = write_tree(tmp_path / str(n), _cycle(n))
        return [f for f in run_audit(folder)["findings"] if f["rule"] == "PRV010"]

    small, large = cited(4), cited(8)
    assert [sum(len(f["evidence"]) for f in found) for found in (small, large)] == [7, 15]  # n, and n - 1 more
    for f in large:
        assert f["evidence"][0]["file"] == f"{f['asset']}/README.md"  # its own edge first
    named = [f for f in large if len(f["evidence"]) > 1]
    assert [f["asset"] for f in named] == ["org/a0"] and len(named[0]["evidence"]) == 8


def test_the_choices_of_many_assets_offered_under_alternatives_are_proven_optimal_at_once(tmp_path):
    """A hundred releases, each offered under eight licenses: clingo's default branch and bound did
    not prove the choice optimal in minutes; core-guided optimisation does at once."""
    offered = " OR ".join(["mit", "apache-2.0", "cc-by-nc-4.0", "gpl-3.0", "cc-by-4.0", "bsd-3-clause", "lgpl-2.1"])
    rows = [{"id": f"org/m{i}", "sha": f"{i:040x}", "tags": [], "cardData": {"license": offered}} for i in range(100)]
    (tmp_path / "models.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    loaded = lake.load(tmp_path, frozenset(), RB)
    fb = facts.encode(loaded.graph, loaded.settings, RB, lake=True)
    atoms = within(20, engine.solve, loaded.files, fb.program())
    assert len(atoms["chosen"]) == 100 and {i for _, i in atoms["chosen"]} == {1}  # MIT, the first, blocks nothing
