"""mlaudit lake: every asset audited as a release at once, judged as its own release audit judges it."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import tempfile
from array import array
from pathlib import Path

import duckdb
import markupsafe
import orjson
import pytest
from conftest import FIXTURES, RB, ROOT, card, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit, config, duck, lake, lakedb
from auditor.cli import main
from auditor.report import lakehtml, lakeplots, laketext
from auditor.spilled import Spilled, spilled
from auditor.vocabulary import SEVERITIES

sys.path.insert(0, str(ROOT / "benchmarks"))
import hub_lake  # the benchmark's generator of Hub-shaped lakes

SMALL = FIXTURES / "lakes" / "small"
OUTPUTS = ("findings.jsonl", "findings.parquet", "assets.parquet", "edges.parquet", "summary.json", "lake.html")


def comparable(finding: dict) -> tuple:
    """What a finding says: id, rule, asset, message, detail and each step of its evidence with
    its file and pointer, except the release fact's (the lake's comes from mlaudit.toml's [lake],
    the command line's from no file)."""
    steps = tuple(
        (s["asset"], s["fact"]) if " is released " in s["fact"] else (s["asset"], s["fact"], s["file"], s["pointer"])
        for s in finding["evidence"]
    )
    return finding["id"], finding["rule"], finding["asset"], finding["message"], json.dumps(finding["detail"]), steps


def assert_lake_matches_release_audits(root: Path) -> lake.LakeAudit:
    """The differential check: for every asset of the lake, the findings about it, and the use
    category its row gives it, are those the release audit of that asset (with the use and
    distribution the lake gives it) reports about it."""
    judged = lake.run(root, rb=RB)
    assert judged.assets, "a lake of described assets"
    for row in judged.assets:
        doc = audit.run(root, rb=RB, asset=row["id"], use=row["use"], distribution=row["distribution"]).document()
        single = sorted(comparable(f) for f in doc["findings"] if f["asset"] == row["id"])
        mine = sorted(comparable(f) for f in judged.findings if f["asset"] == row["id"])
        assert mine == single, row["id"]
        category = next(a["use_category"] for a in doc["assets"] if a["id"] == row["id"])
        assert row["use_category"] == category, row["id"]
    return judged


def test_an_asset_offered_under_alternatives_has_its_own_run_s_use_category(tmp_path):
    """A dataset offered "CC-BY-NC-4.0 OR MIT" with a model trained on it: each row's use category
    is its own audit's, not the choice made for the block."""
    root = write_tree(
        tmp_path / "lake",
        {
            "datasets/acme/d/README.md": card('license: "CC-BY-NC-4.0 OR MIT"\ntask_categories: [text-classification]'),
            "acme/m/README.md": card("license: apache-2.0\ndatasets: [acme/d]"),
        },
    )
    assert_lake_matches_release_audits(root)


def test_every_asset_of_the_fixture_is_judged_as_its_own_release_audit_judges_it():
    judged = assert_lake_matches_release_audits(SMALL)
    rules = {(f["rule"], f["asset"]) for f in judged.findings if f["severity"] == "error"}
    assert rules == {
        ("CMP001", "acme/chat-7b"),  # a commercial fine-tune of a non-commercial base
        ("CMP002", "acme/chat-7b"),  # share-alike data under Apache-2.0
        ("CMP006", "acme/chat-7b"),
        ("CMP001", "acme/chat-7b-gguf"),  # its quantized copy
        ("CMP006", "acme/chat-7b-gguf"),
        ("CMP012", "acme/mystery-3b"),  # a base nobody describes
    }
    assert ("PRV002", "ghost-org/vanished-3b") in {(f["rule"], f["asset"]) for f in judged.findings}


