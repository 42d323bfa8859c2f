"""Asset identity from where a card sits, following the Hugging Face Hub's layouts.

<root>/<org>/<name>/README.md          -> org/name
<root>/<name>/README.md                -> name
<root>/models/<org>/<name>/README.md   -> model org/name (datasets/ likewise)
<root>/models--org--name/snapshots/<rev>/README.md  -> model org/name at revision rev
<root>/models--org--name/refs/<branch>  -> the revision the branch names (auditor/harvest/cacherefs.py)
A weight file anywhere below an asset's folder is that asset's (`enclosing`).

A reader is given the file's place (`Context`) and reports through the callbacks typed here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from auditor.model import Evidence
from auditor.naming import split_id

_CACHE = re.compile(r"^(models|datasets)--(.+)$")
_NAMESPACES = {"models": "model", "datasets": "dataset"}


@dataclass(frozen=True)
class Placement:
    asset_id: str | None  # None: the folder layout does not name an asset
    kind: str | None  # None: the card's own metadata decides
    revision: str | None = None
    reason: str = ""


def place(relative_dir: str, root_name: str) -> Placement:
    """Identity of the card in `relative_dir` (POSIX, relative to the audit root)."""
    parts = [p for p in PurePosixPath(relative_dir).parts if p not in ("", ".")]
    for i, part in enumerate(parts):
        cached = _CACHE.match(part)
        if cached:
            rest = parts[i + 1 :]
            revision = rest[1] if len(rest) >= 2 and rest[0] == "snapshots" else None
            if rest and not (rest[0] == "snapshots" and len(rest) == 2):
                return Placement(None, None, reason="inside a Hub cache folder but not a snapshot")
            return Placement(cached.group(2).replace("--", "/"), _NAMESPACES[cached.group(1)], revision)
    kind = None
    if parts and parts[0] in _NAMESPACES:
        kind = _NAMESPACES[parts[0]]
        parts = parts[1:]
        if not parts:
            return Placement(None, None, reason=f"the {kind}s/ folder itself is not an asset")
    if len(parts) > 2:
        return Placement(None, None, reason="nested more than <org>/<name> deep: not an asset card")
    if not parts:
        return _named(root_name) if kind is None else Placement(root_name, kind)
    return Placement("/".join(parts), kind)


def enclosing(relative_dir: str, root_name: str) -> Placement:
    """The asset whose folder holds `relative_dir` at any depth, the deepest first: a weight file in
    a sub-folder (diffusers' unet/ and vae/, a split GGUF quant's Q4_K_M/, Meta's original/) is
    part of that asset, though a card there would describe none."""
    parts = [p for p in PurePosixPath(relative_dir).parts if p not in ("", ".")]
    for end in range(len(parts), 1, -1):
        placement = place("/".join(parts[:end]), root_name)
        if placement.asset_id is not None:
            return placement
    return place(relative_dir, root_name)


def _named(root_name: str) -> Placement:
    """A card at the root describes the release as the settings name it: `datasets/org/x` (or a Hub
    URL) names its kind too, as everywhere else a user names an asset; a bare name leaves the kind
    to the card's metadata."""
    kind, asset_id = split_id(root_name)
    return Placement(asset_id, kind if asset_id != root_name else None)


def in_cache(path: str) -> bool:
    """Whether `path` (an audit root) lies inside a Hub cache folder (models--org--name), whose
    snapshots hold links into its blobs/ folder."""
    return any(_CACHE.match(part) for part in PurePosixPath(path.replace("\\", "/")).parts)


def ref_file(rel: str) -> tuple[str, str] | None:
    """(the cache folder, the branch) when the file `rel` (POSIX, relative to the audit root) is a
    ref of a Hub cache folder: models--org--name/refs/<branch>, a branch may hold slashes (pr/1)."""
    parts = rel.split("/")
    for i, part in enumerate(parts[:-2]):
        if _CACHE.match(part) and parts[i + 1] == "refs":
            return "/".join(parts[: i + 1]), "/".join(parts[i + 2 :])
    return None


@dataclass(frozen=True)
class Context:
    """What a reader knows besides the file: its path in the audit and the asset its folder names."""

    rel: str
    placement: Placement


Ev = Callable[[str], Evidence]  # the evidence of a field of the file being read, by its pointer
Report = Callable[[str, str, str], None]  # problem(code, message, pointer): one problem met reading the file
CardReport = Callable[..., None]  # problem(code, message, pointer="", line=None): one problem met in a card
