"""Model Openness Framework (MOF) model files, as the Model Openness Tool writes them.

A MOF file lists which of the framework's components a release includes and under which license:
global licenses per content type (release.license.<type>) that a component's own license
(release.components[].license) overrides. The reader keeps both, as statements, so that the MOF
documentation profile and the openness classification can redo that resolution:

  mof:license:<type>        the global license for a content type (or NONE), set globally
  mof:component:<name>      a listed component and its own license, or NONE when it has none and
                            so falls back to the global license of its content type

The model's own license (`licenses`) is the license of "Model parameters (Final)": its own, else
the global data license, else the distribution license; when the parameters are not listed, only
the distribution license, which covers the whole release, is clearly the model's.
"""

from __future__ import annotations

import re
from pathlib import Path

from auditor.harvest.layout import Context, Ev, Report
from auditor.identity import hub_repo, looks_like_hub_id
from auditor.model import AssetRecord, Evidence, Identifier, LicenseStatement, Problem, Statement, given_twice
from auditor.naming import asset_key
from auditor.readers import frontmatter
from auditor.readers.text import read_text
from auditor.readers.values import JSON, shorten

FORMAT = "mof"
RANK = 7
PINNABLE = False
HUB_LAYOUT = False
IN_FOLDER = False
FRAMEWORK = "Model Openness Framework"
PARAMETERS = "Model parameters (Final)"
COMPONENTS = frozenset(
    {
        "Datasets",
        "Data preprocessing code",
        "Model architecture",
        "Model parameters (Final)",
        "Model metadata",
        "Model parameters (Intermediate)",
        "Training code",
        "Inference code",
        "Evaluation code",
        "Evaluation data",
        "Evaluation results",
        "Supporting libraries and tools",
        "Model card",
        "Data card",
        "Technical report",
        "Research paper",
        "Sample model outputs",
    }
)
RELEASE_FIELDS = (
    "date",
    "type",
    "architecture",
    "treatment",
    "origin",
    "producer",
    "contact",
    "repository",
    "huggingface",
)
TERMS_FIELDS = frozenset({"license"})  # release.license and a component's license: given twice, unknown
NONE = "NONE"
_PAGE_TITLE = " · Hugging Face"  # a name pasted from the Hub page's title

_RELEASE = re.compile(rb"^release:", re.M)
_COMPONENTS = re.compile(rb"^\s+components:", re.M)


def detect(path: Path, head: bytes) -> bool:
    """A .yml/.yaml file whose head has a top-level `release:` and its `components:` (or the framework's name)."""
    if path.name.startswith(".") or path.suffix.lower() not in (".yml", ".yaml"):
        return False
    if b"spdxVersion" in head or not _RELEASE.search(head):
        return False
    return bool(_COMPONENTS.search(head)) or FRAMEWORK.encode() in head


def read(path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]:
    rel = context.rel
    text, error = read_text(path)
    if error:
        return [], [Problem(error[0], error[1], Evidence(rel, ""))]
    try:
        doc = frontmatter.parse(text, 1)
    except frontmatter.FrontMatterError as exc:
        return [], [Problem("malformed", str(exc).replace("front matter", "the file"), Evidence(rel, "", exc.line))]
    problems = [given_twice(rel, p, TERMS_FIELDS, line) for p, line in doc.duplicates]
    ev: Ev = lambda pointer: Evidence(rel, pointer, doc.line(pointer))  # noqa: E731

    def problem(code: str, message: str, pointer: str) -> None:
        problems.append(Problem(code, message, ev(pointer)))

    release = doc.data.get("release")
    if not isinstance(release, dict):
        return [], [
            Problem(
                "malformed",
                f"'release' should be a mapping of the model's fields, found {_shape(release)}",
                ev("release"),
            )
        ]
    record = _record(release, rel, ev, problem)
    if record is None:
        return [], problems
    _framework(doc.data.get("framework"), problem)
    _fill(record, release, ev, problem)
    key = asset_key(record.kind, record.id)
    return [record], [Problem(p.code, p.message, p.evidence, key) for p in problems]


def _fill(record: AssetRecord, release: dict[str, JSON], ev: Ev, problem: Report) -> None:
    """The record's statements and licenses from the release's fields, licenses and components."""
    for required in ("license", "producer", "components"):
        if required not in release:
            problem("invalid", f"'release.{required}' is missing (the MOF schema requires it)", "release")
    record.statements.extend(_release_fields(release, ev))
    globals_ = _global_licenses(release.get("license"), ev, problem)
    components = _components(release.get("components"), ev, problem)
    record.statements.extend(s for s, _ in globals_.values())
    record.statements.extend(s for s, _ in components.values())
    record.licenses = _model_license(globals_, components)


def _shape(value: JSON) -> str:
    if value is None:
        return "nothing"
    return "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else "a single value"