@pytest.mark.parametrize(
    "root",
    [
        FIXTURES / "releases" / "demo",
        FIXTURES / "releases" / "credit-risk",
        FIXTURES / "rules" / "LIC002-license-choice" / "fire",  # a dual license: the choice is per release
        FIXTURES / "rules" / "CMP013-hosting-not-licensed" / "fire",
        FIXTURES / "rules" / "OBL002-obligation-unmet" / "fire-notice-omitted",
        FIXTURES / "rules" / "OBL002-obligation-unmet" / "nofire-notice-carried",
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_fixtures_judged_as_their_release_audits(root):
    assert_lake_matches_release_audits(root)


ORGS = ["acme", "nc-lab", "open"]
LICENSES = ["mit", "apache-2.0", "cc-by-nc-4.0", "cc-by-sa-4.0", "cc-by-nd-4.0", "gpl-3.0", "llama2", "other", None]


@st.composite
def lakes(draw):
    """A random small lake: 2-6 cards of several organisations, each deriving only from cards
    written before it (or from an upstream nobody describes), and [lake] overrides by org and glob."""
    n = draw(st.integers(2, 6))
    assets = []
    for i in range(n):
        kind = draw(st.sampled_from(["model", "dataset"]))
        parents = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=2)) if i else []
        assets.append(
            {
                "name": f"{draw(st.sampled_from(ORGS))}/a{i}",
                "kind": kind,
                "license": draw(st.sampled_from(LICENSES)),
                "parents": parents,
                "ghost": draw(st.booleans()) and draw(st.booleans()),
            }
        )
    overrides = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["org = 'nc-lab'", "org = 'open'", "assets = '*a1'", "assets = 'datasets/*'"]),
                st.sampled_from(["use = 'research'", "use = 'non-commercial'", "distribution = 'api'"]),
            ),
            max_size=2,
        )
    )
    return assets, overrides


def lake_files(assets, overrides) -> dict[str, str]:
    toml = "[lake]\n" + "".join(f"[[lake.override]]\n{match}\n{setting}\n" for match, setting in overrides)
    files = {"mlaudit.toml": toml}
    for a in assets:
        front = [f"license: {a['license']}"] if a["license"] else []
        models = [assets[p]["name"] for p in a["parents"] if assets[p]["kind"] == "model"]
        data = [assets[p]["name"] for p in a["parents"] if assets[p]["kind"] == "dataset"]
        if a["ghost"]:
            models.append("ghost/vanished")
        if models and a["kind"] == "model":
            front.append(f"base_model: [{', '.join(models)}]")
        if data:
            front.append(f"{'datasets' if a['kind'] == 'model' else 'source_datasets'}: [{', '.join(data)}]")
        folder = "datasets/" if a["kind"] == "dataset" else ""
        files[f"{folder}{a['name']}/README.md"] = card("\n".join(front), "# Card\n\nText.\n")
    return files


def test_the_upstreams_without_a_license_are_ranked_by_the_assets_they_block(tmp_path):
    """The upstream each unknown-terms error's evidence leads to, described (org/base, no license)
    or not (ghost/x), ranked by the assets it blocks; what blocks nothing is not named."""
    files = {
        "org/base/README.md": card("base_model: org/root"),
        "org/root/README.md": card("license: mit"),
        "org/a/README.md": card("license: mit\nbase_model: org/base"),
        "org/b/README.md": card("license: mit\nbase_model: org/a"),
        "org/c/README.md": card("license: mit\nbase_model: ghost/x"),
        "org/free/README.md": card("license: mit\nbase_model: org/root"),
    }
    with lakedb.outputs(lake.run(write_tree(tmp_path, files), rb=RB)) as (summary, _):
        pass
    assert summary["unknown_terms_upstreams"] == [
        {"upstream": "org/base", "assets": 2},
        {"upstream": "ghost/x", "assets": 1},
    ]
    said = laketext.render(summary, [])
    assert "  upstreams without a usable license, by assets blocked: org/base (2), ghost/x (1)\n" in said
    assert f"mlaudit impact {tmp_path} UPSTREAM --relicense LICENSE" in said
    assert '<td><bdi>org/base</bdi></td><td class="n">2</td>' in lakehtml.render(summary)


def test_the_impact_command_the_lake_suggests_is_quoted_alike_on_the_terminal_and_the_page(tmp_path):
    root = write_tree(tmp_path / "a lake", {"org/c/README.md": card("license: mit\nbase_model: ghost/x")})
    with lakedb.outputs(lake.run(root, rb=RB)) as (summary, _):
        pass
    command = f"mlaudit impact '{root}' UPSTREAM --relicense LICENSE"
    assert summary["unblock_report"] == command
    assert command in laketext.render(summary, [])
    assert str(markupsafe.escape(command)) in lakehtml.render(summary)


def test_the_terminal_names_the_rules_of_each_conflicting_pair():
    """A pair of one license (a naming prefix its derivative lacks) is a term unmet, not two licenses
    that clash: the rules say which."""
    with lakedb.outputs(lake.run(SMALL, rb=RB)) as (summary, _):
        pass
    pairs = "Apache-2.0 ← CC-BY-NC-4.0 (2: CMP001 CMP006), Apache-2.0 ← CC-BY-SA-4.0 (1: CMP002)"
    assert f"top conflicts, with their rules: {pairs}\n" in laketext.render(summary, [])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lakes())
