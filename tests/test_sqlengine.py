"""The Datalog core compiled to SQL (auditor/sqlcompile.py) and run on DuckDB (auditor/sqlengine.py):
each construct against clingo on small programs, random fact bases against clingo on the whole rule
base, the column encoding against clingo's order, and the refusals."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import clingo
import duckdb
import pytest
from conftest import FIXTURES, RB, run_audit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit, datalog, engine, reasoning, sqlcompile, sqlengine, sqlterms
from auditor.asptext import Constant
from auditor.facts import FactBase
from auditor.schema import SCHEMA, S


def _both(tmp_path: Path, program: str) -> tuple[dict, dict]:
    """The shown atoms of a small program (its facts in the file) by clingo and by DuckDB."""
    path = tmp_path / "program.lp"
    path.write_text(program)
    by_clingo = engine.solve([path], "", choices=False)
    by_duckdb = sqlengine.solve([path], [])
    return ({k: set(v) for k, v in by_clingo.items() if v}, {k: set(v) for k, v in by_duckdb.items() if v})


def test_negation_is_not_exists(tmp_path):
    clingo_atoms, duckdb_atoms = _both(tmp_path, "a(1;2;3). b(2). p(X) :- a(X), not b(X). #show p/1.")
    assert duckdb_atoms == clingo_atoms == {"p": {(1,), (3,)}}


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("step", "looped"), [("reach(X, Y), edge(Y, Z)", False), ("reach(X, Y), reach(Y, Z)", True)])
def test_recursion_over_a_cyclic_graph_terminates(tmp_path, step, looped):
    """A rule reading its head once runs as one WITH RECURSIVE statement on DuckDB; one reading it
    twice needs both the full table and the last round's rows, so it runs as rounds of statements."""
    program = f"""
        edge(1, 2). edge(2, 3). edge(3, 1). edge(3, 4).
        reach(X, Y) :- edge(X, Y).
        reach(X, Z) :- {step}.
        #show reach/2.
    """
    clingo_atoms, duckdb_atoms = _both(tmp_path, program)
    assert duckdb_atoms == clingo_atoms
    assert len(duckdb_atoms["reach"]) == 12  # 1, 2, 3 reach all four; 4 reaches nothing
    (compiled,) = sqlcompile.compile_files([tmp_path / "program.lp"]).steps
    assert isinstance(compiled, sqlcompile.Fixpoint) == looped
    assert looped or compiled.count("WITH RECURSIVE") == 1


@pytest.mark.parametrize("step", ["reach(X, Y), edge(Y, Z)", "reach(X, Y), reach(Y, Z)"])
def test_every_derived_row_is_stored_once(tmp_path, step):
    """A rule deriving a row from several bindings, two rules deriving the same row, a row given as a
    fact and derived again, a recursion in either form: each table holds each row once (clingo's
    atoms are a set; read back as lists, a repeated row would repeat an atom)."""
    path = tmp_path / "program.lp"
    path.write_text(f"""
        edge(1, 2). edge(1, 3). edge(2, 3). edge(3, 1). reach(1, 2).
        p(X) :- edge(X, Y). p(X) :- edge(Y, X). p(1).
        reach(X, Y) :- edge(X, Y). reach(X, Z) :- {step}.
    """)
    program = sqlengine.compiled([path])
    connection = duckdb.connect()
    sqlengine.load(connection, program, [], [])
    sqlengine.run(connection, program)
    for table in ("p__1", "reach__2"):
        rows = connection.execute(f"SELECT * FROM {table}").fetchall()
        assert sorted(rows) == sorted(set(rows)) and rows
    assert connection.execute("SELECT count(*) FROM reach__2").fetchone()[0] == 9


