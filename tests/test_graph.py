"""graph.build on hand-made records: which records become one asset, which edges their references
give, how a reference is resolved (by identity, by name only, or not at all) and which record's
format decides."""

import pytest

from auditor.graph import FORMAT_ORDER, LineageError, build
from auditor.model import AssetRecord, Checksum, Edge, Evidence, Harvest, Identifier, LicenseStatement, Reference


def ev(file: str, pointer: str = "", line: int | None = None) -> Evidence:
    return Evidence(file, pointer, line)


def card(asset_id: str, kind: str = "model", *refs: Reference, **fields) -> AssetRecord:
    folder = f"{'datasets/' if kind == 'dataset' else ''}{asset_id}"
    return AssetRecord(asset_id, kind, f"{folder}/README.md", references=list(refs), **fields)


def ref(target: str, kind: str = "model", relation: str = "finetune", **fields) -> Reference:
    return Reference(target, kind, relation, ev("x/README.md", "base_model", 3), **fields)


def graph_of(*records: AssetRecord, declared=()):
    return build(Harvest("root", list(records)), declared)


def test_a_reference_by_hub_id_gives_an_edge_from_child_to_parent_with_its_evidence():
    g = graph_of(card("org/base"), card("org/tuned", "model", ref("org/base", revision="abc123")))
    assert set(g.assets) == {"model:org/base", "model:org/tuned"}
    assert g.edges == [
        Edge("model:org/tuned", "model:org/base", "finetune", ev("x/README.md", "base_model", 3), revision="abc123")
    ]


def test_hub_ids_match_case_insensitively_and_models_and_datasets_are_separate_namespaces():
    g = graph_of(
        card("org/Base"),
        card("org/base", "dataset"),
        card("org/tuned", "model", ref("ORG/BASE"), ref("org/base", "dataset", "trained_on")),
    )
    assert {(e.parent, e.relation) for e in g.edges} == {
        ("model:org/base", "finetune"),
        ("dataset:org/base", "trained_on"),
    }
    assert g.assets["model:org/base"].id == "org/Base"  # the id keeps the manifest's spelling


def test_an_unmatched_reference_becomes_an_unresolved_asset_kept_for_the_rules():
    g = graph_of(card("org/tuned", "model", ref("org/nowhere")))
    ghost = g.assets["model:org/nowhere"]
    assert not ghost.resolved and ghost.records == []
    assert [(e.child, e.parent) for e in g.edges] == [("model:org/tuned", "model:org/nowhere")]
    assert g.edges[0].name_match is None


def test_a_reference_matched_by_name_only_says_so_on_the_edge():
    sbom = AssetRecord("base-data", "dataset", "sbom/bom.cdx.json", format="cyclonedx", kind_basis="manifest")
    g = graph_of(sbom, card("org/tuned", "model", ref("base-data", "dataset", "trained_on", scheme="name")))
    (edge,) = g.edges
    assert edge.parent == "dataset:base-data"
    assert edge.name_match == "sbom/bom.cdx.json"
    assert "matched by name only to sbom/bom.cdx.json" in edge.basis


def test_records_sharing_a_checksum_or_purl_become_one_asset_named_by_its_hub_id():
    digest = "ab" * 32
    sha = Checksum("sha256", digest, "model.safetensors", ev("a"))
    hub_card = card("org/model", checksums=[sha])
    sbom = AssetRecord(
        "model-from-sbom",
        "model",
        "sbom.spdx.json",
        format="spdx2",
        checksums=[Checksum("sha256", digest, "model.safetensors", ev("sbom.spdx.json"))],
        identifiers=[Identifier("purl", "pkg:huggingface/org/model@abc", ev("sbom.spdx.json"))],
    )
    g = graph_of(sbom, hub_card)
    assert list(g.assets) == ["model:org/model"]
    assert [r.source for r in g.assets["model:org/model"].records] == ["org/model/README.md", "sbom.spdx.json"]


