"""What the gate promises on any input: its own exit code for a crash, no broken manifest passing,
no verdict without a release, no report lost or half-written."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading

import pytest
from conftest import FIXTURES, ROOT, card, findings_of, run_audit, write_tree

from auditor import reasoning, writing
from auditor.cli import main
from auditor.report import html


@pytest.fixture
def passing(tmp_path):
    """A release folder that passes the default gate (warnings only)."""
    return write_tree(
        tmp_path / "r",
        {
            "mlaudit.toml": '[release]\nasset = "org/m"\n[audit]\nposition = "permissive"\n',
            "org/m/README.md": card("license: mit", "## Uses\nChat.\n"),
        },
    )


def _broken(*args, **kwargs):
    raise KeyError("no such thing")


def test_an_internal_error_exits_4_with_one_line(passing, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(reasoning, "reason", _broken)
    assert main(["audit", str(passing), "--out", str(tmp_path / "o")]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: KeyError" in err and "--debug" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(passing, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(reasoning, "reason", _broken)
    assert main(["--debug", "audit", str(passing), "--out", str(tmp_path / "o")]) == 4
    err = capsys.readouterr().err
    assert "Traceback" in err and "_broken" in err and err.rstrip().endswith("mlaudit --debug ...'")


SPDX2 = (FIXTURES / "formats" / "spdx2" / "ml-release.spdx.json").read_text(encoding="utf-8")
CROISSANT = (FIXTURES / "formats" / "croissant" / "synthetic-instructions.json").read_text(encoding="utf-8")
BROKEN = {  # a manifest of each format, cut short: none names the asset it describes
    "sbom.cdx.json": (FIXTURES / "formats" / "cyclonedx" / "truncated.cdx.json").read_text(encoding="utf-8"),
    "sbom.spdx.json": SPDX2[:300],
    "croissant.json": CROISSANT[:200],
}


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_manifest_of_the_release_folder_fails_the_gate(passing, tmp_path, name, capsys):
    (passing / name).write_text(BROKEN[name], encoding="utf-8")
    assert main(["audit", str(passing), "--out", str(tmp_path / "o"), "--format", "json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["verdict"] == "fail"
    assert [f["asset"] for f in summary["findings"] if f["rule"] == "INP001" and name in f["message"]] == ["org/m"]


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_manifest_no_asset_owns_is_a_finding_of_the_audit(tmp_path, name):
    root = write_tree(tmp_path / "r", {name: BROKEN[name]})
    found = findings_of(run_audit(root), "INP001")
    assert [(f["asset"], f["severity"], f["detail"]["file"]) for f in found] == [(None, "error", name)]


UNREAD = {  # license statements past a reader's bound (license_reading.MAX_EXPRESSION_CHARS, MAX_ALTERNATIVES)
    "too-long": " AND ".join(["MIT"] * 2_000),
    "too-many-alternatives": " AND ".join(["(MIT OR Apache-2.0)"] * 5),
}


def _lineage(release_license: str, upstream_license: str) -> dict[str, str]:
    return {
        "mlaudit.toml": '[release]\nasset = "org/ft"\n',
        "org/ft/README.md": card(f'license: "{release_license}"\nbase_model: up/base'),
        "up/base/README.md": card(f'license: "{upstream_license}"'),
    }


@pytest.mark.parametrize("statement", UNREAD.values(), ids=UNREAD.keys())
def test_a_release_license_not_read_fails_the_gate(tmp_path, statement):
    doc = run_audit(write_tree(tmp_path / "r", _lineage(statement, "mit")))
    found = findings_of(doc, "INP001")
    assert doc["verdict"] == "fail"
    assert [(f["asset"], f["detail"]["file"]) for f in found] == [("org/ft", "org/ft/README.md")]
    assert "is not read" in found[0]["message"]


def test_a_release_license_not_read_beside_alternatives_fails_the_gate(tmp_path):
    files = _lineage("mit", "mit")
    files["org/ft/README.md"] = card(f'license:\n- "MIT OR Apache-2.0"\n- "{UNREAD["too-long"]}"')
    doc = run_audit(write_tree(tmp_path / "r", files))
    assert [f["asset"] for f in findings_of(doc, "INP001")] == ["org/ft"] and doc["verdict"] == "fail"


@pytest.mark.parametrize("statement", UNREAD.values(), ids=UNREAD.keys())
def test_an_upstream_license_not_read_is_of_unknown_terms(tmp_path, statement):
    doc = run_audit(write_tree(tmp_path / "r", _lineage("mit", statement)))
    assert findings_of(doc, "INP001") == []
    assert [f["asset"] for f in findings_of(doc, "LIC001")] == ["up/base"]
    assert [f["asset"] for f in findings_of(doc, "CMP012")] == ["org/ft"]


def test_a_release_license_of_an_unknown_name_is_read(tmp_path):
    """A name the knowledge base does not know is read (LIC001): nothing the release inherits from
    an MIT upstream asks for a particular license."""
    doc = run_audit(write_tree(tmp_path / "r", _lineage("LicenseRef-acme", "mit")))
    assert findings_of(doc, "INP001") == [] and doc["verdict"] == "pass"


@pytest.mark.parametrize("fail_on, code", [("error", 1), ("warning", 1), ("info", 1), ("never", 0)])
def test_no_release_identified_is_incomplete_and_fails_the_gate(tmp_path, fail_on, code, capsys):
    root = write_tree(
        tmp_path / "r", {"org/a/README.md": card("license: mit"), "org/b/README.md": card("license: mit")}
    )
    out = tmp_path / "o"
    assert main(["audit", str(root), "--out", str(out), "--fail-on", fail_on]) == code
    assert "verdict: INCOMPLETE" in capsys.readouterr().out
    assert json.loads((out / "report.json").read_text())["verdict"] == "incomplete"
    assert '<span class="verdict incomplete">INCOMPLETE</span>' in (out / "report.html").read_text()


def test_the_sign_off_page_never_offers_to_approve_an_unidentified_release(tmp_path):
    doc = run_audit(write_tree(tmp_path / "r", {"org/a/README.md": card(), "org/b/README.md": card()}))
    page = html.render(doc, paged=True)
    assert "Nothing to approve" in page and "approved with conditions" not in page


@pytest.mark.parametrize("files", [{}, {"notes.txt": "hello\n", "data.csv": "a,b\n"}], ids=["empty", "no-manifest"])
def test_a_folder_without_manifests_gives_every_output(tmp_path, files, capsys):
    root = write_tree(tmp_path / "r", files)
    root.mkdir(exist_ok=True)
    assert main(["audit", str(root), "--out", str(tmp_path / "o"), "--all", "--fail-on", "never"]) == 0
    assert "verdict: INCOMPLETE" in capsys.readouterr().out
    assert "no asset is described" in (tmp_path / "o" / "report.html").read_text()


def test_asset_ids_that_differ_only_in_case_each_get_their_filter(tmp_path):
    doc = run_audit(write_tree(tmp_path / "r", {"org/a/README.md": card(), "org/b/README.md": card()}))
    for finding, name in zip(doc["findings"], ["Foo", "foo"] * len(doc["findings"]), strict=False):
        finding["asset"] = name
    page = html.render(doc)
    assert 'id="f-asset-1"' in page and 'id="f-asset-2"' in page and 'id="f-asset-3"' not in page


DEMO = FIXTURES / "releases" / "demo"


def _contents(folder):
    return {p.name: p.read_bytes() if p.is_file() else "folder" for p in sorted(folder.iterdir())}


def test_out_naming_a_file_is_exit_2_and_leaves_it(tmp_path, capsys):
    (tmp_path / "o").write_text("mine")
    assert main(["audit", str(DEMO), "--out", str(tmp_path / "o")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err and (tmp_path / "o").read_text() == "mine"


def test_harvest_output_naming_a_folder_is_exit_2(tmp_path, capsys):
    (tmp_path / "g").mkdir()
    assert main(["harvest", str(DEMO), "-o", str(tmp_path / "g")]) == 2
    assert "is a folder: name a file" in capsys.readouterr().err


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EACCES], ids=["full-disk", "read-only"])
def test_a_write_that_fails_is_exit_2_and_leaves_the_earlier_reports_whole(tmp_path, monkeypatch, capsys, error):
    out = tmp_path / "o"
    assert main(["audit", str(DEMO), "--out", str(out)]) == 1
    before = _contents(out)

    def fail_half_way(path, data):
        path.write_bytes(data[: len(data) // 2])
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(writing, "_write", fail_half_way)
    assert main(["audit", str(DEMO), "--out", str(out), "--all"]) == 2
    assert os.strerror(error) in capsys.readouterr().err
    assert _contents(out) == before  # no truncated file, no temporary file left


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_out_folder_is_exit_2(tmp_path, capsys):
    (tmp_path / "o").mkdir(mode=0o555)
    assert main(["audit", str(DEMO), "--out", str(tmp_path / "o")]) == 2
    assert "Permission denied" in capsys.readouterr().err


def test_a_kill_while_writing_leaves_the_earlier_file_whole(tmp_path):
    writing.write_file(tmp_path / "report.json", "earlier\n")
    script = (
        "import os, signal, sys; from pathlib import Path; from auditor import writing\n"
        "def killed(path, data):\n"
        "    path.write_bytes(data[:3]); os.kill(os.getpid(), signal.SIGKILL)\n"
        "writing._write = killed\n"
        f"writing.write_file(Path({str(tmp_path / 'report.json')!r}), 'later and longer\\n')\n"
    )
    assert subprocess.run([sys.executable, "-c", script], cwd=ROOT).returncode == -signal.SIGKILL
    assert (tmp_path / "report.json").read_text() == "earlier\n"


def test_a_killed_writes_temporaries_are_never_read_and_the_next_write_removes_them(tmp_path):
    root = shutil.copytree(DEMO, tmp_path / "r")
    argv = ["audit", str(root), "--out", str(root / "mlaudit-report"), "--sarif", "--fail-on", "never"]
    assert main(argv) == 0
    first = _contents(root / "mlaudit-report")
    script = (
        "import os, signal; from auditor.cli import main\n"
        "os.replace = lambda source, target: os.kill(os.getpid(), signal.SIGKILL)\n"  # once written, before renamed
        f"main({argv!r})\n"
    )
    assert subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True).returncode == -signal.SIGKILL
    left = [p.name for p in (root / "mlaudit-report").iterdir() if p.name not in first]
    assert len(left) == len(first) and all(writing.is_temporary(name) for name in left)
    assert main(argv) == 0
    assert _contents(root / "mlaudit-report") == first  # not read as input, and removed


def test_a_file_given_as_a_body_on_the_same_file_system_is_linked_not_copied(tmp_path):
    source = tmp_path / "findings.jsonl"
    source.write_bytes(b'{"id": 1}\n' * 100)
    (out,) = writing.write_files(tmp_path / "o", {"findings.jsonl": source})
    assert out.stat().st_ino == source.stat().st_ino and out.stat().st_nlink == 2
    source.unlink()  # the caller's temporary file removed: the output stays whole
    assert out.read_bytes() == b'{"id": 1}\n' * 100
    assert sorted(p.name for p in out.parent.iterdir()) == ["findings.jsonl"]


@pytest.mark.parametrize("error", [errno.EXDEV, errno.EPERM], ids=["other-file-system", "no-links-there"])
def test_a_file_given_as_a_body_is_copied_whole_in_blocks_where_it_cannot_be_linked(tmp_path, monkeypatch, error):
    def cannot_link(source, path):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(writing.os, "link", cannot_link)
    monkeypatch.setattr(writing, "COPY_BLOCK", 7)  # many blocks, the last one short
    source = tmp_path / "big.jsonl"
    source.write_bytes(bytes(range(256)) * 41)
    out = tmp_path / "o"
    writing.write_files(out, {"findings.jsonl": source, "summary.json": "{}"})
    assert (out / "findings.jsonl").read_bytes() == source.read_bytes()
    assert (out / "findings.jsonl").stat().st_ino != source.stat().st_ino
    with pytest.raises(writing.WriteError, match="cannot write into"):
        writing.write_files(out, {"findings.jsonl": tmp_path / "gone.jsonl", "summary.json": "[]"})
    assert sorted(p.name for p in out.iterdir()) == ["findings.jsonl", "summary.json"]
    assert (out / "summary.json").read_text() == "{}"  # the earlier outputs kept as they were


def test_audits_writing_into_one_folder_leave_a_matching_pair(tmp_path):
    def audit_n(n):
        for _ in range(20):
            writing.write_files(tmp_path, {"report.json": f"{n}\n" * 1000, "report.html": f"{n}\n"})

    threads = [threading.Thread(target=audit_n, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (tmp_path / "report.json").read_text().split()[0] == (tmp_path / "report.html").read_text().split()[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.json"]


def test_out_equal_to_the_input_folder_reruns_byte_identical(tmp_path):
    root = tmp_path / "r"
    shutil.copytree(DEMO, root)
    flags = ["--out", str(root), "--sarif", "--lines", "--junit", "--cyclonedx", "--spdx"]
    main(["audit", str(root), *flags])
    first = _contents(root)
    main(["audit", str(root), *flags])
    assert _contents(root) == first
    fresh = tmp_path / "elsewhere"
    shutil.copytree(DEMO, fresh)
    main(["audit", str(fresh), "--out", str(tmp_path / "o")])
    assert (
        json.loads(first["report.json"])["inventory"]
        == json.loads((tmp_path / "o" / "report.json").read_bytes())["inventory"]
    )


TEAM_BOM = {  # the release's own CycloneDX BOM, under the name of mlaudit's export: its dataset is NC
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "version": 1,
    "metadata": {
        "component": {
            "type": "machine-learning-model",
            "name": "acme/rel",
            "bom-ref": "rel",
            "purl": "pkg:huggingface/acme/rel",
        }
    },
    "components": [{"type": "data", "name": "up", "bom-ref": "up", "licenses": [{"license": {"id": "CC-BY-NC-4.0"}}]}],
    "dependencies": [{"ref": "rel", "dependsOn": ["up"]}],
}


def _team_release(root, bom_path: str):
    files = {"mlaudit.toml": '[release]\nasset = "acme/rel"\n', "acme/rel/README.md": card("license: apache-2.0")}
    return write_tree(root, {**files, bom_path: json.dumps(TEAM_BOM)})


@pytest.mark.parametrize("bom_path, out", [("release.cdx.json", ""), ("sbom/release.cdx.json", "sbom")])
def test_a_file_of_the_release_named_like_an_output_is_read_and_never_replaced(tmp_path, capsys, bom_path, out):
    root = _team_release(tmp_path / "r", bom_path)
    bom = (root / bom_path).read_bytes()
    assert main(["audit", str(root), "--out", str(root / out)]) == 1
    report = json.loads((root / out / "report.json").read_bytes())
    assert bom_path in [entry["file"] for entry in report["inventory"] if entry["status"] == "read"]
    assert main(["audit", str(root), "--out", str(root / out), "--cyclonedx"]) == 2
    assert (
        "no record of writing (.mlaudit-outputs.json): writing release.cdx.json would replace it"
        in capsys.readouterr().err
    )
    assert (root / bom_path).read_bytes() == bom


def test_an_earlier_audits_report_without_a_record_is_refused_saying_what_to_do(tmp_path, capsys):
    """An mlaudit that kept no record left report.json in --out: it stays input, never replaced; the
    refusal names it and says to delete it (an earlier output) or choose another --out (the release's)."""
    root = _team_release(tmp_path / "r", "sbom/bom.cdx.json")
    write_tree(root, {"out/report.json": "{}\n"})
    assert main(["audit", str(root), "--out", str(root / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{root / 'out' / 'report.json'} is a file of the audited folder" in err
    assert "delete it and run again" in err and "choose another --out" in err
    assert (root / "out" / "report.json").read_text(encoding="utf-8") == "{}\n"
    (root / "out" / "report.json").unlink()
    assert main(["audit", str(root), "--out", str(root / "out")]) == 1


@pytest.mark.parametrize("bom_path, out", [("release.cdx.json", ""), ("sbom/release.cdx.json", "sbom")])
def test_report_into_the_release_folder_keeps_audits_rule(tmp_path, capsys, bom_path, out):
    """`mlaudit report` re-renders into a folder of the release it audited as `audit` writes there:
    a file it has no record of writing is never replaced, and what it writes is recorded."""
    root = _team_release(tmp_path / "r", bom_path)
    assert main(["audit", str(root), "--out", str(tmp_path / "o")]) == 1
    bom = (root / bom_path).read_bytes()
    stored = str(tmp_path / "o" / "report.json")
    assert main(["report", stored, "--out", str(root / out), "--cyclonedx"]) == 2
    assert "writing release.cdx.json would replace it" in capsys.readouterr().err
    assert (root / bom_path).read_bytes() == bom and not (root / out / "report.json").exists()
    assert main(["report", stored, "--out", str(root / out), "--lines"]) == 1
    assert set(json.loads((root / out / ".mlaudit-outputs.json").read_bytes())["files"]) == {
        "report.json",
        "report.html",
        "findings.txt",
    }
    assert main(["audit", str(root), "--out", str(root / out)]) == 1  # the outputs recorded are not read as input
    assert (
        json.loads((root / out / "report.json").read_bytes())["input"]
        == json.loads((tmp_path / "o" / "report.json").read_bytes())["input"]
    )
    assert main(["report", stored, "--out", str(tmp_path / "elsewhere"), "--cyclonedx"]) == 1  # not a release folder


def test_report_notice_may_not_replace_the_audited_folders_own(tmp_path, capsys):
    root = tmp_path / "r"
    shutil.copytree(DEMO, root)
    (root / "NOTICE").write_text("The team's own NOTICE\n")
    assert main(["audit", str(root), "--out", str(tmp_path / "o")]) == 1
    assert main(["report", str(tmp_path / "o" / "report.json"), "--out", str(root), "--notice"]) == 2
    assert (root / "NOTICE").read_text() == "The team's own NOTICE\n"


def test_an_output_changed_after_it_was_written_is_input(tmp_path, capsys):
    root = _team_release(tmp_path / "r", "sbom/bom.cdx.json")
    (root / "sbom" / "bom.cdx.json").rename(root / "bom.cdx.json")
    assert main(["audit", str(root), "--out", str(root), "--cyclonedx"]) == 1
    (root / "release.cdx.json").write_text(json.dumps(TEAM_BOM))  # the team's BOM now stands in mlaudit's
    (root / "bom.cdx.json").unlink()
    assert main(["audit", str(root), "--out", str(root)]) == 1
    assert "CMP001" in {f["rule"] for f in json.loads((root / "report.json").read_bytes())["findings"]}


def test_a_crafted_record_cannot_hide_a_model_card_in_the_out_folder(tmp_path):
    """Only a file named as an audit's output can be passed over as one: a record listing the card's
    SHA-256 (copied or crafted) leaves the card input, read and judged."""
    root = _team_release(tmp_path / "r", "sbom/bom.cdx.json")
    hidden = card("license: cc-by-nc-4.0\nbase_model: acme/rel")
    write_tree(root, {"out/README.md": hidden})
    digest = hashlib.sha256((root / "out" / "README.md").read_bytes()).hexdigest()
    record = {"written_by": "mlaudit", "files": {"README.md": digest}}
    (root / "out" / ".mlaudit-outputs.json").write_text(json.dumps(record), encoding="utf-8")
    main(["audit", str(root), "--out", str(root / "out"), "--fail-on", "never"])
    report = json.loads((root / "out" / "report.json").read_bytes())
    assert "out/README.md" in [entry["file"] for entry in report["inventory"] if entry["status"] == "read"]
    written = json.loads((root / "out" / ".mlaudit-outputs.json").read_bytes())["files"]
    assert sorted(written) == ["report.html", "report.json"]


def test_notice_may_not_replace_the_audited_folders_own(tmp_path, capsys):
    root = tmp_path / "r"
    shutil.copytree(DEMO, root)
    assert main(["audit", str(root), "--out", str(root), "--notice"]) == 2
    assert "--notice would replace the NOTICE" in capsys.readouterr().err


def _limited(code: str, tmp: object, limit: int) -> subprocess.CompletedProcess[str]:
    """`code` run by Python in a process whose files may not grow past `limit` bytes (the kernel
    refuses the write, as a full disk does), with TMPDIR set to `tmp`."""
    prefix = f"import resource; resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, resource.RLIM_INFINITY))\n"
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", prefix + code], capture_output=True, text=True, env=env, check=False)


def test_no_room_for_a_lakes_temporary_findings_is_exit_2_naming_the_folder(tmp_path):
    tmp, out = tmp_path / "tmp", tmp_path / "out"
    tmp.mkdir()
    lake = FIXTURES / "lakes" / "governance"
    run = _limited(
        f"from auditor.cli import command; raise SystemExit(command(['lake', {str(lake)!r}, '--out', {str(out)!r}]))",
        tmp,
        4096,
    )
    assert run.returncode == 2, run.stderr
    assert (
        run.stderr == f"mlaudit: no room to write temporary files in {tmp} ({os.strerror(errno.EFBIG)}): "
        "free space there, or set TMPDIR to a folder with more\n"
    )
    assert not list(tmp.iterdir()) and not out.exists()  # the temporary files are removed, nothing is published


def test_duckdbs_write_that_finds_no_room_is_told_apart_from_its_other_errors(tmp_path):
    copy = f"COPY (SELECT range::VARCHAR || repeat('x', 40) FROM range(100000)) TO '{tmp_path / 'x.parquet'}' (FORMAT parquet)"
    code = (
        "import duckdb\nfrom auditor import writing\n"
        f"try:\n    duckdb.connect().execute({copy!r})\nexcept duckdb.Error as exc:\n    print(writing.no_room(exc))\n"
        "try:\n    duckdb.connect().execute('SELECT * FROM no_such_table')\nexcept duckdb.Error as exc:\n"
        "    print(writing.no_room(exc))\n"
    )
    run = _limited(code, tmp_path, 4096)
    assert run.stdout.splitlines() == [
        f"no room to write temporary files in {tmp_path} ({os.strerror(errno.EFBIG)}): free space there, "
        "or set TMPDIR to a folder with more",
        "None",
    ], run.stderr


def test_only_a_write_that_finds_no_room_is_reported_as_one():
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/var/big/findings.jsonl")
    assert str(writing.no_room(full)).startswith(
        f"no room to write /var/big/findings.jsonl ({os.strerror(errno.ENOSPC)})"
    )
    assert writing.no_room(OSError(errno.EACCES, os.strerror(errno.EACCES))) is None
    assert writing.no_room(ValueError(os.strerror(errno.ENOSPC))) is None  # not the system's, nor DuckDB's


def test_memory_running_out_is_exit_2_saying_so_not_a_bug(passing, tmp_path, monkeypatch, capsys):
    import duckdb

    def short_of_memory(*args, **kwargs):
        duckdb.connect(config={"memory_limit": "20MB"}).execute("SELECT list(range) FROM range(20000000)").fetchall()

    monkeypatch.setattr(reasoning, "reason", short_of_memory)
    assert main(["audit", str(passing), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mlaudit: out of memory (Out of Memory Error: failed to allocate") and err.count("\n") == 1
    assert "bug" not in err and err.rstrip().endswith("free memory, or run it on a machine with more")


def test_every_report_records_the_documentation_gate_that_failed(passing, tmp_path, capsys):
    """A job failed by --fail-under is no PASS in any report: each states the gate and its reason,
    and `mlaudit report` applies the stored gate again."""
    out = tmp_path / "o"
    assert main(["audit", str(passing), "--out", str(out), "--all", "--fail-under", "90"]) == 1
    doc = json.loads((out / "report.json").read_text())
    why = doc["gate"]["failures"][0]["reason"]
    assert doc["verdict"] == "pass" and not doc["gate"]["passed"]
    assert doc["gate"]["fail_under"] == [{"profile": None, "score": 90}]
    assert doc["gate"]["failures"][0]["option"] == "--fail-under 90" and "below 90" in why
    assert f"verdict: FAIL (gate --fail-under 90: {why}); the release itself passes" in capsys.readouterr().out
    assert "FAIL (gate)" in (out / "report.html").read_text()
    assert "Fails the gate --fail-under 90" in (out / "report.html").read_text()
    junit = (out / "junit.xml").read_text()
    assert 'failures="1"' in junit and '<failure message="--fail-under 90: ' in junit
    assert json.loads((out / "report.sarif").read_text())["runs"][0]["properties"]["gate"] == doc["gate"]
    again = tmp_path / "again"
    assert main(["report", str(out / "report.json"), "--out", str(again)]) == 1
    assert json.loads((again / "report.json").read_text())["gate"] == doc["gate"]
    assert main(["report", str(out / "report.json"), "--out", str(again), "--fail-under", "0"]) == 0
    assert json.loads((again / "report.json").read_text())["gate"]["passed"]
