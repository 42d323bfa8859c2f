"""Harvesting Croissant 0.8/1.0/1.1: identity, licenses as written, checksums, RAI and PROV fields,
lineage, bad shapes and hostile files, and a conformance pass over the shared corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.harvest import Context, croissant, harvest, schemaorg
from auditor.harvest.layout import place
from auditor.naming import asset_key

HERE = FIXTURES / "formats" / "croissant"
UPSTREAM = HERE / "upstream"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "manifests"


pytestmark = pytest.mark.usefixtures("no_network")


def read(path: Path, rel: str | None = None):
    rel = rel or path.name
    return croissant.read(path, Context(rel, place(rel.rpartition("/")[0], "release")))


def read_one(path: Path):
    records, problems = read(path)
    assert len(records) == 1
    return records[0], problems


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# --- detection ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "synthetic-instructions.json",
        "remote-context.jsonld",
        "broken.json",
        "upstream/croissant-0.8__gpt-3.json",
        "upstream/croissant-1.1__huggingface-squad_v2.json",
    ],
)
def test_croissant_files_are_detected(name):
    path = HERE / name
    assert croissant.detect(path, path.read_bytes()[:4096])


@pytest.mark.parametrize(
    "path",
    [
        FIXTURES / "formats" / "schemaorg" / "dataset-page.jsonld",
        FIXTURES / "formats" / "openml" / "credit-g.json",
        FIXTURES / "formats" / "openml" / "upstream" / "openml-61-iris.description.xml",
    ],
)
def test_other_formats_are_not_claimed(path):
    assert not croissant.detect(path, path.read_bytes()[:4096])


def test_detection_needs_a_json_name(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text('{"@context": {"cr": "http://mlcommons.org/croissant/"}}')
    assert not croissant.detect(path, path.read_bytes())


def test_croissant_is_read_before_schema_org():
    path = UPSTREAM / "croissant-1.0__bigcode-the-stack.json"
    assert not schemaorg.detect(path, path.read_bytes()[:4096])


# --- a Hugging Face Croissant file (1.1, PROV-O) -----------------------------------------------------


def test_hub_croissant_identity_license_and_lineage():
    path = UPSTREAM / "croissant-1.1__huggingface-squad_v2.json"
    record, _problems = read_one(path)
    assert (record.id, record.kind, record.format, record.source) == (
        "rajpurkar/squad_v2",
        "dataset",
        "croissant",
        path.name,
    )
    assert record.kind_basis == "Croissant 1.1 dataset"
    assert [s.raw for s in record.licenses] == ["https://choosealicense.com/licenses/cc-by-sa-4.0/"]
    assert record.licenses[0].evidence.line == line_of(path, '"license"')
    assert record.licenses[0].evidence.pointer == "/license"
    assert {(i.scheme, i.value) for i in record.identifiers} == {
        ("url", "https://huggingface.co/datasets/rajpurkar/squad_v2"),
        ("hub", "rajpurkar/squad_v2"),
        ("url", "https://rajpurkar.github.io/SQuAD-explorer/"),
    }
    assert [(r.target, r.kind, r.relation, r.scheme) for r in record.references] == [
        ("rajpurkar/squad", "dataset", "derived_from", "hub")
    ]
    fields = {s.field for s in record.statements}
    assert {"description", "creator", "prov:wasDerivedFrom", "prov:wasGeneratedBy"} <= fields


def test_placeholder_checksum_is_a_field_problem():
    path = UPSTREAM / "croissant-1.1__huggingface-squad_v2.json"
    record, problems = read_one(path)
    assert record.checksums == []
    (problem,) = problems
    assert problem.code == "bad-field" and problem.evidence.pointer == "/distribution/0/sha256"
    assert "should be a sha256 digest" in problem.message and "issues/80" in problem.message
    assert problem.asset == asset_key("dataset", "rajpurkar/squad_v2")
    assert problem.evidence.line == line_of(path, '"sha256"')


# --- RAI fields and Croissant 0.8 ----------------------------------------------------------------------


def test_every_rai_key_becomes_a_statement():
    path = UPSTREAM / "croissant-1.0__bigcode-the-stack.json"
    record, _ = read_one(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    rai_keys = {k for k in data if k.startswith("rai:")}
    assert {s.field for s in record.statements if s.field.startswith("rai:")} == rai_keys
    biases = [s for s in record.statements if s.field == "rai:dataBiases"]
    assert [s.evidence.pointer for s in biases] == ["/rai:dataBiases/0", "/rai:dataBiases/1", "/rai:dataBiases/2"]
    assert all(len(s.value) <= 200 for s in record.statements)
    assert [s.raw for s in record.licenses] == ["other"]
    assert record.id == "bigcode/the-stack"


@pytest.mark.parametrize(
    "value",
    ["TBD", "[More Information Needed]", "None", ["N/A"], {"@value": "[More Information Needed]", "@language": "en"}],
    ids=str,
)
def test_a_rai_field_holding_only_a_placeholder_states_nothing(tmp_path, value):
    """As a card's metadata: "TBD" in rai:dataBiases leaves the Biases item unmet, a real value or a URL states."""
    doc = json.loads((UPSTREAM / "croissant-1.0__bigcode-the-stack.json").read_text(encoding="utf-8"))
    doc |= {
        "rai:dataBiases": value,
        "rai:dataLimitations": "https://acme.dev/limits",
        "rai:dataUseCases": "Code completion (evaluation TBD)",
    }
    path = tmp_path / "croissant.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    fields = {s.field for s in read_one(path)[0].statements}
    assert "rai:dataBiases" not in fields and {"rai:dataLimitations", "rai:dataUseCases"} <= fields


