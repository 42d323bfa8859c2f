"""The report: golden demo, determinism, the JSON contract, and untrusted text in the HTML."""

from __future__ import annotations

import json
import os
import re

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, card, run_audit, with_unrelated, write_tree

from auditor import document
from auditor.cli import main
from auditor.resources import schema_path

DEMO = FIXTURES / "releases" / "demo"
SCENARIOS = sorted(p.name for p in (FIXTURES / "releases").iterdir() if p.is_dir())


AS_OF = "2026-12-05"  # the goldens are judged on a fixed date: license knowledge ages, the goldens must not


def render(tmp_path, scenario="demo", name="out"):
    out = tmp_path / name
    main(["audit", str(FIXTURES / "releases" / scenario), "--out", str(out), "--fail-on", "never", "--as-of", AS_OF])
    return (out / "report.json").read_text(encoding="utf-8"), (out / "report.html").read_text(encoding="utf-8")


def render_demo(tmp_path, name="out"):
    return render(tmp_path, "demo", name)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_matches_its_golden_report(tmp_path, scenario):
    """Set MLAUDIT_UPDATE_GOLDEN=1 to accept a deliberate change (and review the diff). Golden
    files are kept indented so that such diffs are readable."""
    golden = ROOT / "tests" / "golden" / f"{scenario}.report.json"
    produced = json.loads(render(tmp_path, scenario)[0])
    if os.environ.get("MLAUDIT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(produced, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert produced == json.loads(golden.read_text(encoding="utf-8"))


def test_multi_format_scenario_crosses_formats_and_shows_disagreement():
    doc = run_audit(FIXTURES / "releases" / "credit-risk")
    formats = {i["format"] for i in doc["inventory"] if i["status"] == "read"}
    assert {"hf-card", "model-folder", "cyclonedx", "croissant", "openml"} <= formats
    edges = {(e["child"], e["relation"], e["parent"], e["file"].split("/")[0]) for e in doc["edges"]}
    assert ("acme/credit-risk-v2", "trained_on", "datasets/credit-g", "sbom") in edges  # CycloneDX -> OpenML
    assert (
        "acme/credit-risk-v2",
        "trained_on",
        "datasets/acme/loan-applications",
        "acme",
    ) in edges  # card -> Croissant
    disagreement = next(f for f in doc["findings"] if f["rule"] == "PRV003" and f["detail"]["aspect"] == "license")
    assert (
        "README.md (declared): Apache-2.0" in disagreement["message"]
        and "cdx.json (declared): MIT" in disagreement["message"]
    )
    assert {s["file"] for s in disagreement["evidence"]} == {
        "acme/credit-risk-v2/README.md",
        "sbom/credit-risk-v2.cdx.json",
    }


def test_reports_are_byte_identical_across_runs(tmp_path):
    assert render_demo(tmp_path, "a") == render_demo(tmp_path, "b")


def test_demo_report_follows_the_schema():
    doc = run_audit(DEMO)
    jsonschema.Draft202012Validator(json.loads(schema_path().read_text())).validate(doc)
    assert doc["schema_version"] == document.SCHEMA_VERSION


def test_demo_shows_every_family_with_evidence():
    doc = run_audit(DEMO)
    families = {f["family"] for f in doc["findings"]}
    assert families == {"license", "obligation", "conflict", "provenance", "documentation", "input"}
    for f in doc["findings"]:
        assert f["evidence"] and f["id"].startswith(f["rule"] + "-")


def test_demo_conflict_chain_reaches_the_dataset_card_line():
    doc = run_audit(DEMO)
    (conflict,) = [f for f in doc["findings"] if f["rule"] == "CMP001"]
    where = [(s["file"], s["pointer"], s["line"]) for s in conflict["evidence"]]
    assert ("acme/support-chat-7b/README.md", "datasets[0]", 9) in where
    assert ("datasets/tatsu-lab/alpaca/README.md", "license", 2) in where
    assert any("Section 1(i)" in s["fact"] for s in conflict["evidence"])


def test_obligations_name_who_imposes_them():
    doc = run_audit(DEMO)
    notice = next(
        o for o in doc["obligations"] if o["term"] == "include_notice" and o["license"].startswith("LicenseRef-Llama-2")
    )
    assert notice["imposed_by"] == ["acme/support-chat-7b", "meta-llama/Llama-2-7b-chat-hf"]
    assert notice["clause"] == "Section 1(b)(iii)"


def test_every_input_file_is_in_the_inventory():
    doc = run_audit(DEMO)
    on_disk = sorted(p.relative_to(DEMO).as_posix() for p in DEMO.rglob("*") if p.is_file())
    assert sorted(i["file"] for i in doc["inventory"]) == on_disk


def test_hostile_strings_are_text_in_the_html(tmp_path):
    hostile = "<script>alert(1)</script>{{ 7*7 }}<img src=x onerror=alert(2)>"
    root = write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "org/m"\n',
            "org/m/README.md": card(
                f"license: other\nlicense_name: '{hostile}'\nbase_model: '<b>x</b>/y'",
                "## <script>bad()</script>\n[More Information Needed]\n",
            ),
        },
    )
    out = tmp_path / "out"
    main(["audit", str(root), "--out", str(out)])
    html = (out / "report.html").read_text()
    assert "<script" not in html and "<img" not in html and "<b>x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in html
    assert "{{ 7*7 }}" in html


