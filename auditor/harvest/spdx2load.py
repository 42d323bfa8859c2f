"""Loading SPDX 2 documents: every serialization parsed within bounds and handed to spdx-tools.

Untrusted bytes never reach spdx-tools' own file readers: JSON goes through safejson, XML and RDF/XML
through safexml (no DOCTYPE entities, no network), YAML through a loader with a node budget, and only
the parsed data is handed over. spdx-tools rewrites license expressions as it parses them, so the raw
strings and the line of every element are taken here from the text (RDF/XML has no expression
strings: there spdx-tools' rendering is used).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import yaml

from auditor.harvest import tagvalue_lines
from auditor.harvest.spdx import shape
from auditor.readers import safejson, safexml, safeyaml
from auditor.readers.safexml import line_of
from auditor.readers.text import decode, id_lines, read_text
from auditor.readers.values import JSON, shorten_line

P = ParamSpec("P")
T = TypeVar("T")
if TYPE_CHECKING:
    from lxml import etree
    from rdflib import Graph
    from spdx_tools.spdx.model.document import Document

    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when PyYAML has it

MAX_BYTES = 32 * 1024 * 1024
MAX_YAML_NODES = 1_000_000
MAX_MESSAGES = 50

_ELEMENT_LISTS = (
    "packages",
    "files",
    "snippets",
    "relationships",
    "annotations",
    "hasExtractedLicensingInfos",
    "externalDocumentRefs",
)
_NESTED_LISTS = ("checksums", "externalRefs", "annotations", "ranges")
_NESTED_OBJECTS = ("packageVerificationCode", "checksum")
_RDF_ROOT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
_LICENSE_FIELDS = ("licenseDeclared", "licenseConcluded")
# The fields stating a package's license or lineage: a key given twice inside one leaves them unknown.
TERMS_FIELDS = frozenset({*_LICENSE_FIELDS, "hasExtractedLicensingInfos", "relationships", "documentDescribes"})
_TAG_FIELDS = {"PackageLicenseDeclared": "licenseDeclared", "PackageLicenseConcluded": "licenseConcluded"}
_MESSAGE_LINE = re.compile(r"\b[Ll]ine:? (\d+)")
# Where an element is declared: JSON, YAML, tag-value and XML SPDXID fields, RDF/XML rdf:about.
_ID_LINE = re.compile(
    r"""(?:"SPDXID"\s*:\s*"|SPDXID\s*:\s*["']?|<SPDXID>\s*|about=["'][^"'#]*#)"""
    r"(SPDXRef-[A-Za-z0-9.\-+]+)"
)
# spdx-tools' sentences that name its own model rather than the document, as the document says it.
_UNANALYSED = "the package says its files were not analyzed (FilesAnalyzed: false)"
_SENTENCES = [
    (re.compile(pattern, re.S), sentence)
    for pattern, sentence in (
        (
            r"^package must contain no elements if files_analyzed is False, but found (.*)$",
            _UNANALYSED + r", yet the document puts files in it: \1",
        ),
        (
            r"^(\w+) must be None if files_analyzed is False, but is: (.*)$",
            _UNANALYSED + r", so it must not give \1; it gives \2",
        ),
        (r"^(.*) is not supported in SPDX-2\.2$", r"\1 is not part of SPDX 2.2 (declare SPDX-2.3 or leave it out)"),
        (
            r'^did not find the referenced spdx_id "([^"]*)" in the SPDX document(.*)$',
            r"no element of the document has the SPDX id \1 named here",
        ),
        (
            r"Error while constructing (\w+): \w+\.__init__\(\) missing \d+ required positional arguments?: ([^\n]*)$",
            r"an element of type \1 lacks fields it needs: \2",
        ),
    )
]
# Python reprs of spdx-tools and license-expression objects, as SPDX writes those values.
_REPRS = [
    (re.compile(pattern), spelled)
    for pattern, spelled in (
        (
            r"Relationship\(spdx_element_id='([^']*)', relationship_type=<\w+\.(\w+): \d+>, "
            r"related_spdx_element_id='([^']*)'[^()]*\)",
            r"\1 \2 \3",
        ),
        (r"LicenseSymbol\('([^']*)'[^()]*(?:\([^()]*\)[^()]*)?\)", r"\1"),
        (r"LicenseWithExceptionSymbol\(license_symbol=([^,()]*), exception_symbol=([^,()]*)\)", r"\1 WITH \2"),
        (r"SpdxNoAssertion\(\)", "NOASSERTION"),
        (r"SpdxNone\(\)", "NONE"),
        (r"<\w+\.(\w+): [^<>]*>", r"\1"),  # an enum's repr: <RelationshipType.CONTAINED_BY: 5>
        (r"\b[A-Z]\w*(?:Type|Algorithm|Category|Purpose)\.(\w+)", r"\1"),  # its str: ChecksumAlgorithm.SHA256
        (r"\[([^\[\]]*)\]", lambda m: ", ".join(i.strip("'\"") for i in m.group(1).split(", "))),  # ['a', 'b']
        (r"\bNone\b", "nothing"),
    )
]
_FIELD = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # license_info_from_files


