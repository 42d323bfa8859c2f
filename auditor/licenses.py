"""The license knowledge base (rules/licenses/*.yaml) and the normalisation of declared licenses.

Manifests name licenses in many ways: Hub ids, SPDX expressions, URLs, free text, or strings that
are no license at all. `interpret` turns what one asset declares into a LicenseReading that says
which known licenses apply, how the statement was read, and what could not be recognised.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml
from license_expression import ExpressionError, LicenseSymbol, LicenseWithExceptionSymbol, Licensing

from auditor.config import DISTRIBUTIONS
from auditor.model import LicenseStatement

UNKNOWN = "NOASSERTION"  # pseudo-license of assets whose terms are not known
NEVER = "never"  # the verification date of an entry nobody checked against its text
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


STATEMENTS = ("binds", "frees", "silent")  # what a license's own text says of trained models and outputs
COPYLEFT_TERMS = ("share_alike", "no_added_restrictions")  # terms whose duty arises only when shared


@dataclass(frozen=True)
class License:
    id: str
    name: str
    family: str
    use: str
    source: str
    training: str  # binds | frees | silent: models trained on the material, by the license's own text
    terms: tuple[Term, ...]
    reaches: tuple[str, ...] = ()
    share_alike_compatible: tuple[str, ...] = ()
    outputs: str = "silent"  # binds | frees | silent: what is generated with the material
    copyleft_triggers: tuple[str, ...] = ()  # release distributions that trigger the copyleft terms
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


@dataclass(eq=False)
class KnowledgeBase:
    licenses: dict[str, License]
    term_kinds: dict[str, dict]
    aliases: dict[str, str]
    not_licenses: dict[str, NotLicense]
    licensing: Licensing = field(repr=False, default=None)
    dual: tuple[DualLicense, ...] = ()

    def family(self, text: str) -> NotLicense | None:
        """The family entry of not-licenses.yaml that `text` names (`cc`, `gpl`, ...), if any."""
        entry = self.not_licenses.get(_alias_key(text))
        return entry if entry and entry.outcome == "family" else None

    def term(self, license_id: str, term: str) -> Term | None:
        lic = self.licenses.get(license_id)
        return next((t for t in lic.terms if t.term == term), None) if lic else None


@dataclass(frozen=True)
class LicenseReading:
    """How an asset's declared licenses were read."""

    status: str  # ok | missing | not_a_license | unknown | unrecognised
    licenses: tuple[str, ...]  # known licenses that apply (all of them)
    expression: str | None
    reading: str
    unrecognised: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()  # when the manifest offers a choice (SPDX OR)
    decided_by: tuple[str, ...] = ()  # per statement, the field read: license, license_name or license_link


@dataclass(frozen=True)
class _Part:
    status: str
    dnf: tuple[tuple[str, ...], ...]  # alternatives, each a conjunction of license keys
    expression: str | None
    reading: str
    notes: tuple[str, ...] = ()
    field: str = "license"  # which field of the statement the reading comes from
    unnamed: bool = False  # `license: other` whose name and link the knowledge base does not know


MAX_ALTERNATIVES = 16
_SEVERITY = ("unrecognised", "unknown", "not_a_license", "missing", "ok")


