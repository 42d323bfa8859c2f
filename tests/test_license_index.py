"""Every licence ScanCode LicenseDB lists is known at least by its category (issue 19, item 1)."""

from __future__ import annotations

import json
from importlib import resources

import pytest
import yaml
from conftest import RB, card, run_audit, write_tree

from auditor import licenses
from auditor.license_index import modifies_license
from auditor.license_reading import lookup, read_declared
from auditor.model import Evidence, LicenseStatement

KB = RB.kb
BUNDLED = json.loads(resources.files("license_expression").joinpath("data/scancode-licensedb-index.json").read_text())
INDEX = [row for row in BUNDLED if not modifies_license(row)]
STATED = Evidence("README.md", "license", 2)


def reading(text: str):
    return read_declared([LicenseStatement(text, STATED)], KB)


def test_the_bundled_index_is_the_one_the_issue_counts():
    assert len(BUNDLED) >= 2579
    assert {row["category"] for row in INDEX} <= set(KB.index.categories)


def test_every_spdx_id_of_the_index_resolves_to_an_entry_or_a_category():
    """An id that is also another licence's "other" SPDX key names its own licence; a spelling that
    not-licenses.yaml reads by hand (`GPL`: a family without its version) is read as it says."""
    own = {(row["spdx_license_key"] or f"LicenseRef-scancode-{row['license_key']}").lower(): row for row in INDEX}
    by_hand = []
    for row in INDEX:
        for spelling in filter(None, (row["spdx_license_key"], *row["other_spdx_license_keys"])):
            if KB.not_license(spelling):
                by_hand.append(spelling)
                continue
            read = reading(spelling)
            assert read.status == "ok" and len(read.licenses) == 1, (spelling, read)
            entry = KB.entry(read.licenses[0])
            category = own.get(spelling.lower(), row)["category"]
            assert entry is not None and entry.category in (None, category), spelling
    assert by_hand == ["GPL"]


@pytest.mark.parametrize(
    "text", ["Apache-2.0 WITH Commons-Clause", "Apache-2.0 AND Commons-Clause", "LicenseRef-scancode-commons-clause"]
)
def test_a_clause_that_may_restrict_its_license_is_unknown_however_it_is_written(text):
    """The Commons Clause withholds "the right to Sell the Software": beside a license or alone, as
    after WITH, it makes the terms unknown, never a category-level reading that only warns."""
    read = reading(text)
    assert read.status == "unrecognised" and "Apache-2.0" not in read.unrecognised


def test_every_scancode_key_resolves():
    for row in INDEX:
        read = reading(row["license_key"])
        assert read.status in ("ok", "unknown", "not_a_license"), row["license_key"]
        if read.status == "ok":  # the hand-written not-licenses (`unknown`, `public-domain`, ...) decide first
            assert KB.knows(read.licenses[0]), row["license_key"]


@pytest.mark.parametrize(("slug", "status"), [("public-domain", "not_a_license"), ("no_license", "not_a_license")])
def test_a_hand_written_not_license_wins_over_the_category_of_its_slug(slug, status):
    """LicenseDB lists `public-domain` (Public Domain) and `no-license`; not-licenses.yaml reads "public
    domain" and "no license" as no grant, and that reading decides for every spelling of them."""
    assert reading(slug).status == status and KB.resolve(slug) is None


def test_a_hand_written_entry_wins_over_the_category():
    assert lookup("lgpl-2.1-plus", KB) is KB.licenses["LGPL-2.1-or-later"]  # a ScanCode key
    assert lookup("LicenseRef-Apache", KB) is KB.licenses["Apache-2.0"]  # another SPDX key of apache-2.0
    assert lookup("MIT-0", KB).category is None and licenses.clause_level(lookup("MIT-0", KB))


