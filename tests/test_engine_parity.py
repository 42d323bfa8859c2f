"""Every output says the same whatever the engine: the demo and every fixture folder audited with
each engine of `reasoning.ENGINE_NAMES` (a new engine is covered as soon as it is listed) give the
same outputs, byte for byte, as the audit on clingo, apart from the engine's name.

What is normalised, and nothing else, each required to occur exactly once (so the name cannot hide
anywhere else): the `"engines":[...]` member of report.json, the engines cell of report.html's
`<th>Engines</th><td>...</td>` row, and the line of the PDF's text that is the engines' names (the
text pdftotext gives: report.pdf's own bytes may embed anything, and the line need not follow its
"Engines" heading in pdftotext's reading order).
The terminal output (text, -v), stderr and the exit code are compared as they are: each audit writes
into the same --out folder, so the paths they print are the same.

The demo and a dozen representative folders (conflicts with and without a fix, license choices,
renames, hostile text, other formats, documentation profiles) render every output through the CLI;
every other folder compares report.json, which every other output is rendered from.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, RB

from auditor import audit, cli_outputs, reasoning
from auditor.cli import main
from auditor.report import jsonfile

REFERENCE = "clingo"
# Spark takes minutes an audit in local mode (the demo's reasoning 3.5 to 5.5 minutes on this 2-core
# machine under load: some 150 plans with their shuffles, each stage's overhead and not its rows the
# cost), and this test audits every fixture folder: tests/test_spark.py holds its atoms to clingo's and
# DuckDB's on the demo and on random programs, and every output is rendered from the atoms, as this
# test shows for the other engines.
OTHERS = sorted(set(reasoning.ENGINE_NAMES) - {REFERENCE, "spark"})
# The fixture folders an audit reads, by group; `knowledge` holds data for the license tests, not a release.
GROUPS = {
    "rules": "*/*",
    "releases": "*",
    "cards": "*",
    "formats": "*",
    "profiles": "*/*",
    "hub": "repos",
    "lakes": "*",
}
WHOLE = ("hostile", "mof-oracle")  # groups that are one audit input each
NOT_AUDITED = {"knowledge"}
FOLDERS = sorted(
    {p for group, pattern in GROUPS.items() for p in (FIXTURES / group).glob(pattern) if p.is_dir()}
    | {FIXTURES / name for name in WHOLE}
)
EVERY_OUTPUT = [FIXTURES / "releases" / name for name in ("demo", "credit-risk")] + [
    FIXTURES / group / case
    for group, case in (
        ("rules", "CMP001-non-commercial-upstream/fire-finetune"),
        ("rules", "CMP002-share-alike-relicensed/fire-gpl-weights-release"),
        ("rules", "CMP005-restrictions-with-copyleft/fire-llama2-on-gpl-code"),
        ("rules", "CMP008-naming-requirement/fire"),
        ("rules", "CMP012-unknown-terms-upstream/fire-conservative"),
        ("rules", "LIC002-license-choice/fire"),
        ("rules", "LIC002-license-choice/fire-wikipedia-dual-license"),
        ("rules", "OBL002-obligation-unmet/fire-notice-omitted"),
        ("rules", "PRV003-manifests-disagree/fire"),
        ("formats", "spdx3"),
        ("profiles", "hf-model-card/incomplete"),
        ("hostile", ""),
    )
]


def _id(folder: Path) -> str:
    return str(folder.relative_to(FIXTURES))


def _engines(engine: str) -> str:
    return ", ".join(reasoning.ENGINE_NAMES[engine])


def _once(text: str, name: str, engine: str) -> str:
    """`text` with the engine's name, written as `name`, replaced by a placeholder; it must occur once."""
    assert text.count(name) == 1, f"{engine}: {name!r} occurs {text.count(name)} times"
    return text.replace(name, "ENGINES")


def _report_json(text: str, engine: str) -> str:
    names = json.dumps(list(reasoning.ENGINE_NAMES[engine]), separators=(",", ":"))
    return _once(text, f'"engines":{names}', engine)


def _normalised(name: str, content: str | bytes, engine: str) -> str | bytes:
    if name == "report.json":
        return _report_json(str(content), engine)
    if name == "report.html":
        return _once(str(content), f"<th>Engines</th><td>{_engines(engine)}</td>", engine)
    if name == "report.pdf (text)":
        return _once(str(content), f"\n{_engines(engine)}\n", engine)
    return content


def _every_output(folder: Path, engine: str, out: Path) -> dict[str, str | bytes | int]:
    """The CLI's audit of `folder` on `engine` with every output: files, terminal, stderr, exit code."""
    shutil.rmtree(out, ignore_errors=True)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["audit", str(folder), "--out", str(out), "--all", "-v", "--color", "never", "--engine", engine])
    written: dict[str, str | bytes | int] = {
        "exit code": code,
        "terminal": stdout.getvalue(),
        "stderr": stderr.getvalue(),
    }
    for path in sorted(out.iterdir()):
        if path.name == cli_outputs.RECORD:  # the outputs' digests: the outputs themselves are compared
            continue
        data = path.read_bytes()
        written[path.name] = data.decode("utf-8") if path.suffix in (".json", ".html") else data
    if (out / "report.pdf").exists():
        pdf = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, check=True)
        written["report.pdf (text)"] = pdf.stdout.decode("utf-8")
        del written["report.pdf"]
    return {
        name: _normalised(name, content, engine) if isinstance(content, str) else content
        for name, content in written.items()
    }


@pytest.mark.parametrize("folder", EVERY_OUTPUT, ids=_id)
def test_every_output_is_the_same_whatever_the_engine(folder, tmp_path):
    reference = _every_output(folder, REFERENCE, tmp_path / "out")
    assert {"report.json", "report.html", "report.pdf (text)", "NOTICE", "junit.xml"} <= set(reference)
    for engine in OTHERS:
        outputs = _every_output(folder, engine, tmp_path / "out")
        assert outputs.keys() == reference.keys(), engine
        for name, content in reference.items():
            assert outputs[name] == content, f"{engine}: {name} differs from {REFERENCE}'s"


def _report(folder: Path, engine: str) -> str:
    return _report_json(jsonfile.render(audit.run(folder, rb=RB, engine=engine).document()), engine)


@pytest.mark.parametrize("folder", [f for f in FOLDERS if f not in EVERY_OUTPUT], ids=_id)
def test_the_report_is_the_same_whatever_the_engine(folder):
    reference = _report(folder, REFERENCE)
    for engine in OTHERS:
        assert _report(folder, engine) == reference, f"{engine}: report.json differs from {REFERENCE}'s"


def test_every_fixture_group_is_audited():
    groups = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert groups == set(GROUPS) | set(WHOLE) | NOT_AUDITED
    assert set(EVERY_OUTPUT) <= set(FOLDERS) and len(FOLDERS) > 150