def load(folder: Path) -> KnowledgeBase:
    """The knowledge base in rules/licenses/ (read by rulebase.load, once per audit)."""
    term_kinds = yaml.safe_load((folder / "terms.yaml").read_text(encoding="utf-8"))
    licenses, aliases = {}, {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name in ("terms.yaml", "not-licenses.yaml", "dual-licenses.yaml"):
            continue
        lic = _license(yaml.safe_load(path.read_text(encoding="utf-8")), term_kinds, path)
        licenses[lic.id] = lic
        for alias in (lic.id, *lic.aliases):
            aliases[_alias_key(str(alias))] = lic.id
    not_licenses = {}
    nl_path = folder / "not-licenses.yaml"
    if nl_path.exists():
        for entry in yaml.safe_load(nl_path.read_text(encoding="utf-8")) or []:
            not_licenses[_alias_key(str(entry["match"]))] = NotLicense(
                str(entry["match"]), entry["outcome"], entry.get("explanation", "")
            )
    symbols = [
        LicenseSymbol(lid, aliases=tuple(a for a, target in aliases.items() if target == lid and a != lid))
        for lid in licenses
    ]
    kb = KnowledgeBase(licenses, term_kinds, aliases, not_licenses, Licensing(symbols))
    dual_path = folder / "dual-licenses.yaml"
    if dual_path.exists():
        kb.dual = tuple(
            DualLicense(
                tuple(frozenset(_resolve(str(s), kb) for s in member) for member in entry["members"]),
                entry["holder"],
                entry["source"],
            )
            for entry in yaml.safe_load(dual_path.read_text(encoding="utf-8")) or []
        )
    return kb


def _resolve(text: str, kb: KnowledgeBase) -> str:
    """A spelling as a license id where the knowledge base knows it, else as its alias key."""
    return kb.aliases.get(_alias_key(text), _alias_key(text))


def _license(data: dict, term_kinds: dict, path: Path) -> License:
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
            )
        )
    reaches = tuple(r["relation"] for r in data.get("reaches", []))
    outputs = data.get("outputs", "binds" if "generated_by" in reaches else "silent")
    for key, value in (("training", data.get("training", "silent")), ("outputs", outputs)):
        if value not in STATEMENTS:
            raise ValueError(f"{path.name}: {key} must be one of {', '.join(STATEMENTS)}")
        if key in data and value != "silent" and not data.get(f"{key}_basis"):
            raise ValueError(f"{path.name}: {key}: {value} needs {key}_basis citing the clause")
    if (outputs == "binds") != ("generated_by" in reaches):
        raise ValueError(f"{path.name}: outputs: binds and reaches: generated_by state the same clause; give both")
    return License(
        id=data["id"],
        name=data["name"],
        family=data["family"],
        use=data["use"],
        source=data["source"],
        training=data.get("training", "silent"),
        terms=tuple(terms),
        reaches=reaches,
        share_alike_compatible=tuple(data.get("share_alike_compatible", [])),
        outputs=outputs,
        copyleft_triggers=_copyleft_triggers(data, {t.term for t in terms}, path),
        licensor=data.get("licensor"),
        licensor_orgs=tuple(str(o) for o in data.get("licensor_orgs", [])),
        aliases=tuple(str(a) for a in data.get("aliases", [])),
        training_basis=_basis(data, "training"),
        outputs_basis=_basis(data, "outputs"),
        copyleft_basis=_basis(data, "copyleft"),
        file=f"rules/licenses/{path.name}",
        verified_at=_verified_at(data, path),
        text_read=str(data["text_read"]) if data.get("text_read") else None,
        text_sha256=_sha256(data, path),
    )


def _basis(data: dict, key: str) -> str | None:
    """The clause-citing sentence behind a statement (training, outputs, copyleft), on one line."""
    if data.get(f"{key}_basis"):
        return " ".join(str(data[f"{key}_basis"]).split())
    clauses = [r["clause"] for r in data.get("reaches", []) if r["relation"] == "generated_by"]
    return f"reaches data generated with the material ({clauses[0]})" if key == "outputs" and clauses else None


def _copyleft_triggers(data: dict, terms: set[str], path: Path) -> tuple[str, ...]:
    """The release distributions that make a copyleft term bite. A license with such terms must say
    (with its clause) whether conveying copies, network use or both trigger them."""
    if not terms & set(COPYLEFT_TERMS):
        return ()
    triggers = tuple(data.get("copyleft_triggers", ()))
    if not triggers or not data.get("copyleft_basis"):
        raise ValueError(
            f"{path.name}: a license with {' or '.join(COPYLEFT_TERMS)} needs copyleft_triggers and copyleft_basis"
        )
    if not set(triggers) <= set(DISTRIBUTIONS) - {"internal"}:
        raise ValueError(f"{path.name}: copyleft_triggers must be among weights, api")
    return triggers


def _verified_at(data: dict, path: Path) -> str | None:
    """YAML reads an unquoted date as a date and a quoted one as text: both become YYYY-MM-DD."""
    value = data.get("verified_at")
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"{path.name}: verified_at {str(value)[:40]!r} is not a date (YYYY-MM-DD)") from None


def _sha256(data: dict, path: Path) -> str | None:
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


def _alias_key(text: str) -> str:
    """Aliases compare case-insensitively, URLs without scheme, www. or trailing slash."""
    key = " ".join(text.strip().split()).lower()
    if _URL.match(key):
        key = _URL.sub("", key).rstrip("/")
        key = re.sub(r"/legalcode(\.[a-z-]+)?$", "", key)
    return key


def interpret(statements: list[LicenseStatement], kb: KnowledgeBase) -> LicenseReading:
    """Read every license an asset declares. Several statements are read as all applying, unless
    they form a known dual license (a choice); a statement the knowledge base cannot read gives way
    to a known statement of the same license (license_name, license_link, the LICENSE text)."""
    return _interpret(tuple((s.raw, s.name, s.link) for s in statements), kb)


