"""Model folders as they sit on disk or in a Hub snapshot: the files beside the card.

A folder whose layout names an asset (see layout.py) often says more in its other files than in
its card: adapter_config.json names the base model of a PEFT adapter, mergekit_config.yml the
parents of a merge (mergeconfig.py), quantize_config.json or quant_config.json the method of a
quantized copy, the LICENSE text is the license actually shipped, a GGUF header names base models
and a license, and every weight file, in the folder or below it, can be pinned by its checksum
(weightfiles.py). Each file becomes one
record with the folder's asset id, so that it merges with the card's record, and with its role
(weights, config, license, notice, policy): what the folder ships is what the obligations of a
release are checked against. License, NOTICE and use-policy files keep their text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from auditor.harvest import licensetext, mergeconfig, pipeline, weightfiles
from auditor.harvest.layout import Context, Ev
from auditor.identity import model_named
from auditor.model import AssetRecord, Evidence, Problem, Reference, Statement, given_twice
from auditor.naming import asset_key
from auditor.readers import safejson
from auditor.readers.text import decode, read_text
from auditor.readers.values import JSON, shorten, type_name
from auditor.vocabulary import Scheme

FORMAT = "model-folder"
RANK = 8
PINNABLE = True
HUB_LAYOUT = True
IN_FOLDER = True
# Files that hold a quantized model's settings apart from config.json (AutoGPTQ's, AutoAWQ's), and
# the method each stands for when it names none.
QUANT_FILES = {"quantize_config.json": "gptq", "quant_config.json": "awq"}
CONFIGS = ("config.json", "generation_config.json", "adapter_config.json", pipeline.FILE, *QUANT_FILES)
TERMS_FIELDS = frozenset({"base_model_name_or_path"})  # a config's lineage: given twice, the base is unknown
WEIGHTS = (".safetensors", ".gguf", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".msgpack")
NOT_PLACED = "not-an-asset-folder"  # a file outside every asset's folder: listed, not read
MAX_LICENSE_BYTES = 1024 * 1024
MAX_STATEMENTS = 200
MAX_MERGE_CONFIG_BYTES = 1024 * 1024

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
    known = name in CONFIGS or name == mergeconfig.FILE or bool(terms) or name.lower().endswith(WEIGHTS)
    return not name.startswith(".") and known


def is_weights(name: str) -> bool:
    """A weight file by its name: part of the asset whose folder holds it, at any depth."""
    return not name.startswith(".") and name.lower().endswith(WEIGHTS)


def read(path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]:
    """One file of a model folder -> one record of the folder's asset (none outside an asset folder)."""
    placement = context.placement
    if placement.asset_id is None:
        return [], [Problem(NOT_PLACED, f"{path.name} is not read: {placement.reason}", Evidence(context.rel, ""))]
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
    elif name == mergeconfig.FILE:
        record.role, ok = "config", _read_merge_config(path, record, problems)
    elif _LICENSE_FILE.match(name):
        ok = _read_license(path, record, problems)
    elif _POLICY_FILE.match(name):
        record.role, ok = "policy", _read_policy(path, record, problems)
    else:  # weights the folder ships, read or not: a header that fails still leaves the record
        record.role, ok = "weights", True
        weightfiles.read(path, record, problems)
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
    elif path.name == pipeline.FILE:
        pipeline.describe(data, record, ev)
    elif path.name in QUANT_FILES:
        field, method = quantization(data, path.name) or ("", "")
        record.statements.append(Statement(field, shorten(method), ev(field)))
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
    found = quantization(data)
    if found:
        record.statements.append(Statement(found[0], shorten(found[1]), ev(found[0].partition(".")[0])))


def quantization(config: dict[str, JSON], name: str = "config.json") -> tuple[str, str] | None:
    """(the field that says it, the method) of the quantization a config names, or None: config.json's
    quantization_config (which transformers writes into the config of a model it quantized) or MLX's
    `quantization`; a quantized model's own settings file (QUANT_FILES) names its method, else
    stands for its own."""
    if name in QUANT_FILES:
        method = config.get("quant_method")
        return "quant_method", method.strip() if isinstance(method, str) and method.strip() else QUANT_FILES[name]
    settings = config.get("quantization_config")
    method = settings.get("quant_method") if isinstance(settings, dict) else None
    if isinstance(method, str) and method.strip():
        return "quantization_config.quant_method", method.strip()
    mlx = config.get("quantization")
    bits = mlx.get("bits") if isinstance(mlx, dict) else None
    return ("quantization.bits", f"mlx {bits}-bit") if isinstance(bits, int) else None


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
    named = model_named(base)
    if named is None:
        problems.append(
            Problem("bad-field", mergeconfig.local_path("base_model_name_or_path", base), ev("base_model_name_or_path"))
        )
    target, scheme = (named[0], Scheme.HUB) if named else (base, Scheme.NAME)
    pinned = named[1] if named and named[1] else revision
    record.references.append(
        Reference(
            target, "model", "adapter", ev("base_model_name_or_path"), "declared in adapter_config.json", scheme, pinned
        )
    )


def _read_merge_config(path: Path, record: AssetRecord, problems: list[Problem]) -> bool:
    """mergekit_config.yml: each model it names is a merge parent of the folder's asset."""
    text, error = read_text(path, MAX_MERGE_CONFIG_BYTES)
    if error:
        problems.append(Problem(error[0], error[1], Evidence(record.source, "")))
        return False
    parents, told = mergeconfig.parents(text, 1, path.name)
    problems += [Problem(code, message, Evidence(record.source, at, line)) for code, message, at, line in told]
    basis = f"declared in {path.name}"
    record.references += [
        Reference(p.target, "model", "merge", Evidence(record.source, p.pointer, p.line), basis, p.scheme, p.revision)
        for p in parents
    ]
    return True


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
    found, unread = licensetext.statements(text, path.name, rel, notice)
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
