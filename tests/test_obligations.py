"""Obligation status: what the release's files show met, unmet or cannot tell, with the evidence,
in report.json, the HTML checklist, the terminal summary and the generated NOTICE."""

from __future__ import annotations

import json
import struct

import jsonschema
import pytest
from conftest import FIXTURES, RB, card, run_audit, write_tree
from hypothesis import given
from hypothesis import strategies as st

from auditor import shipped
from auditor.model import Evidence
from auditor.report import html, notice, text
from auditor.resources import schema_path

CASES = FIXTURES / "rules" / "OBL002-obligation-unmet"
LLAMA_BASE = card("license: llama3\nlicense_name: Meta Llama 3 Community License")
CONFIG = '{"model_type": "llama"}'
WEIGHTS = (CASES / "fire-license-missing" / "acme" / "m" / "model.safetensors").read_text()  # a Git LFS pointer


def obligation(doc: dict, term: str, license_id: str = "Apache-2.0") -> dict:
    (found,) = [o for o in doc["obligations"] if o["term"] == term and o["license"] == license_id]
    return found


def files(o: dict) -> set[str]:
    return {step["file"] for step in o["status_evidence"]}


def test_a_shipped_license_text_meets_the_obligation():
    o = obligation(run_audit(CASES / "nofire-license-shipped"), "include_license")
    assert o["status"] == "met" and files(o) == {"acme/m/LICENSE"}
    assert "holds the text of Apache-2.0" in o["status_evidence"][0]["fact"]


def test_weights_without_the_license_text_are_unmet():
    doc = run_audit(CASES / "fire-license-missing")
    o = obligation(doc, "include_license")
    assert o["status"] == "unmet" and files(o) == {"acme/m/model.safetensors"}
    assert doc["obligation_counts"]["unmet"] == 1
    jsonschema.validate(json.loads(json.dumps(doc)), json.loads(schema_path().read_text()))


def test_a_card_alone_cannot_tell():
    o = obligation(run_audit(CASES / "nofire-card-only"), "include_license")
    assert o["status"] == "cannot-tell" and files(o) == {"acme/m/README.md"}
    assert "a missing file cannot be seen" in o["status_evidence"][0]["fact"]


def test_terms_without_a_check_cannot_be_told():
    o = obligation(run_audit(CASES / "nofire-license-shipped"), "state_changes")
    assert o["status"] == "cannot-tell" and o["status_evidence"][0]["fact"].startswith("no file mlaudit reads")


def test_a_notice_that_carries_the_upstream_notice_meets_it():
    o = obligation(run_audit(CASES / "nofire-notice-carried"), "include_notice")
    assert o["status"] == "met" and {"acme/base/NOTICE", "acme/m/NOTICE"} <= files(o)
    assert [n["asset"] for n in o["notices"]] == ["acme/base"]


def test_the_generated_notice_carries_the_upstream_notice_text():
    doc = run_audit(CASES / "fire-notice-omitted")
    assert obligation(doc, "include_notice")["status"] == "unmet"
    generated = notice.render(doc)
    assert "From acme/base (acme/base/NOTICE):" in generated
    assert "    The Apache Software Foundation (http://www.apache.org/)." in generated


def test_the_html_checklist_and_the_terminal_show_the_status():
    doc = run_audit(CASES / "fire-license-missing")
    page = html.render(doc)
    checklist = page[page.index('<section id="obligations">') : page.index('<section id="documentation">')]
    assert '<span class="status unmet">unmet</span>' in checklist
    assert '<span class="status cannot-tell">cannot tell</span>' in checklist
    summary = text.render(doc, [])
    assert f"1 unmet, {doc['obligation_counts']['cannot-tell']} cannot tell" in summary


