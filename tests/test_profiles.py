"""Documentation profiles: a complete fixture scores 100, an incomplete one lists exactly what is missing."""

from __future__ import annotations

import pytest
import yaml
from conftest import FIXTURES, RB, card, run_audit, write_tree
from hypothesis import given
from hypothesis import strategies as st

from auditor import profiles
from auditor.vocabulary import SectionStatus

PROFILE_FIXTURES = FIXTURES / "profiles"
CHECKLISTS = sorted(RB.profiles)


def release_documentation(doc: dict, profile: str) -> dict:
    (entry,) = [d for d in doc["documentation"] if d["asset"] == doc["release"]["asset"] and d["profile"] == profile]
    return entry


@pytest.mark.parametrize("profile", CHECKLISTS)
def test_every_profile_has_fixtures(profile):
    assert (PROFILE_FIXTURES / profile / "complete").is_dir() and (PROFILE_FIXTURES / profile / "incomplete").is_dir()


@pytest.mark.parametrize("profile", CHECKLISTS)
def test_complete_fixture_meets_every_item(profile):
    doc = run_audit(PROFILE_FIXTURES / profile / "complete")
    entry = release_documentation(doc, profile)
    assert (entry["score"], entry["missing"]) == (100, [])
    assert not [f for f in doc["findings"] if f["rule"] == "DOC001"]


@pytest.mark.parametrize("profile", CHECKLISTS)
def test_incomplete_fixture_lists_what_is_missing(profile):
    folder = PROFILE_FIXTURES / profile / "incomplete"
    expected = yaml.safe_load((folder / "expect.yaml").read_text())
    doc = run_audit(folder)
    entry = release_documentation(doc, profile)
    assert entry["score"] == expected["score"]
    assert [m["item"] for m in entry["missing"]] == expected["missing"]
    assert all(m["expected"] and m["how_to_fix"] for m in entry["missing"])
    required = {i.id for i in RB.profiles[profile].items if i.required}
    flagged = {f["detail"]["item"] for f in doc["findings"] if f["rule"] == "DOC001"}
    assert flagged == required & set(expected["missing"])


def test_a_release_offering_a_known_license_among_its_alternatives_states_a_usable_license(tmp_path):
    """Its recipients may take any license it offers: one the knowledge base knows meets the license
    item, whichever alternative is stated first."""
    folder = write_tree(
        tmp_path,
        {
            "mlaudit.toml": '[release]\nasset = "datasets/acme/data"\n',
            "datasets/acme/data/README.md": card(
                'license: "LicenseRef-acme OR MIT"\ntask_categories: [text-generation]'
            ),
        },
    )
    missing = [m["item"] for m in release_documentation(run_audit(folder), "hf-dataset-card")["missing"]]
    assert missing and "Licensing Information" not in missing


def test_profiles_are_selected_on_the_command_line_and_unknown_ones_refused(tmp_path):
    from auditor.cli import main

    demo = FIXTURES / "releases" / "demo"
    assert (
        main(
            [
                "audit",
                str(demo),
                "--out",
                str(tmp_path),
                "--fail-on",
                "never",
                "--profile",
                "hf-model-card",
                "--profile",
                "eu-ai-act-gpai",
            ]
        )
        == 0
    )
    doc = yaml.safe_load((tmp_path / "report.json").read_text())
    assert doc["profiles"] == ["hf-model-card", "eu-ai-act-gpai"]
    assert {d["profile"] for d in doc["documentation"]} == {"hf-model-card", "eu-ai-act-gpai"}
    assert main(["audit", str(demo), "--out", str(tmp_path), "--profile", "iso-42001"]) == 2


def test_eu_items_cite_the_regulation():
    items = RB.profiles["eu-ai-act-gpai"].items
    assert all("Annex" in i.clause for i in items)


def test_mof_profile_reports_class_and_progress(tmp_path):
    """A MOF model file in the release: its Model Openness Framework class and progress per class."""
    oracle = FIXTURES / "mof-oracle"
    source = next(oracle.glob("Class2RTestFile*.yml"))
    (tmp_path / "model.yml").write_bytes(source.read_bytes())
    doc = run_audit(tmp_path, profiles=("mof",))
    (entry,) = [d for d in doc["documentation"] if d["profile"] == "mof"]
    # Class I: 10 of 13 components, 76.9 as the Model Openness Tool shows it (not rounded to 77)
    assert entry["class"] == 2 and entry["progress"] == {"1": 76.9, "2": 100.0, "3": 100.0}
    assert entry["score"] == 77 and {m["item"] for m in entry["missing"]} >= {"Datasets"}


