"""Legal positions: the same lineage gives different, explained answers, and the report names the position."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, card, run_audit, write_tree

DEMO = FIXTURES / "releases" / "demo"


def rules_of(doc):
    return {f["rule"] for f in doc["findings"]}


def test_positions_disagree_on_training_data_and_say_which_was_used():
    conservative = run_audit(DEMO, position="conservative")
    permissive = run_audit(DEMO, position="permissive")
    assert conservative["position"] == "conservative" and permissive["position"] == "permissive"
    assert conservative["position_summary"] != permissive["position_summary"]
    # CC BY-NC training data binds the model only under the conservative position
    assert {"CMP001", "CMP012"} <= rules_of(conservative)
    assert not {"CMP001", "CMP012"} & rules_of(permissive)
    assert conservative["release"]["use_category"] == "non-commercial"
    assert permissive["release"]["use_category"] == "unspecified"  # its own license is unrecognised


def test_license_whose_text_reaches_trained_models_binds_under_both(tmp_path):
    """Llama 2 forbids using its outputs to improve other models: data generated with it carries that
    term into a model trained on the data, whatever the position."""
    root = write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n[[lineage]]\nchild = "datasets/acme/synth"\n'
            'parent = "meta-llama/Llama-2-70b-chat-hf"\nrelation = "generated_by"\n',
            "acme/m/README.md": card("license: apache-2.0\nbase_model: org/base\ndatasets: [acme/synth]"),
            "org/base/README.md": card("license: apache-2.0"),
            "datasets/acme/synth/README.md": card("license: apache-2.0"),
            "meta-llama/Llama-2-70b-chat-hf/README.md": card("license: llama2"),
        },
    )
    for position in ("conservative", "permissive"):
        doc = run_audit(root, position=position)
        assert "CMP011" in rules_of(doc), position


def test_repairs_name_the_smallest_removal():
    doc = run_audit(DEMO)
    assert doc["repairs"]["status"] == "found"
    assert doc["repairs"]["sets"] == [["datasets/acme/support-tickets", "datasets/tatsu-lab/alpaca"]]


def test_the_release_is_not_bound_by_its_own_license(tmp_path):
    """CC BY-NC 4.0 Section 2(a)(1) grants rights to the licensee: the owner releasing its own model
    under it, for commercial use, breaks nothing, and owes itself no attribution."""
    root = write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\nuse = "commercial"\n',
            "acme/m/README.md": card("license: cc-by-nc-4.0"),
        },
    )
    doc = run_audit(root)
    assert not rules_of(doc) & {"CMP001", "OBL001"}
    assert doc["repairs"]["status"] == "not-needed" and doc["obligations"] == []


def test_choice_avoids_the_conflict_and_is_reported(tmp_path):
    root = write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n',
            "acme/m/README.md": card("license: apache-2.0\nbase_model: org/dual"),
            "org/dual/README.md": card('license: "CC-BY-NC-4.0 OR Apache-2.0"'),
        },
    )
    doc = run_audit(root)
    assert doc["license_choices"] == [
        {"asset": "org/dual", "chosen": ["Apache-2.0"], "alternatives": [["CC-BY-NC-4.0"], ["Apache-2.0"]]}
    ]
    assert "CMP001" not in rules_of(doc)
    assert "Apache-2.0" in doc["outbound_licenses"] and "MIT" in doc["outbound_licenses"]


def test_choice_prefers_the_first_alternative_when_it_does_not_matter(tmp_path):
    root = write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n',
            "acme/m/README.md": card("license: apache-2.0\nbase_model: org/base"),
            "org/base/README.md": card('license: "MIT OR Apache-2.0"'),
        },
    )
    (choice,) = run_audit(root)["license_choices"]  # the upstream's: the release's own is its recipients'
    assert choice["alternatives"] == [["MIT"], ["Apache-2.0"]] and choice["chosen"] == ["MIT"]


@pytest.mark.parametrize("upstream, outbound", [("license: mit", True), ("license: other", False), ("", False)])
def test_unknown_upstream_terms_leave_no_license_to_vouch_for(tmp_path, upstream, outbound):
    root = write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n',
            "acme/m/README.md": card("license: apache-2.0\nbase_model: org/base"),
            "org/base/README.md": card(upstream),
        },
    )
    doc = run_audit(root)
    assert bool(doc["outbound_licenses"]) is outbound
    assert any(q["term"] == "unknown_terms" for q in doc["outbound_requirements"]) is not outbound


def test_outputs_carry_only_the_terms_the_license_names_for_them():
    """Llama 3.1 Section 1(b)(i) reaches a model trained on its outputs with the name prefix alone: the text
    decides it, so under either position that is all that binds it."""
    case = FIXTURES / "rules" / "CMP006-release-license-too-permissive" / "nofire-llama31-outputs-permissive"
    for position in ("permissive", "conservative"):
        doc = run_audit(case, position=position)
        inherited = {o["term"] for o in doc["obligations"] if o["license"] == "LicenseRef-Llama-3.1-Community"}
        assert inherited == {"naming_prefix"}, position
        assert not {"CMP006", "CMP007", "CMP009"} & rules_of(doc), position


def test_the_conservative_position_carries_outputs_terms_only_where_the_license_is_silent(tmp_path):
    """CC BY-NC 4.0 says nothing of what is generated with the material: the conservative position carries its
    terms to data a model under it generated, the permissive one does not."""
    root = write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n\n[[lineage]]\nchild = "datasets/acme/synth"\n'
            'parent = "org/teacher"\nrelation = "generated_by"\n',
            "acme/m/README.md": card("license: apache-2.0\ndatasets:\n- acme/synth"),
            "datasets/acme/synth/README.md": card("license: mit"),
            "org/teacher/README.md": card("license: cc-by-nc-4.0"),
        },
    )
    assert "CMP001" in rules_of(run_audit(root, position="conservative"))
    assert "CMP001" not in rules_of(run_audit(root, position="permissive"))
