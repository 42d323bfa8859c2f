"""Versions: an asset known at several revisions is one asset with versions; a reference pinned to a
revision binds that revision's licence, an unpinned one the newest (and the chain says so); a
relicensed upstream is a finding (PRV015) on what tracks it; impact and diff work across revisions.

The lake fixture (fixtures/lakes/versions): meta/llama-base under llama2 at an older revision and
CC-BY-NC-4.0 at a newer one, acme/chat-pinned pinning the older, acme/chat-tracking pinning none,
and acme/chat-pinned-gguf and acme/chat-tracking-gguf quantized copies of them."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import FIXTURES, RB, run_audit
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import audit, drift, drift_sides, graph, harvest, impact, lake, versions
from auditor import snapshot as snapshot_file
from auditor.cli import main
from auditor.identity import pinned
from auditor.model import AssetRecord

LAKE = FIXTURES / "lakes" / "versions"
OLD, NEW = "f1e2d3c4b5a6978812345678901234567890abcd", "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
BASE = "meta/llama-base"
RELICENSED = {  # PRV015's detail for the base's relicence, for every asset that follows its newest revision
    "parent": BASE,
    "old_revision": OLD,
    "old": "LicenseRef-Llama-2-Community",
    "new_revision": NEW,
    "new": "CC-BY-NC-4.0",
}


def record(label: str | None, modified: str | None = None, source: str = "m.jsonl") -> AssetRecord:
    return AssetRecord(BASE, "model", source, revision=label, modified=modified)


@given(st.permutations(range(5)))
def test_versions_are_ordered_by_date_whatever_the_order_they_are_read_in(order):
    dates = [f"2024-0{i + 1}-01T00:00:00.000Z" for i in range(5)]
    found = versions.ordered([record(f"sha{i}", dates[i]) for i in order])
    assert [v.revision for v in found] == [f"sha{i}" for i in range(5)]


def test_version_numbers_are_ordered_as_numbers_and_shas_without_dates_as_read():
    numbered = versions.ordered([record("1.10"), record("v2"), record("1.9")])
    assert [v.revision for v in numbered] == ["1.9", "1.10", "v2"]
    undated = versions.ordered([record("bbb", "2024-01-01"), record("aaa")])
    assert [v.revision for v in undated] == ["bbb", "aaa"]  # one date is not an order: as read


def test_a_record_naming_no_revision_describes_the_newest():
    found = versions.ordered([record("2.0"), record(None, source="README.md"), record("1.0")])
    assert [(v.revision, [r.source for r in v.records]) for v in found] == [
        ("1.0", ["m.jsonl"]),
        ("2.0", ["m.jsonl", "README.md"]),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("org/x@abc123", ("org/x", "abc123")),
        ("org/x", ("org/x", None)),
        ("https://huggingface.co/org/x/tree/v1.0", ("https://huggingface.co/org/x/tree/v1.0", "v1.0")),
        ("https://huggingface.co/org/x", ("https://huggingface.co/org/x", None)),
        ("org/x@", ("org/x@", None)),
        ("some prose@abc", ("some prose@abc", None)),
    ],
)
def test_a_name_pins_a_revision_with_at_or_a_link_into_it(name, expected):
    assert pinned(name) == expected


def card(root: Path, folder: str, front: str) -> None:
    (root / folder).mkdir(parents=True)
    (root / folder / "README.md").write_text(f"---\n{front}\n---\n\n# Card\n", encoding="utf-8")


def built(root: Path) -> graph.AssetGraph:
    return graph.build(harvest.harvest(root))


def test_snapshot_folders_are_one_asset_and_a_pin_binds_its_own_revision(tmp_path):
    card(tmp_path, "models--meta--base/snapshots/1111111aaaa/", "license: llama2")
    card(tmp_path, "models--meta--base/snapshots/2222222bbbb/", "license: cc-by-nc-4.0")
    card(tmp_path, "acme/pinned", "license: llama2\nbase_model: meta/base@1111111aaaa")
    card(tmp_path, "acme/tracking", "license: llama2\nbase_model: meta/base")
    g = built(tmp_path)
    base = g.assets["model:meta/base"]
    assert [v.revision for v in base.versions] == ["1111111aaaa", "2222222bbbb"]
    assert [r.source for r in base.records] == ["models--meta--base/snapshots/2222222bbbb/README.md"]
    assert g.assets["model:meta/base@1111111aaaa"].revision_of == "model:meta/base"
    assert {(e.child, e.parent) for e in g.edges} == {
        ("model:acme/pinned", "model:meta/base@1111111aaaa"),
        ("model:acme/tracking", "model:meta/base"),
    }


def test_an_older_revision_no_reference_pins_is_not_an_asset_of_its_own(tmp_path):
    card(tmp_path, "models--meta--base/snapshots/1111111aaaa/", "license: llama2")
    card(tmp_path, "models--meta--base/snapshots/2222222bbbb/", "license: llama2")
    card(tmp_path, "acme/tracking", "license: llama2\nbase_model: meta/base@2222222bbbb")
    g = built(tmp_path)
    assert sorted(g.assets) == ["model:acme/tracking", "model:meta/base"]
    assert [(e.parent, e.revision) for e in g.edges] == [("model:meta/base", "2222222bbbb")]  # the newest


def test_sbom_component_versions_are_one_asset_and_a_dependency_binds_its_version(tmp_path):
    def component(ref: str, version: str, license_id: str) -> dict:
        purl = f"pkg:huggingface/meta/base@{version}"
        licenses = [{"license": {"id": license_id}}]
        return {"bom-ref": ref, "type": "machine-learning-model", "name": "meta/base", "version": version,
                "purl": purl, "licenses": licenses}  # fmt: skip

    release = {"bom-ref": "r", "type": "machine-learning-model", "name": "acme/r", "version": "1.0",
               "purl": "pkg:huggingface/acme/r@1.0", "licenses": [{"license": {"id": "Apache-2.0"}}]}  # fmt: skip
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"component": release},
        "components": [component("b1", "1.0", "Apache-2.0"), component("b2", "2.0", "CC-BY-NC-4.0")],
        "dependencies": [{"ref": "r", "dependsOn": ["b1"]}],
    }
    (tmp_path / "m.cdx.json").write_text(json.dumps(bom), encoding="utf-8")
    g = built(tmp_path)
    assert [v.revision for v in g.assets["model:meta/base"].versions] == ["1.0", "2.0"]
    assert [(e.child, e.parent) for e in g.edges] == [("model:acme/r", "model:meta/base@1.0")]


@pytest.fixture(scope="module")
def judged() -> lake.LakeAudit:
    return lake.run(LAKE, rb=RB)


def rules_at(judged: lake.LakeAudit, asset: str) -> set[str]:
    return {str(f["rule"]) for f in judged.findings if f["asset"] == asset and f["status"] == "open"}


def test_the_pinned_release_is_bound_by_the_old_licence_the_tracking_ones_by_the_new(judged):
    for pinned_one in ("acme/chat-pinned", "acme/chat-pinned-gguf"):
        assert not {"CMP001", "PRV015"} & rules_at(judged, pinned_one)  # llama2 allows commercial use
    for tracking in ("acme/chat-tracking", "acme/chat-tracking-gguf"):
        assert {"CMP001", "PRV015"} <= rules_at(judged, tracking)
    pinned_to = [e for e in judged.edges if e["child"] == "acme/chat-pinned"]
    assert [e["parent"] for e in pinned_to] == [f"{BASE}@{OLD}"]


def test_the_lake_releases_each_asset_at_its_newest_revision_and_judges_an_older_one_as_an_upstream(judged):
    assert sorted(row["id"] for row in judged.assets) == [
        "acme/chat-pinned",
        "acme/chat-pinned-gguf",
        "acme/chat-tracking",
        "acme/chat-tracking-gguf",
        BASE,
    ]
    older = f"{BASE}@{OLD}"
    at_older = sorted(f["id"] for f in judged.findings if f["asset"] == older)
    own = audit.run(LAKE, rb=RB, asset="acme/chat-pinned").document()
    assert at_older == sorted(f["id"] for f in own["findings"] if f["asset"] == older)
    assert "PRV014" in rules_at(judged, older) and "PRV008" not in rules_at(judged, older)  # no release's rules


def test_the_chain_says_the_newest_revision_binds_an_unpinned_reference(judged):
    (conflict,) = [f for f in judged.findings if f["asset"] == "acme/chat-tracking" and f["rule"] == "CMP001"]
    said = [step["fact"] for step in conflict["evidence"]]
    assert (
        f"acme/chat-tracking follows the newest known revision of {BASE}, {NEW}: its reference pins no revision the audit knows, or pins a branch that names it"
        in said
    )
    (change,) = [f for f in judged.findings if f["rule"] == "PRV015" and f["asset"] == "acme/chat-tracking"]
    assert change["detail"] == RELICENSED
    where = {(s["file"], s["pointer"], s["line"]) for s in change["evidence"]}
    assert where == {
        ("acme/chat-tracking/README.md", "base_model", 3),  # the unpinned reference
        ("models.jsonl", "cardData.license", 1),  # the older revision's licence
        ("models.jsonl", "cardData.license", 2),  # the newer revision's
    }


def test_a_copy_of_a_tracker_follows_the_newest_revision_through_it_in_the_lake_and_its_own_audit(judged):
    (change,) = [f for f in judged.findings if f["rule"] == "PRV015" and f["asset"] == "acme/chat-tracking-gguf"]
    assert change["detail"] == RELICENSED
    path = [(s["asset"], s["fact"], s["file"], s["line"]) for s in change["evidence"] if s["file"] != "models.jsonl"]
    assert path == [  # down the lineage from the copy to the reference that pins no revision
        (
            "acme/chat-tracking-gguf",
            "acme/chat-tracking-gguf is a quantized copy of acme/chat-tracking",
            "acme/chat-tracking-gguf/README.md",
            3,
        ),
        (
            "acme/chat-tracking",
            f"acme/chat-tracking follows the newest known revision of {BASE}, {NEW}: its reference pins no revision the audit knows, or pins a branch that names it",
            "acme/chat-tracking/README.md",
            3,
        ),
    ]
    own = audit.run(LAKE, rb=RB, asset="acme/chat-tracking-gguf").document()
    (alone,) = [f for f in own["findings"] if f["rule"] == "PRV015" and f["asset"] == "acme/chat-tracking-gguf"]
    assert (alone["id"], alone["evidence"]) == (change["id"], change["evidence"])


def assessed(root: Path, change: impact.Change) -> dict[str, dict]:
    doc = impact.assess(lake.load(root, frozenset(), RB), BASE, change)
    return {row["asset"]: row for row in doc["assets"]}


def test_impact_lists_the_descendants_of_every_revision_and_a_relicence_reaches_only_the_trackers():
    rows = assessed(LAKE, impact.Change("relicense", "apache-2.0"))
    assert list(rows) == [
        BASE,
        f"{BASE}@{OLD}",
        "acme/chat-pinned",
        "acme/chat-tracking",
        "acme/chat-pinned-gguf",
        "acme/chat-tracking-gguf",
    ]  # by distance, then by name
    assert [[s["from"] for s in p] for p in rows["acme/chat-pinned"]["paths"]] == [[f"{BASE}@{OLD}"]]
    assert not (rows["acme/chat-pinned"]["appear"] or rows["acme/chat-pinned"]["disappear"])
    for name in ("acme/chat-tracking", "acme/chat-tracking-gguf"):
        assert rows[name]["verdict"] == {"before": "fail", "after": "pass"}
    takedown = assessed(LAKE, impact.Change("takedown"))
    assert "CMP012" in {f["rule"] for f in takedown["acme/chat-pinned"]["appear"]}  # every revision withdrawn


def test_a_relicence_predicted_is_that_of_a_new_revision_pinned_references_keep_theirs(tmp_path, judged):
    rows = assessed(LAKE, impact.Change("relicense", "apache-2.0"))
    copy = tmp_path / "lake"
    shutil.copytree(LAKE, copy)
    table = copy / "models.jsonl"
    newest = json.loads(table.read_text().splitlines()[-1])
    newest |= {"sha": "9" * 40, "lastModified": "2025-01-01T00:00:00.000Z", "cardData": {"license": "apache-2.0"}}
    table.write_text(table.read_text() + json.dumps(newest) + "\n", encoding="utf-8")
    after = lake.run(copy, rb=RB)

    def ids(found: Iterable[str]) -> set[str]:  # a PRV015 names the new revision, which only the edit has a sha for
        return {i.split("-")[0] if i.startswith("PRV015") else i for i in found}

    for name, row in rows.items():
        was = {f["id"] for f in judged.findings if f["asset"] == name}
        now = {f["id"] for f in after.findings if f["asset"] == name}
        assert ids(f["id"] for f in row["appear"]) == ids(now - was), name
        assert ids(f["id"] for f in row["disappear"]) == ids(was - now), name
    assert "PRV015" in ids(f["id"] for f in rows["acme/chat-tracking"]["appear"])
    assert not rows["acme/chat-pinned"]["appear"] and not rows["acme/chat-pinned"]["disappear"]


def test_diff_of_the_lake_before_and_after_the_relicence_names_each_release_and_its_findings(tmp_path, judged):
    before = tmp_path / "before"
    shutil.copytree(LAKE, before)
    table = before / "models.jsonl"
    table.write_text(table.read_text().splitlines()[0] + "\n", encoding="utf-8")  # the older revision only
    doc, _ = drift.compare(drift_sides.from_lake(lake.run(before, rb=RB)), drift_sides.from_lake(judged), RB.kb)
    rows = {row["asset"]: row for row in doc["assets"]}
    assert rows[BASE]["license"] == {"before": "LicenseRef-Llama-2-Community", "after": "CC-BY-NC-4.0"}
    assert rows[f"{BASE}@{OLD}"]["status"] == "added"
    assert {"CMP001", "PRV015"} <= {f["rule"] for f in rows["acme/chat-tracking"]["findings"]["new"]}
    assert "CMP001" in {f["rule"] for f in rows["acme/chat-tracking-gguf"]["findings"]["new"]}
    pinned_row = rows["acme/chat-pinned"]
    assert pinned_row["edges"] == {
        "added": [{"parent": f"{BASE}@{OLD}", "relation": "finetune"}],
        "removed": [{"parent": BASE, "relation": "finetune"}],
    }
    assert not {"CMP001", "PRV015"} & {f["rule"] for f in pinned_row["findings"]["new"]}


def test_a_hub_table_row_carries_its_last_modified_date():
    records = harvest.harvest(LAKE).records
    assert sorted((r.revision, r.modified) for r in records if r.id == BASE) == [
        (NEW, "2024-09-01T00:00:00.000Z"),
        (OLD, "2023-07-18T00:00:00.000Z"),
    ]


def test_spdx_package_versions_are_one_asset_and_a_relationship_binds_its_version(tmp_path):
    def package(spdx_id: str, version: str, license_id: str) -> dict:
        return {"SPDXID": spdx_id, "name": "meta/base", "versionInfo": version, "downloadLocation": "NOASSERTION",
                "filesAnalyzed": False, "licenseDeclared": license_id, "primaryPackagePurpose": "OTHER",
                "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                  "referenceLocator": f"pkg:huggingface/meta/base@{version}"}]}  # fmt: skip

    release = package("SPDXRef-r", "1.0", "Apache-2.0") | {"name": "acme/r", "externalRefs": []}
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "r",
        "documentNamespace": "https://acme.example/spdx/r",
        "creationInfo": {"created": "2024-05-02T10:00:00Z", "creators": ["Tool: hand-written"]},
        "packages": [release, package("SPDXRef-b1", "1.0", "Apache-2.0"), package("SPDXRef-b2", "2.0", "CC-BY-NC-4.0")],
        "relationships": [
            {"spdxElementId": "SPDXRef-r", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-b1"}
        ],
    }
    (tmp_path / "r.spdx.json").write_text(json.dumps(doc), encoding="utf-8")
    g = built(tmp_path)
    assert [v.revision for v in g.assets["model:meta/base"].versions] == ["1.0", "2.0"]
    assert [(e.child, e.parent, e.revision) for e in g.edges] == [("other:acme/r", "model:meta/base@1.0", "1.0")]


def test_a_harvest_snapshot_keeps_the_versions_and_their_order(tmp_path, judged):
    snapshot = tmp_path / "graph.json"
    assert main(["harvest", str(LAKE), "-o", str(snapshot)]) == 0
    again = lake.run(snapshot, rb=RB)
    assert again.findings == judged.findings and again.assets == judged.assets
    stored = {(r.revision, r.modified) for r in snapshot_file.load(snapshot)[0].records if r.id == BASE}
    assert stored == {(OLD, "2023-07-18T00:00:00.000Z"), (NEW, "2024-09-01T00:00:00.000Z")}


def test_a_parquet_table_of_hub_records_gives_each_row_its_last_modified_date():
    records = harvest.harvest(FIXTURES / "formats" / "hub-records").records
    dated = {(r.source, r.id): r.modified for r in records}
    assert dated[("datasets.parquet", "tatsu-lab/alpaca")] == dated[("datasets.jsonl", "tatsu-lab/alpaca")]
    assert dated[("datasets.jsonl", "tatsu-lab/alpaca")] == "2023-05-22T20:33:36.000Z"


def test_a_parquet_timestamp_reads_as_the_apis_iso_text_so_revisions_order_alike(tmp_path):
    import duckdb

    rows = "SELECT 'meta/base' AS id, 'aaaa' AS sha, TIMESTAMP '2024-09-01 08:30:00.250' AS lastModified, [] AS tags, NULL::VARCHAR AS cardData"
    duckdb.sql(f"COPY ({rows}) TO '{tmp_path / 'models.parquet'}' (FORMAT PARQUET)")
    (record,) = harvest.harvest(tmp_path).records
    assert record.modified == "2024-09-01T08:30:00.250Z"


def test_what_only_a_dropped_older_revision_names_is_dropped_with_it(tmp_path):
    card(tmp_path, "models--meta--base/snapshots/1111111aaaa/", "license: llama2\nbase_model: gone/ancestor")
    card(tmp_path, "models--meta--base/snapshots/2222222bbbb/", "license: llama2")
    card(tmp_path, "acme/tracking", "license: llama2\nbase_model: meta/base\ndatasets:\n- nowhere/data")
    g = built(tmp_path)
    assert sorted(g.assets) == ["dataset:nowhere/data", "model:acme/tracking", "model:meta/base"]
    assert not g.assets["dataset:nowhere/data"].resolved  # an unresolved upstream a kept asset names stays


def test_a_branch_or_a_revision_not_harvested_binds_the_newest_and_says_so(tmp_path):
    card(tmp_path, "models--meta--base/snapshots/1111111aaaa/", "license: llama2")
    card(tmp_path, "models--meta--base/snapshots/2222222bbbb/", "license: cc-by-nc-4.0")
    card(tmp_path, "acme/branch", "license: llama2\nbase_model: meta/base@main")
    card(tmp_path, "acme/newest", "license: llama2\nbase_model: meta/base@2222222")
    g = built(tmp_path)
    ids = {key: i for i, key in enumerate(g.assets, start=1)}
    found = {fact[0]: fact[1:] for fact, _ in versions.facts(g, ids, None, RB.kb)}
    assert found["tracks_newest"] == (ids["model:acme/branch"], ids["model:meta/base"], "2222222bbbb")
    assert found["relicensed"] == (
        ids["model:meta/base"],
        "1111111aaaa",
        "LicenseRef-Llama-2-Community",
        "2222222bbbb",
        "CC-BY-NC-4.0",
    )
    tracking = [fact for fact, _ in versions.facts(g, ids, None, RB.kb) if fact[0] == "tracks_newest"]
    assert len(tracking) == 1  # acme/newest pins the newest revision by its first characters


def test_a_lineage_cycle_below_a_tracker_is_walked_once_and_every_engine_agrees(tmp_path):
    card(tmp_path, "models--meta--base/snapshots/1111111aaaa/", "license: llama2")
    card(tmp_path, "models--meta--base/snapshots/2222222bbbb/", "license: cc-by-nc-4.0")
    card(tmp_path, "acme/a", "license: llama2\nbase_model: meta/base")
    card(tmp_path, "acme/b", "license: llama2\nbase_model:\n- acme/a\n- acme/c\nbase_model_relation: merge")
    card(tmp_path, "acme/c", "license: llama2\nbase_model: acme/b")  # acme/b and acme/c descend from each other
    found = {
        engine: [
            (f["asset"], [(s["asset"], s["fact"]) for s in f["evidence"] if s["asset"] != "meta/base"])
            for f in audit.run(tmp_path, rb=RB, asset="acme/c", engine=engine).document()["findings"]
            if f["rule"] == "PRV015"
        ]
        for engine in ("clingo", "pydatalog", "duckdb")
    }
    assert found["pydatalog"] == found["clingo"] == found["duckdb"]
    chains = dict(found["clingo"])
    assert sorted(chains) == ["acme/a", "acme/b", "acme/c"]
    tracks = (
        "acme/a",
        "acme/a follows the newest known revision of meta/base, 2222222bbbb: its reference pins no revision the audit knows, or pins a branch that names it",
    )
    assert list(dict.fromkeys(chains["acme/c"])) == [
        ("acme/c", "acme/c is a fine-tune of acme/b"),
        ("acme/b", "acme/b is a merge including acme/a"),
        tracks,
    ]


CACHE = FIXTURES / "formats" / "hf-cache"  # meta/base at two undated snapshots; refs/main names the first by path
FIRST, SECOND = "a" * 40, "b" * 40
MAIN_REF = "models--meta--base/refs/main"


def test_refs_main_names_the_newest_of_undated_snapshots_and_a_branch_pin_binds_its_ref():
    g = built(CACHE)
    assert [v.revision for v in g.assets["model:meta/base"].versions] == [SECOND, FIRST]  # by path: FIRST, SECOND
    assert {(e.child, e.parent) for e in g.edges} == {
        ("model:acme/chat", "model:meta/base"),
        ("model:acme/chat-v1", f"model:meta/base@{SECOND}"),  # refs/v1 names SECOND
    }
    doc = audit.run(CACHE, rb=RB).document()
    (change,) = [f for f in doc["findings"] if f["rule"] == "PRV015"]
    assert (change["asset"], change["detail"]["old_revision"], change["detail"]["new_revision"]) == (
        "acme/chat",
        SECOND,
        FIRST,
    )
    assert {e["file"]: e["status"] for e in doc["inventory"] if "/refs/" in e["file"]} == {
        MAIN_REF: "read",
        "models--meta--base/refs/v1": "read",
    }


def test_a_pin_to_the_branch_main_follows_the_newest_as_it_moves(tmp_path):
    shutil.copytree(CACHE, tmp_path / "cache")
    card(tmp_path / "cache", "acme/chat-main", "license: llama2\nbase_model: meta/base@main")
    g = built(tmp_path / "cache")
    assert ("model:acme/chat-main", "model:meta/base") in {(e.child, e.parent) for e in g.edges}
    ids = {key: i for i, key in enumerate(g.assets, start=1)}
    tracking = {fact[1] for fact, _ in versions.facts(g, ids, None, RB.kb) if fact[0] == "tracks_newest"}
    assert tracking == {ids["model:acme/chat"], ids["model:acme/chat-main"]}  # not acme/chat-v1, on branch v1


@pytest.mark.parametrize(
    "content",
    [b"not a sha\n", b"", b"a" * 41, b"a" * 39 + b"\n", b"\x1b[31m" + b"a" * 40, b"a" * 40 + b"\n" * 200, "é".encode()],
)
def test_a_malformed_refs_main_is_an_input_error_that_fails_the_gate(tmp_path, content):
    """Which snapshot is the newest is then unknown, and the one taken instead decides the terms (the
    cache's main is CC-BY-NC-4.0, the other snapshot not): the gate must not pass on a broken file."""
    shutil.copytree(CACHE, tmp_path / "cache")
    (tmp_path / "cache" / MAIN_REF).write_bytes(content)
    g = built(tmp_path / "cache")
    (problem,) = g.harvest.problems
    assert (problem.evidence.file, problem.code, problem.asset) == (MAIN_REF, "malformed", "model:meta/base")
    assert problem.message.startswith("refs/main should hold the 40-hex commit sha of a revision, found ")
    doc = audit.run(tmp_path / "cache", rb=RB).document()  # the audit goes on, and says why
    assert [f["detail"]["file"] for f in doc["findings"] if f["rule"] == "INP001"] == [MAIN_REF]
    assert doc["verdict"] == "fail"


def test_a_ref_naming_a_revision_the_cache_holds_no_snapshot_of_is_reported_and_not_used(tmp_path):
    shutil.copytree(CACHE, tmp_path / "cache")
    shutil.rmtree(tmp_path / "cache" / "models--meta--base" / "snapshots" / FIRST)  # refs/main names it
    g = built(tmp_path / "cache")
    assert {r.revision for r in g.assets["model:meta/base"].records} == {SECOND}
    (problem,) = g.harvest.problems
    assert (problem.evidence.file, problem.code, problem.asset) == (MAIN_REF, "invalid", "model:meta/base")
    assert problem.message == (
        f"refs/main names the revision {FIRST}, but no manifest of that revision was read from this cache (no"
        " snapshot folder of it, or one without a card or manifest); it is not used, so the newest revision read"
        " stands for the newest"
    )
    doc = audit.run(tmp_path / "cache", rb=RB).document()  # the audit goes on, and says why
    assert [f["detail"]["file"] for f in doc["findings"] if f["rule"] == "INP002"] == [MAIN_REF]
    assert {e["file"]: e["status"] for e in doc["inventory"] if e["file"] == MAIN_REF} == {MAIN_REF: "read"}


def test_a_ref_that_is_a_link_out_of_the_audited_folder_is_never_read(tmp_path):
    shutil.copytree(CACHE, tmp_path / "cache")
    (tmp_path / "outside").write_text(FIRST, encoding="utf-8")
    (tmp_path / "cache" / MAIN_REF).unlink()
    (tmp_path / "cache" / MAIN_REF).symlink_to(tmp_path / "outside")
    g = built(tmp_path / "cache")
    assert [v.revision for v in g.assets["model:meta/base"].versions] == [FIRST, SECOND]
    assert [(e.file, e.status) for e in g.harvest.inventory if e.file == MAIN_REF] == [(MAIN_REF, "skipped")]


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200), st.sampled_from([FIRST, SECOND, SECOND.upper() + "\n", "c" * 40]).map(str.encode)
    )
)
def test_any_refs_main_either_names_a_revision_or_is_reported(content):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "cache"
        shutil.copytree(CACHE, root)
        (root / MAIN_REF).write_bytes(content)
        g = built(root)
    sha = content.decode("ascii", "replace").strip().lower() if len(content) <= 128 else ""
    named = [v.revision for v in g.assets["model:meta/base"].versions]
    if sha in (FIRST, SECOND):
        assert not g.harvest.problems and named == ([FIRST, SECOND] if sha != FIRST else [SECOND, FIRST])
    elif re.fullmatch("[0-9a-f]{40}", sha):  # a revision the cache holds no snapshot of
        assert [p.message.startswith(f"refs/main names the revision {sha}") for p in g.harvest.problems] == [True]
        assert [p.evidence.file for p in g.harvest.problems] == [MAIN_REF] and named == [FIRST, SECOND]
    else:
        assert [p.evidence.file for p in g.harvest.problems] == [MAIN_REF] and named == [FIRST, SECOND]


