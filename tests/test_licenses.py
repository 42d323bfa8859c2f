"""Reading declared licenses: aliases, SPDX expressions, URLs, lists, and strings that are not licenses."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from conftest import RB

from auditor import license_reading, license_scope, license_symbols, licenses
from auditor.model import Asset, Evidence, LicenseStatement

KB = RB.kb
EV = Evidence("x/README.md", "license", 2)


def read(*raws, name=None, link=None):
    return license_reading.read_declared([LicenseStatement(r, EV, name, link) for r in raws], KB)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("apache-2.0", ("Apache-2.0",)),
        ("Apache License 2.0", ("Apache-2.0",)),
        ("  MIT ", ("MIT",)),
        ("llama2", ("LicenseRef-Llama-2-Community",)),
        ("Llama 2 Community License Agreement", ("LicenseRef-Llama-2-Community",)),
        ("CC BY-NC 4.0", ("CC-BY-NC-4.0",)),
        ("https://creativecommons.org/licenses/by-nc/4.0/legalcode", ("CC-BY-NC-4.0",)),
        ("http://www.apache.org/licenses/LICENSE-2.0/", ("Apache-2.0",)),
        ("https://spdx.org/licenses/MIT.html", ("MIT",)),
    ],
)
def test_known_spellings(raw, expected):
    reading = read(raw)
    assert (reading.status, reading.licenses) == ("ok", expected)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://spdx.org/licenses/MIT", "MIT"),  # the SPDX License List's IRI, Croissant's recommendation
        ("http://spdx.org/licenses/Apache-2.0.json", "Apache-2.0"),
        ("https://spdx.org/licenses/CC-BY-NC-SA-4.0.html", "CC-BY-NC-SA-4.0"),
        ("https://spdx.org/licenses/BSD-3-Clause-Clear", "BSD-3-Clause-Clear"),  # known to LicenseDB only
        ("https://creativecommons.org/licenses/by/3.0/us/", "CC-BY-3.0-US"),  # a jurisdiction port
        ("https://creativecommons.org/licenses/by-nc/3.0/de/legalcode.de", "CC-BY-NC-3.0-DE"),
        ("https://creativecommons.org/licenses/by-nc-sa/2.0/uk/", "CC-BY-NC-SA-2.0-UK"),
        ("https://creativecommons.org/licenses/by/3.0/igo/", "CC-BY-3.0-IGO"),
        ("https://creativecommons.org/licenses/by-sa/4.0/deed.fr", "CC-BY-SA-4.0"),
        ("http://creativecommons.org/licenses/by-nd/2.5", "CC-BY-ND-2.5"),
        ("https://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0"),
        ("https://opendatacommons.org/licenses/odbl/1-0/", "ODbL-1.0"),
        ("https://opendatacommons.org/licenses/by/1-0/", "ODC-By-1.0"),
        ("https://www.opendatacommons.org/licenses/pddl/1.0/", "PDDL-1.0"),
    ],
)
def test_a_license_url_names_the_license_its_path_spells(raw, expected):
    """Every page of an SPDX, Creative Commons or Open Data Commons license, however written."""
    reading = read(raw)
    assert (reading.status, reading.licenses) == ("ok", (expected,))


def test_a_license_url_of_an_id_nobody_knows_stays_unrecognised():
    assert read("https://spdx.org/licenses/No-Such-License-1.0").status == "unrecognised"
    assert read("https://creativecommons.org/licenses/by/3.0/xx/").status == "unrecognised"


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


@pytest.mark.parametrize("pairs", [5, 40])
def test_an_expression_offering_too_many_alternatives_is_not_read_and_takes_no_time(pairs):
    """ "(a OR b) AND (c OR d) AND …" has 2**pairs alternatives: past MAX_ALTERNATIVES it is an
    unrecognised license (unknown terms), counted without building its normal form."""
    expression = " AND ".join(f"(MIT OR Apache-2.0 OR LicenseRef-x{i})" for i in range(pairs))
    started = time.process_time()
    reading = read(expression)
    assert time.process_time() - started < 2.0
    assert reading.status == "unrecognised" and reading.alternatives == ()
    assert f"more than {license_symbols.MAX_ALTERNATIVES} alternatives" in " ".join(reading.notes + (reading.reading,))


@pytest.mark.parametrize("terms", [2_000, 150_000])
def test_an_overlong_expression_is_not_read_and_takes_no_time(terms):
    """ "MIT AND MIT AND …" has one alternative, but parsing a megabyte of it took seconds."""
    started = time.process_time()
    reading = read(" AND ".join(["MIT"] * terms))
    assert time.process_time() - started < 0.5
    assert reading.status == "unrecognised" and reading.alternatives == ()
    assert f"longer than {license_reading.MAX_EXPRESSION_CHARS} characters" in reading.reading


def test_an_expression_within_the_bound_keeps_its_alternatives():
    reading = read("(MIT OR Apache-2.0) AND (BSD-3-Clause OR ISC)")
    assert len(reading.alternatives) == 4


def test_with_exception_keeps_the_license():
    reading = read("Apache-2.0 WITH LLVM-exception")
    assert reading.licenses == ("Apache-2.0",)


@pytest.mark.parametrize(
    "raw, license, expression",
    [
        ("GPL-2.0-with-classpath-exception", "GPL-2.0-only", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("gpl-3.0-with-gcc-exception", "GPL-3.0-only", "GPL-3.0-only WITH GCC-exception-3.1"),
        ("GPL-2.0-with-GCC-exception+", "GPL-2.0-or-later", "GPL-2.0-or-later WITH GCC-exception-2.0"),
        ("MIT AND GPL-2.0-with-font-exception", "GPL-2.0-only", "GPL-2.0-only WITH Font-exception-2.0"),
        ("eCos-2.0", "GPL-2.0-or-later", "GPL-2.0-or-later WITH eCos-exception-2.0"),
    ],
)
def test_a_deprecated_id_with_an_exception_reads_as_the_expression_it_stands_for(raw, license, expression):
    """The SPDX License List deprecated `GPL-2.0-with-classpath-exception` and its kind for `WITH`
    expressions: the license keeps its entry's terms, and the exception is kept beside it."""
    reading = read(raw)
    assert reading.status == "ok" and license in reading.licenses
    assert (license, expression) in reading.exceptions and "deprecated" in " ".join(reading.notes)