def test_steps_whose_rules_read_an_empty_table_are_skipped(tmp_path):
    path = tmp_path / "program.lp"
    path.write_text("a(1;2). b(2). p(X) :- a(X), c(X). q(X) :- a(X), b(X). r(X) :- a(X), not c(X). #defined c/1.")
    program, ran = sqlengine.compiled([path]), []
    connection = duckdb.connect()
    sqlengine.load(connection, program, [], ())
    sqlengine.run(_Recording(connection, ran), program)
    assert [statement.split()[2] for statement in ran if statement.startswith("INSERT")] == ["q__1", "r__1"]
    assert connection.execute("SELECT * FROM r__1 ORDER BY 1").fetchall() == [(1,), (2,)]


class _Recording:
    """A connection that notes the statements it runs."""

    def __init__(self, connection, ran: list[str]) -> None:
        self.connection, self.ran = connection, ran

    def execute(self, statement: str):
        self.ran.append(statement)
        return self.connection.execute(statement)


def test_mutual_recursion_with_negation_of_an_earlier_stratum(tmp_path):
    program = """
        e(1, 2). e(2, 3). e(3, 4). e(4, 5). blocked(4).
        odd(Y) :- e(X, Y), even(X), not blocked(Y).
        even(Y) :- e(X, Y), odd(X).
        even(1).
        #show odd/1. #show even/1.
    """
    clingo_atoms, duckdb_atoms = _both(tmp_path, program)
    assert duckdb_atoms == clingo_atoms == {"even": {(1,), (3,)}, "odd": {(2,)}}


def test_constants_strings_and_symbols_stay_apart(tmp_path):
    program = (
        'r(1, "c"). r(2, c). r(3, "s", 3). r(4, "s", 4). p(X) :- r(X, c). q(X) :- r(X, "s", 3). #show p/1. #show q/1.'
    )
    clingo_atoms, duckdb_atoms = _both(tmp_path, program)
    assert duckdb_atoms == clingo_atoms == {"p": {(2,)}, "q": {(3,)}}
    assert isinstance(next(iter(_both(tmp_path, "v(c). #show v/1.")[1]["v"]))[0], Constant)


def test_comparisons_follow_clingos_order_across_kinds(tmp_path):
    program = """
        v(1; -3; 0; a; ab; b; "A"; "b"; "é"; "").
        lt(X, Y) :- v(X), v(Y), X < Y.
        ne(X) :- v(X), X != a.
        le(X) :- v(X), X <= 1.
        #show lt/2. #show ne/1. #show le/1.
    """
    clingo_atoms, duckdb_atoms = _both(tmp_path, program)
    assert duckdb_atoms == clingo_atoms
    # numbers < constants < strings; strings byte-wise; a string equal to a constant's name is still greater
    assert {(-3, 0), (1, "a"), ("b", "A"), ("A", "b"), ("b", "é"), ("", "A")} <= duckdb_atoms["lt"]
    assert ("é", "b") not in duckdb_atoms["lt"]


def test_anonymous_variables_and_equalities(tmp_path):
    program = """
        e(1, 2). e(2, 3). v(1; 2; 3; 4).
        has_out(X) :- e(X, _).
        leaf(X) :- v(X), not e(X, _).
        same(X, Y) :- v(X), Y = X.
        three(Y) :- v(X), X = 3, Y = X.
        #show has_out/1. #show leaf/1. #show same/2. #show three/1.
    """
    clingo_atoms, duckdb_atoms = _both(tmp_path, program)
    assert duckdb_atoms == clingo_atoms
    assert duckdb_atoms["leaf"] == {(3,), (4,)} and duckdb_atoms["three"] == {(3,)}


def test_function_terms_in_heads_read_back_as_clingos(tmp_path):
    program = """
        carries(1, "MIT", notice). carries(2, "CC-BY-NC-4.0", non_commercial).
        because("X001", A, carries(A, L, T)) :- carries(A, L, T).
        because("X001", A, flag(A)) :- carries(A, _, notice).
        #show because/3.
    """
    clingo_atoms, duckdb_atoms = _both(tmp_path, program)
    assert duckdb_atoms == clingo_atoms
    assert ("X001", 1, ("carries", 1, "MIT", "notice")) in duckdb_atoms["because"]


