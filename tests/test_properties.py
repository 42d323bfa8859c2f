"""Property-based tests: the rule base against an independent Python model of propagation, and the
harvester against arbitrary bytes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from conftest import RB, run_audit, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import licenses
from auditor.harvest import harvest

KB = RB.kb
POOL = ["mit", "apache-2.0", "cc-by-nc-4.0", "cc-by-sa-4.0", "llama2", None]
DERIVATIVE = {"finetune", "adapter", "quantized", "merge", "distill", "derived_from", "contains"}


@st.composite
def lineages(draw):
    """A random DAG of 2-7 Hub cards: asset i only references assets with a larger index."""
    n = draw(st.integers(2, 7))
    kinds = ["model"] + [draw(st.sampled_from(["model", "dataset"])) for _ in range(n - 1)]
    assets = []
    for i, kind in enumerate(kinds):
        later = list(range(i + 1, n))
        models = [j for j in later if kinds[j] == "model"]
        datasets = [j for j in later if kinds[j] == "dataset"]
        asset = {"kind": kind, "license": draw(st.sampled_from(POOL)), "edges": []}
        if kind == "model":
            bases = draw(st.lists(st.sampled_from(models), unique=True, max_size=2)) if models else []
            relation = draw(st.sampled_from(["finetune", "adapter", "quantized", "merge"]))
            asset["edges"] += [(j, relation) for j in bases]
            for j in draw(st.lists(st.sampled_from(datasets), unique=True, max_size=2)) if datasets else []:
                asset["edges"].append((j, draw(st.sampled_from(["trained_on", "evaluated_on"]))))
        elif datasets:
            asset["edges"] += [
                (j, "derived_from") for j in draw(st.lists(st.sampled_from(datasets), unique=True, max_size=2))
            ]
        assets.append(asset)
    return assets


def cards(assets) -> dict[str, str]:
    files = {"mlaudit.toml": '[release]\nasset = "org/a0"\nuse = "commercial"\n'}
    for i, a in enumerate(assets):
        front = [f"license: {a['license']}"] if a["license"] else []
        bases = [f"org/a{j}" for j, r in a["edges"] if r in ("finetune", "adapter", "quantized", "merge")]
        if bases:
            front += [f"base_model: [{', '.join(bases)}]", f"base_model_relation: {a['edges'][0][1]}"]
        trained = [f"org/a{j}" for j, r in a["edges"] if r == "trained_on"]
        if trained:
            front.append(f"datasets: [{', '.join(trained)}]")
        evaluated = [f"org/a{j}" for j, r in a["edges"] if r == "evaluated_on"]
        if evaluated:
            front.append(
                "model-index:\n- name: m\n  results:\n"
                + "".join(f"  - dataset: {{name: d, type: {t}}}\n" for t in evaluated).rstrip("\n")
            )
        derived = [f"org/a{j}" for j, r in a["edges"] if r == "derived_from"]
        if derived:
            front.append(f"source_datasets: [{', '.join(derived)}]")
        folder = "datasets/" if a["kind"] == "dataset" else ""
        files[f"{folder}org/a{i}/README.md"] = "---\n" + "\n".join(front) + "\n---\n# Card\n"
    return files


def oracle(assets) -> set[tuple[str, str]]:
    """(license, term) pairs binding asset 0 under the conservative position, computed directly: what
    reaches it from upstream (its own license binds its licensees, not asset 0 itself)."""
    memo: dict[int, set] = {}

    def inherited(i: int) -> set:
        found = set()
        for j, relation in assets[i]["edges"]:
            for lic_p, term in carried(j):
                known = KB.licenses.get(lic_p)
                binds = known.reaches if known else ()
                trains = relation == "trained_on" and not (known and known.training == "frees")
                if relation in DERIVATIVE or trains or relation in binds:
                    found.add((lic_p, term))
        return found

    def carried(i: int) -> set:
        if i in memo:
            return memo[i]
        raw = assets[i]["license"]
        lic = KB.aliases[raw] if raw else licenses.UNKNOWN
        terms = {t.term for t in KB.licenses[lic].terms} if raw else {"unknown_terms"}
        memo[i] = {(lic, t) for t in terms if KB.term_kinds[t]["kind"] in ("condition", "limitation")} | inherited(i)
        return memo[i]

    return inherited(0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lineages())
def test_release_obligations_match_an_independent_model(assets):
    root = Path(tempfile.mkdtemp())
    try:
        doc = run_audit(write_tree(root, cards(assets)))
    finally:
        shutil.rmtree(root)
    reported = {(o["license"], o["term"]) for o in doc["obligations"]}
    expected = oracle(assets)
    assert reported == expected
    conflict = any(f["rule"] == "CMP001" for f in doc["findings"])
    assert conflict == any(t in ("non_commercial", "research_only") for _, t in expected)
    assert doc["assets"][0]["use_category"] in ("commercial", "unspecified", "non-commercial", "academic-only")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_harvest_never_crashes_on_arbitrary_bytes(data):
    root = Path(tempfile.mkdtemp())
    try:
        write_tree(root, {"org/m/README.md": b"---\n" + data, "datasets/org/d/README.md": data})
        result = harvest(root)
        assert len(result.inventory) == 2
        assert {r.source for r in result.records} <= {"org/m/README.md", "datasets/org/d/README.md"}
    finally:
        shutil.rmtree(root)