def test_every_deprecated_id_stands_for_a_license_with_a_listed_exception():
    for deprecated, expression in KB.deprecated.items():
        reading = read(deprecated)
        assert reading.status == "ok" and len(reading.exceptions) == 1, (deprecated, expression)


def test_a_list_is_read_as_all_applying_and_says_so():
    reading = read("mit", "cc-by-nc-4.0")
    assert reading.licenses == ("MIT", "CC-BY-NC-4.0") and "all applying" in reading.reading
    assert reading.expression == "MIT AND CC-BY-NC-4.0"


def test_missing():
    assert license_reading.read_declared([], KB).status == "missing"


def test_other_without_a_name_is_unknown_not_guessed():
    reading = read("other")
    assert reading.status == "unknown" and reading.licenses == ()


def test_other_with_a_known_name():
    assert read("other", name="Llama 2 Community License").licenses == ("LicenseRef-Llama-2-Community",)


def test_other_with_an_unknown_name_is_unrecognised():
    reading = read("other", name="ACME Research License v2")
    assert reading.status == "unrecognised" and reading.unrecognised == ("ACME Research License v2",)


QWEN_LINK = "https://github.com/QwenLM/Qwen/blob/main/Tongyi%20Qianwen%20LICENSE%20AGREEMENT"


@pytest.mark.parametrize(
    "raw, name, link, expected, field",
    [
        # a slug the knowledge base does not know gives way to a link it knows
        ("other", "tongyi-qianwen-license-agreement", QWEN_LINK, "LicenseRef-Tongyi-Qianwen", "license_link"),
        (None, "tongyi-qianwen-license-agreement", QWEN_LINK, "LicenseRef-Tongyi-Qianwen", "license_link"),
        ("other", "openai-terms-of-use", None, "LicenseRef-OpenAI-Terms", "license_name"),
        # a license value the knowledge base does not know, with a known name
        ("acme-slug", "Llama 2 Community License", None, "LicenseRef-Llama-2-Community", "license_name"),
        # the license value decides when known and the link names the same license
        ("apache-2.0", None, "https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0", "license"),
    ],
)
def test_every_field_of_a_card_statement_is_tried(raw, name, link, expected, field):
    reading = read(raw, name=name, link=link)
    assert (reading.status, reading.licenses, reading.decided_by) == ("ok", (expected,), (field,))
    if field != "license":
        assert f"read from {field}" in reading.reading


def test_the_deciding_field_is_the_evidence():
    statement = LicenseStatement(
        "other",
        EV,
        "acme-slug",
        QWEN_LINK,
        Evidence("x/README.md", "license_name", 3),
        Evidence("x/README.md", "license_link", 4),
    )
    reading = license_reading.read_declared([statement], KB)
    assert statement.field_evidence(reading.decided_by[0]) == Evidence("x/README.md", "license_link", 4)


@pytest.mark.parametrize(
    "name, link",
    [(None, "https://creativecommons.org/licenses/by-nc/4.0/"), ("cc-by-nc-4.0", None)],
)
def test_known_fields_that_disagree_all_apply(name, link):
    """license: cc-by-4.0 with a license_link or license_name saying CC BY-NC: nothing says which is
    true, so the stricter is not dropped."""
    reading = read("cc-by-4.0", name=name, link=link)
    assert (reading.status, reading.licenses) == ("ok", ("CC-BY-4.0", "CC-BY-NC-4.0"))
    assert "fields name different licenses" in reading.reading


def test_known_fields_that_disagree_are_all_listed():
    statement = LicenseStatement("apache-2.0", EV, None, "https://opensource.org/licenses/MIT")
    assert license_reading.known_readings(statement, KB) == [("license", "Apache-2.0"), ("license_link", "MIT")]


