"""Locate the rule base and the report templates, installed or in a checkout.

A wheel carries them under auditor/_data/ (see pyproject.toml); a checkout or an editable install
has them at the top level of the project, beside the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(installed: str, checkout: str) -> Path:
    for candidate in (_PACKAGE / "_data" / installed, _PACKAGE.parent / checkout):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"mlaudit data folder {checkout!r} is missing from this installation")


@cache
def rules_dir() -> Path:
    return _find("rules", "rules")


@cache
def templates_dir() -> Path:
    return _find("templates", "reports/templates")


def schema_path(name: str = "report") -> Path:
    """The JSON Schema of a file mlaudit writes and reads back: report or snapshot."""
    return _PACKAGE / f"{name}.schema.json"
