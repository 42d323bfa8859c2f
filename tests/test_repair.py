"""What would fix it: the smallest changes, to the release first, for the release and for each conflict
(tests/test_fixes_applied.py makes each change offered and audits again)."""

from __future__ import annotations

import json
import re
import shutil

from conftest import FIXTURES, RB, card, findings_of, run_audit, write_tree
from hypothesis import given
from hypothesis import strategies as st

from auditor import engine, release_fixes, repair
from auditor.cli import main
from auditor.prescribed import prefixes_met, prescribed
from auditor.remedy import Change

DEMO = FIXTURES / "releases" / "demo"


def fix_of(doc: dict, rule: str) -> dict:
    [finding] = [f for f in doc["findings"] if f["rule"] == rule]
    return finding["fix"]


def changes(fix: dict) -> list[tuple]:
    return [
        (tuple(c["remove"]), tuple((x["asset"], x["license"]) for x in c["choose"]), tuple(c["raises"]))
        for c in fix["changes"]
    ]


def test_each_conflict_gets_its_own_smallest_fix():
    doc = run_audit(DEMO)
    assert changes(fix_of(doc, "CMP001")) == [(("datasets/tatsu-lab/alpaca",), (), ())]
    assert changes(fix_of(doc, "CMP012")) == [(("datasets/acme/support-tickets",), (), ())]
    # the release as a whole needs both
    assert doc["repairs"]["changes"] == [
        {
            "remove": ["datasets/acme/support-tickets", "datasets/tatsu-lab/alpaca"],
            "choose": [],
            "raises": [],
            "edits": [],
            "says": "remove datasets/acme/support-tickets, datasets/tatsu-lab/alpaca from the lineage (or relicense them)",
        }
    ]
    assert all(f["fix"] is None for f in doc["findings"] if f["family"] != "conflict")


def test_the_suggested_fix_applied_as_a_curation_clears_the_finding(tmp_path):
    release = shutil.copytree(DEMO, tmp_path / "demo")
    [asset] = fix_of(run_audit(release), "CMP001")["changes"][0]["remove"]
    (release / "curations.yaml").write_text(
        f"curations:\n  - asset: {asset}\n    license: CC0-1.0\n    comment: relicensed by its authors\n"
        "    curator: J. Roe\n    date: 2026-11-01\n"
    )
    assert [f for f in run_audit(release)["findings"] if f["rule"] == "CMP001"] == []


def test_relicensing_the_release_comes_before_an_alternative_that_brings_errors(tmp_path):
    """Declaring the release under the share-alike license clears CMP002 and brings nothing; taking
    the upstream under its other alternative would clear it but bring the non-commercial term."""
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "acme/model"\n',
            "acme/model/README.md": card("license: apache-2.0\nbase_model: org/base"),
            "org/base/README.md": card("license: cc-by-nc-4.0 OR gpl-3.0"),
        },
    )
    doc = run_audit(root)
    assert doc["license_choices"][0]["chosen"] == ["GPL-3.0-only"]  # fewer errors than CC-BY-NC-4.0
    [change] = fix_of(doc, "CMP002")["changes"]
    assert changes(fix_of(doc, "CMP002")) == [((), (), ())]
    assert [(e["kind"], e["value"], e["file"]) for e in change["edits"]] == [
        ("relicense", "GPL-3.0-only", "acme/model/README.md")
    ]
    assert "GPL-3.0-only" in change["says"] and "mlaudit licenses suggest" in change["says"]


def test_relicensing_says_a_link_to_the_license_does_where_its_text_accepts_one(tmp_path):
    """CC BY-SA 4.0 Section 3(a)(1)(C): "include the text of, or the URI or hyperlink to, this Public
    License"; the GPL asks for the text itself (GPL-3.0 Section 4)."""
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "acme/model"\n',
            "acme/model/README.md": card("license: mit\ndatasets:\n- org/data"),
            "org/data/README.md": card("license: cc-by-sa-4.0\ntask_categories:\n- text-generation"),
        },
    )
    says = {e["value"]: e["says"] for c in fix_of(run_audit(root), "CMP002")["changes"] for e in c["edits"]}
    assert "or a link to it (CC-BY-SA-4.0 Section 3(a)(1)(C) accepts its URI)" in says["CC-BY-SA-4.0"]
    assert "its LICENSE file, in place of any other" in says["GPL-3.0-only"]


