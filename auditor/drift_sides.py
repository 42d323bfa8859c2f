"""The sides of `mlaudit diff` (auditor/drift.py): each read as its kind of input says, with what
judged it (the legal position, the rule base), since a change of those changes findings the lake
did not: the answer must tell such a change apart from the lake's.

A side is a report.json (or the folder `mlaudit audit --out` wrote), a `mlaudit lake` output folder
(or its summary.json), or a folder of manifests, a table of Hub records or a harvest snapshot,
judged as a lake first. One that describes no asset is refused, whatever its kind: a wrong path, an
empty folder or a table cut short would show every asset removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from auditor import baseline, duck, lake, lakedb, review, rulebase, snapshot
from auditor.harvest import hubtable, sniff
from auditor.parsed import JSONObject
from auditor.readers import safejson
from auditor.vocabulary import REPORTS

REPORT, LAKE_OUTPUT, LAKE = "release report", "lake output", "lake"  # the kinds of side
# each table a side is read as: the columns compared, of the lake output's file, typed as lakedb writes them
COMPARED = ("declared", "license", "use_category")
TABLES = {
    "assets": ("assets.parquet", ("id", *COMPARED), lakedb.ASSET_COLUMNS),
    "edges": ("edges.parquet", tuple(lakedb.EDGE_COLUMNS), lakedb.EDGE_COLUMNS),
    "findings": ("findings.parquet", ("id", "rule", "severity", "status", "asset", "message"), lakedb.FINDING_COLUMNS),
}


class DriftError(ValueError):
    """A side of the diff cannot be read as a report, a lake output or a lake (of an asset at least)."""


@dataclass(frozen=True)
class State:
    """One side: a lake output folder, read in place, or the rows of its tables (see TABLES); what
    kind of output it is, and what judged it (`position`, `rule_base`: None where it does not say)."""

    name: str
    folder: Path | None = None
    rows: dict[str, list[JSONObject]] = field(default_factory=dict)
    kind: str = LAKE
    position: str | None = None
    rule_base: str | None = None
    release: str | None = None  # the asset a release report is about


def read(path: Path, rb: rulebase.RuleBase, overrides: dict[str, str | None] | None = None) -> State:
    """A side of the diff, as its kind of input says (see the module's docstring); `overrides` are the
    command line's settings (engine, position) for a lake judged first."""
    if path.name == "summary.json" and (path.parent / "assets.parquet").is_file():
        path = path.parent  # a lake output's summary names its folder
    if path.is_file() and path.suffix == ".json" and not snapshot.is_snapshot(path) and not _is_table(path):
        try:
            return from_report(str(path), review.read_report(path))
        except review.ReviewError as exc:
            raise DriftError(str(exc)) from None
    if path.is_dir() and (path / "assets.parquet").is_file():
        return from_lake_output(path)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    judged = lake.run(path, frozenset(), rb, None, **given)
    if judged.assets:
        return from_lake(judged)
    if (path / REPORTS[0]).is_file():  # the folder `mlaudit audit --out` wrote: its report.json
        return read(path / REPORTS[0], rb)
    raise DriftError(f"{path}: describes no asset: nothing to compare{judged.graph.harvest.unread()}")


def _is_table(path: Path) -> bool:
    """Whether a .json file is a table of Hub records (the API's JSON array), read as a lake, not a report."""
    return hubtable.detect(path, sniff.head(path))


def from_report(name: str, doc: JSONObject) -> State:
    assets = [
        {
            "id": a["id"],
            "declared": " | ".join(sorted({str(d["raw"]) for d in a["declared_licenses"] if d["raw"] is not None})),
            "license": a["license"] if a["license_status"] == "ok" and a["license"] else f"({a['license_status']})",
            "use_category": a["use_category"],
        }
        for a in doc["assets"]
        if a["resolved"]
    ]
    rows = {"assets": assets, "edges": doc["edges"], "findings": doc["findings"]}
    position, rules = _judged_by(doc)
    return State(name, rows=rows, kind=REPORT, position=position, rule_base=rules, release=baseline.release_of(doc))


def from_lake(judged: lake.LakeAudit) -> State:
    rows = {"assets": judged.assets, "edges": judged.edges, "findings": list(judged.findings)}
    return State(judged.root, rows=rows, position=judged.settings.position, rule_base=judged.rb.fingerprint)


def from_lake_output(folder: Path) -> State:
    """A `mlaudit lake` output folder: its findings, assets and edges as Parquet, each with the columns
    compared; refused when it holds no asset (the lake it was written from could not be read)."""
    con = duck.connect()
    try:
        for file, columns, _ in TABLES.values():
            path = folder / file
            if not path.is_file():
                raise DriftError(f"{folder}: no {file} (a lake output of an older mlaudit, or not one)")
            have = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet({literal(path)})").fetchall()}
            if missing := sorted(set(columns) - have):
                raise DriftError(f"{path}: not a lake output's table: no column {', '.join(missing)}")
        count = con.execute(f"SELECT count(*) FROM read_parquet({literal(folder / 'assets.parquet')})").fetchone()
    except duckdb.Error as exc:
        raise DriftError(f"{folder}: not a lake output folder: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    if not count or not count[0]:
        raise DriftError(
            f"{folder}: a lake output that describes no asset (its lake was empty or could not be read: "
            "see its lake.html): nothing to compare"
        )
    position, rules = _judged_by(_summary(folder))
    return State(str(folder), folder, kind=LAKE_OUTPUT, position=position, rule_base=rules)


def _summary(folder: Path) -> JSONObject:
    """A lake output's summary.json (it says what judged the lake), bounded as any untrusted JSON; none
    where it is missing. One that cannot be read, is not an object or gives a key twice is refused: it
    would say what judged the side wrongly, or crash the diff."""
    path = folder / "summary.json"
    if not path.is_file():
        return {}
    twice: list[safejson.Where] = []
    try:
        doc = safejson.load(path, twice=twice)
    except (OSError, safejson.JSONRefused) as exc:
        raise DriftError(f"{path}: a lake output's summary that cannot be read: {exc}") from None
    if not isinstance(doc, dict):
        raise DriftError(f"{path}: not a lake output's summary: a JSON object was expected")
    if twice:
        raise DriftError(f"{path}: key '{safejson.dotted(twice[0])}' is given twice: which value counts is unclear")
    return doc


def _judged_by(doc: JSONObject) -> tuple[str | None, str | None]:
    """The position and rule base (its fingerprint) a report or lake summary records."""
    rules = doc.get("rule_base")
    return doc.get("position"), rules.get("sha256") if isinstance(rules, dict) else None


def described(state: State) -> JSONObject:
    """A side as the answer names it: its input, kind and what judged it."""
    return {"name": state.name, "kind": state.kind, "position": state.position, "release": state.release}


def warnings(old: State, new: State) -> list[str]:
    """What makes the two sides differ besides the lake: their kinds of output, their releases, their
    positions or rule bases; each change of findings may come from it rather than from the lake."""
    found = []
    if (old.kind == REPORT) != (new.kind == REPORT):
        found.append(
            f"the sides are different kinds of output ({old.kind} → {new.kind}): a release report holds one "
            "release's lineage and its findings as a release, a lake every asset's; the changes below mix the two"
        )
    elif old.release != new.release:
        found.append(f"the sides are reports of different releases ({old.release} → {new.release})")
    if old.position and new.position and old.position != new.position:
        found.append(
            f"the sides were judged under different legal positions ({old.position} → {new.position}): "
            "findings that differ may come from the position, not from the lake"
        )
    if old.rule_base and new.rule_base and old.rule_base != new.rule_base:
        found.append("the sides were judged by different rule bases: findings that differ may come from the rules")
    return found


def literal(path: Path) -> str:
    """A path as an SQL string literal (a view's source cannot be a parameter)."""
    return "'" + str(path).replace("'", "''") + "'"
