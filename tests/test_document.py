"""The document stage on its own: a hand-made interpretation over a small graph is reshaped into
the report document, which follows report.schema.json; nothing is concluded on the way."""

from __future__ import annotations

import json
from dataclasses import replace

import jsonschema
import pytest
from conftest import RB
from test_interpretation import NC, non_commercial, read, staged

from auditor import config, document, review
from auditor.interpretation import Interpretation, Obligation
from auditor.remedy import Change, Edit, Remedy
from auditor.resources import schema_path
from auditor.vocabulary import EditKind

RENAME = Edit(EditKind.RENAME, "acme/Llama-3-m", None, "rename the release acme/m to acme/Llama-3-m")
CHANGE = Change(("org/base",), (("acme/m", "MIT"),), ("CMP002",), (RENAME,))
RELEASE_REMEDY = Remedy("found", (CHANGE,), "any one change clears it")
OBLIGATION = Obligation("non_commercial", "limitation", NC, "Non-commercial use only.", "Section 2", "", ("org/base",))


def build(tmp_path, with_result=lambda result: result, curations: str = "") -> dict:
    curated, fb = staged(tmp_path, curations)
    result = with_result(read(curated, fb, non_commercial(fb)))
    settings = replace(config.Settings(asset="acme/m"), as_of=config.today())
    return document.build(result, curated, settings, review.Review(), RB)


def remedied(result: Interpretation) -> Interpretation:
    findings = tuple(replace(f, remedy=Remedy("impossible", (), "nothing helps")) for f in result.findings)
    return replace(result, findings=findings, remedy=RELEASE_REMEDY, outbound_requirements=(OBLIGATION,))


def test_the_document_reshapes_the_interpretation(tmp_path):
    doc = build(tmp_path, remedied)
    jsonschema.Draft202012Validator(json.loads(schema_path().read_text())).validate(doc)
    assert (doc["release"]["asset"], doc["verdict"], doc["counts"]["error"]) == ("acme/m", "fail", 1)
    (finding,) = doc["findings"]
    assert finding["rule"] == "CMP001" and finding["status"] == "open"
    assert finding["fix"] == {"status": "impossible", "changes": [], "note": "nothing helps"}
    assert finding["evidence"][0] == {
        "asset": "acme/m",
        "fact": "acme/m is released for commercial use as weights",
        "file": "mlaudit.toml",
        "pointer": "release",
        "line": None,
    }
    assert doc["repairs"] == {
        "status": "found",
        "sets": [["org/base"]],
        "changes": [
            {
                "remove": ["org/base"],
                "choose": [{"asset": "acme/m", "license": "MIT"}],
                "raises": ["CMP002"],
                "edits": [{"kind": "rename", "value": "acme/Llama-3-m", "file": None, "says": RENAME.says}],
                "says": "rename the release acme/m to acme/Llama-3-m; and remove org/base from the lineage "
                "(or relicense it); and take acme/m under MIT (this brings about CMP002)",
            }
        ],
        "note": "any one change clears it",
    }
    assert doc["outbound_requirements"] == [{"term": "non_commercial", "license": NC, "imposed_by": ["org/base"]}]
    assert [(e["child"], e["parent"], e["relation"]) for e in doc["edges"]] == [("acme/m", "org/base", "finetune")]


def test_a_curation_is_shown_beside_what_the_manifests_said(tmp_path):
    curations = "curations:\n  - {asset: org/base, license: mit, comment: misread, curator: jane, date: 2026-01-01}\n"
    doc = build(tmp_path, remedied, curations)
    (base,) = [a for a in doc["assets"] if a["id"] == "org/base"]
    assert (base["license"], base["curation"]["license"], base["curation"]["original"]) == ("MIT", "mit", NC)
    assert doc["review"]["curations"]["applied"] == ["org/base"]


def test_an_interpretation_without_its_release_remedy_is_refused(tmp_path):
    with pytest.raises(ValueError, match="repair search"):
        build(tmp_path)
