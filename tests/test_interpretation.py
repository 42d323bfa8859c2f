"""The interpret stage on its own: atoms written by hand over a small release give findings with
their messages and evidence chains, obligations and outbound requirements; curation and the repair
step return new values and leave their inputs as they were."""

from __future__ import annotations

import string
from dataclasses import FrozenInstanceError, replace

import pytest
from conftest import RB, card, write_tree

from auditor import config, facts, findings, licenses, repair, review, schema
from auditor.chains import Chains
from auditor.graph import build
from auditor.harvest import harvest
from auditor.interpretation import Interpretation
from auditor.reasoning import Atoms, Difference, Reasoning
from auditor.remedy import Change, Remedies, Remedy

NC = "CC-BY-NC-4.0"
Rows = dict[str, list[tuple]]  # atoms written by hand: rows by predicate name
FILES = {
    "mlaudit.toml": '[release]\nasset = "acme/m"\nuse = "commercial"\n',
    "acme/m/README.md": card("license: apache-2.0\nbase_model: org/base\nbase_model_relation: finetune\n"),
    "org/base/README.md": card("license: cc-by-nc-4.0\n"),
}
CURATIONS = """\
curations:
  - {asset: org/base, license: mit, comment: misread, curator: jane, date: 2026-01-01}
  - {asset: org/base, license: apache-2.0, comment: again, curator: joe, date: 2026-01-02}
  - {asset: org/gone, license: mit, comment: no such asset, curator: jane, date: 2026-01-01}
"""


def staged(tmp_path, curations: str = "") -> tuple[review.Curated, facts.FactBase]:
    """The stages before reasoning, run one by one on FILES."""
    root = write_tree(tmp_path / "release", FILES)
    settings = replace(config.load(root), as_of=config.today())
    texts = {"curations": ("curations.yaml", curations)} if curations else {}
    curated = review.curate(build(harvest(root, settings.asset)), review.load(texts, set(RB.rules)))
    fb = facts.encode(curated.graph, settings, RB)
    return curated, fb


def read(curated: review.Curated, fb: facts.FactBase, atoms: Rows, *differences: Difference) -> Interpretation:
    reasoning = Reasoning(Atoms(list, atoms), ("clingo",), differences)  # as the engines return them
    return findings.read_atoms(reasoning, fb, curated.graph, RB)


def ids(fb: facts.FactBase) -> tuple[int, int]:
    return fb.keys.index("model:acme/m"), fb.keys.index("model:org/base")


def non_commercial(fb: facts.FactBase) -> Rows:
    """CMP001 on the release: the non-commercial term reaches it from its base model."""
    m, base = ids(fb)
    row = ("CMP001", m, NC, "non_commercial", "commercial")
    return {
        "finding": [row],
        "because": [(*row, ("inherited", m, NC, "non_commercial")), (*row, ("release", m, "commercial", "weights"))],
        "via": [(m, base, NC, "non_commercial")],
    }


def test_a_finding_has_its_message_and_a_chain_to_the_license_clause(tmp_path):
    curated, fb = staged(tmp_path)
    (finding,) = read(curated, fb, non_commercial(fb)).findings
    assert (
        finding.message
        == "acme/m is released for commercial use but is bound by the non-commercial term of CC-BY-NC-4.0"
    )
    assert (finding.asset, dict(finding.detail)) == (
        "acme/m",
        {"license": NC, "term": "non_commercial", "use": "commercial"},
    )
    facts_said = [step.fact for step in finding.evidence]
    assert facts_said[:3] == [
        "acme/m is released for commercial use as weights",
        "acme/m is a fine-tune of org/base",
        "org/base is licensed CC-BY-NC-4.0",
    ]
    assert facts_said[3].startswith("CC-BY-NC-4.0 Section") and finding.evidence[3].file.startswith("https://")
    assert finding.evidence[1].file == "acme/m/README.md" and finding.evidence[2].file == "org/base/README.md"
    assert finding.remedy is None


