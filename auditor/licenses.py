"""The license knowledge base: one YAML entry per license in rules/licenses/, loaded and checked.

Each entry is validated as it is loaded (terms known to terms.yaml, statements with the clause they
rest on, dates and digests well formed), so that a malformed entry stops the audit instead of
changing its answers. Reading what a manifest declares against this base is `license_reading`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from license_expression import LicenseSymbol, Licensing

from auditor.license_index import LICENSEDB_PAGE, Category, LicenseIndex, Listed
from auditor.license_scope import (
    Trigger,
    basis,
    check_statements,
    copyleft_relations,
    copyleft_triggers,
    reaches,
    shared_conditions,
    triggers,
)
from auditor.license_urls import named_id
from auditor.parsed import YAML
from auditor.readers import safeyaml
from auditor.resources import rules_dir

UNKNOWN = "NOASSERTION"  # pseudo-license of assets whose terms are not known
NEVER = "never"  # the verification date of an entry nobody checked against its text
CATEGORY_LEVEL = "category-level"  # the family of a licence known by its LicenseDB category only
DATA_FILES = (
    "terms.yaml",
    "not-licenses.yaml",
    "dual-licenses.yaml",
    "deprecated-ids.yaml",
    "categories.yaml",
    "aliases.yaml",
)
_ID_TOKEN = re.compile(r"(?<![\w.+/-])[A-Za-z0-9][A-Za-z0-9.+-]*")  # an id in an SPDX expression, not in a URL
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Term:
    term: str
    kind: str
    text: str
    clause: str
    source: str
    values: tuple[str, ...] = ()  # what the term prescribes: a name prefix, a statement, phrases
    accepts: tuple[str, ...] = ()  # other statements the license accepts in place of the prescribed one
    uri_suffices: bool = False  # include_license: the license's URI or a link meets it (CC 4.0 s3(a)(1)(C))
    own_notice: bool = False  # include_notice: one the licensee writes, no upstream NOTICE to carry (ODbL 4.3)


@dataclass(frozen=True)
class License:
    id: str
    name: str
    family: str
    use: str
    source: str
    training: str  # binds | frees | silent: models trained on the material, by the license's own text
    terms: tuple[Term, ...]
    reaches: tuple[str, ...] = ()  # relations the text extends the license over
    reach_terms: tuple[tuple[str, str], ...] = ()  # (relation, term): the terms a relation carries, where named
    share_alike_compatible: tuple[str, ...] = ()
    outputs: str = "silent"  # binds | frees | silent: what is generated with the material
    copyleft_triggers: tuple[str, ...] = ()  # release distributions that trigger the copyleft terms
    triggers: tuple[Trigger, ...] = ()  # the distributions that trigger other conditions, where the text says
    copyleft_relations: tuple[Trigger, ...] = ()  # copyleft distributions that bind only some holdings
    copyleft_scope: str = "work"  # work | part (COPYLEFT_SCOPES)
    conditions_basis: str | None = None  # its other conditions bind whoever shares, not its copyleft's trigger
    licensor: str | None = None  # who grants a model family's license (never bound by it)
    licensor_orgs: tuple[str, ...] = ()  # the licensor's Hub organisations
    aliases: tuple[str, ...] = ()  # spellings manifests use for it, as the file gives them
    training_basis: str | None = None
    outputs_basis: str | None = None
    copyleft_basis: str | None = None
    file: str = ""  # where the entry is kept, as rules/licenses/<name>.yaml
    verified_at: str | None = None  # ISO date the entry was checked against the text; None: never
    text_read: str | None = None  # where that text was read
    text_sha256: str | None = None  # of that text
    category: str | None = None  # the LicenseDB category of a licence without a hand-written entry


@dataclass(frozen=True)
class NotLicense:
    match: str
    outcome: str  # unknown | not_a_license | other_unnamed | family
    explanation: str


@dataclass(frozen=True)
class DualLicense:
    """A set of licenses its holder offers as a choice (rules/licenses/dual-licenses.yaml)."""

    members: tuple[frozenset[str], ...]  # per member, the license keys that count as it
    holder: str
    source: str
    organisations: frozenset[str] = frozenset()  # Hub organisations that publish the holder's assets
    ids: frozenset[str] = frozenset()  # the holder's assets by Hub id, as reports name them (lowercase)
    grants: tuple[tuple[str, str], ...] = ()  # (member key, the license it grants in this set)
    grants_source: str = ""


@dataclass(eq=False)
class KnowledgeBase:
    licenses: dict[str, License]  # the hand-written entries, read clause by clause
    term_kinds: dict[str, dict[str, YAML]]
    aliases: dict[str, str]
    not_licenses: dict[str, NotLicense]
    licensing: Licensing = field(repr=False)
    dual: tuple[DualLicense, ...] = ()
    deprecated: dict[str, str] = field(default_factory=dict)  # deprecated id (alias key) -> what it stands for
    index: LicenseIndex | None = field(default=None, repr=False)  # every other licence, by its category
    _categorised: dict[str, License] = field(default_factory=dict, repr=False)

    def family(self, text: str) -> NotLicense | None:
        """The family entry of not-licenses.yaml that `text` names (`cc`, `gpl`, ...), if any."""
        entry = self.not_license(text)
        return entry if entry and entry.outcome == "family" else None

    def not_license(self, text: str) -> NotLicense | None:
        """The entry of not-licenses.yaml that `text` matches, also as a slug (`public-domain`, `no_license`):
        a hand-written reading wins over the category LicenseDB gives the same words."""
        key = alias_key(text)
        return self.not_licenses.get(key) or self.not_licenses.get(re.sub(r"[-_]", " ", key))

    def current(self, text: str) -> str:
        """`text` with each deprecated SPDX id that stands for a license WITH an exception written as
        that expression (deprecated-ids.yaml), so it reads as the license and its exception."""
        return _ID_TOKEN.sub(self._current_id, text)

    def _current_id(self, match: re.Match[str]) -> str:
        expression = self.deprecated.get(alias_key(match[0]))
        return f"({expression})" if expression else match[0]

    def resolve(self, text: str) -> str | None:
        """The id of the licence a spelling names: a hand-written entry's, else one LicenseDB lists
        (a listed licence that has a hand-written entry is that entry); none for what not-licenses.yaml
        says names no single licence."""
        key = alias_key(text)
        if key in self.aliases:
            return self.aliases[key]
        if self.not_license(text):
            return None
        listed = self.index.resolve(key) if self.index else None
        return self.aliases.get(alias_key(listed), listed) if listed else None

    def entry(self, license_id: str) -> License | None:
        """The hand-written entry of a licence, else its category-level one, built when first met."""
        if license_id in self.licenses:
            return self.licenses[license_id]
        if license_id not in self._categorised and self.index and license_id in self.index.listed:
            listed = self.index.listed[license_id]
            category = self.index.categories[listed.category]
            self._categorised[license_id] = _categorised(listed, category, self.index.version, self.term_kinds)
        return self._categorised.get(license_id)

    def knows(self, license_id: str) -> bool:
        return self.entry(license_id) is not None

    def term(self, license_id: str, term: str) -> Term | None:
        lic = self.entry(license_id)
        return next((t for t in lic.terms if t.term == term), None) if lic else None

    def linked_copy(self, license_id: str) -> Term | None:
        """The license-text term of a license that accepts its URI for its text (CC BY 4.0 s3(a)(1)(C))."""
        lic = self.entry(license_id)
        linked = (t for t in (lic.terms if lic else ()) if t.uri_suffices)
        return next((t for t in linked if self.term_kinds.get(t.term, {}).get("check") == "license_text"), None)


def load(folder: Path | None = None) -> KnowledgeBase:
    """The licence knowledge base of rules/licenses (or `folder`), read afresh: the audit's RuleBase holds it."""
    folder = folder or rules_dir() / "licenses"
    term_kinds = _yaml(folder / "terms.yaml")
    licenses = _entries(folder, term_kinds)
    aliases = {alias_key(str(alias)): lic.id for lic in licenses.values() for alias in (lic.id, *lic.aliases)}
    symbols = [
        LicenseSymbol(lid, aliases=tuple(a for a, target in aliases.items() if target == lid and a != lid))
        for lid in licenses
    ]
    return KnowledgeBase(
        licenses,
        term_kinds,
        {**_spellings(folder / "aliases.yaml"), **aliases},
        _not_licenses(folder / "not-licenses.yaml"),
        Licensing(symbols),
        _dual_licenses(folder / "dual-licenses.yaml", aliases),
        _deprecated(folder / "deprecated-ids.yaml"),
        LicenseIndex(folder / "categories.yaml") if (folder / "categories.yaml").exists() else None,
    )


