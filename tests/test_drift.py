"""mlaudit diff: two snapshots of a small lake (licences, edges and assets changed), read as lakes,
as lake output folders and as report.json files."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, RB

from auditor import drift, drift_sides, lake, use_rank
from auditor.cli import main
from auditor.report import drifthtml

SMALL = FIXTURES / "lakes" / "small"


def relicense(card: Path, license_id: str) -> None:
    card.write_text(
        re.sub(r"(?m)^license: .*$", f"license: {license_id}", card.read_text(encoding="utf-8")), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory) -> tuple[Path, Path]:
    """The small lake, and a month later: a dataset relicensed non-commercial, a fine-tune moved to
    another base, an asset gone and a permissive derivative of a non-commercial model added."""
    new = tmp_path_factory.mktemp("drift") / "small"
    shutil.copytree(SMALL, new)
    relicense(new / "datasets/acme/tickets-clean/README.md", "cc-by-nc-4.0")
    tuned = new / "research/tuned-7b/README.md"
    tuned.write_text(tuned.read_text(encoding="utf-8").replace("nc-lab/base-7b", "open/clean-1b"), encoding="utf-8")
    shutil.rmtree(new / "acme/mystery-3b")
    (new / "acme/tiny-1b").mkdir()
    (new / "acme/tiny-1b/README.md").write_text(
        "---\nlicense: mit\nbase_model: nc-lab/base-7b\n---\n\n# tiny-1b\n\nA distilled copy.\n", encoding="utf-8"
    )
    return SMALL, new


def compared(old: Path, new: Path) -> dict:
    return drift.compare(drift_sides.read(old, RB), drift_sides.read(new, RB), RB.kb)[0]


def test_licence_edge_and_asset_changes_are_named_per_asset(snapshots):
    doc = compared(*snapshots)
    rows = {row["asset"]: row for row in doc["assets"]}
    clean = rows["datasets/acme/tickets-clean"]
    assert clean["declared"] == {"before": "cc-by-sa-4.0", "after": "cc-by-nc-4.0"}
    assert clean["license"] == {"before": "CC-BY-SA-4.0", "after": "CC-BY-NC-4.0"}
    assert clean["use_category"] == {"before": "commercial", "after": "non-commercial"}
    assert "CMP002" in {f["rule"] for f in clean["findings"]["new"]}
    tuned = rows["research/tuned-7b"]
    assert tuned["edges"] == {
        "added": [{"parent": "open/clean-1b", "relation": "finetune"}],
        "removed": [{"parent": "nc-lab/base-7b", "relation": "finetune"}],
    }
    assert "license" not in tuned and tuned["status"] == "kept"
    assert rows["acme/mystery-3b"]["status"] == "removed" and rows["acme/mystery-3b"]["findings"]["gone"]
    assert rows["acme/tiny-1b"]["status"] == "added"
    assert {f["rule"] for f in rows["acme/tiny-1b"]["findings"]["new"]} >= {"CMP001", "CMP006"}
    assert "open/clean-1b" not in rows and "datasets/open/corpus" not in rows  # nothing changed about them
    counts = doc["counts"]
    assert (counts["assets_added"], counts["assets_removed"], counts["licenses_changed"]) == (1, 1, 1)
    assert (counts["edges_added"], counts["edges_removed"]) == (2, 2)  # tuned-7b moved; mystery-3b gone, tiny-1b new


def test_the_drift_patterns_are_counted_with_the_instances_the_new_side_adds(snapshots):
    patterns = compared(*snapshots)["patterns"]
    wider = patterns["more-permissive-than-upstream"]
    assert wider["new"] == ["acme/chat-7b ← datasets/acme/tickets-clean", "acme/tiny-1b ← nc-lab/base-7b"]
    assert wider["after"] == wider["before"] + 2
    assert patterns["restrictions-dropped"]["new"] == ["acme/tiny-1b"]


def test_a_side_compared_with_itself_shows_no_change():
    doc = compared(SMALL, SMALL)
    assert doc["assets"] == [] and not any(doc["counts"].values())
    assert all(p["before"] == p["after"] and p["new"] == [] for p in doc["patterns"].values())


def test_lake_output_folders_give_what_the_lakes_give(snapshots, tmp_path, capsys):
    for name, side in zip(("old", "new"), snapshots, strict=True):
        assert main(["lake", str(side), "--out", str(tmp_path / name), "--fail-on", "never"]) == 0
    from_outputs = compared(tmp_path / "old", tmp_path / "new")
    from_lakes = compared(*snapshots)
    blank = {"old": "", "new": "", "sides": ""}  # the names and kinds of the sides differ
    assert {**from_outputs, **blank} == {**from_lakes, **blank}
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"] == from_lakes["counts"]


def test_two_reports_show_the_lineage_licence_change_of_a_release(snapshots, tmp_path, capsys):
    for name, side in zip(("old", "new"), snapshots, strict=True):
        args = ["audit", str(side), "--asset", "acme/chat-7b", "--out", str(tmp_path / name), "--fail-on", "never"]
        assert main(args) == 0
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "old" / "report.json"), str(tmp_path / "new" / "report.json")]) == 0
    text = capsys.readouterr().out
    assert (
        "datasets/acme/tickets-clean\n  declared: cc-by-sa-4.0 → cc-by-nc-4.0\n  license: CC-BY-SA-4.0 → CC-BY-NC-4.0"
        in text
    )
    assert "\n  new: acme/chat-7b ← datasets/acme/tickets-clean\n" in text


def test_the_same_inputs_print_the_same_bytes(snapshots, capsys):
    outputs = []
    for _ in range(2):
        assert main(["diff", *map(str, snapshots)]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "research/tuned-7b\n  edge + finetune open/clean-1b" in outputs[0]


def test_a_side_that_is_no_report_is_an_input_error(tmp_path, capsys):
    wrong = tmp_path / "report.json"
    wrong.write_text('{"findings": 1}', encoding="utf-8")
    assert main(["diff", str(wrong), str(SMALL)]) == 3
    assert main(["diff", str(tmp_path / "absent"), str(SMALL)]) == 3
    assert "report.json" in capsys.readouterr().err


def test_a_lake_judged_in_memory_is_read_like_its_output(tmp_path, capsys):
    assert main(["lake", str(SMALL), "--out", str(tmp_path), "--fail-on", "never"]) == 0
    judged = drift_sides.from_lake(lake.run(SMALL, rb=RB))
    doc = drift.compare(judged, drift_sides.read(tmp_path, RB), RB.kb)[0]
    assert doc["assets"] == [] and not any(doc["counts"].values())
    assert doc["patterns"]["more-permissive-than-upstream"]["before"] > 0


def test_the_baseline_names_the_licence_changes_of_the_release_lineage(snapshots, tmp_path, capsys):
    old, new = snapshots
    assert (
        main(["audit", str(old), "--asset", "acme/chat-7b", "--out", str(tmp_path / "old"), "--fail-on", "never"]) == 0
    )
    baseline = str(tmp_path / "old" / "report.json")
    args = ["audit", str(new), "--asset", "acme/chat-7b", "--baseline", baseline, "--out", str(tmp_path / "new")]
    assert main([*args, "--fail-on", "never"]) == 0
    assert "  license: datasets/acme/tickets-clean: CC-BY-SA-4.0 → CC-BY-NC-4.0\n" in capsys.readouterr().out
    doc = json.loads((tmp_path / "new" / "report.json").read_text(encoding="utf-8"))
    changes = doc["review"]["baseline"]["licenses"]
    assert changes == [{"asset": "datasets/acme/tickets-clean", "before": "CC-BY-SA-4.0", "after": "CC-BY-NC-4.0"}]
    assert "Licenses changed in the lineage" in (tmp_path / "new" / "report.html").read_text(encoding="utf-8")


def test_a_harvest_snapshot_is_judged_as_its_folder(tmp_path):
    snapshot = tmp_path / "graph.json"
    assert main(["harvest", str(SMALL), "-o", str(snapshot)]) == 0
    doc = compared(snapshot, SMALL)
    assert doc["assets"] == [] and not any(doc["counts"].values())


def test_a_table_of_hub_records_given_alone_is_judged_as_a_lake_whatever_its_form(tmp_path):
    """The API's JSON array is a .json file, as a report is: it is told by its content."""
    hub = FIXTURES / "formats" / "hub-records"
    array = compared(hub / "api-models.json", FIXTURES / "formats" / "hub-records-gz" / "api-models.json.gz")
    assert array["assets"] == [] and not any(array["counts"].values())
    (tmp_path / "api-models.json").write_text(
        (hub / "api-models.json").read_text(encoding="utf-8").replace('"llama2"', '"mit"', 1), encoding="utf-8"
    )
    changed = compared(hub / "api-models.json", tmp_path / "api-models.json")
    assert changed["counts"]["licenses_changed"] == 1


