"""Card front matter read in one pass over libyaml's events must equal what the composed nodes give,
and anything the one pass does not handle must go the composed way (which words the refusals)."""

from __future__ import annotations

import re
import string

import pytest
import yaml
from conftest import within
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.readers import frontmatter, safeyaml
from auditor.report import glossary


def composed(source: str, first_line: int = 3) -> tuple[object, ...]:
    """What the composed path gives (or the refusal it raises), the one pass left out."""
    saved = frontmatter._from_events
    frontmatter._from_events = lambda *_: None
    try:
        return read(source, first_line)
    finally:
        frontmatter._from_events = saved


def read(source: str, first_line: int = 3) -> tuple[object, ...]:
    try:
        fm = frontmatter.parse(source, first_line)
    except frontmatter.FrontMatterError as exc:
        return ("refused", str(exc), exc.line)
    return (repr(fm.data), fm.lines, fm.duplicates)  # repr: key order and value types count too


TRICKY = [
    "a: 1\nb: ~\nc: null\nd: ''\ne: !!null x\nf: ! null\ng: 'null'\nh:\ni: Null\nj: NULL\nk: [1, ~, {x: y}]\n",
    "a: 1\na: 2\nb:\n  c: 1\n  c: 2\n",
    "a:\n  b:\n  - 1\n  - x: y\n    x: z\n",
    "a:\n- b\n- c\nd: e\n",
    "'quoted key': 1\n\"k2\": ~\n1: 2\ntrue: false\n~: x\n",
    "a: !!str 1\nb: !custom x\nc: |\n  text\n  more\nd: >-\n  folded\n",
    "{a: 1, b: [2, 3]}",
    "a:\n  - - - x\n",
    "a: !!null\nb: !!null ''\n",
]
ELSEWHERE = [  # the composed path decides these: refusals, aliases, complex keys, other shapes
    "",
    "# only a comment\n",
    "---\n",
    "- a\n- b\n",
    "just text",
    "a: 1\n---\nb: 2\n",
    "a: &x 1\nb: *x\n",
    "? [a, b]\n: c\n",
    "a: {",
    "a: b: c",
    "a: " + "[" * 70 + "]" * 70,
    "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    "<<: {license: mit}\n",  # a merge key, even without an alias
]


@pytest.mark.parametrize("source", TRICKY + ELSEWHERE)
def test_one_pass_reads_as_the_composed_nodes(source):
    assert read(source) == composed(source)


@pytest.mark.parametrize("source", TRICKY)
def test_plain_mappings_take_the_one_pass(source):
    assert frontmatter._from_events(source, 1) is not None


@pytest.mark.parametrize("source", [s for s in ELSEWHERE if s.strip() and not s.startswith("#")])
def test_aliases_other_shapes_and_errors_take_the_composed_path(source):
    assert frontmatter._from_events(source, 1) is None


SPELLINGS = st.sampled_from(["", "~", "null", "Null", "NULL", "no", "1.10", "2024-01-01", "a: b", "- x", "'q'"])
TEXT = st.text(alphabet=string.ascii_letters + " -_:#'\"", max_size=8) | SPELLINGS
KEYS = st.text(alphabet=string.ascii_lowercase + "_-", min_size=1, max_size=6) | SPELLINGS.filter(bool)
VALUES = st.recursive(
    st.none() | TEXT | st.integers() | st.booleans(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=6), st.booleans(), st.integers(0, 3))
def test_any_mapping_reads_as_the_composed_nodes(data, flow, duplicate):
    source = yaml.safe_dump(data, default_flow_style=flow, sort_keys=False, allow_unicode=True)
    lines = source.splitlines(keepends=True)
    source = "".join(lines + lines[:duplicate])  # repeated top-level lines: duplicate keys
    assert read(source) == composed(source)


def test_alias_free_yaml_is_not_walked_again():
    assert safeyaml.check_depth("a: [1, 2]\nb: {c: d}\n") is False
    assert safeyaml.check_depth("a: &x [1]\nb: *x\n") is True
    with pytest.raises(safeyaml.TooMany, match="more than 50 keys and values"):
        safeyaml.check_depth("[" + "1, " * 60 + "1]", max_nodes=50)
    assert safeyaml.check_depth("a: {") is True  # an error: the composer reports it


