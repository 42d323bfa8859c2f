"""Dated license knowledge: stale entries reported (LIC003) by age and as-of date, the setting that
sets the age, and `mlaudit licenses list` / `show`."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import replace

import pytest
from conftest import RB, card, findings_of, run_audit, write_tree

from auditor import config, licenses, rulebase
from auditor.cli import main

SHA = "0123456789abcdef" * 4
AS_OF = dt.date(2026, 12, 5)


DATING = re.compile(r"^(verified_at|text_read|text_sha256):.*\n", re.M)


def undated_copy(folder) -> None:
    """The real knowledge base in `folder`, with every entry's dating removed (never verified)."""
    shutil.copytree(RB.folder / "licenses", folder, ignore=shutil.ignore_patterns("texts"))
    for path in folder.glob("*.yaml"):
        path.write_text(DATING.sub("", path.read_text()))


@pytest.fixture(scope="module")
def undated_kb(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb") / "licenses"
    undated_copy(folder)
    return licenses.load(folder)


@pytest.fixture(scope="module")
def dated_kb(tmp_path_factory):
    """The knowledge base with MIT verified in June 2026 against a hashed text, Apache-2.0 in January
    2025 without one, and every other entry never verified."""
    folder = tmp_path_factory.mktemp("kb") / "licenses"
    undated_copy(folder)
    for name, keys in (
        ("mit.yaml", f"verified_at: 2026-06-01\ntext_read: 'github:spdx/x@1:MIT.txt'\ntext_sha256: {SHA}\n"),
        ("apache-2.0.yaml", "verified_at: 2025-01-01\n"),
    ):
        (folder / name).write_text((folder / name).read_text() + keys)
    return licenses.load(folder)


def judging_with(monkeypatch, kb: licenses.KnowledgeBase) -> rulebase.RuleBase:
    """The installed rule base with the knowledge base `kb`: given to audits, and loaded by the CLI."""
    rb = replace(RB, kb=kb)
    monkeypatch.setattr(rulebase, "load", lambda folder=None: rb)
    return rb


@pytest.fixture
def with_dated_kb(monkeypatch, dated_kb):
    return judging_with(monkeypatch, dated_kb)


@pytest.fixture
def with_undated_kb(monkeypatch, undated_kb):
    return judging_with(monkeypatch, undated_kb)


def release(tmp_path, toml: str = "") -> object:
    """acme/m (MIT) fine-tuned from org/base (Apache-2.0)."""
    return write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n' + toml,
            "acme/m/README.md": card("license: mit\nbase_model: org/base"),
            "org/base/README.md": card("license: apache-2.0"),
        },
    )


def stale_readings(doc: dict) -> list[tuple]:
    return sorted((f["asset"], f["detail"]["license"], f["detail"]["verified_at"]) for f in findings_of(doc, "LIC003"))


def test_an_entry_older_than_the_age_is_reported_where_relied_on(tmp_path, with_dated_kb):
    doc = run_audit(release(tmp_path), as_of=AS_OF, rb=with_dated_kb)
    assert stale_readings(doc) == [("acme/m", "Apache-2.0", "2025-01-01"), ("org/base", "Apache-2.0", "2025-01-01")]
    assert doc["knowledge"] == {"as_of": "2026-12-05", "max_age_months": 12}
    inherited = next(f for f in findings_of(doc, "LIC003") if f["asset"] == "acme/m")
    facts = [s["fact"] for s in inherited["evidence"]]
    assert "acme/m is a fine-tune of org/base" in facts and "org/base is licensed Apache-2.0" in facts
    assert "the knowledge base's entry for Apache-2.0 was last verified against the license text on 2025-01-01" in facts
    assert ("rules/licenses/apache-2.0.yaml", "verified_at") in {
        (s["file"], s["pointer"]) for s in inherited["evidence"]
    }


def test_the_age_is_set_in_mlaudit_toml_and_on_the_command_line(tmp_path, with_dated_kb):
    root = release(tmp_path, "[audit]\nknowledge_max_age_months = 24\n")
    doc = run_audit(root, as_of=AS_OF, rb=with_dated_kb)
    assert stale_readings(doc) == [] and doc["knowledge"] is None
    everything = run_audit(root, as_of=AS_OF, knowledge_max_age_months=0, rb=with_dated_kb)
    assert [r[1] for r in stale_readings(everything)] == ["Apache-2.0", "MIT", "Apache-2.0"]
    assert everything["knowledge"] == {"as_of": "2026-12-05", "max_age_months": 0}


def test_the_as_of_date_is_the_command_lines(tmp_path, with_dated_kb, capsys):
    root = release(tmp_path)
    assert main(["audit", str(root), "--out", str(tmp_path / "o"), "--as-of", "2025-06-01"]) == 0
    assert "LIC003" not in capsys.readouterr().out
    assert json.loads((tmp_path / "o" / "report.json").read_text())["knowledge"] is None
    main(["audit", str(root), "--out", str(tmp_path / "o"), "--as-of", "2027-07-01", "--knowledge-max-age", "6"])
    doc = json.loads((tmp_path / "o" / "report.json").read_text())
    assert {r[1] for r in stale_readings(doc)} == {"MIT", "Apache-2.0"}
    assert doc["knowledge"] == {"as_of": "2027-07-01", "max_age_months": 6}