@lru_cache(maxsize=65536)
def _interpret(statements: tuple[tuple[str | None, str | None, str | None], ...], kb: KnowledgeBase) -> LicenseReading:
    """The reading depends only on the texts, which repeat across a large graph: cached. Manifests
    merged into one asset often state the same license: it counts once."""
    statements = tuple(dict.fromkeys(statements))
    if not statements:
        return LicenseReading("missing", (), None, "no license declared")
    dual = _dual(statements, kb)
    if dual:
        return dual
    parts = [_one(LicenseStatement(raw, None, name, link), kb) for raw, name, link in statements]
    if any(_known(p, kb) for p in parts) and any(p.unnamed for p in parts):
        parts = [
            replace(
                p,
                status="ok",
                dnf=(),
                expression=None,
                notes=p.notes
                + (f"{p.reading}: another statement of the asset names the license the knowledge base knows",),
            )
            if p.unnamed
            else p
            for p in parts
        ]
    dnf: list[tuple[str, ...]] = [()]
    for part in parts:
        if part.dnf:
            dnf = [tuple(dict.fromkeys(a + b)) for a in dnf for b in part.dnf][:MAX_ALTERNATIVES]
    statuses = {p.status for p in parts}
    status = next(s for s in _SEVERITY if s in statuses)
    expressions = list(
        dict.fromkeys(
            f"({p.expression})" if " OR " in p.expression and len(parts) > 1 else p.expression
            for p in parts
            if p.expression
        )
    )
    reading = (
        parts[0].reading if len(parts) == 1 else "several licenses listed: read as all applying (conjunctive reading)"
    )
    notes = tuple(n for p in parts for n in p.notes)
    decided = tuple(p.field for p in parts)
    unknown = tuple(dict.fromkeys(k for alt in dnf for k in alt if k not in kb.licenses))
    if status == "ok" and unknown:
        status = "unrecognised"
    expression = " AND ".join(expressions) or None
    if len(dnf) > 1:
        choices = tuple(tuple(k if k in kb.licenses else UNKNOWN for k in alt) for alt in dnf)
        return LicenseReading(
            status,
            (),
            expression,
            reading + "; alternatives offered: one is chosen",
            (),
            notes + tuple(f"'{k}' is not a known license" for k in unknown),
            choices,
            decided,
        )
    known = tuple(k for k in dnf[0] if k in kb.licenses)
    return LicenseReading(status, known, expression, reading, unknown, notes, (), decided)


def _dual(statements, kb: KnowledgeBase) -> LicenseReading | None:
    """A list of plain license values that is a known dual license, read as alternatives."""
    if len(statements) < 2 or any(name or link or not raw for raw, name, link in statements):
        return None
    keys = [_resolve(raw, kb) for raw, _, _ in statements]
    for dual in kb.dual:
        if (
            len(keys) == len(dual.members)
            and all(sum(k in m for k in keys) == 1 for m in dual.members)
            and all(any(k in m for m in dual.members) for k in keys)
        ):
            choices = tuple((k if k in kb.licenses else UNKNOWN,) for k in keys)
            reading = (
                f"a dual license of {dual.holder} ({dual.source}): the licensee complies with one of "
                f"{', '.join(raw for raw, _, _ in statements)}; alternatives offered: one is chosen"
            )
            notes = tuple(
                f"'{raw}' is not a known license"
                for (raw, _, _), k in zip(statements, keys, strict=False)
                if k not in kb.licenses
            )
            return LicenseReading(
                "ok",
                (),
                " OR ".join(k if k in kb.licenses else raw for (raw, _, _), k in zip(statements, keys, strict=False)),
                reading,
                (),
                notes,
                choices,
                ("license",) * len(statements),
            )
    return None