def test_a_heading_with_commas_stays_one_heading():
    """YAML flow lists split on commas: 'Bias, Risks, and Limitations' must be quoted to stay whole."""
    (item,) = [i for i in RB.profiles["hf-model-card"].items if i.id == "Bias, Risks, and Limitations"]
    assert item.headings[0] == "Bias, Risks, and Limitations"
    assert "'Bias, Risks, and Limitations'" in item.expected
    assert not [h for p in RB.profiles.values() for i in p.items for h in i.headings if h.lower().startswith("and ")]


CARD_SHAPES = FIXTURES / "cards"


@pytest.mark.parametrize("shape", sorted(p.name for p in CARD_SHAPES.iterdir()))
def test_real_card_shapes_score_what_they_say(shape):
    """Cards in the shapes the Hub's tools write: template boilerplate earns nothing, real sections
    under their usual headings ("BibTeX entry and citation info", "Limitations and bias") count."""
    expected = yaml.safe_load((CARD_SHAPES / shape / "expect.yaml").read_text())
    entry = release_documentation(run_audit(CARD_SHAPES / shape), expected["profile"])
    assert (entry["score"], [m["item"] for m in entry["missing"]]) == (expected["score"], expected["missing"])


def test_an_untouched_template_scores_almost_nothing():
    expected = yaml.safe_load((CARD_SHAPES / "hub-template" / "expect.yaml").read_text())
    assert expected["score"] <= 10


@pytest.mark.parametrize(
    ("heading", "item"),
    [
        ("BibTeX entry and citation info", "Citation"),
        ("**3. Citing this work**", "Citation"),
        ("Limitations and bias", "Bias, Risks, and Limitations"),
        ("Known risks", "Bias, Risks, and Limitations"),
        ("Getting started", "How to Get Started with the Model"),
        ("Framework versions", "Technical Specifications"),
        ("Caveats and Recommendations", "Bias, Risks, and Limitations"),
        ("Responsible AI Considerations", "Bias, Risks, and Limitations"),
        ("Ethics & Safety", "Bias, Risks, and Limitations"),
        ("References", "Citation"),
        ("Performance", "Evaluation"),
        ("Benchmark performance", "Evaluation"),
        ("Known failure modes", "Bias, Risks, and Limitations"),
        ("6. How to Run Locally", "How to Get Started with the Model"),
        ("Merge Details", "Training Procedure"),
        ("Merge Method", "Training Procedure"),
        ("How to run from Python code", "How to Get Started with the Model"),
    ],
)
def test_headings_are_matched_by_meaning(heading, item):
    assert ("hf-model-card", item) in profiles.items_meant(RB.profiles, profiles.normalise_heading(heading))


@pytest.mark.parametrize(
    ("profile", "heading", "item"),
    [
        ("hf-dataset-card", "Case-sensitive tokenization", "Personal and Sensitive Information"),
        ("hf-dataset-card", "Personalization", "Personal and Sensitive Information"),
        ("hf-model-card", "Harmonised label set", "Bias, Risks, and Limitations"),
        ("hf-model-card", "Credit risk features", "Bias, Risks, and Limitations"),
        ("hf-model-card", "GPU memory usage", "How to Get Started with the Model"),
        ("hf-model-card", "API reference", "Citation"),
        ("hf-model-card", "Examples of harmful outputs", "How to Get Started with the Model"),
        ("hf-model-card", "Failure examples", "How to Get Started with the Model"),
        ("hf-model-card", "Inference cost", "How to Get Started with the Model"),
        ("eu-ai-act-gpai", "Computer vision backbone", "Computational resources and energy"),
        # what it takes to run the model, or speed tips and troubleshooting, are no training compute,
        # evaluation or limitation
        ("eu-ai-act-gpai", "Hardware requirements", "Computational resources and energy"),
        ("eu-ai-act-gpai", "Compute needed for inference", "Computational resources and energy"),
        ("hf-model-card", "Performance tips", "Evaluation"),
        ("hf-model-card", "Metrics logging with W&B", "Evaluation"),
        ("hf-model-card", "Troubleshooting: failure to load", "Bias, Risks, and Limitations"),
        ("hf-model-card", "Safety checker", "Bias, Risks, and Limitations"),
        ("eu-ai-act-gpai", "Model Details", "Release date and distribution"),
        ("datasheets", "Label distribution", "Distribution"),
        ("datasheets", "Dataset Description", "Motivation"),
        ("datasheets", "Contributions", "Maintenance"),
        ("datasheets", "Personalised ranking", "Sensitive data"),
    ],
)
def test_a_keyword_is_matched_as_whole_words_only(profile, heading, item):
    """A keyword inside a longer word, or a word that means the item only in some company, meets
    nothing: a tokenisation section says nothing of personal data."""
    assert (profile, item) not in profiles.items_meant(RB.profiles, profiles.normalise_heading(heading))