def _text(value: JSON) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _record(release: dict[str, JSON], rel: str, ev: Ev, problem: Report) -> AssetRecord | None:
    """The record named by release.huggingface (a Hub model URL) or release.name."""
    name = _text(release.get("name"))
    if name and name.endswith(_PAGE_TITLE) and looks_like_hub_id(name.removesuffix(_PAGE_TITLE)):
        problem("bad-field", f"'release.name' is a Hub page title ('{name}'); read as the id it names", "release.name")
        name = name.removesuffix(_PAGE_TITLE)
    url = _text(release.get("huggingface"))
    on_hub = hub_repo(url) if url else None
    asset_id = on_hub[1] if on_hub and on_hub[0] == "model" else name
    if asset_id is None:
        problem("malformed", "'release.name' is missing or empty: the model is not named", "release.name")
        return None
    record = AssetRecord(
        id=asset_id,
        kind="model",
        source=rel,
        format=FORMAT,
        kind_basis="MOF model file",
        version=_text(release.get("version")),
    )
    if name and looks_like_hub_id(name) and "/" in name:
        record.identifiers.append(Identifier("hub", name, ev("release.name")))
    elif name and name != asset_id:
        record.identifiers.append(Identifier("name", name, ev("release.name")))
    for key in ("huggingface", "repository"):
        value = _text(release.get(key))
        if value and re.match(r"^https?://[^/]+/.+", value):
            record.identifiers.append(Identifier("url", value, ev(f"release.{key}")))
    return record


def _framework(framework: JSON, problem: Report) -> None:
    if not isinstance(framework, dict):
        problem(
            "invalid", "'framework' is missing: the file does not say which framework version it follows", "framework"
        )
    elif framework.get("name") != FRAMEWORK:
        problem(
            "invalid",
            f"'framework.name' should be '{FRAMEWORK}', found '{shorten(framework.get('name'))}'",
            "framework.name",
        )


def _release_fields(release: dict[str, JSON], ev: Ev) -> list[Statement]:
    found = []
    for key in RELEASE_FIELDS:
        value = _text(release.get(key))
        if value:
            found.append(Statement(f"mof:{key}", shorten(value), ev(f"release.{key}")))
    return found


def _global_licenses(licenses: JSON, ev: Ev, problem: Report) -> dict[str, tuple[Statement, str | None]]:
    """Each content type given -> (its statement, NONE where the name is empty; the name or None)."""
    if licenses is None:
        return {}
    if not isinstance(licenses, dict):
        problem(
            "bad-field",
            f"'release.license' should be a mapping of content types, found {_shape(licenses)}",
            "release.license",
        )
        return {}
    found = {}
    for kind, entry in licenses.items():
        pointer = f"release.license.{kind}"
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            problem("bad-field", f"'{pointer}' should be a mapping with name and path, found {_shape(entry)}", pointer)
            continue
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            problem("bad-field", f"'{pointer}.name' should be a string, found {_shape(name)}", f"{pointer}.name")
            continue
        name = _text(name)
        statement = Statement(
            f"mof:license:{kind}", shorten(name) if name else NONE, ev(f"{pointer}.name" if name else pointer)
        )
        found[kind] = (statement, name)
    return found


def _components(components: JSON, ev: Ev, problem: Report) -> dict[str, tuple[Statement, str | None]]:
    """Each listed component -> (its statement, its own license or None)."""
    if components is None:
        return {}
    if not isinstance(components, list):
        problem("bad-field", f"'release.components' should be a list, found {_shape(components)}", "release.components")
        return {}
    found: dict[str, tuple[Statement, str | None]] = {}
    for i, component in enumerate(components):
        pointer = f"release.components[{i}]"
        name = _text(component.get("name")) if isinstance(component, dict) else None
        if name is None:
            problem("bad-field", f"'{pointer}' should be a mapping with a name", pointer)
            continue
        if name not in COMPONENTS:
            problem(
                "invalid", f"component '{shorten(name)}' is not one of the {FRAMEWORK}'s components", f"{pointer}.name"
            )
        if name in found:
            problem(
                "invalid", f"component '{shorten(name)}' is listed twice; the first entry is used", f"{pointer}.name"
            )
            continue
        license_ = component.get("license")
        if license_ is not None and not isinstance(license_, str):
            problem(
                "bad-field", f"'{pointer}.license' should be a string, found {_shape(license_)}", f"{pointer}.license"
            )
            license_ = None
        license_ = _text(license_)
        statement = Statement(
            f"mof:component:{name}",
            shorten(license_) if license_ else NONE,
            ev(f"{pointer}.license" if license_ else pointer),
        )
        found[name] = (statement, license_)
    return found


def _model_license(globals_: dict[str, JSON], components: dict[str, JSON]) -> list[LicenseStatement]:
    """The parameters' own license, else the global data license, else the distribution license."""
    candidates = []
    if PARAMETERS in components:
        statement, own = components[PARAMETERS]
        if own:
            return [LicenseStatement(own, statement.evidence)]
        candidates.append("data")
    candidates.append("distribution")
    for kind in candidates:
        statement, name = globals_.get(kind, (None, None))
        if name:
            return [LicenseStatement(name, statement.evidence)]
    return []
