"""Shared helpers: build release folders from text, run the pipeline, read its report document."""

from __future__ import annotations

import gc
import itertools
import textwrap
import time
from pathlib import Path

import pytest

from auditor import audit, rulebase

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
RB = rulebase.load()  # the installed rule base, read once for the session and given to every audit


def within(seconds: float, fn, *args):
    """`fn(*args)`, failing if it takes `seconds` of CPU or more: a bound on the work a parser does.

    CPU time, not wall time, so a busy machine's other jobs do not count; the collector is paused, so
    a long test process's heap, scanned by every full collection, does not count either. A quadratic
    reader of a megabyte takes minutes, far beyond any bound given here."""
    paused = gc.isenabled()
    gc.disable()
    start = time.process_time()
    try:
        result = fn(*args)
    finally:
        elapsed = time.process_time() - start
        if paused:
            gc.enable()
    assert elapsed < seconds, f"took {elapsed:.1f} s of CPU"
    return result


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create `files` (relative path -> text or bytes) under root; text is dedented."""
    for rel, body in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return root


def card(front: str = "", body: str = "# Card\n") -> str:
    """A README.md with the given YAML front matter (dedented) and Markdown body."""
    return "---\n" + textwrap.dedent(front).strip("\n") + "\n---\n" + textwrap.dedent(body)


def with_unrelated(root: Path, count: int) -> Path:
    """The demo release copied into `root` with `count` models added beside it, each fine-tuned from
    the one before: a folder whose lineage is larger than the release's."""
    import shutil

    shutil.copytree(FIXTURES / "releases" / "demo", root)
    for i in range(count):
        parent = f"base_model: other/model-{i - 1}\n" if i else ""
        write_tree(root, {f"other/model-{i}/README.md": card(f"license: mit\n{parent}", "# Another model\n")})
    return root


def run_audit(root: Path, rb: rulebase.RuleBase = RB, **overrides) -> dict:
    return audit.run(root, rb=rb, **overrides).document()


def findings_of(doc: dict, rule: str) -> list[dict]:
    return [f for f in doc["findings"] if f["rule"] == rule]


@pytest.fixture
def release(tmp_path):
    """Factory: release(files) writes a release folder and returns its report document."""

    def make(files: dict, **overrides) -> dict:
        return run_audit(write_tree(tmp_path / "release", files), **overrides)

    return make


@pytest.fixture
def readme_example(monkeypatch, capsys):
    """Factory: readme_example(command, argv, paths) checks that the CLI run with `argv` from the
    repository's root prints what README.md shows under `$ command` (up to the next `$ ` line or the
    block's end), once each path of `paths` it printed is written as the README writes it, in turn."""
    from auditor.cli import main

    def check(command: str, argv: list[str], paths: dict[str, str]) -> None:
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        after = readme.split(f"$ {command}\n", 1)[1].split("```", 1)[0].splitlines(keepends=True)
        shown = "".join(itertools.takewhile(lambda line: not line.startswith("$ "), after))
        monkeypatch.chdir(ROOT)
        assert main(argv) == 0
        printed = capsys.readouterr().out
        for path, written in paths.items():
            printed = printed.replace(path, written)
        assert printed == shown

    return check


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection (a remote @context, a DTD, an RDF import) fails the test;
    modules that read manifests opt in with `pytestmark = pytest.mark.usefixtures("no_network")`."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