def test_random_lakes_are_judged_as_their_release_audits(drawn):
    root = Path(tempfile.mkdtemp())
    try:
        assert_lake_matches_release_audits(write_tree(root, lake_files(*drawn)))
    finally:
        shutil.rmtree(root)


def test_the_summary_counts_verdicts_pairs_licenses_and_organisations():
    with lakedb.outputs(lake.run(SMALL, rb=RB)) as (summary, files):
        assert sorted(files) == sorted(set(OUTPUTS) - {"summary.json", "lake.html"})
        assert all(path.stat().st_size > 0 for path in files.values())
    assert not any(path.exists() for path in files.values())  # the working files go with the context
    assert summary["assets"] == 9 and summary["verdicts"] == {"pass": 6, "fail": 3}
    assert summary["findings"]["error"] == 6 and summary["findings"]["resolved"] == 0
    assert summary["conflicting_pairs"][0] == {
        "derived": "Apache-2.0",
        "base": "CC-BY-NC-4.0",
        "assets": 2,
        "rules": ["CMP001", "CMP006"],
    }
    assert all(pair["base"] for pair in summary["conflicting_pairs"])  # a pair names two licenses
    assert summary["unknown_upstream_terms"] == [{"derived": "MIT", "assets": 1, "rules": ["CMP012"]}]
    assert summary["blocked_by_unknown_terms"] == 1
    assert summary["unknown_terms_upstreams"] == [{"upstream": "ghost-org/vanished-3b", "assets": 1}]
    assert summary["worst_organisations"] == [{"organisation": "acme", "assets": 5, "failing": 3, "errors": 6}]
    assert sum(row["assets"] for row in summary["license_mix"]) == 9
    assert summary["propagated_restrictions"][0] == {"license": "CC-BY-NC-4.0", "term": "non_commercial", "assets": 3}
    assert [a["asset"] for a in summary["failing_assets"]] == ["acme/chat-7b", "acme/chat-7b-gguf", "acme/mystery-3b"]


def test_each_failing_asset_says_why_by_its_first_open_error_in_report_order(tmp_path):
    judged = lake.run(SMALL, rb=RB)
    with lakedb.outputs(judged) as (summary, _):
        pass
    first: dict[str, tuple[str, list[str]]] = {}
    for finding in judged.findings:  # report order
        if finding["severity"] == "error" and finding["status"] == "open":
            first.setdefault(
                finding["asset"], (finding["message"], list(dict.fromkeys(e["fact"] for e in finding["evidence"])))
            )
    assert {a["asset"]: (a["reason"], a["because"]) for a in summary["failing_assets"]} == first
    assert "first" not in summary["failing_assets"][0] and all(because for _, because in first.values())
    page = lakehtml.render(summary)
    shown = [text for reason, because in first.values() for text in (reason, *because)]
    assert all(str(markupsafe.escape(text)) in page for text in shown)
    assert summary["full_report"] == f"mlaudit audit {SMALL} --asset ID"


def test_a_failing_asset_s_reason_gives_a_fact_several_files_state_once(tmp_path):
    row = {"id": "o/data", "sha": "a", "tags": [], "cardData": {}}  # no license: unknown terms
    model = {"id": "o/m", "sha": "b", "tags": ["license:mit", "dataset:o/data"], "cardData": {"license": "mit"}}
    write_tree(
        tmp_path,
        {
            f: json.dumps(r) + "\n"
            for f, r in (("datasets.jsonl", row), ("mirror/datasets.jsonl", row), ("models.jsonl", model))
        },
    )
    judged = lake.run(tmp_path, rb=RB)
    [cmp012] = [f for f in judged.findings if f["rule"] == "CMP012" and f["asset"] == "o/m"]
    facts = [e["fact"] for e in cmp012["evidence"]]
    assert len(facts) > len(set(facts))  # one step a file
    with lakedb.outputs(judged) as (summary, _):
        [failing] = [a for a in summary["failing_assets"] if a["asset"] == "o/m"]
    assert failing["because"] == list(dict.fromkeys(facts))


