"""Each way of extending mlaudit is one file plus, at most, one registry line: these tests fail when
a file was added without its line, or a line names nothing (README, "Extending mlaudit")."""

from __future__ import annotations

import pkgutil
from importlib import import_module

import yaml
from conftest import RB

from auditor import cli, report
from auditor.resources import rules_dir

# Renderers that write no file of their own: the lineage SVG is drawn into the HTML and PDF, and
# the terminal summary goes to stdout.
PARTS = {"auditor.report.lineage", "auditor.report.text"}
ALWAYS = {"auditor.report.jsonfile", "auditor.report.html"}  # report.json and report.html, written by every audit
LAKE = {"auditor.report.lakehtml", "auditor.report.laketext"}  # lake.html and the terminal lines of every mlaudit lake
GOVERN = {  # the pages and lines of mlaudit impact and mlaudit diff
    "auditor.report.impacthtml",
    "auditor.report.impacttext",
    "auditor.report.drifthtml",
    "auditor.report.drifttext",
}


def test_every_renderer_is_an_output_or_a_part_of_one():
    renderers = {
        f"auditor.report.{m.name}"
        for m in pkgutil.iter_modules(report.__path__)
        if callable(getattr(import_module(f"auditor.report.{m.name}"), "render", None))
    }
    registered = {module for _, module, _ in cli.OUTPUTS.values()}
    assert renderers == registered | ALWAYS | PARTS | LAKE | GOVERN
    assert len(cli.REPORTS) == len(ALWAYS)


def test_every_output_has_a_flag_and_a_distinct_file(capsys):
    files = [filename for filename, _, _ in cli.OUTPUTS.values()]
    assert len(set(files)) == len(files) and not set(files) & set(cli.REPORTS)
    assert cli.main(["audit", "--help"]) == cli.EXIT_OK
    usage = capsys.readouterr().out
    for flag, (filename, _, _) in cli.OUTPUTS.items():
        assert f"--{flag}" in usage and filename in usage


def test_every_license_file_is_in_the_knowledge_base():
    """Adding a licence is one YAML file: every entry file is read, none is skipped silently."""
    folder = rules_dir() / "licenses"
    entries = [p for p in sorted(folder.glob("*.yaml")) if "id" in (yaml.safe_load(p.read_text()) or {})]
    assert len(entries) == len(RB.kb.licenses) > 100
    assert {yaml.safe_load(p.read_text())["id"] for p in entries} == set(RB.kb.licenses)


def test_every_rule_file_is_a_rule_of_the_program():
    """Adding a rule is one .lp file in its family's folder: it is loaded, and the engine runs it."""
    families = {"license", "obligation", "conflict", "provenance", "documentation", "input"}
    files = {p for family in families for p in (rules_dir() / family).glob("*.lp")}
    assert files == {r.path for r in RB.rules.values()}
    program = set(RB.program_files("conservative"))
    assert files <= program and set((rules_dir() / "lib").glob("*.lp")) <= program