def test_never_verified_entries_are_stale_without_recording_the_date(tmp_path, with_undated_kb):
    """Entries without verified_at are stale whatever the date, which then is not recorded."""
    doc = run_audit(release(tmp_path), as_of=AS_OF, rb=with_undated_kb)
    assert stale_readings(doc) == [
        ("acme/m", "Apache-2.0", "never"),
        ("acme/m", "MIT", "never"),
        ("org/base", "Apache-2.0", "never"),
    ]
    assert doc["knowledge"] is None
    assert run_audit(release(tmp_path), as_of=dt.date(2040, 1, 1), rb=with_undated_kb) == doc


def test_both_engines_agree_on_stale_knowledge(tmp_path, with_dated_kb):
    doc = run_audit(release(tmp_path), as_of=AS_OF, engine="both", rb=with_dated_kb)
    assert findings_of(doc, "INP004") == [] and len(findings_of(doc, "LIC003")) == 2


@pytest.mark.parametrize("value", ["-1", '"12"', "true", "1.5", "12001", "99999999999999999999"])
def test_a_bad_age_in_mlaudit_toml_is_refused(value):
    with pytest.raises(config.ConfigError, match="knowledge_max_age_months"):
        config.parse(f"[audit]\nknowledge_max_age_months = {value}\n", "mlaudit.toml")


@pytest.mark.parametrize("value", ["-1", "twelve", "1.5", "120000", "99999999999"])
def test_a_bad_age_on_the_command_line_is_exit_2(tmp_path, value):
    assert main(["audit", str(release(tmp_path)), "--out", str(tmp_path / "o"), "--knowledge-max-age", value]) == 2


def test_licenses_list_text(capsys, with_dated_kb):
    assert main(["licenses", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "FAMILY", "USE", "VERIFIED", "CLAUSES", "NAME"]
    ids = [line.split()[0] for line in lines[1:]]
    assert ids == sorted(RB.kb.licenses, key=str.lower)
    apache = next(line for line in lines if line.startswith("Apache-2.0 "))
    assert apache.split()[1:5] == ["permissive-software", "commercial", "2025-01-01", "-"]
    assert apache.endswith("Apache License 2.0")
    mit = next(line for line in lines if line.startswith("MIT "))
    assert mit.split()[3:5] == ["2026-06-01", "clause-level"]
    assert next(line for line in lines if line.startswith("ISC ")).split()[3] == "never"


def test_licenses_list_json(capsys, with_dated_kb):
    assert main(["licenses", "list", "--format", "json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["schema_version"] == "1.0.0"
    mit = next(e for e in listing["licenses"] if e["id"] == "MIT")
    assert mit == {
        "id": "MIT",
        "name": "MIT License",
        "family": "permissive-software",
        "use": "commercial",
        "verified_at": "2026-06-01",
        "clause_level": True,
    }
    assert next(e for e in listing["licenses"] if e["id"] == "Apache-2.0")["clause_level"] is False


def test_licenses_show_by_alias(capsys, with_undated_kb):
    assert main(["licenses", "show", "apache-2.0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Apache-2.0  Apache License 2.0\n")
    assert "source: https://www.apache.org/licenses/LICENSE-2.0" in out
    assert "verified_at: never verified against the license text" in out
    assert "  include_license (condition) · Section 4(a)\n    Give any recipient" in out
    assert "aliases: apache-2.0, " in out


def test_licenses_show_json_with_age(capsys, with_dated_kb):
    assert main(["licenses", "show", "https://opensource.org/licenses/MIT", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    entry = shown["license"]
    assert shown["schema_version"] == "1.0.0" and entry["id"] == "MIT"
    assert (entry["verified_at"], entry["text_sha256"], entry["clause_level"]) == ("2026-06-01", SHA, True)
    assert entry["age_months"] == licenses.age_months("2026-06-01", config.today())
    assert entry["file"] == "rules/licenses/mit.yaml" and "Expat" in entry["aliases"]
    assert {t["term"] for t in entry["terms"]} >= {"include_license", "commercial_use"}
    assert all(t["clause"] and t["source"].startswith("https://") for t in entry["terms"])


def test_licenses_show_training_statement(capsys):
    assert main(["licenses", "show", "llama2"]) == 0
    assert "training: binds (" in capsys.readouterr().out


def test_licenses_show_unknown_id_is_exit_2(capsys):
    assert main(["licenses", "show", "acme-license"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "no license 'acme-license' in the knowledge base" in captured.err


def test_licenses_show_prints_no_escape_sequences(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "licenses"
    shutil.copytree(RB.folder / "licenses", folder, ignore=shutil.ignore_patterns("texts"))
    path = folder / "mit.yaml"
    path.write_text(path.read_text().replace("name: MIT License", 'name: "MIT \\e[2J\\e]0;owned\\a License"'))
    kb = licenses.load(folder)
    judging_with(monkeypatch, kb)
    assert main(["licenses", "show", "mit"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "MIT \ufffd[2J" in out
