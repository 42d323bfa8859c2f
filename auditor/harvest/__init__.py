"""Harvest: walk a release folder and read every manifest it holds into asset records.

Hub cards (README.md) are read by `hfcard`; every other file is offered to the format readers in
READERS, each a module with:

    FORMAT: str                                    # name shown in the inventory
    detect(path: Path, head: bytes) -> bool        # cheap test on the name and first 4 KB
    read(path: Path, context: Context) -> tuple[list[AssetRecord], list[Problem]]

Every file found gets an inventory entry saying whether it was read, skipped (and why) or could
not be read; nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from auditor.harvest import croissant, cyclonedx, modelfolder, mof, openml, schemaorg
from auditor.harvest import spdx2, spdx3
from auditor.harvest.hfcard import read_card
from auditor.harvest.layout import Placement, place
from auditor.model import UNREADABLE, Evidence, Harvest, InventoryEntry, Problem

CONFIG_FILES = {"mlaudit.toml": "mlaudit config", "resolutions.yaml": "mlaudit resolutions",
                "curations.yaml": "mlaudit curations"}
HEAD_BYTES = 4096
FINGERPRINT_LIMIT = 64 * 1024 * 1024  # larger files (weights) enter the input fingerprint by size
ROOT_NOTES = ("README.md at the audit root without card metadata: read as notes on the release "
              "folder, not as an asset card")


@dataclass(frozen=True)
class Context:
    """What a reader knows besides the file: its path in the audit and the asset its folder names."""

    rel: str
    placement: Placement


READERS: list = [modelfolder, croissant, spdx3, spdx2, cyclonedx, openml, schemaorg, mof]


def harvest(root: Path, root_name: str | None = None, exclude: frozenset[Path] = frozenset()) -> Harvest:
    """Read every manifest under `root`; `root_name` names the asset of a card at the root itself;
    the folders and files of `exclude` (absolute paths: mlaudit's own outputs) are passed over unlisted."""
    root = root.resolve()
    result = Harvest(root=str(root))
    for path, rel in _walk(root, result, exclude):
        folder = rel.rpartition("/")[0]
        if path.name == "README.md":
            _card(path, rel, folder, root_name or root.name, result)
        elif path.name in CONFIG_FILES and not folder:
            result.inventory.append(InventoryEntry(rel, CONFIG_FILES[path.name], "read"))
        else:
            _other(path, Context(rel, place(folder, root_name or root.name)), result)
    result.fingerprint = fingerprint(result)
    return result


def _card(path: Path, rel: str, folder: str, root_name: str, result: Harvest) -> None:
    placement = place(folder, root_name)
    if placement.asset_id is None:
        result.inventory.append(InventoryEntry(rel, "hf-card", "skipped", placement.reason))
        return
    record, problems = read_card(path, rel, placement)
    if not folder and not record.has_metadata and not problems:
        result.inventory.append(InventoryEntry(rel, "markdown", "skipped", ROOT_NOTES))
        return
    _add(result, rel, "hf-card", [record], problems)


def _other(path: Path, context: Context, result: Harvest) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        _add(result, context.rel, "unknown", [],
             [Problem("unreadable", f"cannot read file: {exc.strerror}", Evidence(context.rel, ""))])
        return
    for reader in READERS:
        if reader.detect(path, head):
            records, problems = reader.read(path, context)
            _add(result, context.rel, reader.FORMAT, records, problems)
            return
    result.inventory.append(InventoryEntry(context.rel, "unknown", "skipped", "not a manifest format mlaudit reads"))


def fingerprint(harvested: Harvest) -> str:
    """SHA-256 naming the audit's input: every inventoried file's path and content, so a signed-off
    report can be matched to the exact files it judged. Files over FINGERPRINT_LIMIT (weights)
    count by path and size only, to keep the audit's reading bounded."""
    root, digest = Path(harvested.root), hashlib.sha256()
    for entry in sorted(harvested.inventory, key=lambda e: e.file):
        path = root / entry.file
        digest.update(f"{entry.file}\0{_file_digest(path)}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    try:
        if path.is_dir():
            return "folder"
        size = path.stat().st_size
        if size > FINGERPRINT_LIMIT:
            return f"size:{size}"
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def _add(result: Harvest, rel: str, fmt: str, records: list, problems: list) -> None:
    result.records.extend(records)
    result.problems.extend(problems)
    status = "unreadable" if any(p.code in UNREADABLE for p in problems) else "read"
    reason = "; ".join(p.message for p in problems)
    result.inventory.append(InventoryEntry(rel, fmt, status, reason))


def _walk(root: Path, result: Harvest, exclude: frozenset[Path]):
    """Files under root in sorted order, without following links out of it or into hidden folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            full = here / d
            rel = full.relative_to(root).as_posix()
            if not _utf8(d):
                result.inventory.append(InventoryEntry(_printable(rel) + "/", "folder", "skipped",
                                                       "folder name is not valid UTF-8; not searched"))
            elif d.startswith("."):
                result.inventory.append(InventoryEntry(rel + "/", "folder", "skipped", "hidden folder"))
            elif full.is_symlink():
                result.inventory.append(InventoryEntry(rel + "/", "folder", "skipped", "symbolic link not followed"))
            elif full.resolve() in exclude:
                continue
            else:
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            full = here / name
            rel = full.relative_to(root).as_posix()
            if full in exclude:
                continue
            if not _utf8(name):
                result.inventory.append(InventoryEntry(_printable(rel), "unknown", "skipped",
                                                       "file name is not valid UTF-8; not read"))
                continue
            if full.is_symlink() and not full.resolve().is_relative_to(root):
                result.inventory.append(InventoryEntry(rel, "unknown", "skipped",
                                                       "symbolic link pointing outside the audit folder"))
                continue
            yield full, rel


def _utf8(name: str) -> bool:
    """File names that are not UTF-8 arrive with surrogate escapes, which no report can carry."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(rel: str) -> str:
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
