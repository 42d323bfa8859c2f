"""What a predicate of the fact schema is (auditor/schema.py holds the table of them): its
arguments with their types, its role, what it means and how an evidence chain states it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from auditor.predicates import Term

Values = tuple[Term, ...]  # an atom's arguments as Python holds them
Fact = tuple[str, *Values]  # an input fact: the predicate's name, then its values


@dataclass(frozen=True, eq=False)
class Predicate:
    args: tuple[str, ...]  # "name:type" pairs
    role: str  # input | knowledge | derived | repair (input of the repair search)
    doc: str
    phrase: str = ""  # how an evidence chain states the fact: `{arg}`, `{arg:filter}` (auditor/chains.py)
    name: str = ""  # the attribute of S it is bound to

    def __set_name__(self, owner: type, name: str) -> None:
        object.__setattr__(self, "name", name)

    @property
    def arity(self) -> int:
        return len(self.args)

    @cached_property
    def types(self) -> tuple[str, ...]:
        return tuple(a.split(":")[1] for a in self.args)

    @cached_property
    def asset_positions(self) -> tuple[int, ...]:
        """Indices (in the fact tuple, name at 0) of the arguments that are asset ids."""
        return tuple(i + 1 for i, t in enumerate(self.types) if t == "asset")

    @cached_property
    def asset_argument(self) -> int | None:
        """Index (in a row, name left out) of the first asset argument: the asset an atom is about."""
        return self.asset_positions[0] - 1 if self.asset_positions else None

    def __call__(self, *values: Term) -> Fact:
        if len(values) != self.arity:
            raise TypeError(f"{self.name}/{self.arity} given {len(values)} arguments")
        return (self.name, *values)


def predicate(args: str, role: str, doc: str, phrase: str = "") -> Predicate:
    return Predicate(tuple(args.split()), role, doc, phrase)
