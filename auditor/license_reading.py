"""Reading the licenses a manifest declares against the knowledge base (`licenses`).

Manifests name licenses in many ways: Hub ids, SPDX expressions, URLs, free text, or strings that
are no license at all. `read_declared` turns what one asset declares into a LicenseReading that says
which known licenses apply, how the statement was read, and what could not be recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from license_expression import (
    ExpressionError,
    LicenseExpression,
)

from auditor import license_symbols
from auditor.licenses import UNKNOWN, DualLicense, KnowledgeBase, License, alias_key, license_id
from auditor.model import Asset, Described, LicenseStatement
from auditor.naming import display_name, organisation

# the longest SPDX expression parsed: license_expression's parser takes about 5 ms a kilobyte (a 1 MB
# "MIT AND MIT AND …" 6 s), and a real one, even of a large package's SBOM entry, is a few hundred bytes
MAX_EXPRESSION_CHARS = 8192
SHOWN_CHARS = 100  # of an expression too long to read, what reports show
_SEVERITY = ("unrecognised", "unknown", "not_a_license", "missing", "ok")

# a statement's license, license_name, license_link, the LicenseRefs its document describes, and its file
Texts = tuple[str | None, str | None, str | None, tuple[Described, ...], str]


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
    exceptions: tuple[tuple[str, str], ...] = ()  # (license, "license WITH exception") as the expression says
    granted: tuple[tuple[str, str], ...] = ()  # (a dual license's member as written, the license it grants)
    unread: tuple[tuple[str, str], ...] = ()  # (text as shown, why): statements past a reader's bound, not read


@dataclass(frozen=True)
class _Part:
    status: str
    dnf: tuple[tuple[str, ...], ...]  # alternatives, each a conjunction of license keys
    expression: str | None
    reading: str
    notes: tuple[str, ...] = ()
    field: str = "license"  # which field of the statement the reading comes from
    unnamed: bool = False  # `license: other` whose name and link the knowledge base does not know
    exceptions: tuple[tuple[str, str], ...] = ()
    unread: bool = False  # past a reader's bound: what it says is unknown, not an unknown license


def read_declared(statements: list[LicenseStatement], kb: KnowledgeBase, asset: Asset | None = None) -> LicenseReading:
    """Read every license `asset` declares. Several statements are read as all applying, unless
    they form a known dual license of the asset's holder (a choice); a statement the knowledge base
    cannot read gives way to a known statement of the same license (license_name, license_link, the
    LICENSE text)."""
    texts = tuple((s.raw, s.name, s.link, s.described, s.evidence.file) for s in statements)
    return _read(texts, kb, _held(asset, kb))


def _held(asset: Asset | None, kb: KnowledgeBase) -> tuple[DualLicense, ...]:
    """The known dual licenses whose holder publishes `asset`: a dual license is its holder's offer,
    so the same list on anyone else's asset names the licenses of its parts."""
    if asset is None:
        return ()
    org, name = organisation(asset).lower(), display_name(asset.kind, asset.id).lower()
    return tuple(d for d in kb.dual if org in d.organisations or name in d.ids)


@lru_cache(maxsize=65536)
def _read(statements: tuple[Texts, ...], kb: KnowledgeBase, duals: tuple[DualLicense, ...]) -> LicenseReading:
    """The reading depends only on the texts and the dual licenses of the asset's holder, which
    repeat across a large graph: cached. Manifests merged into one asset often state the same
    license: it counts once."""
    statements = tuple({texts[:4]: texts for texts in reversed(statements)}.values())[::-1]
    if not statements:
        return LicenseReading("missing", (), None, "no license declared")
    dual = _dual(statements, kb, duals)
    if dual:
        return dual
    files = [texts[4] for texts in statements]
    return _combine(_settle_unnamed([_one(texts, kb) for texts in statements], files, kb), kb)


def _settle_unnamed(parts: list[_Part], files: list[str], kb: KnowledgeBase) -> list[_Part]:
    """A `license: other` the knowledge base cannot name, the only license its file states, gives
    way to a known statement of another file (a LICENSE text naming it). A member of a list (a
    card's `license: [cc-by-4.0, other]`) is the license of another part, which still applies."""
    note = ": another file of the asset names the license the knowledge base knows"
    known_in = {f for p, f in zip(parts, files, strict=True) if _known(p, kb)}
    return [
        replace(p, status="ok", dnf=(), expression=None, notes=p.notes + (f"{p.reading}{note}",))
        if p.unnamed and files.count(f) == 1 and known_in - {f}
        else p
        for p, f in zip(parts, files, strict=True)
    ]


