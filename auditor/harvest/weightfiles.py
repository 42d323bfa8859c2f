"""Weight files of a model folder: each pinned by its checksum (or by the sha256 a Git LFS pointer
names), with what a safetensors header's metadata or a GGUF header says (base models, datasets, a
license). Split from modelfolder.py, which reads the folder's other files."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from auditor.harvest import weights
from auditor.identity import hub_repo
from auditor.model import AssetRecord, Checksum, Evidence, LicenseStatement, Problem, Reference, Statement
from auditor.readers.values import JSON, shorten, type_name

MAX_STATEMENTS = 200
MAX_REFERENCES = 64


def read(path: Path, record: AssetRecord, problems: list[Problem]) -> None:
    """One weight file into `record`: its checksum and header metadata. One that cannot be read gets
    a problem and no checksum, and stays a weight file the folder ships."""
    rel = record.source
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            problems.append(Problem("refused", "not a regular file: not read", Evidence(rel, "")))
            return
        if info.st_size == 0:
            problems.append(Problem("malformed", "weight file is empty", Evidence(rel, "")))
            return
        oid = weights.lfs_oid(path)
        if oid is not None:
            record.checksums.append(Checksum("sha256", oid, rel, Evidence(rel, "git-lfs pointer oid")))
            return
        if path.name.lower().endswith(".safetensors"):
            _safetensors(weights.safetensors_header(path), record, problems)
        elif path.name.lower().endswith(".gguf"):
            _gguf(weights.gguf_header(path), record, problems)
        digest = weights.sha256(path)
    except weights.WeightsError as exc:
        problems.append(Problem(exc.code, str(exc), Evidence(rel, "header")))
        return
    except OSError as exc:
        problems.append(Problem("unreadable", f"cannot read file: {exc.strerror or exc}", Evidence(rel, "")))
        return
    record.checksums.append(Checksum("sha256", digest, rel, Evidence(rel, "file content")))


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