def _categorised(listed: Listed, category: Category, version: str, term_kinds: dict[str, dict[str, YAML]]) -> License:
    """A listed licence read by its category: the category's terms, each citing the category reading."""
    reading = f"category-level reading (ScanCode LicenseDB: {category.name}; {version})"
    source = LICENSEDB_PAGE.format(key=listed.key)
    for term, _ in category.terms:
        if term not in term_kinds:
            raise ValueError(f"categories.yaml: term {term!r} of {category.name} is not in terms.yaml")
    return License(
        id=listed.id,
        name=f"{listed.id} (ScanCode LicenseDB {listed.key}: {category.name})",
        family=CATEGORY_LEVEL,
        use=category.use,
        source=source,
        training="silent",
        terms=tuple(Term(t, str(term_kinds[t]["kind"]), text, reading, source) for t, text in category.terms),
        copyleft_triggers=category.copyleft_triggers,
        copyleft_scope=category.copyleft_scope,
        copyleft_basis=f"{category.copyleft_basis.rstrip('.')}; {reading}" if category.copyleft_basis else None,
        file="rules/licenses/categories.yaml",
        category=category.name,
    )


def _yaml(path: Path) -> YAML:
    return safeyaml.load(path.read_text(encoding="utf-8"))


def _entries(folder: Path, term_kinds: dict[str, dict[str, YAML]]) -> dict[str, License]:
    """Every license entry of the folder (its other YAML files describe terms and non-licenses)."""
    entries = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name not in DATA_FILES:
            lic = _license(_yaml(path), term_kinds, path)
            entries[lic.id] = lic
    return entries


