"""Exports come back whole: auditing the CycloneDX ML-BOM or the SPDX 3 document an audit wrote, alone,
gives the same assets, lineage relations, licenses, verdict and license findings as that audit.

The release's designation, use and distribution are audit options (mlaudit.toml's [release], or
--asset, --use, --distribution), not asset data: the audit of an export is given the same ones.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import FIXTURES, RB, run_audit, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.report import cyclonedx, spdx3

EXPORTS = {"release.cdx.json": cyclonedx.render, "release.spdx.json": spdx3.render}
# Licenses drawn from the knowledge base: SPDX ids and LicenseRefs, and each one's first alias (a Hub id)
LICENSES = sorted({*RB.kb.licenses, *(lic.aliases[0] for lic in RB.kb.licenses.values() if lic.aliases)})
# relations by (child kind, parent kind); the card field that states it, where a card has one
RELATIONS = {
    ("model", "model"): ["finetune", "adapter", "quantized", "copy", "merge", "distill", "uses_tool"],
    ("model", "dataset"): ["trained_on", "evaluated_on"],
    ("dataset", "model"): ["generated_by"],
    ("dataset", "dataset"): ["derived_from", "copy"],
}
BASE_RELATIONS = ("finetune", "adapter", "quantized", "merge")  # base_model_relation values
CARD_FIELDS = {"trained_on": "datasets", "derived_from": "source_datasets"}


UNKNOWN = ["acme-model-license", "CC BY-NC 4.0"]  # a name no knowledge has, and text that is no expression


@st.composite
def licenses(draw):
    """A card's license fields: none, a license of the knowledge base, an expression of two, a list
    of two, text mlaudit does not know, or `other` with a license name and sometimes a link."""
    one = st.sampled_from(LICENSES)
    shape = draw(st.sampled_from(["none", "one", "one", "expression", "list", "unknown", "other"]))
    if shape == "none":
        return []
    if shape == "one":
        return [f"license: {draw(one)}"]
    if shape == "expression":
        return [f"license: {draw(one)} {draw(st.sampled_from(['OR', 'AND']))} {draw(one)}"]
    if shape == "list":
        return [f"license: [{draw(one)}, {draw(one)}]"]
    if shape == "unknown":
        return [f"license: {draw(st.sampled_from(UNKNOWN))}"]
    found = ["license: other", f"license_name: {draw(st.sampled_from([*LICENSES[:3], *UNKNOWN]))}"]
    return found + (["license_link: https://acme.example/license"] if draw(st.booleans()) else [])


@st.composite
def releases(draw):
    """A random lineage DAG of 2-7 assets (asset i names only assets of larger index), some only
    referenced (no card), as Hub cards and mlaudit.toml lineage: the release folder's files."""
    n = draw(st.integers(2, 7))
    kinds = [draw(st.sampled_from(["model", "dataset"])) for _ in range(n)]
    described = [True] + [draw(st.booleans()) or draw(st.booleans()) for _ in range(n - 1)]
    ids = [("datasets/" if kind == "dataset" else "") + f"org/a{i}" for i, kind in enumerate(kinds)]
    lineage, files = [], {}
    for i in (i for i in range(n) if described[i]):
        front = draw(licenses())
        parents = draw(st.lists(st.integers(i + 1, n - 1), unique=True, max_size=3)) if i < n - 1 else []
        edges = [(j, draw(st.sampled_from(RELATIONS[(kinds[i], kinds[j])]))) for j in parents]
        front += _card_lineage(edges, ids, draw)
        lineage += [(ids[i], ids[j], r) for j, r in edges if not _in_card(r, edges)]
        files[f"{ids[i]}/README.md"] = "---\n" + "\n".join(front) + "\n---\n# Card\n"
    use = draw(st.sampled_from(["commercial", "non-commercial", "research"]))
    distribution = draw(st.sampled_from(["weights", "api", "internal"]))
    toml = f'[release]\nasset = "{ids[0]}"\nuse = "{use}"\ndistribution = "{distribution}"\n'
    toml += "".join(f'[[lineage]]\nchild = "{c}"\nparent = "{p}"\nrelation = "{r}"\n' for c, p, r in lineage)
    return files | {"mlaudit.toml": toml}, {"asset": ids[0], "use": use, "distribution": distribution}


def _in_card(relation: str, edges: list[tuple[int, str]]) -> bool:
    """Whether the card states the edge: the training and source data fields, and bases whose
    relation is the first base's (a card has one base_model_relation)."""
    bases = [r for _, r in edges if r in BASE_RELATIONS]
    return relation in CARD_FIELDS or (relation in BASE_RELATIONS and relation == bases[0])


def _card_lineage(edges: list[tuple[int, str]], ids: list[str], draw) -> list[str]:
    fields = []
    for relation, field in CARD_FIELDS.items():
        named = [ids[j].removeprefix("datasets/") for j, r in edges if r == relation]
        if named:
            fields.append(f"{field}: [{', '.join(named)}]")
    bases = [(j, r) for j, r in edges if r in BASE_RELATIONS and _in_card(r, edges)]
    if bases:
        fields.append(f"base_model: [{', '.join(ids[j] for j, _ in bases)}]")
        if len(bases) > 1 or draw(st.booleans()):  # else the relation is inferred
            fields.append(f"base_model_relation: {bases[0][1]}")
    return fields


