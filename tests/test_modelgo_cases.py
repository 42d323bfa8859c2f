"""The shapes of ModelGo's case studies (Duan et al., WWW 2024, doi 10.1145/3589334.3645520), audited
under both legal positions. Each case states the outcome mlaudit gives and the clauses it rests on;
the expectations are the reading a reviewer would give, not whatever the tool happens to print."""

from __future__ import annotations

import pytest
from conftest import card, run_audit, write_tree

DATA = "task_categories: [text-generation]"


def dataset(license_: str) -> str:
    return card(f"license: {license_}\n{DATA}", "# Data\n")


CASES = {
    # A corpus combined from CC works (a collection, `contains`), then a model trained on it and shipped
    # commercially under Apache-2.0. Whether CC licenses reach trained weights is the unsettled question:
    # the conservative position says they do, so the NC term blocks (CC BY-NC 4.0 s1(i), s2(a)(1)) and
    # the SA term requires the weights be shared under BY-SA (s3(b)); the permissive position reads CC
    # licenses as silent on training. The corpus itself is a collection: CC BY-SA s1(a) makes no
    # adaptation of it, so it may carry its own license.
    "corpus-combination": {
        "mlaudit.toml": '[release]\nasset = "acme/m"\n'
        '[[lineage]]\nchild = "datasets/acme/corpus"\nparent = "datasets/org/by"\nrelation = "contains"\n'
        '[[lineage]]\nchild = "datasets/acme/corpus"\nparent = "datasets/org/by-sa"\nrelation = "contains"\n'
        '[[lineage]]\nchild = "datasets/acme/corpus"\nparent = "datasets/org/by-nc"\nrelation = "contains"\n',
        "datasets/org/by/README.md": dataset("cc-by-4.0"),
        "datasets/org/by-sa/README.md": dataset("cc-by-sa-4.0"),
        "datasets/org/by-nc/README.md": dataset("cc-by-nc-4.0"),
        "datasets/acme/corpus/README.md": dataset("cc-by-4.0"),
        "acme/m/README.md": card("license: apache-2.0\ndatasets: [acme/corpus]"),
    },
    # A mixture of experts merged from a Llama 2 fine-tune and an AGPL-3.0 model, served as SaaS. A merge is
    # a derivative under every position. AGPL-3.0 s13 reaches network use, so its no-further-restrictions
    # condition (s10) meets Llama 2's use restrictions (s1(b)(iv)): no license satisfies both; and the
    # service must offer its source under the AGPL (CMP002), which Apache-2.0 is not.
    "moe-saas-agpl": {
        "mlaudit.toml": '[release]\nasset = "acme/moe"\ndistribution = "api"\n',
        "org/llama-expert/README.md": card("license: llama2\nbase_model: meta-llama/Llama-2-7b-hf"),
        "meta-llama/Llama-2-7b-hf/README.md": card("license: llama2"),
        "org/agpl-expert/README.md": card("license: agpl-3.0"),
        "acme/moe/README.md": card(
            "license: apache-2.0\nbase_model: [org/llama-expert, org/agpl-expert]\nbase_model_relation: merge"
        ),
    },
    # The same service with a GPL-3.0 expert: GPL-3.0 s0 says mere network interaction is not conveying,
    # and s2 lets works that are not conveyed be run without conditions: no copyleft conflict. The Llama 2
    # use restrictions still travel with the merge (s1(b)(iv)), and a service declared Apache-2.0 drops
    # them (CMP006).
    "moe-saas-gpl": {
        "mlaudit.toml": '[release]\nasset = "acme/moe"\ndistribution = "api"\n',
        "org/llama-expert/README.md": card("license: llama2\nbase_model: meta-llama/Llama-2-7b-hf"),
        "meta-llama/Llama-2-7b-hf/README.md": card("license: llama2"),
        "org/gpl-expert/README.md": card("license: gpl-3.0"),
        "acme/moe/README.md": card(
            "license: apache-2.0\nbase_model: [org/llama-expert, org/gpl-expert]\nbase_model_relation: merge"
        ),
    },
    # A generation pipeline: instructions generated with Llama 2 70B chat, a Mistral (Apache-2.0) model
    # fine-tuned on them. Llama 2 s1(b)(v) forbids using its output to improve any other LLM, by its own
    # text: the ban binds under both positions (CMP011).
    "generation-pipeline": {
        "mlaudit.toml": '[release]\nasset = "acme/m"\n'
        '[[lineage]]\nchild = "datasets/acme/synth"\nparent = "meta-llama/Llama-2-70b-chat-hf"\n'
        'relation = "generated_by"\n',
        "meta-llama/Llama-2-70b-chat-hf/README.md": card("license: llama2"),
        "datasets/acme/synth/README.md": dataset("apache-2.0"),
        "mistralai/Mistral-7B-v0.1/README.md": card("license: apache-2.0"),
        "acme/m/README.md": card("license: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\ndatasets: [acme/synth]"),
    },
    # Distillation and amalgamation: a student distilled from a Llama 3 teacher and a GPL-3.0 teacher,
    # shipped as weights under Apache-2.0. Llama 3 reaches distillation by its text (s1(b)(i), s1(b)(v)):
    # the student must be named "Llama 3..." (CMP008) and keep its restrictions (CMP006); distilling the
    # GPL-3.0 teacher's model makes a modified work (s5(c)), which cannot also carry Llama's use
    # restrictions (s10, CMP005) nor be declared Apache-2.0 (CMP002).
    "distill-amalgamation": {
        "mlaudit.toml": '[release]\nasset = "acme/student"\n'
        '[[lineage]]\nchild = "acme/student"\nparent = "meta-llama/Meta-Llama-3-8B"\nrelation = "distill"\n'
        '[[lineage]]\nchild = "acme/student"\nparent = "org/gpl-teacher"\nrelation = "distill"\n',
        "meta-llama/Meta-Llama-3-8B/README.md": card("license: llama3"),
        "org/gpl-teacher/README.md": card("license: gpl-3.0"),
        "acme/student/README.md": card("license: apache-2.0"),
    },
}