def test_a_dump_of_the_hub_clients_objects_drifts_nothing_from_the_apis_of_the_same_records(tmp_path):
    """The same records under the client's names (card_data, last_modified in its `str` form):
    no asset, license, edge or finding changes, so a lake dumped either way compares."""
    names = {"cardData": "card_data", "lastModified": "last_modified"}
    rows = [json.loads(line) for line in (FIXTURES / "formats" / "hub-records" / "models.jsonl").open(encoding="utf-8")]
    client = [
        {
            names.get(k, k): v.replace("T", " ").replace(".000Z", "+00:00") if k == "lastModified" else v
            for k, v in r.items()
        }
        for r in rows
    ]
    (tmp_path / "models.jsonl").write_text("".join(json.dumps(r) + "\n" for r in client), encoding="utf-8")
    doc = compared(FIXTURES / "formats" / "hub-records" / "models.jsonl", tmp_path / "models.jsonl")
    assert doc["assets"] == [] and not any(doc["counts"].values())


def test_a_lake_output_s_summary_names_its_folder(snapshots, tmp_path):
    for name, side in zip(("old", "new"), snapshots, strict=True):
        assert main(["lake", str(side), "--out", str(tmp_path / name), "--fail-on", "never"]) == 0
    by_summary = compared(tmp_path / "old" / "summary.json", tmp_path / "new" / "summary.json")
    assert by_summary == compared(tmp_path / "old", tmp_path / "new")