def test_html_is_self_contained():
    from auditor.report import html

    page = html.render(run_audit(DEMO))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert "Content-Security-Policy" in page


MARKDOWN_ATTACK = (
    "<script>x()</script> [run](javascript:x()) [site](https://example.org/a) ![i](https://example.org/i.png) `<b>`"
)


def test_rule_texts_show_their_inline_markdown_rendered():
    from auditor.report import html

    page = html.render(run_audit(DEMO))
    doc002 = re.search(r'id="DOC002-.*?<p class="fix">(.*?)</p>', page, re.DOTALL)
    assert doc002 and "<code>license:</code>" in doc002[1] and "`" not in doc002[1]
    assert "<code>co2_eq_emissions</code> metadata" in page  # a profile's how to fix, in the documentation table


def test_markdown_in_rule_texts_cannot_make_markup_or_links():
    from auditor.report import html

    doc = run_audit(DEMO)
    for f in doc["findings"]:
        f["how_to_fix"] = MARKDOWN_ATTACK
    page = html.render(doc)
    assert "<script" not in page and "<img" not in page
    # only links within the page: the first page's to its cards, the glossary terms' to their entries
    assert not re.search(r'<a (?!(?:class="[\w-]+" )?href="#[\w-]+">)', page)
    assert "&lt;script&gt;x()&lt;/script&gt; [run](javascript:x()) site (https://example.org/a)" in page
    assert "<code>&lt;b&gt;</code>" in page


def test_lineage_diagram_shows_the_release_lineage_with_findings_marked():
    from auditor.report import lineage

    svg = lineage.render(run_audit(DEMO))
    assert svg.startswith("<svg") and svg.count('class="asset"') == 7
    assert ">acme/support-chat-7b-GGUF<" in svg and ">quantized<" in svg and ">trained on<" in svg
    assert 'stroke="#b3261e"' in svg  # the release has error findings
    assert "stroke-dasharray" in svg  # the unresolved evaluation dataset


def test_scenarios_show_provenance_and_documentation_findings_with_evidence():
    for scenario in ("demo", "credit-risk"):
        doc = run_audit(FIXTURES / "releases" / scenario)
        for family in ("provenance", "documentation"):
            found = [f for f in doc["findings"] if f["family"] == family]
            assert found and all(any(s["file"] for s in f["evidence"]) for f in found), (scenario, family)


def test_input_fingerprint_follows_every_input_byte(tmp_path, monkeypatch):
    from auditor import harvest as harvest_module

    root = write_tree(tmp_path / "r", {"acme/m/README.md": card("license: mit"), "notes.txt": "a"})
    first = harvest_module.harvest(root).fingerprint
    assert first == harvest_module.harvest(root).fingerprint
    (root / "notes.txt").write_text("b")  # a skipped file still counts: it was part of what was handed in
    second = harvest_module.harvest(root).fingerprint
    assert second != first
    monkeypatch.setattr(harvest_module, "FINGERPRINT_LIMIT", 0)  # now every file counts by size only
    (root / "notes.txt").write_text("c")
    assert harvest_module.harvest(root).fingerprint == harvest_module.harvest(root).fingerprint != second


def test_input_fingerprint_names_each_file_by_content_or_by_why_it_was_not_read(tmp_path):
    """The fingerprint's shortcut (a file that is no link, in a folder inside the root, is hashed
    without resolving its path) must give what the walk's own test gives for every entry."""
    import hashlib

    from auditor import harvest as harvest_module

    outside = write_tree(tmp_path / "outside", {"secret.txt": "s"})
    root = write_tree(
        tmp_path / "r", {"acme/m/README.md": card("license: mit"), "a/b/c/notes.txt": "n", "big.txt": "x" * 70_000}
    )
    (root / "a" / "inside-link.txt").symlink_to(root / "a" / "b" / "c" / "notes.txt")
    (root / "a" / "outside-link.txt").symlink_to(outside / "secret.txt")
    (root / "linked-folder").symlink_to(root / "a")
    harvested = harvest_module.harvest(root)
    reasons = {e.file: e.reason for e in harvested.inventory}

    def expected(file: str) -> str:
        path = root / file
        if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
            return reasons[file]
        return "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()

    digest = hashlib.sha256()
    for file in sorted(reasons):
        digest.update(f"{file}\0{expected(file)}\n".encode())
    assert reasons["a/outside-link.txt"] == "symbolic link pointing outside the audit folder"
    assert "linked-folder/" in reasons
    assert harvested.fingerprint == digest.hexdigest()