@pytest.mark.parametrize(
    ("spelling", "category", "terms"),
    [
        ("PSF-2.0", "Permissive", {"attribution", "include_license"}),
        ("python", "Permissive", {"attribution", "include_license"}),  # ScanCode's key of Python-2.0
        ("GPL-1.0-only", "Copyleft", {"attribution", "include_license", "share_alike"}),
        ("MPL-1.1", "Copyleft Limited", {"attribution", "include_license", "share_alike"}),
        ("LicenseRef-scancode-public-domain-disclaimer", "Public Domain", set()),
        ("Unicode-TOU", "Proprietary Free", set()),
        ("BUSL-1.1", "Source-available", set()),
    ],
)
def test_a_licence_without_an_entry_gets_its_categorys_terms(spelling, category, terms):
    entry = lookup(spelling, KB)
    assert entry is not None and entry.category == category and entry.family == licenses.CATEGORY_LEVEL
    assert {t.term for t in entry.terms} == terms
    for term in entry.terms:
        assert term.clause.startswith(f"category-level reading (ScanCode LicenseDB: {category}; license-expression ")
        assert term.source.startswith("https://scancode-licensedb.aboutcode.org/")
    assert KB.index.categories[category].read == (category in ("Proprietary Free", "Source-available"))


def test_the_evidence_names_the_index_version():
    version = KB.index.version
    assert version.startswith("license-expression ") and "LicenseDB 1dfa89ae3483" in version
    assert version in lookup("Zlib-acknowledgement", KB).terms[0].clause


def test_copyleft_limited_reaches_the_licensed_part_only():
    assert lookup("MPL-1.1", KB).copyleft_scope == "part" and lookup("GPL-1.0-only", KB).copyleft_scope == "work"
    for lid in ("LGPL-2.1-only", "LGPL-3.0-or-later", "MPL-2.0", "EPL-2.0", "OFL-1.1"):
        assert KB.licenses[lid].copyleft_scope == "part", lid
    for lid in ("GPL-3.0-only", "AGPL-3.0-only", "CC-BY-SA-4.0"):
        assert KB.licenses[lid].copyleft_scope == "work", lid


# Spellings neither the entries' ids nor the index carry, each with the licence it must name.
ALIASES = {
    "LGPL 2.1": "LGPL-2.1-only",
    "LGPL 2.1 only": "LGPL-2.1-only",
    "GNU LGPL v2.1": "LGPL-2.1-only",
    "LGPL 3.0": "LGPL-3.0-only",
    "LGPL 3": "LGPL-3.0-only",
    "GNU LGPL v3": "LGPL-3.0-only",
    "GPL v3": "GPL-3.0-only",
    "GPL 3.0": "GPL-3.0-only",
    "GPL 3": "GPL-3.0-only",
    "GPL-3": "GPL-3.0-only",
    "GPL 2": "GPL-2.0-only",
    "AGPL 3.0": "AGPL-3.0-only",
    "Apache License 2.0": "Apache-2.0",
    "BSD 3-Clause": "BSD-3-Clause",
    "Artistic 2.0": "Artistic-2.0",
    "Mozilla Public License 1.1": "MPL-1.1",
    "MPL 1.1": "MPL-1.1",
    "Mozilla Public License 1.0": "MPL-1.0",
    "MPL 1.0": "MPL-1.0",
    "Python Software Foundation License": "PSF-2.0",
    "Python Software Foundation License 2.0": "PSF-2.0",
    "PSF License": "PSF-2.0",
    "PSF License 2.0": "PSF-2.0",
    "Common Development and Distribution License 1.0": "CDDL-1.0",
    "CDDL 1.0": "CDDL-1.0",
    "BSD 4-Clause": "BSD-4-Clause",
    "Original BSD License": "BSD-4-Clause",
    "CeCILL 2.1": "CECILL-2.1",
}


@pytest.mark.parametrize(("spelling", "expected"), sorted(ALIASES.items()))
def test_each_alias_names_its_licence(spelling, expected):
    assert reading(spelling).licenses == (expected,)
    assert reading(f"  {spelling.upper()} ").licenses == (expected,)  # compared as alias_key compares