def test_croissant_08_ml_namespace():
    record, problems = read_one(UPSTREAM / "croissant-0.8__gpt-3.json")
    assert (record.id, record.kind_basis) == ("gpt-3", "Croissant dataset")
    assert [s.raw for s in record.licenses] == ["unknown"]
    assert [s.field for s in record.statements] == ["description", "citation"]
    assert [p.code for p in problems] == ["bad-field"]


def test_md5_checksum_of_a_file():
    record, problems = read_one(UPSTREAM / "croissant-1.1__zenodo-head-mri.json")
    assert [(c.algorithm, c.value, c.file) for c in record.checksums] == [
        ("md5", "e5cbd0bca91f1787d057b0eac2572bde", "https://zenodo.org/records/16956/files/DICOM.zip")
    ]
    assert problems == []


# --- a full Croissant 1.1 description ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic():
    return read(HERE / "synthetic-instructions.json")


def test_inconsistent_licenses_are_all_kept(synthetic):
    (record,), _ = synthetic
    assert [(s.raw, s.name, s.link) for s in record.licenses] == [
        ("cc-by-nc-4.0", None, None),
        (None, "Llama 3.1 Community License", "https://www.llama.com/llama3_1/license/"),
    ]
    assert [s.evidence.pointer for s in record.licenses] == ["/license/0", "/license/1"]


def test_identifiers_and_version(synthetic):
    (record,), problems = synthetic
    assert record.id == "acme/synthetic-instructions" and record.version == "2.1.0"
    assert [(i.scheme, i.value) for i in record.identifiers] == [
        ("url", "https://huggingface.co/datasets/acme/synthetic-instructions"),
        ("hub", "acme/synthetic-instructions"),
        ("doi", "10.5281/zenodo.1234567"),
        ("url", "https://doi.org/10.5281/zenodo.1234567"),
        ("url", "https://acme.example/data/synthetic-instructions"),
    ]
    assert problems == []


