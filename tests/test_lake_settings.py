"""mlaudit lake and the folder's settings: what of mlaudit.toml a lake uses, and the commands it
suggests, which must judge an asset as the lake did."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from conftest import RB, write_tree

from auditor import lake, lakedb
from auditor.cli import main
from auditor.report import lakehtml, laketext


def row(name: str, card: dict, kind: str = "model") -> dict:
    """A row of a table of Hub records."""
    return {"id": name, "sha": "a" * 40, "repo_type": kind, "tags": [], "cardData": card}


def table(rows: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


ROWS = [
    row("org/nc", {"license": "cc-by-nc-4.0"}, "dataset"),
    row("acme/tuned", {"license": "apache-2.0", "datasets": ["org/nc"]}),  # fails: non-commercial data
    row("acme/plain", {"license": "mit"}),
]


def summary_of(root: Path) -> dict:
    with lakedb.outputs(lake.run(root, rb=RB)) as (summary, _):
        return summary


@pytest.mark.parametrize("asset", ["acme/plain", "acme/absent"])
def test_a_release_named_in_mlaudit_toml_neither_narrows_the_lake_nor_goes_unsaid(tmp_path, asset):
    """[release] names one release audit's asset: a lake of Hub records still audits every asset
    (the failing one too), and says the [release] table was not used."""
    toml = f'[release]\nasset = "{asset}"\nuse = "research"\n'
    root = write_tree(tmp_path / "lake", {"models.jsonl": table(ROWS), "mlaudit.toml": toml})
    summary = summary_of(root)
    assert summary["assets"] == 3 and summary["verdicts"]["fail"] == 1
    said = f"mlaudit.toml: [release] asset = '{asset}', use = 'research' not used"
    assert [note.split(": it describes")[0] for note in summary["unused_settings"]] == [said]
    assert f"note: {said}" in laketext.render(summary, [])
    assert said.replace("'", "&#39;") in lakehtml.render(summary)
    assert main(["lake", str(root), "--out", str(tmp_path / "out")]) == 1  # the failing asset fails the gate


def test_a_lake_without_release_settings_notes_nothing(tmp_path):
    root = write_tree(tmp_path / "lake", {"models.jsonl": table(ROWS)})
    assert summary_of(root)["unused_settings"] == []


def test_a_declared_lineage_outside_the_audited_asset_s_lineage_does_not_stop_its_audit(tmp_path, capsys):
    """A [[lineage]] child the table describes, outside the lineage of the asset audited, is read
    (so its entry is checked) and the audit goes on, as the lake's suggested command promises."""
    toml = '[[lineage]]\nchild = "acme/tuned"\nparent = "datasets/org/other"\nrelation = "trained_on"\n'
    root = write_tree(tmp_path / "lake", {"models.jsonl": table(ROWS), "mlaudit.toml": toml})
    assert main(["audit", str(root), "--asset", "acme/plain"]) == 0
    assert "verdict: PASS" in capsys.readouterr().out
    undescribed = '[[lineage]]\nchild = "acme/ghost"\nparent = "org/x"\nrelation = "trained_on"\n'
    (root / "mlaudit.toml").write_text(undescribed, encoding="utf-8")
    assert main(["audit", str(root), "--asset", "acme/plain"]) == 2  # a child no row describes is still refused
    assert "lineage[0] child 'acme/ghost' is not described" in capsys.readouterr().err