def test_overrides_by_organisation_and_pattern_decide_how_assets_are_released(tmp_path):
    judged = lake.run(SMALL, rb=RB)
    released = {a["id"]: (a["use"], a["distribution"], a["setting"]) for a in judged.assets}
    # each setting named with what it decided: an override decides only what it sets
    assert released["research/tuned-7b"] == ("research", "weights", "use: lake.override[0], distribution: lake")
    assert released["acme/chat-7b-gguf"] == ("commercial", "api", "use: lake, distribution: lake.override[1]")
    assert released["acme/chat-7b"] == ("commercial", "weights", "lake")
    errors = {(f["rule"], f["asset"]) for f in judged.findings if f["severity"] == "error"}
    assert ("CMP001", "research/tuned-7b") not in errors  # a research release of a non-commercial fine-tune
    # without the overrides, the research fine-tune is a commercial release like any other
    plain = tmp_path / "plain"
    shutil.copytree(SMALL, plain)
    (plain / "mlaudit.toml").unlink()
    unconfigured = lake.run(plain, rb=RB)
    assert ("CMP001", "research/tuned-7b") in {(f["rule"], f["asset"]) for f in unconfigured.findings}
    assert {a["setting"] for a in unconfigured.assets} == {None}


def test_the_audit_of_one_asset_the_lake_suggests_releases_it_as_the_lake_does():
    """`mlaudit audit LAKE --asset ID`, with neither --use nor --distribution, judges the asset as its
    lake row does: [lake] and its overrides decide what the command line and [release] leave open."""
    judged = lake.run(SMALL, rb=RB)
    for row in judged.assets:
        doc = audit.run(SMALL, rb=RB, asset=row["id"]).document()
        assert (doc["release"]["use"], doc["release"]["distribution"]) == (row["use"], row["distribution"]), row["id"]
        single = sorted(comparable(f) for f in doc["findings"] if f["asset"] == row["id"])
        assert single == sorted(comparable(f) for f in judged.findings if f["asset"] == row["id"]), row["id"]
    told = audit.run(SMALL, rb=RB, asset="research/tuned-7b", use="commercial").document()
    assert told["release"]["use"] == "commercial" and told["release"]["distribution"] == "weights"


def test_an_organisation_override_reaches_its_datasets_and_the_last_match_wins():
    rules = config.parse(
        "[lake]\nuse = 'research'\n"
        "[[lake.override]]\norg = 'Acme'\nuse = 'commercial'\n"
        "[[lake.override]]\nassets = 'datasets/acme/*-internal'\ndistribution = 'internal'\n",
        "mlaudit.toml",
    ).lake
    assert rules.release("datasets/acme/x", "acme") == ("commercial", "weights", "lake.override[0]")
    logs = ("commercial", "internal", "use: lake.override[0], distribution: lake.override[1]")
    assert rules.release("datasets/acme/logs-internal", "acme") == logs
    assert rules.release("acmeco/x", "acmeco") == ("research", "weights", "lake")
    assert rules.release("acme", "") == ("research", "weights", "lake")  # a name that is no org/name id
    assert config.DEFAULT.lake.release("acme/x", "acme") == ("commercial", "weights", None)


def test_an_assets_organisation_is_its_hub_ids_owner_also_when_told_apart_by_its_file(tmp_path):
    """Two manifests naming one asset without a shared identity give two assets, the second named
    with its file; both are the organisation's. A name that is no Hub id (an SBOM's package) has none."""
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [{"type": "machine-learning-model", "name": "acme/chat", "version": "2"}],
    }
    spdx = {
        "spdxVersion": "SPDX-2.3",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "d",
        "dataLicense": "CC0-1.0",
        "documentNamespace": "https://example.org/d",
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: x"]},
        "packages": [{"SPDXID": "SPDXRef-P", "name": "acme (tools)", "downloadLocation": "NOASSERTION"}],
    }
    root = write_tree(
        tmp_path / "lake",
        {
            "mlaudit.toml": "[[lake.override]]\norg = 'acme'\nuse = 'research'\n",
            "acme/chat/README.md": card("license: mit"),
            "boms/chat.cdx.json": json.dumps(bom),
            "boms/tools.spdx.json": json.dumps(spdx),
        },
    )
    judged = lake.run(root, rb=RB)
    rows = {a["id"]: (a["organisation"], a["use"]) for a in judged.assets}
    assert len(rows) == 3 and rows["acme/chat"] == ("acme", "research")
    [(told_apart, row)] = [(i, r) for i, r in rows.items() if i.startswith("acme/chat (")]
    assert row == ("acme", "research") and "boms/chat.cdx.json" in told_apart
    assert [r for i, r in rows.items() if i.startswith("acme (tools)")] == [("", "commercial")]


