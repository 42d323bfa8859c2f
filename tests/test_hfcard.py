"""Harvesting Hugging Face cards: YAML pitfalls, license forms, lineage fields, sections, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import card, write_tree

from auditor.harvest import harvest
from auditor.naming import asset_key
from auditor.readers.frontmatter import FrontMatterError, parse
from auditor.readers.text import MAX_TEXT_BYTES


def harvest_one(tmp_path: Path, text: str | bytes, where: str = "org/m/README.md", extra: dict | None = None):
    root = write_tree(tmp_path / "r", {where: text, **(extra or {})})
    result = harvest(root)
    records = [r for r in result.records if r.source == where]
    return (records[0] if records else None), result


# --- YAML pitfalls ------------------------------------------------------------------------------


def test_norway_problem_and_friends_stay_strings():
    data = parse("license: no\nflag: yes\nmode: on\nother: off\n", 2).data
    assert data == {"license": "no", "flag": "yes", "mode": "on", "other": "off"}


def test_dates_and_versions_are_not_coerced():
    data = parse("date: 2024-01-01\nversion: 1.10\nratio: 1e3\nsha: 0123\n", 2).data
    assert data == {"date": "2024-01-01", "version": "1.10", "ratio": "1e3", "sha": "0123"}


def test_null_forms_are_none_but_quoted_null_is_text():
    data = parse('a: null\nb: ~\nc:\nd: "null"\n', 2).data
    assert data == {"a": None, "b": None, "c": None, "d": "null"}


def test_field_lines_are_file_lines():
    fm = parse("license: mit\nbase_model:\n  - a/b\n  - c/d\n", 2)
    assert fm.line("license") == 2 and fm.line("base_model[1]") == 5


def test_alias_bomb_is_refused():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(FrontMatterError, match="more than"):
        parse("\n".join(lines) + "\n", 2)


def test_a_dataset_given_through_a_merge_key_is_an_upstream(tmp_path):
    front = "license: apache-2.0\ncommon: &shared\n  datasets:\n    - acme/ncdata\n<<: *shared\n"
    record, result = harvest_one(tmp_path, card(front))
    assert [(r.target, r.evidence.line) for r in record.references] == [("acme/ncdata", 5)] and not result.problems


@pytest.mark.parametrize(
    ("yaml_text", "message", "line"),
    [
        ("a: &a [*a]\n", "recursive", 2),  # an alias to its enclosing anchor: an endless walk
        (
            "a: &a [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1 if i > 1 else ''}]\n" for i in range(1, 100)),
            "through its aliases",
            None,
        ),
    ],
)
def test_aliases_that_expand_without_end_or_too_deep_are_refused(yaml_text, message, line):
    """Aliases build depth the text does not show: a chain of 100 anchors each holding the last."""
    with pytest.raises(FrontMatterError, match=message) as caught:
        parse(yaml_text, 2)
    assert line is None or caught.value.line == line


@pytest.mark.parametrize(
    "yaml_text",
    [
        "x: " + "[" * 600_000 + "]" * 600_000 + "\n",  # flow nesting: crashed libyaml's composer
        "x:\n" + "".join(" " * i + "- \n" for i in range(1, 1500)),  # block nesting, 1.1 MB
        "x:\n  " + "- " * 600_000 + "y\n",  # compact block nesting on one line
    ],
)
def test_deep_nesting_is_refused_with_its_line(yaml_text):
    assert len(yaml_text) > 1_000_000
    with pytest.raises(FrontMatterError, match="nesting deeper than 64") as caught:
        parse(yaml_text, 2)
    assert caught.value.line is not None and caught.value.line >= 2


def test_bom_and_crlf_are_accepted(tmp_path):
    text = "\ufeff---\r\nlicense: mit\r\nbase_model: a/b\r\n---\r\n# T\r\n## Uses\r\nChat.\r\n"
    record, result = harvest_one(tmp_path, text.encode("utf-8"))
    assert [s.raw for s in record.licenses] == ["mit"]
    assert record.licenses[0].evidence.line == 2
    assert record.references[0].target == "a/b"
    assert [(s.heading, s.status) for s in record.sections] == [("T", "empty"), ("Uses", "filled")]
    assert result.problems == []


def test_no_front_matter_is_a_documentation_fact_not_a_crash(tmp_path):
    record, result = harvest_one(tmp_path, "# Just a readme\n\nSome text.\n")
    assert record.has_metadata is False and record.licenses == [] and result.problems == []


def test_front_matter_that_is_a_list_is_a_problem(tmp_path):
    record, result = harvest_one(tmp_path, "---\n- license: mit\n---\n# x\n")
    assert [p.code for p in result.problems] == ["bad-front-matter"]
    assert "a list" in result.problems[0].message and result.problems[0].evidence.file == "org/m/README.md"
    assert record is not None  # the asset still exists (from the layout)


def test_broken_yaml_names_the_line(tmp_path):
    _, result = harvest_one(tmp_path, "---\nlicense: mit\nbase_model: [a/b\n---\n")
    problem = result.problems[0]
    assert problem.code == "bad-front-matter" and problem.evidence.line in (3, 4)


def test_unclosed_front_matter(tmp_path):
    _, result = harvest_one(tmp_path, "---\nlicense: mit\n")
    assert "never closed" in result.problems[0].message


def test_duplicate_key_is_reported(tmp_path):
    record, result = harvest_one(tmp_path, "---\nlicense: mit\nlicense: apache-2.0\n---\n")
    assert [s.raw for s in record.licenses] == ["apache-2.0"]
    assert result.problems[0].code == "unread-entry" and result.problems[0].evidence.line == 3


def test_binary_file(tmp_path):
    _, result = harvest_one(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    assert result.problems[0].code == "binary"
    assert [i.status for i in result.inventory] == ["unreadable"]


def test_invalid_utf8(tmp_path):
    _, result = harvest_one(tmp_path, b"---\nlicense: caf\xe9\n---\n")
    assert result.problems[0].code == "not-utf8" and "0xe9" in result.problems[0].message


def test_huge_card_is_refused_without_reading_it(tmp_path):
    root = tmp_path / "r"
    path = root / "org" / "m" / "README.md"
    path.parent.mkdir(parents=True)
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse 50 MB file
    result = harvest(root)
    assert result.problems[0].code == "too-large" and "50.0 MB" in result.problems[0].message
    assert MAX_TEXT_BYTES < 50 * 1024 * 1024


# --- license forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "front, expected",
    [
        ("license: mit", ["mit"]),
        ("license: [mit, cc-by-4.0]", ["mit", "cc-by-4.0"]),
        ("license:", []),
        ("license: ''", []),
        ("license: unknown", ["unknown"]),
        ("licenses:\n  - cc-by-sa-3.0", ["cc-by-sa-3.0"]),
    ],
)
def test_license_field_forms(tmp_path, front, expected):
    record, _ = harvest_one(tmp_path, card(front))
    assert [s.raw for s in record.licenses] == expected


def test_license_other_keeps_name_and_link(tmp_path):
    record, _ = harvest_one(tmp_path, card("license: other\nlicense_name: acme-1\nlicense_link: LICENSE.md"))
    (s,) = record.licenses
    assert (s.raw, s.name, s.link) == ("other", "acme-1", "LICENSE.md")


def test_license_that_is_not_a_string_is_an_unread_entry(tmp_path):
    """A license entry of another shape is not read: the asset's terms are unknown, which fails the gate."""
    record, result = harvest_one(tmp_path, card("license: {name: mit}"))
    assert record.licenses == [] and result.problems[0].code == "unread-entry"


