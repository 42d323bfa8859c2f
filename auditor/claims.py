"""What an asset's manifests claim: the license statements the audit reasons with, and where the
manifests describing one asset contradict each other (license, version, upstream).

Statements rank: a reviewer's curation, then each manifest's own statement (its concluded license
over its declared one: a conclusion speaks only of the declaration in the same document, so the
statements of different manifests all apply), a suffixed LICENSE-<name> file only where nothing else
declares a known license, and last a statement in a card's body, which counts only when
nothing else declares a license; a body that says otherwise is a disagreement, never a silent pick.
A body stating the licenses of the work's parts ("MIT (code); CC BY-NC 4.0 (weights)") states them
all: each binds where a release ships that part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from auditor import license_parts, shipped
from auditor.license_reading import known_readings, lookup, read_declared
from auditor.licenses import KnowledgeBase
from auditor.model import Asset, AssetGraph, AssetRecord, Edge, Evidence, LicenseStatement
from auditor.readers.markdown import RESTRICTED, shape_part
from auditor.vocabulary import Relation

Said = list[tuple[str, str, list[Evidence]]]  # (which manifest, what it says, where), side by side


def effective_licenses(asset: Asset, kb: KnowledgeBase, curated: bool = True) -> tuple[list[LicenseStatement], str]:
    """The license statements the audit reasons with: a reviewer's curation, else each manifest's
    own statement, its concluded license (SPDX licenseConcluded, CycloneDX acknowledgement
    "concluded") over the declared one of the same document; the statements of different manifests
    all apply, so a scanner's or licensee's conclusion never relaxes what the licensor's card
    declares. Else the card body's first statement of a license the knowledge base knows about each
    part of the work (all apply)."""
    if curated and asset.curation:
        c = asset.curation
        return [LicenseStatement(c.license, c.evidence)], f"curated by {c.curator} on {c.date}: {c.comment}"
    statements, concluding = [], []
    for record in declaring(asset, kb):
        concluded = [s for s in record.concluded if not _no_assertion(s)]
        statements += concluded or record.licenses
        if concluded and record.licenses:
            concluding.append(record.source)
    if statements:  # an SBOM's NOASSERTION gives no information: another manifest's statement stands
        note = f"the concluded license of {', '.join(concluding)} takes precedence over its declared one"
        return [s for s in statements if not _no_assertion(s)] or statements, note if concluding else ""
    stated = _by_part(list(body_statements(asset, kb)))
    if not stated:
        return [], ""
    where = ", ".join(f"{s.evidence.pointer} at {s.evidence.file}:{s.evidence.line}" for s in stated)
    return stated, f"stated in the {where}; nothing else declares one"


def _by_part(stated: list[LicenseStatement]) -> list[LicenseStatement]:
    """The first statement about each part of the work (all apply), in the order written."""
    first: dict[str, LicenseStatement] = {}
    for statement in stated:
        first.setdefault(shape_part(statement.evidence.pointer), statement)
    return list(first.values())


def declaring(asset: Asset, kb: KnowledgeBase) -> list[AssetRecord]:
    """The records that declare the asset's license. Where the card or a plain LICENSE declares a
    license the knowledge base knows, a suffixed license file (LICENSE-CC-BY-4.0) beside it is a
    text the folder ships (it meets a license-copy duty: ships_license), not a second declaration; so
    is a license file holding a part of a license another record states (the GPL-3.0 text of an
    LGPL-3.0 asset)."""
    own = [
        r
        for r in asset.records
        if not shipped.suffixed(r, kb) and not license_parts.shipped_part(r, _stated_beside(r, asset, kb))
    ]
    if len(own) == len(asset.records):
        return own
    reading = read_declared([s for r in own for s in r.licenses if not _no_assertion(s)], kb, asset)
    return own if reading.status == "ok" and (reading.licenses or reading.alternatives) else asset.records


def _stated_beside(record: AssetRecord, asset: Asset, kb: KnowledgeBase) -> set[str]:
    """The known licenses the asset's other records state, one by one."""
    others = (s for r in asset.records if r is not record for s in r.licenses if s.raw)
    return {lic.id for s in others if (lic := lookup(str(s.raw), kb))}


def _no_assertion(statement: LicenseStatement) -> bool:
    """SPDX's NOASSERTION: the document's author gives no information (SPDX 2.3 7.13, 7.15), no statement."""
    return (statement.raw or "").strip().upper() == "NOASSERTION"


