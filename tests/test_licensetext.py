"""License texts told from their words: a text with wording of its own is not the license it
modifies, and a file holding several license texts holds each of them."""

from __future__ import annotations

import pytest
from conftest import findings_of, run_audit, write_tree

from auditor.harvest import licensetext

TEXTS = licensetext.texts_dir()
APACHE = (TEXTS / "Apache-2.0.txt").read_text(encoding="utf-8")
MIT = (TEXTS / "MIT.txt").read_text(encoding="utf-8")
NC = (TEXTS / "CC-BY-NC-4.0.txt").read_text(encoding="utf-8")
RIDER = (
    "10. Non-Commercial Use Only. Notwithstanding anything above, You may not use,\n"
    "reproduce or distribute the Work or Derivative Works for any commercial purpose.\n"
)


def with_rider(text: str, before: str) -> str:
    at = text.index(before)
    return text[:at] + RIDER + "\n" + text[at:]


def test_a_license_with_an_added_clause_is_a_modified_text():
    text = with_rider(APACHE, "END OF TERMS AND CONDITIONS")
    match = licensetext.identify(text)
    assert match.license == "Apache-2.0" and match.score >= licensetext.THRESHOLD
    assert not match.accepted and match.modified
    first = text[: text.index(RIDER)].count("\n") + 1
    assert match.added == (first, first + 1)


def test_a_filled_in_copyright_line_and_a_title_are_no_modification():
    text = "MIT License\n\nCopyright (c) 2024 Acme Corp and its many contributors\n\n" + MIT
    match = licensetext.identify(text)
    assert match.accepted and match.licenses == ("MIT",)


def test_a_file_holding_two_license_texts_holds_both():
    match = licensetext.identify(APACHE + "\n\n" + NC)
    assert match.accepted and match.licenses == ("Apache-2.0", "CC-BY-NC-4.0")
    assert licensetext.identify(MIT + "\n" + APACHE).licenses == ("MIT", "Apache-2.0")
    gpl, lgpl = ((TEXTS / f"{t}.txt").read_text(encoding="utf-8") for t in ("GPL-3.0", "LGPL-3.0"))
    assert licensetext.identify(gpl + "\n" + lgpl).accepted  # the sentences they share leave each whole


def test_a_sentence_between_two_texts_is_wording_of_the_file():
    text = APACHE + "\nThe model weights are licensed under the following license:\n\n" + NC
    match = licensetext.identify(text)
    assert match.modified and match.licenses == ("Apache-2.0", "CC-BY-NC-4.0")


def test_a_modified_text_is_a_license_of_unknown_terms_with_its_lines_quoted():
    found, problems = licensetext.statements(with_rider(APACHE, "END OF TERMS"), "LICENSE", "org/b/LICENSE")
    (statement,) = found
    assert statement.raw == "LicenseRef-modified-Apache-2.0"
    (problem,) = problems
    assert problem.code == "modified-license" and problem.evidence.line == statement.evidence.line
    assert "LICENSE is not the text of Apache-2.0" in problem.message
    assert "'10. Non-Commercial Use Only." in problem.message


def _fine_tune_of(tmp_path, upstream_license: str) -> dict:
    root = write_tree(
        tmp_path / "r",
        {
            "acme/ft/README.md": "---\nlicense: apache-2.0\nbase_model: org2/b\n---\n# ft\n",
            "org2/b/README.md": "# b\n\nWeights of b.\n",
            "org2/b/LICENSE": upstream_license.encode(),
        },
    )
    return run_audit(root, asset="acme/ft")


def test_an_upstream_under_a_modified_license_blocks_its_fine_tune(tmp_path):
    doc = _fine_tune_of(tmp_path, with_rider(APACHE, "END OF TERMS AND CONDITIONS"))
    assert findings_of(doc, "CMP012")
    assert any("is not the text of Apache-2.0" in f["message"] for f in findings_of(doc, "INP002"))


def test_an_upstream_under_the_unmodified_license_does_not(tmp_path):
    assert not findings_of(_fine_tune_of(tmp_path, APACHE), "CMP012")


def test_an_upstream_whose_license_file_holds_a_non_commercial_license_too_blocks(tmp_path):
    doc = _fine_tune_of(tmp_path, APACHE + "\n\n" + NC)
    assert findings_of(doc, "CMP001")


def test_accepted_and_modified_split_the_files_holding_known_texts_by_their_own_wording():
    """Known texts alone are accepted, with wording of their own modified; an unknown variant's text
    (texts/other/) or no license text is neither."""
    other = (TEXTS / "other" / "0BSD.txt").read_text(encoding="utf-8")
    cases = {MIT: (True, True, False), with_rider(APACHE, "END OF TERMS"): (True, False, True)}
    cases |= {other: (False, False, False), "Just a readme.\n": (False, False, False)}
    for text, expected in cases.items():
        match = licensetext.identify(text)
        assert (match.holds_known, match.accepted, match.modified) == expected, text[:40]


