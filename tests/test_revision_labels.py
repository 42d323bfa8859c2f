"""Which revision a label names, and which revision is the newest: labels that name one revision
are one version (a commit's first characters and its sha, `v1.0`, `1.0` and `1.0.0`); equal dates
fall back to the order without dates; a Hub row's date reads alike on every machine, as a number
too, and one that is no date is reported; a pin the audit cannot match binds the newest and says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import RB, within
from hypothesis import given
from hypothesis import strategies as st

from auditor import graph, harvest, versions
from auditor.model import AssetRecord

FULL_A, FULL_B = "a" * 8 + "1" * 32, "a" * 8 + "2" * 32  # two commits whose shas begin alike


def record(label: str | None, modified: str | None = None, source: str = "m.jsonl") -> AssetRecord:
    return AssetRecord("meta/base", "model", source, revision=label, modified=modified)


def card(root: Path, folder: str, front: str) -> None:
    (root / folder).mkdir(parents=True)
    (root / folder / "README.md").write_text(f"---\n{front}\n---\n\n# Card\n", encoding="utf-8")


def test_version_numbers_written_differently_are_one_version_under_the_longest_label_without_a_v():
    found = versions.ordered([record("v1.0"), record("2"), record("1.0.0"), record("1.0")])
    assert [(v.revision, len(v.records)) for v in found] == [("1.0.0", 3), ("2", 1)]


def test_a_commits_first_characters_are_its_revision_unless_they_begin_two():
    found = versions.ordered([record(FULL_A), record("AAAAAAAA1111"), record("bbbbbbb")])
    assert [(v.revision, len(v.records)) for v in found] == [(FULL_A, 2), ("bbbbbbb", 1)]
    apart = versions.ordered([record(FULL_A), record(FULL_B), record("aaaaaaaa")])
    assert sorted(v.revision for v in apart) == sorted([FULL_A, FULL_B, "aaaaaaaa"])


@given(numbers=st.lists(st.lists(st.integers(0, 30), min_size=1, max_size=3), min_size=1, max_size=5), data=st.data())
def test_spellings_of_version_numbers_give_one_version_each_in_numeric_order_whatever_the_read_order(numbers, data):
    distinct = sorted({_trimmed(tuple(n)) for n in numbers})
    spellings = [
        data.draw(st.sampled_from(["", "v"])) + ".".join(map(str, (*n, *[0] * data.draw(st.integers(0, 2)))))
        for n in distinct
        for _ in range(data.draw(st.integers(1, 3)))
    ]
    found = versions.ordered([record(s) for s in data.draw(st.permutations(spellings))])
    assert [versions._number(v.revision) for v in found] == distinct
    assert sum(len(v.records) for v in found) == len(spellings)


def _trimmed(number: tuple[int, ...]) -> tuple[int, ...]:
    while len(number) > 1 and number[-1] == 0:
        number = number[:-1]
    return number


def test_revisions_of_one_date_keep_the_order_without_dates():
    same = "2024-09-01T00:00:00.000Z"
    assert [v.revision for v in versions.ordered([record("2.0", same), record("1.0", same)])] == ["1.0", "2.0"]
    dated = versions.ordered([record("2.0", "2023-01-01T00:00:00.000Z"), record("1.0", same)])
    assert [v.revision for v in dated] == ["2.0", "1.0"]  # dates decide where they differ


def test_an_sboms_version_and_a_cards_of_one_number_are_one_revision_and_neither_is_dropped(tmp_path):
    card(tmp_path, "acme/m", "license: apache-2.0")
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {
            "component": {"type": "machine-learning-model", "bom-ref": "m", "group": "acme", "name": "m",
                          "version": "v1.0", "purl": "pkg:huggingface/acme/m",
                          "licenses": [{"license": {"id": "CC-BY-NC-4.0"}}],
                          "pedigree": {"ancestors": [{"type": "machine-learning-model", "bom-ref": "a",
                                                      "name": "meta/nc", "purl": "pkg:huggingface/meta/nc"}]}}
        },
    }  # fmt: skip
    spdx = {
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "m",
        "documentNamespace": "https://acme.example/spdx/m",
        "creationInfo": {"created": "2024-05-02T10:00:00Z", "creators": ["Tool: hand-written"]},
        "packages": [{"SPDXID": "SPDXRef-m", "name": "acme/m", "versionInfo": "1.0.0", "licenseDeclared": "Apache-2.0",
                      "downloadLocation": "NOASSERTION", "filesAnalyzed": False,
                      "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                        "referenceLocator": "pkg:huggingface/acme/m"}]}],
    }  # fmt: skip
    (tmp_path / "acme/m/bom.cdx.json").write_text(json.dumps(bom), encoding="utf-8")
    (tmp_path / "acme/m/m.spdx.json").write_text(json.dumps(spdx), encoding="utf-8")
    g = graph.build(harvest.harvest(tmp_path))
    m = g.assets["model:acme/m"]
    assert sorted(r.source for r in m.records) == ["acme/m/README.md", "acme/m/bom.cdx.json", "acme/m/m.spdx.json"]
    assert [(e.child, e.parent) for e in g.edges] == [("model:acme/m", "model:meta/nc")]


def test_packages_of_one_name_at_two_versions_in_one_spdx_document_are_one_asset_by_that_name(tmp_path):
    def package(spdx_id: str, version: str, license_id: str, name: str = "basenet") -> dict:
        return {"SPDXID": spdx_id, "name": name, "versionInfo": version, "downloadLocation": "NOASSERTION",
                "filesAnalyzed": False, "licenseDeclared": license_id,
                "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                  "referenceLocator": f"pkg:generic/acme/{name}@{version}"}]}  # fmt: skip

    doc = {
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "b",
        "documentNamespace": "https://acme.example/spdx/b",
        "creationInfo": {"created": "2024-05-02T10:00:00Z", "creators": ["Tool: hand-written"]},
        "packages": [package("SPDXRef-old", "1.9", "Apache-2.0"), package("SPDXRef-new", "1.10", "CC-BY-NC-4.0"),
                     package("SPDXRef-ft", "1", "MIT", "ft")],
        "relationships": [{"spdxElementId": "SPDXRef-ft", "relationshipType": "DESCENDANT_OF",
                           "relatedSpdxElement": "SPDXRef-old"}],
    }  # fmt: skip
    (tmp_path / "b.spdx.json").write_text(json.dumps(doc), encoding="utf-8")
    g = graph.build(harvest.harvest(tmp_path))
    (key,) = [k for k, a in g.assets.items() if a.versions]
    assert g.assets[key].id == "basenet"
    assert [v.revision for v in g.assets[key].versions] == ["1.9", "1.10"]
    assert [g.assets[e.parent].id for e in g.edges] == ["basenet@1.9"]


def test_a_pin_the_audit_cannot_match_binds_the_newest_and_says_so_though_one_revision_is_known(tmp_path):
    card(tmp_path, f"models--meta--base/snapshots/{FULL_B}/", "license: cc-by-nc-4.0")
    card(tmp_path, f"models--meta--base/snapshots/{FULL_A}/", "license: cc-by-nc-4.0")
    card(tmp_path, "acme/ambiguous", "license: mit\nbase_model: meta/base@aaaaaaaa")
    card(tmp_path, "acme/numbered", "license: mit\nbase_model: meta/base@aaaaaaaa2")
    card(tmp_path, "models--meta--one/snapshots/1111111aaaa/", "license: llama2")
    card(tmp_path, "acme/unknown", "license: mit\nbase_model: meta/one@2222222")
    card(tmp_path, "acme/known", "license: mit\nbase_model: meta/one@1111111")
    g = graph.build(harvest.harvest(tmp_path))
    ids = {key: i for i, key in enumerate(g.assets, start=1)}
    names = {i: g.assets[key].id for key, i in ids.items()}
    tracking = {
        (names[fact[1]], names[fact[2]])
        for fact, _ in versions.facts(g, ids, None, RB.kb)
        if fact[0] == "tracks_newest"
    }
    assert tracking == {("acme/ambiguous", "meta/base"), ("acme/unknown", "meta/one")}


def hub_table(folder: Path, rows: list[dict]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "models.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_date_without_a_zone_is_utc_on_every_machine(tmp_path):
    hub_table(tmp_path, [{"id": "meta/base", "sha": "aaaa", "lastModified": "2024-09-01 03:00:00", "tags": []}])
    script = "import sys; from pathlib import Path; from auditor import harvest; " + (
        "print(harvest.harvest(Path(sys.argv[1])).records[0].modified)"
    )
    for zone in ("UTC", "Asia/Tokyo", "America/Los_Angeles"):
        read = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)],
            env={**os.environ, "TZ": zone},
            capture_output=True,
            text=True,
        )
        assert read.stdout.strip() == "2024-09-01T03:00:00.000Z", (zone, read.stderr)


def test_a_numeric_date_is_read_as_seconds_or_milliseconds_and_one_that_is_no_date_is_reported(tmp_path):
    rows = [
        {"id": "a/ms", "sha": "a", "lastModified": 1725152400000, "tags": []},
        {"id": "a/s", "sha": "b", "lastModified": 1725152400, "tags": []},
        {"id": "a/text", "sha": "c", "lastModified": "Tue, 18 Jul 2023 00:00:00 GMT", "tags": []},
        {"id": "a/object", "sha": "d", "lastModified": {"at": 1}, "tags": []},
        {"id": "a/huge", "sha": "e", "lastModified": 1e300, "tags": []},
        {"id": "a/none", "sha": "f", "lastModified": None, "tags": []},
    ]
    hub_table(tmp_path, rows)
    found = harvest.harvest(tmp_path)
    assert {r.id: r.modified for r in found.records} == {
        "a/ms": "2024-09-01T01:00:00.000Z",
        "a/s": "2024-09-01T01:00:00.000Z",
        "a/text": None,
        "a/object": None,
        "a/huge": None,
        "a/none": None,
    }
    told = sorted(p.message for p in found.problems)
    assert len(told) == 3 and all("'lastModified' is" in m and "not a date" in m for m in told)
    assert [(p.evidence.file, p.evidence.line, p.evidence.pointer) for p in found.problems] == [
        ("models.jsonl", line, "lastModified") for line in (3, 4, 5)
    ]


def test_the_revisions_of_one_asset_are_told_in_time_that_grows_with_them_on_over_a_megabyte_of_labels():
    """30,000 shas (1.2 MB of labels) beginning alike, and the first characters of a thousand of them:
    each label finds the shas it begins by bisection, never by a scan of them all."""
    shas = [f"{i:020x}{'b' * 20}" for i in range(30_000)]
    records = [record(sha, f"2024-01-01T00:00:{i % 60:02d}.000Z") for i, sha in enumerate(shas)]
    records += [record(sha[:30]) for sha in shas[::30]] + [record("0000000")]  # the last begins them all
    assert sum(len(sha) for sha in shas) > 1_000_000
    found = within(5, versions.ordered, records)
    assert len(found) == 30_001 and sum(len(v.records) for v in found) == len(records)
