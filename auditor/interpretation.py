"""The interpretation: what an audit concludes, as frozen values the report document reshapes.

Built once from the engine's atoms (auditor/findings.py), then completed by the repair search
(auditor/repair.py) into a new value; nothing edits it afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from auditor.license_reading import LicenseReading
from auditor.parsed import JSON
from auditor.remedy import Remedy

Row = tuple[Any, ...]  # an atom's arguments as read back (asptext.atom): ints, strings, nested tuples


class Step(NamedTuple):
    """One link of an evidence chain: a named tuple, hashed and compared in C, for a lake's findings
    share their steps by the million (each finding's evidence is deduplicated, each step given once)."""

    asset: str | None
    fact: str
    file: str | None
    pointer: str | None
    line: int | None


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    rule: str
    family: str
    severity: str
    asset: str | None
    message: str
    how_to_fix: str
    detail: Mapping[str, JSON]
    evidence: tuple[Step, ...]
    atom: Row = field(default=(), compare=False, repr=False)  # as derived, for the repair search
    remedy: Remedy | None = None  # conflicts only: what would fix it (auditor.repair)
    # the inherited terms (license, term) of its asset its evidence rests on: the obligations it concerns
    covers: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Notice:
    """An upstream asset's NOTICE text, or one copyright line of its files, which a derivative must
    carry (Apache-2.0 Section 4(c) and 4(d), MIT's second paragraph)."""

    asset: str | None
    file: str
    text: str
    line: int | None = None  # the copyright line's place in its file (a NOTICE text is the whole file)


@dataclass(frozen=True)
class Obligation:
    term: str
    kind: str  # condition (something to do) | limitation (something not to do)
    license: str
    text: str
    clause: str
    source: str
    imposed_by: tuple[str, ...]
    values: tuple[str, ...] = ()  # what the term prescribes verbatim (a notice, a "Built with" line, a name prefix)
    license_name: str = ""
    status: str = "cannot-tell"  # met | unmet | cannot-tell, as the rules judged the release's files
    status_evidence: tuple[Step, ...] = ()
    notices: tuple[Notice, ...] = ()  # the upstream NOTICE texts the release must carry
    uri_suffices: bool = False  # the license's URI or a link to it meets the term (CC BY 4.0 s3(a)(1)(C))
    triggered: bool = True  # the release's distribution triggers the condition (rules/lib/obligations.lp)
    copyrights: tuple[Notice, ...] = ()  # the upstream copyright notices a term that keeps them asks for
    read_on: str = ""  # when the license's terms were read from its text (Chains.read_on)


@dataclass(frozen=True)
class Choice:
    asset: str | None
    chosen: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Documentation:
    """How well one asset meets one documentation profile."""

    asset: str | None
    profile: str
    score: int  # 0-100: share of the profile's items met (mof: progress towards the next class)
    missing: tuple[tuple[str, str, str, str], ...]  # (item, expected, how to fix, the sections seen: why unfilled)
    openness_class: int | None = None  # mof only: 0 unclassified, else 3, 2 or 1
    progress: Mapping[str, float] | None = None  # mof only: percent of each class met, to one decimal


@dataclass(frozen=True)
class Interpretation:
    """Everything the report states beyond the graph itself; assets are keyed `kind:id` where keyed."""

    findings: tuple[Finding, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    outbound: tuple[str, ...] = ()  # the licenses the release may be published under
    outbound_requirements: tuple[Obligation, ...] = ()  # the obligations that limit those licenses
    use_categories: Mapping[str, str] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    documentation: tuple[Documentation, ...] = ()
    engines: tuple[str, ...] = ("clingo",)
    release: str | None = None  # the release's key, when one is identified
    release_basis: str = ""  # how it was identified
    readings: Mapping[str, LicenseReading] = field(default_factory=dict)  # how each asset's license was read
    curated_from: Mapping[str, str] = field(default_factory=dict)  # a curated asset's license as its manifests say
    remedy: Remedy | None = None  # the release's, once the repair search has run
    lineage: frozenset[str] | None = None  # keys of the release and its ancestors (None: no release)

    @staticmethod
    def blocks(finding: Finding, release: str | None) -> bool:
        """Whether the finding is an error-level license conflict of the release."""
        return finding.severity == "error" and finding.family == "conflict" and finding.asset == release