def test_a_use_policy_file_is_left_to_a_person(release):
    """The restrictions may be passed on in any agreement governing use, which the audit may not see: a
    folder without the policy is cannot-tell with CMP007's warning; a policy file is read by a person (it
    may hold another license's policy), and an empty one passes nothing on."""
    files_ = {
        "mlaudit.toml": '[release]\nasset = "acme/Llama-3-m"\n',
        "meta-llama/Meta-Llama-3-8B/README.md": LLAMA_BASE,
        "acme/Llama-3-m/README.md": card("license: llama3\nbase_model: meta-llama/Meta-Llama-3-8B"),
        "acme/Llama-3-m/config.json": CONFIG,
        "acme/Llama-3-m/model.safetensors": WEIGHTS,
    }
    without = release(files_)
    assert obligation(without, "pass_on_restrictions", "LicenseRef-Llama-3-Community")["status"] == "cannot-tell"
    assert [f["rule"] for f in without["findings"] if f["rule"] == "CMP007"] == ["CMP007"]
    unmet = [f["detail"]["term"] for f in without["findings"] if f["rule"] == "OBL002"]
    assert unmet == ["include_license", "include_notice"]  # the "Notice" file of Section 1(b)(iii) too
    with_policy = release({**files_, "acme/Llama-3-m/USE_POLICY.md": "# Meta Llama 3 Acceptable Use Policy\n"})
    o = obligation(with_policy, "pass_on_restrictions", "LicenseRef-Llama-3-Community")
    assert o["status"] == "cannot-tell" and "acme/Llama-3-m/USE_POLICY.md" in files(o)
    assert not [f for f in with_policy["findings"] if f["rule"] == "CMP007"]
    empty = release({**files_, "acme/Llama-3-m/USE_POLICY.md": " \n"})
    assert [f["rule"] for f in empty["findings"] if f["rule"] == "CMP007"] == ["CMP007"]
    assert {
        "file": "acme/Llama-3-m/USE_POLICY.md",
        "format": "model-folder",
        "status": "read",
        "reason": "",
    } in with_policy["inventory"]


def _release_with(tmp_path, base_license: str, name: str, body: str) -> dict:
    files = {
        "mlaudit.toml": '[release]\nasset = "acme/m"\n',
        "acme/base/README.md": card(f"license: {base_license}"),
        "acme/m/README.md": card(f"license: {base_license}\nbase_model: acme/base"),
        "acme/m/model.safetensors": WEIGHTS,
        f"acme/m/{name}": body,
    }
    return run_audit(write_tree(tmp_path / name, files))


def test_a_license_file_that_only_names_the_license_gives_no_copy_of_it(tmp_path):
    """MIT asks for "this permission notice" itself: a file name, an SPDX line, a URL or an empty file
    beside the weights is no copy of it."""
    for name, body in (
        ("LICENSE-MIT", "See the MIT terms.\n"),
        ("LICENSE.txt", "SPDX-License-Identifier: MIT\n"),
        ("LICENSE", "Licensed under https://opensource.org/licenses/MIT\n"),
        ("COPYING-MIT", ""),
    ):
        o = obligation(_release_with(tmp_path, "mit", name, body), "include_license", "MIT")
        assert o["status"] == "unmet", name


def test_a_license_that_accepts_its_uri_is_met_by_a_file_giving_it(tmp_path):
    """CC BY 4.0 s3(a)(1)(C): "the text of, or the URI or hyperlink to, this Public License"."""
    doc = _release_with(tmp_path, "cc-by-4.0", "LICENSE", "https://creativecommons.org/licenses/by/4.0/\n")
    o = obligation(doc, "include_license", "CC-BY-4.0")
    assert o["status"] == "met" and "acme/m/LICENSE" in files(o)


def test_configs_alone_show_no_file_missing(release):
    """A metadata harvest of the Hub fetches configs, never weights: a missing file cannot be told."""
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n',
            "acme/base/README.md": card("license: apache-2.0"),
            "acme/m/README.md": card("license: apache-2.0\nbase_model: acme/base"),
            "acme/m/config.json": CONFIG,
        }
    )
    assert obligation(doc, "include_license")["status"] == "cannot-tell"
    assert not [f for f in doc["findings"] if f["rule"] == "OBL002"]


