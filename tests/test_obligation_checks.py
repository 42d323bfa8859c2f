"""What a release's card and license files show of the duties to pass restrictions on and to display
a prescribed line: a phrase named is not a duty done, and a negated phrase displays nothing."""

from __future__ import annotations

from conftest import card, findings_of

from auditor.prescribed import negated

LLAMA = "LicenseRef-Llama-3-Community"
BASE = {
    "mlaudit.toml": '[release]\nasset = "acme/Llama-3-m"\n',
    "meta-llama/Meta-Llama-3-8B/README.md": card("license: llama3\nlicense_name: Meta Llama 3 Community License"),
}
FRONT = "license: llama3\nbase_model: meta-llama/Meta-Llama-3-8B"


def status(doc: dict, term: str) -> tuple[str, list[str]]:
    (found,) = [o for o in doc["obligations"] if o["term"] == term and o["license"] == LLAMA]
    return found["status"], [step["fact"] for step in found["status_evidence"]]


def test_a_card_that_names_the_use_policy_cannot_tell_whether_it_passes_it_on(release):
    """Naming the policy may pass it on or disclaim it: a person must read the card."""
    body = "# m\n\nBuilt with Meta Llama 3. This model has no use restrictions; the acceptable use policy does not apply.\n"
    doc = release(BASE | {"acme/Llama-3-m/README.md": card(FRONT, body)})
    found, facts = status(doc, "pass_on_restrictions")
    assert found == "cannot-tell" and "acme/Llama-3-m's card states 'acceptable use policy'" in facts
    assert not findings_of(doc, "CMP007")


def test_the_license_itself_shipped_and_declared_passes_the_restrictions_on(release):
    doc = release(
        BASE
        | {
            "acme/Llama-3-m/README.md": card(FRONT),
            "acme/Llama-3-m/LICENSE": "META LLAMA 3 COMMUNITY LICENSE AGREEMENT\nhttps://llama.meta.com/llama3/license/\n",
        }
    )
    found, facts = status(doc, "pass_on_restrictions")
    assert found == "met" and f"acme/Llama-3-m is licensed {LLAMA}" in facts


def test_a_negated_built_with_line_displays_nothing(release):
    negative = card(FRONT, "# m\n\nThis model is not Built with Meta Llama 3 weights.\n")
    found, facts = status(release(BASE | {"acme/Llama-3-m/README.md": negative}), "display_notice")
    assert found == "cannot-tell" and any("only after a negation" in fact for fact in facts)
    shown = card(FRONT, "# m\n\nNot a chat model, a scorer. Built with Meta Llama 3.\n")
    assert status(release(BASE | {"acme/Llama-3-m/README.md": shown}), "display_notice")[0] == "met"


def test_a_negation_counts_only_in_the_phrases_own_clause_before_it():
    assert negated("this model was not built with llama 2", "built with llama")
    assert negated("it isn't built with llama", "built with llama")
    assert not negated("a model, not a service, built with llama", "built with llama")
    assert not negated("built with llama; it does not need a gpu", "built with llama")
    assert not negated("not ours. built with llama. not built with llama 2", "built with llama")
    assert not negated("nothing here", "built with llama")
