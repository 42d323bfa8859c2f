"""Model folders as they sit on disk or in a Hub snapshot: the files beside the card.

A folder whose layout names an asset (see layout.py) often says more in its other files than in
its card: adapter_config.json names the base model of a PEFT adapter, the LICENSE text is the
license actually shipped, a GGUF header names base models and a license, and every weight file
can be pinned by its checksum (or by the sha256 a Git LFS pointer names). Each file becomes one
record with the folder's asset id, so that it merges with the card's record, and with its role
(weights, config, license, notice, policy): what the folder ships is what the obligations of a
release are checked against. License, NOTICE and use-policy files keep their text.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from pathlib import Path

from auditor.harvest import licensetext, weights
from auditor.harvest.layout import Context, Ev
from auditor.identity import hub_repo, looks_like_hub_id
from auditor.model import AssetRecord, Checksum, Evidence, LicenseStatement, Problem, Reference, Statement, given_twice
from auditor.naming import asset_key
from auditor.readers import safejson
from auditor.readers.text import decode, read_text
from auditor.readers.values import JSON, shorten, type_name

FORMAT = "model-folder"
RANK = 8
PINNABLE = True
HUB_LAYOUT = True
IN_FOLDER = True
CONFIGS = ("config.json", "generation_config.json", "adapter_config.json")
TERMS_FIELDS = frozenset({"base_model_name_or_path"})  # a config's lineage: given twice, the base is unknown
WEIGHTS = (".safetensors", ".gguf", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".msgpack")
MAX_LICENSE_BYTES = 1024 * 1024
MAX_STATEMENTS = 200
MAX_REFERENCES = 64

_LICENSE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE)([-_. ][\w. -]*)?$", re.I)
# Use policies a license makes part of its terms (Llama's USE_POLICY.md, Acceptable-Use-Policy.md).
_POLICY_FILE = re.compile(r"^((acceptable|prohibited|responsible)[-_ ]?)?use[-_ ]?policy(\.(md|txt))?$", re.I)
_NOT_TEXT = (".pdf", ".doc", ".docx", ".odt")
Bad = Callable[[str, str], None]  # bad(key, what it should be): a config field of the wrong shape


def is_terms_file(name: str) -> bool:
    """A license, notice or use-policy file by its name: what a release must ship with its weights."""
    return bool(_LICENSE_FILE.match(name) or _POLICY_FILE.match(name)) and not name.lower().endswith(_NOT_TEXT)


def detect(path: Path, head: bytes) -> bool:
    """What `named` names, a config only when it holds a JSON object."""
    json_object = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    return named(path.name) and (path.name not in CONFIGS or json_object)


def named(name: str) -> bool:
    """A file read by its name alone: a config, a license, notice or use policy, weights."""
    terms = (_LICENSE_FILE.match(name) and not name.lower().endswith(_NOT_TEXT)) or _POLICY_FILE.match(name)
    return not name.startswith(".") and (name in CONFIGS or bool(terms) or name.lower().endswith(WEIGHTS))


def read(path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]:
    """One file of a model folder -> one record of the folder's asset (none outside an asset folder)."""
    placement = context.placement
    if placement.asset_id is None:
        return [], [
            Problem("not-an-asset-folder", f"{path.name} is not read: {placement.reason}", Evidence(context.rel, ""))
        ]
    record = AssetRecord(
        id=placement.asset_id,
        kind=placement.kind or "model",
        source=context.rel,
        revision=placement.revision,
        format=FORMAT,
        kind_basis="layout" if placement.kind else "default",
    )
    problems: list[Problem] = []
    name = path.name
    if name in CONFIGS:
        record.role, ok = "config", _read_config(path, record, problems)
    elif _LICENSE_FILE.match(name):
        ok = _read_license(path, record, problems)
    elif _POLICY_FILE.match(name):
        record.role, ok = "policy", _read_policy(path, record, problems)
    else:
        record.role, ok = "weights", _read_weights(path, record, problems)
    key = asset_key(record.kind, record.id)
    problems = [Problem(p.code, p.message, p.evidence, key) for p in problems]
    return ([record] if ok else []), problems