def body_statements(asset: Asset, kb: KnowledgeBase) -> Iterator[LicenseStatement]:
    """The statements of the asset's card bodies that name licenses the knowledge base knows, or one
    with a restriction added (a license of unknown terms), in order."""
    for statement in (s for r in asset.records for s in r.body_licenses):
        reading = read_declared([statement], kb)
        if shape_part(statement.evidence.pointer) == RESTRICTED or (
            reading.status == "ok" and (reading.licenses or reading.alternatives)
        ):
            yield statement


def disagreements(asset: Asset, kb: KnowledgeBase) -> Iterator[tuple[str, str, list[Evidence]]]:
    """(aspect, detail, evidence) where the manifests describing one asset contradict each other:
    license (declared by one, or declared and concluded) and version."""
    said: Said = []  # per license statement set
    for record in declaring(asset, kb):
        for label, statements in (("declared", record.licenses), ("concluded", record.concluded)):
            if statements and not all(_no_assertion(s) for s in statements):
                reading = read_declared(statements, kb, asset)
                if _unnamed_other(statements, reading.status):
                    continue
                value = reading.expression or reading.status
                entry = (f"{record.source} ({label})", value, [s.evidence for s in statements])
                if not any(e[:2] == entry[:2] for e in said):
                    said.append(entry)
    parts = not said  # nothing declared: the body's statements about other parts are not rivals
    for statement in body_statements(asset, kb):  # ranked last, but a body that says otherwise is heard
        if parts and said and shape_part(statement.evidence.pointer) != shape_part(said[0][2][0].pointer):
            continue
        value = str(read_declared([statement], kb).expression)
        if not any(v == value for _, v, _ in said):
            said.append(
                (f"{statement.evidence.file} (card body, line {statement.evidence.line})", value, [statement.evidence])
            )
    if len({value for _, value, _ in said}) > 1:
        yield "license", _side_by_side(said), [e for _, _, ev in said for e in ev]
    for record in asset.records:
        for statement in (s for s in record.licenses if s.name or s.link):
            fields = known_readings(statement, kb)
            if len({expression for _, expression in fields}) > 1:
                within = [
                    (f"{record.source} ({f})", expression, [statement.field_evidence(f)]) for f, expression in fields
                ]
                yield "license", _side_by_side(within), [e for _, _, ev in within for e in ev]
    versions = [(r.source, r.version, [r.at("version")]) for r in asset.records if r.version]
    if len({v for _, v, _ in versions}) > 1:
        yield "version", _side_by_side(versions), [e for _, _, ev in versions for e in ev]


def upstream_disagreements(
    graph: AssetGraph, scope: set[str] | None = None
) -> Iterator[tuple[str, str, list[Evidence]]]:
    """(child, detail, evidence) where two manifests of one asset name different upstream assets of
    the same sort (base models, or data): a manifest that only names the base model (an adapter
    config) does not contradict a card that also lists the training data."""
    # (child, sort) -> file -> edges
    stated: defaultdict[tuple[str, str], defaultdict[str, list[Edge]]] = defaultdict(lambda: defaultdict(list))
    for edge in graph.edges:
        sort = Relation(edge.relation).sort
        if sort and edge.evidence.file != "mlaudit.toml" and (scope is None or edge.child in scope):
            stated[(edge.child, sort)][edge.evidence.file].append(edge)
    for (child, _), by_file in sorted(stated.items()):
        if len(by_file) > 1 and len({frozenset(e.parent for e in edges) for edges in by_file.values()}) > 1:
            said: Said = [
                (f, ", ".join(sorted(graph.assets[e.parent].id for e in edges)), [e.evidence for e in edges])
                for f, edges in sorted(by_file.items())
            ]
            yield child, _side_by_side(said), [e for _, _, ev in said for e in ev]


def _unnamed_other(statements: list[LicenseStatement], status: str) -> bool:
    """`license: other` that no name or link the knowledge base knows makes a license: the Hub's way
    of pointing to a LICENSE file, it states no license and disagrees with none."""
    return status != "ok" and all((s.raw or "").strip().lower() == "other" for s in statements)


def _side_by_side(said: Said) -> str:
    return " | ".join(f"{source}: {value}" for source, value, _ in said)
