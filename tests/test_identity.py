"""Identity across manifests: which records become one asset, and what a reference by URL resolves to."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, card, findings_of, run_audit, write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.graph import build
from auditor.harvest import harvest
from auditor.identity import keys, normalise_url

REPO = "https://github.com/bigcode-project/octopack"
COMMERCIAL = ["MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "CC-BY-4.0", "CC0-1.0"]
CROISSANT = {
    "@context": {"@vocab": "https://schema.org/", "cr": "http://mlcommons.org/croissant/"},
    "conformsTo": "http://mlcommons.org/croissant/1.0",
}


def dataset(name: str, url: str = REPO, license: str | None = None, croissant: bool = False, **more) -> str:
    """A schema.org (or Croissant) dataset description."""
    node = {"@context": "https://schema.org/", "@type": "Dataset", "name": name, "url": url, **more}
    return json.dumps(node | (CROISSANT if croissant else {}) | ({"license": license} if license else {}))


def assets_of(tmp_path, files: dict) -> dict:
    """Resolved assets of a folder: display id -> sorted declared licenses."""
    graph = build(harvest(write_tree(tmp_path, files)))
    return {a.id: sorted(s.raw for s in a.licenses) for a in graph.assets.values() if a.resolved}


@pytest.mark.parametrize("croissant", [False, True], ids=["schema.org", "croissant"])
@pytest.mark.parametrize(
    "field, url",
    [
        ("url", REPO),  # a repository
        ("url", "https://bigcode-project.org"),  # a homepage
        ("url", "https://dl.example/commitpack.tar.gz"),  # one archive holding every subset
        ("sameAs", "https://zenodo.example/records/1"),
    ],
)
def test_subsets_sharing_a_url_stay_distinct(tmp_path, croissant, field, url):
    found = assets_of(
        tmp_path,
        {
            "python.json": dataset("commitpackft-python", license="MIT", croissant=croissant, **{field: url}),
            "java.json": dataset("commitpackft-java", license="Apache-2.0", croissant=croissant, **{field: url}),
        },
    )
    assert found == {"commitpackft-python": ["MIT"], "commitpackft-java": ["Apache-2.0"]}


def test_a_shared_url_and_the_same_name_still_merge_and_disagree(release):
    doc = release(
        {
            "a.json": dataset("CommitPackFT", license="MIT"),
            "b.json": dataset("commitpackft", url=REPO + "/", license="Apache-2.0"),
        }
    )
    assert [a["sources"] for a in doc["assets"]] == [["a.json", "b.json"]]
    (disagreement,) = findings_of(doc, "PRV003")
    assert disagreement["detail"]["aspect"] == "license"
    assert (
        "a.json (declared): MIT" in disagreement["message"]
        and "b.json (declared): Apache-2.0" in disagreement["message"]
    )


def test_names_agree_without_owner_case_or_punctuation(tmp_path):
    url = "https://acme.example/loans"
    found = assets_of(
        tmp_path,
        {
            "a.json": dataset("acme/loan-applications", url=url, license="MIT"),
            "b.json": dataset("Loan_Applications", url=url + "/", license="MIT"),
        },
    )
    assert found == {"acme/loan-applications": ["MIT", "MIT"]}


def test_a_subset_without_a_known_license_leaves_the_others_theirs(tmp_path):
    found = assets_of(
        tmp_path,
        {
            "python.json": dataset("commitpackft-python", license="MIT"),
            "odd.json": dataset("commitpackft-odd", license="unknown"),
        },
    )
    assert found == {"commitpackft-python": ["MIT"], "commitpackft-odd": ["unknown"]}


def test_strong_identifiers_merge_whatever_the_names(tmp_path):
    hub = "https://huggingface.co/datasets/bigcode/commitpackft"
    found = assets_of(
        tmp_path,
        {
            "a.json": dataset("commitpackft", url=hub, license="MIT"),
            "b.json": dataset("CommitPackFT (all languages)", url=hub, license="MIT"),
            "c.json": dataset("x", url="https://a.example/x", identifier="10.5281/zenodo.1"),
            "d.json": dataset("y", url="https://b.example/y", identifier="10.5281/zenodo.1"),
        },
    )
    assert found == {"bigcode/commitpackft": ["MIT", "MIT"], "x": []}


def test_a_relicensed_re_upload_of_identical_weights_is_a_copy_not_the_original(release):
    """Two Hub repositories whose weights are byte-identical (here Git LFS pointers of one oid) are
    two assets: the MIT mirror that names Meta's model as its base is bound by its licence."""
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{'ef' * 32}\nsize 16060522240\n"
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/llama3-mirror"\n',
            "meta-llama/Meta-Llama-3-8B/README.md": card("license: llama3"),
            "meta-llama/Meta-Llama-3-8B/model.safetensors": pointer,
            "acme/llama3-mirror/README.md": card("license: mit\nbase_model: meta-llama/Meta-Llama-3-8B"),
            "acme/llama3-mirror/model.safetensors": pointer,
        }
    )
    assert sorted(a["id"] for a in doc["assets"]) == ["acme/llama3-mirror", "meta-llama/Meta-Llama-3-8B"]
    assert [(e["child"], e["parent"]) for e in doc["edges"]] == [("acme/llama3-mirror", "meta-llama/Meta-Llama-3-8B")]
    rules = {f["rule"] for f in doc["findings"]}
    assert "CMP006" in rules and "PRV011" not in rules and doc["verdict"] == "fail"


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(COMMERCIAL), min_size=2, max_size=6))
def test_n_subsets_sharing_a_url_are_n_assets_each_with_its_license(tmp_path_factory, licenses):
    root = tmp_path_factory.mktemp("subsets")
    files = {f"s{i}.json": dataset(f"commitpackft-{i}", license=lic) for i, lic in enumerate(licenses)}
    doc = run_audit(write_tree(root, files))
    found = {a["id"]: (a["license"], a["use_category"]) for a in doc["assets"]}
    assert found == {f"datasets/commitpackft-{i}": (lic, "commercial") for i, lic in enumerate(licenses)}
    assert not findings_of(doc, "PRV003")