def test_an_unnamed_other_gives_way_to_a_known_statement_of_the_asset():
    """A card's `other` whose name nobody knows, and a LICENSE file read as Qwen: the LICENSE decides."""
    reading = license_reading.read_declared(
        [
            LicenseStatement("other", EV, "acme-slug"),
            LicenseStatement("LicenseRef-Qwen", Evidence("x/LICENSE", "license text", 1)),
        ],
        KB,
    )
    assert (reading.status, reading.licenses, reading.unrecognised) == ("ok", ("LicenseRef-Qwen",), ())
    assert any("another file of the asset names the license" in n for n in reading.notes)


@pytest.mark.parametrize("raws", [("cc-by-4.0", "other"), ("other", "cc-by-4.0")])
def test_an_unnamed_other_in_a_list_is_the_license_of_another_part(raws):
    """A card's `license: [cc-by-4.0, other]` with license_name: the other part's license still applies."""
    statements = [
        LicenseStatement(r, EV, "research-only-terms") if r == "other" else LicenseStatement(r, EV) for r in raws
    ]
    reading = license_reading.read_declared(statements, KB)
    assert (reading.status, reading.licenses, reading.unrecognised) == (
        "unrecognised",
        ("CC-BY-4.0",),
        ("research-only-terms",),
    )


def test_a_list_of_licenses_of_parts_all_apply():
    reading = read("mit", "cc-by-sa-3.0")
    assert reading.licenses == ("MIT", "CC-BY-SA-3.0") and reading.alternatives == ()


WIKIMEDIA = Asset("wikimedia/wikipedia", "dataset")


def read_of(asset, *raws):
    return license_reading.read_declared([LicenseStatement(r, EV) for r in raws], KB, asset)


@pytest.mark.parametrize(
    "raws", [("cc-by-sa-3.0", "gfdl"), ("gfdl", "cc-by-sa-4.0"), ("CC-BY-SA-3.0", "GFDL-1.3-or-later")]
)
@pytest.mark.parametrize(
    "asset", [WIKIMEDIA, Asset("wikipedia", "dataset"), Asset("legacy-datasets/wikipedia", "dataset")]
)
def test_a_known_dual_license_is_a_choice_on_its_holders_assets(raws, asset):
    """Wikipedia's text: CC BY-SA and the GFDL, either at the reuser's choice."""
    reading = read_of(asset, *raws)
    assert reading.licenses == () and len(reading.alternatives) == 2
    assert "dual license of Wikipedia" in reading.reading and "en.wikipedia.org" in reading.reading


@pytest.mark.parametrize("asset", [None, Asset("gnu-docs/manuals", "dataset"), Asset("wikipedia", "model")])
def test_a_known_dual_set_on_another_holders_asset_is_licenses_of_parts(asset):
    """A dual license is its holder's offer: the same list on anyone else's card names its parts."""
    reading = read_of(asset, "gfdl-1.3-only", "cc-by-sa-4.0")
    assert reading.alternatives == () and reading.licenses == ("GFDL-1.3-only", "CC-BY-SA-4.0")


def test_an_unversioned_gfdl_in_wikipedias_dual_license_grants_its_version_1_2_or_later():
    """Wikimedia's text is under "GFDL 1.2 with the possibility of upgrading to a later version": the
    Hub's unversioned `gfdl` in that grant is GFDL-1.2-or-later, which a GFDL-1.3 licensee may take."""
    reading = read_of(WIKIMEDIA, "cc-by-sa-3.0", "gfdl")
    assert reading.alternatives == (("CC-BY-SA-3.0",), ("GFDL-1.2-or-later",))
    assert reading.granted == (("gfdl", "GFDL-1.2-or-later"),) and any("Licensing_update" in n for n in reading.notes)


def test_a_dual_set_needs_all_its_members_and_nothing_else():
    assert read_of(WIKIMEDIA, "cc-by-sa-3.0", "gfdl", "mit").alternatives == ()
    assert read_of(WIKIMEDIA, "cc-by-sa-3.0", "cc-by-sa-4.0").alternatives == ()


@pytest.mark.parametrize(
    "raw, expected",
    [("CC-BY-SA-3.0+", "CC-BY-SA-3.0"), ("Apache-2.0+", "Apache-2.0"), ("MIT+", "MIT"), ("MPL-2.0+", "MPL-2.0")],
)
def test_or_later_of_any_id_reads_the_named_version_and_says_later_ones_are_unknown(raw, expected):
    reading = read(raw)
    assert (reading.status, reading.licenses) == ("ok", (expected,))
    assert any("later versions are not known" in n for n in reading.notes)