class Unreadable(Exception):
    """The file cannot be read as an SPDX 2 document; `problems` say why."""

    def __init__(self, problems: list[tuple[str, str, int | None]]):
        super().__init__(problems[0][1])
        self.problems = problems


@dataclass
class Loaded:
    """A parsed document, with what spdx-tools does not keep: raw license strings and lines."""

    document: Document
    raw: dict[str, dict[str, tuple[str, int | None]]] = field(default_factory=dict)  # id -> field -> (text, line)
    lines: dict[str, int] = field(default_factory=dict)  # element id -> line where it is declared
    relationship_lines: dict[tuple[str, str, str], int] = field(default_factory=dict)
    twice: list[tuple[str, int | None]] = field(default_factory=list)  # (pointer, line) of keys given twice


def load(path: Path, serialization: str) -> Loaded:
    if serialization == "tag":
        return _load_tagvalue(_text(path))
    if serialization == "yaml":
        text = _text(path)
        twice: list[tuple[str, int | None]] = []
        return _from_dict(_yaml(text, twice), text, twice)
    data = _bytes(path)
    text = decode(data, "replace")
    if serialization == "json":
        found: list[safejson.Where] = []
        try:
            value = safejson.loads(data, found)
        except safejson.JSONRefused as exc:
            raise Unreadable([(exc.code, str(exc), exc.line)]) from None
        return _from_dict(value, text, [(safejson.dotted(at), None) for at in found])
    try:
        root = safexml.loads(data)
    except safexml.XMLRefused as exc:
        raise Unreadable([(exc.code, str(exc), exc.line)]) from None
    if root.tag == _RDF_ROOT:
        return _load_rdf(safexml.as_utf8(root), text)
    if root.tag != "Document":
        raise Unreadable(
            [
                (
                    "malformed",
                    f"XML root element is <{root.tag}>, expected <Document> (SPDX XML) or <rdf:RDF> (SPDX RDF/XML)",
                    line_of(root),
                )
            ]
        )
    return _from_dict(_xml_dict(root), text)


def _bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            over = f"file is {size / 1048576:.1f} MB, over the {MAX_BYTES // 1048576} MB limit for SPDX documents"
            raise Unreadable([("refused", over, None)])
        return path.read_bytes()
    except OSError as exc:
        raise Unreadable([("malformed", f"cannot read file: {exc.strerror or exc}", None)]) from None


def _text(path: Path) -> str:
    text, error = read_text(path)
    if error:
        raise Unreadable([(error[0], error[1], None)])
    return text