@pytest.mark.parametrize(
    ("profile", "heading", "item"),
    [
        ("hf-model-card", "Intended uses & limitations", "Uses"),
        ("hf-model-card", "Intended uses & limitations", "Bias, Risks, and Limitations"),
        ("hf-model-card", "Training procedure", "Training Procedure"),
        ("hf-model-card", "Training hyperparameters", "Training Procedure"),
        ("hf-model-card", "Known biases", "Bias, Risks, and Limitations"),
        ("hf-model-card", "Risks", "Bias, Risks, and Limitations"),
        ("hf-model-card", "Potential harms", "Bias, Risks, and Limitations"),
        ("hf-model-card", "Example usage with transformers", "How to Get Started with the Model"),
        ("hf-model-card", "Running inference with vLLM", "How to Get Started with the Model"),
        ("hf-model-card", "Code examples", "How to Get Started with the Model"),
        ("hf-model-card", "Examples of harmful outputs", "Bias, Risks, and Limitations"),
        ("hf-model-card", "Known failures", "Bias, Risks, and Limitations"),
        ("hf-model-card", "Evaluation results", "Evaluation"),
        ("hf-model-card", "Technical specifications", "Technical Specifications"),
        ("hf-dataset-card", "Privacy", "Personal and Sensitive Information"),
        ("hf-dataset-card", "Personal data and consent", "Personal and Sensitive Information"),
        ("hf-dataset-card", "Sensitive information", "Personal and Sensitive Information"),
        ("hf-dataset-card", "Licensing", "Licensing Information"),
        ("datasheets", "Annotation guidelines", "Preprocessing, cleaning, labeling"),
        ("eu-ai-act-gpai", "Supported modalities", "Input and output modalities"),
    ],
)
def test_a_keyword_meets_its_item_in_its_inflections(profile, heading, item):
    assert (profile, item) in profiles.items_meant(RB.profiles, profiles.normalise_heading(heading))


@pytest.mark.parametrize(
    ("heading", "meant", "not_meant"),
    [
        ("Who are the annotators?", ("datasheets", "Preprocessing, cleaning, labeling"), ("datasheets", "Uses")),
        ("Dataset maintenance plan", ("datasheets", "Maintenance"), ("datasheets", "Motivation")),
        (
            "Model inputs and outputs",
            ("eu-ai-act-gpai", "Input and output modalities"),
            ("eu-ai-act-gpai", "Evaluation"),
        ),
        (
            "Training compute and energy use",
            ("eu-ai-act-gpai", "Computational resources and energy"),
            ("eu-ai-act-gpai", "Training data and provenance"),
        ),
        (
            "Acceptable Use",
            ("eu-ai-act-gpai", "Acceptable use policy"),
            ("eu-ai-act-gpai", "Intended tasks and integration"),
        ),
    ],
)
def test_every_profile_read_from_sections_matches_by_meaning(heading, meant, not_meant):
    found = profiles.items_meant(RB.profiles, profiles.normalise_heading(heading))
    assert meant in found and not_meant not in found


def test_every_profile_with_headings_has_keywords():
    assert all(item.keywords for p in RB.profiles.values() for item in p.items if item.headings)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Use the code below to get started with the model.\n\n[More Information Needed]", "placeholder"),
        ("*use the code below   to get started\nwith the model.*", "placeholder"),
        ("**BibTeX:**\n\n[More Information Needed]\n\n**APA:**", "placeholder"),
        ("[TODO: provide examples of latent issues and potential remediations]", "placeholder"),
        ("```python\n# TODO: add an example code snippet for running this diffusion pipeline\n```", "placeholder"),
        (
            "Carbon emissions can be estimated using the [Machine Learning Impact calculator](https://mlco2.github.io/impact#compute)"
            " presented in [Lacoste et al. (2019)](https://arxiv.org/abs/1910.09700).\n\n- **Hardware Type:** [More Information Needed]",
            "placeholder",
        ),
        ("<!-- a comment -->\n\n", "empty"),
        ("Use the code below to get started with the model.\n\n```python\nmodel = load('acme/m')\n```", "filled"),
        ("The following hyperparameters were used during training:\n- learning_rate: 2e-05", "filled"),
        ("- **Hardware Type:** 8 A100", "filled"),
    ],
)
def test_template_boilerplate_is_a_placeholder(text, status):
    from auditor.readers.markdown import sections

    (section,) = sections(f"## Section\n\n{text}\n", 1, "README.md")
    assert section.status == status