def test_engine_disagreements_come_first_and_the_result_is_frozen(tmp_path):
    curated, fb = staged(tmp_path)
    result = read(curated, fb, non_commercial(fb), Difference("outbound", [("MIT",)], []))
    assert [f.rule for f in result.findings] == ["INP004", "CMP001"]
    assert "only clingo derives outbound('MIT',)" in result.findings[0].message
    with pytest.raises(FrozenInstanceError):
        result.findings = ()


def test_obligations_and_the_requirements_that_limit_outbound_licenses(tmp_path):
    curated, fb = staged(tmp_path)
    m, base = ids(fb)
    atoms = {
        "inherited": [(m, NC, "non_commercial"), (m, NC, "attribution")],
        "obligation_status": [(m, NC, "non_commercial", "cannot_tell"), (m, NC, "attribution", "met")],
        "via": [(m, base, NC, "non_commercial"), (m, base, NC, "attribution")],
        "outbound": [(m, "CC-BY-NC-4.0"), (m, "CC-BY-NC-SA-4.0"), (base, "MIT")],
        "outbound_requirement": [(m, NC, "non_commercial"), (base, NC, "attribution")],
    }
    result = read(curated, fb, atoms)
    assert [(o.term, o.kind, o.status, o.imposed_by) for o in result.obligations] == [
        ("attribution", "condition", "met", ("org/base",)),
        ("non_commercial", "limitation", "cannot-tell", ("org/base",)),
    ]
    assert [o.term for o in result.outbound_requirements] == ["non_commercial"]
    assert result.outbound == ("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0")
    assert (result.release, result.release_basis) == ("model:acme/m", fb.release_basis)


def test_every_phrase_names_arguments_of_its_predicate_and_known_filters(tmp_path):
    curated, fb = staged(tmp_path)
    chains = Chains(fb, curated.graph, licenses.load(), [])
    filters = {*chains.filters, *chains.of_asset}  # of a value, or of the asset an argument names
    for predicate in schema.PREDICATES:
        names = {spec.split(":")[0] for spec in predicate.args}
        for _, field, spec, _ in string.Formatter().parse(predicate.phrase):
            if field is not None:
                assert field in names, f"{predicate.name}: {{{field}}} is not one of its arguments"
                assert not spec or spec in filters, f"{predicate.name}: no filter {spec!r}"


def test_the_repair_step_returns_a_new_interpretation(tmp_path):
    curated, fb = staged(tmp_path)
    result = read(curated, fb, non_commercial(fb))
    change = Change(("org/base",), (), ())
    remedies = Remedies(
        Remedy("found", (change,), "the release's note"),
        {result.findings[0].id: Remedy("found", (change,), "its note")},
    )
    remedied = repair.remedied(result, remedies)
    assert remedied.remedy == remedies.release and remedied.findings[0].remedy.note == "its note"
    assert result.remedy is None and result.findings[0].remedy is None
    assert remedied.findings[0].message == result.findings[0].message


def test_curation_returns_a_new_graph_and_what_it_could_not_apply(tmp_path):
    curated, fb = staged(tmp_path, CURATIONS)
    graph = build(harvest(tmp_path / "release", "acme/m"))
    decisions = review.load({"curations": ("curations.yaml", CURATIONS)}, set(RB.rules))
    assert review.curate(graph, decisions) == curated
    assert graph.assets["model:org/base"].curation is None
    assert curated.graph.assets["model:org/base"].curation.license == "mit"
    assert [o["asset"] for o in curated.orphaned] == ["org/gone"]
    assert [p["message"] for p in curated.problems] == ["a second curation of org/base; the first one is applied"]
    result = read(curated, fb, {})
    assert result.curated_from == {"model:org/base": "CC-BY-NC-4.0"}
    assert result.readings["model:org/base"].expression == "MIT"