def test_a_harvest_snapshot_keeps_the_branches_that_order_the_snapshots(tmp_path):
    snapshot = tmp_path / "graph.json"
    assert main(["harvest", str(CACHE), "-o", str(snapshot)]) == 0
    again = graph.build(snapshot_file.load(snapshot)[0])
    assert [v.revision for v in again.assets["model:meta/base"].versions] == [SECOND, FIRST]


@pytest.mark.parametrize(
    "other, newest", [("other-cache", SECOND), ("a-cache", FIRST)]
)  # the last refs/main by path decides, whichever cache it is in
def test_two_caches_whose_refs_main_name_different_revisions_are_reported_and_the_last_by_path_decides(
    tmp_path, other, newest
):
    root = tmp_path / "cache"
    shutil.copytree(CACHE, root)  # its refs/main names FIRST
    second = f"{other}/models--meta--base"
    shutil.copytree(CACHE / "models--meta--base" / "snapshots" / SECOND, root / second / "snapshots" / SECOND)
    (root / second / "refs").mkdir()
    (root / second / "refs" / "main").write_text(SECOND, encoding="utf-8")
    g = built(root)
    assert g.assets["model:meta/base"].versions[-1].revision == newest
    doc = audit.run(root, rb=RB).document()
    (finding,) = [f for f in doc["findings"] if f["rule"] == "PRV003"]
    refs = sorted([(MAIN_REF, FIRST), (f"{second}/refs/main", SECOND)])
    last = refs[-1][0]
    assert (finding["asset"], finding["detail"]["aspect"]) == ("meta/base", "version")
    assert finding["detail"]["detail"] == (
        f"{refs[0][0]}: {refs[0][1]} | {refs[1][0]}: {refs[1][1]}; "
        f"the newest is taken to be {newest}, as {last} names it, the last of them by path"
    )
    assert {e["file"] for e in finding["evidence"]} >= {MAIN_REF, f"{second}/refs/main"}