TEMPLATES = FIXTURES.parent / "rules" / "profiles" / "placeholders.yaml"


@pytest.mark.parametrize(
    "text",
    [
        # the Hub templates' guidance, left as plain text when an editor strips the comment markers
        "Address questions around how the model is intended to be used, including the foreseeable users of the"
        " model and those affected by the model.",
        "This section is for the model use without fine-tuning or plugging into a larger ecosystem/app.\n\n"
        "[More Information Needed]",
        "- **Training regime:** [More Information Needed] fp32, fp16 mixed precision, bf16 mixed precision, bf16"
        " non-mixed precision, fp16 non-mixed precision, fp8 mixed precision",
        "State whether the dataset contains data that might be considered personal, sensitive, or private (e.g.,"
        " data that reveals addresses, uniquely identifiable names or aliases, racial or ethnic origins, sexual"
        " orientations, religious beliefs, political opinions, financial or health data, etc.). If efforts were"
        " made to anonymize the data, describe the anonymization process.",
        # datasets' README_guide.md prose, wrapped and emphasised differently
        "Briefly summarize the dataset, its intended use and the supported tasks.\nGive an overview of how and why"
        " the dataset was created.",
        "List and describe the fields present in the dataset.\n\n- `example_field`: description of `example_field`",
        "Provide the [BibTex](http://www.bibtex.org/)-formatted reference for the dataset. For example:\n```\n"
        "@article{article_id,\n  author    = {Author List},\n  title     = {Dataset Paper Title},\n"
        "  journal   = {Publication Venue},\n  year      = {2525}\n}\n```",
        "- **Homepage:** [Add homepage URL here if available (unless it's a GitHub repository)]()\n"
        "- **Paper:** [If the dataset was introduced by a paper or there was a paper written describing the"
        " dataset, add URL here (landing page for Arxiv paper preferred)]()",
        "|                         | train | validation | test |\n|---|---:|---:|---:|\n"
        "| Input Sentences         |       |            |      |",
        # the older templates' own lines
        "<details>\n<summary> Click to expand </summary>\n\n[More Information Needed]\n\n</details>",
        "Thanks to [@github-username](https://github.com/<github-username>) for adding this dataset.",
    ],
    ids=lambda t: t[:40],
)
def test_template_guidance_as_plain_text_is_a_placeholder(text):
    from auditor.readers.markdown import sections

    (section,) = sections(f"## Section\n\n{text}\n", 1, "README.md")
    assert section.status == "placeholder"


def test_every_template_sentence_is_a_placeholder_on_its_own():
    """Each listed text, as a card would hold it, is judged a placeholder: the data and its reading agree
    (a labelled one, "**Homepage:** [Add homepage URL here ...]()", as the sub-section it makes)."""
    from auditor.readers.markdown import sections

    for source in yaml.safe_load(TEMPLATES.read_text())["templates"]:
        assert source["source"].startswith("https://github.com/")
        for text in source["sentences"]:
            found = sections(f"## Section\n\n{text}\n", 1, "README.md")
            assert max(SectionStatus(s.status).rank for s in found) == SectionStatus.PLACEHOLDER.rank, text


