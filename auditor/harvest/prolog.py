"""The head of an XML, YAML or SPDX tag-value file past what may stand before its content.

A reader recognises its format by markers in the file's first 4 KB (sniff.HEAD_BYTES). A licence
header of comments is common and legal before a manifest's root element or first key, and so are
processing instructions and, in XML, any number of attributes before the root's namespace
declarations: each can push the markers past the head. So the comments, processing instructions
and blank lines at the start of such a file are passed over, and the root element's start tag is
cut to its name and namespace declarations, within the file's first LIMIT bytes: a file whose
content does not start by then is reported (sniff.unrecognised), never skipped. Linear: each
character is looked at once, by patterns that cannot backtrack.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from auditor.readers.text import encoding_of

LIMIT = 1024 * 1024  # bytes read to find where the content starts
XML_SUFFIXES = (".xml", ".rdf")
HASH_SUFFIXES = (".yml", ".yaml", ".spdx", ".tag")  # formats whose comments are lines opened by '#'
_XML_PROLOG = re.compile(r"(?:\s|<\?(?:[^?]|\?(?!>))*\?>|<!--(?:[^-]|-(?!->))*-->)*")
_HASH_COMMENTS = re.compile(r"(?:[ \t]*#[^\n]*(?:\n|\Z)|[ \t]*\n)*")
_START_TAG = re.compile(r"<[\w.:-]+")
_ATTRIBUTE = re.compile(r"\s+([\w.:-]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_TAG_END = re.compile(r"\s*/?>")


class Later(NamedTuple):
    """What follows a file's leading comments: `head` from its content on (a root start tag cut to
    its name and namespaces), or `cut`: the file goes on past LIMIT before its content starts."""

    head: bytes
    cut: bool


def later_head(path: Path, head_bytes: int) -> Later | None:
    """The head past the leading comments of an XML, YAML or tag-value file, None for another file
    (or one no longer readable)."""
    name = path.name.lower()
    if not name.endswith(XML_SUFFIXES + HASH_SUFFIXES):
        return None
    try:
        with open(path, "rb") as fh:
            data = fh.read(LIMIT + head_bytes)
    except OSError:  # its head was read a moment ago: it is judged by that head alone
        return None
    text = data.decode(encoding_of(data), "replace").lstrip("\ufeff")
    whole = len(data) < LIMIT + head_bytes
    if name.endswith(HASH_SUFFIXES):
        start = _HASH_COMMENTS.match(text)
        at = start.end() if start else 0
        return Later(_encoded(text[at:], head_bytes), cut=not whole and at >= len(text) - head_bytes)
    return _past_xml_prolog(text, whole, head_bytes)


def _past_xml_prolog(text: str, whole: bool, head_bytes: int) -> Later:
    """The XML from its root element on, the root's start tag cut to its name and namespaces;
    `whole`: the text is the whole file, so that nothing in it is cut short."""
    prolog = _XML_PROLOG.match(text)
    at = prolog.end() if prolog else 0
    tag = _START_TAG.match(text, at)
    if tag is None:  # a comment not closed in the text read, a DOCTYPE, or no XML: for the reader to tell
        unclosed = text.startswith(("<!--", "<?"), at) or at >= len(text) - head_bytes
        return Later(_encoded(text[at:], head_bytes), cut=not whole and unclosed)
    kept = [tag.group()]
    position = tag.end()
    while attribute := _ATTRIBUTE.match(text, position):
        if attribute.group(1).startswith("xmlns"):
            kept.append(f"{attribute.group(1)}={attribute.group(2)}")
        position = attribute.end()
    closed = _TAG_END.match(text, position)
    rest = text[closed.end() :] if closed else text[position:]
    cut = closed is None and not whole and position >= len(text) - head_bytes
    return Later(_encoded(" ".join(kept) + ">" + rest, head_bytes), cut)


def _encoded(text: str, head_bytes: int) -> bytes:
    return text.encode("utf-8")[:head_bytes]
