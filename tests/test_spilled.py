"""A lake's findings held on disk (auditor/spilled.py): taken in batches in any order, given back as
findings.jsonl's lines in report order, each line orjson's bytes for the finding."""

from __future__ import annotations

import gc
from pathlib import Path

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.spilled import ORIGIN, Spill, origin, spilled
from auditor.vocabulary import SEVERITIES

findings = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.text(min_size=1, max_size=6),
            "rule": st.sampled_from(["CMP001", "PRV002", "OBL001"]),
            "family": st.sampled_from(["conflict", "provenance"]),
            "status": st.sampled_from(["open", "resolved"]),
            "severity": st.sampled_from([str(s.value) for s in SEVERITIES]),
            "asset": st.one_of(st.none(), st.sampled_from(["a/b", "a/c", "datasets/x/é"])),
            "detail": st.dictionaries(
                st.sampled_from(["license", "term", "n"]), st.one_of(st.text(max_size=4), st.integers(-3, 3))
            ),
            "message": st.text(max_size=40),
            "evidence": st.lists(
                st.fixed_dictionaries({"asset": st.one_of(st.none(), st.sampled_from(["a/b", "up/x", "up/y"]))}),
                max_size=4,
            ),
        }
    ),
    max_size=30,
)


def report_order(f: dict) -> tuple:
    """Report order, as findings.report_order gives it for the findings before they are documents."""
    return (SEVERITIES.index(f["severity"]), f["rule"], f["asset"] or "", list(map(str, f["detail"].values())))


@settings(max_examples=80, deadline=None)
@given(findings, st.randoms(use_true_random=False))
def test_blocks_of_findings_come_back_in_report_order_as_their_lines(drawn, rnd):
    found = list({repr(report_order(f)): f for f in drawn}.values())  # one finding a place, as ids make it
    by_asset: dict = {}
    for f in sorted(found, key=report_order):
        by_asset.setdefault(f["asset"], []).append(f)
    assets = list(by_asset)
    rnd.shuffle(assets)
    spill = Spill()
    while assets:  # blocks of whole assets, in any order, each block in report order
        size = rnd.randint(1, 3)
        block, assets = assets[:size], assets[size:]
        spill.add(sorted((f for a in block for f in by_asset[a]), key=report_order))
    kept = spill.done()
    expected = sorted(found, key=report_order)
    assert list(kept) == expected and len(kept) == len(found)
    lines = [orjson.dumps(f, option=orjson.OPT_APPEND_NEWLINE) for f in expected]
    assert kept.path.read_bytes() == b"".join(lines) and list(kept.lengths) == [len(line) for line in lines]
    for name, values in kept.columns.items():  # kept beside the lines, in their order
        assert values == [column(f, name) for f in expected]
    assert kept == spilled(sorted(reversed(found), key=report_order))


def column(finding: dict, name: str) -> object:
    """A finding's value in the column `name` kept beside its line."""
    if name == "detail":
        return orjson.dumps(finding["detail"]).decode()
    if name == ORIGIN:
        return origin(finding) if finding["severity"] == "error" else None
    return finding[name]


def test_an_error_s_origin_is_the_last_other_asset_its_evidence_names():
    def steps(*assets: str | None) -> dict:
        return {"asset": "a/b", "evidence": [{"asset": a} for a in assets]}

    assert origin(steps("a/b", "up/x", "up/y", None)) == "up/y"  # the chain ends at the clause, about no asset
    assert origin(steps("a/b", "up/x", "a/b")) == "up/x"
    assert origin(steps("a/b", None)) is None and origin(steps()) is None


def test_the_file_goes_with_the_findings():
    kept = spilled(
        [
            {
                "id": "x",
                "rule": "CMP001",
                "family": "conflict",
                "severity": "error",
                "asset": None,
                "detail": {},
                "status": "open",
                "evidence": [],
            }
        ]
    )
    folder = Path(kept.path).parent
    assert folder.is_dir()
    del kept
    gc.collect()
    assert not folder.exists()
