"""Every license id the Hugging Face Hub accepts is either a known license or a documented non-license."""

from __future__ import annotations

import csv

import pytest
from conftest import FIXTURES, RB

from auditor import license_reading, licenses
from auditor.model import Evidence, LicenseStatement

KB = RB.kb
HUB = list(csv.DictReader((FIXTURES / "knowledge" / "hf-hub-licenses" / "hf_hub_licenses.csv").open()))


def test_the_table_is_complete():
    assert len(HUB) >= 73 and {"apache-2.0", "llama3.3", "other", "unknown"} <= {r["hub_license_id"] for r in HUB}


@pytest.mark.parametrize("hub_id", [r["hub_license_id"] for r in HUB])
def test_hub_id_normalises(hub_id):
    reading = license_reading.read_declared([LicenseStatement(hub_id, Evidence("x", "license"))], KB)
    documented = licenses.alias_key(hub_id) in KB.not_licenses
    assert (reading.status == "ok" and len(reading.licenses) == 1) or documented, (hub_id, reading)
    if documented:
        assert KB.not_licenses[licenses.alias_key(hub_id)].explanation


@pytest.mark.parametrize(
    "text, status",
    [
        ("None", "not_a_license"),
        ("Public", "not_a_license"),
        ("unknown", "unknown"),
        ("other", "unknown"),
        ("Component not included", "not_a_license"),
        ("NOASSERTION", "unknown"),
    ],
)
def test_strings_that_are_not_licenses_are_reported_not_guessed(text, status):
    reading = license_reading.read_declared([LicenseStatement(text, Evidence("x", "license"))], KB)
    assert reading.status == status and reading.licenses == ()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Llama 2 Community License", "LicenseRef-Llama-2-Community"),
        ("Meta Llama 3 Community License Agreement", "LicenseRef-Llama-3-Community"),
        ("Gemma Terms of Use", "LicenseRef-Gemma-Terms-of-Use"),
        ("CC BY-NC 4.0", "CC-BY-NC-4.0"),
        ("Apache License 2.0", "Apache-2.0"),
        ("https://choosealicense.com/licenses/mit/", "MIT"),
        ("https://opensource.org/licenses/Apache-2.0", "Apache-2.0"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
    ],
)
def test_common_free_text_names(text, expected):
    assert license_reading.read_declared([LicenseStatement(text, Evidence("x", "license"))], KB).licenses == (expected,)


def test_knowledge_base_size_and_families():
    assert len(KB.licenses) >= 45
    families = {lic.family for lic in KB.licenses.values()}
    assert {
        "permissive-software",
        "copyleft-software",
        "creative-commons",
        "data",
        "model-rail",
        "model-community",
        "provider-terms",
    } <= families
