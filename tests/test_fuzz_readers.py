"""Fuzzing every reader with mutated real manifests, and a sweep over the shared corpus.

Each reader gets the manifests of its format (fixtures/formats/, and ../shared/corpus/manifests/
where present) cut, repeated, truncated and spiked with hostile tokens. Whatever comes in, no
exception escapes, the file is in the inventory, and the harvest stays fast. The example budget is
fixed so the suite's time is bounded.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from conftest import FIXTURES, RB, within
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import audit
from auditor.harvest import harvest
from auditor.readers import safejson

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "manifests"
NO_CORPUS = f"{CORPUS} is absent: the corpus sweep needs the shared corpus next to the project"
SECONDS = 5.0  # one mutated manifest, harvested alone
HOSTILE = [
    b'"' + b'\\"' * 2000,
    b"[" * 3000,
    b"{" * 3000,
    b"<!--" * 500,
    b"{{{" * 500,
    b"\x00",
    b"\xff\xfe",
    b"\n---\n",
    b"&e;",
    b"<!DOCTYPE x [<!ENTITY e 'x'>]>",
    b"a: &a [*a, *a]\n",
    b"\t- " * 500,
    b"NaN",
    b"1e999999",
    b"\\u0000",
    b"\\ud800",
    b"\\udc00\\ud800",
    b"&#xD800;",
    b"\r",
    b"SPDXID: ",
    b"#" * 300,
    b" " * 5000,
]
# reader -> (folders of fixtures/formats and of the corpus holding its manifests)
READERS = {
    "croissant": ("croissant", "croissant"),
    "cyclonedx": ("cyclonedx", "cyclonedx"),
    "modelfolder": ("modelfolder", None),
    "mof": ("mof", None),
    "openml": ("openml", "openml"),
    "schemaorg": ("schemaorg", None),
    "spdx2": ("spdx2", "spdx2"),
    "spdx3": ("spdx3", "spdx3"),
    "hf-card": (None, "hf-model-cards"),
    "hub-records": ("hub-records", None),
    "hub-records-gz": ("hub-records-gz", None),
}


def placed(path: Path) -> str:
    """Where a seed sits in an audit folder: corpus cards under org/name as the Hub lays them out."""
    org, sep, rest = path.name.partition("__")
    if sep and "." in rest:
        name, _, file = rest.partition(".")
        return f"{org}/{name}/{file}"
    return path.name


def seeds(reader: str) -> list[tuple[str, bytes]]:
    fixture, corpus = READERS[reader]
    found = sorted(p for p in (FIXTURES / "formats" / fixture).rglob("*") if p.is_file()) if fixture else []
    if reader == "hf-card":
        found = sorted((FIXTURES / "releases").rglob("README.md"))[:12]
    if corpus and (CORPUS / corpus).is_dir():
        found += sorted(p for p in (CORPUS / corpus).iterdir() if p.is_file())
    return [
        ("org/m/README.md" if p.name == "README.md" else placed(p), p.read_bytes())
        for p in found
        if not p.name.startswith("SOURCE")
    ]


@st.composite
def mutated(draw, pool: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(pool))
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(data)))
        j = draw(st.integers(i, min(len(data), i + 512)))
        how = draw(st.sampled_from(("cut", "repeat", "hostile", "bytes", "truncate")))
        if how == "cut":
            del data[i:j]
        elif how == "repeat":
            data[i:i] = data[i:j] * draw(st.integers(1, 200))
        elif how == "hostile":
            data[i:i] = draw(st.sampled_from(HOSTILE)) * draw(st.integers(1, 30))
        elif how == "bytes":
            data[i:j] = draw(st.binary(max_size=32))
        else:
            del data[i:]
    return name, bytes(data)


def fuzz(reader: str):
    pool = seeds(reader)

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated(pool))
    def check(case: tuple[str, bytes]) -> None:
        name, data = case
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            result = within(SECONDS, harvest, Path(folder))
            assert name in {e.file for e in result.inventory}

    assert pool, f"no seed manifests for {reader}"
    check()


@pytest.mark.parametrize("reader", sorted(READERS))
def test_fuzz_reader(reader):
    fuzz(reader)


STRING_VALUE = re.compile(rb'":\s*"')  # where a string value of a JSON seed starts
NAME_VALUE = re.compile(rb'"(?:id|name)":\s*"')  # a value every reader reads


def parses(data: bytes) -> bool:
    """Whether a seed is JSON mlaudit reads (some are broken or too deep on purpose)."""
    try:
        safejson.loads(data)
    except safejson.JSONRefused:
        return False
    return True


@pytest.mark.parametrize("reader", sorted(r for r in READERS if r != "hf-card"))
def test_a_lone_surrogate_is_a_problem_of_the_file_never_a_crash(tmp_path, reader):
    """ "\\ud800" is valid JSON syntax for no character: every JSON seed of a reader, given one in its
    first id or name (else its last string), is refused by name and the audit goes on to its reports (it crashed writing them)."""
    pool = [(name, data) for name, data in seeds(reader) if parses(data) and STRING_VALUE.search(data)]
    for n, (name, data) in enumerate(pool[:3]):
        path = tmp_path / str(n) / name
        path.parent.mkdir(parents=True)
        *_, last = STRING_VALUE.finditer(data)
        at = (NAME_VALUE.search(data) or last).end()
        path.write_bytes(data[:at] + rb"\ud800" + data[at:])
        inventory = {e.file: e for e in audit.run(path.parent, rb=RB).graph.harvest.inventory}
        entry = inventory[name]
        told = "surrogate" in entry.reason or (reader.startswith("hub") and "row is not read" in entry.reason)
        assert told and entry.status != "skipped", entry


# --- the corpus sweep -------------------------------------------------------------------------------


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file())


def audited(files: list[Path], folder: Path) -> set[str]:
    """The inventory of an audit of `files` laid out in `folder` (corpus cards under org/name)."""
    for path in files:
        target = folder / path.parent.name / placed(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    return {e.file for e in audit.run(folder, rb=RB).graph.harvest.inventory}


@pytest.mark.skipif(not CORPUS.is_dir(), reason=NO_CORPUS)
def test_corpus_sweep_every_file_alone_and_all_together(tmp_path):
    files = corpus_files()
    assert files
    for n, path in enumerate(files):
        inventory = audited([path], tmp_path / f"alone-{n}")
        assert f"{path.parent.name}/{placed(path)}" in inventory
    everything = audited(files, tmp_path / "together")
    assert {f"{p.parent.name}/{placed(p)}" for p in files} <= everything
