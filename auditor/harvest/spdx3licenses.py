"""SPDX 3 license relationships: hasDeclaredLicense and hasConcludedLicense, each license element
(listed, custom, an expression or a set of them) read as a license statement of its package."""

from __future__ import annotations

from collections.abc import Callable

from auditor.harvest import licensetext
from auditor.harvest.spdx import shape
from auditor.harvest.spdx3graph import MAX_NESTING, Graph, as_list, compact_name, own, short_name, text_value
from auditor.model import AssetRecord, Described, Evidence, LicenseStatement, Statement
from auditor.naming import asset_key
from auditor.readers.values import JSON, shorten_line
from auditor.vocabulary import ExportProperty

LICENSES = {"hasDeclaredLicense": "licenses", "hasConcludedLicense": "concluded"}
_NO_LICENSE = {"NoAssertionLicense": "NOASSERTION", "NoneLicense": "NONE"}
_OPENING = 160  # characters of an unnamed custom license's text that name it
# mlaudit's own properties of a declared license: as written, or "none declared"
_AS_WRITTEN = (
    ExportProperty.LICENSE,
    ExportProperty.LICENSE_NAME,
    ExportProperty.LICENSE_LINK,
    ExportProperty.DECLARED,
)


def licenses(
    pointer: str, element: dict[str, JSON], targets: JSON, record: AssetRecord, which: str, graph: Graph
) -> None:
    """hasDeclaredLicense / hasConcludedLicense: one statement per license the relationship names."""
    eid, kind = element.get("spdxId"), short_name(element.get("relationshipType"))
    properties = own(element)
    if which == "licenses" and any(key in properties for key in _AS_WRITTEN):  # as mlaudit's export wrote it
        if properties.get(ExportProperty.DECLARED) != "none":
            raw, name, link = (properties.get(key) for key in _AS_WRITTEN[:3])
            _add(record, which, LicenseStatement(raw, graph.evidence(graph.at(pointer, "to"), eid), name, link))
        return
    for i, target in targets:
        where = graph.at(pointer, "to", i)
        try:
            _add(record, which, _license(target, graph.evidence(where, eid), graph))
        except ValueError as exc:
            graph.bad(f"{kind} of {record.id}: {exc}", where, eid, asset_key(record.kind, record.id))


def _add(record: AssetRecord, which: str, statement: LicenseStatement) -> None:
    """The license; a declared one also as the statement that the package has a hasDeclaredLicense,
    which the SPDX 3 profiles ask for whether or not mlaudit knows the license it names."""
    getattr(record, which).append(statement)
    if which == "licenses":
        named = shorten_line(statement.raw or statement.name or statement.link or "a license")
        record.statements.append(Statement("hasDeclaredLicense", named, statement.evidence))


def _license(target: JSON, evidence: Evidence, graph: Graph) -> LicenseStatement:
    element = _element(target, graph)
    if element is not None and element.get("type") == "expandedlicensing_CustomLicense":
        return _custom(element, evidence, graph)
    return LicenseStatement(_expression(target, graph, 0), evidence, described=_mapped(element, evidence, graph))


def _mapped(element: dict[str, JSON] | None, evidence: Evidence, graph: Graph) -> tuple[Described, ...]:
    """The LicenseRefs an expression maps to the document's CustomLicenses (customIdToUri: "Maps a
    LicenseRef or AdditionRef string for a Custom License or a Custom License Addition to its URI ID",
    SPDX 3.0.1), each described by what that license says of itself, as SPDX 2's extracted licensing
    info is; one mapped to nothing here stays an unknown LicenseRef (LIC001)."""
    found: list[Described] = []
    for entry in as_list(element.get("simplelicensing_customIdToUri")) if element else []:
        key = entry.get("key") if isinstance(entry, dict) else None
        custom = _element(entry.get("value"), graph) if isinstance(entry, dict) else None
        if isinstance(key, str) and custom is not None and custom.get("type") == "expandedlicensing_CustomLicense":
            read = _custom(custom, evidence, graph)
            text = text_value(custom.get("simplelicensing_licenseText"))
            found.append((key, read.raw or read.name, read.link, bool(text)))
    return tuple(found)