def _not_licenses(path: Path) -> dict[str, NotLicense]:
    if not path.exists():
        return {}
    return {
        alias_key(str(entry["match"])): NotLicense(str(entry["match"]), entry["outcome"], entry.get("explanation", ""))
        for entry in _yaml(path) or []
    }


def _spellings(path: Path) -> dict[str, str]:
    """aliases.yaml: spellings of licences that have no hand-written entry (an entry lists its own)."""
    if not path.exists():
        return {}
    return {alias_key(str(spelling)): str(target) for spelling, target in (_yaml(path) or {}).items()}


def _dual_licenses(path: Path, aliases: dict[str, str]) -> tuple[DualLicense, ...]:
    if not path.exists():
        return ()
    return tuple(
        DualLicense(
            tuple(frozenset(license_id(str(s), aliases) for s in member) for member in entry["members"]),
            entry["holder"],
            entry["source"],
            frozenset(str(o).lower() for o in entry["assets"].get("organisations", [])),
            frozenset(str(i).lower() for i in entry["assets"].get("ids", [])),
            tuple((license_id(str(k), aliases), str(v)) for k, v in (entry.get("grants") or {}).items()),
            str(entry.get("grants_source", "")),
        )
        for entry in _yaml(path) or []
    )


def _deprecated(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return {alias_key(str(entry["id"])): str(entry["reads"]) for entry in _yaml(path) or []}


def license_id(text: str, aliases: dict[str, str]) -> str:
    """A spelling as a license id where the knowledge base knows it, else as its alias key."""
    return aliases.get(alias_key(text), alias_key(text))


def _license(data: YAML, term_kinds: dict[str, dict[str, YAML]], path: Path) -> License:
    terms = _terms(data, term_kinds, path)
    kinds = {t.term: t.kind for t in terms}
    relations, reached = reaches(data, kinds, path)
    outputs = data.get("outputs", "binds" if "generated_by" in relations else "silent")
    check_statements(data, outputs, relations, path)
    copyleft = copyleft_triggers(data, set(kinds), path)
    return License(
        id=data["id"],
        name=data["name"],
        family=data["family"],
        use=data["use"],
        source=data["source"],
        training=data.get("training", "silent"),
        terms=terms,
        reaches=relations,
        reach_terms=reached,
        share_alike_compatible=tuple(data.get("share_alike_compatible", [])),
        outputs=outputs,
        copyleft_triggers=copyleft,
        triggers=triggers(data, kinds, path),
        copyleft_relations=copyleft_relations(data, copyleft, path),
        copyleft_scope=str(data.get("copyleft_scope", "work")),
        conditions_basis=shared_conditions(data, copyleft, path),
        licensor=data.get("licensor"),
        licensor_orgs=tuple(str(o) for o in data.get("licensor_orgs", [])),
        aliases=tuple(str(a) for a in data.get("aliases", [])),
        training_basis=basis(data, "training"),
        outputs_basis=basis(data, "outputs"),
        copyleft_basis=basis(data, "copyleft"),
        file=f"rules/licenses/{path.name}",
        verified_at=_verified_at(data, path),
        text_read=str(data["text_read"]) if data.get("text_read") else None,
        text_sha256=_sha256(data, path),
    )


def _terms(data: YAML, term_kinds: dict[str, dict[str, YAML]], path: Path) -> tuple[Term, ...]:
    terms = []
    for t in data.get("terms", []):
        if t["term"] not in term_kinds:
            raise ValueError(f"{path.name}: term {t['term']!r} is not in terms.yaml")
        values = t.get("values", [t["value"]] if "value" in t else [])
        terms.append(
            Term(
                t["term"],
                term_kinds[t["term"]]["kind"],
                t["text"],
                t["clause"],
                t.get("source", data["source"]),
                tuple(str(v) for v in values),
                tuple(str(v) for v in t.get("accepts", [])),
                bool(t.get("uri_suffices", False)),
                bool(t.get("own_notice", False)),
            )
        )
    return tuple(terms)


def _verified_at(data: YAML, path: Path) -> str | None:
    """YAML reads an unquoted date as a date and a quoted one as text: both become YYYY-MM-DD."""
    value = data.get("verified_at")
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"{path.name}: verified_at {str(value)[:40]!r} is not a date (YYYY-MM-DD)") from None