def test_checksums_are_lowercase_hex_even_from_base64(synthetic):
    (record,), _ = synthetic
    base = "https://huggingface.co/datasets/acme/synthetic-instructions/resolve/main/"
    assert [(c.algorithm, c.value, c.file) for c in record.checksums] == [
        ("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", base + "train.jsonl"),
        ("md5", "098f6bcd4621d373cade4e832627b4f6", base + "test.jsonl"),
    ]


def test_lineage_derived_from_and_generated_by_a_model(synthetic):
    (record,), _ = synthetic
    assert [(r.target, r.kind, r.relation, r.scheme, r.revision) for r in record.references] == [
        ("tatsu-lab/alpaca", "dataset", "derived_from", "hub", None),
        ("https://acme.example/data/seed-prompts", "dataset", "derived_from", "url", None),
        ("urn:acme:seed-prompts:v3", "dataset", "derived_from", "url", None),
        ("meta-llama/Llama-3.1-70B-Instruct", "model", "generated_by", "hub", "main"),
        ("acme-reward-7b", "model", "generated_by", "hub", "3"),
    ]
    generator = record.references[3]
    assert generator.evidence.pointer == "/prov:wasGeneratedBy/0/prov:wasAssociatedWith"


def test_activities_agents_and_rai_fields_are_statements(synthetic):
    (record,), _ = synthetic
    by_field = {}
    for s in record.statements:
        by_field.setdefault(s.field, []).append(s.value)
    assert by_field["prov:wasGeneratedBy"] == ["Response generation", "Quality scoring", "PII filtering"]
    assert by_field["prov:wasAttributedTo"] == ["ACME Data Team"]
    assert by_field["creator"] == ["ACME Research", "Ada Example"] and by_field["publisher"] == ["ACME Research"]
    assert by_field["rai:hasSyntheticData"] == ["true"]
    assert "rai:dataSocialImpact" not in by_field  # empty: not filled in
    assert {
        "rai:dataCollection",
        "rai:dataAnnotationProtocol",
        "rai:dataPreprocessingProtocol",
        "rai:dataBiases",
        "rai:dataLimitations",
        "rai:personalSensitiveInformation",
        "rai:dataUseCases",
        "rai:dataReleaseMaintenancePlan",
    } <= set(by_field)
    assert all(s.evidence.line for s in record.statements)


def test_long_values_are_shortened(tmp_path):
    path = tmp_path / "long.json"
    path.write_text(
        json.dumps(
            {
                "@context": {"cr": "http://mlcommons.org/croissant/"},
                "@type": "sc:Dataset",
                "name": "long",
                "description": "word " * 500,
            }
        )
    )
    record, _ = read_one(path)
    assert len(record.statements[0].value) == 200 and record.statements[0].value.endswith("…")


# --- licenses missing or placeholders ----------------------------------------------------------------------


def test_missing_license_is_no_statement_and_no_problem():
    record, problems = read_one(HERE / "no-license.json")
    assert record.licenses == [] and problems == []
    assert (record.id, record.checksums) == ("sensor-readings", [])


def test_placeholder_licenses_are_kept_raw():
    record, problems = read_one(HERE / "placeholder-licenses.json")
    assert [s.raw for s in record.licenses] == ["None", "https://choosealicense.com/licenses/undefined/", "NOASSERTION"]
    assert problems == []


# --- wrong shapes, malformed and hostile files -----------------------------------------------------------


def test_wrong_shapes_are_field_problems_and_reading_goes_on():
    record, problems = read_one(HERE / "wrong-shapes.json")
    assert record.id == "shapes" and record.licenses == [] and record.checksums == []
    assert [s.value for s in record.statements] == ["Grace Example"]
    assert {p.code for p in problems} == {"bad-field", "unread-entry"}  # an upstream naming nothing: unread
    assert [p.message for p in problems if p.code == "unread-entry"] == [
        "'license' should be a string or object, found number",
        "'isBasedOn/0' names no upstream asset (no URL, @id, name or label)",
    ]
    messages = [p.message for p in problems]
    for expected in (
        "'url' should be a URL, DOI or purl, found 'None'",
        "'sameAs' should be a URL, DOI or purl, found number",
        "'version' should be a string, found object",
        "'license' should be a string or object, found number",
        "'distribution/0' should be a FileObject or FileSet object, found string",
        "'distribution/2/sha256/0' should be a sha256 digest (64 hex digits), found 8 hex digits",
        "'creator/0' is an object without a name, label, description, url or @id",
        "'rai:dataBiases/0' should be text or an object, found number",
        "'isBasedOn/0' names no upstream asset (no URL, @id, name or label)",
    ):
        assert expected in messages
    assert all(p.evidence.line for p in problems)


