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
