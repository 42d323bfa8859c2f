"""SPDX 2 license references read by what the document says of them.

A `LicenseRef-` names a license the SPDX License List lacks; the document's
`hasExtractedLicensingInfos` gives its `name` and `seeAlsos` (SPDX 2.3 clauses 10.3 and 10.5). They
are what a Hub card's license_name and license_link are, and are read the same way: the first the
knowledge base knows decides (auditor/license_reading.py), as SPDX 3's CustomLicense and CycloneDX's
license name and URL are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.model import Evidence, LicenseStatement

if TYPE_CHECKING:
    from spdx_tools.spdx.model.extracted_licensing_info import ExtractedLicensingInfo


def stated(
    raw: tuple[str, int | None] | None, parsed: object, evidence: Evidence, infos: list[ExtractedLicensingInfo]
) -> list[LicenseStatement]:
    """The license field as written (absent: no statement; NOASSERTION and NONE stay as they are); a
    field that is one LicenseRef the document describes, with that description's name and first
    seeAlso (an expression combining it stays as written, as a card's license does)."""
    if parsed is None:
        return []
    if raw is None:  # RDF/XML: no expression string, spdx-tools' rendering of the parsed expression
        statement = LicenseStatement(str(parsed), evidence)
    else:
        statement = LicenseStatement(raw[0].strip(), Evidence(evidence.file, evidence.pointer, raw[1]))
    info = next((i for i in infos if i.license_id == statement.raw), None)
    return [_described(statement, info) if info else statement]


def _described(statement: LicenseStatement, info: ExtractedLicensingInfo) -> LicenseStatement:
    name = info.license_name if isinstance(info.license_name, str) and info.license_name.strip() else None
    see_also = next((url for url in info.cross_references if url.strip()), None)
    return LicenseStatement(statement.raw, statement.evidence, name, see_also)