# --- lineage fields -----------------------------------------------------------------------------


def refs(record):
    return [(r.target, r.kind, r.relation) for r in record.references]


def test_single_base_model_is_a_finetune(tmp_path):
    record, _ = harvest_one(tmp_path, card("base_model: meta-llama/Llama-2-7b-hf"))
    assert refs(record) == [("meta-llama/Llama-2-7b-hf", "model", "finetune")]
    assert record.references[0].basis.startswith("inferred")


def test_several_bases_are_a_merge(tmp_path):
    record, _ = harvest_one(tmp_path, card("base_model:\n  - a/x\n  - b/y"))
    assert [r[2] for r in refs(record)] == ["merge", "merge"]


def test_declared_relation_wins(tmp_path):
    record, _ = harvest_one(tmp_path, card("base_model: a/x\nbase_model_relation: quantized"))
    assert refs(record) == [("a/x", "model", "quantized")]
    assert record.references[0].basis == "declared in base_model_relation"


def test_peft_adapter_is_an_adapter(tmp_path):
    record, _ = harvest_one(tmp_path, card("base_model: a/x\nlibrary_name: peft"))
    assert refs(record)[0][2] == "adapter"


def test_adapter_config_makes_an_adapter(tmp_path):
    record, _ = harvest_one(tmp_path, card("base_model: a/x"), extra={"org/m/adapter_config.json": "{}"})
    assert refs(record)[0][2] == "adapter"