# --- configs -----------------------------------------------------------------------------------


def _read_config(path: Path, record: AssetRecord, problems: list[Problem]) -> bool:
    rel = record.source
    twice: list[safejson.Where] = []
    try:
        data = safejson.load(path, twice=twice)
    except safejson.JSONRefused as exc:
        problems.append(Problem(exc.code, str(exc), Evidence(rel, "", exc.line)))
        return False
    problems += [given_twice(rel, safejson.dotted(at), TERMS_FIELDS, keys=at) for at in twice]
    if not isinstance(data, dict):
        found = type_name(data)
        problems.append(
            Problem("malformed", f"{path.name} should hold a JSON object, found {found}", Evidence(rel, ""))
        )
        return False
    text = decode(path.read_bytes(), "replace")

    def ev(key: str) -> Evidence:
        return Evidence(rel, f"/{key}", _line_of(text, key))

    def bad(key: str, expected: str) -> None:
        problems.append(Problem("bad-field", f"'{key}' should be {expected}, found {type_name(data[key])}", ev(key)))

    if path.name == "config.json":
        _config(data, record, ev, bad)
    elif path.name == "generation_config.json":
        _generation_config(data, record, ev)
    else:
        _adapter_config(data, record, problems, ev, bad)
    return True


def _line_of(text: str, key: str) -> int | None:
    """Line of the first `"key":` in the JSON text (top-level keys are what we point at)."""
    match = re.search(r'"' + re.escape(key) + r'"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _string(data: dict[str, JSON], key: str, bad: Bad) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        bad(key, "a string")
        return None
    return value.strip() or None


def _config(data: dict[str, JSON], record: AssetRecord, ev: Ev, bad: Bad) -> None:
    for key in ("model_type", "_name_or_path"):
        value = _string(data, key, bad)
        if value:
            record.statements.append(Statement(key, shorten(value), ev(key)))
    architectures = data.get("architectures")
    if architectures is not None:
        if isinstance(architectures, list) and all(isinstance(a, str) for a in architectures):
            record.statements.append(Statement("architectures", shorten(", ".join(architectures)), ev("architectures")))
        else:
            bad("architectures", "a list of strings")
    method = quant_method(data)
    if method:
        record.statements.append(
            Statement("quantization_config.quant_method", shorten(method), ev("quantization_config"))
        )


def quant_method(config: dict[str, JSON]) -> str | None:
    """The method of a config.json's quantization_config, which transformers writes into the config
    of a model it quantized (the Hub reads such a model as a quantized copy of its base), or None."""
    quantization = config.get("quantization_config")
    method = quantization.get("quant_method") if isinstance(quantization, dict) else None
    return (method.strip() or None) if isinstance(method, str) else None


def _generation_config(data: dict[str, JSON], record: AssetRecord, ev: Ev) -> None:
    for key, value in list(data.items())[:MAX_STATEMENTS]:
        if isinstance(value, (str, int, float, bool)):
            record.statements.append(Statement(key, shorten(value), ev(key)))


def _adapter_config(data: dict[str, JSON], record: AssetRecord, problems: list[Problem], ev: Ev, bad: Bad) -> None:
    for key in ("peft_type", "task_type"):
        value = _string(data, key, bad)
        if value:
            record.statements.append(Statement(key, shorten(value), ev(key)))
    base = _string(data, "base_model_name_or_path", bad)
    revision = _string(data, "revision", bad)
    if base is None:
        if "base_model_name_or_path" not in data or data["base_model_name_or_path"] is None:
            problems.append(
                Problem(
                    "invalid",
                    "adapter_config.json gives no base_model_name_or_path: the adapter's base model is unknown",
                    Evidence(record.source, ""),
                )
            )
        return
    if not looks_like_hub_id(base):
        problems.append(
            Problem(
                "bad-field",
                f"'base_model_name_or_path' is '{shorten(base)}', a local path "
                "rather than a Hub id: the adapter's base model cannot be identified",
                ev("base_model_name_or_path"),
            )
        )
        return
    record.references.append(
        Reference(
            base, "model", "adapter", ev("base_model_name_or_path"), "declared in adapter_config.json", "hub", revision
        )
    )


# --- license and notice files ------------------------------------------------------------------


def _read_license(path: Path, record: AssetRecord, problems: list[Problem]) -> bool:
    rel = record.source
    text, error = read_text(path, MAX_LICENSE_BYTES)
    if error:
        problems.append(Problem(error[0], error[1], Evidence(rel, "")))
        return False
    notice = path.name.upper().startswith("NOTICE")
    record.role, record.text = ("notice" if notice else "license"), text
    if notice and text.strip():
        record.statements.append(Statement("notice", shorten(text.strip()), Evidence(rel, "text", 1)))
    found, unread = licensetext.statements(text, path.name, rel)
    record.licenses += found
    problems += unread if found or not notice else []  # a NOTICE is no license text, unless it holds one
    return True


def _read_policy(path: Path, record: AssetRecord, problems: list[Problem]) -> bool:
    text, error = read_text(path, MAX_LICENSE_BYTES)
    if error:
        problems.append(Problem(error[0], error[1], Evidence(record.source, "")))
        return False
    record.text = text
    return True


# --- weight files ------------------------------------------------------------------------------


def _read_weights(path: Path, record: AssetRecord, problems: list[Problem]) -> bool:
    rel = record.source
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            problems.append(Problem("refused", "not a regular file: not read", Evidence(rel, "")))
            return False
        if info.st_size == 0:
            problems.append(Problem("malformed", "weight file is empty", Evidence(rel, "")))
            return False
        oid = weights.lfs_oid(path)
        if oid is not None:
            record.checksums.append(Checksum("sha256", oid, rel, Evidence(rel, "git-lfs pointer oid")))
            return True
        if path.name.lower().endswith(".safetensors"):
            _safetensors(weights.safetensors_header(path), record, problems)
        elif path.name.lower().endswith(".gguf"):
            _gguf(weights.gguf_header(path), record, problems)
        digest = weights.sha256(path)
    except weights.WeightsError as exc:
        problems.append(Problem(exc.code, str(exc), Evidence(rel, "header")))
        return False
    except OSError as exc:
        problems.append(Problem("unreadable", f"cannot read file: {exc.strerror or exc}", Evidence(rel, "")))
        return False
    record.checksums.append(Checksum("sha256", digest, rel, Evidence(rel, "file content")))
    return True


def _safetensors(header: dict[str, JSON], record: AssetRecord, problems: list[Problem]) -> None:
    rel = record.source
    metadata = header.get("__metadata__")
    if metadata is None:
        return
    if not isinstance(metadata, dict):
        problems.append(
            Problem(
                "bad-field",
                f"'__metadata__' should be an object of strings, found {type_name(metadata)}",
                Evidence(rel, "/__metadata__"),
            )
        )
        return
    for key, value in list(metadata.items())[:MAX_STATEMENTS]:
        pointer = f"/__metadata__/{key}"
        if isinstance(value, str):
            record.statements.append(Statement(f"__metadata__.{key}", shorten(value), Evidence(rel, pointer)))
        else:
            problems.append(
                Problem(
                    "bad-field",
                    f"'__metadata__.{key}' should be a string, found {type_name(value)}",
                    Evidence(rel, pointer),
                )
            )


_LISTED = re.compile(r"^general\.(base_model|dataset)\.(\d+)\.(\w+)$")


def _gguf(info: weights.GGUF, record: AssetRecord, problems: list[Problem]) -> None:
    meta, rel = info.metadata, record.source
    _gguf_license(meta, record, problems)
    listed: dict[tuple[str, int], dict[str, JSON]] = {}
    for key, value in meta.items():
        match = _LISTED.match(key)
        if match:
            listed.setdefault((match.group(1), int(match.group(2))), {})[match.group(3)] = value
        elif key.startswith("general.") and not key.startswith("general.license") and not key.endswith(".count"):
            statement = _gguf_statement(key, value)
            if statement is not None:
                record.statements.append(Statement(key, statement, Evidence(rel, key)))
    relation = "quantized" if info.quantized else "finetune"
    for (group, index), fields in sorted(listed.items())[:MAX_REFERENCES]:
        reference = _gguf_reference(group, index, fields, relation, rel)
        if reference is not None:
            record.references.append(reference)
    for group in ("base_model", "dataset"):
        _check_count(meta, group, sum(1 for g, _ in listed if g == group), rel, problems)


def _gguf_license(meta: dict[str, JSON], record: AssetRecord, problems: list[Problem]) -> None:
    rel = record.source
    values = {}
    for key in ("general.license", "general.license.name", "general.license.link"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(Problem("bad-field", f"'{key}' should be a string", Evidence(rel, key)))
        elif value and value.strip():
            values[key] = value.strip()
    raw, name, link = (values.get(k) for k in ("general.license", "general.license.name", "general.license.link"))
    if raw or name or link:
        pointer = "general.license" if raw else ("general.license.name" if name else "general.license.link")
        record.licenses.append(LicenseStatement(raw, Evidence(rel, pointer), name, link))


def _gguf_statement(key: str, value: JSON) -> str | None:
    if key == "general.file_type" and isinstance(value, int) and value in weights.FILE_TYPES:
        return f"{value} ({weights.FILE_TYPES[value]})"
    if isinstance(value, list):
        return shorten(", ".join(str(v) for v in value)) if value else None
    return shorten(value) if value is not None and str(value).strip() else None


def _gguf_reference(group: str, index: int, fields: dict[str, JSON], relation: str, rel: str) -> Reference | None:
    """A general.base_model.N or general.dataset.N entry as a reference; its Hub id from repo_url."""
    prefix = f"general.{group}.{index}"
    kind = "model" if group == "base_model" else "dataset"
    relation = relation if group == "base_model" else "trained_on"
    revision = fields.get("version") if isinstance(fields.get("version"), str) else None
    url = fields.get("repo_url") if isinstance(fields.get("repo_url"), str) else None
    name = fields.get("name") if isinstance(fields.get("name"), str) else None
    if url:
        on_hub = hub_repo(url)
        target, scheme = (on_hub[1], "hub") if on_hub else (url.strip(), "url")
        where = Evidence(rel, f"{prefix}.repo_url")
        return Reference(target, kind, relation, where, "declared in GGUF metadata", scheme, revision)
    if name and name.strip():
        organization = fields.get("organization")
        target = name.strip()
        basis = "declared in GGUF metadata (a name, no repo_url)"
        if isinstance(organization, str) and organization.strip() and "/" not in target:
            basis += f"; organization {organization.strip()}"
        return Reference(target, kind, relation, Evidence(rel, f"{prefix}.name"), basis, "hub", revision)
    return None


def _check_count(meta: dict[str, JSON], group: str, found: int, rel: str, problems: list[Problem]) -> None:
    key = f"general.{group}.count"
    declared = meta.get(key)
    if declared is None:
        return
    if not isinstance(declared, int) or isinstance(declared, bool):
        problems.append(Problem("bad-field", f"'{key}' should be an integer", Evidence(rel, key)))
    elif declared != found:
        problems.append(
            Problem(
                "bad-field",
                f"'{key}' is {declared} but {found} {group.replace('_', ' ')} entries are described",
                Evidence(rel, key),
            )
        )
