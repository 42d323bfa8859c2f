"""Writing outputs so that none is ever lost or half-written: every file mlaudit writes goes through here.

Each file is first written whole to a temporary file beside its target (same folder, so the same
file system) and then renamed over it: a rename is atomic, so a kill at any moment leaves either the
earlier file or the new one, never a truncated one. The files of one audit are written and renamed
together, under a lock on their folder, so two audits writing into one folder cannot interleave
their renames (report.json and report.html come from the same audit). A failure (read-only folder,
full disk) removes the temporary files and leaves the earlier outputs as they were; a kill leaves
them, named as mlaudit's (`is_temporary`), so the next write into the folder removes them (under
the lock, any there is a dead writer's) and no audit reads them.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shutil
import tempfile
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

COPY_BLOCK = 1 << 23  # bytes copied at a time from a file given as a body
TEMPORARY = ".mlaudit-tmp"  # how a temporary file's name ends (after its target's name and a random part)


class WriteError(ValueError):
    """An output cannot be written; the message names the file or folder and why."""


# the system's reasons a write finds no room: a full disk, a full quota, a file size limit
NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def no_room(exc: BaseException) -> WriteError | None:
    """The error to report when `exc` is a write of mlaudit's temporary files that found no room
    (a large lake keeps its findings and DuckDB's overflow there, gigabytes of them), else None.
    DuckDB's errors are its own type, carrying the system's message."""
    if isinstance(exc, OSError):
        reason = exc.strerror if exc.errno in NO_ROOM else None
    else:
        text = str(exc) if type(exc).__module__.partition(".")[0].lstrip("_") == "duckdb" else ""
        reason = next((os.strerror(code) for code in NO_ROOM if os.strerror(code) in text), None)
    if reason is None:
        return None
    where = getattr(exc, "filename", None) or f"temporary files in {tempfile.gettempdir()}"
    return WriteError(f"no room to write {where} ({reason}): free space there, or set TMPDIR to a folder with more")


# text (as UTF-8), bytes, or a file whose content to write (a lake's findings run to gigabytes): a file
# the caller made for the purpose and leaves as it is, for it may be linked into place, not copied
Body = str | bytes | Path


def write_files(folder: Path, files: Mapping[str, Body], stale: Collection[str] = ()) -> list[Path]:
    """Write name -> body into `folder`, creating it, and remove the files `stale` names there (an
    earlier audit's outputs this one does not write) in the same step; the paths written."""
    _make_folder(folder)
    targets = [folder / name for name in files]
    for target in targets:
        if target.is_dir():
            raise WriteError(f"{target} is a folder: name a file to write")
    temporary = {}
    try:
        with _locked(folder) as descriptor:
            _remove_stale(folder)
            for target, body in zip(targets, files.values(), strict=False):
                temporary[target] = folder / f".{target.name}.{secrets.token_hex(6)}{TEMPORARY}"
                _write(temporary[target], body.encode("utf-8") if isinstance(body, str) else body)
            for target, temp in temporary.items():
                os.replace(temp, target)
            for name in stale:
                (folder / name).unlink(missing_ok=True)
            os.fsync(descriptor)  # the renames themselves reach the disk
    except OSError as exc:
        raise WriteError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    finally:
        for temp in temporary.values():
            temp.unlink(missing_ok=True)
    return targets


def is_temporary(name: str) -> bool:
    """Whether a file name is that of one of mlaudit's temporary files."""
    return name.startswith(".") and name.endswith(TEMPORARY)


def _remove_stale(folder: Path) -> None:
    """Remove the temporary files a killed write left in `folder` (called under its lock)."""
    with os.scandir(folder) as entries:
        stale = [entry.path for entry in entries if is_temporary(entry.name) and entry.is_file(follow_symlinks=False)]
    for path in stale:
        Path(path).unlink(missing_ok=True)


def write_file(path: Path, body: Body) -> Path:
    """One file, written the same way."""
    return write_files(path.parent, {path.name: body})[0]


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise WriteError(f"{folder} is a file, not a folder to write the outputs into") from None
    except OSError as exc:
        raise WriteError(f"cannot create the folder {folder}: {exc.strerror or exc}") from None


def _write(path: Path, data: bytes | Path) -> None:
    if isinstance(data, Path) and _linked(data, path):
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
        return
    with open(path, "xb") as fh:
        if isinstance(data, Path):
            with data.open("rb") as source:  # copied a block at a time, never read whole
                shutil.copyfileobj(source, fh, COPY_BLOCK)
        else:
            fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())  # the content is on disk before the rename can publish it


def _linked(source: Path, path: Path) -> bool:
    """Whether `source` is now also `path`: a hard link where both are on one file system, so
    that a file of gigabytes is published without a copy; False where it cannot be linked there."""
    try:
        os.link(source, path)
    except OSError as exc:
        if exc.errno in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            return False
        raise
    return True


@contextmanager
def _locked(folder: Path) -> Iterator[int]:
    """An exclusive lock on the folder itself (no lock file to leave behind), held for the renames."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield descriptor
    finally:
        os.close(descriptor)
