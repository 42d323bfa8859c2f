"""Harvest: walk a release folder and read every manifest it holds into asset records.

Hub cards (README.md) are read by `hfcard`, and a card of another name once every README.md is
(`othercards`); every other file is offered to the format readers of
`registry.READERS` in turn (each declares its format as `registry.Reader` describes); tables of Hub
records are read last, so that a release's lineage can reach into them from every other manifest
(`hubtable`). Every file found gets an inventory entry saying whether it was read, skipped (and
why) or could not be read; nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import os
import stat
from contextlib import suppress
from pathlib import Path

from auditor.harvest import cacherefs, hfcard, hubrows, hubtable, modelfolder, othercards, pipeline, prolog, sniff
from auditor.harvest.folder import OUTSIDE, native, refusal, walk
from auditor.harvest.layout import Context, Placement, enclosing, in_cache, place, ref_file
from auditor.harvest.registry import READERS, Reader
from auditor.model import UNREADABLE, AssetRecord, Evidence, Harvest, InventoryEntry, Problem
from auditor.naming import asset_key

CONFIG = "mlaudit.toml"  # the audit's settings and the lineage no manifest states
CONFIG_FILES = {
    CONFIG: "mlaudit config",
    "resolutions.yaml": "mlaudit resolutions",
    "curations.yaml": "mlaudit curations",
}
SMALL_FILE = 64 * 1024
FINGERPRINT_LIMIT = 64 * 1024 * 1024  # larger files (weights) enter the input fingerprint by size
Signature = tuple[int, int, int, int, int]  # _signature: a file as found, to tell whether it changed
Opened = tuple[str, Signature]  # a file the walk yielded: its path, and its signature before it was read
CHANGED = (
    "file changed while it was audited: the report's input fingerprint may not name the content judged; "
    "audit it again once it is still"
)
ROOT_NOTES = (
    "README.md at the audit root without card metadata: read as notes on the release folder, not as an asset card"
)


def harvest(
    root: Path,
    root_name: str | None = None,
    exclude: frozenset[Path] = frozenset(),
    focus: frozenset[str] | None = None,
    downstream_of: frozenset[str] = frozenset(),
    records_kind: str | None = None,
    read_before: dict[str, Signature] | None = None,
) -> Harvest:
    """Read every manifest under `root` (a folder, or one manifest file read alone); `root_name` names
    the asset of a card at the root itself; the folders and files of `exclude` (absolute paths:
    mlaudit's own outputs) are passed over unlisted; `read_before`: see `signed`.
    With a `focus` (the names a release's audit starts from: the release, mlaudit.toml's upstream),
    the rows of tables of Hub records are read for the lineage it reaches only; with `downstream_of`
    (the asset whose impact is asked), for the lineage of what descends from it only; `records_kind`
    is the kind of the rows of a table of Hub records that neither the rows nor its name state."""
    given = root.resolve()
    root = given if given.is_dir() else given.parent
    result = Harvest(root=str(root))
    tables: list[tuple[Path, Context]] = []
    refs: list[cacherefs.Ref] = []
    cards: list[othercards.Found] = []
    pipelines: dict[str, frozenset[str]] = {}  # a diffusers pipeline's folder -> its components' sub-folders
    opened: dict[str, Opened] = {}
    files = walk(root, result.inventory, exclude) if given == root else _alone(given, result.inventory)
    for path, rel in files:
        with suppress(OSError):  # one gone since it was listed: its reader says so
            opened[rel] = (str(path), (read_before or {}).get(rel) or _signature(os.stat(path)))  # before it is read
        _file(path, rel, root_name or root.name, result, tables, refs, cards, pipelines)
    _other_cards(cards, root_name or root.name, result)
    result.problems.extend(_unopened(result))
    _tables(root, tables, focus, downstream_of, records_kind, result)
    result.problems.extend(cacherefs.attach(result.records, refs))
    result.fingerprint, changed = fingerprint(result, opened)
    result.problems.extend(Problem("unreadable", CHANGED, Evidence(rel, "")) for rel in changed)
    return result


def _file(
    path: Path,
    rel: str,
    root_name: str,
    result: Harvest,
    tables: list[tuple[Path, Context]],
    refs: list[cacherefs.Ref],
    cards: list[othercards.Found],
    pipelines: dict[str, frozenset[str]],
) -> None:
    """One file of the walk, to the reader its name or content calls for. The walk yields a folder's
    files before its sub-folders', so a pipeline's model_index.json is read before its components."""
    folder = rel.rpartition("/")[0]
    if path.name == "README.md":
        _card(path, rel, folder, root_name, result)
    elif path.name in CONFIG_FILES and not folder:
        result.inventory.append(InventoryEntry(rel, CONFIG_FILES[path.name], "read"))
    elif (branch := ref_file(rel)) is not None:
        _ref(path, rel, branch, result, refs)
    else:
        read = _other(path, Context(rel, _placed(path.name, folder, root_name, pipelines)), result, tables, cards)
        if path.name == pipeline.FILE:
            pipelines[folder] = pipeline.components(read)


def _placed(name: str, folder: str, root_name: str, pipelines: dict[str, frozenset[str]]) -> Placement:
    """The asset a file other than a card belongs to: a diffusers component's config or weights
    (unet/config.json) the pipeline's, whose model_index.json names the component; a weight file the
    asset's whose folder holds it at any depth; any other file that of its own folder."""
    parent, _, sub = folder.rpartition("/")
    if sub in pipelines.get(parent, ()) and (name in modelfolder.CONFIGS or modelfolder.is_weights(name)):
        return place(parent, root_name)
    return enclosing(folder, root_name) if modelfolder.is_weights(name) else place(folder, root_name)


def signed(root: Path) -> dict[str, Signature]:
    """The signatures of the folder's own files (CONFIG_FILES) there are, taken before mlaudit reads
    them ahead of the harvest: `harvest(read_before=…)` tells a change made since."""
    found = {}
    for name in CONFIG_FILES:
        with suppress(OSError):
            found[name] = _signature(os.stat(root / name))
    return found


CACHE_HINT = (
    ": a Hub cache snapshot links its files into the cache's blobs/ folder; audit the cache folder"
    " (models--org--name, or the cache above it) so that they lie inside the audit folder"
)


def _unopened(result: Harvest) -> list[Problem]:
    """What the walk could not open (a dangling link, a link out of the audit folder, a folder it
    cannot list) where a manifest may be lost: a file named like one, or the folder; an input
    finding each, since a manifest nobody read must not pass the gate. So is mlaudit's own file
    refused (a FIFO, a link out of the folder): the lineage mlaudit.toml states, which no manifest
    does, or a review file's decisions would be dropped. Any other such file stays an inventory
    entry; a file a reader opened has told its own problems."""
    told = {problem.evidence.file for problem in result.problems}
    hint = CACHE_HINT if in_cache(result.root) else ""
    return [
        Problem(
            "unreadable", _unopened_reason(entry) + (hint if entry.reason == OUTSIDE else ""), Evidence(entry.file, "")
        )
        for entry in result.inventory
        if entry.file not in told
        and (
            (
                (entry.status == "unreadable" or entry.reason == OUTSIDE)
                and (entry.format == "folder" or _manifest_named(entry.file))
            )
            or (entry.status == "skipped" and entry.file in CONFIG_FILES)
        )
    ]


def _unopened_reason(entry: InventoryEntry) -> str:
    if entry.file in CONFIG_FILES and entry.status == "skipped":
        stated = "its settings and [[lineage]] are" if entry.file == CONFIG else "its decisions are"
        return f"{entry.reason}: not read, so {stated} not applied"
    return entry.reason


def _manifest_named(rel: str) -> bool:
    """Whether a file is named as one a reader reads whatever it holds: a card, mlaudit's own files,
    a Hub cache's ref, an SBOM, a model folder's config, license or weights, a table of Hub records."""
    name = rel.rpartition("/")[2]
    return (
        name in ("README.md", *CONFIG_FILES)
        or ref_file(rel) is not None
        or sniff.named_like_manifest(name)
        or modelfolder.named(name)
        or hubtable.is_named(Path(name))
    )


def _alone(path: Path, inventory: list[InventoryEntry]) -> list[tuple[Path, str]]:
    """A single file audited on its own (a table of Hub records, one SBOM): the folder it lies in is
    the boundary of the audit, but only the file is read; one that must not be opened is listed."""
    refused = refusal(path, path.parent)
    if refused:
        inventory.append(InventoryEntry(path.name, "unknown", *refused))
        return []
    return [(path, path.name)]


def _tables(
    root: Path,
    tables: list[tuple[Path, Context]],
    focus: frozenset[str] | None,
    downstream_of: frozenset[str],
    records_kind: str | None,
    result: Harvest,
) -> None:
    """Read the tables of Hub records, last: a focus reaches into them from every other manifest's
    upstream as well as from its own names, and what descends is found through them too."""
    if not tables:
        return
    scanned = hubrows.load([path for path, _ in tables])  # one pass over each table
    if downstream_of:
        edges = [(record.id, ref.target) for record in result.records for ref in record.references]
        down = hubtable.descendants(scanned, downstream_of, edges)
        focus = None if down is None else (focus or frozenset()) | down
    if focus is not None:
        upstream = (ref.target for record in result.records for ref in record.references)
        focus = hubtable.lineage(scanned, [*focus, *upstream])
    for path, context in tables:
        elsewhere = frozenset(record.id.lower() for record in result.records)
        records, problems = hubtable.read(path, context, focus, scanned, records_kind, elsewhere)
        _add(result, context.rel, hubtable.FORMAT, records, problems)


def _card(path: Path, rel: str, folder: str, root_name: str, result: Harvest, text: str | None = None) -> None:
    """A card, read from `path` unless its `text` has been read already."""
    placement = place(folder, root_name)
    if placement.asset_id is None:
        result.inventory.append(InventoryEntry(rel, hfcard.FORMAT, "skipped", placement.reason))
        return
    record, problems = hfcard.read_card(path, rel, placement, text)
    if not folder and not record.has_metadata and not problems:
        result.inventory.append(InventoryEntry(rel, "markdown", "skipped", ROOT_NOTES))
        return
    _add(result, rel, hfcard.FORMAT, [record], problems)


def _other_cards(cards: list[othercards.Found], root_name: str, result: Harvest) -> None:
    """The cards named otherwise than README.md, read after the walk: whether their folder has a
    README.md card is known only once every README.md is read."""
    readmes = {
        record.source: asset_key(record.kind, record.id) for record in result.records if record.format == hfcard.FORMAT
    }
    for (path, rel, text), problem in othercards.choose(cards, readmes):
        if problem is None:
            _card(path, rel, rel.rpartition("/")[0], root_name, result, text)
        else:
            result.problems.append(problem)
            result.inventory.append(InventoryEntry(rel, hfcard.FORMAT, "skipped", problem.message))


def _ref(path: Path, rel: str, branch: tuple[str, str], result: Harvest, refs: list[cacherefs.Ref]) -> None:
    """A Hub cache's ref: used when it names a revision, else reported as a file that cannot be read."""
    ref, problems = cacherefs.read(path, rel, *branch)
    refs.extend([ref] if ref else [])
    result.problems.extend(problems)
    reason = "; ".join(p.message for p in problems)
    result.inventory.append(InventoryEntry(rel, cacherefs.INVENTORIED_AS, "read" if ref else "unreadable", reason))


def _other(
    path: Path, context: Context, result: Harvest, tables: list[tuple[Path, Context]], cards: list[othercards.Found]
) -> list[AssetRecord]:
    """A file offered to the format readers: read by the one that recognises it (its records are
    returned), tabled for later, reported when it looks like a manifest none recognises (sniff), kept
    for later when it is a card of another name than README.md, else skipped."""
    try:
        head = sniff.head(path)
    except OSError as exc:
        problem = Problem("unreadable", f"cannot read file: {exc.strerror}", Evidence(context.rel, ""))
        _add(result, context.rel, "unknown", [], [problem])
        return []
    reader = _reader(path, head)
    later = prolog.later_head(path, sniff.HEAD_BYTES) if reader is None else None
    reader = _reader(path, later.head) if later else reader
    found = sniff.members(path, head) if reader is None else None
    reader = _reader(path, sniff.as_head(found)) if found else reader
    if reader is hubtable:
        tables.append((path, context))
    elif reader is not None:
        records, problems = reader.read(path, context)
        _add(result, context.rel, reader.FORMAT, records, problems)
        return records
    elif why := sniff.unrecognised(path, found, later):
        _add(result, context.rel, "unknown", [], [Problem("malformed", f"file {why}", Evidence(context.rel, ""))])
    elif (text := othercards.card_text(path)) is not None:
        cards.append((path, context.rel, text))
    else:
        result.inventory.append(InventoryEntry(context.rel, "unknown", "skipped", sniff.skipped(path)))
    return []


def _reader(path: Path, head: bytes) -> Reader | None:
    """The first reader that recognises the file from its name and `head`."""
    return next((reader for reader in READERS if reader.detect(path, head)), None)


def fingerprint(harvested: Harvest, opened: dict[str, Opened]) -> tuple[str, list[str]]:
    """SHA-256 naming the audit's input: every inventoried file's path and content, so a signed-off
    report can be matched to the exact files it judged; and the files of `opened` (as the walk found
    them, before they were read) that have changed since, whose content hashed may not be the one
    judged. Files over FINGERPRINT_LIMIT (weights) count by path and size only, to keep the audit's
    reading bounded."""
    root, digest, changed = Path(harvested.root), hashlib.sha256(), []
    folders: dict[str, bool] = {}  # folder -> whether it resolves inside root, asked once
    for entry in sorted(harvested.inventory, key=lambda e: e.file):
        path, before = opened.get(entry.file) or (os.path.join(harvested.root, native(entry.file)), None)
        hashed, after = _file_digest(path, root, folders)
        changed += [entry.file] if before is not None and after != before else []
        digest.update(f"{entry.file}\0{hashed}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest(), changed


def _signature(info: os.stat_result) -> Signature:
    """What changes whenever a file is written or replaced: its identity, size and change times."""
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _file_digest(path: str, root: Path, folders: dict[str, bool]) -> tuple[str, Signature | None]:
    """The content's digest (or why it has none), and the file's signature once it is hashed."""
    try:
        info: os.stat_result | None = os.lstat(path)
    except OSError:
        info = None
    try:
        if info is None or not stat.S_ISREG(info.st_mode) or not _inside(os.path.dirname(path), str(root), folders):
            refused = refusal(Path(path), root)  # a link, or not a regular file: the walk's own test
            if refused:
                return ("folder" if os.path.isdir(path) else refused[1]), None
            info = os.stat(path)
        if info.st_size > FINGERPRINT_LIMIT:
            return f"size:{info.st_size}", _signature(info)
        with open(path, "rb") as f:
            data = f.read(SMALL_FILE + 1)  # most manifests: one read, without file_digest's 256 KB buffer
            if len(data) <= SMALL_FILE:
                return hashlib.sha256(data).hexdigest(), _signature(os.fstat(f.fileno()))
            f.seek(0)
            return hashlib.file_digest(f, "sha256").hexdigest(), _signature(os.fstat(f.fileno()))
    except OSError as exc:
        return f"unreadable:{exc.errno}", None


def _inside(folder: str, root: str, folders: dict[str, bool]) -> bool:
    """Whether `folder` resolves inside `root` (a file in it that is no link does too): a folder that
    is no link resolves inside its parent, so each folder is looked at once, not each file's path."""
    if folder not in folders:
        if folder == root:
            folders[folder] = True
        elif folder.startswith(root + os.sep) and not os.path.islink(folder) and os.path.isdir(folder):
            folders[folder] = _inside(os.path.dirname(folder), root, folders)
        else:
            folders[folder] = Path(os.path.realpath(folder)).is_relative_to(root)
    return folders[folder]


def _add(result: Harvest, rel: str, fmt: str, records: list[AssetRecord], problems: list[Problem]) -> None:
    result.records.extend(records)
    result.problems.extend(problems)
    unplaced = not records and problems and all(p.code == modelfolder.NOT_PLACED for p in problems)
    status = "unreadable" if any(p.code in UNREADABLE for p in problems) else "skipped" if unplaced else "read"
    reason = "; ".join(p.message for p in problems)
    result.inventory.append(InventoryEntry(rel, fmt, status, reason))
