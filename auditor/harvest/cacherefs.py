"""The refs of a Hugging Face cache folder: which revision each branch names.

`models--org--name/refs/main` holds the commit sha of the revision the cache last fetched for the
branch main (`refs/<branch>` likewise, `refs/pr/<n>` for a pull request). Snapshot folders carry no
dates, so refs/main is what tells the newest of them (auditor/versions.py), and a ref is what a pin
to a branch name (`org/name@main`) binds.

A ref file is read only as the walk yields it (a regular file inside the audited folder), and at
most REF_BYTES of it. Anything but a 40-hex sha (and a line end) is a file that cannot be read,
reported against it (INP001): which revision the branch names is then unknown, and taking another
for the newest could decide the release's terms by a broken file, so the gate fails instead.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from auditor.harvest.layout import place
from auditor.model import AssetRecord, Evidence, Problem
from auditor.naming import asset_key

INVENTORIED_AS = "hf-cache-ref"  # the inventory's name for a ref file: it describes no asset, so no reader format
REF_BYTES = 128  # a sha is 40 characters; git and huggingface_hub write nothing else
_SHA = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class Ref:
    cache: str  # the cache folder, relative to the audit root: [...]/models--org--name
    branch: str  # as the file is named under refs/: main, pr/1
    revision: str  # the commit sha it names, lowercase


def read(path: Path, rel: str, cache: str, branch: str) -> tuple[Ref | None, list[Problem]]:
    """The ref the file `rel` (the branch `branch` of the cache folder `cache`) holds, or the problem
    that keeps it from being used."""
    owner = _owner(cache)
    try:
        with open(path, "rb") as fh:
            data = fh.read(REF_BYTES + 1)
    except OSError as exc:
        return None, [Problem("unreadable", f"cannot read file: {exc.strerror}", Evidence(rel, ""), owner)]
    text = data.decode("ascii", "replace").strip()
    if len(data) <= REF_BYTES and _SHA.fullmatch(text.lower()):
        return Ref(cache, branch, text.lower()), []
    found = f"more than {REF_BYTES} bytes" if len(data) > REF_BYTES else repr(text[:48]) if text else "nothing"
    message = (
        f"refs/{branch} should hold the 40-hex commit sha of a revision, found {found}; which revision the"
        f" branch names is unknown (so is the newest, for refs/main), so the ref is not read"
    )
    return None, [Problem("malformed", message, Evidence(rel, ""), owner)]


def attach(records: list[AssetRecord], refs: list[Ref]) -> list[Problem]:
    """Give each record read from a cache's snapshot folder the branches that name its revision; a
    ref naming a revision of which the cache gave no record is reported, since it is not used (a
    cache whose newest snapshot was deleted, or fetched without a card or manifest)."""
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ref in refs:
        named[(ref.cache, ref.revision)].add(ref.branch)
    used: set[tuple[str, str]] = set()
    for record in records:
        if record.revision is None:
            continue
        cut = record.source.find(f"/snapshots/{record.revision}/")
        key = (record.source[:cut], record.revision.lower())
        if cut > 0 and key in named:
            record.branches = sorted(named[key])
            used.add(key)
    unused = [ref for ref in refs if (ref.cache, ref.revision) not in used]
    return [_unread(ref) for ref in sorted(unused, key=lambda r: (r.cache, r.branch))]


def _unread(ref: Ref) -> Problem:
    then = "the newest revision read stands for the newest" if ref.branch == "main" else "the branch names none"
    message = (
        f"refs/{ref.branch} names the revision {ref.revision}, but no manifest of that revision was read from"
        f" this cache (no snapshot folder of it, or one without a card or manifest); it is not used, so {then}"
    )
    return Problem("invalid", message, Evidence(f"{ref.cache}/refs/{ref.branch}", ""), _owner(ref.cache))


def _owner(cache: str) -> str:
    """The key of the asset a cache folder holds."""
    placement = place(cache, "")
    return asset_key(placement.kind or "model", placement.asset_id or cache)
