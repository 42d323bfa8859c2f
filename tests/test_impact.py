"""mlaudit impact: the descendants of an asset, by their shortest paths, and what a relicence or
takedown changes for each, checked against editing the fixture's card and judging the lake again."""

from __future__ import annotations

import json
import re
import shutil
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import FIXTURES, RB
from hypothesis import given
from hypothesis import strategies as st

from auditor import impact, lake
from auditor.cli import main
from auditor.model import Asset, AssetGraph, Edge, Evidence, Harvest
from auditor.report import impacthtml, impacttext

GOVERNANCE = FIXTURES / "lakes" / "governance"
SMALL = FIXTURES / "lakes" / "small"
LLAMA_FAMILY = ["acme/llama-chat", "acme/llama-chat-gguf", "acme/llama-chat-lora"]


def assessed(root: Path, asset: str, change: impact.Change) -> dict:
    return impact.assess(lake.load(root, frozenset(), RB), asset, change)


def rows(doc: dict) -> dict[str, dict]:
    return {row["asset"]: row for row in doc["assets"]}


def test_a_stricter_relicence_of_the_base_fails_every_descendant_and_names_its_path():
    doc = assessed(GOVERNANCE, "meta/llama-2-7b", impact.Change("relicense", "cc-by-nc-4.0"))
    found = rows(doc)
    assert list(found) == ["meta/llama-2-7b", *LLAMA_FAMILY]  # the datasets and solo-1b are not downstream
    assert doc["descendants"] == 3 and doc["affected"] == 3
    assert found["meta/llama-2-7b"]["license"] == {"before": "LicenseRef-Llama-2-Community", "after": "CC-BY-NC-4.0"}
    relations = {name: [[s["relation"] for s in p] for p in row["paths"]] for name, row in found.items()}
    assert relations == {
        "meta/llama-2-7b": [[]],
        "acme/llama-chat": [["finetune"]],
        "acme/llama-chat-gguf": [["finetune", "quantized"]],
        "acme/llama-chat-lora": [["finetune", "adapter"]],
    }
    for name in LLAMA_FAMILY:
        assert found[name]["verdict"] == {"before": "pass", "after": "fail"}
        appeared = {(f["rule"], f["severity"]) for f in found[name]["appear"]}
        assert {("CMP001", "error"), ("CMP006", "error")} <= appeared
        assert any("CC-BY-NC-4.0" in f["message"] for f in found[name]["appear"])


def test_a_relicence_to_the_same_terms_changes_nothing():
    doc = assessed(GOVERNANCE, "meta/llama-2-7b", impact.Change("relicense", "llama2"))
    assert doc["affected"] == 0
    assert all(not (r["appear"] or r["disappear"] or r["changed"]) for r in doc["assets"])


def test_a_withdrawn_dataset_leaves_its_whole_trained_on_chain_without_a_grant():
    doc = assessed(GOVERNANCE, "datasets/web/scrape", impact.Change("takedown"))
    found = rows(doc)
    assert list(found) == ["datasets/web/scrape", "datasets/acme/instructions", *LLAMA_FAMILY]
    assert found["datasets/web/scrape"]["license"]["after"] == "(missing)"
    path = found["acme/llama-chat-lora"]["paths"][0]
    assert [(s["from"], s["relation"], s["to"]) for s in path] == [
        ("datasets/web/scrape", "derived_from", "datasets/acme/instructions"),
        ("datasets/acme/instructions", "trained_on", "acme/llama-chat"),
        ("acme/llama-chat", "adapter", "acme/llama-chat-lora"),
    ]
    for name in ["datasets/acme/instructions", *LLAMA_FAMILY]:
        assert "CMP012" in {f["rule"] for f in found[name]["appear"]}, name
        assert found[name]["verdict"]["after"] == "fail"


