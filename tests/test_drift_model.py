"""mlaudit diff's SQL (auditor/drift.py) against a plain Python model of the same definition, on random
pairs of sides: the model is the dictionary-based diff drift.py had before it moved to DuckDB, and it
matches findings with lake.finding_changes, as impact does."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import RB
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import drift, drift_sides, duck, lake, lakedb, use_rank
from auditor.vocabulary import USES

NAMES = ["acme/a", "acme/b", "datasets/acme/c", "z", "é/ü"]
LICENSES = ["MIT", "CC-BY-NC-4.0", "CC-BY-4.0", "LicenseRef-Llama-2-Community", "GPL-3.0-only", "(missing)"]
COMPARED = drift_sides.COMPARED


def model(old: dict, new: dict) -> dict:
    """The diff as drift.py defined it in plain Python (see the module's docstring)."""
    sides = [_side(rows) for rows in (old, new)]
    names = sorted({n for s in sides for n in (*s["assets"], *s["by_child"], *s["by_owner"])})
    rows = [row for row in (_asset(*sides, name) for name in names) if row]
    (oe, of), (ne, nf) = ((s["edges"], s["findings"]) for s in sides)
    counts = {
        "assets_added": sum(r["status"] == "added" and r["asset"] in sides[1]["assets"] for r in rows),
        "assets_removed": sum(r["status"] == "removed" and r["asset"] in sides[0]["assets"] for r in rows),
        "licenses_changed": sum("license" in r for r in rows),  # as read: a spelling is no change
        "use_categories_changed": sum("use_category" in r for r in rows),
        "edges_added": len(ne - oe),
        "edges_removed": len(oe - ne),
        "findings_new": len(nf.keys() - of.keys()),
        "findings_gone": len(of.keys() - nf.keys()),
        "findings_changed": sum(len(r["findings"]["changed"]) for r in rows),
        "assets_changed": len(rows),
    }
    patterns = {
        name: {"before": len(was), "after": len(now), "new": sorted(now - was), "new_count": len(now - was)}
        for name, (was, now) in zip(drift.PATTERNS, (_wider(*sides), _dropped(*sides)), strict=True)
    }
    return {"counts": counts, "patterns": patterns, "assets": rows}


def _side(rows: dict) -> dict:
    side = {
        "assets": {a["id"]: {k: a[k] for k in COMPARED} for a in rows["assets"]},
        "edges": frozenset((e["child"], e["parent"], e["relation"]) for e in rows["edges"]),
        "findings": {(f["id"], f["asset"] or "(lake)"): f for f in rows["findings"]},
        "by_child": defaultdict(set),
        "by_owner": defaultdict(dict),
    }
    for edge in side["edges"]:
        side["by_child"][edge[0]].add(edge)
    for (i, owner), f in side["findings"].items():
        side["by_owner"][owner][i] = f
    return side


def _asset(old: dict, new: dict, name: str) -> dict | None:
    was, now = old["assets"].get(name), new["assets"].get(name)
    if was is None and now is None:  # no release on either side: an upstream, there if an edge names it
        was, now = (next((e for e in s["edges"] if name in e[:2]), None) for s in (old, new))
    status = "added" if was is None and now is not None else "removed" if now is None and was is not None else "kept"
    fields = {
        k: {"before": was[k], "after": now[k]} for k in COMPARED if isinstance(was, dict) and now and was[k] != now[k]
    }
    before, after = old["by_child"].get(name, set()), new["by_child"].get(name, set())
    mine_was, mine_now = (dict(sorted(s["by_owner"].get(name, {}).items())) for s in (old, new))
    changes = dict(zip(("new", "gone", "changed"), lake.finding_changes(mine_was, mine_now), strict=True))
    row = {
        "asset": name,
        "status": status,
        **fields,
        "edges": {
            "added": [{"parent": p, "relation": r} for _, p, r in sorted(after - before)],
            "removed": [{"parent": p, "relation": r} for _, p, r in sorted(before - after)],
        },
        "findings": changes,
    }
    return row if status != "kept" or fields or before != after or any(changes.values()) else None


def _wider(*sides: dict) -> list[set[str]]:
    found = []
    for side in sides:
        ranks = {}
        for name, asset in side["assets"].items():
            if (rank := use_rank.of(str(asset["license"]), RB.kb)) is not None:
                ranks[name] = rank
        edges = side["edges"]
        crossed = [(c, p) for c, p, r in edges if r not in USES]
        found.append({f"{c} ← {p}" for c, p in crossed if c in ranks and p in ranks and ranks[c] < ranks[p]})
    return found


def _dropped(*sides: dict) -> list[set[str]]:
    return [
        {f["asset"] or "(lake)" for f in s["findings"].values() if f["rule"] == drift.DROPPED and f["status"] == "open"}
        for s in sides
    ]


@st.composite
def sides(draw: st.DrawFn) -> tuple[dict, dict]:
    """Two sides over a few names, sharing some findings (by id) whose severity or status may differ."""
    pool = draw(st.lists(st.tuples(st.sampled_from([*NAMES, None]), st.sampled_from(["CMP006", "OBL001"])), max_size=8))
    pair = []
    for _ in range(2):
        assets = [
            {
                "id": name,
                "declared": draw(st.sampled_from(["", "mit", "cc-by-nc-4.0 | mit"])),
                "license": draw(st.sampled_from(LICENSES)),
                "use_category": draw(st.sampled_from(["commercial", "non-commercial"])),
            }
            for name in draw(st.lists(st.sampled_from(NAMES), min_size=2, unique=True))
        ]
        triples = st.tuples(
            st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from(["finetune", "merge", "evaluated_on"])
        )
        edges = [
            dict(zip(("child", "parent", "relation"), t, strict=True))
            for t in draw(st.lists(triples, min_size=1, max_size=8))
        ]
        findings = [
            {
                "id": f"{rule}-{i}",
                "rule": rule,
                "severity": draw(st.sampled_from(["error", "info"])),
                "status": draw(st.sampled_from(["open", "resolved"])),
                "asset": asset,
                "message": f"{asset} <{i}>",
            }
            for i, (asset, rule) in enumerate(pool)
            if draw(st.booleans())
        ]
        pair.append({"assets": assets, "edges": edges, "findings": findings})
    return pair[0], pair[1]


@settings(max_examples=60, deadline=None)
@given(sides())
def test_the_sql_diff_is_the_python_model(pair):
    old, new = pair
    doc = drift.compare(drift_sides.State("old", rows=old), drift_sides.State("new", rows=new), RB.kb)[0]
    assert {**doc, "old": None, "new": None, "sides": None, "warnings": None} == {
        **model(old, new),
        "old": None,
        "new": None,
        "sides": None,
        "warnings": None,
    }


def written(rows: dict, folder: Path) -> Path:
    """A side's rows as a lake output folder, each table written as lakedb writes it (its file's order)."""
    folder.mkdir()
    con = duck.connect()
    for table, (file, columns, types) in drift_sides.TABLES.items():
        lakedb.load(con, folder, table, rows[table], {k: types[k] for k in columns})
        con.execute(lakedb.copy(f"SELECT * FROM {table}", {"assets": "judged"}.get(table, table), folder / file))
    con.close()
    return folder


@settings(max_examples=40, deadline=None)
@given(sides(), st.integers(min_value=1, max_value=3))
def test_the_first_assets_listed_are_the_models_from_rows_and_lake_outputs(pair, limit):
    """The answer lists the first `limit` assets, whose findings alone are read again: from rows and
    from lake output folders (findings sorted by asset, their row groups chosen by their assets)."""
    old, new = pair
    expected = model(old, new)
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(drift, "LIMIT", limit)
        folders = [written(rows, Path(tmp, name)) for name, rows in zip(drift.SIDES, pair, strict=True)]
        for sides in (
            [drift_sides.State("old", rows=old), drift_sides.State("new", rows=new)],
            map(drift_sides.from_lake_output, folders),
        ):
            doc = drift.compare(*sides, RB.kb)[0]
            assert doc["assets"] == expected["assets"][:limit] and doc["counts"] == expected["counts"]
            for name, found in expected["patterns"].items():
                assert doc["patterns"][name] == {**found, "new": found["new"][:limit]}


def test_the_model_sees_every_kind_of_change():
    """The model itself is not vacuous: a licence change, an edge moved and a finding changed show."""
    base = {"id": "acme/a", "declared": "mit", "license": "MIT", "use_category": "commercial"}
    finding = {
        "id": "OBL001-1",
        "rule": "OBL001",
        "severity": "info",
        "status": "open",
        "asset": "acme/a",
        "message": "m",
    }
    old = {"assets": [base], "edges": [{"child": "acme/a", "parent": "z", "relation": "merge"}], "findings": [finding]}
    new = {
        "assets": [{**base, "license": "CC-BY-NC-4.0"}],
        "edges": [],
        "findings": [{**finding, "status": "resolved"}],
    }
    row = model(old, new)["assets"][0]
    assert row["license"] == {"before": "MIT", "after": "CC-BY-NC-4.0"} and "declared" not in row
    assert row["edges"]["removed"] == [{"parent": "z", "relation": "merge"}]
    assert row["findings"]["changed"][0]["before"] == {"severity": "info", "status": "open"}


def test_one_id_at_two_assets_is_two_findings():
    """A finding's id hashes its asset's key, so one id at two assets is a collision of the hash: the
    finding gone from one asset and the one new at the other are both shown, never matched."""
    finding = {"id": "OBL001-1", "rule": "OBL001", "severity": "info", "status": "open", "message": "m"}
    assets = [{"id": n, "declared": "mit", "license": "MIT", "use_category": "commercial"} for n in ("acme/a", "z")]
    old = {"assets": assets, "edges": [], "findings": [{**finding, "asset": "acme/a"}]}
    new = {"assets": assets, "edges": [], "findings": [{**finding, "asset": "z"}]}
    doc = drift.compare(drift_sides.State("old", rows=old), drift_sides.State("new", rows=new), RB.kb)[0]
    assert doc["counts"] == model(old, new)["counts"]
    assert (doc["counts"]["findings_new"], doc["counts"]["findings_gone"]) == (1, 1)
    changes = {row["asset"]: row["findings"] for row in doc["assets"]}
    assert [f["id"] for f in changes["acme/a"]["gone"]] == [f["id"] for f in changes["z"]["new"]] == ["OBL001-1"]