@pytest.mark.parametrize(
    "license, pointer",
    [("5", "/license"), ('{"foo": "bar"}', "/license"), ('[{"x": 1}, "MIT"]', "/license/0")],
)
def test_a_license_naming_nothing_is_an_unreadable_license_not_none(tmp_path, license, pointer):
    """A `license` of a shape naming no license (a number, an object without an id, name or URL) says
    there is a license but not which: unread, failing the gate (INP001), as a card's `license: 5`."""
    path = tmp_path / "croissant.json"
    path.write_text(
        f'{{"@context": {{"@vocab": "https://schema.org/"}}, "@type": "Dataset", "name": "d", "license": {license}}}'
    )
    _, problems = read_one(path)
    assert [(p.code, p.evidence.pointer) for p in problems] == [("unread-entry", pointer)]


def test_truncated_json_is_malformed_with_its_line():
    records, (problem,) = read(HERE / "broken.json")
    assert records == [] and problem.code == "malformed"
    assert problem.message.startswith("invalid JSON") and problem.evidence.line == 6


def test_deep_nesting_is_refused():
    records, (problem,) = read(HERE / "deep.json")
    assert records == [] and problem.code == "refused" and "301 levels" in problem.message


def test_another_croissant_type_is_not_a_dataset():
    records, (problem,) = read(HERE / "recordset-only.json")
    assert records == [] and problem.code == "malformed" and "'RecordSet'" in problem.message


@pytest.mark.parametrize(
    "content, code, phrase",
    [
        (b'[{"@context": {"cr": "http://mlcommons.org/croissant/"}}]', "malformed", "JSON list"),
        (b'{"@context": {"cr": "http://mlcommons.org/croissant/"}, "name": "caf\xe9"}', "malformed", "not UTF-8"),
        (b'{"@context": {"cr": "http://mlcommons.org/croissant/"}, "x": NaN}', "malformed", "NaN"),
    ],
)
def test_unreadable_files(tmp_path, content, code, phrase):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    records, (problem,) = read(path)
    assert records == [] and problem.code == code and phrase in problem.message


def test_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.write(b'{"@context": {"cr": "http://mlcommons.org/croissant/"}, "x": "')
        fh.truncate(70 * 1024 * 1024)
    records, (problem,) = read(path)
    assert records == [] and problem.code == "refused" and "70.0 MB" in problem.message


def test_remote_context_is_never_fetched():
    record, problems = read_one(HERE / "remote-context.jsonld")
    assert record.id == "remote-context" and record.kind_basis == "Croissant 1.1 dataset"
    assert [s.raw for s in record.licenses] == ["https://creativecommons.org/licenses/by/4.0/"]
    assert [(s.field, s.value) for s in record.statements] == [("citeAs", "ACME (2025). Remote context example.")]
    assert problems == []


def test_missing_type_and_name_are_invalid_but_read(tmp_path):
    rel = "datasets/acme/d/croissant.json"
    root = write_tree(tmp_path, {rel: '{"@context": {"cr": "http://mlcommons.org/croissant/"}, "license": "mit"}'})
    (record,), problems = croissant.read(root / rel, Context(rel, place("datasets/acme/d", "r")))
    assert record.id == "acme/d" and [s.raw for s in record.licenses] == ["mit"]  # named by the folder layout
    assert [p.code for p in problems] == ["invalid", "invalid"]
    assert "no @type" in problems[0].message and "no 'name'" in problems[1].message


