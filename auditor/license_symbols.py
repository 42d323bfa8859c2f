"""The symbols of an SPDX license expression read against the knowledge base: each symbol's license
id ("+" for a later version; a WITH the SPDX list does not name kept whole), the exceptions it
grants, and the alternatives its normal form offers."""

from __future__ import annotations

from functools import cache

from license_expression import LicenseExpression, LicenseSymbol, LicenseWithExceptionSymbol, get_license_index

from auditor.licenses import KnowledgeBase

MAX_ALTERNATIVES = 16


def later_notes(symbols: list[LicenseSymbol], kb: KnowledgeBase) -> tuple[str, ...]:
    """Why an id with "+" that has no or-later entry is read as its named version: the licensee may
    always choose that version, and a later one mlaudit does not know is not assumed."""
    plain = (s.license_symbol if isinstance(s, LicenseWithExceptionSymbol) else s for s in symbols)
    return tuple(
        f"'{s.key}' is {license_key(s, kb)} or any later version (SPDX 2.3 Annex D): its later versions are not "
        f"known, so the named version, which the licensee may always choose, is read"
        for s in dict.fromkeys(plain)
        if s.key.endswith("+") and not kb.resolve(s.key[:-1] + "-or-later") and kb.knows(license_key(s, kb))
    )


def exceptions(expr: LicenseExpression, kb: KnowledgeBase) -> tuple[tuple[str, str], ...]:
    """Each license the expression grants WITH an exception: the license's terms are the entry's,
    and the exception is kept, so the compatibility matrix can judge the pair it makes."""
    return tuple(
        (license_key(sym, kb), f"{license_key(sym, kb)} WITH {sym.exception_symbol.key}")
        for sym in kb.licensing.license_symbols(expr, decompose=False)
        if isinstance(sym, LicenseWithExceptionSymbol) and sym.exception_symbol.key.lower() in spdx_exceptions()
    )


def offered(expr: LicenseExpression, kb: KnowledgeBase) -> int:
    """How many alternatives the expression's normal form has at most (an OR adds its operands'
    counts, an AND multiplies them), counted without building it and capped past MAX_ALTERNATIVES."""
    if isinstance(expr, kb.licensing.OR):
        return min(sum(offered(a, kb) for a in expr.args), MAX_ALTERNATIVES + 1)
    if isinstance(expr, kb.licensing.AND):
        count = 1
        for arg in expr.args:
            count = min(count * offered(arg, kb), MAX_ALTERNATIVES + 1)
        return count
    return 1


def alternatives(expr: LicenseExpression, kb: KnowledgeBase) -> list[list[str]]:
    """An expression in disjunctive normal form as a list of conjunctions of license keys."""
    disjuncts = expr.args if isinstance(expr, kb.licensing.OR) else (expr,)
    result = []
    for d in disjuncts:
        symbols = d.args if isinstance(d, kb.licensing.AND) else (d,)
        result.append([license_key(s, kb) for s in symbols])
    return result


def license_key(symbol: LicenseSymbol, kb: KnowledgeBase) -> str:
    """A symbol's license id; a license WITH an exception the SPDX list does not name stays whole,
    a license nobody knows: such a clause may restrict it (as the Commons Clause does)."""
    if isinstance(symbol, LicenseWithExceptionSymbol):
        if symbol.exception_symbol.key.lower() not in spdx_exceptions():
            return f"{license_key(symbol.license_symbol, kb)} WITH {symbol.exception_symbol.key}"
        symbol = symbol.license_symbol
    key: str = symbol.key
    if key.endswith("+"):  # SPDX 2.3 Annex D: this version or any later one
        return kb.resolve(key[:-1] + "-or-later") or kb.resolve(key[:-1]) or key
    return kb.resolve(key) or key


@cache
def spdx_exceptions() -> frozenset[str]:
    """The exceptions of the SPDX License List (as license-expression's bundled index gives them,
    lowercase): each grants permissions beyond its license (an exception to a condition), so the
    license's terms still bind as its entry states them."""
    keys = (e.get("spdx_license_key") for e in get_license_index() if e.get("is_exception"))
    return frozenset(k.lower() for k in keys if k and not k.startswith("LicenseRef-"))
