"""A license stated in a card's body is read, ranked below front matter and LICENSE files (issue 19, item 3)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, card, run_audit, within, write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.readers.markdown import MAX_STATED, _may_state, stated_licenses

TOML = '[release]\nasset = "acme/m"\nuse = "commercial"\n'
NO_LICENSE = "pipeline_tag: text-generation"


def _asset(doc, asset="acme/m"):
    return next(a for a in doc["assets"] if a["id"] == asset)


def audit_card(tmp_path, front: str, body: str, extra: dict | None = None):
    files = {"mlaudit.toml": TOML, "acme/m/README.md": card(front, body), **(extra or {})}
    return run_audit(write_tree(tmp_path, files))


def audit_dataset(tmp_path, front: str, body: str):
    """A commercial Apache-2.0 model trained on a dataset whose card is `front` and `body`."""
    files = {
        "mlaudit.toml": TOML,
        "acme/m/README.md": card("license: apache-2.0\ndatasets: [org/data]"),
        "datasets/org/data/README.md": card(f"{front}\ntask_categories: [text-generation]", body),
    }
    return run_audit(write_tree(tmp_path, files))


@pytest.mark.parametrize(
    ("body", "license"),
    [
        ("# Data\n\nA chat corpus.\n\nLicense: MIT\n", "MIT"),
        ("# Data\n\n- **License:** [MIT](https://opensource.org/licenses/MIT)\n", "MIT"),
        ('# Data\n\nThis dataset is licensed under the Apache License, Version 2.0 (the "License").\n', "Apache-2.0"),
        ("# Data\n\nLicensed under CC BY 4.0; see the LICENSE file.\n", "CC-BY-4.0"),
        (
            "# Data\n\nThe dataset is licensed under CC BY-SA 4.0, but the images keep their own licenses.\n",
            "CC-BY-SA-4.0",
        ),
        ("# Data\n\n## Uses\n\nChat.\n\n## License\n\nCC BY 4.0\n", "CC-BY-4.0"),
        ("# Data\n\n## Licence\n\n[Apache 2.0](https://www.apache.org/licenses/LICENSE-2.0)\n", "Apache-2.0"),
        # Creative Commons' chooser's sentence, with its article and closing word License
        (
            "# Data\n\nThis work is licensed under a Creative Commons Attribution-NonCommercial 4.0 International License.\n",
            "CC-BY-NC-4.0",
        ),
        (
            "# Data\n\nThe dataset is released under the Creative Commons Attribution 4.0 International license.\n",
            "CC-BY-4.0",
        ),
        # the same sentence as the chooser's HTML snippet, its badge image first
        (
            '# Data\n\n<a rel="license" href="http://creativecommons.org/licenses/by-nc/4.0/"><img alt="Creative Commons'
            ' License" style="border-width:0" src="https://i.creativecommons.org/l/by-nc/4.0/88x31.png" /></a><br />'
            'This work is licensed under a <a rel="license" href="http://creativecommons.org/licenses/by-nc/4.0/">'
            "Creative Commons Attribution-NonCommercial 4.0 International License</a>.\n",
            "CC-BY-NC-4.0",
        ),
    ],
)
def test_a_body_statement_is_the_license_when_the_front_matter_names_none(tmp_path, body, license):
    doc = audit_dataset(tmp_path, NO_LICENSE, body)
    asset = _asset(doc, "datasets/org/data")
    assert (asset["license"], asset["license_status"]) == (license, "ok"), asset
    assert "stated in the card body" in asset["license_reading"]
    assert not [f for f in doc["findings"] if f["rule"] in ("PRV001", "LIC001", "PRV003", "CMP012")]
    step = next(s for f in doc["findings"] for s in f["evidence"] if s["fact"].endswith(f"is licensed {license}"))
    written = (tmp_path / "datasets/org/data/README.md").read_text().splitlines()
    stated = body.rstrip("\n").rsplit("\n", 1)[-1]  # each body states its license on its last line
    assert (step["file"], step["line"]) == ("datasets/org/data/README.md", written.index(stated) + 1), step
    assert step["pointer"].startswith("card body")


def test_a_body_that_disagrees_with_the_front_matter_is_a_disagreement_not_a_pick(tmp_path):
    doc = audit_card(tmp_path, "license: apache-2.0", "# Model\n\nLicense: MIT\n")
    assert _asset(doc)["license"] == "Apache-2.0"
    prv003 = [f for f in doc["findings"] if f["rule"] == "PRV003"]
    assert len(prv003) == 1
    assert "Apache-2.0" in prv003[0]["message"] and "(card body, line 6): MIT" in prv003[0]["message"]


def test_a_body_that_agrees_or_names_nothing_known_says_nothing(tmp_path):
    doc = audit_card(tmp_path, "license: apache-2.0", "# Model\n\nLicensed under the Apache License, Version 2.0.\n")
    assert not [f for f in doc["findings"] if f["rule"] == "PRV003"]
    doc = audit_card(tmp_path / "b", NO_LICENSE, "# Model\n\nLicense: see our website\n")
    assert _asset(doc)["license_status"] == "missing" and any(f["rule"] == "PRV001" for f in doc["findings"])
    assert not [f for f in doc["findings"] if f["rule"] == "LIC001"]


def test_a_license_file_ranks_above_the_body(tmp_path):
    text = (FIXTURES.parent / "rules" / "licenses" / "texts" / "Apache-2.0.txt").read_text(encoding="utf-8")
    doc = audit_card(tmp_path, NO_LICENSE, "# Model\n\nLicense: MIT\n", {"acme/m/LICENSE": text})
    assert _asset(doc)["license"] == "Apache-2.0"
    assert any(f["rule"] == "PRV003" for f in doc["findings"])


def test_another_works_license_in_the_body_is_not_the_cards():
    body = "The base model is licensed under the Llama 2 Community License.\nIt was trained on data under CC BY-SA."
    assert stated_licenses(body, 1) == []


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet="Licensed under the :*-[]()\n MIT", max_size=4000))
def test_reading_the_body_is_bounded(text):
    found = within(2, stated_licenses, text * 16, 1)
    assert len(found) <= MAX_STATED


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("L\u0131cense: MIT\n", "MIT"),  # a dotless i is an i to the IGNORECASE patterns
        ("\u0130LICENSE: MIT\n", None),  # dotted capital I: not "license", read as it was before
        ("Lic<!-- cut -->ense: MIT\n", "MIT"),  # a comment cut out joins the word
        ("This model is released under the MIT license.\n", "MIT license"),
        ("Nothing about terms here.\n\n## Usage\n\nRun it.\n", None),
    ],
)
def test_the_quick_look_for_statements_misses_none(body, name):
    found = [n for n, *_ in stated_licenses(body, 1)]
    assert (found[0] if found else None) == name
    assert _may_state(body) or not found


@pytest.mark.parametrize(
    ("body", "license", "status"),
    [
        ("This model is not licensed under the MIT license. All rights reserved.", None, "missing"),
        ("This model is licensed under MIT (non-commercial use only).", None, "unrecognised"),
        ("License: MIT (code); CC BY-NC 4.0 (weights)", "MIT AND CC-BY-NC-4.0", "ok"),
        (
            "The code in this repository is released under the MIT license.\n\n"
            "The model weights are licensed under CC BY-NC 4.0.",
            "MIT AND CC-BY-NC-4.0",
            "ok",
        ),
        ("## Training data\n\nThe data is released under the MIT license.", None, "missing"),
    ],
)
def test_a_negated_restricted_partial_or_data_statement_is_read_as_it_says(tmp_path, body, license, status):
    """ "Not licensed under MIT" grants nothing; MIT "for non-commercial use only" is not MIT; the
    licenses of the code and of the weights all apply; a model card's data license is the data's."""
    doc = audit_card(tmp_path, NO_LICENSE, f"# Model\n\n{body}\n")
    asset = _asset(doc)
    assert (asset["license"], asset["license_status"]) == (license, status), asset
    assert not [f for f in doc["findings"] if f["rule"] == "PRV003"]
