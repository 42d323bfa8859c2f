"""Facts written as clingo's text and atoms read back from its printed form: any string a manifest
can hold (quotes, backslashes, newlines, control characters, a NUL) comes back as it went in."""

from __future__ import annotations

import clingo
from hypothesis import given
from hypothesis import strategies as st

from auditor import asptext

TEXT = st.text(alphabet=st.characters(exclude_characters=asptext.NUL_STAND_IN, exclude_categories=["Cs"]), max_size=40)


def through_clingo(program: str) -> list[str]:
    control = clingo.Control(["--warn=none"])
    control.add("base", [], program)
    control.ground([("base", [])])
    return [str(atom.symbol) for atom in control.symbolic_atoms.by_signature("unrecognised", 2)]


@given(text=TEXT)
def test_a_string_written_for_clingo_reads_back_as_it_was(text):
    (printed,) = through_clingo(asptext.render(("unrecognised", 1, text)))
    assert asptext.atom(printed) == ("unrecognised", (1, text))


def test_a_nul_travels_through_clingo_and_comes_back():
    (printed,) = through_clingo(asptext.render(("unrecognised", 1, "mit\x00evil")))
    assert asptext.atom(printed)[1][1] == "mit\x00evil"
