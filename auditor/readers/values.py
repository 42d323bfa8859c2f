"""Values read from untrusted files, as messages and statements show them.

`JSON` names data parsed from a manifest whose shape is not yet checked (the readers check it
where they use it); `shorten` bounds what a statement or message repeats of a value, and
`type_name` says what a value is when it is not what a field should hold.
"""

from __future__ import annotations

from auditor.parsed import JSON as JSON  # the readers name parsed data the one way

MAX_VALUE = 200  # characters of a value kept in a statement or message

# JSON type -> its name in JSON's terms, and with its article
_TYPES: dict[type, tuple[str, str]] = {
    dict: ("object", "an object"),
    list: ("array", "an array"),
    str: ("string", "a string"),
    bool: ("boolean", "a boolean"),
    int: ("number", "a number"),
    float: ("number", "a number"),
    type(None): ("null", "null"),
}


def shorten(value: object, limit: int = MAX_VALUE) -> str:
    """`value` as text of at most `limit` characters, an ellipsis marking a cut."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shorten_line(text: str, limit: int = MAX_VALUE) -> str:
    """`text` on one line (whitespace collapsed), shortened."""
    return shorten(" ".join(text.split()), limit)


def type_name(value: JSON, array: str = "array") -> str:
    """What a JSON value is, for messages: 'object', 'array' (or as `array` says: the SPDX and
    schema.org readers say 'list'), 'string'...; a value of another type by its Python name."""
    if type(value) is list:
        return array
    names = _TYPES.get(type(value))
    return type(value).__name__ if names is None else names[0]


def a_type(value: JSON) -> str:
    """What a JSON value is, with its article: 'an object', 'an array', 'a string'..."""
    return a_type_named(type(value))


def a_type_named(kind: type) -> str:
    """The JSON name of a Python type with its article, as `a_type` says it."""
    names = _TYPES.get(kind)
    return kind.__name__ if names is None else names[1]


def object_at(node: dict[str, JSON], key: str) -> dict[str, JSON]:
    """The object under `key`, or an empty one when the field is missing or not an object."""
    value = node.get(key)
    return value if isinstance(value, dict) else {}