FILLER = """
N/A
n/a
None.
Coming soon.
Will be added soon.
See above.
Unknown
TBA
To be determined.
Work in progress
Placeholder
XXX
Information needed.
[More Informations Needed]
[Plus d'informations nécessaires]
[Weitere Informationen erforderlich]
[Se necesita más información]
[需要更多信息]
[詳細情報が必要です]
Lorem ipsum dolor sit amet, consectetur adipiscing elit.
[link](https://example.com)
https://example.com
[Insert intended uses here]
<Describe the intended uses here>
- **Intended users:** N/A
Uses
**Uses**
This model is a fine-tuned version of [MODEL_NAME] on [DATASET_NAME].
[DATASET_NAME]
The model was trained on XXX.
{model_description}
Fine-tuned from <BASE_MODEL_ID>.
your.name@example.com
- **Contact:** See https://www.example.org/contact
Please describe your use case here.
If you use this model, please describe your use case here.
Add description here.
Will be added later.
TBD for now.
None yet.
More information needed for further recomendations.
More information needed for further details.
NOASSERTION
_No response_
Paper coming soon.
The paper is coming soon!
To be released.
Code and weights will be released later.
Details to be announced.
""".strip().splitlines()  # one a line
UNSAID = ["?", "—", "<br>", "<p></p>", "![](https://example.com/img.png)", "| Use | Description |\n|---|---|"]
SAID = [
    "Public Mastodon posts from 2023.",
    "Todorov, A. and Smith, B. (2021). Acme chat.",
    "The model optionally supports 8-bit inference.",
    "Para todos los usuarios de habla hispana.",
    "Accuracy 0.93 on the test split (validation TBD).",
    "We used the optional safety filter.",
    "Todo lists from public repositories.",
    # stand-ins only by their shape: special tokens, link texts, BibTeX values and shell variables are text
    "Sequences start with [CLS] and end with [SEP].",
    "Fine-tuned on [squad_v2](https://huggingface.co/datasets/squad_v2).",
    "```bibtex\n@misc{acme2024,\n  title = {Acme},\n  publisher = {GitHub},\n}\n```",
    "Set `${HF_TOKEN}` before running the script.",
    # an instruction to the reader, not the author: it names no "here"
    "Please cite the paper below if you use the model.",
    "Replace `model_id` with the id of your fine-tune.",
    "More information needed on the Chinese split: it is small.",
    # what is to come, said of something the sentence also tells
    "The data that will be released covers twelve languages.",
    "Our model outperforms the base on math, and more is coming soon.",
    "No response was recorded from the annotators.",
]
# judged so before, and still: short values, a labelled URL, an address at a domain of its own
STILL = ["todo: write this", "Routing tickets.", "Accuracy: 0.93", "jane@acme.example"]
STILL_SAID = [
    "None of the images shows a face.",
    "[wikitext-103](https://huggingface.co/datasets/wikitext)",
    "- **Repository:** https://github.com/acme/m",
    "| Metric | Value |\n|---|---|\n| F1 | 0.91 |",
]


@pytest.mark.parametrize(
    ("text", "status"),
    [(t, "placeholder") for t in FILLER]
    + [(t, "empty") for t in UNSAID]
    + [(t, "filled") for t in SAID]
    + [(STILL[0], "placeholder")]
    + [(t, "filled") for t in STILL[1:] + STILL_SAID],
    ids=lambda t: t[:40],
)
def test_filler_is_not_content_and_short_genuine_text_is(text, status):
    """Filler says nothing whether or not a template wrote it; a phrase counts only as whole words, and
    a short sentence, or a real value beside a TBD, is content."""
    from auditor.readers.markdown import sections

    (section,) = sections(f"## Uses\n\n{text}\n", 1, "README.md")
    assert section.status == status


MODEL_PROFILES = {k: p for k, p in RB.profiles.items() if k == "hf-model-card"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a sub-section meaning another item keeps its text: TODO-only "Training data" stays a placeholder
        (
            "## Training Data\n[TODO: name them]\n### Training hyperparameters\n- lr: 2e-5\n",
            {"Training Data": "placeholder", "Training Procedure": "filled"},
        ),
        # a sub-section meaning the same item, or none, fills its parent
        (
            "## Training Details\n### Training Procedure\n#### Settings\nbf16, 3 epochs\n",
            {"Training Procedure": "filled"},
        ),
        ("## Citation\n### Paper\n```bibtex\n@article{x}\n```\n", {"Citation": "filled"}),
        # what lies under a sub-section left out stays with it, however deep
        (
            "## Training Details\n### Training Data\n#### Sources\nWikipedia\n### Speeds\n[More Information Needed]\n",
            {"Training Procedure": "placeholder", "Training Data": "filled"},
        ),
        # a heading meaning two items is filled for each only by what means that item (or nothing)
        (
            "## Intended uses & limitations\n[More Information Needed]\n### Limitations\nEnglish only.\n",
            {"Uses": "placeholder", "Bias, Risks, and Limitations": "filled"},
        ),
    ],
)
def test_sub_sections_credit_their_heading_only_for_the_same_item(body, expected):
    from auditor.readers.markdown import sections

    earned: dict[str, str] = {}
    for _, _, item, status in profiles.credited(MODEL_PROFILES, sections(body, 1, "README.md")):
        earned[item] = max(earned.get(item, "empty"), status, key=lambda s: SectionStatus(s).rank)
    assert earned == expected


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Same as the base model.", "deferred"),
        ("See the original model card for the details of its training data.", "deferred"),
        ("Same as the base model.\n\n[More Information Needed]", "deferred"),
        ("Same as the base model. English only.", "filled"),
    ],
)
def test_a_pointer_to_the_base_models_card_waits_for_the_lineage(text, status):
    """Whether "Same as the base model." documents anything depends on whether a base model is named."""
    from auditor.facts import followed
    from auditor.readers.markdown import sections

    found = sections(f"## Uses\n\n{text}\n", 1, "README.md")
    assert found[0].status == status
    settled = {based: followed(found, based)[0].status for based in (True, False)}
    assert settled == (
        {True: "filled", False: "placeholder"} if status == "deferred" else dict.fromkeys(settled, status)
    )


