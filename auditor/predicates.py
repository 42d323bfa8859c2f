"""The read-back rows of the fact schema's derived predicates, for the type checker: generated
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


class FindingRow(tuple[Term, ...]):
    __slots__ = ()

    @property
    def rule(self) -> str:
        return cast(str, self[0])

    @property
    def a(self) -> int:
        return cast(int, self[1])

    @property
    def detail(self) -> tuple[Term, ...]:
        return self[2:]


class BecauseRow(tuple[Term, ...]):
    __slots__ = ()

    @property
    def rule(self) -> str:
        return cast(str, self[0])

    @property
    def a(self) -> int:
        return cast(int, self[1])

    @property
    def detail(self) -> tuple[Term, ...]:
        return self[2:-1]

    @property
    def fact(self) -> Term:
        return self[-1]


class CarriesRow(NamedTuple):
    a: int
    license: str
    term: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class ViaRow(NamedTuple):
    child: int
    parent: int
    license: str
    term: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class FollowsNewestRow(NamedTuple):
    a: int
    upstream: int

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class NewestViaRow(NamedTuple):
    child: int
    parent: int
    upstream: int

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class InheritedRow(NamedTuple):
    a: int
    license: str
    term: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class ObligationStatusRow(NamedTuple):
    a: int
    license: str
    term: str
    status: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class StatusBasisRow(NamedTuple):
    a: int
    license: str
    term: str
    fact: Term

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class UntriggeredRow(NamedTuple):
    a: int
    license: str
    term: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class EmbodiesRow(NamedTuple):
    a: int
    license: str
    term: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class AdaptsRow(NamedTuple):
    a: int
    license: str
    term: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class UseCategoryRow(NamedTuple):
    a: int
    category: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class LacksRow(NamedTuple):
    a: int
    profile: str
    item: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class MeetsRow(NamedTuple):
    a: int
    profile: str
    item: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class ChosenRow(NamedTuple):
    a: int
    choice: int

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class OutboundRow(NamedTuple):
    a: int
    license: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class OutboundRequirementRow(NamedTuple):
    a: int
    license: str
    term: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class PositionHoldingRow(NamedTuple):
    position: str
    relation: str
    holding: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class NoFilesRow(NamedTuple):
    a: int

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class KeptFilesRow(NamedTuple):
    a: int
    distribution: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class UncheckedRow(NamedTuple):
    term: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class RemovedRow(NamedTuple):
    a: int

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class ChangedRow(NamedTuple):
    a: int

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class RaisesRow(NamedTuple):
    rule: str

    def __repr__(self) -> str:
        return tuple.__repr__(self)


class FixedRow(NamedTuple):
    k: int

    def __repr__(self) -> str:
        return tuple.__repr__(self)


# How a row of each derived predicate is made from its values.
ROWS: dict[str, Callable[[Iterable[Term]], tuple[Term, ...]]] = {
    "finding": FindingRow,
    "because": BecauseRow,
    "carries": CarriesRow._make,
    "via": ViaRow._make,
    "follows_newest": FollowsNewestRow._make,
    "newest_via": NewestViaRow._make,
    "inherited": InheritedRow._make,
    "obligation_status": ObligationStatusRow._make,
    "status_basis": StatusBasisRow._make,
    "untriggered": UntriggeredRow._make,
    "embodies": EmbodiesRow._make,
    "adapts": AdaptsRow._make,
    "use_category": UseCategoryRow._make,
    "lacks": LacksRow._make,
    "meets": MeetsRow._make,
    "chosen": ChosenRow._make,
    "outbound": OutboundRow._make,
    "outbound_requirement": OutboundRequirementRow._make,
    "position_holding": PositionHoldingRow._make,
    "no_files": NoFilesRow._make,
    "kept_files": KeptFilesRow._make,
    "unchecked": UncheckedRow._make,
    "removed": RemovedRow._make,
    "changed": ChangedRow._make,
    "raises": RaisesRow._make,
    "fixed": FixedRow._make,
}


class Atoms(defaultdict[str, list[tuple[Term, ...]]]):
    """Rows by predicate name, as the engines return them; typed by attribute for each derived predicate."""

    @property
    def finding(self) -> list[FindingRow]:
        return cast(list[FindingRow], self.get("finding", []))

    @property
    def because(self) -> list[BecauseRow]:
        return cast(list[BecauseRow], self.get("because", []))

    @property
    def carries(self) -> list[CarriesRow]:
        return cast(list[CarriesRow], self.get("carries", []))

    @property
    def via(self) -> list[ViaRow]:
        return cast(list[ViaRow], self.get("via", []))

    @property
    def follows_newest(self) -> list[FollowsNewestRow]:
        return cast(list[FollowsNewestRow], self.get("follows_newest", []))

    @property
    def newest_via(self) -> list[NewestViaRow]:
        return cast(list[NewestViaRow], self.get("newest_via", []))

    @property
    def inherited(self) -> list[InheritedRow]:
        return cast(list[InheritedRow], self.get("inherited", []))

    @property
    def obligation_status(self) -> list[ObligationStatusRow]:
        return cast(list[ObligationStatusRow], self.get("obligation_status", []))

    @property
    def status_basis(self) -> list[StatusBasisRow]:
        return cast(list[StatusBasisRow], self.get("status_basis", []))

    @property
    def untriggered(self) -> list[UntriggeredRow]:
        return cast(list[UntriggeredRow], self.get("untriggered", []))

    @property
    def embodies(self) -> list[EmbodiesRow]:
        return cast(list[EmbodiesRow], self.get("embodies", []))

    @property
    def adapts(self) -> list[AdaptsRow]:
        return cast(list[AdaptsRow], self.get("adapts", []))

    @property
    def use_category(self) -> list[UseCategoryRow]:
        return cast(list[UseCategoryRow], self.get("use_category", []))

    @property
    def lacks(self) -> list[LacksRow]:
        return cast(list[LacksRow], self.get("lacks", []))

    @property
    def meets(self) -> list[MeetsRow]:
        return cast(list[MeetsRow], self.get("meets", []))

    @property
    def chosen(self) -> list[ChosenRow]:
        return cast(list[ChosenRow], self.get("chosen", []))

    @property
    def outbound(self) -> list[OutboundRow]:
        return cast(list[OutboundRow], self.get("outbound", []))

    @property
    def outbound_requirement(self) -> list[OutboundRequirementRow]:
        return cast(list[OutboundRequirementRow], self.get("outbound_requirement", []))

    @property
    def position_holding(self) -> list[PositionHoldingRow]:
        return cast(list[PositionHoldingRow], self.get("position_holding", []))

    @property
    def no_files(self) -> list[NoFilesRow]:
        return cast(list[NoFilesRow], self.get("no_files", []))

    @property
    def kept_files(self) -> list[KeptFilesRow]:
        return cast(list[KeptFilesRow], self.get("kept_files", []))

    @property
    def unchecked(self) -> list[UncheckedRow]:
        return cast(list[UncheckedRow], self.get("unchecked", []))

    @property
    def removed(self) -> list[RemovedRow]:
        return cast(list[RemovedRow], self.get("removed", []))

    @property
    def changed(self) -> list[ChangedRow]:
        return cast(list[ChangedRow], self.get("changed", []))

    @property
    def raises(self) -> list[RaisesRow]:
        return cast(list[RaisesRow], self.get("raises", []))

    @property
    def fixed(self) -> list[FixedRow]:
        return cast(list[FixedRow], self.get("fixed", []))