def test_gguf_tag_makes_a_quantized_copy(tmp_path):
    record, _ = harvest_one(tmp_path, card("base_model: a/x\ntags: [gguf, llama]"))
    assert refs(record)[0][2] == "quantized"


@pytest.mark.parametrize("relation", ["quantized", "adapter", "merge", "finetune"])
def test_a_base_model_relation_tag_states_the_relation(tmp_path, relation):
    """A card whose tags copy the Hub's `base_model:<relation>:` tag means what its Hub record does."""
    front = f"base_model: a/x\ntags: [base_model:{relation}:a/x, base_model:quantized:b/other]\nlibrary_name: peft"
    record, _ = harvest_one(tmp_path, card(front))
    assert refs(record) == [("a/x", "model", relation)]
    assert record.references[0].basis == f"the card's tag base_model:{relation} (tags[0])"


def test_a_declared_relation_wins_over_a_tag(tmp_path):
    record, _ = harvest_one(
        tmp_path, card("base_model: a/x\nbase_model_relation: merge\ntags: [base_model:quantized:a/x]")
    )
    assert refs(record) == [("a/x", "model", "merge")]


def test_a_quantization_config_beside_the_card_makes_a_quantized_copy(tmp_path):
    config = '{"model_type": "llama", "quantization_config": {"quant_method": "gptq", "bits": 4}}'
    record, _ = harvest_one(tmp_path, card("base_model: a/x"), extra={"org/m/config.json": config})
    assert refs(record) == [("a/x", "model", "quantized")]
    assert record.references[0].basis == "inferred: config.json quantization_config (gptq)"
    plain, _ = harvest_one(tmp_path / "plain", card("base_model: a/x"), extra={"org/m/config.json": "{}"})
    assert refs(plain) == [("a/x", "model", "finetune")]


MERGEKIT_CARD = card(
    """
    base_model:
    - mistralai/Mistral-7B-v0.1
    library_name: transformers
    tags:
    - mergekit
    - merge
    """,
    """
    # merged-7b

    This is a merge of pre-trained language models created using [mergekit](https://github.com/cg123/mergekit).

    ## Merge Details
    ### Merge Method

    This model was merged using the TIES merge method using mistralai/Mistral-7B-v0.1 as a base.

    ### Configuration

    The following YAML configuration was used to produce this model:

    ```yaml
    models:
      - model: mistralai/Mistral-7B-v0.1
      - model: teknium/OpenHermes-2.5-Mistral-7B
        parameters:
          density: 0.5
          weight: 0.5
      - model: "Intel/neural-chat-7b-v3-3"  # the chat half
    merge_method: ties
    base_model: mistralai/Mistral-7B-v0.1
    dtype: bfloat16
    ```
    """,
)


def test_mergekit_card_is_a_merge_of_every_configured_model(tmp_path):
    """The front matter names one base; the merge configuration names the three models merged."""
    record, _ = harvest_one(tmp_path, MERGEKIT_CARD)
    assert refs(record) == [
        ("mistralai/Mistral-7B-v0.1", "model", "merge"),
        ("teknium/OpenHermes-2.5-Mistral-7B", "model", "merge"),
        ("Intel/neural-chat-7b-v3-3", "model", "merge"),
    ]
    configured = record.references[1].evidence
    assert (configured.pointer, configured.line) == ("merge configuration", 26)


def test_merge_tag_alone_makes_a_merge(tmp_path):
    record, _ = harvest_one(tmp_path, card("base_model: a/x\ntags: [merge]"))
    assert refs(record) == [("a/x", "model", "merge")] and record.references[0].basis == "inferred: merge tag merge"


def test_yaml_without_merge_method_names_no_bases(tmp_path):
    body = "# m\n\n```yaml\nmodel: c/z\n```\n"
    record, _ = harvest_one(tmp_path, card("base_model: a/x", body))
    assert refs(record) == [("a/x", "model", "finetune")]