@pytest.mark.parametrize(
    ("table", "status"),
    [
        (
            "<table>\n<tr><th>Metric</th><th>Value</th></tr>\n<tr><td>Accuracy</td><td></td></tr>\n"
            "<tr><td>F1</td><td>TBD</td></tr>\n</table>",
            "placeholder",
        ),
        ("<TABLE><TR><TH>Metric</TH><TH>Value</TH></TR></TABLE>", "empty"),
        ("<table>\n<tr><th>Metric</th><th>Value</th></tr>\n<tr><td>F1</td><td>0.91</td></tr>\n</table>", "filled"),
        ("<table><tr><td>F1</td><td></td></tr></table>\n<p>Measured on the test split.</p>", "filled"),
    ],
)
def test_an_html_table_is_judged_as_the_markdown_table(table, status):
    """A row name with no value beside it is a label in HTML as in Markdown; a header row says nothing."""
    from auditor.readers.markdown import sections

    (section,) = sections(f"## Evaluation\n\n{table}\n", 1, "README.md")
    assert section.status == status


def test_html_headings_and_details_titles_are_sections():
    """The Hub renders <h2> as a heading and a <details> block under its <summary> title: each is a
    section; after </details> text goes back to the section the block was in."""
    from auditor.readers.markdown import sections

    body = (
        "# m\n\n<h2>Model Details</h2>\n<p>A 7B model by Acme.</p>\n\n<h2 id='lim'>Limitations</h2>\n\n"
        "<p>Hallucinates statutes.</p>\n\n## Citation\n\nSee below.\n\n<details>\n<summary><b>BibTeX</b></summary>"
        "\n\n```bibtex\n@misc{acme2024, title={Acme}}\n```\n\n</details>\n\nThe paper is under review.\n\n"
        "<details><summary>Click to expand</summary>\n\n[More Information Needed]\n\n</details>\n"
    )
    found = [(s.heading, s.level, s.status, s.evidence.line) for s in sections(body, 1, "README.md")]
    assert found == [
        ("m", 1, "empty", 1),
        ("Model Details", 2, "filled", 3),
        ("Limitations", 2, "filled", 6),
        ("Citation", 2, "filled", 10),
        ("BibTeX", 3, "filled", 15),
    ]


def test_a_paragraph_opening_with_a_bold_label_is_a_sub_section_of_its_own():
    """ "**Limitations:** ..." is the card's own labelled paragraph; the templates' "- **Developed by:**"
    list items and a label with no value beside it stay the text of their section."""
    from auditor.readers.markdown import sections

    body = (
        "# m\n\nA 7B model.\n\n**Intended use:** Summarising court decisions.\n\n__Limitations__: Hallucinates.\n\n"
        "**Training data:** [More Information Needed]\n\n## Model Details\n\n- **Developed by:** Acme\n\n"
        "**BibTeX:**\n\n**N/A:** none\n"
    )
    found = [(s.heading, s.level, s.status) for s in sections(body, 1, "README.md")]
    assert found == [
        ("m", 1, "filled"),
        ("Intended use", 2, "filled"),
        ("Limitations", 2, "filled"),
        ("Training data", 2, "placeholder"),
        ("Model Details", 2, "filled"),
    ]


PHRASES = yaml.safe_load(TEMPLATES.read_text())["phrases"]
LETTERS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=4)


@given(st.sampled_from(PHRASES), LETTERS, LETTERS)
def test_a_placeholder_phrase_inside_a_longer_word_is_no_placeholder(phrase, before, after):
    """'Mastodon' holds 'todo', 'Todorov' starts with it: a phrase counts only as whole words."""
    from auditor.readers.placeholders import judge

    assert judge(f"Public {before}{phrase}{after} posts from 2023.") == "filled"