def _combine(parts: list[_Part], kb: KnowledgeBase) -> LicenseReading:
    """Statements read as all applying: their alternatives multiplied out, the worst status kept."""
    dnf: list[tuple[str, ...]] = [()]
    for part in parts:
        if part.dnf:
            dnf = [tuple(dict.fromkeys(a + b)) for a in dnf for b in part.dnf][: license_symbols.MAX_ALTERNATIVES]
    statuses = {p.status for p in parts}
    status = next(s for s in _SEVERITY if s in statuses)
    expressions = list(
        dict.fromkeys(
            f"({p.expression})" if " OR " in p.expression and len(parts) > 1 else p.expression
            for p in parts
            if p.expression
        )
    )
    stating = [p for p in parts if p.expression] or parts  # a settled `license: other` states none
    several = "several licenses listed: read as all applying (conjunctive reading)"
    reading = stating[0].reading if len(stating) == 1 else several
    notes = tuple(n for p in parts for n in p.notes)
    decided = tuple(p.field for p in parts)
    exceptions = tuple(dict.fromkeys(e for p in parts for e in p.exceptions))
    unread = tuple((p.expression, p.reading) for p in parts if p.unread and p.expression)
    unknown = tuple(dict.fromkeys(k for alt in dnf for k in alt if not kb.knows(k)))
    if status == "ok" and unknown:
        status = "unrecognised"
    expression = " AND ".join(expressions) or None
    if len(dnf) > 1:
        choices = tuple(tuple(k if kb.knows(k) else UNKNOWN for k in alt) for alt in dnf)
        unknown_notes = tuple(f"'{k}' is not a known license" for k in unknown)
        offered = reading + "; alternatives offered: one is chosen"
        return LicenseReading(
            status, (), expression, offered, (), notes + unknown_notes, choices, decided, exceptions, unread=unread
        )
    known = tuple(k for k in dnf[0] if kb.knows(k))
    return LicenseReading(status, known, expression, reading, unknown, notes, (), decided, exceptions, unread=unread)


def _dual(statements: tuple[Texts, ...], kb: KnowledgeBase, duals: tuple[DualLicense, ...]) -> LicenseReading | None:
    """A list of plain license values that is a known dual license of the asset's holder, read as
    alternatives: each member as the license it grants in that set."""
    raws = [raw for raw, name, link, *_ in statements if raw and not name and not link]
    if len(statements) < 2 or len(raws) < len(statements):
        return None
    keys = [license_id(raw, kb.aliases) for raw in raws]
    dual = next((d for d in duals if _matches(keys, d)), None)
    if dual is None:
        return None
    keys = [dict(dual.grants).get(k, k) for k in keys]
    choices = tuple((k if k in kb.licenses else UNKNOWN,) for k in keys)
    reading = (
        f"a dual license of {dual.holder} ({dual.source}): the licensee complies with one of "
        f"{', '.join(raws)}; alternatives offered: one is chosen"
    )
    granted = tuple((raw, k) for raw, k in zip(raws, keys, strict=True) if license_id(raw, kb.aliases) != k)
    notes = tuple(
        f"'{raw}' is not a known license" for raw, k in zip(raws, keys, strict=True) if k not in kb.licenses
    ) + tuple(f"'{raw}' grants {k} in this dual license ({dual.grants_source})" for raw, k in granted)
    expression = " OR ".join(k if k in kb.licenses else raw for raw, k in zip(raws, keys, strict=True))
    decided = ("license",) * len(raws)
    return LicenseReading("ok", (), expression, reading, (), notes, choices, decided, (), granted)


def _matches(keys: list[str], dual: DualLicense) -> bool:
    """Whether the keys name each member of the set once, and nothing else."""
    return (
        len(keys) == len(dual.members)
        and all(sum(k in m for k in keys) == 1 for m in dual.members)
        and all(any(k in m for m in dual.members) for k in keys)
    )