def test_merge_configuration_is_bounded(tmp_path):
    models = "".join(f"  - model: org/m{i}\n" for i in range(100))
    record, _ = harvest_one(tmp_path, card("license: mit", f"```yaml\nmodels:\n{models}merge_method: linear\n```\n"))
    assert len(record.references) == 32 and {r.relation for r in record.references} == {"merge"}


def test_peft_adapter_card_is_an_adapter_on_its_base(tmp_path):
    """The card the PEFT Trainer writes: library_name peft, one base, adapter_config.json beside it."""
    text = card(
        """
        base_model: meta-llama/Llama-2-7b-hf
        library_name: peft
        tags:
        - trl
        - sft
        - generated_from_trainer
        """,
        "# llama-2-7b-sft-lora\n\n### Framework versions\n\n- PEFT 0.7.1\n",
    )
    record, _ = harvest_one(tmp_path, text, extra={"org/m/adapter_config.json": '{"peft_type": "LORA"}'})
    assert refs(record) == [("meta-llama/Llama-2-7b-hf", "model", "adapter")]


@pytest.mark.parametrize(
    "written",
    [
        "https://huggingface.co/a/x",
        "https://www.huggingface.co/a/x",
        "https://www.hf.co/a/x/tree/main",
        "huggingface.co/a/x",
        "www.huggingface.co/a/x",
        "hf.co/a/x",
    ],
)
def test_a_hub_url_names_its_repository_with_or_without_www_or_scheme(tmp_path, written):
    record, result = harvest_one(tmp_path, card(f"base_model: {written}"))
    assert refs(record) == [("a/x", "model", "finetune")] and not result.problems


def test_unknown_relation_is_reported_and_inferred(tmp_path):
    record, result = harvest_one(tmp_path, card("base_model: a/x\nbase_model_relation: quantised"))
    assert refs(record)[0][2] == "finetune" and result.problems[0].code == "bad-field"


def test_datasets_source_datasets_and_model_index(tmp_path):
    front = """
        datasets: [tatsu-lab/alpaca, OpenAssistant/oasst1]
        model-index:
          - name: m
            results:
              - dataset: {name: TruthfulQA, type: truthful_qa}
              - dataset: {name: TruthfulQA again, type: truthful_qa}
              - dataset: {name: no type}
    """
    record, _ = harvest_one(tmp_path, card(front))
    assert refs(record) == [
        ("tatsu-lab/alpaca", "dataset", "trained_on"),
        ("OpenAssistant/oasst1", "dataset", "trained_on"),
        ("truthful_qa", "dataset", "evaluated_on"),
    ]


MODEL_INDEX_ENTRIES = """
    model-index:
      - name: m
        results:
          - 5
          - dataset: 5
          - dataset: {type: [org/nc]}
          - task: {type: x}
          - dataset: {name: no type}
          - dataset: {type: org/ok}
            metrics: [{type: acc, value: 0.9}, 7]
      - name: n
        results: x
      - 3
"""


def test_each_model_index_entry_the_reader_cannot_use_is_told_with_its_pointer(tmp_path):
    """An entry of another shape may name evaluation data: unread (INP001); a result naming no
    dataset id, or a metric of another shape, is told (INP002); none is dropped silently."""
    record, result = harvest_one(tmp_path, card(MODEL_INDEX_ENTRIES))
    told = {(p.code, p.evidence.pointer) for p in result.problems}
    assert told == {
        ("unread-entry", "model-index[0].results[0]"),
        ("unread-entry", "model-index[0].results[1].dataset"),
        ("unread-entry", "model-index[0].results[2].dataset.type"),
        ("bad-field", "model-index[0].results[3]"),
        ("bad-field", "model-index[0].results[4].dataset"),
        ("bad-field", "model-index[0].results[5].metrics[1]"),
        ("unread-entry", "model-index[1].results"),
        ("unread-entry", "model-index[2]"),
    }
    assert all(p.evidence.file == "org/m/README.md" and p.evidence.line for p in result.problems)
    assert refs(record) == [("org/ok", "dataset", "evaluated_on")]


def test_source_datasets_extended_and_original(tmp_path):
    record, _ = harvest_one(
        tmp_path,
        card("source_datasets:\n  - original\n  - extended|squad\n  - wikipedia"),
        where="datasets/org/d/README.md",
    )
    assert refs(record) == [("squad", "dataset", "derived_from"), ("wikipedia", "dataset", "derived_from")]