def test_a_dataset_based_on_the_repository_carries_every_subset_license(release):
    """A reference by a URL that several distinct assets carry names each of them: all their terms apply."""
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "code-instructions"\nuse = "commercial"\ndistribution = "weights"\n',
            "release.json": dataset(
                "code-instructions", url="https://acme.example/ci", license="Apache-2.0", isBasedOn=REPO
            ),
            "python.json": dataset("commitpackft-python", license="MIT"),
            "java.json": dataset("commitpackft-java", license="Apache-2.0"),
            "go.json": dataset("commitpackft-go", license="BSD-3-Clause"),
        }
    )
    subsets = {
        "datasets/commitpackft-python": "MIT",
        "datasets/commitpackft-java": "Apache-2.0",
        "datasets/commitpackft-go": "BSD-3-Clause",
    }
    assets = {a["id"]: a for a in doc["assets"]}
    assert {i: assets[i]["license"] for i in subsets} == subsets
    assert {e["parent"] for e in doc["edges"] if e["child"] == "datasets/code-instructions"} == set(subsets)
    assert {assets[i]["use_category"] for i in (*subsets, "datasets/code-instructions")} == {"commercial"}
    assert not [f for f in doc["findings"] if f["rule"] in ("LIC001", "CMP012", "PRV003")]


def test_a_subset_based_on_its_own_repository_names_itself_not_its_neighbours(release):
    doc = release(
        {
            "python.json": dataset("commitpackft-python", license="MIT", isBasedOn=REPO),
            "java.json": dataset("commitpackft-java", license="CC-BY-NC-4.0", isBasedOn=REPO),
        }
    )
    assert {(e["child"], e["parent"]) for e in doc["edges"]} == {
        ("datasets/commitpackft-python", "datasets/commitpackft-python"),
        ("datasets/commitpackft-java", "datasets/commitpackft-java"),
    }
    assert {a["id"]: a["use_category"] for a in doc["assets"]} == {
        "datasets/commitpackft-python": "commercial",
        "datasets/commitpackft-java": "non-commercial",
    }


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("git+https://github.com/o/r.git#example1/content", "git://github.com/o/r.git#example7/content/bin", False),
        ("git+https://github.com/o/r.git#sub", "git+ssh://github.com/o/r.git#sub", True),
        ("https://example.org/data#section", "https://example.org/data", True),  # a page's anchor is the page
    ],
)
def test_a_version_control_location_keeps_the_sub_path_its_fragment_names(one, other, same):
    assert (normalise_url(one) == normalise_url(other)) is same


def test_an_spdx_element_keeps_the_fragment_that_names_it_a_web_url_does_not():
    compiler, fmt = "https://acme.example/go-lib#SPDXRef-compiler", "https://acme.example/go-lib#SPDXRef-fmt"
    assert keys("element", compiler) != keys("element", fmt)
    assert keys("element", compiler) == [("element", "acme.example/go-lib#SPDXRef-compiler")]
    assert keys("url", "https://huggingface.co/acme/m#usage") == keys("url", "https://huggingface.co/acme/m")


@pytest.mark.parametrize("fmt", ["spdx2", "spdx3"])
def test_elements_of_another_document_are_the_packages_it_describes(fmt):
    """SPDX 2 `DocumentRef-lib:SPDXRef-fmt`, SPDX 3 `https://other.example/doc#tokenizer`: each names one
    element of the other document, which joins the package that document describes, not one asset per
    document holding every edge."""
    doc = run_audit(FIXTURES / "formats" / fmt / "cross-document")
    licenses = {a["id"]: a["license"] for a in doc["assets"]}
    edges = sorted((e["child"], e["relation"], e["parent"]) for e in doc["edges"])
    if fmt == "spdx2":
        assert edges == [("hello-bin", "depends_on", "go.fmt"), ("hello-bin", "uses_tool", "go-compiler")]
        assert licenses == {"go-compiler": "GPL-3.0-only", "go.fmt": "BSD-3-Clause", "hello-bin": "MIT"}
    else:
        assert edges == [("acme-model", "depends_on", "tokenizer"), ("acme-model", "derived_from", "base-model")]
        assert licenses == {"acme-model": "MIT", "base-model": "CC-BY-NC-SA-4.0", "tokenizer": "Apache-2.0"}


def test_another_manifests_concluded_license_does_not_relax_the_licensors_card(release):
    """A conclusion speaks of the declaration in its own document: a BOM concluding MIT for a dataset
    whose card declares CC BY-NC leaves both binding, so a commercial release fails."""
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"component": {"type": "machine-learning-model", "bom-ref": "m", "name": "model", "group": "acme"}},
        "components": [
            {
                "type": "data",
                "bom-ref": "d",
                "name": "data",
                "purl": "pkg:huggingface/datasets/acme/data",
                "licenses": [{"license": {"id": "MIT", "acknowledgement": "concluded"}}],
            }
        ],
    }
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/model"\n',
            "acme/model/README.md": card("license: apache-2.0\ndatasets:\n- acme/data"),
            "datasets/acme/data/README.md": card("license: cc-by-nc-4.0"),
            "sbom/bom.cdx.json": json.dumps(bom),
        }
    )
    (data,) = [a for a in doc["assets"] if a["id"] == "datasets/acme/data"]
    assert data["license"] == "CC-BY-NC-4.0 AND MIT"
    assert findings_of(doc, "CMP001") and findings_of(doc, "PRV003")