def test_weights_whose_header_fails_are_shipped_at_any_depth(tmp_path):
    """An unparseable weight file in a sub-folder (diffusers' unet/, Meta's original/) is told (INP001)
    and still weights the release ships, as a read one is: the missing license text shows beside it.
    A dot file is no weight file, readable or not."""
    broken = struct.pack("<Q", 1000) + b"{}"
    base = {
        "mlaudit.toml": '[release]\nasset = "acme/m"\n',
        "acme/base/README.md": card("license: apache-2.0"),
        "acme/m/README.md": card("license: apache-2.0\nbase_model: acme/base"),
    }
    for rel in ("acme/m/unet/diffusion_pytorch_model.safetensors", "acme/m/original/model.gguf"):
        doc = run_audit(write_tree(tmp_path / rel.split("/")[2], {**base, rel: broken}))
        o = obligation(doc, "include_license")
        assert o["status"] == "unmet" and rel in files(o), rel
        assert {"INP001", "OBL002"} <= {f["rule"] for f in doc["findings"]}, rel
    hidden = write_tree(tmp_path / "hidden", base)
    (hidden / "acme/m/.model.safetensors").symlink_to(hidden / "nowhere")
    assert obligation(run_audit(hidden), "include_license")["status"] == "cannot-tell"


def test_the_shared_checks_are_met_by_an_internal_release(release):
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\ndistribution = "internal"\n',
            "meta-llama/Meta-Llama-3-8B/README.md": LLAMA_BASE,
            "acme/m/README.md": card("license: llama3\nbase_model: meta-llama/Meta-Llama-3-8B"),
        }
    )
    for term in ("naming_prefix", "display_notice"):
        o = obligation(doc, term, "LicenseRef-Llama-3-Community")
        assert o["status"] == "met" and "mlaudit.toml" in files(o), term


def test_what_a_release_without_a_card_text_states_cannot_be_told():
    """A row of Hub records gives a card's metadata, never its text: whether the card displays the
    prescribed phrase or restates the restrictions is cannot-tell, citing the row, not unmet."""
    fixture = FIXTURES / "rules" / "CMP009-display-requirement" / "nofire-no-card-text"
    doc = run_audit(fixture)
    for term in ("display_notice", "pass_on_restrictions"):
        o = obligation(doc, term, "LicenseRef-Llama-3-Community")
        assert o["status"] == "cannot-tell", term
        (absent,) = [step for step in o["status_evidence"] if "which gives its card's metadata" in step["fact"]]
        assert (absent["file"], absent["line"]) == ("models.jsonl", 2)
    with_card = run_audit(FIXTURES / "rules" / "CMP009-display-requirement" / "fire")
    assert obligation(with_card, "display_notice", "LicenseRef-Llama-3-Community")["status"] == "cannot-tell"


def test_a_card_of_front_matter_alone_does_not_state_the_phrase(release):
    """A card read is a card's text, if only its front matter: its empty body states nothing."""
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/Llama-3-m"\n',
            "meta-llama/Meta-Llama-3-8B/README.md": LLAMA_BASE,
            "acme/Llama-3-m/README.md": "---\nlicense: llama3\nbase_model: meta-llama/Meta-Llama-3-8B\n---\n",
        }
    )
    assert obligation(doc, "display_notice", "LicenseRef-Llama-3-Community")["status"] == "cannot-tell"
    assert [f["rule"] for f in doc["findings"] if f["rule"] == "CMP009"] == ["CMP009"]