BSD3 = (TEXTS / "BSD-3-Clause.txt").read_text(encoding="utf-8")


def test_a_few_words_changed_in_the_grant_are_a_modified_text():
    text = MIT.replace("in the Software without restriction", "in the Software for non-commercial purposes only")
    match = licensetext.identify(text)
    assert match.score >= licensetext.THRESHOLD and match.modified and match.added == (3,)


def test_a_short_clause_put_in_is_a_modified_text():
    at = APACHE.index("END OF TERMS")
    match = licensetext.identify(APACHE[:at] + "10. No commercial use.\n\n" + APACHE[at:])
    assert match.modified


def test_words_left_out_of_the_grant_are_a_modified_text():
    assert licensetext.identify(MIT.replace("sublicense, and/or sell copies", "copies")).modified


def test_a_rider_on_a_line_opening_with_copyright_is_no_copyright_notice():
    rider = "Copyright holder reserves all commercial rights: any commercial use of the Software is prohibited."
    assert licensetext.identify(MIT + "\n" + rider + "\n").modified


def test_filled_in_blanks_notices_numbering_and_markdown_are_no_modification():
    text = (
        "# BSD 3-Clause License\n\nCopyright (c) 2019, Acme Corp.\nCopyright Contributors to Acme\n\n"
        + BSD3.replace("Redistributions of source", "1. **Redistributions** of source")
        .replace("the ORGANIZATION", "Acme Corp.")
        .replace("COPYRIGHT HOLDER OR CONTRIBUTORS", "ACME CORP. OR CONTRIBUTORS")
    )
    assert licensetext.identify(text).accepted
    https = APACHE.replace("http://www.apache.org/licenses/", "https://www.apache.org/licenses/")
    filled = https.replace("[yyyy] [name of copyright owner]", "2024 Acme Corp.")
    assert licensetext.identify(filled.replace("(c) You must retain", "(c)\nYou must retain")).accepted


def test_the_closest_of_two_texts_covering_a_file_alike_is_the_one_it_holds():
    """BSD-3-Clause-Clear holds the BSD-2-Clause words and one more ("COPYRIGHT OWNER" is its)."""
    bsd2 = (TEXTS / "BSD-2-Clause.txt").read_text(encoding="utf-8").replace("HOLDER OR", "OWNER OR")
    assert licensetext.identify(bsd2).licenses == ("BSD-2-Clause",)


@pytest.mark.parametrize(
    "notice",
    [
        "SPDX-License-Identifier: CC-BY-NC-4.0\n",
        "The weights in this repository are licensed under CC BY-NC 4.0.\nCommercial use is not permitted.\n",
        "Model weights:\nhttps://creativecommons.org/licenses/by-nc/4.0/\n",
    ],
)
def test_a_license_file_naming_a_license_declares_it(tmp_path, notice):
    doc = _fine_tune_of(tmp_path, notice)
    assert findings_of(doc, "CMP001") and not findings_of(doc, "INP002")


def test_a_license_file_naming_a_license_gives_no_copy_of_it(tmp_path):
    root = write_tree(
        tmp_path / "r",
        {
            "acme/ft/README.md": "---\nbase_model: org2/b\n---\n# ft\n",
            "acme/ft/LICENSE": "SPDX-License-Identifier: Apache-2.0\n",
            "acme/ft/model.safetensors": b"\x02\0\0\0\0\0\0\0{}",
            "org2/b/README.md": "---\nlicense: apache-2.0\n---\n# b\n",
            "mlaudit.toml": '[release]\nasset = "acme/ft"\nuse = "commercial"\ndistribution = "weights"\n',
        },
    )
    doc = run_audit(root)
    assert any("Apache-2.0" in f["message"] for f in findings_of(doc, "OBL002"))


def test_license_other_pointing_to_a_license_file_is_no_disagreement(tmp_path):
    """The Hub's convention: `license: other` and the license in a LICENSE file."""
    root = write_tree(tmp_path / "r", {"org2/b/README.md": "---\nlicense: other\n---\n# b\n", "org2/b/LICENSE": MIT})
    doc = run_audit(root, asset="org2/b")
    asset = next(a for a in doc["assets"] if a["id"] == "org2/b")
    assert asset["license"] == "MIT" and "several licenses" not in asset["license_reading"]
    assert not findings_of(doc, "PRV003")


def test_the_lines_a_modified_text_quotes_are_the_files_lines():
    """A line separator, form feed or vertical tab inside a line does not end it: the line numbers are
    those an editor shows (lines end at a newline)."""
    text = (
        "Preamble\u2028still line one\x0cand\x0bthis too\n" + MIT + "\nNo commercial use of the Software is allowed.\n"
    )
    match = licensetext.identify(text)
    assert match.modified and match.added[-1] == 2 + MIT.count("\n") + 1