@pytest.mark.parametrize(
    "text",
    [
        "[lake]\nuse = 'free'\n",
        "[lake]\nshare = 'weights'\n",
        "[[lake.override]]\norg = 'acme'\nassets = 'acme/*'\nuse = 'research'\n",
        "[[lake.override]]\norg = 'acme'\n",
        "[[lake.override]]\nassets = 'x/*'\ndistribution = 'torrent'\n",
        "[[lake.override]]\norg = ''\nuse = 'research'\n",
    ],
)
def test_a_wrong_lake_table_is_a_configuration_error(text):
    with pytest.raises(config.ConfigError, match="lake"):
        config.parse(text, "mlaudit.toml")


def test_two_runs_write_the_same_bytes_and_the_parquet_reads_back(tmp_path, capsys):
    for out in ("one", "two"):
        assert main(["lake", str(SMALL), "--out", str(tmp_path / out)]) == 1
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    lines = (tmp_path / "one" / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    con = duckdb.connect()
    rows = con.execute(
        "SELECT id, rule, asset, detail, evidence FROM read_parquet(?)", [str(tmp_path / "one" / "findings.parquet")]
    ).fetchall()
    found = [json.loads(line) for line in lines]  # in report order; the Parquet file's by asset (lakedb.PARQUET)
    assert [r[0] for r in rows] == [
        f["id"] for f in sorted(found, key=lambda f: (f["asset"] is None, f["asset"], f["id"]))
    ]
    assert [r[0] for r in rows] != [f["id"] for f in found]
    first = next(f for f in found if f["id"] == rows[0][0])
    assert json.loads(rows[0][3]) == first["detail"] and json.loads(rows[0][4]) == first["evidence"]
    verdicts = con.execute(
        "SELECT verdict, count(*) FROM read_parquet(?) GROUP BY ALL ORDER BY 1",
        [str(tmp_path / "one" / "assets.parquet")],
    ).fetchall()
    assert verdicts == [("fail", 3), ("pass", 6)]
    assert "one asset's full report: mlaudit audit" in capsys.readouterr().out


def test_findings_jsonl_holds_report_json_findings(tmp_path):
    main(["lake", str(SMALL), "--out", str(tmp_path), "--fail-on", "never"])
    first = json.loads((tmp_path / "findings.jsonl").read_text(encoding="utf-8").splitlines()[0])
    doc = audit.run(SMALL, rb=RB, asset="acme/chat-7b").document()
    shaped = next(f for f in doc["findings"] if f["id"] == first["id"])
    assert set(first) == set(shaped) and first["message"] == shaped["message"]


def test_the_lake_page_is_self_contained_and_escapes_manifest_text():
    with lakedb.outputs(lake.run(SMALL, rb=RB)) as (summary, _):
        pass
    summary["license_mix"].insert(0, {"license": "<script>alert(1)</script>", "assets": 1})
    summary["worst_organisations"][0]["organisation"] = "<img src=x onerror=alert(1)>"
    page = lakehtml.render(summary)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;" in page and page.count("<svg") == 4
    assert "mlaudit audit" in page and "--asset ID" in page
    assert "http://" not in page.replace("http://www.w3.org", "").replace("http://purl.org", "").replace(
        "http://creativecommons.org", ""
    )


def test_plots_are_the_same_bytes_and_draw_dollars_as_text():
    one = lakeplots.bars(["a $x$ b", "c"], [2, 1], "t")
    assert one == lakeplots.bars(["a $x$ b", "c"], [2, 1], "t") and ">a $x$ b</text>" in one


def test_the_records_kind_option_names_what_a_tables_rows_describe(tmp_path, capsys):
    rows = [{"id": "org/a", "tags": ["license:mit"]}, {"id": "org/b", "repo_type": "model", "tags": []}]
    table = write_tree(tmp_path / "lake", {"dump.jsonl": "".join(json.dumps(r) + "\n" for r in rows)}) / "dump.jsonl"
    out = tmp_path / "out"
    assert main(["lake", str(table), "--out", str(out), "--records-kind", "dataset", "--fail-on", "never"]) == 0
    kinds = duckdb.sql(f"SELECT id, kind FROM read_parquet('{out / 'assets.parquet'}') ORDER BY id").fetchall()
    assert kinds == [("datasets/org/a", "dataset"), ("org/b", "model")]  # a row's repo_type still decides
    assert main(["lake", str(table), "--records-kind", "space"]) == 2
    assert "invalid choice: 'space'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "files, fail_on, code",
    [
        ({"open/m/README.md": card("license: mit", "# m\n")}, "error", 0),  # warnings only
        ({"open/m/README.md": card("license: mit", "# m\n")}, "warning", 1),
        ({"open/m/README.md": card("license: mit\nbase_model: ghost/x", "# m\n")}, "error", 1),  # CMP012
        ({"open/m/README.md": card("license: mit\nbase_model: ghost/x", "# m\n")}, "never", 0),
        ({"notes.txt": "nothing to audit\n"}, "error", 1),  # no asset is never a pass
        ({"mlaudit.toml": "[lake]\nuse = 'free'\n"}, "never", 2),
    ],
)
def test_exit_codes_follow_the_gate(tmp_path, files, fail_on, code):
    root = write_tree(tmp_path / "lake", files)
    assert main(["lake", str(root), "--out", str(tmp_path / "out"), "--fail-on", fail_on]) == code