def test_a_license_suggest_offers_once_the_rest_of_the_change_is_made_is_a_fix(tmp_path):
    """An upstream of unknown terms leaves no license to suggest; removing it makes GPL-3.0 one, so
    the release is relicensed and the unknown upstream removed, and the model it is a quantized
    copy of is kept."""
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "acme/model"\n[[lineage]]\nchild = "acme/model"\n'
            'parent = "datasets/acme/logs"\nrelation = "trained_on"\n',
            "acme/model/README.md": card("license: apache-2.0\nbase_model: org/base\nbase_model_relation: quantized"),
            "org/base/README.md": card("license: gpl-3.0"),
            "datasets/acme/logs/README.md": "# Logs\n",
        },
    )
    doc = run_audit(root)
    assert doc["outbound_licenses"] == []
    [change] = doc["repairs"]["changes"]
    assert change["remove"] == ["datasets/acme/logs"]
    assert [(e["kind"], e["value"]) for e in change["edits"]] == [("relicense", "GPL-3.0-only")]


def test_a_change_says_what_it_brings_about():
    change = Change(("org/a",), (("org/b", "CC-BY-NC-4.0"),), ("CMP001",))
    assert change.says() == (
        "remove org/a from the lineage (or relicense it); and take org/b under CC-BY-NC-4.0 (this brings about CMP001)"
    )


def test_explain_prints_the_findings_own_fix(tmp_path, capsys):
    out = tmp_path / "out"
    main(["audit", str(DEMO), "--out", str(out), "--fail-on", "never"])
    capsys.readouterr()
    doc_id = next(f["id"] for f in run_audit(DEMO)["findings"] if f["rule"] == "CMP012")
    assert main(["explain", doc_id, "--report", str(out / "report.json")]) == 0
    text = capsys.readouterr().out
    assert "What would fix it" in text and "datasets/acme/support-tickets" in text
    assert "datasets/tatsu-lab/alpaca" not in text.split("What would fix it")[1]


def test_a_stored_report_of_schema_1_5_renders_its_changes_in_words(tmp_path, capsys):
    """Reports written before changes carried their words (`says`) and edits render with both."""
    out = tmp_path / "out"
    main(["audit", str(DEMO), "--out", str(out), "--fail-on", "never"])
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for remedy in [doc["repairs"], *(f["fix"] for f in doc["findings"] if f["fix"])]:
        remedy["changes"] = [
            {k: c[k] for k in ("remove", "choose", "raises")} for c in remedy["changes"] if not c["edits"]
        ]
    doc["schema_version"] = "1.5.0"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc), encoding="utf-8")
    capsys.readouterr()
    assert main(["report", str(old), "--out", str(tmp_path / "again"), "--fail-on", "never"]) == 0
    again = json.loads((tmp_path / "again" / "report.json").read_text(encoding="utf-8"))
    [change] = again["repairs"]["changes"]
    assert change["edits"] == [] and change["says"] == (
        "remove datasets/acme/support-tickets, datasets/tatsu-lab/alpaca from the lineage (or relicense them)"
    )
    assert change["says"] in capsys.readouterr().out


NAMING_PREFIXES = sorted({v for term, v in prescribed(RB.kb) if term == "naming_prefix"})


@given(name=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,40}", fullmatch=True), prefix=st.sampled_from(NAMING_PREFIXES))
def test_a_rename_meets_the_prefix_as_the_naming_rule_reads_it(name, prefix):
    """Whatever the release is called, the new name offered begins with the prescribed prefix as
    name_starts (CMP008) reads it, and keeps the old name after it."""
    new = release_fixes.renamed(name, prefix)
    assert new is not None and new.endswith(name)
    assert prefix in prefixes_met(new, RB.kb)


def test_the_release_facts_written_aside_are_those_the_repair_program_derives_again():
    """A fact of the release written as as_found and never derived again would vanish from every
    repair: the two lists must agree."""
    program = (RB.repair_files[0].parent / "repair.lp").read_text(encoding="utf-8")
    derived = set(re.findall(r"^(\w+)\(.*:- as_found\(\1\(", program, re.M))
    assert derived == release_fixes.REPLACEABLE


def _chain(n: int) -> dict[str, str]:
    """org/mN, a fine-tune of org/mN-1 ... of base/m0, which trained on a non-commercial dataset."""
    files = {
        "mlaudit.toml": f'[release]\nasset = "org/m{n}"\nuse = "commercial"\n',
        "datasets/nc/data/README.md": card("license: cc-by-nc-4.0"),
        "base/m0/README.md": card("license: apache-2.0\ndatasets:\n- nc/data"),
    }
    for i in range(1, n + 1):
        parent = "base/m0" if i == 1 else f"org/m{i - 1}"
        files[f"org/m{i}/README.md"] = card(f"license: apache-2.0\nbase_model: {parent}\nbase_model_relation: finetune")
    return files


