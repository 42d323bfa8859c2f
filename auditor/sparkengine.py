"""Apache Spark runs the Datalog core of the rule base, compiled to SQL (auditor/sqlcompile.py).

The program is the one DuckDB runs, in Spark's Dialect; its SELECTs run through spark.sql. Spark
has no INSERT into a temporary view, so each table is a view over a DataFrame and the program's
few statement forms act on those: an INSERT re-registers the view as the old rows and the new
ones, a fixpoint's rounds rename and drop views. A statement runs no Spark job: what it derives is
checkpointed lazily (its plan made now, its rows computed once by the first job that reads them),
so that a plan never grows with the statements before it; jobs run only where the program counts a
recursion's new rows and where the atoms are read.

Local mode (two cores, a temporary directory of its own, no UI, loopback only) unless the user
points pyspark at a cluster the standard way: a master in PYSPARK_SUBMIT_ARGS or spark-defaults.conf,
or mlaudit started under spark-submit.
"""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

from auditor import asptext, config, datalog, sqlcompile, sqlengine, sqlterms
from auditor.engine import Term
from auditor.predicates import Atoms

LOCAL = {
    "spark.master": "local[2]",
    # one partition a shuffle and a loaded table: a task's overhead, not its rows, is the cost of
    # most of the program's stages (4 partitions took 2.5x the time of 1 on a chain of statements)
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.catalogImplementation": "in-memory",
}

SESSION_SQL = {  # what the compiled program needs of any Spark, local or cluster
    # Catalyst's constraint propagation fails on a union of materialised frames (key not found),
    # and the compiled joins need none of it
    "spark.sql.constraintPropagation.enabled": "false",
    # a statement's plan is made when it runs (lazily checkpointed, no job): adaptive execution would
    # run its stages there, one job each, and whole-stage code generation compile Java for each
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
}


class SparkUnavailable(config.ConfigError):
    """--engine spark asked for, but pyspark or a Java runtime is not installed (a usage error)."""


def solve(
    files: list[Path],
    facts: Iterable[datalog.Fact],
    clingo_choices: Iterable[tuple[Term, ...]] = (),
    only: Collection[str] | None = None,
    about: Collection[int] | None = None,
) -> Atoms:
    """Atoms of the Datalog core computed by Spark, in the shape engine.solve returns (those of the
    predicates named in `only`, if given; of those about the assets `about`, if given)."""
    spark = session().newSession()  # its own temporary views: nothing left behind, nothing shared
    for key, value in SESSION_SQL.items():
        spark.conf.set(key, value)
    program = compiled(files)
    tables = Tables(spark)
    run(tables, program, load(tables, program, facts, clingo_choices))
    if about is not None:
        spark.createDataFrame([(a,) for a in about], "c0 BIGINT").createOrReplaceTempView(sqlcompile.ASKED)
    return read(spark, program, only, about is not None)


def session() -> Any:
    """The SparkSession: local mode in a temporary directory, unless a cluster is configured."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable("--engine spark needs pyspark: pip install 'mlaudit[spark]'") from None
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise SparkUnavailable(
            "--engine spark needs a Java runtime (17 or later): e.g. apt-get install default-jre-headless"
        )
    builder = SparkSession.builder.appName("mlaudit")
    if not cluster_configured(os.environ):
        for key, value in local_settings().items():
            builder = builder.config(key, value)
    return builder.getOrCreate()


@functools.cache
def local_settings() -> dict[str, str]:
    """Local mode's settings, its scratch space in a temporary directory removed at exit."""
    scratch = tempfile.mkdtemp(prefix="mlaudit-spark-")  # never the audited folder
    atexit.register(shutil.rmtree, scratch, True)
    return {
        **LOCAL,
        "spark.local.dir": scratch,
        "spark.sql.warehouse.dir": os.path.join(scratch, "warehouse"),
        "spark.driver.extraJavaOptions": f"-Djava.io.tmpdir={scratch} -Dderby.system.home={scratch}",
    }


