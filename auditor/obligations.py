"""Obligations: the terms the release inherits from its lineage, read back from the rules' atoms.

Each obligation names the license clause, the upstream assets that impose it, whether the release
meets it (as the rules judged its files) with the facts that judgement rests on, and the NOTICE
texts and copyright notices it must carry.
"""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from auditor import shipped
from auditor.chains import Chains
from auditor.interpretation import Notice, Obligation, Row
from auditor.licenses import KnowledgeBase, Term
from auditor.predicates import Atoms


def read(atoms: Atoms, release: int, chains: Chains) -> tuple[Obligation, ...]:
    """The conditions and limitations that reach `release` from upstream, in (kind, license, term) order."""
    kb = chains.kb
    status = {(a, lic, term): s.replace("_", "-") for a, lic, term, s in atoms.obligation_status}
    basis: dict[tuple[int, str, str], list[Row]] = defaultdict(list)
    for a, lic, term, fact in atoms.status_basis:
        basis[(a, lic, term)].append(cast(Row, fact))  # a fact is a compound term (rules/lib/obligations.lp)
    untriggered = {tuple(row) for row in atoms.get("untriggered", [])}
    found = []
    for a, lic, term in sorted(atoms.inherited, key=lambda c: (kb.term_kinds[c[2]]["kind"], c[1], c[2])):
        kind = kb.term_kinds[term]["kind"]
        if a != release or kind not in ("condition", "limitation"):
            continue
        t = kb.term(lic, term)
        facts = sorted(basis[(a, lic, term)], key=repr)
        origins = _origins(release, lic, term, chains)
        shown = [("has_notice", o) for o in sorted(origins)] if (a, lic, term) in untriggered else facts
        found.append(
            Obligation(
                term,
                kind,
                lic,
                t.text if t else kb.term_kinds[term]["summary"],
                t.clause if t else "",
                t.source if t else "",
                tuple(sorted(str(chains.name(o)) for o in origins)),
                t.values if t else (),
                entry.name if (entry := kb.entry(lic)) else lic,
                status[(a, lic, term)],
                tuple(dict.fromkeys(step for fact in facts for step in chains.steps(fact))),
                _notices(shown, chains) if _carries_notices(kb, term, t) else (),
                bool(t and t.uri_suffices),
                (a, lic, term) not in untriggered,
                _copyrights(origins, chains) if kb.term_kinds[term].get("keeps") == "copyright" else (),
                chains.read_on(lic),
            )
        )
    return tuple(found)


def _notices(facts: list[Row], chains: Chains) -> tuple[Notice, ...]:
    """The NOTICE texts of the upstream assets an obligation's status rests on."""
    return tuple(
        Notice(chains.name(fact[1]), where.file, text)
        for fact in facts
        if fact[0] == "has_notice"
        for text, where in shipped.notices(chains.graph.assets[chains.fb.keys[fact[1]]])
    )


def _copyrights(origins: set[int], chains: Chains) -> tuple[Notice, ...]:
    """The copyright notices found in the license and NOTICE files of the assets imposing the term."""
    return tuple(
        Notice(chains.name(o), where.file, line, where.line)
        for o in sorted(origins, key=lambda o: str(chains.name(o)))
        for line, where in shipped.copyrights(chains.graph.assets[chains.fb.keys[o]])
    )


def _carries_notices(kb: KnowledgeBase, term: str, t: Term | None) -> bool:
    """Whether the term asks the release to carry its upstream NOTICE texts (none prescribed)."""
    return kb.term_kinds[term].get("check") == "notice" and not (t and t.values)


def _origins(a: int, lic: str, term: str, chains: Chains) -> set[int]:
    """Every asset upstream of `a` whose own license holds the term that reaches `a` (never `a`
    itself: a license binds its licensees, not the asset's own publisher)."""
    origins, stack, seen = set(), [a], set()
    while stack:
        x = stack.pop()
        if x in seen:
            continue
        seen.add(x)
        if x != a and (x, lic) in chains.holds:
            origins.add(x)
        stack.extend(chains.via.get((x, lic, term), ()))
    return origins