def test_a_phrase_inside_an_html_comment_is_not_displayed(release):
    """A comment is invisible on the rendered card: a note there to add the prescribed line states
    neither it nor the use restrictions, while the same words in the text display the line (and name
    the policy, which a person must read to tell whether it is passed on)."""
    note = "Built with Meta Llama 3, and the Acceptable Use Policy"
    files = {
        "mlaudit.toml": '[release]\nasset = "acme/Llama-3-m"\n',
        "meta-llama/Meta-Llama-3-8B/README.md": LLAMA_BASE,
    }
    front = "license: llama3\nbase_model: meta-llama/Meta-Llama-3-8B"
    hidden = release(files | {"acme/Llama-3-m/README.md": card(front, f"# m\n\n<!-- TODO: {note} -->\n\nA bot.\n")})
    shown = release(files | {"acme/Llama-3-m/README.md": card(front, f"# m\n\n{note}.\n")})
    for term, seen in (("display_notice", "met"), ("pass_on_restrictions", "cannot-tell")):
        assert obligation(hidden, term, "LicenseRef-Llama-3-Community")["status"] == "cannot-tell", term
        assert obligation(shown, term, "LicenseRef-Llama-3-Community")["status"] == seen, term


def test_a_phrase_in_a_hidden_element_or_an_images_alt_text_is_not_displayed(release):
    """Llama 3 s1(b)(i)(B) asks to "prominently display" the line: an element styled invisible or an
    image's alt text renders no text, while the same line in a visible element displays it."""
    files = {
        "mlaudit.toml": '[release]\nasset = "acme/Llama-3-m"\n',
        "meta-llama/Meta-Llama-3-8B/README.md": LLAMA_BASE,
    }
    front = "license: llama3\nbase_model: meta-llama/Meta-Llama-3-8B"
    line = "Built with Meta Llama 3"
    for body, status in (
        (f'<div style="display: none">{line}</div>', "cannot-tell"),
        (f"<p hidden>{line}</p>", "cannot-tell"),
        (f'<img src="logo.png" title="x" alt="{line}">', "cannot-tell"),
        (f"![{line}](logo.png)", "cannot-tell"),
        (f'<div align="center"><b>{line}</b></div>', "met"),
    ):
        doc = release(files | {"acme/Llama-3-m/README.md": card(front, f"# m\n\n{body}\n\nA bot.\n")})
        assert obligation(doc, "display_notice", "LicenseRef-Llama-3-Community")["status"] == status, body


_LINES = st.lists(st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8), min_size=1, max_size=12)


@given(_LINES, _LINES, st.sampled_from([" ", "\n", "  \n\t"]))
def test_a_notice_is_carried_whatever_its_line_breaks(upstream, before, gap):
    """Carrying a NOTICE is a matter of its words: reflowing them keeps it carried, dropping one does not."""
    where = Evidence("NOTICE", "text", 1)
    theirs = [("\n".join(upstream), where)]
    assert shipped.repeats([(" ".join(before) + gap + gap.join(upstream), where)], theirs)
    if len(upstream) > 1:
        assert not shipped.repeats(
            [(" ".join(before) + "\n" + " ".join(upstream[1:]), where)],
            [(" ".join(upstream[:1] + ["\u00a7"] + upstream[1:]), where)],
        )


def test_a_hosted_llama_3_fine_tune_owes_the_name_and_display_under_either_position():
    """Llama 3 Section 1(b)(i) binds a model "distributed or made available" and "a product or service that
    uses" the materials: the text makes an API trigger both duties; the position cannot lift them."""
    for rule, term, status in (
        ("CMP008-naming-requirement", "naming_prefix", "unmet"),
        ("CMP009-display-requirement", "display_notice", "cannot-tell"),
    ):
        doc = run_audit(FIXTURES / "rules" / rule / "fire-api-permissive")
        assert obligation(doc, term, "LicenseRef-Llama-3-Community")["status"] == status, term
        (found,) = [f for f in doc["findings"] if f["rule"] == rule[:6]]
        assert any("binds a release distributed as api: Section 1(b)(i)" in s["fact"] for s in found["evidence"])


