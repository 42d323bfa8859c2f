"""auditor/predicates.py is what the fact schema's table generates for its derived predicates:
`python tests/test_predicates.py` writes it anew after a
derived predicate (one the rules conclude and Python reads back) is added or changed. Input and
knowledge facts need no generated code: `schema.S` is their one entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import asptext, predicate_spec, schema
from auditor.predicates import ROWS

GENERATED = Path(schema.__file__).with_name("predicates.py")
PYTHON_TYPES = {"asset": "int", "int": "int", "symbol": "str", "string": "str", "term": "Term", "ground": "Term"}
HEADER = '''"""The read-back rows of the fact schema's derived predicates, for the type checker: generated
from `schema.PREDICATES` by tests/test_predicates.py, which checks this file is current. Do not edit.

Each derived predicate, which Python reads back from the engines, has a row type named by its
fields (`row.child`); rows are tuples, printed as tuples.
A variadic predicate (`schema.VARIADIC`) has as many `detail` values as its rule names. `Atoms`,
what the engines return, gives each derived predicate's rows as an attribute (`atoms.via`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple, TypeAlias, cast

Term: TypeAlias = str | int | tuple["Term", ...]  # a value read back: a number, a string or constant, a term
'''


def _class_name(name: str) -> str:
    return "".join(part.title() for part in name.split("_")) + "Row"


def _fields(pred: predicate_spec.Predicate) -> list[tuple[str, str]]:
    return [(arg.split(":")[0], PYTHON_TYPES[arg.split(":")[1]]) for arg in pred.args]


def _fixed_row(pred: predicate_spec.Predicate) -> list[str]:
    lines = [f"class {_class_name(pred.name)}(NamedTuple):"]
    lines += [f"    {field}: {kind}" for field, kind in _fields(pred)]
    return lines + ["", "    def __repr__(self) -> str:", "        return tuple.__repr__(self)"]


def _variadic_row(pred: predicate_spec.Predicate) -> list[str]:
    """A tuple with a property for each field: `detail` the values between the fields before and after it."""
    fields = _fields(pred)
    at = [field for field, _ in fields].index("detail")
    lines = [f"class {_class_name(pred.name)}(tuple[Term, ...]):", "    __slots__ = ()"]
    for i, (field, kind) in enumerate(fields):
        if field == "detail":
            trailing = len(fields) - at - 1
            value, kind = f"self[{at}:-{trailing}]" if trailing else f"self[{at}:]", "tuple[Term, ...]"
        else:
            value = f"self[{i}]" if i < at else f"self[-{len(fields) - i}]"
            value = value if kind == "Term" else f"cast({kind}, {value})"
        lines += ["", "    @property", f"    def {field}(self) -> {kind}:", f"        return {value}"]
    return lines


def source() -> str:
    """The text of auditor/predicates.py, as ruff formats it."""
    lines: list[str] = []
    derived = [p for p in schema.PREDICATES if p.role == "derived"]
    for pred in derived:
        lines += ["", ""] + (_variadic_row(pred) if pred.name in schema.VARIADIC else _fixed_row(pred))
    lines += ["", "", "# How a row of each derived predicate is made from its values."]
    lines += ["ROWS: dict[str, Callable[[Iterable[Term]], tuple[Term, ...]]] = {"]
    for pred in derived:
        make = _class_name(pred.name) + ("" if pred.name in schema.VARIADIC else "._make")
        lines.append(f'    "{pred.name}": {make},')
    lines += ["}", "", "", "class Atoms(defaultdict[str, list[tuple[Term, ...]]]):"]
    lines += [
        '    """Rows by predicate name, as the engines return them; typed by attribute for each derived predicate."""'
    ]
    for pred in derived:
        kind = _class_name(pred.name)
        lines += ["", "    @property", f"    def {pred.name}(self) -> list[{kind}]:"]
        lines.append(f'        return cast(list[{kind}], self.get("{pred.name}", []))')
    return HEADER + "\n".join(lines) + "\n"


def test_the_generated_module_is_current():
    assert GENERATED.read_text(encoding="utf-8") == source(), (
        "run: python tests/test_predicates.py (it rewrites auditor/predicates.py)"
    )


def test_every_predicate_is_an_attribute_and_nothing_else():
    named = [n for n in dir(schema.S) if isinstance(getattr(schema.S, n), predicate_spec.Predicate)]
    assert sorted(p.name for p in schema.PREDICATES) == sorted(named)  # the knowledge group's too
    assert all(getattr(schema.S, p.name) is p for p in schema.PREDICATES) and len(schema.SCHEMA) == len(
        schema.PREDICATES
    )
    with pytest.raises(AttributeError):
        schema.S.no_such_predicate  # noqa: B018


def test_a_fact_is_the_name_and_its_values():
    assert schema.S.edge(2, 1, "finetune") == ("edge", 2, 1, "finetune")
    with pytest.raises(TypeError):
        schema.S.edge(2, 1)


def test_rows_name_their_fields_and_stay_tuples():
    via = asptext.row("via", (3, 1, "MIT", "notice"))
    assert via == (3, 1, "MIT", "notice") and (via.child, via.parent, via.license, via.term) == (3, 1, "MIT", "notice")
    assert f"via{via}" == "via(3, 1, 'MIT', 'notice')"
    finding = asptext.row("finding", ("CMP001", 3, "MIT", 1))
    assert (finding.rule, finding.a, finding.detail) == ("CMP001", 3, ("MIT", 1)) and repr(
        finding
    ) == "('CMP001', 3, 'MIT', 1)"
    because = asptext.row("because", ("CMP001", 3, "MIT", ("licensed", 1, "MIT")))
    assert (because.detail, because.fact) == (("MIT",), ("licensed", 1, "MIT"))
    assert set(ROWS) == {p.name for p in schema.PREDICATES if p.role == "derived"}


def test_atoms_read_back_are_rows_by_predicate():
    atoms = asptext.read(['via(3,1,"MIT",notice)', 'finding("LIC001",3,"Foo")', "chosen(3,2)"])
    assert atoms.via == [(3, 1, "MIT", "notice")] and atoms.via[0].parent == 1 and atoms["chosen"][0].choice == 2
    assert atoms.finding[0].detail == ("Foo",) and atoms.removed == [] and "removed" not in atoms


if __name__ == "__main__":
    GENERATED.write_text(source(), encoding="utf-8")