def test_out_writes_the_answer_its_page_and_every_change(snapshots, tmp_path, capsys):
    assert main(["diff", *map(str, snapshots), "--format", "json", "--out", str(tmp_path / "a")]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((tmp_path / "a" / "diff.json").read_text(encoding="utf-8"))
    lines = (tmp_path / "a" / "changes.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [{k: v for k, v in json.loads(line).items() if v is not None} for line in lines]
    assert rows == printed["assets"]  # a field that did not change is null in the file, absent in the answer
    instances = [
        json.loads(line) for line in (tmp_path / "a" / "patterns.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [i["instance"] for i in instances if i["pattern"] == "restrictions-dropped"] == ["acme/tiny-1b"]
    assert main(["diff", *map(str, snapshots), "--out", str(tmp_path / "b")]) == 0
    for name in ("diff.html", "changes.parquet", "changes.jsonl", "patterns.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()  # deterministic
    assert "wrote " + str(tmp_path / "b" / "changes.parquet") in capsys.readouterr().out


def test_a_large_diff_lists_the_first_assets_and_counts_the_rest(snapshots, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(drift, "LIMIT", 2)
    assert main(["diff", *map(str, snapshots), "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    doc = json.loads((tmp_path / "diff.json").read_text(encoding="utf-8"))
    assert doc["assets"] == compared(*snapshots)["assets"][:2]
    total = doc["counts"]["assets_changed"]
    assert total == len((tmp_path / "changes.jsonl").read_text(encoding="utf-8").splitlines()) > 2
    assert f"… {total - 2} more assets changed" in text and "\nresearch/tuned-7b\n" not in text
    wider = doc["patterns"]["more-permissive-than-upstream"]
    assert len(wider["new"]) == wider["new_count"] == 2


def test_the_page_matches_its_golden(snapshots):
    """Set MLAUDIT_UPDATE_GOLDEN=1 to accept a deliberate change (and review the diff)."""
    doc = {**compared(*snapshots), "old": "small", "new": "small-later"}
    page = drifthtml.render(doc)
    golden = Path(__file__).parent / "golden" / "small.diff.html"
    if os.environ.get("MLAUDIT_UPDATE_GOLDEN"):
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")
    assert "<script" not in page and "<bdi>acme/tiny-1b</bdi> <small>(added)</small>" in page


def test_the_page_escapes_manifest_text(snapshots):
    doc = compared(*snapshots)
    doc["assets"][0]["findings"]["new"].append(
        {"severity": "error", "status": "open", "rule": "X", "message": "<b>x</b>"}
    )
    page = drifthtml.render(doc)
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_the_readme_shows_what_the_command_prints(tmp_path, readme_example):
    later = tmp_path / "small-later"
    shutil.copytree(SMALL, later)
    relicense(later / "datasets/acme/tickets-clean/README.md", "cc-by-nc-4.0")
    tuned = later / "research/tuned-7b/README.md"
    tuned.write_text(tuned.read_text(encoding="utf-8").replace("nc-lab/base-7b", "open/clean-1b"), encoding="utf-8")
    readme_example(
        "mlaudit diff fixtures/lakes/small /tmp/small-later --out diff-out",
        ["diff", "fixtures/lakes/small", str(later), "--out", str(tmp_path / "diff-out")],
        {str(tmp_path / "diff-out"): "diff-out", str(tmp_path): "/tmp"},
    )


def test_a_lake_output_without_its_edges_or_columns_is_an_input_error(tmp_path, capsys):
    assert main(["lake", str(SMALL), "--out", str(tmp_path / "old"), "--fail-on", "never"]) == 0
    (tmp_path / "old" / "edges.parquet").unlink()
    assert main(["diff", str(tmp_path / "old"), str(SMALL)]) == 3
    assert "no edges.parquet" in capsys.readouterr().err
    (tmp_path / "old" / "edges.parquet").write_bytes((tmp_path / "old" / "findings.parquet").read_bytes())
    assert main(["diff", str(tmp_path / "old"), str(SMALL)]) == 3
    assert "no column child, parent, relation" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("summary", "said"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested 100000 levels deep"),
        ('{"position": "conservative", "position": "permissive"}', "key 'position' is given twice"),
        ("[1]", "a JSON object was expected"),
        ("{", "invalid JSON"),
    ],
)
def test_a_lake_output_s_crafted_summary_is_an_input_error_naming_it(tmp_path, capsys, summary, said):
    """The summary says what judged the side: one that cannot be read as mlaudit wrote it is refused, not a crash."""
    assert main(["lake", str(SMALL), "--out", str(tmp_path / "old"), "--fail-on", "never"]) == 0
    (tmp_path / "old" / "summary.json").write_text(summary, encoding="utf-8")
    assert main(["diff", str(tmp_path / "old"), str(SMALL)]) == 3
    err = capsys.readouterr().err
    assert str(tmp_path / "old" / "summary.json") in err and said in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("expression", "rank"),
    [
        ("CC-BY-NC-4.0 AND MIT", "non-commercial"),  # both apply: the narrower
        ("CC-BY-NC-4.0 OR MIT", "commercial"),  # a choice: the wider
        ("Apache-2.0 WITH LLVM-exception", "commercial"),
        ("MIT", "commercial"),
        ("MIT AND LicenseRef-nobody-knows", None),
        ("(missing)", None),
        ("MIT AND", None),
    ],
)
def test_an_expression_ranks_as_its_licences_combine(expression, rank):
    assert use_rank.of(expression, RB.kb) == (use_rank.USE_RANK[rank] if rank else None)


def test_a_derivative_wider_than_an_upstream_under_an_expression_is_counted(tmp_path):
    for side, base in (("old", "mit"), ("new", "CC-BY-NC-4.0 AND MIT")):
        (tmp_path / side / "p/base").mkdir(parents=True)
        (tmp_path / side / "p/base/README.md").write_text(f"---\nlicense: {base}\n---\n\n# base\n", encoding="utf-8")
        (tmp_path / side / "p/child").mkdir(parents=True)
        child = "---\nlicense: apache-2.0\nbase_model: p/base\n---\n\n# child\n"
        (tmp_path / side / "p/child/README.md").write_text(child, encoding="utf-8")
    wider = compared(tmp_path / "old", tmp_path / "new")["patterns"]["more-permissive-than-upstream"]
    assert (wider["before"], wider["after"]) == (0, 1)


def test_a_resolved_finding_new_on_one_side_is_shown_resolved(tmp_path, capsys):
    governance = FIXTURES / "lakes" / "governance"
    shutil.copytree(governance, tmp_path / "new")
    relicense(tmp_path / "new/meta/llama-2-7b/README.md", "cc-by-nc-4.0")
    (tmp_path / "new/resolutions.yaml").write_text(
        "resolutions:\n  - rule: CMP001\n    asset: acme/llama-chat\n    reason: license-obtained\n"
        "    comment: contract M-1\n    reviewer: Jane Roe (Legal)\n    date: 2026-01-01\n",
        encoding="utf-8",
    )
    main(["diff", str(governance), str(tmp_path / "new"), "--out", str(tmp_path / "out")])
    printed = capsys.readouterr().out
    assert "  + error (resolved) CMP001 acme/llama-chat is released" in printed
    assert "  + error CMP001 acme/llama-chat-gguf is released" in printed
    page = (tmp_path / "out" / "diff.html").read_text(encoding="utf-8")
    assert '<td class="sev error">error (resolved)</td><td>CMP001</td>' in page


def test_a_side_that_describes_no_asset_is_refused_and_an_audit_output_folder_is_its_report(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["diff", str(SMALL), str(tmp_path / "empty")]) == 3
    assert "empty: describes no asset: nothing to compare" in capsys.readouterr().err
    (tmp_path / "cut.json").write_text('[{"id": "org/a", "sha": "a", "tags": []}', encoding="utf-8")
    assert main(["diff", str(SMALL), str(tmp_path / "cut.json")]) == 3
    assert "it may be described in what could not be read: cut.json: cannot read the table" in capsys.readouterr().err
    assert main(["audit", str(SMALL), "--asset", "acme/chat-7b", "--out", str(tmp_path / "audited")]) in (0, 1)
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "audited"), str(tmp_path / "audited" / "report.json")]) == 0
    assert "assets: +0 -0" in capsys.readouterr().out


def test_a_declared_licence_removed_shows_none_and_a_broken_lake_output_one_line(snapshots, tmp_path, capsys):
    shutil.copytree(SMALL, tmp_path / "new")
    card = tmp_path / "new/acme/chat-7b/README.md"
    card.write_text(re.sub(r"(?m)^license: .*\n", "", card.read_text(encoding="utf-8")), encoding="utf-8")
    main(["diff", str(SMALL), str(tmp_path / "new")])
    assert "  declared: apache-2.0 → (none)\n" in capsys.readouterr().out
    assert main(["lake", str(SMALL), "--out", str(tmp_path / "out")]) in (0, 1)
    (tmp_path / "out" / "findings.parquet").write_bytes(b"PAR1 not parquet")
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "out"), str(SMALL)]) == 3
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "not a lake output folder" in said


