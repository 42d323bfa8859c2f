"""facts.encode on a small hand-made graph: which facts a graph gives, the ids assets get, and the
evidence each fact points back to (the files, fields and lines a finding's chain ends at)."""

import pytest
from conftest import RB

from auditor import facts, releases
from auditor.config import Settings
from auditor.graph import build
from auditor.model import AssetRecord, Checksum, Evidence, Harvest, LicenseStatement, Reference

BASE_LICENSE = Evidence("org/base/README.md", "license", 2)
DATA_LICENSE = Evidence("data/loans.json", "/license", 7)
FINETUNE = Evidence("org/tuned/README.md", "base_model", 4)
TRAINED_ON = Evidence("org/tuned/README.md", "datasets[0]", 6)
GHOST = Evidence("org/tuned/README.md", "datasets[1]", 7)


def encode(graph, settings):
    """The one call of encode here, so a change of its signature is one edit."""
    return facts.encode(graph, settings, RB)


def small_graph():
    """org/tuned (no license) fine-tunes org/base (Apache-2.0) and is trained on loans
    (CC-BY-NC-4.0) and on org/ghost, which no manifest describes."""
    base = AssetRecord(
        "org/base", "model", "org/base/README.md", licenses=[LicenseStatement("apache-2.0", BASE_LICENSE)]
    )
    data = AssetRecord(
        "loans",
        "dataset",
        "data/loans.json",
        format="croissant",
        licenses=[LicenseStatement("https://creativecommons.org/licenses/by-nc/4.0/", DATA_LICENSE)],
        checksums=[
            Checksum("sha256", "0" * 64, "loans.csv", Evidence("data/loans.json", "/distribution/0/sha256", 12))
        ],
    )
    tuned = AssetRecord(
        "org/tuned",
        "model",
        "org/tuned/README.md",
        references=[
            Reference("org/base", "model", "finetune", FINETUNE),
            Reference("loans", "dataset", "trained_on", TRAINED_ON, scheme="name"),
            Reference("org/ghost", "dataset", "trained_on", GHOST),
        ],
    )
    return build(Harvest("root", [tuned, data, base]))


@pytest.fixture(scope="module")
def encoded():
    graph = small_graph()
    return graph, encode(graph, Settings(asset="org/tuned", origin={"asset": "mlaudit.toml"}))


def ids(fb):
    return {key: i for i, key in enumerate(fb.keys) if key}


def test_assets_get_ids_in_sorted_key_order_and_zero_stands_for_the_audit(encoded):
    _, fb = encoded
    assert fb.keys == ["", "dataset:loans", "dataset:org/ghost", "model:org/base", "model:org/tuned"]
    assert fb.release == "model:org/tuned"
    assert fb.release_basis == "named in mlaudit.toml"


def test_each_asset_is_a_fact_pointing_at_the_files_that_describe_it(encoded):
    _, fb = encoded
    a = ids(fb)
    assert fb.facts[("asset", a["model:org/base"], "model")] == (Evidence("org/base/README.md", ""),)
    assert fb.facts[("asset", a["dataset:loans"], "dataset")] == (Evidence("data/loans.json", ""),)
    assert fb.facts[("asset", a["dataset:org/ghost"], "dataset")] == ()


def test_edges_carry_the_evidence_of_the_reference_that_states_them(encoded):
    _, fb = encoded
    a = ids(fb)
    tuned = a["model:org/tuned"]
    assert fb.facts[("edge", tuned, a["model:org/base"], "finetune")] == (FINETUNE,)
    assert fb.facts[("edge", tuned, a["dataset:loans"], "trained_on")] == (TRAINED_ON,)
    assert fb.facts[("edge", tuned, a["dataset:org/ghost"], "trained_on")] == (GHOST,)
    assert len([f for f in fb.facts if f[0] == "edge"]) == 3


def test_a_license_fact_points_at_the_statement_it_was_read_from(encoded):
    _, fb = encoded
    a = ids(fb)
    assert fb.facts[("licensed", a["model:org/base"], "Apache-2.0")] == (BASE_LICENSE,)
    assert fb.facts[("licensed", a["dataset:loans"], "CC-BY-NC-4.0")] == (DATA_LICENSE,)
    assert fb.readings["dataset:loans"].licenses == ("CC-BY-NC-4.0",)


def test_an_asset_without_a_license_and_an_unresolved_one_are_unlicensed_for_different_reasons(encoded):
    _, fb = encoded
    a = ids(fb)
    assert fb.facts[("unlicensed", a["model:org/tuned"], "missing")] == (Evidence("org/tuned/README.md", "license"),)
    assert ("unresolved", a["dataset:org/ghost"]) in fb.facts
    assert fb.facts[("unlicensed", a["dataset:org/ghost"], "unknown")] == ()
    assert not any(f[0] == "licensed" and f[1] == a["model:org/tuned"] for f in fb.facts)