def test_an_internal_llama_3_fine_tune_owes_no_name_and_says_what_would_trigger_it():
    doc = run_audit(FIXTURES / "rules" / "CMP008-naming-requirement" / "nofire-internal")
    o = obligation(doc, "naming_prefix", "LicenseRef-Llama-3-Community")
    facts = [s["fact"] for s in o["status_evidence"]]
    assert o["status"] == "met" and any("released for commercial use as internal" in f for f in facts)
    assert any("binds a release distributed as weights" in f for f in facts)


def test_conditions_on_distributed_copies_bind_no_internal_or_hosted_release():
    """Apache-2.0 Section 4 binds those who "reproduce and distribute copies": without a copy conveyed,
    the license text and NOTICE are met, on the release's distribution, whatever its folder lacks."""
    for case, shared in (("nofire-license-missing-internal", "internal"), ("nofire-notice-omitted-api", "api")):
        doc = run_audit(CASES / case)
        for term in ("include_license", "include_notice"):
            o = obligation(doc, term)
            facts = [s["fact"] for s in o["status_evidence"]]
            assert o["status"] == "met", (case, term)
            assert any(f"released for commercial use as {shared}" in f for f in facts)
            assert any("Section 4: " in f and "distributed as weights" in f for f in facts)


def test_a_copyleft_trigger_decides_the_licenses_other_conditions(release):
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\ndistribution = "internal"\n',
            "acme/m/README.md": card("license: gpl-3.0\nbase_model: acme/base"),
            "acme/base/README.md": card("license: gpl-3.0"),
        }
    )
    o = obligation(doc, "disclose_source", "GPL-3.0-only")
    assert o["status"] == "met" and any(
        "copyleft binds a release distributed as weights" in s["fact"] for s in o["status_evidence"]
    )


def test_a_prescribed_notice_is_checked_in_the_releases_own_notice():
    """Llama 3 Section 1(b)(iii) gives the notice's words: the base's missing NOTICE does not meet it, the
    release's NOTICE must state them (any case, whitespace aside)."""
    lid = "LicenseRef-Llama-3-Community"
    missing = obligation(run_audit(CASES / "fire-prescribed-notice-missing"), "include_notice", lid)
    assert missing["status"] == "unmet" and files(missing) == {"acme/Llama-3-m/model.safetensors"}
    other = obligation(run_audit(CASES / "fire-prescribed-notice-other-text"), "include_notice", lid)
    assert other["status"] == "unmet" and "acme/Llama-3-m/NOTICE" in files(other)
    doc = run_audit(CASES / "nofire-prescribed-notice-stated")
    stated = obligation(doc, "include_notice", lid)
    assert stated["status"] == "met" and files(stated) == {"acme/Llama-3-m/NOTICE"}
    assert "Meta Llama 3 is licensed under the Meta Llama 3 Community License" in notice.render(doc)


def test_a_release_described_by_its_card_alone_cannot_tell_a_prescribed_notice(release):
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/Llama-3-m"\n',
            "acme/Llama-3-m/README.md": card("license: llama3\nbase_model: meta-llama/Meta-Llama-3-8B"),
            "meta-llama/Meta-Llama-3-8B/README.md": LLAMA_BASE,
        }
    )
    assert obligation(doc, "include_notice", "LicenseRef-Llama-3-Community")["status"] == "cannot-tell"


def test_a_hosted_mit_fine_tune_owes_no_license_copy_under_either_position(release):
    """MIT's notices "shall be included in all copies or substantial portions of the Software": a model
    served by API conveys no copy, so the text, not the position, leaves the license copy unowed."""
    files = {
        "mlaudit.toml": '[release]\nasset = "acme/m"\ndistribution = "api"\n',
        "acme/m/README.md": card("license: mit\nbase_model: acme/base"),
        "acme/base/README.md": card("license: mit"),
    }
    for position in ("conservative", "permissive"):
        o = obligation(release(files, position=position), "include_license", "MIT")
        facts = [s["fact"] for s in o["status_evidence"]]
        assert o["status"] == "met", position
        assert any("binds a release distributed as weights" in f and "all copies" in f for f in facts)