def known_readings(statement: LicenseStatement, kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(field, expression) of every field of one statement that the knowledge base can read, to show
    statements that disagree (a card's license against its license_link, say)."""
    return [
        (f, part.expression)
        for f, text in _fields(statement.raw, statement.name, statement.link)
        if _known(part := _text(text, kb), kb) and part.expression
    ]


def _fields(raw: str | None, name: str | None, link: str | None) -> list[tuple[str, str]]:
    fields = [] if raw is None or raw.strip().lower() == "other" else [("license", raw)]
    return fields + [(f, v) for f, v in (("license_name", name), ("license_link", link)) if v]


def _known(part: _Part, kb: KnowledgeBase) -> bool:
    return part.status == "ok" and bool(part.dnf) and all(kb.knows(k) for alt in part.dnf for k in alt)


def _one(texts: Texts, kb: KnowledgeBase) -> _Part:
    """The first field of the statement the knowledge base can read decides; the evidence names it.
    Known fields that name different licenses are all read as applying: nothing says which is true,
    so the stricter binds until the card is corrected."""
    raw, name, link, described, _ = texts
    fields = _fields(raw, name, link)
    known = [(i, f, part) for i, (f, t) in enumerate(fields) if _known(part := _text(t, kb), kb)]
    if known:
        i, field_name, part = known[0]
        if len({p.dnf for _, _, p in known}) > 1:
            return _contradicting([(f, p) for _, f, p in known])
        if field_name == "license":
            return part
        skipped = "".join(f"; {f} '{t}' is not a license the knowledge base knows" for f, t in fields[:i])
        return replace(part, field=field_name, reading=f"{part.reading}, read from {field_name}{skipped}")
    if raw is not None and raw.strip().lower() != "other":
        return _described(raw, described, kb) if described else _text(raw, kb)
    return _other(name, link)


def _contradicting(known: list[tuple[str, _Part]]) -> _Part:
    """A statement whose known fields name different licenses (license: cc-by-4.0 with a
    license_link to CC BY-NC): every reading applies, as a list of licenses of parts does."""
    dnf: list[tuple[str, ...]] = [()]
    for _, part in known:
        dnf = [tuple(dict.fromkeys(a + b)) for a in dnf for b in part.dnf][: license_symbols.MAX_ALTERNATIVES]
    expressions = dict.fromkeys(
        f"({p.expression})" if " OR " in str(p.expression) else str(p.expression) for _, p in known
    )
    said = ", ".join(f"{f} {p.expression}" for f, p in known)
    return _Part(
        "ok",
        tuple(dnf),
        " AND ".join(expressions),
        f"the statement's fields name different licenses ({said}): all read as applying until it is corrected",
        tuple(n for _, p in known for n in p.notes),
        known[0][0],
        exceptions=tuple(e for _, p in known for e in p.exceptions),
    )


def _described(raw: str, described: tuple[Described, ...], kb: KnowledgeBase) -> _Part:
    """An expression with LicenseRefs its document describes: each read by its name, else its link,
    as a card's license_name and license_link are, and read as that license beside the expression's
    known parts; one they do not identify stays unknown, saying where its text is if the document
    gives it, so that a person reads it. An expression too long to read is not searched for them."""
    if len(raw) > MAX_EXPRESSION_CHARS:
        return _text(raw, kb)
    notes, unread = [], {}
    for ref, name, link, has_text in described:
        known = next((k for k in (_identified(t, kb) for t in (name, link) if t) if k), None)
        if known:
            raw = re.sub(rf"(?<![\w.:-]){re.escape(ref)}(?![\w.-])", known, raw)
            said = f"'{name}'" if name else f"<{link}>"
            notes.append(f"'{ref}' is read as {known}: the document's hasExtractedLicensingInfos names it {said}")
        elif has_text:
            unread[ref] = f"{ref} (its text is in the document's hasExtractedLicensingInfos: read it)"
    part = _text(raw, kb)
    dnf = tuple(tuple(unread.get(k, k) for k in alt) for alt in part.dnf)
    return replace(part, dnf=dnf, notes=part.notes + tuple(notes))


def _identified(text: str, kb: KnowledgeBase) -> str | None:
    """The one known license a name or link stands for, else None."""
    part = _text(text, kb)
    return part.dnf[0][0] if _known(part, kb) and len(part.dnf) == 1 and len(part.dnf[0]) == 1 else None


def _other(name: str | None, link: str | None) -> _Part:
    """`license: other` (or none) with what its license_name and license_link say, unread."""
    if name:
        return _Part(
            "unrecognised", ((name,),), name, "license: other, named by license_name", (), "license_name", True
        )
    if link:
        reading = "license: other, with a license_link the knowledge base does not know"
        note = "the license is only linked: read it and curate the asset's license"
        return _Part("unknown", (), None, reading, (note,), "license_link", True)
    note = "'other' names no license: set license_name and license_link"
    return _Part("unknown", (), None, "license 'other' without license_name", (note,), unnamed=True)


@lru_cache(maxsize=65536)
def _text(raw: str, kb: KnowledgeBase) -> _Part:
    current = kb.current(raw)
    if current != raw:
        part = _text(current, kb)
        note = f"'{raw}' uses deprecated SPDX ids: read as {current} (SPDX License List, deprecated-ids.yaml)"
        return replace(part, notes=part.notes + (note,))
    key = alias_key(raw)
    if key in kb.aliases:
        lid = kb.aliases[key]
        return _Part("ok", ((lid,),), lid, "single license")
    if nl := kb.not_license(raw):
        if nl.outcome == "family":
            return _Part(
                "unrecognised", ((raw,),), raw, f"'{raw}' names a license family, not one license", (nl.explanation,)
            )
        status = "not_a_license" if nl.outcome == "not_a_license" else "unknown"
        return _Part(status, (), None, f"'{raw}' is not a license", (nl.explanation,))
    listed = kb.resolve(raw)
    if listed:
        return _Part("ok", ((listed,),), listed, "single license")
    if len(raw) > MAX_EXPRESSION_CHARS:  # named by its start: every finding about it repeats the name
        shown = f"{raw[:SHOWN_CHARS]}… [{len(raw) - SHOWN_CHARS} more characters]"
        note = f"an SPDX expression longer than {MAX_EXPRESSION_CHARS} characters is not read"
        return _Part("unrecognised", ((shown,),), shown, note, unread=True)
    try:
        expr = kb.licensing.parse(raw, validate=False)
    except ExpressionError:
        return _Part("unrecognised", ((raw,),), raw, "not a known license name or SPDX expression")
    if expr is None:
        return _Part("missing", (), None, "empty license")
    return _expression(expr, kb)


def _expression(expr: LicenseExpression, kb: KnowledgeBase) -> _Part:
    """An SPDX expression's alternatives, in the order the manifest states its licenses: "first
    alternative" means what it wrote first. One offering more than license_symbols.MAX_ALTERNATIVES is not read: its
    normal form grows exponentially with its clauses ("(a OR b) AND (c OR d) AND …"), and no
    release needs more to be judged."""
    if license_symbols.offered(expr, kb) > license_symbols.MAX_ALTERNATIVES:
        note = f"an SPDX expression offering more than {license_symbols.MAX_ALTERNATIVES} alternatives is not read"
        return _Part("unrecognised", ((str(expr),),), str(expr), note, unread=True)
    symbols = kb.licensing.license_symbols(expr, decompose=False)
    order = {license_symbols.license_key(sym, kb): i for i, sym in reversed(list(enumerate(symbols)))}
    alternatives = [
        tuple(sorted(dict.fromkeys(alt), key=lambda k: order[k]))
        for alt in license_symbols.alternatives(kb.licensing.dnf(expr), kb)
    ]
    dnf = tuple(sorted(alternatives, key=lambda alt: [order[k] for k in alt]))
    reading = "SPDX expression with alternatives (OR)" if len(dnf) > 1 else "SPDX expression"
    return _Part(
        "ok",
        dnf,
        str(expr),
        reading,
        license_symbols.later_notes(symbols, kb),
        exceptions=license_symbols.exceptions(expr, kb),
    )


def lookup(text: str, kb: KnowledgeBase) -> License | None:
    """The entry a name, alias, URL or SPDX id stands for, read as a manifest's license is."""
    part = _text(text, kb)
    if part.status == "ok" and len(part.dnf) == 1 and len(part.dnf[0]) == 1:
        return kb.entry(part.dnf[0][0])
    return None
