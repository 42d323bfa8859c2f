"""The wheel carries the rule base, the templates and the JSON schema, and audits when installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from conftest import FIXTURES, ROOT
from hatchling.builders.wheel import WheelBuilder


def test_wheel_ships_rules_templates_and_schema_and_runs_from_them(tmp_path):
    wheel = next(WheelBuilder(str(ROOT)).build(directory=str(tmp_path / "dist"), versions=["standard"]))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "auditor/_data/rules/lib/lineage.lp",
        "auditor/_data/rules/licenses/terms.yaml",
        "auditor/_data/rules/conflict/CMP001-non-commercial-upstream.lp",
        "auditor/_data/templates/report.html.j2",
        "auditor/_data/templates/glossary.yaml",  # the report's glossary, read as data
        "auditor/report.schema.json",
        "auditor/snapshot.schema.json",
    ):
        assert required in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = "import auditor.resources as r; print(r.rules_dir()); print(r.templates_dir())"
    located = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert located.returncode == 0, located.stderr
    assert all(line.startswith(str(site)) for line in located.stdout.split())
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "audit",
            str(FIXTURES / "releases" / "demo"),
            "--out",
            str(tmp_path / "out"),
            "--fail-on",
            "never",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert 'id="g-licenseref"' in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")  # its glossary
