"""SPDX 2 license references read by what the document says of them.

A `LicenseRef-` names a license the SPDX License List lacks; the document's
`hasExtractedLicensingInfos` gives its `name`, `seeAlsos` and `extractedText` (SPDX 2.3 clauses 10.2,
10.3 and 10.5). Name and seeAlso are what a Hub card's license_name and license_link are, and are
read the same way: the first the knowledge base knows decides (auditor/license_reading.py), as SPDX
3's CustomLicense and CycloneDX's license name and URL are. Each ref inside a compound expression
is read so too (`LicenseStatement.described`), beside the expression's known parts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from auditor.model import Described, Evidence, LicenseStatement

if TYPE_CHECKING:
    from spdx_tools.spdx.model.extracted_licensing_info import ExtractedLicensingInfo

# A LicenseRef of this document (SPDX 2.3 Annex D: idstring [A-Za-z0-9.-]+), not one another document
# defines (DocumentRef-x:LicenseRef-y); one character looked behind, so the scan stays linear
_REF = re.compile(r"(?<![\w.:-])LicenseRef-[\w.-]+")


def stated(
    raw: tuple[str, int | None] | None, parsed: object, evidence: Evidence, refs: dict[str, Described]
) -> list[LicenseStatement]:
    """The license field as written (absent: no statement; NOASSERTION and NONE stay as they are),
    with what the document says of each LicenseRef in it; a field that is one LicenseRef also takes
    that description's name and first seeAlso as its own."""
    if parsed is None:
        return []
    if raw is None:  # RDF/XML: no expression string, spdx-tools' rendering of the parsed expression
        statement = LicenseStatement(str(parsed), evidence)
    else:
        statement = LicenseStatement(raw[0].strip(), Evidence(evidence.file, evidence.pointer, raw[1]))
    found = _REF.findall(statement.raw or "") if refs else []
    described = tuple(dict.fromkeys(refs[r] for r in found if r in refs))
    if not described:
        return [statement]
    ref, name, link, _ = described[0]
    if ref == statement.raw:
        return [LicenseStatement(ref, statement.evidence, name, link, described=described)]
    return [LicenseStatement(statement.raw, statement.evidence, described=described)]


def descriptions(infos: list[ExtractedLicensingInfo]) -> dict[str, Described]:
    """What the document says of each LicenseRef it describes, by its id: made once a document."""
    return {str(i.license_id): _described(i) for i in infos}


def _described(info: ExtractedLicensingInfo) -> Described:
    name = info.license_name if isinstance(info.license_name, str) and info.license_name.strip() else None
    see_also = next((url for url in info.cross_references if url.strip()), None)
    text = isinstance(info.extracted_text, str) and bool(info.extracted_text.strip())
    return (str(info.license_id), name, see_also, text)