def known_readings(statement: LicenseStatement, kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(field, expression) of every field of one statement that the knowledge base can read, to show
    statements that disagree (a card's license against its license_link, say)."""
    return [
        (f, part.expression)
        for f, text in _fields(statement)
        if _known(part := _text(text, kb), kb) and part.expression
    ]


def _fields(statement: LicenseStatement) -> list[tuple[str, str]]:
    raw = statement.raw
    fields = [] if raw is None or raw.strip().lower() == "other" else [("license", raw)]
    return fields + [(f, v) for f, v in (("license_name", statement.name), ("license_link", statement.link)) if v]


def _known(part: _Part, kb: KnowledgeBase) -> bool:
    return part.status == "ok" and bool(part.dnf) and all(k in kb.licenses for alt in part.dnf for k in alt)


def _one(statement: LicenseStatement, kb: KnowledgeBase) -> _Part:
    """The first field of the statement the knowledge base can read decides; the evidence names it."""
    fields = _fields(statement)
    for i, (field_name, text) in enumerate(fields):
        part = _text(text, kb)
        if _known(part, kb):
            if field_name == "license":
                return part
            skipped = "".join(f"; {f} '{t}' is not a license the knowledge base knows" for f, t in fields[:i])
            return replace(part, field=field_name, reading=f"{part.reading}, read from {field_name}{skipped}")
    raw = statement.raw
    if raw is not None and raw.strip().lower() != "other":
        return _text(raw, kb)
    if statement.name:
        return _Part(
            "unrecognised",
            ((statement.name,),),
            statement.name,
            "license: other, named by license_name",
            field="license_name",
            unnamed=True,
        )
    if statement.link:
        return _Part(
            "unknown",
            (),
            None,
            "license: other, with a license_link the knowledge base does not know",
            ("the license is only linked: read it and curate the asset's license",),
            "license_link",
            True,
        )
    return _Part(
        "unknown",
        (),
        None,
        "license 'other' without license_name",
        ("'other' names no license: set license_name and license_link",),
        unnamed=True,
    )


@lru_cache(maxsize=65536)
def _text(raw: str, kb: KnowledgeBase) -> _Part:
    key = _alias_key(raw)
    if key in kb.aliases:
        lid = kb.aliases[key]
        return _Part("ok", ((lid,),), lid, "single license")
    if key in kb.not_licenses:
        nl = kb.not_licenses[key]
        if nl.outcome == "family":
            return _Part(
                "unrecognised", ((raw,),), raw, f"'{raw}' names a license family, not one license", (nl.explanation,)
            )
        status = "not_a_license" if nl.outcome == "not_a_license" else "unknown"
        return _Part(status, (), None, f"'{raw}' is not a license", (nl.explanation,))
    try:
        expr = kb.licensing.parse(raw, validate=False)
    except ExpressionError:
        return _Part("unrecognised", ((raw,),), raw, "not a known license name or SPDX expression")
    if expr is None:
        return _Part("missing", (), None, "empty license")
    # keep the order in which the manifest states licenses: "first alternative" means what it wrote first
    order = {_key(sym, kb): i for i, sym in reversed(list(enumerate(kb.licensing.license_symbols(expr))))}
    alternatives = [
        tuple(sorted(dict.fromkeys(alt), key=order.get)) for alt in _alternatives(kb.licensing.dnf(expr), kb)
    ]
    dnf = tuple(sorted(alternatives, key=lambda alt: [order[k] for k in alt]))
    reading = "SPDX expression with alternatives (OR)" if len(dnf) > 1 else "SPDX expression"
    return _Part("ok", dnf, str(expr), reading)


def _alternatives(expr, kb: KnowledgeBase) -> list[list[str]]:
    """An expression in disjunctive normal form as a list of conjunctions of license keys."""
    disjuncts = expr.args if isinstance(expr, kb.licensing.OR) else (expr,)
    result = []
    for d in disjuncts:
        symbols = d.args if isinstance(d, kb.licensing.AND) else (d,)
        result.append([_key(s, kb) for s in symbols])
    return result


def _key(symbol, kb: KnowledgeBase) -> str:
    if isinstance(symbol, LicenseWithExceptionSymbol):
        symbol = symbol.license_symbol
    key = symbol.key
    if key.endswith("+") and kb.aliases.get(_alias_key(key[:-1] + "-or-later")):
        return kb.aliases[_alias_key(key[:-1] + "-or-later")]
    return kb.aliases.get(_alias_key(key), key)


def lookup(text: str, kb: KnowledgeBase) -> License | None:
    """The entry a name, alias, URL or SPDX id stands for, read as a manifest's license is."""
    part = _text(text, kb)
    if part.status == "ok" and len(part.dnf) == 1 and len(part.dnf[0]) == 1:
        return kb.licenses.get(part.dnf[0][0])
    return None


def clause_level(lic: License) -> bool:
    """Whether each clause the entry cites can be checked against one identified text: the text
    read is recorded with its SHA-256."""
    return bool(lic.text_read and lic.text_sha256)


def summary(lic: License) -> dict:
    """One line of `mlaudit licenses list`."""
    return {
        "id": lic.id,
        "name": lic.name,
        "family": lic.family,
        "use": lic.use,
        "verified_at": lic.verified_at,
        "clause_level": clause_level(lic),
    }


def details(lic: License, as_of: dt.date) -> dict:
    """Everything the knowledge base holds about one license, for `mlaudit licenses show`."""
    return {
        **summary(lic),
        "file": lic.file,
        "source": lic.source,
        "text_read": lic.text_read,
        "text_sha256": lic.text_sha256,
        "as_of": as_of.isoformat(),
        "age_months": age_months(lic.verified_at, as_of) if lic.verified_at else None,
        "aliases": list(lic.aliases),
        "training": lic.training,
        "training_basis": lic.training_basis,
        "outputs": lic.outputs,
        "outputs_basis": lic.outputs_basis,
        "copyleft_triggers": list(lic.copyleft_triggers),
        "copyleft_basis": lic.copyleft_basis,
        "licensor": lic.licensor,
        "licensor_orgs": list(lic.licensor_orgs),
        "terms": [
            {
                "term": t.term,
                "kind": t.kind,
                "text": t.text,
                "clause": t.clause,
                "source": t.source,
                "values": list(t.values),
                "accepts": list(t.accepts),
            }
            for t in lic.terms
        ],
    }