def test_the_commands_the_lake_suggests_repeat_its_reading_and_judging_options(tmp_path, capsys):
    """The full report and the impact command carry --records-kind and --position, so the audit
    the lake suggests reads and judges the asset as the lake did: the same errors."""
    rows = [{"id": r["id"], "tags": [], "cardData": r["cardData"]} for r in (ROWS[0], row("org/derived", {}))]
    rows[1]["cardData"] = {"license": "mit", "source_datasets": ["org/nc"]}
    dump = write_tree(tmp_path / "a lake", {"dump.jsonl": table(rows)}) / "dump.jsonl"
    out = tmp_path / "out"
    options = ["--records-kind", "dataset", "--position", "permissive"]
    assert main(["lake", str(dump), "--out", str(out), *options]) == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    given = "--position permissive --records-kind dataset"
    assert summary["full_report"] == f"mlaudit audit {shlex.quote(str(dump))} --asset ID {given}"
    assert summary["unblock_report"].endswith(f"--relicense LICENSE {given}")
    lake_errors = sorted(
        f["rule"]
        for f in map(json.loads, (out / "findings.jsonl").read_text(encoding="utf-8").splitlines())
        if f["asset"] == "datasets/org/derived" and f["severity"] == "error"
    )
    capsys.readouterr()
    command = shlex.split(summary["full_report"].replace("ID", "datasets/org/derived"))[1:]
    assert main([*command, "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    mine = sorted(
        f["rule"] for f in doc["findings"] if f["asset"] == "datasets/org/derived" and f["severity"] == "error"
    )
    assert mine == lake_errors == ["CMP001", "CMP006"]


def test_a_lake_run_with_no_options_suggests_the_bare_commands(tmp_path):
    root = write_tree(
        tmp_path / "lake", {"models.jsonl": table(ROWS), "mlaudit.toml": '[audit]\nposition = "permissive"\n'}
    )
    summary = summary_of(root)  # a position mlaudit.toml gives, the suggested audit reads there too
    assert summary["full_report"] == f"mlaudit audit {root} --asset ID"


def test_a_conflict_between_two_upstream_licenses_is_no_derived_base_pair(tmp_path):
    """CMP003 and CMP005 name two upstream licenses (license, other), in which the asset's own takes
    no part: they are counted as that pair of upstreams, not under the asset's license."""
    rows = [
        row("a/ncsa", {"license": "cc-by-nc-sa-4.0"}, "dataset"),
        row("b/sa", {"license": "cc-by-sa-4.0"}, "dataset"),
        row("c/gpl-model", {"license": "gpl-3.0"}),
        row("meta-llama/Meta-Llama-3-8B", {"license": "llama3"}),
        row(
            "x/Llama-3-mix",
            {
                "license": "cc-by-sa-4.0",
                "base_model": ["meta-llama/Meta-Llama-3-8B", "c/gpl-model"],
                "base_model_relation": "merge",
                "datasets": ["a/ncsa", "b/sa"],
            },
        ),
    ]
    summary = summary_of(write_tree(tmp_path / "lake", {"models.jsonl": table(rows)}))
    pairs = {(p["derived"], p["base"]): p["rules"] for p in summary["conflicting_pairs"]}
    assert pairs["CC-BY-SA-4.0", "CC-BY-NC-SA-4.0"] == ["CMP001", "CMP002", "CMP006"]
    assert pairs["CC-BY-SA-4.0", "LicenseRef-Llama-3-Community"] == ["CMP006"]
    upstreams = {(p["first"], p["second"]): p["rules"] for p in summary["conflicting_upstreams"]}
    assert upstreams == {
        ("CC-BY-NC-SA-4.0", "CC-BY-SA-4.0"): ["CMP003"],
        ("CC-BY-NC-SA-4.0", "GPL-3.0-only"): ["CMP003"],
        ("GPL-3.0-only", "LicenseRef-Llama-3-Community"): ["CMP005"],
    }
    said = laketext.render(summary, [])
    assert "upstream licenses in conflict with each other: CC-BY-NC-SA-4.0 + CC-BY-SA-4.0 (1: CMP003)" in said
    assert "<h3>Upstream licenses in conflict with each other</h3>" in lakehtml.render(summary)


def test_each_setting_that_decided_a_release_is_named_in_its_row_and_its_evidence(tmp_path):
    """An override decides only what it sets: the use an earlier override set is named as its,
    in the asset's row and in the release fact's evidence."""
    toml = '[lake]\ndistribution = "api"\n[[lake.override]]\norg = "acme"\nuse = "non-commercial"\n'
    toml += '[[lake.override]]\nassets = "acme/tun*"\ndistribution = "weights"\n'
    rows = [row("org/sa", {"license": "cc-by-sa-4.0"}, "dataset"), row("acme/plain", {"license": "mit"})]
    rows.append(row("acme/tuned", {"license": "mit", "datasets": ["org/sa"]}))  # CMP002 cites its release
    judged = lake.run(write_tree(tmp_path / "lake", {"models.jsonl": table(rows), "mlaudit.toml": toml}), rb=RB)
    settings = {a["id"]: (a["use"], a["distribution"], a["setting"]) for a in judged.assets}
    both = "use: lake.override[0], distribution: lake.override[1]"
    assert settings["acme/tuned"] == ("non-commercial", "weights", both)
    assert settings["acme/plain"] == ("non-commercial", "api", "use: lake.override[0], distribution: lake")
    assert settings["datasets/org/sa"] == ("commercial", "api", "lake")  # the use is mlaudit's default
    pointers = {
        (s["asset"], s["pointer"])
        for f in judged.findings
        for s in f["evidence"]
        if " is released " in s["fact"] and s["asset"] == "acme/tuned"
    }
    assert pointers == {("acme/tuned", both)}


def test_release_settings_of_another_asset_are_set_aside_and_said_by_its_audit(tmp_path, capsys):
    """[release]'s use describes the release it names: `audit --asset` of another asset, the command
    a lake suggests, releases that asset as the lake's row does (commercial, so it fails on the
    non-commercial data), and says the setting was not used; for the named asset it applies."""
    toml = '[release]\nasset = "acme/plain"\nuse = "research"\n'
    root = write_tree(tmp_path / "lake", {"models.jsonl": table(ROWS), "mlaudit.toml": toml})
    out = tmp_path / "out"
    assert main(["audit", str(root), "--asset", "acme/tuned", "--out", str(out)]) == 1
    said = "mlaudit.toml: [release] use = 'research' not used: it describes acme/plain, not acme/tuned"
    assert f"note: {said}" in capsys.readouterr().out
    report = json.loads((out / "report.json").read_text())
    assert report["release"]["use"] == "commercial" and report["release"]["unused_settings"] == [said]
    assert main(["audit", str(root), "--asset", "ACME/plain", "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["release"]["use"] == "research" and "unused_settings" not in report["release"]
