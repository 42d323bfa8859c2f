"""Demand: a predicate every reader joins with another literal is derived only for the rows read.

The rules state some predicates over the whole graph that are read for a few assets only:
via(C, P, L, T) is read beside cone(C) (by inherited, notice_from and its #show condition), so
deriving it for every edge of a million-asset lake is work no atom depends on. For a predicate that
is not read back and not recursive, if in every body that reads it (positively or negated) the
variable at one of its arguments also occurs in another positive literal (a guard), its rules get
one more literal, `<pred>__demand<k>(V)`, whose rules project those guards (magic sets, one argument
deep). A reader sees the rows whose argument its own guard holds, and the demand keeps them all:
the atoms read back are the same. The guards must not depend on the predicate, so no cycle arises.

Only an argument holding assets that some rule of the predicate takes from the input tables alone
is restricted, and only by guards the rules derive: those rows grow with the graph, and a derived
guard is what the rules already narrowed (the cone, the release's obligations). A predicate over
licences or terms, or already derived from narrowed ones, stays as it is.
"""

from __future__ import annotations

from auditor import datalog, schema
from auditor.datalog import Literal, Rule, Var


def restrict(translation: datalog.Translation) -> list[Rule]:
    """The translation's rules, each predicate that can be restricted to its demand restricted."""
    rules = list(translation.rules)
    shapes = translation.shapes.items()
    shown = {pred for pred, shape in shapes if datalog.is_shown(*shape[:2], pred, translation.shown)}
    reads, assets = _reads(rules), _asset_columns(rules)
    for pred in sorted({rule.head[0] for rule in rules} - shown):
        own = [rule for rule in rules if rule.head[0] == pred]
        readers = [(rule, lit) for rule in rules for lit in rule.body if lit[0] != "cmp" and lit[1] == pred]
        if not readers or _depends(reads, pred, pred):
            continue
        for k in sorted(assets.get(pred, ())):
            guards = [_guard(rule, lit[2][k], pred, reads) for rule, lit in readers]
            heads = [rule.head[1][k] for rule in own]
            wide = any(not _guard(rule, arg, pred, reads) for rule, arg in zip(own, heads, strict=True))
            if wide and all(guards) and all(isinstance(arg, Var) for arg in heads):
                demand = f"{pred}__demand{k}"
                rules = [_demanded(rule, demand, k) if rule.head[0] == pred else rule for rule in rules]
                rules += [Rule((demand, [Var("D")]), [guard], f"demand of {pred}") for guard in _unique(guards)]
                reads = _reads(rules)
                break
    return rules


def _asset_columns(rules: list[Rule]) -> dict[str, set[int]]:
    """The arguments that hold assets: typed `asset` in auditor/schema.py, or bound in some rule by
    an argument that does."""
    found: dict[str, set[int]] = {}
    for name, known in schema.SCHEMA.items():
        found[f"{name}__{known.arity}"] = {i for i, t in enumerate(known.types) if t == "asset"}
    changed = True
    while changed:
        changed = False
        for rule in rules:
            held = {arg for _, pred, args in rule.body for i, arg in enumerate(args) if i in found.get(pred, ())}
            new = {k for k, arg in enumerate(rule.head[1]) if isinstance(arg, Var) and arg in held}
            changed |= not new <= found.setdefault(rule.head[0], set())
            found[rule.head[0]] |= new
    return found


def _reads(rules: list[Rule]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in rules:
        found.setdefault(rule.head[0], set()).update(lit[1] for lit in rule.body if lit[0] != "cmp")
    return found


def _depends(reads: dict[str, set[str]], pred: str, on: str) -> bool:
    """Whether `pred` reads `on`, directly or through other predicates."""
    seen, todo = set(), list(reads.get(pred, ()))
    while todo:
        nxt = todo.pop()
        if nxt == on:
            return True
        if nxt not in seen:
            seen.add(nxt)
            todo += reads.get(nxt, ())
    return False


def _guard(rule: Rule, arg: object, pred: str, reads: dict[str, set[str]]) -> Literal | None:
    """The first other positive literal of the body holding the variable, as a demand rule's body
    (the variable renamed D, the other variables fresh, the constants kept)."""
    if not isinstance(arg, Var):
        return None
    for kind_, other, args in rule.body:
        holds = [isinstance(a, Var) and a == arg for a in args]
        if kind_ == "pos" and other in reads and other != pred and any(holds) and not _depends(reads, other, pred):
            fresh = [Var(f"D{i}") if isinstance(a, Var) else a for i, a in enumerate(args)]
            return ("pos", other, [Var("D") if h else a for a, h in zip(fresh, holds, strict=True)])
    return None


def _unique(guards: list[Literal | None]) -> list[Literal]:
    found: dict[str, Literal] = {}
    for guard in guards:
        if guard is not None:
            found.setdefault(repr(guard), guard)
    return list(found.values())


def _demanded(rule: Rule, demand: str, k: int) -> Rule:
    return Rule(rule.head, [*rule.body, ("pos", demand, [rule.head[1][k]])], rule.where)