def test_zero_ary_predicates_and_show_conditions(tmp_path):
    program = """
        v(1; 2). flag :- v(2). p(X) :- v(X), flag. q(X) :- v(X), not flag.
        #show p/1. #show q/1. #show flag/0. #show shown(X) : v(X), X > 1.
    """
    clingo_atoms, duckdb_atoms = _both(tmp_path, program)
    assert duckdb_atoms == clingo_atoms
    assert duckdb_atoms["flag"] == {()} and duckdb_atoms["shown"] == {(2,)}


@pytest.mark.parametrize(
    "program, construct",
    [
        ("p(X) :- v(X), not q(X).\nq(X) :- v(X), not p(X).", "negation inside a recursion"),
        ("b(X, f(X)) :- v(X).\nc(X) :- b(X, Y).", "body atom over b__2"),
        ("p(X, Y) :- v(X), Y < X.", "unsafe variable Y"),
        ("{ p(X) : q(X) }.", "choice, disjunction or constraint"),
        ("p(N) :- N = #count { X : q(X) }.", "an aggregate"),
    ],
)
def test_what_sql_cannot_render_is_refused_with_file_and_line(tmp_path, program, construct):
    path = tmp_path / "X001-example.lp"
    path.write_text("v(1).\n" + program + "\n")
    with pytest.raises(datalog.TranslationError) as error:
        sqlcompile.compile_files([path])
    assert re.search(r"X001-example\.lp:[23]:", str(error.value)) and construct in str(error.value)


def test_the_dialect_is_the_only_difference_between_engines():
    """The same statements but for type names and, where the engine has it, WITH RECURSIVE."""
    files = RB.program_files("conservative")
    looping = dataclasses.replace(sqlterms.DUCKDB, recursive_cte=False)
    looped = list(sqlcompile.statements(sqlcompile.compile_files(files, looping)))
    spark = list(sqlcompile.statements(sqlcompile.compile_files(files, sqlterms.SPARK)))
    assert [s.replace("VARCHAR", "STRING") for s in looped] == spark  # no literal of the rules needs escaping
    assert not [s for s in looped if re.search(r"ORDER BY ALL|::|\bQUALIFY\b|\bUSING\b|\bRECURSIVE\b", s)]
    recursive = sqlcompile.compile_files(files, sqlterms.DUCKDB).steps
    assert len(recursive) == len(sqlcompile.compile_files(files, sqlterms.SPARK).steps)
    assert sum("WITH RECURSIVE" in s for s in recursive if isinstance(s, str)) >= 5  # cone, carries, ...
    assert sqlterms.SPARK.string("a'b\\c") == "'a\\'b\\\\c'" and sqlterms.DUCKDB.string("a'b\\c") == "'a''b\\c'"


# -- the column encoding: exact round trips, and clingo's order kept

_STRINGS = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=6)
_VALUES = st.one_of(
    st.integers(-(2**31), 2**31 - 1),
    _STRINGS,
    st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True).map(Constant),
)


def _symbol(value) -> clingo.Symbol:
    if isinstance(value, int):
        return clingo.Number(value)
    return clingo.Function(value) if isinstance(value, Constant) else clingo.String(value)


@given(_VALUES, _VALUES)
def test_tagged_values_round_trip_and_sort_as_clingo_does(a, b):
    for value in (a, b):
        back = sqlterms.decode(sqlterms.encode(value, sqlterms.ANY), sqlterms.ANY)
        assert back == value and type(back) is type(value)
    tagged_a, tagged_b = (str(sqlterms.encode(v, sqlterms.ANY)).encode() for v in (a, b))
    assert (tagged_a < tagged_b) == (_symbol(a) < _symbol(b))


def test_function_terms_round_trip():
    term = ("carries", 3, "MIT", Constant("notice"), ("", 1, "x"))
    assert sqlterms.decode(sqlterms.encode(term, sqlterms.ANY), sqlterms.ANY) == term