def test_an_or_later_gnu_id_reads_its_or_later_entry_beside_another_or_later_id():
    reading = read("GPL-3.0+ OR Apache-2.0+")
    assert (reading.status, reading.alternatives) == ("ok", (("GPL-3.0-or-later",), ("Apache-2.0",)))


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


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("mit-0", "MIT-0"),
        ("MIT No Attribution", "MIT-0"),
        ("https://choosealicense.com/licenses/mit-0/", "MIT-0"),
        ("qwen", "LicenseRef-Qwen"),
        ("Qwen LICENSE AGREEMENT", "LicenseRef-Qwen"),
        ("qwen-research", "LicenseRef-Qwen-Research"),
        ("Qwen RESEARCH LICENSE AGREEMENT", "LicenseRef-Qwen-Research"),
        ("GFDL-1.1-only", "GFDL-1.1-only"),
        ("GFDL-1.1-or-later", "GFDL-1.1-or-later"),
        ("GFDL-1.2-or-later", "GFDL-1.2-or-later"),
        ("gfdl-1.3", "GFDL-1.3-only"),
        ("gfdl-1.3-or-later", "GFDL-1.3-or-later"),
        ("GFDL-1.3+", "GFDL-1.3-or-later"),
        ("GNU Free Documentation License v1.3", "GFDL-1.3-only"),
        ("GFDL-1.1+", "GFDL-1.1-or-later"),
        ("openai", "LicenseRef-OpenAI-Terms"),
        ("openai-terms-of-use", "LicenseRef-OpenAI-Terms"),
        ("openai-tos", "LicenseRef-OpenAI-Terms"),
        ("https://openai.com/policies/terms-of-use", "LicenseRef-OpenAI-Terms"),
        ("https://openai.com/policies/row-terms-of-use", "LicenseRef-OpenAI-Terms"),
        ("https://openai.com/terms", "LicenseRef-OpenAI-Terms"),
        ("https://choosealicense.com/licenses/cc-by-sa-4.0/", "CC-BY-SA-4.0"),
        ("https://choosealicense.com/licenses/cc-by-3.0/", "CC-BY-3.0"),
        ("https://choosealicense.com/licenses/cc-by-4.0/", "CC-BY-4.0"),
        ("https://choosealicense.com/licenses/cc0-1.0/", "CC0-1.0"),
        ("https://choosealicense.com/licenses/odc-by/", "ODC-By-1.0"),
        ("https://choosealicense.com/licenses/odbl/", "ODbL-1.0"),
        ("https://choosealicense.com/licenses/odbl-1.0/", "ODbL-1.0"),
        ("https://choosealicense.com/licenses/gpl-3.0/", "GPL-3.0-only"),
        ("https://choosealicense.com/licenses/llama2/", "LicenseRef-Llama-2-Community"),
        ("https://choosealicense.com/licenses/gfdl-1.3/", "GFDL-1.3-only"),
        ("apache-2", "Apache-2.0"),
        ("apache2", "Apache-2.0"),
        ("llama4", "LicenseRef-Llama-4-Community"),
        ("Llama 4 Community License Agreement", "LicenseRef-Llama-4-Community"),
        ("https://choosealicense.com/licenses/llama4/", "LicenseRef-Llama-4-Community"),
        ("falcon-llm-license", "LicenseRef-TII-Falcon-License"),
        ("https://falconllm.tii.ae/falcon-terms-and-conditions.html", "LicenseRef-TII-Falcon-License"),
        ("https://falconllm.tii.ae/falcon-2-terms-and-conditions.html", "LicenseRef-Falcon-2-11B-TII-1.0"),
        ("mrl", "LicenseRef-Mistral-Research-License-0.1"),
        ("https://mistral.ai/licenses/MRL-0.1.md", "LicenseRef-Mistral-Research-License-0.1"),
        ("https://github.com/Tencent/HunyuanVideo/blob/main/LICENSE.txt", "LicenseRef-Tencent-HunyuanVideo-Community"),
        ("apple-amlr", "LicenseRef-Apple-AMLR"),
        ("Apple Machine Learning Research Model License", "LicenseRef-Apple-AMLR"),
        ("fair-noncommercial-research-license", "LicenseRef-FAIR-Noncommercial-Research"),
        ("FAIR Noncommercial Research License", "LicenseRef-FAIR-Noncommercial-Research"),
        ("openmdw-1.1", "LicenseRef-OpenMDW-1.1"),
        ("OpenMDW License Agreement v1.1", "LicenseRef-OpenMDW-1.1"),
        ("openmdw-1.0", "OpenMDW-1.0"),
        ("grok2-community", "LicenseRef-Grok-2-Community"),
        ("Grok 2 Community License Agreement", "LicenseRef-Grok-2-Community"),
        ("mnpl", "LicenseRef-Mistral-Non-Production-License-0.1"),
        ("https://mistral.ai/licenses/MNPL-0.1.md", "LicenseRef-Mistral-Non-Production-License-0.1"),
        ("stabilityai-ai-community", "LicenseRef-Stability-AI-Community"),
        ("Stability AI Community License Agreement", "LicenseRef-Stability-AI-Community"),
        ("https://github.com/meta-llama/codellama/blob/main/LICENSE", "LicenseRef-Llama-2-Community"),
        ("sai-nc-community", "LicenseRef-Stability-AI-NC-Research-Community"),
    ],
)
def test_new_aliases(raw, expected):
    reading = read(raw)
    assert (reading.status, reading.licenses) == ("ok", (expected,))


