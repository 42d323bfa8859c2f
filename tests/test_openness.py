"""MOF classification: the Model Openness Tool's oracle, license precedence, openness, missing components."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, RB

from auditor import openness
from auditor.harvest import Context, mof
from auditor.harvest.layout import place


def classify(model: dict) -> openness.Openness:
    return openness.classify(model, RB.framework)


ORACLE = FIXTURES / "mof-oracle"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "oracles" / "mof-classification"
MODELS = sorted(ORACLE.glob("*.yml"))
FIGURES = re.compile(r"_C1_(\d+)%-C2_(\d+)%-C3_(\d+)%_")


def expected() -> dict[str, dict]:
    """expected_results.json by release name (the file has trailing commas: drop them before parsing)."""
    text = re.sub(r",(\s*[}\]])", r"\1", (ORACLE / "expected_results.json").read_text(encoding="utf-8"))
    return {m["release"]["name"]: m["classification"] for m in json.loads(text)["models"]}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def model(components: list, **licenses) -> dict:
    """A MOF model: components as names or (name, license) pairs, global licenses by content type."""
    listed = [{"name": c} if isinstance(c, str) else {"name": c[0], "license": c[1]} for c in components]
    return {"release": {"name": "m", "license": {k: {"name": v} for k, v in licenses.items()}, "components": listed}}


def class3(**overrides) -> list:
    """The six required Class III components, each under an open license of its own type."""
    own = {
        "Model architecture": "MIT",
        "Model parameters (Final)": "CDLA-Permissive-2.0",
        "Evaluation results": "CC-BY-4.0",
        "Model card": "CC-BY-4.0",
        "Data card": "CC-BY-4.0",
        "Technical report": "CC-BY-4.0",
    } | overrides
    return [name if license_ is None else (name, license_) for name, license_ in own.items()]


def test_the_oracle_is_complete():
    assert len(MODELS) == 27
    assert {load(p)["release"]["name"] for p in MODELS} == set(expected())


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_reproduces_the_oracle(path):
    data = load(path)
    want = expected()[data["release"]["name"]]
    got = classify(data)
    assert (got.class_, got.label) == (want["class"], want["label"])
    assert got.progress == want["progress"]  # exact floats, as the MOT computes them


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_file_name_figures_hold_where_the_lower_classes_are_complete(path):
    """The names' rounded figures predate the rule that a class shows 0 until the lower ones are met."""
    got = classify(load(path)).progress
    named = dict(zip("123", map(int, FIGURES.search(path.name).groups()), strict=False))
    for class_ in "321":
        assert round(got[class_]) == named[class_]
        if got[class_] != 100:
            break


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_statements_of_the_mof_reader_classify_the_same(path):
    (record,), _ = mof.read(path, Context(path.name, place("", "root")))
    assert openness.from_statements(record.statements, RB.framework) == classify(load(path))


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus folder {CORPUS} is absent")
def test_fixtures_are_byte_copies_of_the_corpus():
    for path in ORACLE.iterdir():
        if path.name != "SOURCE.md":
            assert path.read_bytes() == (CORPUS / path.name).read_bytes(), path.name


def test_class_iii_met_with_type_appropriate_licenses():
    got = classify(model(class3()))
    assert (got.class_, got.label) == (3, "Class III - Open Model")
    assert got.progress == {"1": 0.0, "2": 60.0, "3": 100.0}  # Class II: 6 of its 10 (Class III's included)
    assert got.missing["3"] == () and got.not_type_appropriate == ()
    assert ("Training code", "not included in the release") in got.missing["2"]


def test_component_license_overrides_the_global_one():
    closed_own = classify(model(class3(**{"Model architecture": "CC-BY-NC-4.0"}), code="MIT"))
    assert closed_own.class_ == 0
    assert closed_own.missing["3"] == (("Model architecture", "license 'CC-BY-NC-4.0' is not an open license"),)
    open_own = classify(model(class3(), code="LicenseRef-Proprietary", distribution="LicenseRef-Proprietary"))
    assert open_own.class_ == 3


