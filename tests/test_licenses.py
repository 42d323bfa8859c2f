"""Reading declared licenses: aliases, SPDX expressions, URLs, lists, and strings that are not licenses."""

from __future__ import annotations

import pytest

from auditor import licenses
from auditor.model import Evidence, LicenseStatement

KB = licenses.load()
EV = Evidence("x/README.md", "license", 2)


def read(*raws, name=None, link=None):
    return licenses.interpret([LicenseStatement(r, EV, name, link) for r in raws], KB)


@pytest.mark.parametrize("raw, expected", [
    ("apache-2.0", ("Apache-2.0",)),
    ("Apache License 2.0", ("Apache-2.0",)),
    ("  MIT ", ("MIT",)),
    ("llama2", ("LicenseRef-Llama-2-Community",)),
    ("Llama 2 Community License Agreement", ("LicenseRef-Llama-2-Community",)),
    ("CC BY-NC 4.0", ("CC-BY-NC-4.0",)),
    ("https://creativecommons.org/licenses/by-nc/4.0/legalcode", ("CC-BY-NC-4.0",)),
    ("http://www.apache.org/licenses/LICENSE-2.0/", ("Apache-2.0",)),
    ("https://spdx.org/licenses/MIT.html", ("MIT",)),
])
def test_known_spellings(raw, expected):
    reading = read(raw)
    assert (reading.status, reading.licenses) == ("ok", expected)


def test_spdx_and_expression():
    reading = read("MIT AND CC-BY-4.0")
    assert reading.licenses == ("MIT", "CC-BY-4.0") and reading.expression == "MIT AND CC-BY-4.0"


def test_spdx_or_expression_is_stated_as_alternatives():
    reading = read("Apache-2.0 OR MIT")
    assert reading.licenses == () and "alternatives" in reading.reading
    assert reading.alternatives == (("Apache-2.0",), ("MIT",))


def test_alternatives_distribute_over_a_list():
    reading = read("Apache-2.0 OR CC-BY-NC-4.0", "CC-BY-4.0")
    assert reading.alternatives == (("Apache-2.0", "CC-BY-4.0"), ("CC-BY-NC-4.0", "CC-BY-4.0"))


def test_with_exception_keeps_the_license():
    reading = read("Apache-2.0 WITH LLVM-exception")
    assert reading.licenses == ("Apache-2.0",)


def test_a_list_is_read_as_all_applying_and_says_so():
    reading = read("mit", "cc-by-nc-4.0")
    assert reading.licenses == ("MIT", "CC-BY-NC-4.0") and "all applying" in reading.reading
    assert reading.expression == "MIT AND CC-BY-NC-4.0"


def test_missing():
    assert licenses.interpret([], KB).status == "missing"


def test_other_without_a_name_is_unknown_not_guessed():
    reading = read("other")
    assert reading.status == "unknown" and reading.licenses == ()


def test_other_with_a_known_name():
    assert read("other", name="Llama 2 Community License").licenses == ("LicenseRef-Llama-2-Community",)


def test_other_with_an_unknown_name_is_unrecognised():
    reading = read("other", name="ACME Research License v2")
    assert reading.status == "unrecognised" and reading.unrecognised == ("ACME Research License v2",)


def test_unknown_symbol_in_expression():
    reading = read("MIT AND LicenseRef-acme")
    assert reading.status == "unrecognised" and reading.unrecognised == ("LicenseRef-acme",)
    assert reading.licenses == ("MIT",)


def test_malformed_expression_is_unrecognised_not_an_error():
    assert read("MIT OR").status == "unrecognised"


def test_every_license_term_cites_a_clause_and_source():
    for lic in KB.licenses.values():
        assert lic.terms, lic.id
        for term in lic.terms:
            assert term.clause and term.source.startswith("https://"), (lic.id, term.term)


def test_license_use_category_matches_its_terms():
    names = {0: "commercial", 1: "unspecified", 2: "non-commercial", 3: "academic-only"}
    for lic in KB.licenses.values():
        rank = max((KB.term_kinds[t.term].get("use_rank", 0) for t in lic.terms), default=0)
        assert lic.use == names[rank], lic.id