def test_input_and_output_errors_have_their_exit_codes(tmp_path):
    assert main(["lake", str(tmp_path / "absent"), "--out", str(tmp_path / "out")]) == 3
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["lake", str(SMALL), "--out", str(tmp_path / "file")]) == 2
    assert main(["lake", str(SMALL), "--engine", "abacus", "--out", str(tmp_path / "out")]) == 2


def test_a_problem_no_asset_owns_is_the_lakes_own_finding(tmp_path):
    root = write_tree(
        tmp_path / "lake",
        {
            "acme/m/README.md": card("license: mit", "# m\n"),
            "open/n/README.md": card("license: mit", "# n\n"),
            "acme/m/unet/sub/config.json": '{"model_type": "llama"}',  # too deep to name its asset
        },
    )
    judged = lake.run(root, rb=RB)
    unowned = [f for f in judged.findings if f["asset"] is None]
    assert [f["rule"] for f in unowned] == ["INP002"] and "acme/m/unet/sub/config.json" in unowned[0]["message"]
    with lakedb.outputs(judged) as (summary, _):
        assert summary["findings"]["about the lake"] == 1
    # the lake's own finding alone (its asset column all nulls): summarised and written as any other
    with lakedb.outputs(dataclasses.replace(judged, findings=spilled(unowned))) as (summary, files):
        assert summary["findings"]["about the lake"] == 1 and summary["verdicts"] == {"pass": 2, "fail": 0}
        parquet = duckdb.sql(f"SELECT asset, rule FROM '{files['findings.parquet']}'")
        assert parquet.types == ["VARCHAR", "VARCHAR"] and parquet.fetchall() == [(None, "INP002")]
    # a release audit gives it to its release, each release's audit alike
    doc = audit.run(root, rb=RB, asset="open/n").document()
    assert [f["asset"] for f in doc["findings"] if f["rule"] == "INP002"] == ["open/n"]


def test_the_summary_terminal_and_page_name_the_findings_no_row_owns_the_worst_first(tmp_path, monkeypatch):
    """They count in the gate but in no asset's verdict: about the lake as a whole, or an asset it
    does not release (an older revision a reference pins)."""
    older = json.dumps({"id": "acme/base", "sha": "a" * 40, "lastModified": "2024-01-01T00:00:00.000Z", "tags": []})
    root = write_tree(
        tmp_path / "lake",
        {
            "acme/m/README.md": card("license: mit", "# m\n"),
            "acme/m/unet/sub/config.json": '{"model_type": "llama"}',  # a warning: too deep to name its asset
            "broken.spdx.json": '{"spdxVersion": "SPDX-2.3", "SPDXID": ',  # an error: cut short
            "models.jsonl": "".join(
                line + "\n"
                for line in (
                    '{"id": "acme/x", "sha": "a", "tags": []}',
                    "[1]",  # an error: a row that is no record
                    older,  # an older revision, pinned below, without a license: its own findings
                    json.dumps(
                        {
                            "id": "acme/base",
                            "sha": "b" * 40,
                            "lastModified": "2024-06-01T00:00:00.000Z",
                            "tags": ["license:mit"],
                        }
                    ),
                    json.dumps(
                        {
                            "id": "acme/pins",
                            "sha": "c",
                            "tags": ["license:mit"],
                            "cardData": {"license": "mit", "base_model": "acme/base@" + "a" * 40},
                        }
                    ),
                )
            ),
        },
    )
    judged = lake.run(root, rb=RB)
    rows = {a["id"] for a in judged.assets}
    unowned = [f for f in judged.findings if f["status"] == "open" and f["asset"] not in rows]
    assert any(f["asset"] == "acme/base@" + "a" * 40 for f in unowned)  # an asset the lake does not release
    with lakedb.outputs(judged) as (summary, _):
        pass
    listed = summary["unowned"]["listed"]
    assert summary["unowned"]["count"] == len(unowned) == len(listed)
    assert [(f["severity"], f["asset"], f["file"]) for f in listed[:2]] == [
        ("error", None, "broken.spdx.json"),
        ("error", None, "models.jsonl"),
    ]
    assert [f["severity"] for f in listed] == sorted((f["severity"] for f in listed), key=SEVERITIES.index)
    assert {f["id"] for f in unowned} == {
        f["id"] for f in judged.findings if f["asset"] in {r["asset"] for r in listed}
    }
    text = laketext.render(summary, [])
    assert (
        f"findings no audited asset owns: {len(unowned)} (about the lake as a whole, or an asset it does not release)\n"
        in text
    )
    assert f"  error {listed[0]['rule']} {listed[0]['message']}\n" in text
    page = lakehtml.render(summary)
    assert 'id="unowned"' in page and str(markupsafe.escape(listed[-1]["message"])) in page
    monkeypatch.setattr(laketext, "SHOWN", 1)
    more = f"  … {len(unowned) - 1} more: lake.html lists {len(listed)}, findings.jsonl every one"
    assert more in laketext.render(summary, [])


