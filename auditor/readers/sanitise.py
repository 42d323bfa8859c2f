"""Untrusted text made safe to show: the one place that decides what of a manifest's characters
reaches a terminal, a one-line output or a page.

A name or message read from a manifest may carry escape sequences (moving the cursor, retitling
the window), line breaks (turning one finding into two) or bidirectional controls (a right-to-left
override spoofing "exe.pdf"); none of them may act on the reader of a report.
"""

from __future__ import annotations

import re

# Replaced by U+FFFD on a page: C0 and C1 controls (tab, line feed and carriage return aside) are not
# allowed in HTML text, the line and paragraph separators would break a one-line field where a newline
# would not, and a lone surrogate cannot be encoded at all.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# Bidirectional controls are shown as what they are, e.g. ⟨U+202E⟩: an override would otherwise
# reverse the rest of the message it sits in, and a reviewer should see that a manifest carries one.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: str, unprintable: str = "") -> str:
    """One line of plain text: whitespace of any kind becomes a space, any other unprintable
    character (controls, format characters such as bidi overrides) becomes `unprintable`."""
    return "".join(c if c.isprintable() else " " if c.isspace() else unprintable for c in text)


def showable(text: str) -> str:
    """Text for a page, line breaks kept: controls become U+FFFD, bidi controls are spelled out."""
    return _BIDI.sub(lambda c: f"\u27e8U+{ord(c[0]):04X}\u27e9", _UNSHOWABLE.sub("\ufffd", text))