MERGES = [  # YAML 1.1 merge keys, which the Hub's loader (PyYAML's safe_load) applies
    "license: apache-2.0\ncommon: &shared\n  datasets:\n    - acme/ncdata\n<<: *shared\n",
    "a: &a {x: a, y: a}\nb: &b {x: b, z: b}\nc:\n  <<: [*a, *b]\n  y: own\n",  # the first merged wins
    "<<: {license: mit, datasets: [d/x]}\nlicense: apache-2.0\n",  # a written key wins, wherever it is
    "a: &a {x: a}\nb: &b {<<: *a, y: b}\nc: {<<: *b, z: c}\n",  # merges within merges
    "a: &a {x: a}\nb:\n  x: b\n  <<: *a\n  <<: [{y: z}, {y: w, v: w}]\n",
    "'<<': {x: quoted}\nb: {\"<<\": {y: quoted}}\n",  # a quoted '<<' is an ordinary key
]


def plain_strings(value: object) -> object:
    """PyYAML's values with each scalar as the string mlaudit keeps (the cases above hold no nulls)."""
    if isinstance(value, dict):
        return {str(k): plain_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_strings(v) for v in value]
    return str(value)


@pytest.mark.parametrize("source", MERGES)
def test_merge_keys_are_applied_as_the_hubs_loader_applies_them(source):
    """The same keys and values as PyYAML's safe_load; their order is not compared, since PyYAML
    6.0.4 orders a merged mapping's keys differently from 6.0.3."""
    fm = frontmatter.parse(source, 2)
    assert fm.data == plain_strings(yaml.safe_load(source))
    assert read(source) == composed(source) and not fm.duplicates


def test_of_two_merge_keys_in_one_mapping_the_later_wins():
    """Two `<<` keys in one mapping: PyYAML 6.0.3 lets the later win and 6.0.4 the earlier, so
    mlaudit keeps its own rule (the later, as for any key written twice) and is not compared."""
    fm = frontmatter.parse("a: &a {x: a}\n<<: *a\n<<: {x: later}\n", 2)
    assert fm.data == {"x": "later", "a": {"x": "a"}}


def test_a_merged_field_has_the_line_it_is_written_on():
    fm = frontmatter.parse("base: &b\n  datasets: [d/x]\n  license: mit\nlicense: apache-2.0\n<<: *b\n", 2)
    assert (fm.line("datasets"), fm.line("datasets[0]"), fm.line("license")) == (3, 3, 5)


@pytest.mark.parametrize("source", ["a: &a [x]\n<<: *a\n", "<<: x\n", "a: &a {x: 1}\n<<: [*a, y]\n"])
def test_a_merge_of_anything_but_mappings_is_refused_like_the_hubs_loader_refuses_it(source):
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load(source)
    assert read(source)[:2] == ("refused", "invalid YAML: a merge key ('<<') takes a mapping or a list of mappings")


def test_merges_expand_within_the_alias_bound():
    """Merging one anchor nine times at each of eight levels is an alias bomb like any other."""
    lines = ["a0: &a0 {" + ", ".join(f"k{i}: x" for i in range(9)) + "}"]
    lines += [f"a{n}: &a{n} {{<<: [" + ", ".join([f"*a{n - 1}"] * 9) + "]}" for n in range(1, 9)]
    refused = within(1.0, read, "\n".join(lines) + "\n")
    assert refused[0] == "refused" and "through its aliases" in refused[1]


PIECES = ["SPDX", "CMP001", "merge", "merged", "distill", "copyleft", "Share-Alike", "info", "LicenseRef-a.b", "met"]
TERMS = st.lists(st.sampled_from([*PIECES, "x", "_", "-", " ", "1", "é"]), max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(TERMS)
def test_glossary_terms_are_found_where_a_search_finds_them(text):
    for entry in glossary.entries():
        assert glossary._occurs(entry.pattern, text) == (re.search(entry.pattern, text) is not None), entry.id


def test_a_control_character_in_front_matter_is_told_in_one_line_without_pyyamls_own_place():
    with pytest.raises(frontmatter.FrontMatterError) as raised:
        frontmatter.parse('license: "a\x01b"\n', 2)
    assert str(raised.value).startswith("invalid YAML: unacceptable character #x0001")
    assert "\n" not in str(raised.value) and "unicode string" not in str(raised.value)
