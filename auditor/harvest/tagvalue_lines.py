"""Line checks of SPDX 2 tag-value text for what spdx-tools' lexer reads wrongly without a word: a
`<text>` never closed swallows the rest of the document into one value, and a line with no tag before
its colon ends in a Python KeyError naming no line."""

from __future__ import annotations


def broken(text: str) -> tuple[str, int] | None:
    """The first such problem of `text` and its line, or None."""
    opened = 0  # the line where the open <text> value starts
    for number, line in enumerate(text.split("\n"), 1):
        if opened:
            opened = 0 if "</text>" in line else opened
            continue
        tag, colon, value = line.partition(":")
        if colon and not tag.strip():
            return f"line {number} has no tag before its ':' (a line is 'Tag: value')", number
        opened = number if "<text>" in value and "</text>" not in value.split("<text>", 1)[1] else 0
    if opened:
        return (
            f"the <text> value starting on line {opened} is never closed with </text>; nothing after it is read",
            opened,
        )
    return None
