"""Card sections as the Hub renders them: what a reader cannot see, or a generator wrote, fills nothing."""

from __future__ import annotations

import pytest
from conftest import RB, card, run_audit, write_tree

from auditor import profiles
from auditor.readers.markdown import sections
from auditor.vocabulary import SectionStatus


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


def test_a_bold_label_without_a_colon_opens_a_sub_section_before_a_new_sentence():
    """Meta's Llama cards write "**Out-of-scope Uses** Use in any manner ...": a labelled paragraph as
    "**Out-of-scope Uses:** ..." is; a bold phrase running on in its sentence is no label."""
    body = (
        "## Model Details\n\n**Model Architecture** Llama 2 is an auto-regressive language model.\n\n"
        "**Out-of-scope Uses** Use in any manner that violates applicable laws.\n\n"
        "**Llama 2** is a family of models.\n"
    )
    found = [(s.heading, s.level, s.status) for s in sections(body, 1, "README.md")]
    assert found == [
        ("Model Details", 2, "filled"),
        ("Model Architecture", 3, "filled"),
        ("Out-of-scope Uses", 3, "filled"),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a general label is a paragraph of its section: Llama 2's "**Overview**" under Training Data
        (
            "## Training Data\n\n**Overview** Llama 2 was pretrained on 2 trillion tokens of public data.\n",
            {"Training Data": "filled", "Model Details": "filled"},
        ),
        # a label meaning another item its section means too keeps its text from the first
        (
            "## Intended uses & limitations\n\n[More Information Needed]\n\n**Limitations:** English only.\n",
            {"Uses": "placeholder", "Bias, Risks, and Limitations": "filled"},
        ),
    ],
)
def test_a_labelled_paragraph_counts_for_its_section_unless_its_label_claims_a_sibling_item(body, expected):
    model = {k: p for k, p in RB.profiles.items() if k == "hf-model-card"}
    earned: dict[str, str] = {}
    for _, _, item, found in profiles.credited(model, sections(body, 1, "README.md")):
        earned[item] = max(earned.get(item, "empty"), found, key=lambda s: SectionStatus(s).rank)
    assert earned == expected


def test_a_section_not_filled_quotes_the_line_that_left_it_so():
    body = (
        "## How to Get Started with the Model\n\n```\npython run.py --input <INPUT_FILE>\n```\n\n"
        "## Evaluation\n\nThis section describes the evaluation protocols and provides the results.\n\n"
        "## Citation\n\nWe cite [this](https://x.org/paper).\n"
    )
    started, evaluation, citation = sections(body, 1, "README.md")
    assert started.judged and started.judged.line == 4
    assert started.judged.pointer == (
        "the text 'python run.py --input <INPUT_FILE>' (the stand-in '<INPUT_FILE>', a value never filled in)"
    )
    assert evaluation.judged and evaluation.judged.pointer.startswith(
        "the text 'This section describes the evaluation protocols and provides the results.' (template text,"
        " https://github.com/huggingface/huggingface_hub/"
    )
    assert citation.judged is None


def test_the_documentation_table_says_why_a_section_that_is_there_does_not_count(tmp_path):
    """The author is not told to add a heading the card has: the missing item names the section seen,
    what it holds and the line that left it unfilled, as DOC001's evidence does."""
    folder = write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n',
            "acme/m/README.md": card("license: mit", "# m\n\n## Uses\n\n[More Information Needed]\n"),
        },
    )
    doc = run_audit(folder)
    (entry,) = [d for d in doc["documentation"] if d["profile"] == "hf-model-card"]
    missing = {m["item"]: m for m in entry["missing"]}
    assert missing["Uses"]["seen"] == (
        "heading 'Uses' (acme/m/README.md line 6) is there, but it holds only a template placeholder:"
        " the text '[More Information Needed]' at line 8"
    )
    assert "seen" not in missing["Citation"]
    (finding,) = [f for f in doc["findings"] if f["rule"] == "DOC001" and f["detail"]["item"] == "Uses"]
    assert {"pointer": "the text '[More Information Needed]'", "line": 8} in [
        {"pointer": e["pointer"], "line": e["line"]} for e in finding["evidence"]
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[Mais informações necessárias]",
        "[Требуется дополнительная информация]",
        "[Meer informatie nodig]",
        "[Ulteriori informazioni necessarie]",
        "需要更多信息以提供进一步的建议。",  # the template's "More information needed for further recommendations."
        "Not applicable.",
        "No information available.",
        "Information not available at this time.",
        "Not yet available.",
    ],
)
def test_translated_and_spelt_out_placeholders_fill_nothing(text):
    assert status(text) == "placeholder"


@pytest.mark.parametrize(
    "text",
    [
        "需要更多信息，请联系我们的团队获取数据。",
        "Not available on CPU: use a GPU.",
        "No information about users is stored.",
    ],
)
def test_a_placeholder_phrase_beside_real_text_leaves_it_filled(text):
    assert status(text) == "filled"


def test_same_as_the_base_model_fills_nothing_when_the_base_model_is_the_asset_itself(tmp_path):
    """A base_model naming the card's own asset (PRV011) leads back to this card: nothing to follow."""
    body = "# m\n\n## Uses\n\nSame as the base model.\n"
    scores = {}
    for base in ("acme/m", "acme/base"):
        folder = write_tree(
            tmp_path / base.replace("/", "-"),
            {"mlaudit.toml": '[release]\nasset = "acme/m"\n', "acme/m/README.md": card(f"base_model: {base}", body)},
        )
        (entry,) = [d for d in run_audit(folder)["documentation"] if d["profile"] == "hf-model-card"]
        scores[base] = "Uses" in {m["item"] for m in entry["missing"]}
    assert scores == {"acme/m": True, "acme/base": False}


def test_the_library_bibtex_a_generator_writes_is_no_citation_of_the_model():
    """sentence-transformers' cards cite Sentence-BERT, the library, as TRL's cite TRL."""
    bibtex = (
        "#### Sentence Transformers\n```bibtex\n@inproceedings{reimers-2019-sentence-bert,\n"
        '    title = "Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks",\n'
        '    author = "Reimers, Nils and Gurevych, Iryna",\n'
        '    booktitle = "Proceedings of the 2019 Conference on Empirical Methods in Natural Language Processing",\n'
        '    month = "11",\n    year = "2019",\n    publisher = "Association for Computational Linguistics",\n'
        '    url = "https://arxiv.org/abs/1908.10084",\n}\n```\n'
    )
    found = [(s.heading, s.status) for s in sections(f"## Citation\n\n{bibtex}", 1, "README.md")]
    assert found == [("Citation", "empty"), ("Sentence Transformers", "placeholder")]