def _sha256(data: YAML, path: Path) -> str | None:
    value = data.get("text_sha256")
    if value is not None and not (isinstance(value, str) and _SHA256.match(value)):
        raise ValueError(f"{path.name}: text_sha256 must be 64 lowercase hexadecimal digits")
    return value


def stale(lic: License, as_of: dt.date, max_age_months: int) -> bool:
    """Never verified, or verified more than `max_age_months` before `as_of`: the license text or
    its reading may have changed since, so answers resting on the entry need a fresh look."""
    if lic.verified_at is None:
        return True
    return as_of > add_months(dt.date.fromisoformat(lic.verified_at), max_age_months)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter (Jan 31 -> Feb 28)."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def age_months(verified_at: str, as_of: dt.date) -> int:
    """Whole months from `verified_at` to `as_of` (negative when verified after it)."""
    day = dt.date.fromisoformat(verified_at)
    months = (as_of.year - day.year) * 12 + as_of.month - day.month
    return months - 1 if add_months(day, months) > as_of else months


_URL = re.compile(r"^https?://(www\.)?", re.I)


def alias_key(text: str) -> str:
    """Aliases compare case-insensitively, URLs without scheme, www. or trailing slash, and a URL
    whose path names a license (SPDX, Creative Commons, Open Data Commons) as that license's id."""
    key = " ".join(text.strip().split()).lower()
    if _URL.match(key):
        key = _URL.sub("", key).rstrip("/")
        key = named_id(re.sub(r"/legalcode(\.[a-z-]+)?$", "", key))
    return key


def clause_level(lic: License) -> bool:
    """Whether each clause the entry cites can be checked against one identified text: the text
    read is recorded with its SHA-256."""
    return bool(lic.text_read and lic.text_sha256)
