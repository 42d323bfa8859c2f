"""Texts that are part of a license as its steward publishes it: the GPL-3.0 text LGPL-3.0
incorporates, the Acceptable Use Policy Meta's Llama 3 LICENSE appends. Beside their license they
are that license, not a second one that also applies, nor wording that modifies it."""

from __future__ import annotations

from conftest import findings_of, run_audit, write_tree

from auditor.harvest import licensetext
from auditor.license_parts import texts_dir

GPL3 = (texts_dir() / "GPL-3.0.txt").read_text(encoding="utf-8")
LGPL3 = (texts_dir() / "LGPL-3.0.txt").read_text(encoding="utf-8")
MIT = (texts_dir() / "MIT.txt").read_text(encoding="utf-8")
LLAMA3 = (texts_dir() / "LicenseRef-Llama-3-Community.txt").read_text(encoding="utf-8")
AUP = (texts_dir() / "parts" / "Llama-3-Acceptable-Use-Policy.txt").read_text(encoding="utf-8")


def test_the_gpl_text_with_the_lgpl_text_in_one_file_is_the_lgpl():
    match = licensetext.identify(GPL3 + "\n\n" + LGPL3)
    assert match.accepted and match.licenses == ("LGPL-3.0",)


def test_metas_llama_3_license_with_its_acceptable_use_policy_is_the_llama_3_license():
    match = licensetext.identify(LLAMA3 + "\n\n" + AUP)
    assert match.accepted and match.licenses == ("LicenseRef-Llama-3-Community",)


def test_the_policy_appended_to_another_license_is_wording_of_its_own():
    match = licensetext.identify(MIT + "\n\n" + AUP)
    assert match.modified and match.licenses == ("MIT",)


def _lgpl_dependency(tmp_path) -> dict:
    root = write_tree(
        tmp_path / "r",
        {
            "acme/app/README.md": "---\nlicense: apache-2.0\n---\n# app\n",
            "up/lib/README.md": "---\nlicense: lgpl-3.0\n---\n# lib\n",
            "up/lib/COPYING": GPL3,
            "up/lib/COPYING.LESSER": LGPL3,
            "mlaudit.toml": '[[lineage]]\nchild = "acme/app"\nparent = "up/lib"\nrelation = "depends_on"\n',
        },
    )
    return run_audit(root, asset="acme/app")


def test_an_application_using_an_lgpl_library_shipped_with_the_gpl_text_owes_no_gpl_share_alike(tmp_path):
    doc = _lgpl_dependency(tmp_path)
    (lib,) = [a for a in doc["assets"] if a["id"] == "up/lib"]
    assert lib["license"] == "LGPL-3.0-only"
    assert not findings_of(doc, "CMP002") and not findings_of(doc, "PRV003")


def test_a_fine_tune_of_a_base_shipping_metas_llama_3_license_file_inherits_known_terms(tmp_path):
    root = write_tree(
        tmp_path / "r",
        {
            "acme/ft/README.md": "---\nlicense: apache-2.0\nbase_model: up/base\n---\n# ft\n",
            "up/base/README.md": "# base\n",
            "up/base/LICENSE": LLAMA3 + "\n\n" + AUP,
        },
    )
    doc = run_audit(root, asset="acme/ft")
    assert not findings_of(doc, "CMP012") and not findings_of(doc, "LIC001")
    (base,) = [a for a in doc["assets"] if a["id"] == "up/base"]
    assert base["license"] == "LicenseRef-Llama-3-Community"


def test_the_llama_3_agreement_as_accepted_by_click_or_by_use_is_the_same_license():
    """Meta's repository reads "By clicking “I Accept” below or by using", its Hub copies "By using"; a
    file that puts other words there is not the agreement."""
    hub_copy = LLAMA3.replace("By clicking “I Accept” below or by using", "By using")
    assert licensetext.identify(hub_copy).accepted
    assert licensetext.identify(LLAMA3.replace("or by using or", "or by paying or")).modified