def edited(tmp_path: Path, root: Path, asset: str, change: impact.Change) -> Path:
    """A copy of the lake with the asset's card edited as the change says."""
    copy = tmp_path / "lake"
    shutil.copytree(root, copy)
    card = copy / asset / "README.md"
    line = "" if change.kind == "takedown" else f"license: {change.license}\n"
    card.write_text(re.sub(r"(?m)^license: .*\n", line, card.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    return copy


def findings_of(judged: lake.LakeAudit, name: str) -> dict[str, dict]:
    return {
        f["id"]: {k: f[k] for k in ("id", "rule", "severity", "status", "message")}
        for f in judged.findings
        if f["asset"] == name
    }


@pytest.mark.parametrize(
    ("root", "asset", "change"),
    [
        (GOVERNANCE, "meta/llama-2-7b", impact.Change("relicense", "cc-by-nc-4.0")),
        (GOVERNANCE, "meta/llama-2-7b", impact.Change("relicense", "apache-2.0")),
        (GOVERNANCE, "datasets/web/scrape", impact.Change("takedown")),
        (GOVERNANCE, "datasets/acme/instructions", impact.Change("relicense", "cc-by-sa-4.0")),
        (SMALL, "nc-lab/base-7b", impact.Change("relicense", "apache-2.0")),
        (SMALL, "datasets/acme/tickets", impact.Change("takedown")),
        (SMALL, "datasets/acme/tickets", impact.Change("relicense", "cc-by-nc-4.0")),
    ],
)
def test_predicted_changes_are_those_of_editing_the_card_and_judging_the_lake_again(tmp_path, root, asset, change):
    """The differential check: impact judges only the descendants' cone, the lake command all."""
    doc = assessed(root, asset, change)
    before, after = lake.run(root, rb=RB), lake.run(edited(tmp_path, root, asset, change), rb=RB)
    for row in doc["assets"]:
        was, now = findings_of(before, row["asset"]), findings_of(after, row["asset"])
        assert row["appear"] == [now[i] for i in now if i not in was], row["asset"]
        assert row["disappear"] == [was[i] for i in was if i not in now], row["asset"]
        assert row["changed"] == []
    untouched = {r["id"] for r in before.assets} - {r["asset"] for r in doc["assets"]}
    for name in untouched:  # what does not descend from the asset does not change
        assert findings_of(before, name) == findings_of(after, name), name


def test_relicensing_an_undescribed_upstream_predicts_what_describing_it_under_the_licence_does(tmp_path):
    """An upstream no manifest describes, relicensed: as if a record of it declared the licence. Its
    descendants' changes are those of adding that record to the lake and judging it again."""
    doc = assessed(SMALL, "ghost-org/vanished-3b", impact.Change("relicense", "mit"))
    copy = tmp_path / "lake"
    shutil.copytree(SMALL, copy)
    (copy / "models.jsonl").write_text('{"id": "ghost-org/vanished-3b", "sha": "s", "cardData": {"license": "mit"}}\n')
    before, after = lake.run(SMALL, rb=RB), lake.run(copy, rb=RB)
    [asset, *descendants] = doc["assets"]
    assert (asset["license"], asset["verdict"]) == ({"before": None, "after": "MIT"}, {"before": None, "after": "pass"})
    assert [f["rule"] for f in asset["disappear"]] == ["PRV002"]  # no longer an upstream nobody describes
    assert descendants and any(row["disappear"] for row in descendants)
    for row in descendants:
        was, now = findings_of(before, row["asset"]), findings_of(after, row["asset"])
        assert row["appear"] == [now[i] for i in now if i not in was], row["asset"]
        assert row["disappear"] == [was[i] for i in was if i not in now], row["asset"]
    said = impacttext.render(doc, [])
    assert "ghost-org/vanished-3b (model) · license not described → MIT · verdict not described → pass\n" in said


def graph_of(edges: list[tuple[str, str]]) -> AssetGraph:
    names = {n for edge in edges for n in edge}
    where = Evidence("f", "base_model")
    return AssetGraph(
        {f"model:{n}": Asset(n, "model") for n in names},
        [Edge(f"model:{c}", f"model:{p}", "finetune", where) for c, p in edges],
        Harvest(""),
    )


def test_only_the_shortest_paths_are_listed_every_one_of_them_in_a_fixed_order():
    # a -> b -> d, a -> c -> d (two shortest), a -> d -> e, and a longer a -> b -> x -> e
    graph = graph_of([("b", "a"), ("c", "a"), ("d", "b"), ("d", "c"), ("e", "d"), ("x", "b"), ("e", "x")])
    paths = impact.shortest_paths(graph, "model:a")
    hops = {k: [[e.parent.removeprefix("model:") for e in p] for p in v] for k, v in paths.items()}
    assert hops["model:d"] == [["a", "b"], ["a", "c"]]
    assert hops["model:e"] == [["a", "b", "d"], ["a", "b", "x"], ["a", "c", "d"]]
    assert "model:a" in paths and hops["model:a"] == [[]]
    assert impact.shortest_paths(graph, "model:e") == {"model:e": [[]]}


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)).filter(lambda e: e[0] > e[1]), max_size=30))
def test_paths_are_real_shortest_paths_and_reach_every_descendant(pairs):
    """On random DAGs (child number above parent's): every asset reachable from m0 is listed, each
    path runs edge by edge from m0 to it, and all its paths have the length of the fewest hops."""
    graph = graph_of([(f"m{c}", f"m{p}") for c, p in pairs])
    graph.assets.setdefault("model:m0", Asset("m0", "model"))
    paths = impact.shortest_paths(graph, "model:m0")
    reach, frontier, hops = {"model:m0": 0}, ["model:m0"], 0
    while frontier:
        hops += 1
        frontier = sorted({e.child for e in graph.edges if e.parent in frontier and e.child not in reach})
        reach.update(dict.fromkeys(frontier, hops))
    assert set(paths) == set(reach)
    for key, listed in paths.items():
        assert 1 <= len(listed) <= impact.MAX_PATHS and listed == sorted(
            listed, key=lambda p: [(e.parent, e.relation) for e in p]
        )
        for path in listed:
            assert len(path) == reach[key]
            assert [e.parent for e in path[:1]] == (["model:m0"] if path else [])
            assert all(a.child == b.parent for a, b in pairwise(path))
            assert (path[-1].child if path else "model:m0") == key


