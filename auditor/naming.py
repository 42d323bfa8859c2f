"""Naming: how an asset is keyed inside the audit and how reports and users name it.

Inside the audit an asset is keyed `kind:id` (lowercase: Hub ids compare case-insensitively, and
models and datasets are separate namespaces). Reports name it by its Hub id, datasets prefixed as
in Hub URLs (`datasets/org/x`); settings, lineage entries and review files name it the same way,
so `split_id` and `find` turn such a name back into a key.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from auditor.identity import hub_ref, looks_like_hub_id
from auditor.model import KINDS, Asset, AssetGraph


def asset_key(kind: str, asset_id: str) -> str:
    """Identity of an asset: Hub ids are case-insensitive, models and datasets separate namespaces."""
    return f"{kind}:{asset_id.lower()}"


def display_id(key: str, graph: AssetGraph) -> str:
    """How reports name the asset of a key."""
    asset = graph.assets[key]
    return display_name(asset.kind, asset.id)


def display_name(kind: str, asset_id: str) -> str:
    """How reports name an asset: its Hub id, datasets prefixed as in Hub URLs."""
    return f"datasets/{asset_id}" if kind == "dataset" else asset_id


def organisation(asset: Asset) -> str:
    """The Hub organisation that publishes an asset: the owner of the `org/name` Hub id its manifests
    give it, also when the graph told two assets of one name apart by their files ("" for a name that
    is no such id, such as an SBOM package's, or names a package of another ecosystem)."""
    if asset.elsewhere:  # a Maven group (pkg:maven/acme/x) is no Hub organisation
        return ""
    named = asset.records[0].id if asset.records else asset.id
    owner, slash, _ = named.partition("/")
    return owner if slash and looks_like_hub_id(named) else ""


def split_id(name: str) -> tuple[str, str]:
    """`datasets/org/x` -> (dataset, org/x); `models/org/x` and `org/x` -> (model, org/x); a Hub URL
    (`https://huggingface.co/datasets/org/x`) -> the repository it names, as a user may paste one."""
    ref = hub_ref(name) if "://" in name else None
    if ref is not None:
        return ref[0], ref[1]
    for prefix, kind in (("datasets/", "dataset"), ("models/", "model")):
        if name.startswith(prefix):
            return kind, name[len(prefix) :]
    return "model", name


def find(assets: dict[str, Asset], name: str) -> str | None:
    """The key of a described asset named as reports name it; an unprefixed id may be of any kind
    (a model, a `code` asset of an SBOM, or a dataset named without its `datasets/`)."""
    kind, asset_id = split_id(name)
    kinds = [kind] if name.startswith(("datasets/", "models/")) or "://" in name else KINDS
    return next((k for k in (asset_key(c, asset_id) for c in kinds) if k in assets and assets[k].resolved), None)


def closest(name: str, names: Iterable[str]) -> str:
    """The `names` nearest a mistyped one, as a hint to append to the message refusing it."""
    folded = {n.lower(): n for n in names}
    close = difflib.get_close_matches(name.lower(), folded, n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(folded[c]) for c in close)}?" if close else ""