# --- sections -----------------------------------------------------------------------------------


def test_section_status_filled_placeholder_empty(tmp_path):
    body = """
        # Model Card
        ## Model Details
        - **Developed by:** [More Information Needed]
        - **License:** mit
        ## Uses
        ### Direct Use
        [More Information Needed]
        ## Bias, Risks, and Limitations
        <!-- explain -->
        ## Evaluation
        ```
        # not a heading
        ```
    """
    record, _ = harvest_one(tmp_path, card("license: mit", body))
    assert [(s.heading, s.status) for s in record.sections] == [
        ("Model Card", "empty"),
        ("Model Details", "filled"),
        ("Uses", "empty"),
        ("Direct Use", "placeholder"),
        ("Bias, Risks, and Limitations", "empty"),
        ("Evaluation", "filled"),
    ]
    assert record.sections[2].evidence.line == 9  # front matter takes lines 1-3


def test_template_labels_without_values_are_placeholders(tmp_path):
    body = "## Model Details\n- **Developed by:** [More Information Needed]\n- **Funded by [optional]:** [More Information Needed]\n"
    record, _ = harvest_one(tmp_path, card("license: mit", body))
    assert record.sections[0].status == "placeholder"


def test_setext_headings(tmp_path):
    record, _ = harvest_one(tmp_path, card("license: mit", "Title\n=====\n\nUses\n----\nChat.\n"))
    assert [(s.heading, s.level, s.status) for s in record.sections] == [("Title", 1, "empty"), ("Uses", 2, "filled")]


# --- kind -----------------------------------------------------------------------------------------


def test_dataset_fields_make_a_dataset_outside_the_datasets_folder(tmp_path):
    record, _ = harvest_one(tmp_path, card("license: mit\ntask_categories: [text-generation]"))
    assert record.kind == "dataset" and "task_categories" in record.kind_basis


@pytest.mark.parametrize("field", ["pretty_name: Up data", "viewer: false"])
def test_dataset_card_only_fields_make_a_dataset(tmp_path, field):
    """pretty_name and viewer belong to the Hub's dataset card, not its model card."""
    record, _ = harvest_one(tmp_path, card(f"license: cc-by-nc-4.0\n{field}"))
    assert record.kind == "dataset" and field.split(":")[0] in record.kind_basis


def test_models_folder_overrides_dataset_fields(tmp_path):
    record, _ = harvest_one(tmp_path, card("task_categories: [x]"), where="models/org/m/README.md")
    assert record.kind == "model" and record.id == "org/m"


def test_problems_carry_the_asset_key(tmp_path):
    _, result = harvest_one(tmp_path, b"\x00\x01", where="datasets/org/d/README.md")
    assert result.problems[0].asset == asset_key("dataset", "org/d")


# --- metadata that says nothing -------------------------------------------------------------------

UNSAID_FIELDS = [
    "model-index:\n- name: m\n  results: []",  # the Trainer's default
    "model-index:\n- name: m",
    "model-index:\n- name: m\n  results:\n  - task: {type: text-generation}\n    dataset: {name: MMLU, type: cais/mmlu}\n"
    "    metrics: []",
    "model-index:\n- name: m\n  results:\n  - task: {type: text-generation}\n    metrics: [{type: accuracy, value: TBD}]",
    "model-index:\n- name: m\n  results:\n  - task: {type: text-generation}\n    metrics: [{type: accuracy, value: null}]",
    "model-index: x",  # rejected as malformed (INP001): states nothing either
    "model-index: 2024-01-01",
    "model-index:\n- results: 5",
    "model-index:\n- results: [null, 3, a]",
    "datasets:\n- '[More Information Needed]'",
    "datasets: [TBD]",
    "datasets: ['']",
    "datasets: [my private corpus of support tickets]",  # prose, flagged and not followed
    "co2_eq_emissions: TBD",
    "co2_eq_emissions:\n  emissions: null",
    "co2_eq_emissions:\n  emissions: ''\n  source: ''",
    "description: '[More Information Needed]'",
    "citation: TBD",
    "citation: N/A",
    "task_categories: [TBD]",
    "task_categories: [[], {a: null}]",
]
SAID_FIELDS = [
    "model-index:\n- name: m\n  results:\n  - task: {type: text-classification}\n    metrics: [{type: accuracy, value: 0.93}]",
    "datasets: [wikipedia, 'https://huggingface.co/datasets/org/tickets']",
    "datasets: [TBD, wikipedia]",
    "co2_eq_emissions: 149.2",
    "co2_eq_emissions:\n  emissions: 149.2\n  source: ''",
    "description: Support tickets from 2023, one row per ticket.",
    "task_categories: [text-classification]",
    "source_datasets: [original]",
]


