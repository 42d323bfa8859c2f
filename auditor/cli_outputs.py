"""The outputs of earlier audits in an --out folder: which to pass over, keep or remove.

Outputs written inside the audited folder (`--out` the folder itself, or a folder in it) must not
be read as input by a later audit, so that a rerun gives the same bytes; but a file of the release
that merely bears an output's name (the team's own release.cdx.json) is input, and must be neither
passed over nor replaced. So mlaudit records what it wrote, each file by its SHA-256, in RECORD
beside them: only a file whose content is still the one recorded, and whose name is one mlaudit
writes, is passed over (a record copied or crafted cannot hide a model card or any other input),
and an output is refused when it would replace any other file of the audited folder. An earlier
audit's output that this audit does not write (its report.pdf, when this one writes no PDF) is
removed, so that no folder holds outputs of two audits; only a file still as recorded is removed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from auditor import writing
from auditor.harvest.folder import native
from auditor.parsed import JSONObject
from auditor.readers import safejson

RECORD = ".mlaudit-outputs.json"
WRITER = "mlaudit"  # the record's `written_by`, which tells it from any other JSON of that name


@dataclass(frozen=True)
class OwnOutputs:
    """The files of an --out folder that mlaudit wrote and nobody changed since."""

    folder: Path  # --out, resolved
    files: dict[str, str] = field(default_factory=dict)  # file name -> SHA-256 of the content written
    recorded: bool = False  # whether RECORD there is mlaudit's own

    def exclude(self) -> frozenset[Path]:
        """The paths the audit passes over: the files still as written, and their record."""
        names = [*self.files, *([RECORD] if self.recorded else [])]
        return frozenset(self.folder / name for name in names)

    def refusal(self, audited: Path, names: Iterable[str]) -> str | None:
        """Why writing `names` into the folder would replace an input file, or None."""
        for name in [*names, RECORD]:
            target = self.folder / name
            own = self.recorded if name == RECORD else name in self.files
            if target.exists() and target.resolve().is_relative_to(audited.resolve()) and not own:
                return (
                    f"{target} is a file of the audited folder that mlaudit has no record of writing "
                    f"({RECORD}): writing {name} would replace it. If it is an earlier audit's output (an "
                    f"mlaudit that kept no record wrote it), delete it and run again; if it is the release's "
                    f"own, choose another --out"
                )
        return None

    def write(self, out: Path, reports: Sequence[tuple[str, str | bytes]]) -> tuple[list[str], list[str]]:
        """Write `reports` (name, body) and their record into `out`, removing the earlier audit's
        outputs not written again: the paths of the outputs written (the record is none), and the
        names removed."""
        stale = self.stale(name for name, _ in reports)
        written = writing.write_files(out, dict([*reports, *self.record(reports)]), stale)
        return [str(path) for path in written if path.name != RECORD], stale

    def stale(self, written: Iterable[str]) -> list[str]:
        """The earlier audit's outputs, still as it wrote them, that this audit does not write."""
        return sorted(set(self.files) - set(written))

    def record(self, written: Sequence[tuple[str, str | bytes]]) -> list[tuple[str, str]]:
        """RECORD to write with `written` (name, body), listing them: the earlier outputs not
        written again are removed (`stale`)."""
        files = {name: _digest(body) for name, body in written}
        body = {"written_by": WRITER, "files": dict(sorted(files.items()))}
        return [(RECORD, json.dumps(body, indent=2) + "\n")]


def guard(out: Path, audited: Path, names: Sequence[str], writable: Collection[str]) -> tuple[OwnOutputs, str | None]:
    """What mlaudit wrote into `out` (of the files `writable`, every one the command may write), and
    why writing the outputs `names` there is refused (None: it is not): one would replace a file of
    the audited folder mlaudit has no record of writing, or the audited folder's own NOTICE."""
    if "NOTICE" in names and out.resolve() == audited.resolve():
        return OwnOutputs(out), (
            f"--notice would replace the NOTICE of the audited folder {audited}: choose another --out"
        )
    own = own_outputs(out, writable)
    return own, own.refusal(audited, names)


def for_report(
    doc: JSONObject, out: Path, names: Sequence[str], writable: Collection[str]
) -> tuple[OwnOutputs, str | None]:
    """`guard` for `mlaudit report`, which is given no folder: when `out` lies in the folder the
    stored report audited (the nearest of `out` and its parents holding every file the report read),
    the rule `mlaudit audit` keeps there holds; elsewhere nothing is refused."""
    read = [native(e["file"]) for e in doc["inventory"] if e["status"] == "read"]
    folder = out.resolve()
    audited = next((f for f in (folder, *folder.parents) if read and all((f / r).is_file() for r in read)), None)
    return guard(out, audited, names, writable) if audited else (own_outputs(out, writable), None)


def own_outputs(out: Path, names: Collection[str]) -> OwnOutputs:
    """What mlaudit wrote into `out` and is unchanged; only files of `names` (every file the
    command may write there) can be its outputs."""
    folder = out.resolve()
    try:
        record = safejson.load(folder / RECORD)
    except (OSError, safejson.JSONRefused):
        return OwnOutputs(folder)
    files = record.get("files") if isinstance(record, dict) and record.get("written_by") == WRITER else None
    if not isinstance(files, dict):
        return OwnOutputs(folder)
    unchanged = {name: digest for name, digest in files.items() if name in names and _unchanged(folder, name, digest)}
    return OwnOutputs(folder, files=unchanged, recorded=True)


def _unchanged(folder: Path, name: str, digest: object) -> bool:
    """Whether `name` is a plain file name in `folder` whose content still has SHA-256 `digest`."""
    path = folder / name
    if "/" in name or name in ("", ".", "..", RECORD) or path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest() == digest
    except OSError:  # unreadable: not passed over, so the audit lists it
        return False


def _digest(body: str | bytes) -> str:
    return hashlib.sha256(body.encode("utf-8") if isinstance(body, str) else body).hexdigest()