def test_qwen_license_caps_users_and_prescribes_a_statement():
    assert KB.term("LicenseRef-Qwen", "user_cap").values == ("100000000",)
    assert KB.term("LicenseRef-Qwen", "display_notice").values == ("Built with Qwen",)
    assert "Improved using Qwen" in KB.term("LicenseRef-Qwen", "display_notice").text


def test_qwen_research_is_non_commercial():
    lic = KB.licenses["LicenseRef-Qwen-Research"]
    assert lic.use == "non-commercial" and KB.term(lic.id, "non_commercial") and not KB.term(lic.id, "commercial_use")


def test_hunyuan_is_limited_to_its_territory_and_its_shared_slug_is_a_family():
    term = KB.term("LicenseRef-Tencent-HunyuanVideo-Community", "territory_restriction")
    assert term and "Section 1(l)" in term.clause
    assert KB.not_licenses[licenses.alias_key("tencent-hunyuan-community")].outcome == "family"


def test_apple_amlr_is_research_only_down_to_its_derivatives():
    lic = KB.licenses["LicenseRef-Apple-AMLR"]
    assert lic.use == "academic-only" and KB.term(lic.id, "research_only") and not KB.term(lic.id, "commercial_use")
    assert (
        lic.training == "binds"
        and "Apple Machine Learning Research Model is licensed" in KB.term(lic.id, "include_notice").text
    )


def test_fair_noncommercial_research_is_research_only_and_keeps_its_terms_on_derivatives():
    lic = KB.licenses["LicenseRef-FAIR-Noncommercial-Research"]
    assert lic.use == "academic-only" and KB.term(lic.id, "research_only") and not KB.term(lic.id, "commercial_use")
    assert KB.term(lic.id, "share_alike").clause == "Section 1(b)(ii)" and lic.copyleft_triggers == ("weights",)
    assert lic.outputs == "binds"


def test_openmdw_1_1_frees_outputs_and_asks_only_for_the_agreement_and_notices():
    lic = KB.licenses["LicenseRef-OpenMDW-1.1"]
    assert lic.use == "commercial" and lic.outputs == "frees"
    assert {t.term for t in lic.terms if t.kind == "limitation"} == set()


def test_grok_2_bars_training_other_models_and_prescribes_its_statements():
    lic = KB.licenses["LicenseRef-Grok-2-Community"]
    assert KB.term(lic.id, "no_output_training").clause.startswith("Section 2(b)")
    assert KB.term(lic.id, "display_notice").values == ("Powered by xAI",)
    assert KB.term(lic.id, "revocable") and KB.term(lic.id, "use_restrictions") and lic.licensor_orgs == ("xai-org",)


def test_mistral_non_production_license_is_non_commercial_and_not_for_hosting():
    lic = KB.licenses["LicenseRef-Mistral-Non-Production-License-0.1"]
    assert lic.use == "non-commercial" and KB.term(lic.id, "non_commercial") and KB.term(lic.id, "no_hosted_service")


def test_stability_ai_community_license_caps_revenue_and_bars_training_foundation_models():
    lic = KB.licenses["LicenseRef-Stability-AI-Community"]
    assert (
        KB.term(lic.id, "revenue_cap").values == ("1000000",) and KB.term_kinds["revenue_cap"]["kind"] == "limitation"
    )
    assert KB.term(lic.id, "display_notice").values == ("Powered by Stability AI",)
    assert KB.term(lic.id, "no_output_training") and lic.use == "commercial"


def test_stability_ai_nc_research_community_license_is_non_commercial_and_not_for_hosting():
    lic = KB.licenses["LicenseRef-Stability-AI-NC-Research-Community"]
    assert lic.use == "non-commercial" and KB.term(lic.id, "non_commercial") and not KB.term(lic.id, "commercial_use")
    assert KB.term(lic.id, "no_hosted_service").clause == "Section 1(b)"


def test_croissant_urls_of_hub_family_ids_are_not_guessed():
    assert read("https://choosealicense.com/licenses/unknown/").status == "unknown"
    assert read("https://choosealicense.com/licenses/gpl/").status == "unrecognised"


def _files():
    import yaml

    folder = RB.folder / "licenses"
    return {
        p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*.yaml"))
        if p.name not in licenses.DATA_FILES
    }


def test_every_licensor_names_its_hub_organisations():
    for name, data in _files().items():
        if "licensor" in data:
            assert data.get("licensor_orgs"), name


# Entries whose text could not be found again; SOURCES.md says why.
TEXT_NOT_AVAILABLE = {"ai2-impact-lr.yaml", "ai2-impact-mr.yaml", "ai2-impact-hr.yaml", "anthropic-terms.yaml"}


def test_every_entry_is_dated_and_hashed_where_its_text_was_read():
    for name, data in _files().items():
        assert data.get("verified_at"), name
        if name in TEXT_NOT_AVAILABLE:
            assert "text_sha256" not in data and "text_read" not in data, name
        else:
            assert len(str(data["text_sha256"])) == 64 and data["text_read"], name