def test_several_datasets_in_one_file_reads_the_first(tmp_path):
    path = tmp_path / "two.json"
    path.write_text(
        json.dumps(
            {
                "@context": {"cr": "http://mlcommons.org/croissant/"},
                "@graph": [{"@type": "sc:Dataset", "name": "first"}, {"@type": "sc:Dataset", "name": "second"}],
            }
        )
    )
    records, problems = read(path)
    assert [r.id for r in records] == ["first"]
    assert problems[0].code == "invalid" and "2 Dataset nodes" in problems[0].message


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "https://huggingface.co/datasets/a/b",
            "https://huggingface.co/a/m",
            "pkg:huggingface/a/b",
            "#x",
            "10.1234/abc",
            "",
            "None",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@id",
                    "@type",
                    "@list",
                    "@value",
                    "name",
                    "url",
                    "prov:wasAssociatedWith",
                    "prov:used",
                    "sha256",
                    "md5",
                    "contentUrl",
                    "identifier",
                    "@context",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
FIELDS = [
    "name",
    "url",
    "sameAs",
    "version",
    "license",
    "creator",
    "isBasedOn",
    "distribution",
    "@id",
    "@type",
    "prov:wasDerivedFrom",
    "prov:wasGeneratedBy",
    "rai:dataCollection",
    "identifier",
    "@graph",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=8))
def test_any_shape_of_field_is_read_without_crashing(tmp_path, fields):
    path = tmp_path / "any.json"
    path.write_text(
        json.dumps(
            {"@context": {"cr": "http://mlcommons.org/croissant/", "prov": "http://www.w3.org/ns/prov#"}, **fields}
        )
    )
    records, problems = read(path)
    assert records or problems
    for problem in problems:
        assert problem.code in ("bad-field", "invalid", "malformed", "unread-entry") and problem.message


# --- in a release folder ---------------------------------------------------------------------------------


def test_harvest_reads_croissant_files(tmp_path):
    body = (HERE / "synthetic-instructions.json").read_text(encoding="utf-8")
    result = harvest(write_tree(tmp_path / "r", {"datasets/acme/synthetic-instructions/croissant.json": body}))
    (entry,) = result.inventory
    assert (entry.format, entry.status) == ("croissant", "read")
    (record,) = result.records
    assert record.source == "datasets/acme/synthetic-instructions/croissant.json"


def test_every_fixture_is_routed_to_this_reader():
    inventory = harvest(HERE).inventory
    assert {e.format for e in inventory if e.file.endswith((".json", ".jsonld"))} == {"croissant"}


# --- conformance over the shared corpus ----------------------------------------------------------------------


def corpus_files(folder: str) -> list[Path]:
    path = CORPUS / folder
    return sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else []


@pytest.mark.skipif(not (CORPUS / "croissant").is_dir(), reason=f"shared corpus not found at {CORPUS / 'croissant'}")
@pytest.mark.parametrize("path", corpus_files("croissant"), ids=lambda p: p.name)
def test_corpus_conformance(path):
    if path.name == "SOURCES.md":
        assert not croissant.detect(path, path.read_bytes()[:4096])
        return
    assert croissant.detect(path, path.read_bytes()[:4096])
    records, problems = read(path, f"corpus/{path.name}")
    assert records or problems
    for record in records:
        assert record.kind == "dataset" and record.format == "croissant" and record.id
    for problem in problems:
        assert problem.evidence.file == f"corpus/{path.name}" and problem.message


OTHER_FOLDERS = ("spdx2", "spdx3", "cyclonedx", "hf-model-cards", "openml")


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("folder", OTHER_FOLDERS)
def test_corpus_files_of_other_formats_are_not_claimed(folder):
    for path in corpus_files(folder):
        assert not croissant.detect(path, path.read_bytes()[:4096]), path.name