@pytest.mark.parametrize("sbom_name", ["a-weights", "z-weights"])
def test_a_checksum_never_joins_two_hub_repositories(sbom_name):
    """Byte-identical weights in two Hub repositories (a re-upload) are two assets; an SBOM package
    with that checksum and no Hub id could be either, so it joins neither, wherever its name sorts."""
    digest = "cd" * 32

    def sha(file: str) -> list[Checksum]:
        return [Checksum("sha256", digest, "model.safetensors", ev(file))]

    original, mirror = card("meta/llama", checksums=sha("a")), card("acme/mirror", checksums=sha("b"))
    sbom = AssetRecord(sbom_name, "model", "sbom.spdx.json", format="spdx2", checksums=sha("sbom.spdx.json"))
    g = graph_of(original, mirror, sbom)
    assert {key: [r.source for r in a.records] for key, a in g.assets.items()} == {
        "model:acme/mirror": ["acme/mirror/README.md"],
        "model:meta/llama": ["meta/llama/README.md"],
        f"model:{sbom_name}": ["sbom.spdx.json"],
    }
    purls = [Identifier("purl", f"pkg:pypi/{name}", ev("x")) for name in ("one", "two")]
    apart = graph_of(
        *(
            AssetRecord(f"p{i}", "code", f"{i}.spdx.json", format="spdx2", checksums=sha("x"), identifiers=[purl])
            for i, purl in enumerate(purls)
        )
    )
    assert len(apart.assets) == 2
    assert list(graph_of(original, sbom).assets) == ["model:meta/llama"]  # one repository: the checksum joins


def test_a_hugging_face_purl_names_a_repository_of_its_record_s_kind():
    """`pkg:huggingface/acme/x` on a dataset record names the dataset acme/x, never the model
    acme/x beside it: models and datasets are separate namespaces on the Hub."""
    purl = [Identifier("purl", "pkg:huggingface/acme/x", ev("data.cdx.json"))]
    data = AssetRecord("x", "dataset", "data.cdx.json", format="cyclonedx", identifiers=purl)
    g = graph_of(card("acme/x"), data)
    assert sorted(g.assets) == ["dataset:acme/x", "model:acme/x"]
    model_purl = [Identifier("purl", "pkg:huggingface/acme/x", ev("m.spdx.json"))]
    package = AssetRecord("x", "model", "m.spdx.json", format="spdx2", identifiers=model_purl)
    assert sorted(graph_of(card("acme/x"), package).assets) == ["model:acme/x"]


def test_two_manifests_sharing_only_a_name_stay_two_assets_told_apart_by_their_file():
    a = AssetRecord("data", "dataset", "a/data.json", format="croissant")
    b = AssetRecord("data", "dataset", "b/data.json", format="croissant")
    g = graph_of(a, b)
    assert sorted(asset.id for asset in g.assets.values()) == ["data", "data (b/data.json)"]


def test_assets_of_kinds_reports_name_alike_are_told_apart_by_their_file():
    """An SBOM's `code` package and another's `other` package, both `hello`: distinct keys, but
    reports (and a lake's rows, and finding ids) name both `hello`, so the later is told apart."""
    a = AssetRecord("hello", "code", "a.spdx.json", format="spdx2")
    b = AssetRecord("Hello", "other", "b.spdx.json", format="spdx2")
    c = AssetRecord("hello", "dataset", "c.json", format="croissant")  # reports name it datasets/hello
    g = graph_of(a, b, c)
    assert sorted((asset.kind, asset.id) for asset in g.assets.values()) == [
        ("code", "hello"),
        ("dataset", "hello"),
        ("other", "Hello (b.spdx.json)"),
    ]


def test_an_upstream_no_manifest_describes_is_named_apart_from_a_described_asset_reports_name_alike():
    """A reference to model `hello` where only an SBOM's code package `hello` is described: the
    unresolved upstream is `hello (unresolved)`, its edges follow it, and the package keeps its name
    (else the package would be charged the upstream's 'no manifest describes it')."""
    package = AssetRecord("hello", "code", "a.spdx.json", format="spdx2")
    child = AssetRecord("org/m", "model", "m/README.md", references=[ref("hello")])
    other = AssetRecord("org/n", "model", "n/README.md", references=[ref("hello"), ref("other-base")])
    g = graph_of(package, child, other)
    named = {key: (asset.id, asset.resolved) for key, asset in g.assets.items()}
    assert named["code:hello"] == ("hello", True)
    assert named["model:hello (unresolved)"] == ("hello (unresolved)", False)
    assert named["model:other-base"] == ("other-base", False)  # no clash, no new name
    code_ref = Reference("other-base", "code", "depends_on", ev("n.spdx.json"))  # two references, two kinds
    both = graph_of(package, child, other, AssetRecord("org/p", "model", "p/README.md", references=[code_ref]))
    assert sorted(a.id for a in both.assets.values() if not a.resolved) == [
        "hello (unresolved)",
        "other-base",
        "other-base (unresolved)",
    ]
    assert sorted((e.child, e.parent) for e in g.edges) == [
        ("model:org/m", "model:hello (unresolved)"),
        ("model:org/n", "model:hello (unresolved)"),
        ("model:org/n", "model:other-base"),
    ]