@pytest.mark.parametrize(("fm", "said"), [(f, False) for f in UNSAID_FIELDS] + [(f, True) for f in SAID_FIELDS])
def test_a_field_holding_a_placeholder_or_nothing_states_nothing(tmp_path, fm, said):
    """A field states its value only when the value says something: the same judgement as a
    section's text, through nested lists and mappings, and by the part that documents the field."""
    record, _ = harvest_one(tmp_path, card(fm))
    field = fm.split(":", 1)[0]
    assert (field in {s.field for s in record.statements}) is said


def test_a_yaml_number_boolean_or_null_in_datasets_names_no_dataset_and_is_told(tmp_path):
    """`datasets: [1, true, null]` names no Hub repository: the values are flagged, the null told as an
    empty entry, none dropped without a word."""
    record, result = harvest_one(tmp_path, card("datasets: [1, true, null]"))
    assert not record.references
    assert "datasets" not in {s.field for s in record.statements}
    assert [(p.code, p.evidence.pointer) for p in result.problems] == [
        ("unread-entry", "datasets[2]"),
        ("bad-field", "datasets[0]"),
        ("bad-field", "datasets[1]"),
    ]


def test_a_placeholder_dataset_is_flagged_not_followed(tmp_path):
    record, result = harvest_one(tmp_path, card("datasets: ['[More Information Needed]', TBD]"))
    assert not record.references
    assert [p.evidence.pointer for p in result.problems] == ["datasets[0]", "datasets[1]"]


def test_a_base_listed_twice_is_one_base(tmp_path):
    """Hub ids match case-insensitively: the same base twice is one base, not a merge of two."""
    record, _ = harvest_one(tmp_path, card("base_model: [org1/a, Org1/A]\ntags: [gguf]"))
    assert refs(record) == [("org1/a", "model", "quantized")]


def test_merge_configuration_lora_syntax_names_both_parents(tmp_path):
    """mergekit's `base+lora`: the LoRA is merged into the release as much as its base."""
    body = "```yaml\nmodels:\n  - model: org1/a+org5/lora\n  - model: org2/b\nmerge_method: linear\n```\n"
    record, _ = harvest_one(tmp_path, card("license: mit") + body)
    assert refs(record) == [("org1/a", "model", "merge"), ("org5/lora", "model", "merge"), ("org2/b", "model", "merge")]


def test_merge_configuration_entry_naming_no_model_is_unread(tmp_path):
    body = "```yaml\nmodels:\n  - model: {weight: 1}\nmerge_method: linear\n```\n"
    record, result = harvest_one(tmp_path, card("license: mit") + body)
    assert record.references == []
    assert [p.code for p in result.problems] == ["unread-entry"]


def test_merge_configuration_pins_the_revisions_it_names(tmp_path):
    body = "```yaml\nmodels:\n  - model: org1/a@v2\nmerge_method: linear\n```\n"
    record, _ = harvest_one(tmp_path, card("license: mit") + body)
    assert [(r.target, r.revision) for r in record.references] == [("org1/a", "v2")]


@pytest.mark.parametrize("blank", ["\u2028", "\x0b", "\x0c"])
def test_evidence_lines_are_the_file_s_lines_past_a_line_of_other_whitespace(tmp_path, blank):
    """A line holding only whitespace a CommonMark blank line does not (U+2028, a vertical tab, a
    form feed) is a line of the file, though Markdown trims it off a paragraph and Python's
    splitlines ends lines at it."""
    body = f"# m\n\n{blank}\nLicense: MIT\n\n{blank}x{blank}y\n\n```yaml\nmodels:\n  - model: org/a\nmerge_method: linear\n```\n"
    text = card("pipeline_tag: text-generation", body)
    lines = text.split("\n")
    record, _ = harvest_one(tmp_path, text)
    assert record.body_licenses[0].evidence.line == lines.index("License: MIT") + 1
    assert record.references[-1].evidence.line == lines.index("  - model: org/a") + 1