# (case, position) -> rules that must be found on the release, and rules that must not.
OUTCOMES = {
    ("corpus-combination", "conservative"): ({"CMP001", "CMP002"}, {"CMP004", "CMP012"}),
    ("corpus-combination", "permissive"): (set(), {"CMP001", "CMP002", "CMP012"}),
    ("moe-saas-agpl", "conservative"): ({"CMP002", "CMP005", "CMP006"}, {"CMP008", "CMP012"}),
    ("moe-saas-agpl", "permissive"): ({"CMP002", "CMP005", "CMP006"}, {"CMP012"}),
    ("moe-saas-gpl", "conservative"): ({"CMP006"}, {"CMP002", "CMP003", "CMP005"}),
    ("moe-saas-gpl", "permissive"): ({"CMP006"}, {"CMP002", "CMP003", "CMP005"}),
    ("generation-pipeline", "conservative"): ({"CMP011"}, {"CMP001", "CMP012"}),
    ("generation-pipeline", "permissive"): ({"CMP011"}, {"CMP001", "CMP012"}),
    ("distill-amalgamation", "conservative"): ({"CMP002", "CMP005", "CMP006", "CMP008"}, {"CMP012"}),
    ("distill-amalgamation", "permissive"): ({"CMP002", "CMP005", "CMP006", "CMP008"}, {"CMP012"}),
}


@pytest.mark.parametrize("case, position", sorted(OUTCOMES))
def test_modelgo_case_study_shapes(tmp_path, case, position):
    doc = run_audit(write_tree(tmp_path, CASES[case]), position=position)
    release = doc["release"]["asset"]
    found = {f["rule"] for f in doc["findings"] if f["asset"] == release and f["family"] == "conflict"}
    must, must_not = OUTCOMES[(case, position)]
    assert must <= found, (case, position, sorted(found))
    assert not must_not & found, (case, position, sorted(found))
    assert doc["verdict"] == ("fail" if must else "pass"), (case, position, sorted(found))