def test_a_url_several_assets_carry_names_each_of_them_and_the_edge_says_so():
    def subset(name: str) -> AssetRecord:
        url = Identifier("url", "https://github.com/org/corpus", ev(f"{name}.json"))
        return AssetRecord(name, "dataset", f"{name}.json", format="croissant", identifiers=[url])

    user = card("org/m", "model", ref("https://github.com/org/corpus", "dataset", "trained_on", scheme="url"))
    g = graph_of(subset("corpus-en"), subset("corpus-fr"), user)
    assert sorted(e.parent for e in g.edges) == ["dataset:corpus-en", "dataset:corpus-fr"]
    assert all("2 distinct assets carry this URL" in e.basis for e in g.edges)


def test_format_ranking_the_better_ranked_record_comes_first_and_names_the_asset():
    assert FORMAT_ORDER.index("hf-card") < FORMAT_ORDER.index("spdx2") < FORMAT_ORDER.index("model-folder")
    purl = "pkg:huggingface/org/model"
    spdx = AssetRecord("Model", "model", "m.spdx.json", format="spdx2", identifiers=[Identifier("purl", purl, ev("s"))])
    folder = AssetRecord("org/model", "model", "org/model/config.json", format="model-folder", role="config")
    hub = card("org/model", licenses=[LicenseStatement("mit", ev("org/model/README.md", "license", 2))])
    g = graph_of(folder, spdx, hub)
    (asset,) = g.assets.values()
    assert [r.format for r in asset.records] == ["hf-card", "spdx2", "model-folder"]
    assert asset.id == "org/model"


def test_a_record_of_an_unknown_format_ranks_last():
    odd = AssetRecord(
        "org/model",
        "model",
        "odd.json",
        format="not-a-format",
        identifiers=[Identifier("purl", "pkg:huggingface/org/model", ev("o"))],
    )
    g = graph_of(odd, card("org/model"))
    assert [r.format for r in g.assets["model:org/model"].records] == ["hf-card", "not-a-format"]


def test_declared_lineage_adds_an_edge_and_its_parent_and_refuses_an_undescribed_child():
    g = graph_of(card("org/data", "dataset"), declared=(("datasets/org/data", "openai/gpt-4", "generated_by"),))
    (edge,) = g.edges
    assert (edge.child, edge.parent, edge.relation) == ("dataset:org/data", "model:openai/gpt-4", "generated_by")
    assert edge.evidence == ev("mlaudit.toml", "lineage[0]") and edge.format == "mlaudit.toml"
    assert not g.assets["model:openai/gpt-4"].resolved
    with pytest.raises(LineageError, match=r"lineage\[0\] child 'org/ghost'"):
        graph_of(card("org/data", "dataset"), declared=(("org/ghost", "org/data", "finetune"),))


def test_a_record_referring_to_another_record_of_its_own_file_gives_no_self_edge():
    model = AssetRecord(
        "org/m",
        "model",
        "bom.cdx.json",
        format="cyclonedx",
        references=[Reference("weights", "other", "contains", ev("bom.cdx.json"), scheme="record")],
        identifiers=[Identifier("purl", "pkg:huggingface/org/m", ev("bom.cdx.json"))],
    )
    weights = AssetRecord(
        "weights",
        "other",
        "bom.cdx.json",
        format="cyclonedx",
        identifiers=[Identifier("purl", "pkg:huggingface/org/m", ev("w"))],
    )
    g = graph_of(model, weights)
    assert len(g.assets) == 1 and g.edges == []


def test_assets_and_edges_come_out_sorted_whatever_the_order_of_the_records():
    records = [card("org/c", "model", ref("org/b")), card("org/b", "model", ref("org/a")), card("org/a")]
    forward, backward = graph_of(*records), graph_of(*reversed(records))
    assert list(forward.assets) == list(backward.assets) == ["model:org/a", "model:org/b", "model:org/c"]
    assert forward.edges == backward.edges
    assert [e.child for e in forward.edges] == ["model:org/b", "model:org/c"]


def test_an_asset_kept_apart_from_another_of_its_name_is_told_against_the_named_one():
    """A BOM beside the card naming the release without a purl: kept apart (a name is no identity), but
    told, or its upstreams and terms would vanish from the release's report without a word."""
    bom = AssetRecord("acme/m", "model", "bom.cdx.json", format="cyclonedx", references=[ref("o/d0", "dataset")])
    harvest = Harvest("root", [card("acme/m"), bom])
    g = build(harvest)
    assert set(g.assets) == {"model:acme/m", "model:acme/m (bom.cdx.json)", "dataset:o/d0"}
    (told,) = g.harvest.problems
    assert (told.code, told.evidence.file, told.asset) == ("kept-apart", "bom.cdx.json", "model:acme/m")
    assert "kept apart as 'acme/m (bom.cdx.json)'" in told.message
    assert harvest.problems == []  # the harvest given is left as it was
