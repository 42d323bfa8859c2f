"""The format registry is complete: every reader is registered and declares its format fully, and
the stages that treat formats differently take their lists from it."""

from __future__ import annotations

import importlib
import pkgutil

import auditor.harvest
from auditor import graph, provenance
from auditor.harvest import registry

DECLARED = {"FORMAT": str, "RANK": int, "PINNABLE": bool, "HUB_LAYOUT": bool}


def _harvest_modules():
    for info in pkgutil.iter_modules(auditor.harvest.__path__):
        yield importlib.import_module(f"auditor.harvest.{info.name}")


def test_every_reader_module_is_registered():
    readers = [m for m in _harvest_modules() if hasattr(m, "FORMAT") or hasattr(m, "detect")]
    assert readers, "no reader module found under auditor/harvest"
    for module in readers:
        assert module in registry.FORMATS, f"{module.__name__} declares a format but is not in registry.READERS"


def test_every_format_declares_every_attribute():
    for module in registry.FORMATS:
        for name, kind in DECLARED.items():
            assert type(getattr(module, name, None)) is kind, f"{module.__name__}.{name} should be a {kind.__name__}"
    for module in registry.READERS:
        assert callable(module.detect) and callable(module.read), module.__name__


def test_formats_and_ranks_are_distinct():
    assert len({f.FORMAT for f in registry.FORMATS}) == len(registry.FORMATS)
    assert len({f.RANK for f in registry.FORMATS}) == len(registry.FORMATS)


def test_the_stages_take_their_format_lists_from_the_registry():
    assert graph.FORMAT_ORDER is registry.FORMAT_ORDER
    assert set(graph.FORMAT_ORDER) == {f.FORMAT for f in registry.FORMATS}
    assert graph.HUB_LAYOUT is registry.HUB_LAYOUT
    assert provenance.PINNABLE is registry.PINNABLE
    assert provenance.HUB_LAYOUT is registry.HUB_LAYOUT
    assert graph.FORMAT_ORDER[0] == "hf-card"  # a card outranks every manifest