def _custom(element: dict[str, JSON], evidence: Evidence, graph: Graph) -> LicenseStatement:
    """A CustomLicense read as SPDX 2's extracted licensing info is, by name and first seeAlso; its
    text ("the full text of a License", SPDX 3.0.1) is the license itself: a known license's text is
    that license, as a LICENSE file's is (licensetext), and an unnamed one is named by its opening
    words, so that what it says reaches the report rather than a made-up id."""
    see_also = [s for s in as_list(element.get("expandedlicensing_seeAlso")) if isinstance(s, str)]
    link = see_also[0] if see_also else None
    text = text_value(element.get("simplelicensing_licenseText"))
    named = text_value(element.get("name"))
    name = named or (shorten_line(text, _OPENING) if text else _license_name(element))
    match = licensetext.identify(text) if text else None
    if match is not None and match.accepted:
        where = graph.by_id.get(str(element.get("spdxId")), (None, None))[0]
        pointer = graph.at(where, "simplelicensing_licenseText") if where is not None else evidence.pointer
        found = Evidence(evidence.file, f"{pointer} (match {match.score:.2f} with {match.license})", evidence.line)
        return LicenseStatement(match.license, found, name, link)
    return LicenseStatement(None, evidence, name, link)


def _element(target: JSON, graph: Graph) -> dict[str, JSON] | None:
    if isinstance(target, dict):
        return target
    return graph.by_id.get(target, (None, None))[1] if isinstance(target, str) else None


def _expression(target: JSON, graph: Graph, depth: int) -> str:
    """A license element (or the id of a listed license) as an SPDX license expression."""
    if depth > MAX_NESTING:
        raise ValueError(f"license expression nested more than {MAX_NESTING} levels deep")
    element = _element(target, graph)
    if element is None:
        return _license_id(target)
    kind = element.get("type")
    member: Callable[[str], str] = lambda key: _expression(element.get(key), graph, depth + 1)  # noqa: E731
    if kind == "simplelicensing_LicenseExpression":
        text = element.get("simplelicensing_licenseExpression")
        if not isinstance(text, str) or not text.strip():
            raise ValueError("simplelicensing_licenseExpression should be a non-empty string")
        return text.strip()
    if kind in ("expandedlicensing_ConjunctiveLicenseSet", "expandedlicensing_DisjunctiveLicenseSet"):
        members = as_list(element.get("expandedlicensing_member"))
        if not members:
            raise ValueError(f"{kind} has no expandedlicensing_member")
        joint = " AND " if kind.endswith("ConjunctiveLicenseSet") else " OR "
        return "(" + joint.join(_expression(m, graph, depth + 1) for m in members) + ")"
    if kind == "expandedlicensing_OrLaterOperator":
        return member("expandedlicensing_subjectLicense") + "+"
    if kind == "expandedlicensing_WithAdditionOperator":
        subject = member("expandedlicensing_subjectExtendableLicense")
        return f"{subject} WITH {member('expandedlicensing_subjectAddition')}"
    if isinstance(element.get("spdxId"), str) and isinstance(kind, str) and kind.startswith("expandedlicensing_"):
        return _license_name(element)
    raise ValueError(f"{element.get('spdxId') or 'an inline element'} of type {kind} is not a license")


def _license_id(target: JSON) -> str:
    """A license named only by its id: a listed license IRI, or NoAssertionLicense / NoneLicense."""
    if not isinstance(target, str) or not target.strip():
        raise ValueError(f"a license should be named by an element id, found {shape(target)}")
    tail = short_name(compact_name(target)) or ""
    tail = tail.removeprefix("expandedlicensing_")
    if tail in _NO_LICENSE:
        return _NO_LICENSE[tail]
    if "spdx.org/licenses/" in target:
        return tail
    raise ValueError(f"names {target}, which is neither in the document nor an SPDX listed license")


def _license_name(element: dict[str, JSON]) -> str:
    """Listed licenses by their SPDX id, others by name, else by the last part of their id."""
    eid = str(element.get("spdxId") or "")
    name = element.get("name")
    if "spdx.org/licenses/" not in eid and isinstance(name, str) and name.strip():
        return name.strip()
    return eid.rstrip("/").rsplit("/", 1)[-1] or "unnamed license"
