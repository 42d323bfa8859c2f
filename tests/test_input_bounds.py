"""Every parser of untrusted text is linear or bounded: worst cases of at least 1 MB finish fast,
and the audited folder is the boundary (only regular files inside it are ever opened)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from conftest import FIXTURES, card, run_audit, within, write_tree

from auditor.cli import main
from auditor.harvest import harvest
from auditor.harvest.folder import MAX_DEPTH
from auditor.readers import safejson
from auditor.readers.frontmatter import MAX_NODES, FrontMatterError, parse, split
from auditor.readers.markdown import sections


def short(value) -> str:
    """A short test id for a megabyte parameter."""
    return ascii(value[:24])


MB = 1_100_000
LIMIT = 3.0  # CPU seconds for a megabyte: about 4x the slowest case here, and far below quadratic


def timed(fn, *args):
    return within(LIMIT, fn, *args)


@pytest.mark.parametrize(
    "text",
    [
        '"' + '\\"' * (MB // 2),  # an unterminated string of escaped quotes: was quadratic
        '\\"' * (MB // 2),
        '"' * MB,
        "[" * MB,
        '["a",' * (MB // 5),
        '"' + "\\" * MB,
    ],
    ids=short,
)
def test_json_depth_scan_is_linear(text):
    with pytest.raises(safejson.JSONRefused):
        timed(safejson.loads, text.encode())


@pytest.mark.parametrize(
    "body",
    [
        "<!--" * (MB // 4),
        "<!--\n" * (MB // 5),
        "{" * MB,
        "## a\n" + "{{ " * (MB // 3),
        "## a\n" + "[More Information Needed] " * (MB // 26),  # one long line of placeholders
        "## a\n" + " " * MB + "x",
        "## a\n- **" + "a" * MB,
        "## a\n" + "1" * MB + ".",
        "# a\n" * (MB // 4),  # bare headings: the most tokens per byte
        "a\n=\n" * (MB // 4),
        "[" * MB,
        "*a" * (MB // 2),
        "- a\n" * (MB // 4),
        "1. a\n" * (MB // 5),
    ],
    ids=short,
)
def test_card_body_is_read_in_bounded_time(body):
    assert len(body) >= 1_000_000
    timed(sections, body, 1, "README.md")


STAND_INS = [  # the worst cases of each placeholder shape: long runs that almost match, and many that do
    "[A_" * (MB // 3),
    "[" + "A_" * (MB // 2),
    "{a_" * (MB // 3),
    "<" + "A0_" * (MB // 3),
    "x" * MB + "a",
    "x " * (MB // 2),
    "@a." * (MB // 3),
    "@" + "a." * (MB // 2),
    "/" * MB,
    "//example.com " * (MB // 14),
    "please add " * (MB // 11) + "here",
    "add " * (MB // 4) + "here",
    "will be added later " * (MB // 20),
    "later " * (MB // 6),
    "TBD for now " * (MB // 12),
    "same as the base model " * (MB // 23),
    "<tr><td>" * (MB // 8),
    "<table><tr>" + "<td>a</td>" * (MB // 10),
    "<tr " + "a" * MB,
]


@pytest.mark.parametrize("line", STAND_INS, ids=short)
def test_placeholder_judgement_is_linear(line):
    """A metadata value or a card line is judged in one pass: a megabyte of any placeholder shape."""
    from auditor.readers.placeholders import judge

    assert len(line) >= 1_000_000
    timed(judge, line)


@pytest.mark.parametrize(
    "body",
    STAND_INS[-3:]
    + [
        "<h2>" * (MB // 4),
        "<details><summary>a</summary>" * (MB // 30),
        "</details>" * (MB // 10),
        "<summary>" + "a" * MB,
        "**a:** b\n\n" * (MB // 10),
        "**" + "a" * MB,
    ],
    ids=short,
)
def test_html_and_labelled_paragraphs_are_read_in_bounded_time(body):
    timed(sections, "## a\n\n" + body, 1, "README.md")


@pytest.mark.parametrize(
    "text",
    [
        "\n" * MB,
        "\n" * MB + "---\n" + "a: b\n" * 10,
        "---\n" + "\n---   x" * (MB // 8),
        " " * MB + "---",
    ],
    ids=short,
)
def test_front_matter_split_is_linear(text):
    def attempt():
        with contextlib.suppress(FrontMatterError):
            split(text)

    timed(attempt)


FRONT_MATTER = {  # the most keys and values per byte, in each of YAML's shapes, and then aliased
    "flow list": "license: mit\nx: [" + ",".join(["a"] * (MB // 2)) + "]\n",
    "keys": "".join(f"k{i}: v\n" for i in range(MB // 8)),
    "block list": "license: mit\ndatasets:\n" + "".join(f"  - org/d{i}\n" for i in range(MB // 14)),
    "aliased": "a: &a x\nb: *a\nx: [" + ",".join(["a"] * (MB // 2)) + "]\n",
}


def peak_memory(fn, *args) -> int:
    """The most memory Python objects took while `fn(*args)` ran, in bytes."""
    tracemalloc.start()
    try:
        fn(*args)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def refusal(source: str) -> str:
    with pytest.raises(FrontMatterError) as refused:
        parse(source, 2)
    return str(refused.value)


@pytest.mark.parametrize("shape", sorted(FRONT_MATTER))
def test_a_megabyte_of_front_matter_is_refused_fast_in_little_memory_and_for_its_size(shape):
    """Past MAX_NODES keys and values the reading stops, before anything is built of the rest: it
    was 2.7 s of CPU and 266 MB for the flow list, which was composed whole and blamed on aliases."""
    source = FRONT_MATTER[shape]
    assert len(source) >= 1_000_000
    assert timed(refusal, source) == f"YAML holds more than {MAX_NODES} keys and values; refused"
    assert peak_memory(refusal, source) < 48_000_000


def test_a_long_key_is_not_copied_into_the_pointer_of_every_value_below_it():
    """An explicit key has no length limit; 50 KB of key over 5,000 items took 250 MB of pointers."""
    source = "? " + "k" * 50_000 + "\n: [" + ",".join(["a"] * 5_000) + "]\n"
    assert peak_memory(parse, source, 2) < 16_000_000
    assert len(timed(parse, source, 2).data["k" * 50_000]) == 5_000


def test_a_refused_front_matter_is_not_read_as_the_card_body(tmp_path):
    card = tmp_path / "org" / "m" / "README.md"
    card.parent.mkdir(parents=True)
    card.write_text("---\n" + FRONT_MATTER["flow list"] + "---\n# Card\n## Uses\nChat.\n", encoding="utf-8")
    result = timed(harvest, tmp_path)
    assert [(p.code, p.evidence.line) for p in result.problems] == [("bad-front-matter", 3)]
    assert [(s.heading, s.evidence.line) for s in result.records[0].sections] == [("Card", 5), ("Uses", 6)]


SPDX3_HEAD = (
    '{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [{"type": "CreationInfo", "@id": "_:c", '
    '"specVersion": "3.0.1", "createdBy": ["urn:a"], "created": "2024-05-02T10:00:00Z"}, {"type": "SpdxDocument", '
    '"spdxId": "urn:doc", "creationInfo": "_:c", "rootElement": ["urn:p"]}, '
    '{"type": "ai_AIPackage", "spdxId": "urn:p", "creationInfo": "_:c", "name": "m"}, '
)
TAG_VALUE_HEAD = (
    "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: x\n"
    "DocumentNamespace: http://x.example/doc\nCreator: Tool: x\nCreated: 2024-01-01T00:00:00Z\n"
    "PackageName: m\nSPDXID: SPDXRef-p\nPackageDownloadLocation: NOASSERTION\n"
)


def _many_relationships_tag_value(n: int) -> str:
    """One package depending on `n` others: each relationship was checked against all before it."""
    return TAG_VALUE_HEAD + "".join(
        f"PackageName: d{i}\nSPDXID: SPDXRef-q{i}\nPackageDownloadLocation: NOASSERTION\n"
        f"Relationship: SPDXRef-p DEPENDS_ON SPDXRef-q{i}\n"
        for i in range(n)
    )


def _many_relationships_spdx3(n: int) -> str:
    """One AI package trained on `n` datasets."""
    elements = "".join(
        f'{{"type": "dataset_DatasetPackage", "spdxId": "urn:d{i}", "creationInfo": "_:c"}},' for i in range(n)
    )
    targets = ",".join(f'"urn:d{i}"' for i in range(n))
    relationship = '{"type": "Relationship", "spdxId": "urn:r", "creationInfo": "_:c", "from": "urn:p", '
    return SPDX3_HEAD + elements + relationship + f'"relationshipType": "trainedOn", "to": [{targets}]}}]}}'


HOSTILE_FILES = {
    "config.json": '{"architectures": ["x"], "a": "' + '\\"' * (MB // 2),
    "dataset.croissant.json": '{"@context": {"cr": "http://mlcommons.org/croissant/"}, "name": "' + '\\"' * (MB // 2),
    "schema.json": '{"@context": "https://schema.org/", "@type": "Dataset", "name": "' + '\\"' * (MB // 2),
    "bom.json": '{"bomFormat": "CycloneDX", "x": "' + '\\"' * (MB // 2),
    "doc.spdx.json": '{"spdxVersion": "SPDX-2.3", "SPDXID": "' + '\\"' * (MB // 2),
    "doc.spdx": "SPDXVersion: SPDX-2.3\n" + "SPDXID: " * (MB // 8),
    "sbom.spdx3.json": '{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "x": "'
    + '"spdxId": "\\"' * (MB // 14),
    "d.xml": '<oml:data_set_description xmlns:oml="http://openml.org/openml">' + "<!--" * (MB // 4),
    "late.xml": "<!-- data_set_description http://openml.org/openml " + "x" * MB + " --><!DOCTYPE a []><a/>",
    # no format names itself in the head: the top-level members are looked for through the whole file
    "late-marker.json": '{"a": [' + "[1]," * (MB // 4) + '1], "bomFormat": "CycloneDX", "specVersion": "1.6"}',
    "tokenizer.json": '{"model": {"vocab": {' + ",".join(f'"t{i}": {i}' for i in range(MB // 12)) + "}}}",
    "m.yml": "release:\n  components:\n" + "\n" * MB,
    "models/o/m/README.md": "---\nlicense: mit\n---\n" + "<!--" * (MB // 4),
    # valid JSON, so the line indexes run over the whole text too
    "valid.cdx.json": '{"bomFormat": "CycloneDX", "specVersion": "1.5", "x": "' + '\\"' * (MB // 2) + '"}',
    "valid.schema.json": '{"@context": "https://schema.org/", "@type": "Dataset", "name": "' + '\\"' * (MB // 2) + '"}',
    "commented.xml": "<!--" + "- " * (MB // 4) + "-->" + "<!---->" * (MB // 14) + "<bom/>",
    "commented.yml": "#\n" * (MB // 2) + "release:\n",
    "many-attributes.cdx.xml": '<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components>'
    + '<component type="library" '
    + " ".join(f'a{i}="v"' for i in range(MB // 10))
    + "><name>x</name></component></components></bom>",
    "many-relationships.spdx": _many_relationships_tag_value(MB // 110),
    "many-relationships.spdx3.json": _many_relationships_spdx3(MB // 90),
    "valid.spdx3.json": '{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": ['
    + '{"spdxId": "\\"\\"", "type": "x"},' * (MB // 36)
    + "{}]}",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_each_reader_finishes_fast_on_a_hostile_megabyte(tmp_path, name):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HOSTILE_FILES[name], encoding="utf-8")
    result = timed(harvest, tmp_path)
    assert [e.file for e in result.inventory] == [name]


# --- the folder is the boundary ---------------------------------------------------------------------


def inventory(root: Path) -> dict[str, tuple[str, str]]:
    return {e.file: (e.status, e.reason) for e in harvest(root).inventory}


def test_a_fifo_named_like_a_manifest_is_listed_never_opened(tmp_path):
    for name in ("README.md", "config.json", "mlaudit.toml"):
        os.mkfifo(tmp_path / name)
    found = timed(inventory, tmp_path)
    assert all(found[n] == ("skipped", "not a regular file (a FIFO); never opened") for n in found) and len(found) == 3


@pytest.mark.parametrize(
    "name, dropped",
    [
        ("mlaudit.toml", "its settings and [[lineage]] are"),
        ("resolutions.yaml", "its decisions are"),
        ("curations.yaml", "its decisions are"),
    ],
)
@pytest.mark.parametrize("make", ["fifo", "link out"])
def test_mlaudit_s_own_file_not_opened_is_an_input_error(tmp_path, make, name, dropped):
    """What it states no manifest does: refused unread, it must not let the release pass."""
    folder = tmp_path / "release"
    folder.mkdir()
    if make == "fifo":
        os.mkfifo(folder / name)
    else:
        (tmp_path / "outside").write_text('[release]\nasset = "acme/m"\n')
        (folder / name).symlink_to(tmp_path / "outside")
    problems = [(p.code, p.evidence.file, p.message) for p in harvest(folder).problems]
    assert len(problems) == 1 and problems[0][:2] == ("unreadable", name)
    assert problems[0][2].endswith(f"not read, so {dropped} not applied")


@pytest.mark.parametrize(
    "command, option, path",
    [
        ("audit", "--resolutions", "fifo"),
        ("audit", "--curations", "/dev/zero"),
        ("audit", "--baseline", "fifo"),
        ("report", "--resolutions", "fifo"),
    ],
)
def test_a_review_file_given_that_is_no_regular_file_is_a_clear_error_never_read(tmp_path, command, option, path):
    """A FIFO would block the audit, /dev/zero never end: refused unopened, naming the file (read
    as a manifest is, readers.text.read_bounded)."""
    if path == "fifo":
        path = str(tmp_path / "fifo")
        os.mkfifo(path)
    release = write_tree(tmp_path / "r", {"README.md": card("license: mit")})
    target = str(release)
    if command == "report":
        assert main(["audit", target, "--out", str(tmp_path / "first")]) == 0
        target = str(tmp_path / "first" / "report.json")
    argv = [sys.executable, "-m", "auditor", command, target, "--out", str(tmp_path / "o"), option, path]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    kind = "a FIFO" if path.endswith("fifo") else "a device"
    assert done.returncode == 2 and f"not a regular file ({kind}); not read" in done.stderr
    assert f"{path}: " in done.stderr


def test_a_socket_and_a_device_are_never_opened(tmp_path):
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "bom.json"))
        (tmp_path / "README.md").symlink_to("/dev/zero")
        found = timed(inventory, tmp_path)
    finally:
        server.close()
    assert found["bom.json"] == ("skipped", "not a regular file (a socket); never opened")
    assert found["README.md"][0] == "skipped"  # a link out of the folder, and a device


def test_a_file_symlink_loop_is_an_inventory_entry(tmp_path):
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    assert inventory(tmp_path) == {
        "a.json": ("skipped", "symbolic link loop"),
        "b.json": ("skipped", "symbolic link loop"),
    }


@pytest.fixture
def nest(tmp_path):
    """Make `levels` folders named `name`, one in the other, relative to each parent (past PATH_MAX);
    removed bottom-up afterwards (pytest's recursive cleanup would exceed the recursion limit)."""
    fds = [os.open(tmp_path, os.O_RDONLY)]

    def make(name: str, levels: int) -> None:
        for _ in range(levels):
            os.mkdir(name, dir_fd=fds[-1])
            fds.append(os.open(name, os.O_RDONLY, dir_fd=fds[-1]))
        os.close(fds.pop())
        fds.append(name)

    yield make
    name = fds.pop()
    while fds:
        fd = fds.pop()
        os.rmdir(name, dir_fd=fd)
        os.close(fd)


def test_a_tree_deeper_than_the_recursion_limit_is_cut_cleanly(tmp_path, nest):
    nest("d", sys.getrecursionlimit() + 10)
    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n")
    found = inventory(tmp_path)
    assert found.pop("README.md")[0] == "read"
    assert list(found.values()) == [("skipped", f"nested more than {MAX_DEPTH} folders deep; not searched")]


def test_a_tree_deeper_than_path_max_is_cut_cleanly(tmp_path, nest):
    nest("d" * 250, 30)  # 7.5 KB of path, past PATH_MAX (4 KB) before MAX_DEPTH
    found = inventory(tmp_path)
    assert [(status, reason) for status, reason in found.values()] == [
        ("unreadable", "cannot list folder: File name too long")
    ]


def test_an_unreadable_subfolder_is_listed_with_its_reason(tmp_path, monkeypatch):
    """A folder the user may not list (simulated: tests may run as root, who lists every folder)."""
    from auditor.harvest import folder

    locked = tmp_path / "org" / "m"
    locked.mkdir(parents=True)
    (tmp_path / "org" / "x").mkdir()
    listing = os.scandir

    def scandir(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(folder.os, "scandir", scandir)
    result = harvest(tmp_path)
    found = {e.file: (e.status, e.reason) for e in result.inventory}
    assert found["org/m/"] == ("unreadable", "cannot list folder: Permission denied")
    assert [(p.evidence.file, p.message) for p in result.problems] == [("org/m/", found["org/m/"][1])]


@pytest.mark.parametrize(
    "rel", ["bom.cdx.json", "org/up/README.md", "org/m/config.json", "org/m/LICENSE", "models.jsonl.gz", "m.onnx"]
)
def test_a_manifest_that_cannot_be_opened_is_an_input_problem(tmp_path, rel):
    """A dangling link named like a manifest: listed unreadable, and told, so the gate cannot pass it."""
    (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / rel).symlink_to(tmp_path / "nowhere")
    (tmp_path / "notes.txt").symlink_to(tmp_path / "nowhere")  # no manifest: listed, not told
    result = harvest(tmp_path)
    assert {e.file: e.status for e in result.inventory} == {rel: "unreadable", "notes.txt": "unreadable"}
    assert [(p.code, p.evidence.file, p.message) for p in result.problems] == [
        ("unreadable", rel, "cannot read file: No such file or directory")
    ]


@pytest.mark.parametrize("rel", ["org/up/README.md", "org/up/LICENSE", "org/up/model.safetensors"])
def test_a_manifest_linked_out_of_the_folder_is_an_input_problem(tmp_path, rel):
    """Refused as a link out of the folder, a license or card is as lost as a dangling one: told."""
    outside, root = tmp_path / "outside", tmp_path / "release"
    outside.mkdir()
    (outside / "target").write_text("Attribution-NonCommercial 4.0 International\n")
    (root / rel).parent.mkdir(parents=True)
    (root / rel).symlink_to(outside / "target")
    (root / "notes.txt").symlink_to(outside / "target")  # no manifest: listed, not told
    result = harvest(root)
    assert [(p.code, p.evidence.file, p.message) for p in result.problems] == [
        ("unreadable", rel, "symbolic link pointing outside the audit folder")
    ]


def test_a_hub_cache_snapshot_audited_alone_says_to_audit_the_cache(tmp_path):
    cache = tmp_path / "models--org--m"
    (cache / "blobs").mkdir(parents=True)
    (cache / "blobs" / "abc").write_text(card("license: mit"))
    snapshot = cache / "snapshots" / "0123abc"
    snapshot.mkdir(parents=True)
    (snapshot / "README.md").symlink_to(cache / "blobs" / "abc")
    (problem,) = harvest(snapshot).problems
    assert problem.code == "unreadable" and "audit the cache folder (models--org--name" in problem.message


def test_a_dangling_sbom_fails_the_gate(tmp_path):
    write_tree(tmp_path, {"mlaudit.toml": '[release]\nasset = "acme/m"\n', "acme/m/README.md": card("license: mit")})
    (tmp_path / "bom.cdx.json").symlink_to("/nonexistent")
    doc = run_audit(tmp_path)
    (told,) = [f for f in doc["findings"] if f["rule"] == "INP001"]
    assert told["evidence"][0]["file"] == "bom.cdx.json" and doc["verdict"] == "fail"


def test_review_and_config_files_leading_out_of_the_folder_are_not_applied(tmp_path):
    from auditor import audit, config

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mlaudit.toml").write_text('[release]\nasset = "nobody/nothing"\n')
    (outside / "resolutions.yaml").write_text("not: [valid\n")
    release = tmp_path / "release"
    release.mkdir()
    for name in ("mlaudit.toml", "resolutions.yaml"):
        (release / name).symlink_to(outside / name)
    assert config.load(release) == config.DEFAULT
    assert audit.review_texts({"resolutions": release / "resolutions.yaml"}, release) == {}
    assert inventory(release)["mlaudit.toml"] == ("skipped", "symbolic link pointing outside the audit folder")


def hub_table(line: str) -> bytes:
    """`line` repeated past a megabyte: one huge row, or very many rows."""
    return (line * (MB // len(line) + 1)).encode()


# CPU seconds for a megabyte of Hub records: DuckDB's threads count too, and the slowest case, 333k rows
# that cannot be read (each told or counted), takes 1.5 to 2.6 s here; a quadratic reader takes minutes
HUB_LIMIT = 6.0
HUB_LINES = b'{"id": "a/first", "tags": []}\n'  # a first row that makes a .jsonl file a table of Hub records
HUB_ARRAY = b'[{"id": "a/first", "tags": []},'  # a first element that makes a .json file an array of them


@pytest.mark.parametrize(
    "name, data",
    [
        ("models.jsonl", HUB_LINES + hub_table("\n")),  # blank lines
        ("models.jsonl", HUB_LINES + hub_table('{"id": "a/b"}\n')),  # one row, many times: one asset, many records
        ("models.jsonl", HUB_LINES + hub_table("{}\n")),  # rows without an id: a problem each
        ("models.jsonl", HUB_LINES + hub_table("[") + b"\n"),  # one row over the row limit
        ("models.jsonl", HUB_LINES + b'{"id": "a/b", "cardData": {"x": ' + hub_table("[") + b"}}\n"),
        (
            "models.jsonl",
            HUB_LINES + b'{"id": "a/b", "tags": [' + hub_table('"base_model:adapter:o/m",')[:-1] + b"]}\n",
        ),
        (
            "models.jsonl",
            HUB_LINES + b'{"id": "a/b", "cardData": {"base_model": [' + hub_table('"o/m",')[:-1] + b"]}}\n",
        ),
        # just under the row limit: one row naming tens of thousands of upstreams, in tags and card data
        (
            "models.jsonl",
            HUB_LINES
            + json.dumps({"id": "a/b", "tags": [f"base_model:adapter:o/m{i}" for i in range(33_000)]}).encode()
            + b"\n",
        ),
        (
            "models.jsonl",
            HUB_LINES
            + json.dumps({"id": "a/b", "cardData": {"base_model": [f"o/m{i}" for i in range(85_000)]}}).encode()
            + b"\n",
        ),
        ("models.json", HUB_ARRAY + hub_table("{},") + b"{}]"),  # elements without an id: a problem each
        ("models.json", HUB_ARRAY + hub_table('{"id": "a/b"},') + b"{}]"),  # one asset, many records
        ("models.json", HUB_ARRAY + hub_table('"x",') + b"1]"),  # elements that are not objects
        ("models.json", HUB_ARRAY + b'{"id": "a/b", "x": ' + hub_table("[") + hub_table("]") + b"}]"),  # nested deep
        ("models.json", HUB_ARRAY + b'{"id": "a/b", "cardData": {"base_model": [' + hub_table('"o/m",')[:-1] + b"]}}]"),
        ("models.json", HUB_ARRAY + hub_table('{"id": "a/b"},')),  # never closed: the table cannot be read
    ],
    ids=lambda v: v if isinstance(v, str) else short(v[len(HUB_LINES) :]),
)
def test_hub_tables_are_read_in_bounded_time(tmp_path, name, data):
    assert len(data) >= 1_000_000
    (tmp_path / name).write_bytes(data)
    result = within(HUB_LIMIT, harvest, tmp_path)
    assert [(e.file, e.format) for e in result.inventory] == [(name, "hub-records")]
    unreadable = [p for p in result.problems if "cannot read the table" in p.message]
    if name.endswith(".jsonl") or data.rstrip().endswith(b"]"):
        assert "a/first" in {r.id for r in result.records} and not unreadable
    else:  # an array never closed is refused whole, none of its elements taken
        assert unreadable and not result.records


# --- XML: no DTD, wherever it stands ----------------------------------------------------------------

DOCTYPE_CASES = [
    "cyclonedx/billion-laughs.cdx.xml",
    "cyclonedx/external-entity.cdx.xml",
    "openml/xxe.xml",
    "spdx2/billion-laughs.spdx.rdf.xml",
    "spdx2/xxe.spdx.xml",
]


@pytest.mark.parametrize("case", DOCTYPE_CASES)
def test_a_doctype_behind_a_long_comment_is_refused(tmp_path, case):
    """The DOCTYPE is found by the parser, not in a byte prefix: 5 KB of comment before it hide nothing
    (the comment quotes the document, so every reader still recognises the file)."""
    data = (FIXTURES / "formats" / case).read_bytes()
    declaration, sep, rest = data.partition(b"?>")
    prolog, body = (declaration + sep, rest) if sep else (b"", data)
    padding = b"<!-- " + data.replace(b"--", b"").replace(b"<!", b"").ljust(5000) + b" -->\n"
    (tmp_path / Path(case).name).write_bytes(prolog + padding + body)
    (entry,) = harvest(tmp_path).inventory
    assert entry.status == "unreadable" and "DOCTYPE" in entry.reason, entry


def test_a_parquet_table_whose_columns_inflate_past_the_bound_is_refused_before_its_rows_are_read(tmp_path):
    """Parquet compresses each column (zstd reaches thousands of times): a small table bounded only
    row by row once decoded would take gigabytes of memory; it is bounded as a gzip table is."""
    import duckdb

    table = tmp_path / "models.parquet"
    query = "SELECT 'o/x' AS id, repeat('a', 8000000) AS cardData"
    duckdb.connect().execute(f"COPY ({query}) TO '{table}' (FORMAT parquet, COMPRESSION zstd)")
    assert table.stat().st_size < 8000000 // 200
    problems = [p.message for p in harvest(tmp_path).problems]
    assert len(problems) == 1 and "its columns inflate to" in problems[0] and "over 200 times its size" in problems[0]


@pytest.mark.parametrize("key", ["license", "datasets"])
def test_a_card_list_of_license_or_lineage_entries_is_read_up_to_its_bound_and_the_rest_told(tmp_path, key):
    """Each entry costs a finding's work: 40,000 of them in a 0.4 MB card kept an audit running for
    minutes. Those past the bound are not read, which fails the gate (their terms are unknown)."""
    from auditor.harvest.hfcard import MAX_ENTRIES
    from auditor.model import UNREAD_ENTRY

    entries = "".join(f"\n  - o/d{i}" for i in range(MAX_ENTRIES + 500))
    write_tree(tmp_path, {"acme/m/README.md": f"---\n{key}:{entries}\n---\n# m\n"})
    result = harvest(tmp_path)
    told = [(p.code, p.message) for p in result.problems if "entries" in p.message]
    assert told == [(UNREAD_ENTRY, f"'{key}' lists 1,500 entries, more than the 1,000 read: the rest are not read")]
    (record,) = result.records
    assert len(record.licenses if key == "license" else record.references) == MAX_ENTRIES


def test_a_file_that_grows_after_its_size_was_read_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    """The size is read once the file is open; a file growing after that is still bounded by the limit."""
    from auditor.readers import text

    path = tmp_path / "grows.json"
    path.write_bytes(b"x" * 5000)
    real = os.fstat

    def stale(fd: int) -> os.stat_result:
        info = real(fd)
        return os.stat_result((info.st_mode, *info[1:6], 10, *info[7:]))  # the size before it grew

    monkeypatch.setattr(text.os, "fstat", stale)
    with pytest.raises(text.ReadRefused, match="over the 0 MB limit"):
        text.read_bounded(path, 1000, "tests")
