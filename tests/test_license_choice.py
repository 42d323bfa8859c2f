"""A license file that offers the texts it holds as a choice ("licensed under either of ... at your
option") states a dual license (OR); texts held without such words are licenses of parts (AND)."""

from __future__ import annotations

from conftest import findings_of, run_audit, write_tree

from auditor.harvest import licensetext
from auditor.license_parts import texts_dir

APACHE = (texts_dir() / "Apache-2.0.txt").read_text(encoding="utf-8")
MIT = (texts_dir() / "MIT.txt").read_text(encoding="utf-8")
EITHER = (
    "This project is licensed under either of\n\n * Apache License, Version 2.0\n * MIT license\n\nat your option.\n\n"
)


def test_texts_offered_at_the_licensees_option_are_one_choice():
    found, problems = licensetext.statements(EITHER + APACHE + "\n\n" + MIT, "LICENSE", "up/base/LICENSE")
    assert [s.raw for s in found] == ["Apache-2.0 OR MIT"] and not problems


def test_texts_held_without_such_words_each_apply():
    found, _ = licensetext.statements(APACHE + "\n\n" + MIT, "LICENSE", "up/base/LICENSE")
    assert [s.raw for s in found] == ["Apache-2.0", "MIT"]


def test_a_gpl_2_release_may_choose_the_mit_of_a_dual_licensed_base(tmp_path):
    root = write_tree(
        tmp_path / "r",
        {
            "acme/ft/README.md": "---\nlicense: gpl-2.0\nbase_model: up/base\n---\n# ft\n",
            "up/base/README.md": "# base\n",
            "up/base/LICENSE": EITHER + APACHE + "\n\n" + MIT,
        },
    )
    doc = run_audit(root, asset="acme/ft")
    assert not findings_of(doc, "CMP014")
    (base,) = [a for a in doc["assets"] if a["id"] == "up/base"]
    assert base["license"] == "Apache-2.0 OR MIT"
