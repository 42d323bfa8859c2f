"""Walking the audited folder, which is the boundary of the audit.

No link out of it is followed and only regular files are ever opened: a FIFO named like a manifest
would block its reader forever, /dev/zero would never end. Every other entry gets an inventory
entry saying why it was not read. Bound: the walk is iterative and stops MAX_DEPTH folders down,
so neither the recursion limit nor PATH_MAX is reached; each entry is looked at once.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

from auditor.model import InventoryEntry
from auditor.readers.text import not_regular
from auditor.writing import is_temporary

MAX_DEPTH = 32  # the Hub's deepest layout (a cache snapshot's sub-folders) is a handful of levels
OUTSIDE = "symbolic link pointing outside the audit folder"


def refusal(path: Path, root: Path) -> tuple[str, str] | None:
    """(inventory status, reason) if the file at `path` must not be opened, None if it is a regular
    file inside `root` (resolved) after following every link."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "skipped", "symbolic link loop"
        return "unreadable", f"cannot read file: {exc.strerror or exc}"
    if not Path(os.path.realpath(path)).is_relative_to(root):
        return "skipped", OUTSIDE
    irregular = not_regular(mode)
    return None if irregular is None else ("skipped", f"{irregular}; never opened")


def walk(
    root: Path, inventory: list[InventoryEntry], exclude: frozenset[Path] = frozenset()
) -> Iterator[tuple[Path, str]]:
    """(path, relative POSIX path) of the regular files under `root` (resolved) in sorted order,
    top-down; folders not searched and files not opened are added to `inventory` with the reason.
    The folders and files of `exclude` (mlaudit's own outputs) and mlaudit's temporary files (a
    killed write leaves them) are passed over unlisted. Relative paths are built as strings as the
    walk goes down (pathlib's parsing costs more than the read)."""
    excluded = {str(path) for path in exclude}
    stack = [(root, "", 0)]
    while stack:
        folder, prefix, depth = stack.pop()
        entries = _listing(folder, root, inventory)
        folders = []
        for entry in entries:
            if entry.path in excluded or is_temporary(entry.name):  # mlaudit's outputs, and a killed write's
                continue
            rel = _printable(prefix + entry.name)
            if _is_folder(entry):
                reason = _folder_refusal(entry, depth)
                if reason:
                    inventory.append(InventoryEntry(rel + "/", "folder", "skipped", reason))
                else:
                    folders.append((Path(entry.path), f"{prefix}{entry.name}/", depth + 1))
                continue
            refused = _refusal(entry, root)
            if refused:
                inventory.append(InventoryEntry(rel, "unknown", *refused))
            else:
                yield Path(entry.path), rel
        stack.extend(reversed(folders))


def _listing(folder: Path, root: Path, inventory: list[InventoryEntry]) -> list[os.DirEntry[str]]:
    """The entries of `folder` by name; none, with an inventory entry saying why, if it cannot be listed."""
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        reason = f"cannot list folder: {exc.strerror or exc}"
        inventory.append(InventoryEntry(_rel(folder, root) + "/", "folder", "unreadable", reason))
        return []


def _refusal(entry: os.DirEntry[str], root: Path) -> tuple[str, str] | None:
    """`refusal` of a listed entry: a regular file that is no link, in a folder the walk entered
    (never through a link), is inside `root` without asking the file system again."""
    if not entry.is_symlink() and entry.is_file(follow_symlinks=False):
        return None
    return refusal(Path(entry.path), root)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop is a file that cannot be read
        return False


def _folder_refusal(entry: os.DirEntry[str], depth: int) -> str | None:
    if entry.name.startswith("."):
        return "hidden folder"
    if entry.is_symlink():
        return "symbolic link not followed"
    if depth + 1 > MAX_DEPTH:
        return f"nested more than {MAX_DEPTH} folders deep; not searched"
    return None


def _rel(path: Path, root: Path) -> str:
    """`path` relative to root, printable."""
    return _printable(path.relative_to(root).as_posix())


def _printable(rel: str) -> str:
    """A name as its bytes read in UTF-8, whatever the file system encoding Python assumed (ASCII
    under the C locale); a byte that is not UTF-8 (a Latin-1 name) is shown escaped, `\\xe9`, since a
    report carries UTF-8 alone. Such a file is read all the same: it is opened by its own path."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def native(rel: str) -> str:
    """The file system's own spelling of a printable relative path (`_printable` undone for a UTF-8
    name), to open a file the walk did not yield by."""
    return os.fsdecode(rel.encode("utf-8"))