def test_the_repair_search_optimises_as_the_audit_does(tmp_path, monkeypatch):
    """Branch and bound improved a deep lineage's repair one removal a model: minutes for a few
    hundred levels. The repair search proves its optimum with cores, as the audit's choice does."""
    strategies = []
    grounded = engine._grounded

    def spy(files, facts, optimise, strategy=()):
        strategies.append(strategy)
        return grounded(files, facts, optimise, strategy)

    monkeypatch.setattr(engine, "_grounded", spy)
    doc = run_audit(write_tree(tmp_path, _chain(6)))
    assert doc["repairs"]["sets"] == [["datasets/nc/data"]]
    assert strategies and set(strategies) == {engine.CORES}


def _merged(copies: int) -> dict[str, str]:
    """acme/merged (GPL-3.0) merges `copies` quantized copies of GPL-3.0 bases declared MIT (each a
    CMP002 of the copy) and trains on a non-commercial and a no-derivatives dataset."""
    files = {
        "mlaudit.toml": '[release]\nasset = "acme/merged"\nuse = "commercial"\ndistribution = "weights"\n',
        "datasets/nc/data/README.md": card("license: cc-by-nc-4.0"),
        "datasets/nd/data/README.md": card("license: cc-by-nd-4.0"),
    }
    for i in range(copies):
        files[f"gb{i}/m/README.md"] = card("license: gpl-3.0")
        files[f"q{i}/m-gguf/README.md"] = card(f"license: mit\nbase_model: gb{i}/m\nbase_model_relation: quantized")
    merged = "".join(f"- q{i}/m-gguf\n" for i in range(copies))
    files["acme/merged/README.md"] = card(
        f"license: gpl-3.0\nbase_model:\n{merged}base_model_relation: merge\ndatasets:\n- nc/data\n- nd/data"
    )
    return files


def test_past_the_cut_the_releases_own_conflicts_are_searched_first_and_none_pads_a_fix(tmp_path, monkeypatch):
    """Conflicts were searched in report order, so the release's own could be left unsearched, and
    a conflict left unsearched counted as one a change brings about: the non-commercial finding's
    fix removed the no-derivatives dataset too."""
    monkeypatch.setattr(repair, "MAX_AIMED", 3)
    doc = run_audit(write_tree(tmp_path, _merged(2)))
    own = {f["rule"]: f["fix"] for f in doc["findings"] if f["asset"] == "acme/merged" and f["fix"]}
    assert {rule: fix["status"] for rule, fix in own.items()} == {
        "CMP001": "found",
        "CMP004": "found",
        "CMP006": "found",
    }
    assert changes(own["CMP001"]) == [(("datasets/nc/data",), (), ())]
    assert changes(own["CMP004"]) == [(("datasets/nd/data",), (), ())]
    copies = [f["fix"] for f in doc["findings"] if f["rule"] == "CMP002"]
    assert [fix["status"] for fix in copies] == ["not-computed", "not-computed"]
    assert "the release's own first" in copies[0]["note"]
    monkeypatch.setattr(repair, "MAX_AIMED", 1)  # the release's no-derivatives conflict left unsearched
    alone = run_audit(write_tree(tmp_path / "alone", _merged(1)))
    assert changes(fix_of(alone, "CMP001")) == [(("datasets/nc/data",), (), ())]
    assert fix_of(alone, "CMP004")["status"] == "not-computed"


def test_a_release_failing_on_its_upstreams_conflicts_is_not_told_it_has_none(tmp_path, capsys):
    """The release's own search found nothing to clear and said "no error-level license conflict"
    while an upstream copy's conflict failed the audit."""
    tree = write_tree(
        tmp_path / "release",
        {
            "mlaudit.toml": '[release]\nasset = "acme/ft"\nuse = "commercial"\n',
            "base/m/README.md": card("license: gpl-3.0"),
            "q/m-gguf/README.md": card("license: mit\nbase_model: base/m\nbase_model_relation: quantized"),
            "acme/ft/README.md": card("license: gpl-3.0\nbase_model: q/m-gguf\nbase_model_relation: finetune"),
        },
    )
    doc = run_audit(tree)
    assert doc["verdict"] == "fail" and findings_of(doc, "CMP002")
    note = doc["repairs"]["note"]
    assert "no error-level license conflict of its own" in note and "upstream assets (1) fail the audit too" in note
    main(["audit", str(tree), "--out", str(tmp_path / "out")])
    assert "upstream assets (1) fail the audit too" in capsys.readouterr().out