def cluster_configured(environ: dict[str, str] | os._Environ[str]) -> bool:
    """Whether the user set a master for pyspark: PYSPARK_SUBMIT_ARGS' --master, spark.master in
    spark-defaults.conf (SPARK_CONF_DIR, else SPARK_HOME/conf), or a spark-submit that started us."""
    if "PYSPARK_GATEWAY_PORT" in environ or "--master" in environ.get("PYSPARK_SUBMIT_ARGS", "").split():
        return True
    home = environ.get("SPARK_HOME")
    folder = environ.get("SPARK_CONF_DIR") or (os.path.join(home, "conf") if home else None)
    defaults = Path(folder, "spark-defaults.conf") if folder else None
    if defaults is None or not defaults.is_file():
        return False
    lines = defaults.read_text(errors="replace").splitlines()
    return any(line.split(maxsplit=1)[:1] == ["spark.master"] for line in lines)


def compiled(files: list[Path]) -> sqlcompile.Program:
    return _compiled(tuple((path, path.stat().st_mtime_ns) for path in files))


@functools.lru_cache(maxsize=4)
def _compiled(files: tuple[tuple[Path, int], ...]) -> sqlcompile.Program:
    """The rule files (each with its modification time) as SQL in Spark's Dialect."""
    return sqlcompile.compile_files([path for path, _ in files], sqlterms.SPARK)


class Tables:
    """The program's tables as temporary views over DataFrames; the statement forms sqlcompile
    writes (CREATE TABLE, CREATE TABLE AS, INSERT, DROP TABLE, ALTER TABLE RENAME).

    No statement runs a Spark job: what a statement derives is planned and checkpointed lazily
    (computed once, by the first job that needs it), and a table is the union of its pieces, so
    every plan reads checkpoints and stays as small as its statement. Jobs run where the program
    asks for a count (a recursion's round) and where the atoms are read."""

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self.frames: dict[str, Any] = {}
        self.forms: list[tuple[re.Pattern[str], Callable[..., bool | None]]] = [
            (CREATE, self.create),
            (re.compile(r"CREATE TABLE (\w+) AS (.*)", re.S), self.create_as),
            (re.compile(r"INSERT INTO (\w+) (.*)", re.S), self.insert),
            (re.compile(r"DROP TABLE (?:IF EXISTS )?(\w+)"), self.drop),
            (re.compile(r"ALTER TABLE (\w+) RENAME TO (\w+)"), self.rename),
        ]

    def execute(self, statement: str) -> bool | None:
        """Run one statement; an INSERT says whether it may have added rows."""
        for pattern, act in self.forms:
            found = pattern.fullmatch(statement)
            if found:
                return act(*found.groups())
        raise ValueError(f"not a statement sqlcompile writes: {statement[:80]}")

    def put(self, name: str, frame: Any) -> None:
        self.frames[name] = frame
        frame.createOrReplaceTempView(name)

    def create(self, name: str, columns: str) -> None:
        """An empty table, as Spark's optimiser knows it (a LIMIT 0): a plan joining it is pruned."""
        self.put(name, self.spark.createDataFrame([], columns).limit(0))

    def create_as(self, name: str, query: str) -> None:
        frame = self.spark.sql(query)
        self.put(name, frame.localCheckpoint(eager=False) if may_hold_rows(frame) else frame)

    def insert(self, name: str, query: str) -> bool:
        """The view `name` becomes its rows and the query's (rows it does not hold: sqlcompile's
        INSERTs add new rows only), as the table's column types hold them. Nothing is planned
        further for a query Spark's optimiser finds empty (it read an empty table)."""
        old = self.frames[name]
        copied = COPY.fullmatch(query)
        new = self.frames[copied[1]] if copied else self.spark.sql(query)
        if not may_hold_rows(new):
            return False
        fields = zip(new.columns, old.schema, strict=True)
        new = new.selectExpr(*[f"CAST(`{column}` AS {f.dataType.simpleString()}) AS {f.name}" for column, f in fields])
        new = new if copied else new.localCheckpoint(eager=False)
        self.put(name, old.union(new) if may_hold_rows(old) else new)
        return True

    def drop(self, name: str) -> None:
        if self.frames.pop(name, None) is not None:
            self.spark.catalog.dropTempView(name)

    def rename(self, old: str, new: str) -> None:
        frame = self.frames[old]
        self.drop(old)
        self.put(new, frame)


