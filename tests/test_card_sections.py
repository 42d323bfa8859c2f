"""Card sections as the Hub renders them: what a reader cannot see, or a generator wrote, fills nothing."""

from __future__ import annotations

import pytest

from auditor.readers.markdown import sections


def status(text: str, heading: str = "Evaluation") -> str:
    (section,) = sections(f"## {heading}\n\n{text}\n", 1, "README.md")
    return section.status


@pytest.mark.parametrize(
    "text",
    [
        '<div style="display: none">Accuracy 0.93 on the test split.</div>',
        "<span hidden>2M Dutch news articles.</span>",
        "&nbsp;",
        "&#8203;",
        "&ZeroWidthSpace; &nbsp;&nbsp;",
    ],
)
def test_what_the_rendered_card_does_not_show_fills_no_section(text):
    assert status(text) == "empty"


def test_text_beside_an_entity_or_a_hidden_element_still_counts():
    assert status("Accuracy&nbsp;0.93 on the test split.<span hidden>draft</span>") == "filled"


@pytest.mark.parametrize(
    ("heading", "text"),
    [
        (
            "Model Description",
            "This is the model card of a 🤗 transformers model that has been pushed on the Hub. This model card"
            " has been automatically generated.",
        ),
        (
            "Model Description",
            "This is the model card of a 🧨 diffusers pipeline that has been pushed on the Hub. This model card"
            " has been automatically generated.",
        ),
        (
            "Bias, Risks and Limitations",
            "*What are the known or foreseeable issues stemming from this model? You could also flag here known"
            " failure cases or weaknesses of the model.*",
        ),
        (
            "Out-of-Scope Use",
            "*List how the model may foreseeably be misused and address what users ought not to do with the model.*",
        ),
        (
            "Model Card Contact",
            "*Provides a way for people who have updates to the Model Card, suggestions, or questions, to contact"
            " the Model Card authors.*",
        ),
    ],
)
def test_generator_text_is_a_placeholder(heading, text):
    """push_to_hub's automatic description and sentence-transformers' guidance, its comment markers
    stripped, say nothing of the model."""
    assert status(text, heading) == "placeholder"