def test_share_alike_met_by_a_collection_says_it_is_a_collection(release):
    """A collection is no adaptation (CC BY-SA 4.0 Section 1(a)): the evidence names the edge, not only
    the release's own license, which alone would read as satisfying share-alike."""
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "datasets/acme/bundle"\n\n[[lineage]]\n'
            'child = "datasets/acme/bundle"\nparent = "datasets/wiki/text"\nrelation = "contains"\n',
            "datasets/acme/bundle/README.md": card("license: mit"),
            "datasets/wiki/text/README.md": card("license: cc-by-sa-4.0"),
        }
    )
    o = obligation(doc, "share_alike", "CC-BY-SA-4.0")
    assert o["status"] == "met"
    assert "datasets/acme/bundle contains datasets/wiki/text" in [s["fact"] for s in o["status_evidence"]]


def test_every_alternative_the_release_offers_must_keep_share_alike(release):
    """The release's own OR is its recipients' choice: the Apache-2.0 alternative breaks GPL-3.0 Section 5(c)."""
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n',
            "acme/m/README.md": card('license: "GPL-3.0-only OR Apache-2.0"\nbase_model: acme/base'),
            "acme/base/README.md": card("license: gpl-3.0"),
        }
    )
    o = obligation(doc, "share_alike", "GPL-3.0-only")
    assert o["status"] == "unmet"
    assert "acme/m is offered under Apache-2.0 (alternative 2)" in [s["fact"] for s in o["status_evidence"]]
    assert not doc["license_choices"]


def test_an_upstream_offered_under_alternatives_imposes_the_terms_of_the_one_chosen(release):
    """A dual-licensed upstream binds by the alternative chosen: its obligations name it, the NOTICE
    credits it, and the chain states the choice between the edge and the clause."""
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/ft"\n',
            "up/base/README.md": card("license: MIT OR GPL-2.0-only"),
            "acme/ft/README.md": card("license: mit\nbase_model: up/base"),
        }
    )
    o = obligation(doc, "attribution", "MIT")
    assert o["imposed_by"] == ["up/base"]
    assert "  - up/base, licensed under MIT" in notice.render(doc)
    (found,) = [f for f in doc["findings"] if f["rule"] == "OBL001" and f["detail"]["term"] == "attribution"]
    facts = [s["fact"] for s in found["evidence"]]
    assert facts[1] == "up/base is licensed MIT OR GPL-2.0-only (MIT chosen)", facts


def test_the_notice_asks_for_the_license_text_or_its_uri_and_the_changes_as_the_license_does(release):
    """CC BY 4.0 Section 3(a)(1)(B)-(C): indicate modifications, and include the license's text "or the
    URI or hyperlink to" it; Apache-2.0 Section 4(a)-(b): the text itself, and notices of changes."""
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n',
            "acme/base/README.md": card("license: apache-2.0"),
            "datasets/univ/corpus/README.md": card("license: cc-by-4.0"),
            "acme/m/README.md": card("license: apache-2.0\nbase_model: acme/base\ndatasets: [univ/corpus]"),
        }
    )
    assert obligation(doc, "include_license", "CC-BY-4.0")["uri_suffices"] is True
    assert obligation(doc, "include_license")["uri_suffices"] is False
    generated = notice.render(doc)
    assert "The text of CC-BY-4.0, or its URI, must accompany this release (Section 3(a)(1)(C)):" in generated
    assert "The full text of Apache-2.0 must accompany this release (Section 4(a)):" in generated
    assert "Changes to indicate (CC-BY-4.0 Section 3(a)(1)(B)):" in generated
    assert "Changes to indicate (Apache-2.0 Section 4(b)):" in generated


