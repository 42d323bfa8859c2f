"""report.json: the report document, serialised deterministically."""

from __future__ import annotations

import json


def render(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