def test_an_evaluation_or_a_tool_wider_than_its_upstream_is_no_drift():
    assets = [{"id": "a", "declared": "mit", "license": "MIT", "use_category": "commercial"}]
    assets.append({"id": "nc", "declared": "", "license": "CC-BY-NC-4.0", "use_category": "non-commercial"})
    used = [{"child": "a", "parent": "nc", "relation": r} for r in ("evaluated_on", "uses_tool")]
    adapted = [*used, {"child": "a", "parent": "nc", "relation": "finetune"}]
    sides = (
        drift_sides.State(n, rows={"assets": assets, "edges": e, "findings": []})
        for n, e in (("o", used), ("n", adapted))
    )
    wider = drift.compare(*sides, RB.kb)[0]["patterns"]["more-permissive-than-upstream"]
    assert (wider["before"], wider["after"]) == (0, 1)


def test_a_lake_output_that_describes_no_asset_is_refused(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    main(["lake", str(tmp_path / "empty"), "--out", str(tmp_path / "out"), "--fail-on", "never"])
    assert (tmp_path / "out" / "assets.parquet").is_file()
    capsys.readouterr()
    assert main(["diff", str(SMALL), str(tmp_path / "out")]) == 3
    assert "a lake output that describes no asset" in capsys.readouterr().err


def test_the_sides_positions_are_printed_and_a_change_of_position_or_of_kind_is_warned(tmp_path, capsys):
    for name, position in (("c", "conservative"), ("p", "permissive")):
        args = ["audit", str(SMALL), "--asset", "acme/chat-7b", "--position", position, "--out", str(tmp_path / name)]
        main([*args, "--fail-on", "never"])
    main(["lake", str(SMALL), "--out", str(tmp_path / "lake"), "--fail-on", "never"])
    capsys.readouterr()
    main(["diff", str(tmp_path / "c"), str(tmp_path / "c")])
    assert "\nposition: conservative\n" in (same := capsys.readouterr().out) and "warning" not in same
    main(["diff", str(tmp_path / "c"), str(tmp_path / "p"), "--out", str(tmp_path / "d")])
    text = capsys.readouterr().out
    assert (
        "\nposition: conservative → permissive\nwarning: the sides were judged under different legal positions" in text
    )
    doc = json.loads((tmp_path / "d" / "diff.json").read_text(encoding="utf-8"))
    assert doc["sides"]["new"]["position"] == "permissive" and len(doc["warnings"]) == 1
    assert "position conservative → permissive" in (tmp_path / "d" / "diff.html").read_text(encoding="utf-8")
    main(["diff", str(tmp_path / "c"), str(tmp_path / "lake")])
    assert "warning: the sides are different kinds of output (release report → lake output)" in capsys.readouterr().out


def test_an_asset_respelt_in_letter_case_only_is_kept_with_its_findings():
    def side(name: str) -> drift_sides.State:
        assets = [{"id": i, "declared": "mit", "license": "MIT", "use_category": "commercial"} for i in (name, "o/b")]
        edges = [{"child": name, "parent": "o/b", "relation": "finetune"}]
        found = [{"id": "OBL001-1", "rule": "OBL001", "severity": "info", "status": "open", "asset": name}]
        return drift_sides.State(
            name, rows={"assets": assets, "edges": edges, "findings": [f | {"message": "m"} for f in found]}
        )

    doc = drift.compare(side("acme/tracking"), side("ACME/Tracking"), RB.kb)[0]
    assert not any(doc["counts"].values()) and doc["assets"] == []


def test_a_licence_spelt_anew_is_shown_but_not_counted_as_changed(tmp_path):
    """The Hub takes `apache-2.0` and `Apache-2.0` alike: the licence as read, not its spelling, is counted."""
    row = {"id": "org/a", "sha": "a", "tags": [], "cardData": {"license": "apache-2.0"}}
    for name, spelt in (("old", "apache-2.0"), ("new", "Apache-2.0")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "models.jsonl").write_text(json.dumps({**row, "cardData": {"license": spelt}}) + "\n")
    doc = compared(tmp_path / "old", tmp_path / "new")
    assert doc["counts"]["licenses_changed"] == 0
    assert [a["declared"] for a in doc["assets"]] == [{"before": "apache-2.0", "after": "Apache-2.0"}]