def _parsed(parse: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run an spdx-tools parser; its complaints make the file unreadable, one problem per message."""
    from spdx_tools.spdx.parser.error import SPDXParsingError

    try:
        return parse(*args, **kwargs)
    except SPDXParsingError as exc:
        messages = list(dict.fromkeys(exc.get_messages())) or ["no details given"]  # type: ignore[no-untyped-call]  # spdx-tools leaves it unannotated
        raise Unreadable(
            [
                ("malformed", f"not a valid SPDX 2 document: {shorten_line(plain(m), 300)}", _line_in(m))
                for m in messages[:MAX_MESSAGES]
            ]
        ) from None
    except (Exception, SystemExit) as exc:  # untrusted shapes spdx-tools does not expect (it may even exit)
        raise Unreadable(
            [
                (
                    "malformed",
                    f"not a readable SPDX 2 document ({type(exc).__name__}: {shorten_line(plain(str(exc)), 300)})",
                    None,
                )
            ]
        ) from None


def plain(message: str) -> str:
    """An spdx-tools message in the user's words: its known sentences rephrased (_SENTENCES), then
    any Python repr left spelled as SPDX writes it (_REPRS) and field names as words. Linear: every
    pattern is anchored or stops at the next bracket or quote."""
    for pattern, sentence in _SENTENCES:
        message = pattern.sub(sentence, message)
    for pattern, spelled in _REPRS:
        message = pattern.sub(spelled, message)
    return _FIELD.sub(lambda m: m.group(0).replace("_", " "), message)


def _line_in(message: str) -> int | None:
    """The line a tag-value parser message names, if it names one."""
    found = _MESSAGE_LINE.search(message)
    return int(found.group(1)) if found else None


def _from_dict(data: JSON, text: str, twice: list[tuple[str, int | None]] | None = None) -> Loaded:
    """JSON, YAML and XML: spdx-tools' dictionary parser, raw license strings from the same dictionary."""
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

    if not isinstance(data, dict):
        raise Unreadable([("malformed", f"an SPDX document should be an object, found {shape(data)}", None)])
    _check_lists(data)
    document = _parsed(JsonLikeDictParser().parse, data)  # type: ignore[no-untyped-call]  # spdx-tools leaves it unannotated
    lines = id_lines(_ID_LINE, text)
    raw = {}
    for package in data.get("packages") or []:
        if isinstance(package, dict) and isinstance(package.get("SPDXID"), str):
            pid = package["SPDXID"]
            raw[pid] = {f: (package[f], lines.get(pid)) for f in _LICENSE_FIELDS if isinstance(package.get(f), str)}
    return Loaded(document, raw, lines, twice=twice or [])


def _check_lists(data: dict[str, JSON]) -> None:
    """Lists of elements must hold objects: spdx-tools assumes so without checking, and then fails
    with an AttributeError instead of a message naming the field."""
    found = []
    if "creationInfo" in data and not isinstance(data["creationInfo"], dict):
        found.append(f"'creationInfo' should be an object, found {shape(data['creationInfo'])}")
    for name in _ELEMENT_LISTS:
        for i, element in _objects(data, name, name, found):
            for field_name in _NESTED_LISTS:
                _objects(element, field_name, f"{name}[{i}].{field_name}", found)
            for field_name in _NESTED_OBJECTS:
                if field_name in element and (not isinstance(element[field_name], dict) or not element[field_name]):
                    found.append(_not_object(f"{name}[{i}].{field_name}", element[field_name]))
    if found:
        raise Unreadable([("malformed", message, None) for message in found[:MAX_MESSAGES]])


def _objects(data: dict[str, JSON], key: str, path: str, found: list[str]) -> list[tuple[int, dict[str, JSON]]]:
    """The objects of the list data[key] (absent: none); what is not a list of objects goes to `found`.
    An empty object too: spdx-tools makes it a None its type check finds or misses by the hash seed."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        found.append(f"'{path}' should be a list of objects, found {shape(value)}")
        return []
    found += [_not_object(f"{path}[{i}]", v) for i, v in enumerate(value) if not isinstance(v, dict) or not v]
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict) and v]


def _not_object(path: str, value: JSON) -> str:
    """Why `value` at `path` is not an object with fields, as _check_lists reports it."""
    return f"'{path}' is an empty object" if value == {} else f"'{path}' should be an object, found {shape(value)}"


class _YAMLLoader(_SafeLoader):
    """Safe YAML whose dates and decimals stay as written: spdx-tools wants text for dates and versions."""


def _as_written(loader: _YAMLLoader, node: yaml.Node) -> JSON:
    return loader.construct_scalar(node)  # type: ignore[arg-type]  # only scalar tags are routed here


for _tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"):
    _YAMLLoader.add_constructor(_tag, _as_written)


def _yaml(text: str, twice: list[tuple[str, int | None]]) -> JSON:
    try:
        node = safeyaml.compose(text, _YAMLLoader, MAX_YAML_NODES)
        if node is None:
            raise Unreadable([("malformed", "empty YAML document", None)])
        twice.extend(safeyaml.keys_twice(node))
        return _YAMLLoader("").construct_document(node)
    except safeyaml.Refused as exc:
        raise Unreadable([("refused", str(exc), exc.line)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise Unreadable(
            [("malformed", f"invalid YAML: {exc.problem or exc.context}", mark.line + 1 if mark else None)]
        ) from None
    except yaml.YAMLError as exc:
        raise Unreadable([("malformed", f"invalid YAML: {safeyaml.said(exc)}", None)]) from None
    except ValueError as exc:
        raise Unreadable([("malformed", f"invalid YAML: {exc}", None)]) from None


def _xml_dict(element: etree._Element) -> JSON:
    """An XML element as the dictionary spdx-tools' XML reader builds (xmltodict shape, list fields as lists)."""
    from spdx_tools.spdx.parser.xml.xml_parser import LIST_LIKE_FIELDS

    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        return element.text
    result: dict[str, JSON] = {}
    for child in children:
        value = _xml_dict(child)
        if child.tag in result:
            if not isinstance(result[child.tag], list):
                result[child.tag] = [result[child.tag]]
            result[child.tag].append(value)
        elif child.tag in LIST_LIKE_FIELDS:
            result[child.tag] = [value] if value else []
        else:
            result[child.tag] = value
    return result


def _load_rdf(data: bytes, text: str) -> Loaded:
    from rdflib import Graph
    from spdx_tools.spdx.parser.rdf.rdf_parser import translate_graph_to_document

    graph = _parsed(Graph().parse, data=data, format="xml")  # safexml has already refused any DOCTYPE
    _check_rdf_document(graph)
    return Loaded(_parsed(translate_graph_to_document, graph), {}, id_lines(_ID_LINE, text))


def _check_rdf_document(graph: Graph) -> None:
    """spdx-tools ends the whole process (sys.exit) when the RDF lacks one well-named SpdxDocument."""
    from rdflib import RDF
    from spdx_tools.spdx.rdfschema.namespace import SPDX_NAMESPACE

    documents = sorted(str(s) for s in set(graph.subjects(RDF.type, SPDX_NAMESPACE.SpdxDocument)))
    if len(documents) != 1:
        one = f"RDF/XML should describe exactly one spdx:SpdxDocument, found {len(documents)}"
        raise Unreadable([("malformed", one, None)])
    namespace, _, element = documents[0].partition("#")
    if not namespace or not element:
        uri = f"found '{shorten_line(documents[0], 200)}'"
        message = f"the spdx:SpdxDocument URI should be the document namespace, '#' and its SPDX id, {uri}"
        raise Unreadable([("malformed", message, None)])


def _load_tagvalue(text: str) -> Loaded:
    from ply import yacc  # type: ignore[import-untyped]  # ply ships no types
    from spdx_tools.common.spdx_licensing import spdx_licensing  # type: ignore[import-untyped]  # its package is untyped
    from spdx_tools.spdx.parser.tagvalue import parser as tagvalue

    # spdx-tools' tag-value parser builds a new license index (~50 ms) for every license field it
    # meets; the index spdx-tools built at import time is the same and serves them all.
    tagvalue.get_spdx_licensing = lambda: spdx_licensing  # type: ignore[attr-defined]  # patched on purpose, see above
    if broken := tagvalue_lines.broken(text):
        raise Unreadable([("malformed", *broken)])
    parser = _parsed(tagvalue.Parser, debug=False, errorlog=yacc.NullLogger())
    loaded = Loaded(_parsed(parser.parse, text))
    _scan_tagvalue(text, loaded)
    return loaded


def _scan_tagvalue(text: str, loaded: Loaded) -> None:
    """Lines of packages and relationships, and the license strings as written, from the tag-value text."""
    package: dict[str, JSON] | None = None
    in_text = False
    for number, line in enumerate(text.split("\n"), 1):
        if in_text:
            in_text = "</text>" not in line
            continue
        tag, _, value = line.partition(":")
        tag, value = tag.strip(), value.strip()
        in_text = "<text>" in value and "</text>" not in value
        if tag == "PackageName":
            package = {"line": number}
        elif tag in ("FileName", "SnippetSPDXID", "LicenseID"):
            package = None
        elif package is not None and tag == "SPDXID" and "id" not in package:
            package["id"] = value
            loaded.lines[value] = package["line"]
            loaded.raw[value] = package.setdefault("raw", {})
        elif package is not None and tag in _TAG_FIELDS:
            package.setdefault("raw", {})[_TAG_FIELDS[tag]] = (value, number)
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) >= 3:
                loaded.relationship_lines.setdefault((parts[0], parts[1], parts[2]), number)
