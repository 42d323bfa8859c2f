"""The records that flow between stages: what harvest finds, and the asset graph built from it.

Every statement carries an Evidence pointer to the file, field and line it came from, so that any
finding can be traced back to the manifest text that caused it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

KINDS = ("model", "dataset", "code", "other")


@dataclass(frozen=True, order=True, slots=True)
class Evidence:
    """Where a statement was read: file relative to the audit root, field pointer, 1-based line."""

    file: str
    pointer: str
    line: int | None = None


# A LicenseRef the document describes (SPDX 2 hasExtractedLicensingInfos): its id, name, first seeAlso,
# and whether the document gives its text
Described = tuple[str, str | None, str | None, bool]


@dataclass(frozen=True, slots=True)
class LicenseStatement:
    """A license as a manifest states it, before any interpretation."""

    raw: str | None
    evidence: Evidence
    name: str | None = None  # a card's license_name
    link: str | None = None  # a card's license_link
    name_evidence: Evidence | None = None
    link_evidence: Evidence | None = None
    described: tuple[Described, ...] = ()  # the LicenseRefs of `raw` its document describes

    def field_evidence(self, field: str) -> Evidence:
        """Where the field that decided the reading was written (license, license_name or license_link)."""
        chosen = {"license_name": self.name_evidence, "license_link": self.link_evidence}.get(field)
        return chosen or self.evidence


@dataclass(frozen=True, slots=True)
class Reference:
    """A manifest's mention of an upstream asset, with the relation it implies.

    `scheme` (a vocabulary.Scheme) says what `target` is: a Hub id (`hub`), a package URL (`purl`),
    a URL (`url`), or the id of another record read from the same file (`record`). Resolution matches it against
    every identifier the records carry."""

    target: str
    kind: str
    relation: str
    evidence: Evidence
    basis: str = "declared"
    scheme: str = "hub"
    revision: str | None = None  # the pinned revision or version, where the manifest gives one


@dataclass(frozen=True, slots=True)
class Identifier:
    """Another name of an asset (purl, URL, sameAs, DOI, checksum...), to recognise it across manifests."""

    scheme: str  # a vocabulary.Scheme other than record
    value: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Checksum:
    algorithm: str  # lowercase: sha256, sha1, md5, ...
    value: str  # lowercase hex
    file: str | None  # the file it is the checksum of, as the manifest names it
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Statement:
    """A documentation field a manifest fills (for the documentation profiles), e.g.
    `rai:dataCollection`, `description`, `supplier`; `value` is its text, shortened."""

    field: str
    value: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Section:
    """A Markdown heading of a card and whether its content is filled in."""

    heading: str
    level: int
    status: str  # filled | placeholder | empty: the section's own text, sub-sections apart
    evidence: Evidence
    label: bool = False  # a bold label opening a paragraph ("**Intended use:** ..."), not a heading
    judged: Evidence | None = None  # the line that left it not filled, quoted in its pointer


# Problem codes meaning a file could not be read at all (the rest were read in part).
UNREADABLE = frozenset({"too-large", "binary", "not-utf8", "unreadable", "bad-front-matter", "malformed", "refused"})
UNREAD_ENTRY = "unread-entry"  # an entry of a field carrying lineage or license that could not be read: the
# asset's upstreams or terms are then unknown, so it fails the gate as an unreadable file does (INP001)
BAD_ROW = "bad-row"  # a row of a table of Hub records that could not be read; the table's other rows are
SHOWN_UNREAD = 3  # files a message names of those that could not be read
BAD_ROW_APART = "bad-row-apart"  # a BAD_ROW that cannot be of the lineage audited: told (INP002), not fatal
FATAL = UNREADABLE | {BAD_ROW, UNREAD_ENTRY}  # what was not read at all: an INP001 (rules/input), failing the gate


def symbol(code: str) -> str:
    """A problem's code as the rules name it (too-large: too_large)."""
    return code.replace("-", "_")