def test_copyleft_licenses_say_what_triggers_them():
    for lic in RB.kb.licenses.values():
        if {t.term for t in lic.terms} & set(license_scope.COPYLEFT_TERMS):
            assert lic.copyleft_triggers, lic.id


def test_no_alias_names_two_licenses():
    owner = {}
    for data in _files().values():
        for alias in (data["id"], *data.get("aliases", [])):
            key = licenses.alias_key(str(alias))
            assert owner.setdefault(key, data["id"]) == data["id"], (alias, owner[key], data["id"])


SHA = "a" * 64


def kb_with(tmp_path, mit_keys: str):
    """A knowledge base of terms.yaml and mit.yaml, with `mit_keys` (YAML lines) added to the entry."""
    folder = tmp_path / "kb"
    folder.mkdir(parents=True)
    real = RB.folder / "licenses"
    (folder / "terms.yaml").write_text((real / "terms.yaml").read_text())
    undated = re.sub(r"^(verified_at|text_read|text_sha256):.*\n", "", (real / "mit.yaml").read_text(), flags=re.M)
    (folder / "mit.yaml").write_text(undated + mit_keys)
    return licenses.load(folder)


@pytest.mark.parametrize(
    "keys",
    [
        f"verified_at: 2025-01-31\ntext_read: 'github:spdx/license-list-data@abc:text/MIT.txt'\ntext_sha256: {SHA}\n",
        f"verified_at: '2025-01-31'\ntext_read: 'github:spdx/license-list-data@abc:text/MIT.txt'\ntext_sha256: '{SHA}'\n",
    ],
)
def test_verification_keys_are_loaded(tmp_path, keys):
    mit = kb_with(tmp_path, keys).licenses["MIT"]
    assert mit.verified_at == "2025-01-31" and mit.text_sha256 == SHA
    assert mit.text_read == "github:spdx/license-list-data@abc:text/MIT.txt"
    assert mit.file == "rules/licenses/mit.yaml" and licenses.clause_level(mit)


def test_an_entry_without_verified_at_was_never_verified(tmp_path):
    mit = kb_with(tmp_path, "").licenses["MIT"]
    assert (mit.verified_at, mit.text_read, mit.text_sha256) == (None, None, None)
    assert not licenses.clause_level(mit)
    assert licenses.stale(mit, dt.date(2000, 1, 1), 1200)


@pytest.mark.parametrize(
    "keys, message",
    [
        (f"text_sha256: {SHA.upper()}\n", "text_sha256 must be 64 lowercase hexadecimal digits"),
        (f"text_sha256: {SHA[:63]}\n", "text_sha256 must be 64 lowercase hexadecimal digits"),
        ("text_sha256: 12345\n", "text_sha256 must be 64 lowercase hexadecimal digits"),
        ("verified_at: '2025-13-01'\n", "verified_at '2025-13-01' is not a date"),
        ("verified_at: last spring\n", "verified_at 'last spring' is not a date"),
    ],
)
def test_malformed_verification_keys_are_refused_naming_the_file(tmp_path, keys, message):
    with pytest.raises(ValueError, match=f"mit.yaml: {message}"):
        kb_with(tmp_path, keys)


@pytest.mark.parametrize(
    "keys, message",
    [
        ("triggers:\n  - {terms: [include_license], distributions: [hosted], clause: s}\n", "each trigger needs"),
        ("triggers:\n  - {terms: [include_license], distributions: [weights]}\n", "each trigger needs"),
        (
            "triggers:\n  - {terms: [commercial_use], distributions: [weights], clause: s}\n",
            "trigger term 'commercial_use'",
        ),
        ("triggers:\n  - {terms: [display_notice], distributions: [weights], clause: s}\n", "trigger term 'display_"),
        (
            "triggers:\n  - {terms: [include_license], distributions: [weights], clause: s}\n"
            "  - {terms: [include_license], distributions: [api], clause: t}\n",
            "trigger term 'include_license' must be a condition or limitation of the license, listed once",
        ),
        (
            "triggers:\n  - {terms: [include_license], distributions: [weights], relations: [modified], clause: s}\n",
            "trigger relations must be among copy, adaptation, use",
        ),
        (
            "copyleft_relations:\n  - {distributions: [api], relations: [adaptation], clause: s}\n",
            "each copyleft relation needs distributions among copyleft_triggers",
        ),
    ],
)
def test_malformed_triggers_are_refused_naming_the_file(tmp_path, keys, message):
    with pytest.raises(ValueError, match=f"mit.yaml: {message}"):
        kb_with(tmp_path, keys)


def test_a_trigger_names_the_distributions_and_the_clause(tmp_path):
    mit = kb_with(tmp_path, "triggers:\n  - {terms: [include_license], distributions: [weights], clause: all copies}\n")
    assert [(t.term, t.distributions, t.clause) for t in mit.licenses["MIT"].triggers] == [
        ("include_license", ("weights",), "all copies")
    ]