def may_hold_rows(frame: Any) -> bool:
    """Whether a frame's optimised plan may hold rows: not when it joins an empty table (known
    without a job; the plan is the one a checkpoint or a job would use)."""
    most = frame._jdf.queryExecution().optimizedPlan().maxRows()
    return not (most.isDefined() and most.get() == 0)


CREATE = re.compile(r"CREATE TABLE (\w+) \((.*)\)", re.S)
COPY = re.compile(r"SELECT \* FROM (\w+)")  # an INSERT of a table's rows, already checkpointed


def load(
    tables: Tables, program: sqlcompile.Program, facts: Iterable[datalog.Fact], choices: Iterable[tuple[Term, ...]]
) -> set[str]:
    """The program's tables, holding the facts (and clingo's choices), each as one DataFrame; the
    tables no fact fills created empty. Returns the tables the facts fill."""
    creates = {found[1]: found for found in map(CREATE.fullmatch, program.create()) if found}
    filled = set()

    def given(pred: str, columns: dict[str, Any]) -> None:
        filled.add(pred)
        rows = list(zip(*(column.tolist() for column in columns.values()), strict=True))
        frame = tables.spark.createDataFrame(rows, creates.pop(pred)[2], verifySchema=False)
        tables.put(pred, frame.distinct().localCheckpoint(eager=False))

    sqlengine.fill(program, facts, choices, given)
    for found in creates.values():
        tables.execute(found[0])
    return filled


def run(tables: Tables, program: sqlcompile.Program, filled: set[str]) -> None:
    """The program's statements in order; a recursive component's rounds until one adds no row. As
    on DuckDB, a step whose rules all read an empty table is skipped, but known empty without a job:
    no fact filled it, and no step that writes it ran or each derived what Spark's optimiser finds
    empty. A recursion's round is counted by a job only when a round's new rows may be some."""
    for step, writes, reads in zip(program.steps, program.writes, program.reads, strict=True):
        if not any(needed <= filled for needed in reads):
            continue
        if isinstance(step, str):
            filled |= set(writes) if tables.execute(step) else set()
            continue
        filled |= set(writes)
        for statement in step.start:
            tables.execute(statement)
        while added(tables, writes, step.size):
            for statement in step.step:
                tables.execute(statement)
        for statement in step.end:
            tables.execute(statement)


def added(tables: Tables, writes: tuple[str, ...], size: str) -> bool:
    """Whether a recursion's last round added rows (in `{table}__delta`, sqlcompile's name): counted
    by a job, unless Spark's optimiser finds each of them empty."""
    rounds = [tables.frames[f"{table}__delta"] for table in writes]
    return any(map(may_hold_rows, rounds)) and bool(tables.spark.sql(size).collect()[0][0])


def read(spark: Any, program: sqlcompile.Program, only: Collection[str] | None = None, among: bool = False) -> Atoms:
    """The shown predicates (those named in `only`, if given: a lake reads a few of them; `among`:
    their atoms about the assets of the view sqlcompile.ASKED), as the atoms clingo gives, in
    program.read's order: sorted here, not by Spark (a sort there is two jobs more a table); each
    column holds one type, and Python orders strings as Spark does, by code point."""
    atoms = Atoms(list)
    for pred, (name, arity, nested) in sorted(program.shown.items()):
        if only is not None and name not in only:
            continue
        reps = program.tables[pred]
        query = program.read(pred, sqlengine.asset_column(program, pred) if among else None).partition(" ORDER BY ")[0]
        frame = spark.sql(query)
        rows = frame.collect() if may_hold_rows(frame) else []  # no job for a table known empty
        for flat in sorted(tuple(row) for row in rows):
            values = [sqlterms.decode(v, rep) for v, rep in zip(flat, reps, strict=True)]
            atoms[name].append(asptext.row(name, datalog.nest(values, arity, nested)))
    return atoms