KEPT_APART = "kept-apart"  # an asset of another's name sharing no identity with it: told (INP002), kept apart
UNREAD_TYPE = "unread-relationship"  # a relationship type mlaudit does not read (SPDX OTHER, PATCH_FOR): told (INP002)
VARIANT = "variant"  # two assets named variants of each other: told (INP002), not lineage
INCOMPLETE = "incomplete-lineage"  # a manifest says an asset's upstreams it lists are not all of them, or names
# an upstream of unknown identity: its terms cannot be told (PRV017, not a field problem)
UNPLACED = "unplaced"  # lineage stated of an element that is no asset here nor part of one: told (INP002),
# since it names no upstream of an asset here (an unplaced upstream is an UNREAD_ENTRY)


def variant_told(record: str, other: str) -> str:
    """Why a variant is no edge: SPDX and CycloneDX call two elements variants when neither is known to
    come from the other, so neither is upstream and no license term may cross between them."""
    return (
        f"{other} is named a variant of {record}, which says neither comes from the other: not read as "
        "lineage, so no license term crosses; if one is the other's upstream, say so (SPDX DESCENDANT_OF "
        "or descendantOf, CycloneDX pedigree.ancestors)"
    )


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not be read, or only in part; becomes an `input` finding."""

    code: str
    message: str
    evidence: Evidence
    asset: str | None = None  # key of the asset the file describes, where the layout tells


DUPLICATE_KEY = "duplicate-key"  # a key given twice in one mapping: told (INP002), the last value used
TWICE = "field '{}' is given twice; the last value is used"  # told alike in every format
TWICE_DECIDES = (
    "field '{}' is given twice, so the license or lineage it states cannot be known (readers differ on "
    "which value counts; the last is used)"
)


def twice_told(pointer: str, keys: Iterable[str | int], terms: frozenset[str]) -> tuple[str, str]:
    """The code and message of a key given twice at `keys` (the path to it): inside one of the format's
    license or lineage fields (`terms`) the author's meaning decides the asset's terms or upstreams
    and is unknown, an unread entry (INP001); elsewhere it is told (INP002)."""
    if terms.intersection(k for k in keys if isinstance(k, str)):
        return UNREAD_ENTRY, TWICE_DECIDES.format(pointer)
    return DUPLICATE_KEY, TWICE.format(pointer)


def given_twice(
    file: str, pointer: str, terms: frozenset[str], line: int | None = None, keys: Sequence[str | int] = ()
) -> Problem:
    """A key given twice in `file` at `pointer` (`keys`: its path, if not the dotted pointer's)."""
    code, message = twice_told(pointer, keys or path_keys(pointer), terms)
    return Problem(code, message, Evidence(file, pointer, line))


def path_keys(pointer: str) -> list[str]:
    """The keys of a dotted pointer (a.b[0].c: a, b, c)."""
    return [k for k in re.split(r"[.\[\]]", pointer) if k and not k.isdigit()]


@dataclass(slots=True)
class AssetRecord:
    """What one manifest says about one asset."""

    id: str
    kind: str
    source: str
    licenses: list[LicenseStatement] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    sections: list[Section] | None = None
    text: str | None = None  # a card's Markdown body, or a license, notice or policy file's text
    has_metadata: bool = True
    revision: str | None = None
    kind_basis: str = "layout"
    format: str = "hf-card"
    version: str | None = None
    concluded: list[LicenseStatement] = field(default_factory=list)  # e.g. SPDX licenseConcluded
    identifiers: list[Identifier] = field(default_factory=list)
    checksums: list[Checksum] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    role: str | None = None  # a model folder's file: weights, config, license, notice or policy
    body_licenses: list[LicenseStatement] = field(default_factory=list)  # stated in a card's body, ranked last
    modified: str | None = None  # when the revision was made, where the manifest says (the Hub's lastModified)
    branches: list[str] = field(default_factory=list)  # a Hub cache's refs/<branch> naming this revision
    place: Evidence | None = None  # the record's row, where its file is a table of many (hubtable)

    def at(self, pointer: str = "") -> Evidence:
        """Evidence at `pointer` of this record's manifest: within its row where the file is a table,
        so that a fact about the record leads to its row among a million."""
        if self.place is None:
            return Evidence(self.source, pointer)
        row = self.place.pointer
        return Evidence(self.source, f"{row}.{pointer}" if row and pointer else row or pointer, self.place.line)


DISTRIBUTABLE = ("weights",)  # the files that show a folder holds what the release distributes (a metadata
# harvest of the Hub fetches configs but never weights, so configs alone show nothing missing)
INVENTORY_STATUSES = ("read", "skipped", "unreadable")  # what became of an input file


@dataclass(frozen=True, slots=True)
class InventoryEntry:
    file: str
    format: str
    status: str  # one of INVENTORY_STATUSES
    reason: str = ""


@dataclass(slots=True)
class Harvest:
    """Everything read from one release folder."""

    root: str
    records: list[AssetRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    inventory: list[InventoryEntry] = field(default_factory=list)
    fingerprint: str = ""  # SHA-256 of the input files (harvest.fingerprint)

    def unread(self) -> str:
        """What could not be read, as the end of a message that an asset named is not found: the
        asset may be described there."""
        first: dict[str, str] = {}  # each file, with its first problem
        for problem in self.problems:
            if problem.code in FATAL:
                first.setdefault(problem.evidence.file, problem.message)
        if not first:
            return ""
        shown = "; ".join(f"{file}: {message}" for file, message in sorted(first.items())[:SHOWN_UNREAD])
        more = f"; and {len(first) - SHOWN_UNREAD} more files" if len(first) > SHOWN_UNREAD else ""
        return f"; it may be described in what could not be read: {shown}{more}"


@dataclass(frozen=True, slots=True)
class Curation:
    """A reviewer's correction of an asset's harvested license (curations.yaml)."""

    asset: str
    license: str
    comment: str
    curator: str
    date: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Version:
    """One revision of an asset (a Hub sha, a package version, a snapshot folder): when it was
    made where known, and the records that describe the asset at that revision."""

    revision: str
    modified: str | None
    records: tuple[AssetRecord, ...]


@dataclass(slots=True)
class Asset:
    """One asset of the graph: every record that describes it, merged by identity. An asset known
    at several revisions keeps them in `versions`, oldest first (auditor/versions.py); its `records`
    are then those of the newest, and an older revision a reference pins is an asset of its own,
    `revision_of` this one."""

    id: str
    kind: str
    records: list[AssetRecord] = field(default_factory=list)
    curation: Curation | None = None
    versions: list[Version] = field(default_factory=list)
    revision_of: str | None = None  # the key of the asset this is an older revision of
    elsewhere: bool = False  # a package URL of another ecosystem (pkg:maven/…) names it, and no Hub id does

    @property
    def resolved(self) -> bool:
        return bool(self.records)

    @property
    def releasable(self) -> bool:
        """Described, at its newest revision: an older revision was released when it was made,
        and is in a lake only as the upstream a reference pins, never as a release of its own."""
        return bool(self.records) and self.revision_of is None

    @property
    def licenses(self) -> list[LicenseStatement]:
        return [s for r in self.records for s in r.licenses]

    @property
    def sources(self) -> list[str]:
        return sorted({r.source for r in self.records})


@dataclass(frozen=True, order=True, slots=True)
class Edge:
    child: str
    parent: str
    relation: str
    evidence: Evidence
    basis: str = "declared"
    revision: str | None = None  # the upstream's pinned revision or version, where the manifest gives one
    format: str = "hf-card"  # the format of the manifest that states the edge
    name_match: str | None = None  # the file of the asset matched by name only (no identifier in common)


@dataclass(slots=True)
class AssetGraph:
    """Assets keyed by `kind:id`, typed lineage edges, and the harvest they came from."""

    assets: dict[str, Asset]
    edges: list[Edge]
    harvest: Harvest
