"""XML from untrusted manifests through lxml with entity resolution, DTD loading and network off.

A document that declares a DOCTYPE, wherever it stands before the root element, is refused outright:
no manifest format mlaudit reads needs a DTD, and its entities are how entity-expansion and
external-entity attacks work. The parser itself reports the DOCTYPE, so no comment or encoding
can hide it from the test.
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
    if _declares_doctype(data):
        raise XMLRefused(
            "refused",
            "XML declares a DOCTYPE; refused (no manifest format uses a DTD, and entities or an external "
            "DTD are never resolved)",
        )
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise XMLRefused("malformed", f"invalid XML: {exc.msg}", exc.lineno) from None
    if root is None:
        raise XMLRefused("malformed", "empty XML document")
    return root


class _Prolog(Exception):
    """Raised by _Sniffer to stop parsing as soon as the prolog is over; `doctype` is what ended it."""

    def __init__(self, doctype: bool) -> None:
        super().__init__()
        self.doctype = doctype


class _Sniffer:
    """A parser target that stops at the DOCTYPE or the root element, whichever comes first, so no
    entity declared in a DTD is ever expanded and the test reads no further than the prolog."""

    def doctype(self, *_: object) -> None:
        raise _Prolog(True)

    def start(self, *_: object) -> None:
        raise _Prolog(False)

    def close(self) -> None:
        return None


def _declares_doctype(data: bytes) -> bool:
    """Whether the parser meets a DOCTYPE before the root element; malformed XML is left to the full
    parse to report."""
    target = _Sniffer()  # lxml calls only the callbacks a target has; the stubs want them all
    sniffer = etree.XMLParser(target=target, resolve_entities=False, no_network=True, load_dtd=False)  # type: ignore[arg-type]
    try:
        etree.fromstring(data, sniffer)
    except _Prolog as stop:
        return stop.doctype
    except etree.XMLSyntaxError:
        return False
    return False


def as_utf8(element: etree._Element) -> bytes:
    """The parsed element written out as UTF-8, for parsers given bytes that read no other encoding
    (rdflib): a UTF-16 or UTF-32 document reaches them decoded, and its DOCTYPE already refused."""
    return etree.tostring(element, encoding="utf-8")


def line_of(element: etree._Element) -> int | None:
    """The line an element starts on (lxml-stubs leave `sourceline` untyped)."""
    line: int | None = getattr(element, "sourceline", None)
    return line


def attributes(element: etree._Element) -> list[tuple[str, str]]:
    """An element's attributes (qualified name, value) in one pass: lxml's `attrib.items()` looks
    each value up by name along the attribute list, quadratic in a hostile element's thousands."""
    values = element.xpath("@*")
    found = (
        [value for value in values if isinstance(value, etree._ElementUnicodeResult)]
        if isinstance(values, list)
        else []
    )
    return [(value.attrname, str(value)) for value in found if isinstance(value.attrname, str)]