def test_the_alias_table_keeps_one_spelling_in_one_place():
    """aliases.yaml names licences without an entry (an entry lists its own spellings), each one the
    index lists, and every one of its spellings is tested above."""
    table = yaml.safe_load((RB.folder / "licenses" / "aliases.yaml").read_text(encoding="utf-8"))
    for spelling, target in table.items():
        assert target not in KB.licenses and target in KB.index.listed, spelling
        assert KB.index.resolve(licenses.alias_key(spelling)) is None, f"{spelling}: the index carries it"
        assert ALIASES.get(spelling) == target, spelling


def test_the_index_is_read_only_when_a_spelling_needs_it(tmp_path):
    kb = licenses.load()
    for text in ("apache-2.0", "MIT OR GPL-3.0-only", "unknown", "other"):
        read_declared([LicenseStatement(text, STATED)], kb)
    assert "_rows" not in vars(kb.index)
    read_declared([LicenseStatement("MPL-1.1", STATED)], kb)
    assert "_rows" in vars(kb.index)


def _dataset_under(tmp_path, license_line: str):
    return write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\nuse = "commercial"\ndistribution = "weights"\n',
            "acme/m/README.md": card("license: apache-2.0\ndatasets: [org/data]"),
            "datasets/org/data/README.md": card(f"{license_line}\ntask_categories: [text-generation]"),
        },
    )


@pytest.mark.parametrize("spelling", ["MIT-0", "MPL-1.1", "PSF-2.0", "Zlib", "ISC", "Unlicense", "LGPL 2.1"])
@pytest.mark.parametrize("position", ["conservative", "permissive"])
def test_ordinary_dataset_licences_under_a_commercial_apache_release_give_no_error(tmp_path, spelling, position):
    doc = run_audit(_dataset_under(tmp_path, f"license: {spelling}"), position=position)
    assert [f["rule"] for f in doc["findings"] if f["severity"] == "error"] == []
    assert not [f for f in doc["findings"] if f["rule"] in ("LIC001", "LIC005")]
    assert doc["verdict"] == "pass"


def test_a_proprietary_free_licence_asks_for_a_reading_not_a_refusal(tmp_path):
    doc = run_audit(_dataset_under(tmp_path, "license: other\nlicense_name: Unicode-TOU"))
    warnings = [f for f in doc["findings"] if f["rule"] == "LIC005"]
    assert [(f["severity"], f["asset"]) for f in warnings] == [("warning", "datasets/org/data")]
    assert "Proprietary Free" in warnings[0]["message"] and doc["verdict"] == "pass"
    assert not [f for f in doc["findings"] if f["rule"] in ("CMP012", "LIC001")]


def test_a_category_level_copyleft_binds_a_fine_tune_and_cites_its_category(tmp_path):
    root = write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n',
            "acme/m/README.md": card("license: apache-2.0\nbase_model: org/base"),
            "org/base/README.md": card("license: GPL-1.0-or-later"),
        },
    )
    doc = run_audit(root)
    cmp002 = [f for f in doc["findings"] if f["rule"] == "CMP002"]
    assert len(cmp002) == 1 and "GPL-1.0-or-later" in cmp002[0]["message"]
    facts = " ".join(step["fact"] for step in cmp002[0]["evidence"])
    assert "category-level reading (ScanCode LicenseDB: Copyleft" in facts or "ScanCode LicenseDB category" in facts


@pytest.mark.parametrize(("relation", "fires"), [("base_model", True), ("datasets", False)])
def test_a_limited_copyleft_binds_modifications_not_models_trained_on_it(tmp_path, relation, fires):
    """MPL 1.1 (Copyleft Limited): a fine-tune modifies the licensed weights and stays under it; a model
    trained on MPL data is a new work, as a Larger Work is (MPL-2.0 s3.3), under both positions."""
    parent = "org/base" if relation == "base_model" else "datasets/org/base"
    root = write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n',
            "acme/m/README.md": card(f"license: apache-2.0\n{relation}: org/base"),
            f"{parent}/README.md": card("license: MPL-1.1" + ("\ntask_categories: [text]" if not fires else "")),
        },
    )
    for position in ("conservative", "permissive"):
        doc = run_audit(root, position=position)
        assert any(f["rule"] == "CMP002" for f in doc["findings"]) == fires, position