def test_both_engines_derive_the_same_for_every_release_of_the_lake():
    judged = lake.run(SMALL, rb=RB, engine="both")
    assert judged.engines == ("clingo", "pyDatalog")
    assert not [f for f in judged.findings if f["rule"] == "INP004"]


def test_a_harvest_snapshot_is_a_lake_like_its_folder(tmp_path):
    snapshot = tmp_path / "graph.json"
    assert main(["harvest", str(SMALL), "-o", str(snapshot)]) == 0
    from_folder, from_snapshot = lake.run(SMALL, rb=RB), lake.run(snapshot, rb=RB)
    assert from_snapshot.findings == from_folder.findings and from_snapshot.assets == from_folder.assets


def by_asset_then_id(found: list[dict]) -> list[dict]:
    """findings.parquet's order (lakedb.PARQUET): by asset, the lake's own findings last, then id;
    ties as they stand in report order (the sort is stable)."""
    return sorted(found, key=lambda f: (f["asset"] is None, f["asset"] or "", f["id"]))


def parquet_rows(path: Path) -> tuple[dict[str, str], list[dict]]:
    """The column types of a Parquet file and its rows, each a mapping of column names to values."""
    read = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [str(path)])
    types = {d[0]: str(d[1]) for d in read.description}
    return types, [dict(zip(types, row, strict=True)) for row in read.fetchall()]


@pytest.mark.parametrize("name", ["small", "governance", "versions"])
def test_findings_parquet_holds_each_line_of_findings_jsonl_by_asset_then_id(name):
    judged = lake.run(FIXTURES / "lakes" / name, rb=RB)
    with lakedb.outputs(judged) as (_, files):
        types, rows = parquet_rows(files["findings.parquet"])
    assert types == lakedb.FINDING_COLUMNS
    as_text = {k for k, kind in types.items() if kind == "JSON"}  # JSON columns hold orjson's text
    expected = [
        {k: orjson.dumps(v).decode() if k in as_text and v is not None else v for k, v in f.items()}
        for f in by_asset_then_id(list(judged.findings))
    ]
    assert rows == expected and len(rows) > 1
    assert [r["id"] for r in rows] != [f["id"] for f in judged.findings]


def test_findings_parquet_of_many_chunks_is_the_same_bytes_each_time(tmp_path):
    hub_lake.write(300, 7, tmp_path)  # more findings than one DuckDB vector (2,048 rows)
    judged = lake.run(tmp_path / "parquet", rb=RB)
    made = []
    for _ in range(2):
        with lakedb.outputs(judged) as (_, files):
            made.append(files["findings.parquet"].read_bytes())
            rows = parquet_rows(files["findings.parquet"])[1]
    assert made[0] == made[1]
    assert len(rows) > 2048 and [r["id"] for r in rows] == [f["id"] for f in by_asset_then_id(list(judged.findings))]


