"""The vocabularies of auditor/vocabulary.py are the ones the rules, the knowledge base and report.json use."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from clingo import ast
from conftest import RB

from auditor.report import spdx3
from auditor.resources import rules_dir, schema_path
from auditor.vocabulary import (
    RELATIONS,
    SEVERITIES,
    USES,
    InventoryStatus,
    ObligationStatus,
    Relation,
    ReviewStatus,
    SectionStatus,
    Severity,
    Verdict,
)

# Where the rules name a vocabulary's member: predicate name -> argument position -> vocabulary.
ARGUMENTS = {
    "edge": {2: RELATIONS},
    "binds": {1: RELATIONS},
    "crosses": {2: RELATIONS},
    "position_crosses": {1: RELATIONS},
    "adaptation": {0: RELATIONS},
    "copy": {0: RELATIONS},
    "collection": {0: RELATIONS},
    "derivative": {0: RELATIONS},
    "remakes": {0: RELATIONS},
    "whole_of": {0: RELATIONS},
    "use_only": {0: RELATIONS},
    "rule_severity": {1: SEVERITIES},
    "obligation_status": {3: tuple(s.replace("-", "_") for s in ObligationStatus)},
    "heading": {4: tuple(SectionStatus)},
}


def _constants(term: ast.AST) -> list[str]:
    """The constants a term stands for: itself, or each alternative of a pool (`a; b`)."""
    if term.ast_type == ast.ASTType.Pool:
        return [c for t in term.arguments for c in _constants(t)]
    if term.ast_type == ast.ASTType.Function and not term.arguments:
        return [term.name]
    if term.ast_type == ast.ASTType.SymbolicTerm and str(term.symbol)[:1].islower():
        return [str(term.symbol)]
    return []


def _named_in_rules() -> dict[str, set[tuple[str, Path]]]:
    """predicate -> (constant, file) for each constant the rule files give a vocabulary argument."""
    found: dict[str, set[tuple[str, Path]]] = defaultdict(set)
    paths = sorted(rules_dir().rglob("*.lp"))

    class Visitor(ast.Transformer):
        path: Path

        def visit_SymbolicAtom(self, node: ast.AST) -> ast.AST:
            pooled = node.symbol.ast_type == ast.ASTType.Pool  # p(a; b) is parsed as p(a); p(b)
            for symbol in node.symbol.arguments if pooled else [node.symbol]:
                if symbol.ast_type == ast.ASTType.Function and symbol.name in ARGUMENTS:
                    for position in ARGUMENTS[symbol.name]:
                        for constant in _constants(symbol.arguments[position]):
                            found[f"{symbol.name}/{position}"].add((constant, self.path))
            return node

    visitor = Visitor()
    for path in paths:
        visitor.path = path
        ast.parse_files([str(path)], lambda statement: visitor(statement))
    return found


NAMED = _named_in_rules()


@pytest.mark.parametrize("where", sorted(f"{p}/{i}" for p, positions in ARGUMENTS.items() for i in positions))
def test_every_constant_the_rules_give_a_vocabulary_argument_is_a_member(where):
    name, position = where.rsplit("/", 1)
    members = ARGUMENTS[name][int(position)]
    strays = sorted(f"{constant} in {path.name}" for constant, path in NAMED.get(where, ()) if constant not in members)
    assert not strays


def test_the_rules_name_relations_and_statuses_at_all():
    """The visitor finds what it looks for, so the test above cannot pass by finding nothing."""
    assert {c for c, _ in NAMED["adaptation/0"]} >= {"finetune", "distill"}
    assert {c for c, _ in NAMED["obligation_status/3"]} == {"met", "unmet", "cannot_tell"}
    assert {c for c, _ in NAMED["rule_severity/1"]} == {"error"}


def test_the_rules_and_python_agree_on_which_relations_only_use_the_parent():
    assert {c for c, _ in NAMED["use_only/0"]} == set(USES)


def test_every_rule_has_a_severity_of_the_vocabulary():
    assert {r.severity for r in RB.rules.values()} <= set(Severity)


def test_every_relation_a_license_reaches_is_a_member():
    reached = {r for lic in RB.kb.licenses.values() for r in lic.reaches}
    assert reached and reached <= set(Relation)


def test_every_relation_of_the_golden_reports_is_a_member():
    golden = Path(__file__).parent / "golden"
    edges = [e for path in golden.glob("*.report.json") for e in json.loads(path.read_text())["edges"]]
    assert edges and {e["relation"] for e in edges} <= set(Relation)


def test_the_spdx_export_maps_every_relation():
    assert set(spdx3.LINEAGE) == set(Relation)


def _enums(node: object, path: str = "") -> dict[str, list[object]]:
    """JSON pointer -> enum of every enum in a JSON schema."""
    found: dict[str, list[object]] = {}
    if isinstance(node, dict):
        if "enum" in node:
            found[path] = node["enum"]
        for key, value in node.items():
            found |= _enums(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found |= _enums(value, f"{path}/{i}")
    return found


@pytest.mark.parametrize(
    ("pointer", "vocabulary"),
    [
        ("/properties/verdict", Verdict),
        ("/$defs/finding/properties/severity", Severity),
        ("/$defs/finding/properties/status", ReviewStatus),
        ("/$defs/edge/properties/relation", Relation),
        ("/$defs/obligation/properties/status", ObligationStatus),
        ("/$defs/inventory/properties/status", InventoryStatus),
    ],
)
def test_report_schema_enums_are_the_vocabulary_in_order(pointer, vocabulary):
    enums = _enums(json.loads(schema_path("report").read_text(encoding="utf-8")))
    assert enums[pointer] == [str(member) for member in vocabulary]


def test_members_compare_and_serialise_as_their_strings():
    assert Relation.TRAINED_ON == "trained_on" and json.dumps([Severity.ERROR]) == '["error"]'
    assert f"{Verdict.FAIL:<6}|" == "fail  |" and Relation("finetune").phrase == "is a fine-tune of"
    assert [s.rank for s in Severity] == [0, 1, 2] and SectionStatus.FILLED.rank > SectionStatus.EMPTY.rank
    assert all(r.noun and r.phrase for r in Relation) and all(s.phrase for s in SectionStatus)