# -- random fact bases over the whole rule base: DuckDB derives what clingo derives


_DEMO = audit.run(FIXTURES / "releases" / "demo", rb=RB).facts.facts
KNOWLEDGE = [f for f in _DEMO if SCHEMA[f[0]].role == "knowledge" or f[0] == "selected"]
LICENSES = sorted({f[1] for f in KNOWLEDGE if f[0] == "license"})
ORGS = sorted({f[2] for f in KNOWLEDGE if f[0] == "licensor_org"})
VALUES = sorted({f[3] for f in KNOWLEDGE if f[0] == "term_value"})
RELATIONS = ["finetune", "adapter", "quantized", "merge", "distill", "trained_on", "evaluated_on"]
RELATIONS += ["generated_by", "derived_from", "contains", "depends_on"]


def _pairs(draw, ids, values, most: int) -> list[tuple]:
    return draw(st.lists(st.tuples(ids, st.sampled_from(values)), max_size=most))


@st.composite
def fact_bases(draw):
    """A random lineage graph (mostly from asset 1 upstream, with cycles and self-loops) with
    licenses (some changed between revisions, and references tracking the newest), files, cards and
    usually a release."""
    n = draw(st.integers(2, 7))
    ids = st.integers(1, n)
    relations = st.sampled_from(RELATIONS)
    facts = [S.asset(i, draw(st.sampled_from(["model", "dataset", "code"]))) for i in range(1, n + 1)]
    for child in range(1, n):
        parents = draw(st.lists(st.integers(child + 1, n), max_size=2, unique=True))
        facts += [S.edge(child, parent, draw(relations)) for parent in parents]
    facts += [S.edge(c, p, r) for c, p, r in draw(st.lists(st.tuples(ids, ids, relations), max_size=2))]
    facts += [S.licensed(i, lic) for i, lic in _pairs(draw, ids, LICENSES, 2 * n)]
    facts += [S.unlicensed(i, r) for i, r in _pairs(draw, ids, ["missing", "unknown"], 2)]
    facts += [S.unrecognised(i, "Foo License") for i in draw(st.lists(ids, max_size=1))]
    for i in draw(st.lists(ids, max_size=1)):
        offered = draw(st.lists(st.sampled_from(LICENSES), min_size=2, max_size=2, unique=True))
        facts += [S.alternative(i, k + 1, lic) for k, lic in enumerate(offered)]
    facts += [S.ships_files(i) for i in draw(st.lists(ids, max_size=3))]
    facts += [S.ships_license(i, lic) for i, lic in _pairs(draw, ids, LICENSES, 2)]
    facts += [S.has_notice(i) for i in draw(st.lists(ids, max_size=2))]
    facts += [S.repeats_notice(i, j) for i, j in draw(st.lists(st.tuples(ids, ids), max_size=2))]
    facts += [S.publisher(i, org) for i, org in _pairs(draw, ids, ORGS, 2)]
    facts += [S.card_mentions(i, v) for i, v in _pairs(draw, ids, VALUES, 2)]
    facts += [S.name_starts(i, v) for i, v in _pairs(draw, ids, VALUES, 1)]
    facts += [S.card(i) for i in draw(st.lists(ids, max_size=3))]
    facts += [S.ships_policy(i) for i in draw(st.lists(ids, max_size=1))]
    facts += [S.in_cycle(i, j) for i, j in draw(st.lists(st.tuples(ids, ids), max_size=2))]
    facts += [S.tracks_newest(i, j, "new") for i, j in draw(st.lists(st.tuples(ids, ids), max_size=2))]
    facts += [S.relicensed(i, "old", "MIT", "new", "CC-BY-NC-4.0") for i in draw(st.lists(ids, max_size=2))]
    if draw(st.integers(0, 4)):
        use = draw(st.sampled_from(["commercial", "non_commercial", "research"]))
        facts.append(S.release(1, use, draw(st.sampled_from(["weights", "api", "internal"]))))
    return draw(st.sampled_from(["conservative", "permissive"])), facts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_bases())
