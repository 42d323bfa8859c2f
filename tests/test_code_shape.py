"""The house rules that keep the code readable, checked so they hold: no module of auditor/ above
400 lines, no function above 40 (the predicate table is a class body, not a function)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import auditor

MODULES = sorted(Path(auditor.__file__).parent.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_modules_and_functions_stay_small(path):
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= 400, f"{path.name} has {text.count(chr(10))} lines; split it by concept"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 40
    ]
    assert not long, f"{path.name}: {', '.join(long)}"


def test_the_check_sees_every_module():
    assert len(MODULES) > 80 and any(p.name == "schema.py" for p in MODULES)
