"""Every rule has fixtures that must fire (with exactly the expected findings) and must not fire."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, RB, findings_of, run_audit

from auditor import rulebase

RULE_FIXTURES = FIXTURES / "rules"
RULES = RB.rules


def cases(prefix: str) -> list:
    """(rule id, fixture folder) for every fixture folder of every rule."""
    return [
        pytest.param(rule_id, path, id=f"{rule_id}/{path.name}")
        for rule_id, rule in RULES.items()
        for path in sorted((RULE_FIXTURES / rule.path.stem).glob(f"{prefix}*"))
        if path.is_dir()
    ]


@pytest.mark.parametrize("rule_id", sorted(r for r in RULES if not RULES[r].raised_by))
def test_every_rule_has_fire_and_nofire_fixtures(rule_id):
    """Rules raised by Python (the engine cross-check) have dedicated tests instead."""
    folder = RULE_FIXTURES / RULES[rule_id].path.stem
    assert list(folder.glob("fire*")), f"{rule_id}: add fixtures/rules/{folder.name}/fire*/"
    assert list(folder.glob("nofire*")), f"{rule_id}: add fixtures/rules/{folder.name}/nofire*/"


def expectation(rule_id: str, path: Path) -> tuple[list[dict], dict]:
    """A fixture's expect.yaml: the rule it is for, the findings that rule must raise there and the
    audit's options (`as_of`, the date the audit is judged on, for rules that depend on one)."""
    data = yaml.safe_load((path / "expect.yaml").read_text())
    assert data["rule"] == rule_id, f"{path}/expect.yaml names {data['rule']}, the folder is for {rule_id}"
    return data["findings"], {k: data[k] for k in ("as_of",) if k in data}


@pytest.mark.parametrize("rule_id, path", cases("fire"))
def test_rule_fires(rule_id: str, path: Path):
    expected, options = expectation(rule_id, path)
    assert expected, f"{path}: a fire fixture must expect at least one finding"
    found = findings_of(run_audit(path, **options), rule_id)
    got = sorted(
        (f["asset"], sorted((k, str(v)) for k, v in f["detail"].items() if k in e["detail"]))
        for f in found
        for e in expected
        if e["asset"] == f["asset"]
    )
    want = sorted((e["asset"], sorted((k, str(v)) for k, v in e["detail"].items())) for e in expected)
    assert len(found) == len(expected), [f["message"] for f in found]
    assert all(w in got for w in want), (want, [(f["asset"], f["detail"]) for f in found])
    for f in found:
        assert f["evidence"], f"{rule_id}: finding without evidence"
        assert any(step["file"] for step in f["evidence"]), f"{rule_id}: evidence names no file"


@pytest.mark.parametrize("rule_id, path", cases("nofire"))
def test_rule_does_not_fire(rule_id: str, path: Path):
    expected, options = expectation(rule_id, path)
    assert expected == []
    found = findings_of(run_audit(path, **options), rule_id)
    assert found == [], [f["message"] for f in found]


def test_rule_metadata_is_complete():
    for rule in RULES.values():
        assert rule.path.name.startswith(f"{rule.id}-{rule.name}.")
        assert rule.why and rule.how_to_fix and rule.summary
        placeholders = {p.split("}")[0] for p in rule.message.split("{")[1:]}
        named = {d.split(":")[0] for d in rule.detail}
        said = {"asset", "term_text", *named, *({"relation_phrase"} if "relation" in named else ())}
        assert placeholders <= said, rule.id


def test_positions_are_documented():
    positions = RB.positions
    assert {"conservative", "permissive"} <= set(positions)
    assert all(p.summary and p.description for p in positions.values())


def test_unknown_position_is_refused():
    with pytest.raises(rulebase.RuleBaseError, match="unknown legal position"):
        RB.program_files("adventurous")


def test_rule_catalog_is_up_to_date():
    """rules/README.md is generated: `mlaudit rules list --format markdown > rules/README.md`."""
    assert (RULE_FIXTURES.parent.parent / "rules" / "README.md").read_text() == rulebase.catalog(RB)