def test_two_caches_whose_refs_main_name_the_same_revision_agree(tmp_path):
    root = tmp_path / "cache"
    shutil.copytree(CACHE, root)
    second = "other-cache/models--meta--base"
    shutil.copytree(CACHE / "models--meta--base" / "snapshots" / FIRST, root / second / "snapshots" / FIRST)
    (root / second / "refs").mkdir()
    (root / second / "refs" / "main").write_text(FIRST + "\n", encoding="utf-8")
    g = built(root)
    assert [v.revision for v in g.assets["model:meta/base"].versions] == [SECOND, FIRST]
    doc = audit.run(root, rb=RB).document()
    assert not [f for f in doc["findings"] if f["rule"] == "PRV003"]


@pytest.mark.parametrize(
    ("licenses", "change"),
    [
        (["apache-2.0", "cc-by-nc-4.0", "mit"], ("b", "CC-BY-NC-4.0", "c", "MIT")),
        (["apache-2.0", "cc-by-nc-4.0", "cc-by-nc-4.0"], ("a", "Apache-2.0", "b", "CC-BY-NC-4.0")),
    ],
)
def test_a_tracker_is_told_only_the_change_into_the_newest_revisions_licence(tmp_path, licenses, change):
    """A change between two older revisions is history: the tracker is bound by the newest's licence."""
    rows = [
        {"id": "org/base", "sha": sha * 40, "lastModified": f"202{n}-01-01T00:00:00.000Z", "cardData": {"license": lic}}
        for n, (sha, lic) in enumerate(zip("abc", licenses, strict=True))
    ]
    rows.append(
        {"id": "org/tracking", "sha": "d" * 40, "cardData": {"license": "apache-2.0", "base_model": "org/base"}}
    )
    (tmp_path / "models.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    doc = run_audit(tmp_path, asset="org/tracking")
    told = [f["detail"] for f in doc["findings"] if f["rule"] == "PRV015"]
    old_revision, old, new_revision, new = change
    assert told == [
        {
            "parent": "org/base",
            "old_revision": old_revision * 40,
            "old": old,
            "new_revision": new_revision * 40,
            "new": new,
        }
    ]