def test_a_listed_license_that_names_no_license_is_unlicensed_beside_the_known_one():
    """`license: [cc-by-4.0, unknown]`: all apply, so the unknown part's terms are unknown too."""
    listed = [LicenseStatement("cc-by-4.0", BASE_LICENSE), LicenseStatement("unknown", DATA_LICENSE)]
    graph = build(Harvest("root", [AssetRecord("org/base", "model", "org/base/README.md", licenses=listed)]))
    fb = encode(graph, Settings(asset="org/base", origin={"asset": "mlaudit.toml"}))
    a = ids(fb)["model:org/base"]
    assert fb.facts[("licensed", a, "CC-BY-4.0")] == (BASE_LICENSE,)
    assert fb.facts[("unlicensed", a, "unknown")] == (DATA_LICENSE,)
    assert fb.facts[("unlicensed_part", a, "unknown", "unknown")] == (DATA_LICENSE,)


def test_a_license_only_a_cards_license_name_or_link_names_is_cited_at_that_field():
    """`license: cc-by-4.0` with license_name and license_link naming CC BY-NC: both apply, each
    cited where it is written."""
    name, link = Evidence("org/base/README.md", "license_name", 3), Evidence("org/base/README.md", "license_link", 4)
    nc = "https://creativecommons.org/licenses/by-nc/4.0/"
    stated = LicenseStatement("cc-by-4.0", BASE_LICENSE, "cc-by-nc-4.0", nc, name, link)
    graph = build(Harvest("root", [AssetRecord("org/base", "model", "org/base/README.md", licenses=[stated])]))
    fb = encode(graph, Settings(asset="org/base", origin={"asset": "mlaudit.toml"}))
    a = ids(fb)["model:org/base"]
    assert fb.facts[("licensed", a, "CC-BY-4.0")] == (BASE_LICENSE,)
    assert fb.facts[("licensed", a, "CC-BY-NC-4.0")] == (name,)


def test_the_release_fact_names_mlaudit_toml_when_the_release_is_named_there(encoded):
    _, fb = encoded
    release = [(f, ev) for f, ev in fb.facts.items() if f[0] == "release"]
    assert release == [
        (("release", ids(fb)["model:org/tuned"], "commercial", "weights"), (Evidence("mlaudit.toml", "release"),))
    ]


def test_a_name_only_match_and_an_unpinned_upstream_are_provenance_facts_with_their_edge(encoded):
    _, fb = encoded
    a = ids(fb)
    tuned = a["model:org/tuned"]
    assert fb.facts[("name_match", tuned, a["dataset:loans"], "data/loans.json")] == (TRAINED_ON,)
    assert fb.facts[("has_checksum", a["dataset:loans"])] == (
        Evidence("data/loans.json", "/distribution/0/sha256", 12),
    )
    assert ("has_source", tuned) in fb.facts  # a Hub card's id is its source location


def test_the_program_is_the_facts_as_asp_text_one_a_line(encoded):
    _, fb = encoded
    lines = fb.program().splitlines()
    assert len(lines) == len(fb.facts)
    a = ids(fb)
    assert f"edge({a['model:org/tuned']},{a['model:org/base']},finetune)." in lines  # a relation is a constant


def test_a_fact_stated_twice_keeps_both_pieces_of_evidence():
    fb = facts.FactBase()
    first, second = Evidence("a.json", "/license", 1), Evidence("b.json", "/license", 2)
    fb.add(("licensed", 1, "MIT"), first)
    fb.add(("licensed", 1, "MIT"), None, second)
    assert fb.facts == {("licensed", 1, "MIT"): (first, second)}


def test_a_release_named_but_not_described_is_refused_with_the_nearest_name():
    with pytest.raises(releases.ReleaseError, match=r"'org/tuner'.*did you mean 'org/tuned'"):
        encode(small_graph(), Settings(asset="org/tuner"))


def test_a_release_named_by_its_hub_url_is_the_repository_the_url_names():
    graph = small_graph()
    assert encode(graph, Settings(asset="https://huggingface.co/org/tuned")).release == "model:org/tuned"
    with pytest.raises(releases.ReleaseError, match="not described"):
        encode(graph, Settings(asset="https://huggingface.co/datasets/org/tuned"))  # the URL names a dataset


def test_without_a_named_release_the_only_asset_nothing_derives_from_is_inferred():
    graph = small_graph()
    fb = encode(graph, Settings())
    assert fb.release == "model:org/tuned"
    assert fb.release_basis.startswith("inferred")
    (release,) = [(f, ev) for f, ev in fb.facts.items() if f[0] == "release"]
    assert release[1] == ()  # no file states it


def test_two_assets_nothing_derives_from_are_candidates_and_no_release_is_chosen():
    a = AssetRecord("org/a", "model", "org/a/README.md")
    b = AssetRecord("org/b", "model", "org/b/README.md")
    fb = encode(build(Harvest("root", [a, b])), Settings())
    assert fb.release is None
    assert {f for f in fb.facts if f[0].startswith("release")} == {
        ("release_candidate", 1),
        ("release_candidate", 2),
        ("release_unidentified", 2, "org/a, org/b"),
    }
