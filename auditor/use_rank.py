"""How wide a use a licence allows by its own terms, as a rank to compare a derivative's licence with
its upstream's (drift's "more permissive than upstream"): the `use` of rules/licenses, widest first."""

from __future__ import annotations

from license_expression import AND, OR, ExpressionError, LicenseWithExceptionSymbol

from auditor.licenses import KnowledgeBase

USE_RANK = {"commercial": 0, "unspecified": 1, "non-commercial": 2, "academic-only": 3}


def of(expression: str, kb: KnowledgeBase) -> int | None:
    """How wide a use a licence expression allows by its licences' own terms: a licence's rank; of
    licences that all apply (AND), the narrowest; of a choice (OR), the widest; an exception
    (WITH) as its licence; None where a licence is not known or the text is no expression."""
    try:
        return _ranked(kb.licensing.parse(expression), kb)
    except ExpressionError:
        return None


def _ranked(node: object, kb: KnowledgeBase) -> int | None:
    """The rank of a parsed expression's node (see `of`)."""
    if isinstance(node, LicenseWithExceptionSymbol):
        return _ranked(node.license_symbol, kb)
    if isinstance(node, AND | OR):
        ranks = [_ranked(arg, kb) for arg in node.args]
        known = [r for r in ranks if r is not None]
        if len(known) < len(ranks):  # a licence of unknown use: the whole is not ranked
            return None
        return max(known) if isinstance(node, AND) else min(known)
    entry = kb.entry(str(getattr(node, "key", "")))
    return USE_RANK.get(entry.use) if entry is not None else None