def test_agpl_network_use_binds_a_modified_version_only():
    """Section 13: "if you modify the Program, your modified version must prominently offer all users
    interacting with it remotely through a computer network ... the Corresponding Source"."""
    for lid in ("AGPL-3.0-only", "AGPL-3.0-or-later"):
        lic = RB.kb.licenses[lid]
        network = {t.term: t for t in lic.triggers}["network_disclose"]
        assert network.relations == ("adaptation",) and "Section 13" in network.clause
        assert [(t.term, t.distributions, t.relations) for t in lic.copyleft_relations] == [
            ("copyleft", ("api",), ("adaptation",))
        ]


def test_odbl_produced_work_and_derivative_database_exclude_each_other():
    """Section 4.5(b): "Using this Database ... to create a Produced Work does not create a Derivative
    Database for purposes of Section 4.4": the notice binds a use, the share-alike a copy or adaptation."""
    lic = RB.kb.licenses["ODbL-1.0"]
    relations = {t.term: t.relations for t in lic.triggers + lic.copyleft_relations}
    assert (
        relations["include_notice"] == ("use",)
        and "4.5(b)" in {t.term: t for t in lic.triggers}["include_notice"].clause
    )
    assert relations["copyleft"] == ("copy", "adaptation") and relations["disclose_source"] == ("adaptation",)
    assert lic.reach_terms == (("trained_on", "include_notice"),)


def test_reaches_names_only_terms_of_the_license(tmp_path):
    keys = (
        "outputs: binds\noutputs_basis: s\nreaches:\n  - {relation: generated_by, clause: s, terms: [naming_prefix]}\n"
    )
    with pytest.raises(ValueError, match=r"mit\.yaml: reaches generated_by names .naming_prefix."):
        kb_with(tmp_path / "unknown", keys)
    mit = kb_with(tmp_path / "known", keys.replace("naming_prefix", "attribution")).licenses["MIT"]
    assert mit.reaches == ("generated_by",) and mit.reach_terms == (("generated_by", "attribution"),)


def test_llama_outputs_carry_only_the_terms_the_text_names():
    """Llama 2 and 3 Section 1(b)(v) reach outputs with the training ban; Llama 3.1 Section 1(b)(i) with the prefix."""
    named = {lid: RB.kb.licenses[lid].reach_terms for lid in RB.kb.licenses if lid.startswith("LicenseRef-Llama-")}
    assert named["LicenseRef-Llama-2-Community"] == (("generated_by", "no_output_training"),)
    assert named["LicenseRef-Llama-3-Community"] == (("generated_by", "no_output_training"),)
    assert named["LicenseRef-Llama-3.1-Community"] == (("generated_by", "naming_prefix"),)


def test_llama_3_text_makes_a_hosted_service_trigger_its_display_and_naming_duties():
    """Section 1(b)(i): "distribute or make available ... or a product or service that uses any of them"."""
    for lid in ("LicenseRef-Llama-3-Community", "LicenseRef-Llama-3.1-Community", "LicenseRef-Llama-3.3-Community"):
        triggers = {t.term: t for t in RB.kb.licenses[lid].triggers}
        for term in ("display_notice", "naming_prefix", "include_license"):
            assert triggers[term].distributions == ("weights", "api") and "1(b)(i)" in triggers[term].clause


def test_an_acceptance_by_use_binds_an_internal_release_and_one_asked_of_recipients_does_not():
    """Llama and Gemma bind whoever "uses" the materials, MNPL Section 1.2 whoever accesses them; AFL-3.0
    Section 9 asks a distributor to obtain its recipients' assent."""
    by_use = (
        "LicenseRef-Llama-3.1-Community",
        "LicenseRef-Gemma-Terms-of-Use",
        "LicenseRef-Mistral-Non-Production-License-0.1",
    )
    for lid in by_use:
        (accept,) = [t for t in RB.kb.licenses[lid].triggers if t.term == "accept_terms"]
        assert accept.distributions == ("weights", "api", "internal"), lid
    assert not [t for t in RB.kb.licenses["AFL-3.0"].triggers if t.term == "accept_terms"]


@pytest.mark.parametrize(
    "verified, months, as_of, stale",
    [
        ("2025-12-05", 12, "2026-12-05", False),  # exactly the age allowed
        ("2025-12-05", 12, "2026-12-06", True),
        ("2025-01-31", 1, "2025-02-28", False),  # a month later is the shorter month's last day
        ("2025-01-31", 1, "2025-03-01", True),
        ("2026-12-05", 0, "2026-12-05", False),
        ("2026-12-05", 0, "2026-12-06", True),
        ("2026-12-05", 12, "2026-01-01", False),  # verified after the date judged on
    ],
)
def test_staleness_is_measured_in_calendar_months(verified, months, as_of, stale):
    lic = licenses.License("X", "X", "data", "commercial", "https://x", "silent", (), verified_at=verified)
    assert licenses.stale(lic, dt.date.fromisoformat(as_of), months) is stale