def test_a_dataset_distributes_its_data_files(release):
    """A dataset's data are what it distributes: beside its card (in a sub-folder too) they show a
    missing license text unmet; without them the evidence speaks of data files, not weights."""
    tree = {
        "mlaudit.toml": '[release]\nasset = "datasets/acme/qa"\n',
        "datasets/up/mit-data/README.md": card("license: mit"),
        "datasets/up/mit-data/train.csv": "q,a\n",
        "datasets/acme/qa/README.md": card("license: apache-2.0\nsource_datasets: [up/mit-data]"),
    }
    o = obligation(release(tree), "include_license", "MIT")
    assert o["status"] == "cannot-tell" and files(o) == {"datasets/acme/qa/README.md"}
    assert "(no data files beside its card)" in o["status_evidence"][0]["fact"]
    o = obligation(release({**tree, "datasets/acme/qa/data/train.jsonl": "{}\n"}), "include_license", "MIT")
    assert o["status"] == "unmet" and files(o) == {"datasets/acme/qa/data/train.jsonl"}


def test_a_dataset_s_metadata_and_texts_about_it_are_not_its_data(release):
    """The loader's metadata (dataset_info.json, save_to_disk's state.json), a readme, citation or
    notes beside the card are no data the dataset distributes: its licence duties cannot be told."""
    stray = ["notes.txt", "README.txt", "CITATION.txt", "dataset_info.json", "dataset_infos.json", "state.json"]
    tree = {
        "mlaudit.toml": '[release]\nasset = "datasets/acme/qa"\n',
        "datasets/up/mit-data/README.md": card("license: mit"),
        "datasets/acme/qa/README.md": card("license: apache-2.0\nsource_datasets: [up/mit-data]"),
        **{f"datasets/acme/qa/{name}": "{}\n" for name in stray},
    }
    o = obligation(release(tree), "include_license", "MIT")
    assert o["status"] == "cannot-tell" and files(o) == {"datasets/acme/qa/README.md"}
    o = obligation(release({**tree, "datasets/acme/qa/qa.txt": "q a\n"}), "include_license", "MIT")
    assert o["status"] == "unmet" and files(o) == {"datasets/acme/qa/qa.txt"}


def test_the_notice_of_a_release_that_triggers_no_copy_condition_says_so_and_keeps_the_upstream_notice():
    """Apache-2.0 Section 4 binds copies distributed: under an API release its conditions are met,
    untriggered, and the NOTICE says so; the upstream NOTICE text read stays, should a copy ever ship."""
    doc = run_audit(CASES / "nofire-notice-omitted-api")
    o = obligation(doc, "include_notice")
    assert o["triggered"] is False and [n["asset"] for n in o["notices"]] == ["acme/base"]
    assert obligation(doc, "include_license")["triggered"] is False
    generated = notice.render(doc)
    assert "From acme/base (acme/base/NOTICE):" in generated and "[review] If the work" not in generated
    assert "The full text of Apache-2.0 must accompany each copy distributed (Section 4(a)) (not triggered" in generated
    assert "must accompany this release" not in generated


def _odbl_trained(release, position: str) -> dict:
    return release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n\n[[lineage]]\nchild = "acme/m"\n'
            'parent = "datasets/org/places"\nrelation = "trained_on"\n',
            "acme/m/README.md": card("license: odbl"),
            "acme/m/LICENSE": "ODbL\n",
            "acme/m/model.safetensors": WEIGHTS,
            "datasets/org/places/README.md": card("license: odbl\ntask_categories: [text-generation]"),
            "datasets/org/places/data.jsonl": '{"name": "x"}\n',
        },
        position=position,
    )


def test_a_notice_the_licensee_writes_is_never_met_for_want_of_an_upstream_notice(release):
    """ODbL-1.0 Section 4.3 asks for a notice the licensee writes ("reasonably calculated to make any
    Person ... aware that Content was obtained from the Database"): an upstream folder without a NOTICE
    does not meet it, as it meets Apache-2.0 Section 4(d)'s NOTICE to carry; a person must read."""
    o = obligation(_odbl_trained(release, "permissive"), "include_notice", "ODbL-1.0")
    facts = [s["fact"] for s in o["status_evidence"]]
    assert o["status"] == "cannot-tell"
    assert any("asks for a notice the licensee writes itself" in f for f in facts)


