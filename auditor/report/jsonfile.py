"""report.json: the report document, serialised deterministically.

Compact (no indentation) so that the C encoder writes it: a 100k-asset report is written in a
fraction of the time pretty-printing takes (and, the document being a tree, without the check for
cycles). `python -m json.tool report.json` indents it.
"""

from __future__ import annotations

import json

from auditor.parsed import JSONObject


def render(document: JSONObject) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), check_circular=False) + "\n"
