"""XML from untrusted manifests through lxml with entity resolution, DTD loading and network off.

A document that declares a DOCTYPE with entities is refused outright: no manifest format mlaudit
reads needs them, and they are how entity-expansion and external-entity attacks work.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from auditor.readers.text import ReadRefused, read_bounded

MAX_XML_BYTES = 64 * 1024 * 1024


class XMLRefused(ValueError):
    """The file is not XML mlaudit will read; `code` is malformed or refused."""

    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.code, self.line = code, line


def parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def load(path: Path, limit: int = MAX_XML_BYTES) -> etree._Element:
    try:
        data = read_bounded(path, limit, "XML manifests")
    except ReadRefused as exc:
        raise XMLRefused("refused" if exc.code == "too-large" else "malformed", str(exc)) from None
    return loads(data)


def loads(data: bytes) -> etree._Element:
    head = data[:4096].upper()
    if b"<!DOCTYPE" in head and (b"<!ENTITY" in data.upper() or b"SYSTEM" in head or b"PUBLIC" in head):
        raise XMLRefused(
            "refused",
            "XML declares a DOCTYPE with entities or an external DTD; refused "
            "(entity expansion and external entities are never resolved)",
        )
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise XMLRefused("malformed", f"invalid XML: {exc.msg}", exc.lineno) from None
    if root is None:
        raise XMLRefused("malformed", "empty XML document")
    return root


def line_of(element: etree._Element) -> int | None:
    """The line an element starts on (lxml-stubs leave `sourceline` untyped)."""
    line: int | None = getattr(element, "sourceline", None)
    return line