def test_paths_per_asset_are_bounded():
    fan = [(f"m{i}", "a") for i in range(6)] + [("z", f"m{i}") for i in range(6)]
    assert len(impact.shortest_paths(graph_of(fan), "model:a")["model:z"]) == impact.MAX_PATHS


def test_the_command_prints_text_or_json_and_writes_a_page(tmp_path, capsys):
    args = ["impact", str(GOVERNANCE), "meta/llama-2-7b", "--relicense", "cc-by-nc-4.0"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    text = capsys.readouterr().out
    assert "descendants: 3 · affected: 3 · failing: 0 → 3" in text
    assert "meta/llama-2-7b (model) · license LicenseRef-Llama-2-Community → CC-BY-NC-4.0 · verdict pass\n" in text
    assert "via meta/llama-2-7b ─finetune→ acme/llama-chat ─quantized→ acme/llama-chat-gguf" in text
    assert "+ error CMP001 acme/llama-chat-lora is released for commercial use" in text
    assert main([*args, "--format", "json", "--out", str(tmp_path / "b")]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((tmp_path / "a" / "impact.json").read_text(encoding="utf-8"))
    page = (tmp_path / "a" / "impact.html").read_bytes()
    assert page == (tmp_path / "b" / "impact.html").read_bytes()  # deterministic
    assert b"<script" not in page and b"<svg" in page and b"acme/llama-chat-lora" in page


def test_a_terminal_and_the_page_list_the_nearest_descendants_and_count_the_rest(monkeypatch):
    """A relicence of a popular base changes a hundred thousand descendants: impact.json holds each one."""
    doc = assessed(GOVERNANCE, "meta/llama-2-7b", impact.Change("relicense", "cc-by-nc-4.0"))
    assert len(doc["assets"]) == 4  # the base and its three descendants, nearest first
    monkeypatch.setattr(impacttext, "LISTED", 2)
    text = impacttext.render(doc, [])
    assert "acme/llama-chat (model)" in text and "acme/llama-chat-gguf (model)" not in text
    assert "… and 2 more assets (each one is in impact.json: --format json, or --out)" in text
    page = impacthtml.render(doc)
    assert "The 2 nearest descendants are listed; 2 more assets are in impact.json." in page
    assert page.count("<article>") == 2
    monkeypatch.setattr(impacttext, "LISTED", 4)
    assert "more assets" not in impacttext.render(doc, []) and impacthtml.render(doc).count("<article>") == 4


def test_the_terminal_lists_an_asset_whose_licence_or_verdict_alone_changes():
    def row(name: str, license: tuple[str, str], verdict: tuple[str, str]) -> dict:
        return {
            "asset": name,
            "kind": "model",
            "paths": [[]],
            "license": dict(zip(("before", "after"), license, strict=True)),
            "verdict": dict(zip(("before", "after"), verdict, strict=True)),
            **{k: [] for k in ("appear", "disappear", "changed")},
        }

    doc = {
        "lake": "l",
        "asset": "o/base",
        "position": "conservative",
        "change": {"kind": "relicense", "license": "MIT"},
        "descendants": 2,
        "affected": 0,
        "not_read": {"files": [], "rows": []},
        "assets": [
            row("o/base", ("Apache-2.0", "MIT"), ("pass", "pass")),
            row("o/kept", ("MIT", "MIT"), ("pass", "pass")),
            row("o/failed", ("MIT", "MIT"), ("pass", "fail")),
        ],
    }
    text = impacttext.render(doc, [])
    assert "o/base (model) · license Apache-2.0 → MIT · verdict pass\n" in text
    assert "o/failed (model) · license MIT · verdict pass → fail\n" in text and "o/kept" not in text


def test_what_could_not_be_read_is_told_first_since_the_answer_leaves_out_what_descends_through_it(tmp_path, capsys):
    hub = FIXTURES / "formats" / "hub-records"
    (tmp_path / "models.jsonl").write_text(
        (hub / "models.jsonl").read_text(encoding="utf-8") + '{"id": "acme/x", "tags": [1]}\n[]\n', encoding="utf-8"
    )
    (tmp_path / "datasets.json").write_text(
        '[{"id": "acme/support-tickets", "sha": "x"},', encoding="utf-8"
    )  # cut short
    args = ["impact", str(tmp_path), "meta-llama/Llama-2-7b-hf", "--relicense", "mit"]
    assert main([*args, "--out", str(tmp_path / "out")]) == 0
    text = capsys.readouterr().out
    assert "not read: datasets.json: cannot read the table: the JSON array is not closed" in text
    assert "not read: rows of tables that are no record (1 problem, in impact.json)" in text
    doc = json.loads((tmp_path / "out" / "impact.json").read_text(encoding="utf-8"))
    assert [f["file"] for f in doc["not_read"]["files"]] == ["datasets.json"]
    assert doc["not_read"]["rows"][0].startswith("models.jsonl: line ")
    assert "Not read, so what descends through them is not in this answer" in impacthtml.render(doc)
    clean = assessed(GOVERNANCE, "meta/llama-2-7b", impact.Change("relicense", "mit"))
    assert clean["not_read"] == {"files": [], "rows": []}
    assert "not read" not in impacttext.render(clean, [])


def test_an_unknown_asset_or_the_takedown_of_an_undescribed_one_is_a_usage_error(capsys):
    assert main(["impact", str(GOVERNANCE), "meta/llama-9"]) == 2
    assert main(["impact", str(SMALL), "ghost-org/vanished-3b", "--takedown"]) == 2
    assert "no manifest in the lake describes it, so nothing grants its use to withdraw" in capsys.readouterr().err
    capsys.readouterr()
    assert main(["impact", str(SMALL), "ghost-org/vanished-3b"]) == 0  # its descendants can still be listed
    said = capsys.readouterr().out
    assert "ghost-org/vanished-3b (model) · no manifest describes it: not judged\n" in said and "None" not in said


def test_the_page_says_an_undescribed_asset_is_not_judged_and_names_no_none():
    doc = assessed(SMALL, "ghost-org/vanished-3b", impact.Change("none"))
    page = impacthtml.render(doc)
    assert "<p>no manifest describes it: not judged</p>" in page and "None" not in page


def test_a_relicence_to_a_license_mlaudit_does_not_know_is_refused_unless_it_is_the_user_s_own(capsys):
    """A mistyped id would be judged as unknown terms and fail every descendant."""
    assert main(["impact", str(GOVERNANCE), "meta/llama-2-7b", "--relicense", "apche-2.0"]) == 2
    assert "'apche-2.0' is not a license mlaudit knows; did you mean 'Apache-2.0'" in capsys.readouterr().err
    assert main(["impact", str(GOVERNANCE), "meta/llama-2-7b", "--relicense", "MIT AND nonsense"]) == 2
    assert main(["impact", str(GOVERNANCE), "meta/llama-2-7b", "--relicense", "NOASSERTION"]) == 2
    assert "use --takedown" in capsys.readouterr().err
    for named in ("LicenseRef-acme-internal", "apache-2.0 OR mit", "llama3"):
        assert impact.relicence(named, RB.kb) == impact.Change("relicense", named)
    assert main(["impact", str(GOVERNANCE), "meta/llama-2-7b", "--relicense", "LicenseRef-acme-internal"]) == 0


def test_an_asset_is_found_by_its_hub_id_in_any_case_and_an_ambiguous_name_is_refused():
    graph = lake.load(GOVERNANCE, frozenset(), RB).graph
    assert impact.find(graph, "web/scrape") == impact.find(graph, "datasets/web/scrape")  # as the Hub names it
    assert impact.find(graph, "Meta/Llama-2-7B") == impact.find(graph, "meta/llama-2-7b")
    with pytest.raises(impact.ImpactError, match="no such asset"):
        impact.find(graph, "models/web/scrape")  # a kind named is kept
    assert impact.find(graph, "https://huggingface.co/datasets/web/scrape") == impact.find(graph, "web/scrape")
    assert impact.find(graph, "https://hf.co/meta/llama-2-7b/tree/main") == impact.find(graph, "meta/llama-2-7b")
    with pytest.raises(impact.ImpactError, match=r"no such asset in the lake; did you mean 'meta/llama-2-7b'"):
        impact.find(graph, "meta/lama-2-7b")
    twin = AssetGraph({**graph.assets, "model:web/scrape": Asset("web/scrape", "model")}, graph.edges, graph.harvest)
    assert impact.find(twin, "web/scrape") == "model:web/scrape"  # exactly as reports name it
    cased = AssetGraph({**graph.assets, "model:Web/Scrape": Asset("Web/Scrape", "model")}, graph.edges, graph.harvest)
    assert impact.find(cased, "WEB/scrape") == "model:Web/Scrape"  # a model of the id, in any case, over a dataset
    assert impact.find(cased, "https://huggingface.co/web/scrape") == "model:Web/Scrape"  # a model's URL
    assert impact.find(graph, "https://huggingface.co/datasets/WEB/scrape") == "dataset:web/scrape"
    with pytest.raises(impact.ImpactError, match="no such asset"):
        impact.find(graph, "https://huggingface.co/web/scrape")  # a model's URL never names a dataset
    two = AssetGraph({**cased.assets, "model:web/SCRAPE": Asset("web/SCRAPE", "model")}, graph.edges, graph.harvest)
    with pytest.raises(
        impact.ImpactError, match=r"names 3 assets of the lake \(Web/Scrape, datasets/web/scrape, web/SCRAPE\)"
    ):
        impact.find(two, "WEB/scrape")


def test_the_page_escapes_manifest_text():
    doc = assessed(GOVERNANCE, "meta/llama-2-7b", impact.Change("relicense", "<b>x</b>"))
    page = impacthtml.render(doc)
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_the_readme_shows_what_the_command_prints(tmp_path, readme_example):
    readme_example(
        "mlaudit impact fixtures/lakes/governance datasets/web/scrape --takedown --out impact-out",
        ["impact", "fixtures/lakes/governance", "datasets/web/scrape", "--takedown", "--out", str(tmp_path / "out")],
        {str(tmp_path / "out"): "impact-out"},
    )
    readme_example(
        "mlaudit impact fixtures/lakes/small ghost-org/vanished-3b --relicense MIT",
        ["impact", "fixtures/lakes/small", "ghost-org/vanished-3b", "--relicense", "MIT"],
        {},
    )


def test_a_resolved_finding_that_appears_is_shown_resolved_and_blocks_nothing_on_the_page(tmp_path, capsys):
    shutil.copytree(GOVERNANCE, tmp_path / "lake")
    resolved = "\n".join(
        f"  - rule: {rule}\n    asset: acme/llama-chat\n    reason: license-obtained\n    comment: contract M-1\n"
        "    reviewer: Jane Roe (Legal)\n    date: 2026-01-01"
        for rule in ("CMP001", "CMP006")
    )
    (tmp_path / "lake" / "resolutions.yaml").write_text(f"resolutions:\n{resolved}\n", encoding="utf-8")
    argv = ["impact", str(tmp_path / "lake"), "meta/llama-2-7b", "--relicense", "cc-by-nc-4.0"]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "  + error (resolved) CMP001 acme/llama-chat is released" in printed
    assert "  + error CMP001 acme/llama-chat-gguf is released" in printed
    doc = json.loads((tmp_path / "out" / "impact.json").read_text(encoding="utf-8"))
    chat = next(row for row in doc["assets"] if row["asset"] == "acme/llama-chat")
    assert impacthtml._errors(chat) == ()
    assert "<td>error (resolved)</td><td>CMP001</td>" in (tmp_path / "out" / "impact.html").read_text(encoding="utf-8")


def test_an_empty_relicence_is_refused_not_taken_for_no_change(capsys):
    assert main(["impact", str(GOVERNANCE), "meta/llama-2-7b", "--relicense", ""]) == 2
    assert "--relicense ''" in capsys.readouterr().err


def hub_table(tmp_path: Path, base_rows: list[tuple[str, str]]) -> Path:
    """A Hub table: meta/base at each (sha, licence), acme/pinned pinning the newest, acme/tracking pinning none."""
    rows = [{"id": "meta/base", "sha": sha, "cardData": {"license": lic}} for sha, lic in base_rows]
    newest = base_rows[-1][0]
    for name, base in (("acme/pinned", f"meta/base@{newest[:7]}"), ("acme/tracking", "meta/base")):
        rows.append({"id": name, "sha": "3" * 40, "cardData": {"license": "apache-2.0", "base_model": base}})
    table = tmp_path / "models.jsonl"
    table.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return table


@pytest.mark.parametrize("known", [[("1" * 40, "apache-2.0")], [("0" * 40, "mit"), ("1" * 40, "apache-2.0")]])
def test_a_relicence_is_a_new_revision_a_reference_pinned_to_the_former_newest_keeps_its_licence(tmp_path, known):
    doc = rows(assessed(hub_table(tmp_path, known), "meta/base", impact.Change("relicense", "cc-by-nc-4.0")))
    assert not doc["acme/pinned"]["appear"] and doc["acme/pinned"]["verdict"] == {"before": "pass", "after": "pass"}
    tracking = {f["rule"] for f in doc["acme/tracking"]["appear"]}
    assert {"CMP001", "PRV015"} <= tracking and doc["acme/tracking"]["verdict"]["after"] == "fail"
    (warned,) = [f["message"] for f in doc["acme/tracking"]["appear"] if f["rule"] == "PRV015"]
    assert warned.endswith("to CC-BY-NC-4.0 (revision after the relicence)")  # the asset's revision, no command


def test_a_takedown_of_every_revision_tells_of_no_licence_change_between_them(tmp_path):
    table = hub_table(tmp_path, [("0" * 40, "apache-2.0"), ("1" * 40, "apache-2.0")])
    doc = rows(assessed(table, "meta/base", impact.Change("takedown")))
    assert "CMP012" in {f["rule"] for f in doc["acme/tracking"]["appear"]}
    assert "PRV015" not in {f["rule"] for f in doc["acme/tracking"]["appear"]}


def test_relicensing_an_older_revision_named_by_its_first_characters_changes_what_tracks_the_newest(tmp_path):
    table = hub_table(tmp_path, [("0" * 40, "apache-2.0"), ("1" * 40, "apache-2.0")])
    text = table.read_text(encoding="utf-8").replace("meta/base@1111111", "meta/base@0000000")
    table.write_text(text, encoding="utf-8")  # acme/pinned pins the older revision
    doc = assessed(table, "meta/base@0000000", impact.Change("relicense", "cc-by-nc-4.0"))
    assert doc["asset"] == "meta/base@" + "0" * 40
    assert "CMP001" in {f["rule"] for f in rows(doc)["acme/pinned"]["appear"]}
    assert "PRV015" in {f["rule"] for f in rows(doc)["acme/tracking"]["appear"]}


def test_a_relicence_restates_the_licence_of_the_card_s_body_too(tmp_path):
    card = tmp_path / "meta" / "base" / "README.md"
    card.parent.mkdir(parents=True)
    card.write_text("---\nlicense: apache-2.0\n---\n\n# base\n\nLicensed under the Apache License, Version 2.0.\n")
    doc = rows(assessed(tmp_path, "meta/base", impact.Change("relicense", "cc-by-nc-4.0")))
    assert "PRV003" not in {f["rule"] for f in doc["meta/base"]["appear"]}
    assert doc["meta/base"]["license"]["after"] == "CC-BY-NC-4.0"


def test_the_answer_names_the_legal_position(capsys, tmp_path):
    main(["impact", str(GOVERNANCE), "datasets/web/scrape", "--takedown", "--out", str(tmp_path)])
    assert " · position: conservative\n" in capsys.readouterr().out
    assert json.loads((tmp_path / "impact.json").read_text(encoding="utf-8"))["position"] == "conservative"
    assert "position conservative" in (tmp_path / "impact.html").read_text(encoding="utf-8")
