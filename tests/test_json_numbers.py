"""A JSON integer of more digits than Python makes an int of is valid JSON mlaudit does not read:
told by its field, in the manifest's terms, never as an interpreter setting."""

from __future__ import annotations

import pytest

from auditor.harvest import rowjson
from auditor.model import BAD_ROW
from auditor.readers import safejson

LONG = "9" * 5000


@pytest.mark.parametrize("sign", ["", "-"])
def test_a_long_integer_is_refused_naming_its_field(sign):
    with pytest.raises(safejson.JSONRefused) as refused:
        safejson.loads(f'{{"metadata": {{"x": [1, {sign}{LONG}]}}}}'.encode())
    assert str(refused.value) == "metadata.x[1] is a number of 5,000 digits, over the 4,300 mlaudit reads"
    assert refused.value.code == "refused"


def test_integers_up_to_the_bound_are_read():
    assert safejson.loads(f'{{"n": -{"9" * 4300}}}'.encode()) == {"n": -int("9" * 4300)}


def test_a_long_integer_in_a_row_field_is_told_as_such():
    found: rowjson.Problems = []
    assert rowjson.parse(f'{{"license": "mit", "x": {LONG}}}', "cardData", found) is None
    message = "cardData.x is a number of 5,000 digits, over the 4,300 mlaudit reads; 'cardData' is not read"
    assert found == [(BAD_ROW, message, "cardData")]
