"""Python's cyclic collector paused during a run (audit.no_cycle_collection): what the run leaves
behind is collected unless the process ends with it, so a process that audits many releases does
not keep every run's cycles for ever."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Iterator

import pytest
from conftest import FIXTURES, RB

from auditor import audit


class _Node:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.itself = self


def _cycle() -> weakref.ref[_Node]:
    return weakref.ref(_Node())


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    """Each test starts and ends with nothing frozen, so one test's survivors are not another's."""
    gc.unfreeze()
    gc.collect()
    yield
    gc.unfreeze()
    gc.collect()


def test_a_runs_cycles_are_collected_on_the_way_out_and_nothing_older_is_scanned():
    """Only the youngest generation is collected, the run's objects: a long process's heap (a test
    suite's) scanned at the end of every audit made the suite several times slower."""
    collected: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        collected.extend([info["generation"]] if phase == "start" else [])

    with audit.no_cycle_collection():
        made = _cycle()
        gc.callbacks.append(seen)
    gc.callbacks.remove(seen)
    assert made() is None and collected == [0]
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_the_survivors_are_frozen_when_the_process_ends_with_the_run():
    with audit.no_cycle_collection(process_ends=True):
        made = _cycle()
    assert made() is not None and gc.get_freeze_count() > 0 and gc.isenabled()


def test_a_large_runs_survivors_are_frozen_not_scanned(monkeypatch):
    monkeypatch.setattr(audit, "FREEZE_ABOVE", 1_000)
    with audit.no_cycle_collection():
        made, kept = _cycle(), [[] for _ in range(2_000)]
    assert made() is not None and gc.get_freeze_count() >= len(kept)


def test_an_inner_pause_leaves_the_collector_to_the_outer_one():
    with audit.no_cycle_collection():
        with audit.no_cycle_collection(process_ends=True):
            made = _cycle()
        assert made() is not None and not gc.isenabled() and gc.get_freeze_count() == 0
    assert made() is None and gc.isenabled()


def test_repeated_pydatalog_audits_do_not_grow_the_heap():
    """pyDatalog's state is cyclic: when it was frozen, every audit kept about 260,000 blocks."""
    folder = FIXTURES / "formats" / "spdx2"
    blocks = []
    for _ in range(3):
        audit.run(folder, rb=RB, engine="pydatalog")
        gc.collect()  # a frozen object would survive even this
        blocks.append(sys.getallocatedblocks())
    assert blocks[2] - blocks[1] < 20_000, blocks