def test_duckdb_agrees_with_clingo_on_random_fact_bases(case):
    position, facts = case
    fb = FactBase(facts={fact: () for fact in [*KNOWLEDGE, *facts]})
    files = RB.program_files(position)
    by_clingo, by_duckdb = reasoning.reason("clingo", files, fb), reasoning.reason("duckdb", files, fb)
    assert reasoning.differences(by_clingo.atoms, by_duckdb.atoms) == ()


def test_duckdb_alone_gives_the_same_report():
    demo = FIXTURES / "releases" / "demo"
    by_clingo, by_duckdb = run_audit(demo, engine="clingo"), run_audit(demo, engine="duckdb")
    assert by_duckdb["engines"] == ["DuckDB"]
    assert by_duckdb["findings"] == by_clingo["findings"]  # the fixes too: the repair search runs on clingo
    assert by_duckdb["obligations"] == by_clingo["obligations"] and by_clingo["obligations"]
    assert {f["fix"]["status"] for f in by_duckdb["findings"] if f["fix"]} >= {"found"}


SHOWN = sorted({name for name, _, _ in sqlengine.compiled(RB.program_files("conservative")).shown.values()})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_bases(), st.lists(st.sampled_from(SHOWN), min_size=1, max_size=4, unique=True))
def test_a_narrowed_run_derives_the_predicates_named_as_the_whole_run(case, only):
    """Only the steps the named predicates depend on run (negated ones included), and what they
    derive is what the whole program derives."""
    position, facts = case
    fb = FactBase(facts={fact: () for fact in [*KNOWLEDGE, *facts]})
    files = RB.program_files(position)
    whole, narrowed = reasoning.reason("duckdb", files, fb), reasoning.reason("duckdb", files, fb, only)
    assert {k: v for k, v in narrowed.atoms.items() if v and k != "chosen"} == {
        k: v for k, v in whole.atoms.items() if v and k in only
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fact_bases(),
    st.lists(st.sampled_from(SHOWN), min_size=1, max_size=4, unique=True),
    st.sets(st.integers(0, 8), max_size=4),
)
def test_a_run_narrowed_to_assets_reads_the_atoms_about_them(case, only, about):
    """DuckDB selects, as it reads, the atoms whose first asset argument is one of the ids asked
    for, and clingo's are selected in Python: both are the whole run's atoms about those assets,
    no fewer (the predicates of `only` without an asset argument are read whole)."""
    position, facts = case
    fb = FactBase(facts={fact: () for fact in [*KNOWLEDGE, *facts]})
    files = RB.program_files(position)
    whole = reasoning.reason("duckdb", files, fb, only).atoms

    def about_them(name: str, rows: list) -> list:
        column = SCHEMA[name].asset_argument
        return [r for r in rows if column is None or r[column] in about]

    expected = {k: about_them(k, v) for k, v in whole.items() if k in only and about_them(k, v)}
    by_duckdb = reasoning.reason("duckdb", files, fb, only, about).atoms
    assert {k: v for k, v in by_duckdb.items() if v and k != "chosen"} == expected  # in the whole run's order
    by_clingo = reasoning.reason("clingo", files, fb, only, about).atoms
    assert {k: set(v) for k, v in by_clingo.items() if v and k in only} == {k: set(v) for k, v in expected.items()}


def test_a_lake_run_leaves_out_the_licenses_each_release_may_be_published_under():
    program = sqlengine.compiled(RB.program_files("conservative"))
    narrowed = program.narrowed(("finding", "because", "via", "use_category", "inherited"))
    assert {"outbound__2", "unsuitable__2"} <= {t for w in program.writes for t in w}
    assert not {"outbound__2", "unsuitable__2"} & {t for w in narrowed.writes for t in w}
    assert {"finding__4", "via__4", "carries__3"} <= {t for w in narrowed.writes for t in w}
    assert len(narrowed.steps) == len(narrowed.uses) == len(narrowed.reads) < len(program.steps)