def test_global_license_of_the_content_type_comes_before_the_distribution_license():
    parts = class3(**{"Model architecture": None, "Model card": None})
    assert classify(model(parts, code="MIT", document="CC-BY-4.0", distribution="CC-BY-NC-4.0")).class_ == 3
    assert classify(model(parts, distribution="Apache-2.0")).class_ == 3  # no type license: distribution
    by_type = classify(model(parts, code="CC-BY-NC-4.0", document="CC-BY-4.0", distribution="MIT"))
    assert by_type.missing["3"] == (("Model architecture", "license 'CC-BY-NC-4.0' is not an open license"),)


def test_components_without_a_license():
    got = classify(model(class3(**{"Model card": None, "Data card": "unlicensed"})))
    assert got.missing["3"] == (
        ("Model card", "included without a license"),
        ("Data card", "included without a license"),
    )
    assert got.progress["3"] == 4 / 6 * 100
    empty = model(class3(**{"Model card": ""}), document="CC-BY-4.0")  # the MOT does not fall back for ""
    assert classify(empty).missing["3"] == (("Model card", "included without a license"),)


def test_license_ids_match_without_regard_to_case():
    """SPDX ids are case-insensitive: 'cc-by-4.0', as the Hub writes it, is CC-BY-4.0."""
    lower = {name: license_.lower() for name, license_ in class3()}
    got = classify(model(list(lower.items())))
    assert (got.class_, got.missing["3"], got.not_type_appropriate) == (3, (), ())
    assert classify(model(class3(**{"Model card": "mit"}))).not_type_appropriate == (("Model card", "mit"),)


def test_open_license_of_another_type_still_counts_but_is_reported():
    got = classify(model(class3(**{"Model architecture": "GPL-3.0-only", "Model card": "MIT"})))
    assert got.class_ == 3
    assert got.not_type_appropriate == (("Model architecture", "GPL-3.0-only"), ("Model card", "MIT"))


def test_missing_components_and_the_gate_on_higher_classes():
    got = classify(model([("Model architecture", "MIT"), ("Training code", "MIT"), ("Datasets", "CC0-1.0")]))
    assert got.class_ == 0
    assert got.progress == {"1": 0.0, "2": 0.0, "3": 1 / 6 * 100}  # the MOT's float: 16.666666666666664
    assert [name for name, _ in got.missing["3"]] == [
        "Model parameters (Final)",
        "Evaluation results",
        "Model card",
        "Data card",
        "Technical report",
    ]
    assert len(got.missing["1"]) == 11  # 14 required in Class I, 3 met


def test_research_paper_takes_the_place_of_the_technical_report():
    parts = class3(**{"Technical report": None})[:-1] + [("Research paper", "CC-BY-4.0")]
    got = classify(model(parts))
    assert got.class_ == 3 and got.missing["3"] == ()
    assert got.progress["2"] == 60.0  # 5 of Class III and the paper in the report's place: 6 of 10
    code = ("Training code", "Inference code", "Evaluation code", "Data preprocessing code")
    full = parts + [(c, "MIT") for c in code]
    full += [(c, "CDLA-Permissive-2.0") for c in ("Evaluation data", "Datasets", "Model parameters (Intermediate)")]
    got = classify(model(full))
    assert got.class_ == 1 and got.progress["1"] == 100.0  # Class I: the report is waived, 13 of 13


def test_bad_input_is_unclassified():
    for bad in (
        {},
        {"release": "x"},
        {"release": {"components": "x", "license": []}},
        {"release": {"components": [None, {"name": 3}, {"name": "Unknown part", "license": "MIT"}]}},
    ):
        got = classify(bad)
        assert got.class_ == 0 and got.progress == {"1": 0.0, "2": 0.0, "3": 0.0}