def test_report_names_the_rule_base_and_input(tmp_path):
    doc = json.loads(render_demo(tmp_path)[0])
    assert re.fullmatch(r"[0-9a-f]{64}", doc["rule_base"]["sha256"])
    assert re.fullmatch(r"[0-9a-f]{64}", doc["input"]["sha256"])
    assert doc["input"]["files"] == len(doc["inventory"])


def test_the_verdict_sentence_has_a_reason_for_each_verdict():
    from auditor.report import firstpage

    doc = run_audit(DEMO)
    assert firstpage.verdict_sentence(doc).startswith(f"Fails: {doc['findings'][0]['message']} (and 2 more errors)")
    for f in doc["findings"]:
        f["status"] = "resolved" if f["severity"] == "error" else f["status"]
    doc["verdict"] = "pass"
    passes = firstpage.verdict_sentence(doc)
    assert (
        passes
        == f"Passes: {doc['release']['asset']} has no open error ({doc['counts']['warning']} warnings still open)."
    )
    doc["verdict"] = "incomplete"
    assert firstpage.verdict_sentence(doc).startswith("Incomplete: no release asset was identified")


def test_a_remedy_reads_as_one_line_of_changes_or_its_note():
    from auditor.report import firstpage

    changes = [{"says": "rename the release a/x to a/Llama-3-x"}, {"says": "remove d/w from the lineage"}]
    found = {"status": "found", "changes": changes, "note": "n"}
    assert firstpage.changes_line(found) == "rename the release a/x to a/Llama-3-x; or remove d/w from the lineage"
    assert (
        firstpage.changes_line({"status": "none", "changes": [], "note": "no change clears it"})
        == "no change clears it"
    )


def test_a_named_release_lists_its_lineage_and_counts_the_rest_of_the_folder(tmp_path):
    doc = run_audit(with_unrelated(tmp_path / "folder", 3))
    assert {a["id"] for a in doc["assets"]} == {a["id"] for a in run_audit(DEMO)["assets"]}  # release + 6 upstreams
    assert all(a["in_lineage"] for a in doc["assets"]) and all(e["in_lineage"] for e in doc["edges"])
    assert doc["release"]["outside_lineage"] == {"assets": 3, "edges": 2}
    assert "outside_lineage" not in run_audit(DEMO)["release"]  # nothing outside: nothing counted
    assert len(doc["inventory"]) == len(run_audit(DEMO)["inventory"]) + 3  # every file still listed


def test_without_a_release_every_asset_is_in_scope(tmp_path):
    folder = write_tree(
        tmp_path / "two", {"a/x/README.md": card("license: mit"), "b/y/README.md": card("license: mit")}
    )
    doc = run_audit(folder)
    assert doc["release"]["asset"] is None and len(doc["assets"]) == 2
    assert all(a["in_lineage"] for a in doc["assets"])


def test_a_report_of_schema_1_5_renders_every_asset_and_edge(tmp_path):
    """A stored report written before `in_lineage` renders with its whole folder listed, as it did."""
    from auditor.report import html

    folder = with_unrelated(tmp_path / "folder", 3)
    (folder / "mlaudit.toml").unlink()  # no release named: nothing is cut
    doc = run_audit(folder)
    for item in doc["assets"] + doc["edges"]:
        del item["in_lineage"]
    page = html.render(doc)
    assert "Assets (10)" in page and "Lineage (8 edges)" in page and "other assets" not in page


def test_the_glossary_is_well_formed_and_links_without_making_markup():
    from markupsafe import escape

    from auditor.report import glossary

    entries = glossary.entries()
    assert len({e.id for e in entries}) == len(entries) > 20
    assert not any(mark in e.explains for e in entries for mark in "`*<&")  # plain words, shown as written
    hostile = '<b>NOASSERTION</b> & LicenseRef-x"y CMP001-0a1b2c3d quantized'
    linked = str(glossary.linked(hostile, entries))
    assert linked.startswith('&lt;b&gt;<a class="term" href="#g-noassertion">NOASSERTION</a>&lt;/b&gt; &amp; ')
    assert '<a class="term" href="#g-licenseref">LicenseRef-x</a>&#34;y' in linked
    assert '<a class="term" href="#g-finding-id">CMP001-0a1b2c3d</a>' in linked  # the id, not its rule family
    assert str(glossary.linked(hostile, ())) == str(escape(hostile))
    assert [e.id for e in glossary.used("an unmet obligation of a quantized copy")] == ["status", "quantized"]
