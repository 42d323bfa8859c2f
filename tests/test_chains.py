"""Evidence chains: the walk up a term's lineage, made once per asset and shared, gives each chain
exactly as the plain walk gives it, one step at a time, in lineages with and without cycles."""

from __future__ import annotations

from conftest import FIXTURES, RB, findings_of, run_audit
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.chains import Chains
from auditor.facts import FactBase
from auditor.interpretation import Step
from auditor.model import Asset, AssetGraph, Evidence, Harvest

LICENSE, TERM = "CC-BY-NC-4.0", "non_commercial"
SIZE = 7  # assets 1..SIZE


def lineage(edges: set[tuple[int, int]], via: set[tuple[int, int]], holders: set[int], newest: set[int]) -> Chains:
    """A lineage of SIZE assets: its edges (child, parent), those the term came through (`via`),
    the assets whose own license holds it, and the children that track their parent's newest revision."""
    keys = ["", *(f"model:org/m{i}" for i in range(1, SIZE + 1))]
    fb = FactBase(keys=keys)
    for child, parent in sorted(edges):
        fb.add(("edge", child, parent, "finetune"), Evidence(f"m{child}/README.md", "/base_model", parent))
        if child in newest:
            fb.add(("tracks_newest", child, parent, "main"), Evidence(f"m{child}/README.md", "/base_model", 1))
    for a in sorted(holders):
        fb.add(("licensed", a, LICENSE), Evidence(f"m{a}/README.md", "/license", 1))
    graph = AssetGraph({k: Asset(k.split(":")[1], "model") for k in keys[1:]}, [], Harvest(""))
    return Chains(fb, graph, RB.kb, [(c, p, LICENSE, TERM) for c, p in sorted(via)])


def walked(chains: Chains, a: int, from_parent: bool) -> tuple[Step, ...]:
    """The chain as the plain walk makes it: up the first parent (by key) the term came through,
    until an asset holding the license (`a` itself only when not `from_parent`), an asset without
    such a parent, or an asset already passed, whose own statements then end the chain."""
    chain: list[Step] = []
    seen: set[int] = set()
    while (from_parent or (a, LICENSE) not in chains.holds) and a not in seen:
        from_parent = False
        seen.add(a)
        parents = [p for c, p in sorted(chains.edges) if c == a and p in chains.via.get((a, LICENSE, TERM), ())]
        if not parents:
            break
        parent = min(parents, key=chains.fb.keys.__getitem__)
        chain += chains.steps(("edge", a, parent, "finetune"))
        if (a, parent) in chains.newest:
            fact, evidence = chains.newest[(a, parent)]
            chain.append(Step(chains.name(a), chains.describe(fact), evidence[-1].file, evidence[-1].pointer, 1))
        a = parent
    held = [step for fact, _ in chains.holds.get((a, LICENSE), []) for step in chains.steps(fact)]
    return (*chain, *held, chains.clause(LICENSE, TERM))


ASSETS = st.integers(1, SIZE)


@settings(max_examples=300, deadline=None)
@given(
    edges=st.sets(st.tuples(ASSETS, ASSETS), max_size=16),
    through=st.data(),
    holders=st.sets(ASSETS, max_size=3),
    newest=st.sets(ASSETS, max_size=2),
    asked=st.lists(st.tuples(ASSETS, st.booleans()), min_size=1, max_size=12),
)
def test_shared_chains_are_the_plain_walks_in_any_order_and_through_cycles(edges, through, holders, newest, asked):
    via = through.draw(st.sets(st.sampled_from(sorted(edges)))) if edges else set()
    shared = lineage(edges, via, holders, newest)  # asked in turn: each answer reuses what the earlier made
    for a, from_parent in asked:
        expected = walked(lineage(edges, via, holders, newest), a, from_parent)
        assert shared.carries(a, LICENSE, TERM, from_parent) == expected


def test_a_cycle_ends_the_chain_where_it_comes_back():
    chains = lineage({(1, 2), (2, 3), (3, 2)}, {(1, 2), (2, 3), (3, 2)}, set(), set())
    steps = chains.carries(1, LICENSE, TERM, from_parent=True)
    assert [s.pointer for s in steps[:-1]] == ["/base_model"] * 3  # 1 -> 2 -> 3 -> 2, then no further
    assert steps == walked(chains, 1, True)
    assert chains.carries(2, LICENSE, TERM) == walked(chains, 2, False)


def test_a_term_a_release_omits_is_shown_from_the_upstream_that_imposes_it():
    """The release offering CC-BY-NC-4.0 itself is no evidence of what binds it: the chain reaches the
    upstream whose license imposes the term (a license binds its licensee, not its licensor)."""
    doc = run_audit(
        FIXTURES / "rules" / "CMP006-release-license-too-permissive" / "fire-release-offers-permissive-alternative"
    )
    (finding,) = findings_of(doc, "CMP006")
    held = [e for e in finding["evidence"] if e["fact"].endswith("is licensed CC-BY-NC-4.0")]
    assert [(e["asset"], e["file"]) for e in held] == [("org/base", "org/base/README.md")]