def test_a_produced_work_notice_lifted_by_the_position_names_it(release):
    """Under the conservative position a model trained on an ODbL database is a Derivative Database: the
    Section 4.3 notice does not bind it because of how the position reads it, not its distribution."""
    doc = _odbl_trained(release, "conservative")
    o = obligation(doc, "include_notice", "ODbL-1.0")
    facts = [s["fact"] for s in o["status_evidence"]]
    assert o["status"] == "met" and not o["triggered"]
    assert any("the conservative position reads a model that was trained on" in f for f in facts)
    assert not any("distributed as api" in f for f in facts)
    assert "distribution: it binds copies distributed" not in notice.render(doc)


def test_a_database_conveyed_under_another_license_is_not_shown_under_odc_by(release):
    """ODC-By-1.0 Section 4.2(a), "Do so only under the terms of this License", is its own term: shipping
    the license's text meets 4.2(b) only; a filtered copy declared MIT is cannot-tell, citing its license."""
    files = {
        "mlaudit.toml": '[release]\nasset = "datasets/acme/clean"\n',
        "datasets/acme/clean/README.md": card("license: mit\nsource_datasets: [up/data]\ntask_categories: [qa]"),
        "datasets/acme/clean/LICENSE-ODC-By-1.0": "https://opendatacommons.org/licenses/by/1-0/\n",
        "datasets/acme/clean/train.jsonl": '{"q": "x"}\n',
        "datasets/up/data/README.md": card("license: odc-by\ntask_categories: [qa]"),
    }
    o = obligation(release(files), "same_terms", "ODC-By-1.0")
    assert (o["status"], o["clause"]) == ("cannot-tell", "Section 4.2(a)")
    assert "datasets/acme/clean is licensed MIT" in [s["fact"] for s in o["status_evidence"]]
    assert obligation(release(files), "include_license", "ODC-By-1.0")["clause"] == "Section 4.2(b)"
    same = {**files, "datasets/acme/clean/README.md": card("license: odc-by\nsource_datasets: [up/data]")}
    assert obligation(release(same), "same_terms", "ODC-By-1.0")["status"] == "met"


@pytest.mark.parametrize(
    "license_id",
    [
        "LicenseRef-Apple-AMLR",
        "LicenseRef-DeepFloyd-IF-License",
        "LicenseRef-Grok-2-Community",
        "LicenseRef-Mistral-Non-Production-License-0.1",
        "LicenseRef-Stability-AI-Community",
        "LicenseRef-Stability-AI-NC-Research-Community",
        "LicenseRef-Tongyi-Qianwen-Research",
    ],
)
def test_a_notice_whose_words_the_license_gives_is_looked_for_in_the_releases_notice(release, license_id):
    """These licenses quote the notice a redistribution carries: a NOTICE without its words leaves it
    unmet whatever the upstream ships, one stating them meets it."""
    term = RB.kb.term(license_id, "include_notice")
    assert term is not None
    [words] = term.values
    files = {
        "mlaudit.toml": '[release]\nasset = "acme/m"\nuse = "research"\n',
        "acme/m/README.md": card(f"license: {license_id}\nbase_model: acme/base"),
        "acme/m/model.safetensors": WEIGHTS,
        "acme/m/config.json": CONFIG,
        "acme/base/README.md": card(f"license: {license_id}"),
    }
    missing = release(files | {"acme/m/NOTICE": "Copyright (c) 2026 Acme Corp.\n"})
    assert obligation(missing, "include_notice", license_id)["status"] == "unmet"
    stated = release(files | {"acme/m/NOTICE": f"Acme model\n\n{words} 2026\n"})
    assert obligation(stated, "include_notice", license_id)["status"] == "met"
