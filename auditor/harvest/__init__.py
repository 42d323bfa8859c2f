"""Harvest: walk a release folder and read every manifest it holds into asset records.

Every file found gets an inventory entry saying whether it was read, skipped (and why) or could
not be read; nothing is dropped silently.
"""

from __future__ import annotations

import os
from pathlib import Path

from auditor.harvest.hfcard import read_card
from auditor.harvest.layout import place
from auditor.model import Harvest, InventoryEntry

CONFIG_FILES = {"mlaudit.toml": "mlaudit config"}
HELPER_FILES = {"adapter_config.json": "marks its folder as a PEFT adapter"}


def harvest(root: Path, root_name: str | None = None, exclude: Path | None = None) -> Harvest:
    """Read every manifest under `root`; `root_name` names the asset of a card at the root itself."""
    root = root.resolve()
    result = Harvest(root=str(root))
    for path, rel in _walk(root, result, exclude.resolve() if exclude else None):
        name = path.name
        if name == "README.md":
            _card(path, rel, root_name or root.name, result)
        elif name in CONFIG_FILES and "/" not in rel:
            result.inventory.append(InventoryEntry(rel, CONFIG_FILES[name], "read"))
        elif name in HELPER_FILES:
            result.inventory.append(InventoryEntry(rel, "peft adapter config", "read", HELPER_FILES[name]))
        else:
            result.inventory.append(InventoryEntry(rel, "unknown", "skipped", "not a manifest format mlaudit reads"))
    return result


def _card(path: Path, rel: str, root_name: str, result: Harvest) -> None:
    folder = rel.rpartition("/")[0]
    placement = place(folder, root_name)
    if placement.asset_id is None:
        result.inventory.append(InventoryEntry(rel, "hf-card", "skipped", placement.reason))
        return
    record, problems = read_card(path, rel, placement)
    if not folder and not record.has_metadata and not problems:
        result.inventory.append(InventoryEntry(rel, "markdown", "skipped", ROOT_NOTES))
        return
    result.records.append(record)
    result.problems.extend(problems)
    status = "unreadable" if any(p.code in UNREADABLE for p in problems) else "read"
    reason = "; ".join(p.message for p in problems)
    result.inventory.append(InventoryEntry(rel, "hf-card", status, reason))


ROOT_NOTES = ("README.md at the audit root without card metadata: read as notes on the release "
              "folder, not as an asset card")
UNREADABLE = {"too-large", "binary", "not-utf8", "unreadable"}


def _walk(root: Path, result: Harvest, exclude: Path | None):
    """Files under root in sorted order, without following links out of it or into hidden folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            full = here / d
            rel = full.relative_to(root).as_posix()
            if d.startswith("."):
                result.inventory.append(InventoryEntry(rel + "/", "folder", "skipped", "hidden folder"))
            elif full.is_symlink():
                result.inventory.append(InventoryEntry(rel + "/", "folder", "skipped", "symbolic link not followed"))
            elif exclude is not None and full.resolve() == exclude:
                continue
            else:
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            full = here / name
            rel = full.relative_to(root).as_posix()
            if full.is_symlink() and not full.resolve().is_relative_to(root):
                result.inventory.append(InventoryEntry(rel, "unknown", "skipped",
                                                       "symbolic link pointing outside the audit folder"))
                continue
            yield full, rel