def test_findings_parquet_takes_a_finding_over_duckdbs_default_line_bound(tmp_path):
    """An undescribed upstream that many assets name has a finding whose evidence is every
    reference (48 MB of JSON for 200,000 of them): read_json's default bound is 16 MB."""
    steps = [{"asset": "x", "fact": "f" * 100, "file": "models.jsonl", "line": i} for i in range(260_000)]
    empty = dict.fromkeys(lakedb.FINDING_COLUMNS)
    found = [
        {**empty, "id": "PRV002-aaaaaaaaaaaa", "asset": "x", "evidence": steps},
        {**empty, "id": "OBL001-b", "asset": "a"},
    ]
    lines = [orjson.dumps(f) + b"\n" for f in found]
    assert len(lines[0]) > 34 * 1024 * 1024  # DuckDB reads twice its bound before it tells
    (tmp_path / "findings.jsonl").write_bytes(b"".join(lines))
    spilled = Spilled(tempfile.TemporaryDirectory(), tmp_path / "findings.jsonl", array("q", map(len, lines)), {})
    con = duck.connect(threads=1, preserve_insertion_order=True)
    con.execute(
        "CREATE TABLE findings AS SELECT * FROM (VALUES ('x', 'PRV002-aaaaaaaaaaaa'), ('a', 'OBL001-b')) t(asset, id)"
    )
    written = lakedb._findings_parquet(con, tmp_path, spilled)
    read = duckdb.sql(f"SELECT id, json_array_length(evidence) FROM '{written}'").fetchall()
    assert read == [("OBL001-b", None), ("PRV002-aaaaaaaaaaaa", 260_000)]


def test_duckdb_draws_no_progress_bar_on_the_terminal():
    """Its bar, drawn for a query over two seconds, is raw escape sequences amid mlaudit's output."""
    assert duck.connect().execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)


def test_a_manifest_too_broken_to_name_its_asset_stays_the_lakes_beside_an_asset_offered_under_a_choice(tmp_path):
    write_tree(
        tmp_path,
        {
            "a/dual/README.md": card("license: MIT OR Apache-2.0"),
            "a/plain/README.md": card("license: mit"),
            "broken.cdx.json": '{"bomFormat": "CycloneDX", "components": [',
        },
    )
    judged = lake.run(tmp_path, rb=RB)
    broken = [(f["rule"], f["asset"]) for f in judged.findings if f["rule"] == "INP001"]
    assert broken == [("INP001", None)]  # once, the lake's: judged alone, a release would own it
    assert not [f for f in judged.findings if f["asset"] == "a/dual" and f["severity"] == "error"]


def test_an_sbom_group_is_no_hub_organisation_unless_a_hub_purl_names_the_component(tmp_path):
    def component(ref: str, group: str, name: str, purl: str) -> dict:
        return {"type": "machine-learning-model", "bom-ref": ref, "group": group, "name": name, "purl": purl,
                "licenses": [{"license": {"id": "MIT"}}]}  # fmt: skip

    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [
            component("l", "acme", "lib", "pkg:maven/acme/lib@1.0"),
            component("h", "acme", "hub-model", "pkg:huggingface/acme/hub-model"),
        ],
    }
    write_tree(
        tmp_path,
        {"bom.cdx.json": json.dumps(bom), "mlaudit.toml": '[[lake.override]]\norg = "acme"\nuse = "research"\n'},
    )
    rows = {a["id"]: (a["organisation"], a["setting"]) for a in lake.run(tmp_path, rb=RB).assets}
    assert rows == {"acme/lib": ("", None), "acme/hub-model": ("acme", "lake.override[0]")}


def test_every_input_file_is_in_the_summary_and_those_not_read_on_the_page_and_terminal(tmp_path):
    root = write_tree(
        tmp_path / "lake",
        {"acme/m/README.md": card("license: mit", "# m\n"), "notes.txt": "hello", "bad/README.md": "---\n[\n---\n"},
    )
    with lakedb.outputs(lake.run(root, rb=RB)) as (summary, _):
        files = {e["file"]: e["status"] for e in summary["input"]["inventory"]}
        assert files == {"acme/m/README.md": "read", "notes.txt": "skipped", "bad/README.md": "unreadable"}
        assert summary["input"]["statuses"] == {"read": 1, "skipped": 1, "unreadable": 1}
        page = lakehtml.render(summary)
        shown = laketext.render(summary, [])
    assert "1 read, 1 skipped, 1 unreadable" in page and "<code><bdi>notes.txt</bdi></code>" in page
    assert "acme/m/README.md</bdi>" not in page  # the files read are counted, summary.json lists them
    assert (
        "input files not read: 2 of 3" in shown
        and "  notes.txt (skipped: not a manifest format mlaudit reads)" in shown
    )