def outcome(document: dict) -> dict:
    """What an export must keep: assets by id (kind, whether described, licenses read and declared),
    relations, license choices, verdict and the license findings on each asset."""
    return {
        "assets": {
            a["id"]: (
                a["kind"],
                a["resolved"],
                a["license"],
                a["license_status"],
                a["use_category"],
                sorted({(d["raw"], d["name"], d["link"]) for d in a["declared_licenses"]}, key=repr),
            )
            for a in document["assets"]
        },
        "relations": sorted({(e["child"], e["relation"], e["parent"]) for e in document["edges"]}),
        "choices": document["license_choices"],
        "outbound": document["outbound_licenses"],
        # an export describes the release's lineage only: what the folder held beside it is not in it
        "release": {k: v for k, v in document["release"].items() if k != "outside_lineage"},
        "verdict": document["verdict"],
        "findings": sorted({(f["rule"], f["asset"]) for f in document["findings"] if f["rule"][:3] in ("CMP", "LIC")}),
    }


def assert_round_trip(folder: Path, **options) -> dict:
    """Audit `folder`, write each export alone into a folder, audit it with the same options, compare."""
    document = run_audit(folder, **options)
    expected = outcome(document)
    for name, render in EXPORTS.items():
        alone = Path(tempfile.mkdtemp())
        try:
            (alone / name).write_text(render(document), encoding="utf-8")
            again = outcome(run_audit(alone, **options))
        finally:
            shutil.rmtree(alone)
        again["release"] = {**again["release"], "basis": expected["release"]["basis"]}  # named elsewhere
        for key in expected:
            assert again[key] == expected[key], f"{name}: {key} differs"
    return document


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(releases())
def test_random_releases_come_back_whole_from_both_exports(release):
    files, options = release
    root = Path(tempfile.mkdtemp())
    try:
        document = assert_round_trip(write_tree(root, files), **options)
    finally:
        shutil.rmtree(root)
    assert document["release"]["asset"] == options["asset"]


def test_the_demo_comes_back_whole_from_both_exports():
    options = {"asset": "acme/support-chat-7b-GGUF", "use": "commercial", "distribution": "weights"}  # its toml's
    document = assert_round_trip(FIXTURES / "releases" / "demo", **options)
    relations = {e["relation"] for e in document["edges"]}
    assert {"finetune", "quantized", "trained_on", "evaluated_on"} <= relations
    assert any(not a["resolved"] for a in document["assets"])
    assert {f["rule"] for f in document["findings"]} >= {"CMP001", "LIC001"}


# --- the namespace rule: only mlaudit's properties win over the format's generic reading ----------


def _bom(relation_property: str, value: str = "base") -> dict:
    """A BOM where `tuned` depends on `base`, with one property naming the relation."""
    component = {"type": "machine-learning-model", "bom-ref": "tuned", "name": "org/tuned"}
    component["properties"] = [{"name": relation_property, "value": value}]
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [component, {"type": "machine-learning-model", "bom-ref": "base", "name": "org/base"}],
        "dependencies": [{"ref": "tuned", "dependsOn": ["base"]}, {"ref": "base"}],
    }


def _spdx(name: str, value: str) -> dict:
    """An SPDX 3 graph where `tuned` descendantOf `base`, the relationship carrying one extension property."""
    ns = "urn:uuid:00000000-0000-0000-0000-000000000000#"
    entry = {"type": "extension_CdxPropertyEntry", "extension_cdxPropName": name, "extension_cdxPropValue": value}
    extension = [{"type": "extension_CdxPropertiesExtension", "extension_cdxProperty": [entry]}]
    packages = [{"type": "ai_AIPackage", "spdxId": ns + n, "name": f"org/{n}"} for n in ("tuned", "base")]
    link = {"type": "Relationship", "spdxId": ns + "r", "from": ns + "tuned", "to": [ns + "base"]}
    return {
        "@context": spdx3.CONTEXT,
        "@graph": [*packages, link | {"relationshipType": "descendantOf", "extension": extension}],
    }


def _relations(tmp_path: Path, name: str, data: dict) -> set[tuple[str, str, str]]:
    (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    return {(e["child"], e["relation"], e["parent"]) for e in run_audit(tmp_path)["edges"]}


@pytest.mark.parametrize(
    ("name", "value", "relation"),
    [
        ("mlaudit:relation:quantized", "base", "quantized"),  # mlaudit's: the exact relation
        ("acme:relation:quantized", "base", "depends_on"),  # another namespace: the dependency stands
        ("mlaudit:relation:bogus", "base", "depends_on"),  # a relation mlaudit does not know
        ("mlaudit:relation:quantized", "nowhere", "depends_on"),  # a bom-ref the BOM does not have
    ],
)
def test_cyclonedx_relation_properties_win_only_in_mlaudits_namespace(tmp_path, name, value, relation):
    assert _relations(tmp_path, "bom.cdx.json", _bom(name, value)) == {("org/tuned", relation, "org/base")}


@pytest.mark.parametrize(
    ("name", "value", "relation"),
    [
        ("mlaudit:relation", "quantized", "quantized"),
        ("acme:relation", "quantized", "finetune"),  # descendantOf between two models, read generically
        ("mlaudit:relation", "bogus", "finetune"),
    ],
)
def test_spdx3_relation_extensions_win_only_in_mlaudits_namespace(tmp_path, name, value, relation):
    assert _relations(tmp_path, "doc.spdx.json", _spdx(name, value)) == {("org/tuned", relation, "org/base")}


@pytest.mark.parametrize("namespace", ["mlaudit", "acme"])
def test_only_mlaudits_export_marks_an_asset_unresolved(tmp_path, namespace):
    bom = _bom("mlaudit:relation:finetune")
    bom["components"][1]["properties"] = [{"name": f"{namespace}:resolved", "value": "false"}]
    (tmp_path / "bom.cdx.json").write_text(json.dumps(bom), encoding="utf-8")
    [base] = [a for a in run_audit(tmp_path)["assets"] if a["id"] == "org/base"]
    assert base["resolved"] is (namespace != "mlaudit")
