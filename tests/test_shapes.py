"""Files mlaudit reads back (report.json for report, explain and --baseline; a harvest snapshot for
audit) are checked against their shipped JSON Schema: a wrong shape is a clean exit naming the file,
the JSON pointer of the first problem and what was expected, never a traceback."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from auditor import review, shape, snapshot
from auditor.cli import main

DEMO = FIXTURES / "releases" / "demo"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A real report.json and a real snapshot of the demo, as parsed JSON."""
    folder = tmp_path_factory.mktemp("stored")
    main(["audit", str(DEMO), "--out", str(folder), "--fail-on", "never"])
    main(["harvest", str(DEMO), "-o", str(folder / "graph.json")])
    return json.loads((folder / "report.json").read_text()), json.loads((folder / "graph.json").read_text())


def _report_shapes(doc: dict) -> list[tuple[object, str]]:
    """(wrong document, the pointer and words its first problem is named by)."""
    no_findings = {k: v for k, v in doc.items() if k != "findings"}
    rule_number = json.loads(json.dumps(doc))
    rule_number["findings"][0]["rule"] = 7
    findings_object = {**doc, "findings": {"a": 1}}
    resolved_without_decision = json.loads(json.dumps(doc))
    resolved_without_decision["findings"][0] |= {"status": "resolved", "resolution": None}
    return [
        ([], "at /: expected an object, found an array"),
        ("text", 'at /: expected an object, found "text"'),
        (no_findings, "at /: the key 'findings' is missing"),
        (rule_number, "at /findings/0/rule: expected a string, found 7"),
        (findings_object, "at /findings: expected an array, found an object"),
        ({**doc, "schema_version": "2.0.0"}, "at /schema_version: expected a string matching"),
        (resolved_without_decision, "at /findings/0/resolution: expected an object, found null"),
    ]


def test_the_stored_files_fit_their_schemas(stored):
    report, graph = stored
    assert shape.problem(report, "report") is None and shape.problem(graph, "snapshot") is None


@pytest.mark.parametrize("case", range(7))
def test_report_explain_and_baseline_name_the_first_problem(stored, tmp_path, capsys, case):
    wrong, expected = _report_shapes(stored[0])[case]
    path = tmp_path / "report.json"
    path.write_text(json.dumps(wrong))
    assert main(["report", str(path), "--out", str(tmp_path / "o"), "--sarif"]) == 3
    assert main(["explain", "CMP001", "--report", str(path)]) == 3
    assert main(["audit", str(DEMO), "--out", str(tmp_path / "o"), "--baseline", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(str(path) in line and expected in line for line in err)
    assert "Traceback" not in "".join(err) and not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "body, expected",
    [
        (b"", "invalid JSON"),
        (b'{"schema_version": ', "invalid JSON"),
        (b'{"a": "\xff"}', "not UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "levels deep"),
    ],
)
def test_reports_that_are_not_json_are_refused(tmp_path, capsys, body, expected):
    path = tmp_path / "report.json"
    path.write_bytes(body)
    assert main(["report", str(path), "--out", str(tmp_path / "o")]) == 3
    assert main(["explain", "CMP001", "--report", str(path)]) == 3
    assert main(["audit", str(DEMO), "--out", str(tmp_path / "o"), "--baseline", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count(f"{path}: ") == 3 and err.count(expected) == 3 and "Traceback" not in err


def test_a_huge_report_is_refused_unread(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(review, "REPORT_LIMIT", 1024 * 1024)
    path = tmp_path / "report.json"
    path.write_bytes(b" " * (2 * 1024 * 1024))
    assert main(["explain", "CMP001", "--report", str(path)]) == 3
    assert "over the 1 MB limit" in capsys.readouterr().err


def _snapshot_shapes(graph: dict) -> list[tuple[dict, str]]:
    deep = json.loads(json.dumps(graph))
    deep["records"][0]["licenses"][0]["evidence"]["line"] = "four"
    extra = json.loads(json.dumps(graph))
    extra["inventory"][0]["size"] = 3
    return [
        ({**graph, "records": "none"}, 'at /records: expected an array, found "none"'),
        ({k: v for k, v in graph.items() if k != "inventory"}, "at /: the key 'inventory' is missing"),
        (deep, 'at /records/0/licenses/0/evidence/line: expected an integer or null, found "four"'),
        (extra, "at /inventory/0: the key 'size' is not expected"),
        ({**graph, "review": {"resolutions.yaml": 5}}, "at /review/resolutions.yaml: expected a string, found 5"),
        ({**graph, "version": 2}, "at /version: expected 1, found 2"),
        ({**graph, "records": [{**graph["records"][0], "kind": "car"}]}, "at /records/0/kind: expected one of"),
    ]


@pytest.mark.parametrize("case", range(7))
def test_a_snapshot_of_the_wrong_shape_is_exit_3_with_its_first_problem(stored, tmp_path, capsys, case):
    wrong, expected = _snapshot_shapes(stored[1])[case]
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(wrong))
    assert main(["audit", str(path), "--out", str(tmp_path / "o")]) == 3
    err = capsys.readouterr().err
    assert str(path) in err and expected in err and "Traceback" not in err


def test_a_snapshot_that_is_not_json_or_too_big_is_exit_3(tmp_path, monkeypatch, capsys):
    path = tmp_path / "graph.json"
    path.write_text('{"format": "mlaudit-harvest", "version": 1, "records": [')
    assert main(["audit", str(path), "--out", str(tmp_path / "o")]) == 3
    monkeypatch.setattr(snapshot, "LIMIT", 1024 * 1024)
    path.write_text('{"format": "mlaudit-harvest", "version": 1}' + " " * 2 * 1024 * 1024)
    assert main(["audit", str(path), "--out", str(tmp_path / "o")]) == 3
    err = capsys.readouterr().err
    assert "invalid JSON" in err and "over the 1 MB limit" in err and "Traceback" not in err