@pytest.mark.parametrize(
    "verified, as_of, months",
    [
        ("2025-12-05", "2026-12-05", 12),
        ("2025-12-05", "2026-12-04", 11),
        ("2025-01-31", "2025-02-28", 1),
        ("2026-12-05", "2026-12-05", 0),
        ("2026-12-05", "2026-11-20", -1),
    ],
)
def test_age_in_whole_months(verified, as_of, months):
    assert licenses.age_months(verified, dt.date.fromisoformat(as_of)) == months


@pytest.mark.parametrize(
    "text, expected",
    [
        ("apache-2.0", "Apache-2.0"),
        ("MIT", "MIT"),
        ("https://spdx.org/licenses/MIT.html", "MIT"),
        ("llama2", "LicenseRef-Llama-2-Community"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("acme-license", None),
        ("MIT OR Apache-2.0", None),
        ("MIT AND Apache-2.0", None),
        ("unknown", None),
    ],
)
def test_lookup_reads_an_id_as_a_manifest_license(text, expected):
    lic = license_reading.lookup(text, KB)
    assert (lic.id if lic else None) == expected


def test_the_readme_states_the_knowledge_base_counts():
    kb = RB.kb
    clause_level = sum(licenses.clause_level(lic) for lic in kb.licenses.values())
    readme = " ".join((RB.folder.parent / "README.md").read_text(encoding="utf-8").split())
    assert f"holds {len(kb.licenses)} hand-written licenses; {clause_level} were checked" in readme
    listed = kb.index.listed
    by_category = [lid for lid in listed if kb.resolve(lid) not in kb.licenses]
    assert f"The other {len(listed):,} come each with its SPDX id" in readme
    assert f"{len(listed) - len(by_category)} of them are hand-written entries" in readme
    assert f"the other {len(by_category):,} are read at category level" in readme
    for category in ("Permissive", "Copyleft", "Copyleft Limited", "Public Domain"):
        assert f"{category} ({sum(listed[lid].category == category for lid in by_category)})" in readme, category
    unread = sum(kb.index.categories[listed[lid].category].read for lid in by_category)
    assert f"Unstated License ({unread})" in readme


@pytest.mark.parametrize(
    ("raw", "status", "unrecognised"),
    [
        ("Apache-2.0 WITH LLVM-exception", "ok", ()),  # on the SPDX exception list: permissions added
        ("GPL-2.0-only WITH Classpath-exception-2.0", "ok", ()),
        ("Apache-2.0 WITH Commons-Clause", "unrecognised", ("Apache-2.0 WITH Commons-Clause",)),  # a restriction
    ],
)
def test_a_license_with_an_exception_the_spdx_list_does_not_name_has_unknown_terms(raw, status, unrecognised):
    reading = read(raw)
    assert (reading.status, tuple(reading.unrecognised)) == (status, unrecognised)
    offered = read("MIT OR Apache-2.0 WITH Bogus-exception")  # as any alternative of unknown terms
    assert offered.alternatives == read("MIT OR FooBar").alternatives == (("MIT",), ("NOASSERTION",))


def test_cc_by_nd_3_is_read_clause_by_clause():
    """CC BY-ND 3.0 s3 grants no right to make Adaptations: its terms, not a category, decide."""
    entry = KB.entry(read("cc-by-nd-3.0").licenses[0])
    assert entry is not None and entry.id == "CC-BY-ND-3.0" and entry.text_sha256
    assert {t.term for t in entry.terms} >= {"no_derivatives", "attribution", "include_license"}


def test_openrail_reaches_models_made_from_the_model_not_models_trained_on_data_under_it():
    """Derivatives of the Model (Section 1(e)) are distilled or trained on its outputs: a dataset
    under the Hub's `openrail` id leaves training to the position."""
    for lid in ("LicenseRef-OpenRAIL", "LicenseRef-BigScience-OpenRAIL-M", "LicenseRef-CreativeML-OpenRAIL-M"):
        lic = KB.licenses[lid]
        assert lic.training == "silent" and {"distill", "generated_by"} <= set(lic.reaches), lid


def test_conditions_bound_by_sharing_need_their_clause(tmp_path):
    """`conditions: sharing` (CC BY-SA 4.0 Section 3(a)) is a reading of the text: without the clause that
    says so, or on a license without a copyleft, the entry is refused, naming the file."""
    with pytest.raises(ValueError, match=r"x\.yaml: conditions must be copyleft or sharing"):
        license_scope.shared_conditions({"conditions": "sharing"}, ("weights",), tmp_path / "x.yaml")
    with pytest.raises(ValueError, match=r"x\.yaml: conditions: sharing needs copyleft_triggers"):
        license_scope.shared_conditions({"conditions": "sharing", "conditions_basis": "s3(a)"}, (), tmp_path / "x.yaml")
    assert (
        license_scope.shared_conditions({"conditions": "sharing", "conditions_basis": "s3(a)"}, ("weights",), tmp_path)
        == "s3(a)"
    )
    assert license_scope.shared_conditions({}, ("weights",), tmp_path) is None
