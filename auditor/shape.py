"""The shape of a JSON file mlaudit reads back (report.json, a harvest snapshot), checked against
the JSON Schema it ships, so that a file of the wrong shape is refused with its first problem named
rather than failing deep in the code that reads it."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING

from auditor.parsed import JSON
from auditor.readers.sanitise import plain
from auditor.readers.values import shorten
from auditor.resources import schema_path

SHOWN = 60  # characters of a value a message quotes

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def problem(document: JSON, schema: str) -> str | None:
    """Where `document` first breaks the named schema (a JSON pointer) and what was expected there."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator(schema).iter_errors(document))
    if error is None:
        return None
    pointer = "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in error.absolute_path) or "/"
    return f"at {plain(shorten(pointer, SHOWN))}: {_expected(error)}"


@cache
def _validator(schema: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(schema_path(schema).read_text(encoding="utf-8")))


def _expected(error: ValidationError) -> str:
    """What the schema asked for, and what was found, in words (never a Python repr)."""
    # set on every error iter_errors yields (the stubs allow `Unset` for errors built by hand)
    rule = str(error.validator)
    value: JSON = error.validator_value
    found: JSON = error.instance
    schema: JSON = error.schema
    if rule == "required":
        return f"the key {next(k for k in value if k not in found)!r} is missing"
    if rule == "additionalProperties":
        extra = next(k for k in found if k not in schema.get("properties", {}))
        return f"the key {plain(shorten(extra, SHOWN))!r} is not expected"
    wanted = {
        "type": lambda: " or ".join(_NAMES[t] for t in ([value] if isinstance(value, str) else value)),
        "enum": lambda: "one of " + ", ".join(json.dumps(v) for v in value),
        "const": lambda: json.dumps(value),
        "pattern": lambda: f"a string matching {value}",
    }.get(rule, lambda: f"{rule} {shorten(json.dumps(value), SHOWN)}")()
    return f"expected {wanted}, found {_found(found)}"


def _found(instance: JSON) -> str:
    if isinstance(instance, (dict, list)):
        return _NAMES["object" if isinstance(instance, dict) else "array"]
    return plain(shorten(json.dumps(instance, ensure_ascii=False), SHOWN))
