"""Harvest from the Hugging Face Hub: a model's or dataset's card and small metadata files at a pinned
commit, with its upstream followed to a depth limit, written as a release folder to audit offline.

An audit needs the cards and configs along the lineage, never the weights, and it needs to know which
commit each came from. Each asset is written in the Hub cache layout (auditor/harvest/layout.py),
`models--org--name/snapshots/<sha>/README.md`, so the harvester reads the pin as the record's revision;
an asset fetched at the branch main (or the default branch) gets `refs/main` naming that sha, and one
fetched at another branch or tag `refs/<name>`, as huggingface_hub writes them, so that the audit
knows its newest revision and what a reference pinned to that name binds. An asset the lineage names
at several revisions (one reference pinned, another not) is fetched at each, so the audit sees its
versions.
`crawl.json` logs what was fetched, at which commit, from which endpoint, and what failed and why; an
upstream that could not be fetched is left unresolved for the audit to report.

Upstream is what the harvester itself reads from the fetched files (base_model, datasets,
source_datasets, adapter_config.json's base_model_name_or_path), so the crawl follows exactly the
lineage the audit will see; ids are checked before they name a folder. The requests and their bounds
are auditor/hubhttp.py's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from auditor import writing
from auditor.harvest import mergeconfig, modelfolder
from auditor.harvest.hfcard import read_card
from auditor.harvest.layout import Context, place
from auditor.hubhttp import Failed, Hub
from auditor.hubhttp import HubError as HubError  # the crawl's error, as the CLI knows it
from auditor.identity import hub_repo, looks_like_hub_id
from auditor.model import Reference
from auditor.naming import display_name
from auditor.readers.values import JSON
from auditor.versions import MAIN
from auditor.vocabulary import Scheme

# Fetched when the repository holds them, in this order (adapter_config.json first: it may pin its base),
# then its top-level license, notice and use-policy files (LICENSE-MODEL, USE_POLICY.md, ...), at most
# MAX_TERMS_FILES of them: whether the release ships them is an obligation's status.
FILES = (
    "adapter_config.json",
    "README.md",
    "config.json",
    "generation_config.json",
    *modelfolder.QUANT_FILES,  # a quantized copy's settings: its relation to its base
    mergeconfig.FILE,  # a merge's parents
)
MAX_TERMS_FILES = 8
FOLLOWED = frozenset({"finetune", "adapter", "quantized", "copy", "merge", "trained_on", "derived_from"})
LOG_FILE = "crawl.json"
# a branch or tag name written as refs/<name>: no path separator, never "." or "..", never a sha
_REF_NAME = re.compile(r"[A-Za-z0-9_][\w.-]{0,99}")
_SHA = re.compile(r"[0-9a-fA-F]{40}")


@dataclass(frozen=True)
class Asset:
    """A repository to fetch: its kind, Hub id, the revision asked for (None: default branch) and how it was met."""

    kind: str  # model | dataset
    repo_id: str
    depth: int
    revision: str | None = None
    via: str | None = None
    relation: str | None = None

    @property
    def name(self) -> str:
        """The asset as mlaudit names it: org/name, or datasets/org/name for a dataset."""
        return display_name(self.kind, self.repo_id)

    @property
    def cache_folder(self) -> str:
        return f"{self.kind}s--{self.repo_id.replace('/', '--')}"


def parse_source(source: str) -> tuple[str, str]:
    """(kind, Hub id) of hf://org/name (a model), hf://models/org/name or hf://datasets/org/name."""
    rest, kind = source.removeprefix("hf://").strip("/"), "model"
    for prefix, prefix_kind in (("datasets/", "dataset"), ("models/", "model")):
        if rest.startswith(prefix):
            rest, kind = rest[len(prefix) :], prefix_kind
    if not _valid_id(rest):
        raise HubError(
            f"{source!r} does not name a Hub repository: expected hf://org/name for a model "
            "or hf://datasets/org/name for a dataset",
            usage=True,
        )
    return kind, rest


def crawl(source: str, out: Path, revision: str = "main", depth: int = 3, max_assets: int = 50) -> dict[str, JSON]:
    """Fetch `source` at `revision` and its upstream up to `depth` links away into `out`; returns the log."""
    kind, repo_id = parse_source(source)
    if depth < 0 or max_assets < 1:
        raise HubError("--depth must be 0 or more and --max-assets 1 or more", usage=True)
    if out.exists() and not out.is_dir():
        raise HubError(f"{out}: exists and is not a folder", usage=True)
    hub = Hub()
    root = Asset(kind, repo_id, 0, revision)
    log: dict[str, JSON] = {
        "crawl": 1,
        "source": source,
        "endpoint": hub.endpoint,
        "requested_revision": revision,
        "depth": depth,
        "max_assets": max_assets,
        "token": "HF_TOKEN" if hub.token else "none",
        "crawled_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "assets": [],
    }
    try:
        _Crawler(hub, out, depth, max_assets, log["assets"]).run(root)
    except HubError as exc:
        log["aborted"] = str(exc)
        raise
    finally:
        if out.is_dir():
            writing.write_file(out / LOG_FILE, json.dumps(log, indent=2) + "\n")
    _write_config(out, root.name)
    return log


def summary(log: dict[str, JSON], out: Path) -> str:
    """A few lines for the terminal: the pin, the counts, and each upstream left unresolved."""
    entries = log["assets"]
    counts = {
        status: sum(e["status"] == status for e in entries) for status in ("fetched", "unresolved", "not-followed")
    }
    lines = [
        f"harvested {log['source']} at {entries[0]['sha']} into {out}: {counts['fetched']} assets fetched, "
        f"{counts['unresolved']} unresolved, {counts['not-followed']} not followed (see {out / LOG_FILE})"
    ]
    lines += [f"  {e['status']}: {e['asset']}: {e['reason']}" for e in entries if e["status"] != "fetched"]
    return "\n".join(lines)


def _valid_id(value: str) -> bool:
    """A Hub repository id safe to name a cache folder ('--' would not survive the layout's round trip)."""
    return looks_like_hub_id(value) and "--" not in value


class _Crawler:
    """Breadth-first over the lineage; each asset fetched once at each revision asked for (the same
    commit reached by two names, its files once)."""

    def __init__(self, hub: Hub, out: Path, depth: int, max_assets: int, entries: list[dict[str, JSON]]):
        self.hub, self.out, self.depth, self.max_assets, self.entries = hub, out, depth, max_assets, entries
        self.fetched: set[tuple[str, str, str]] = set()  # (kind, repo id, sha) whose files are written

    def run(self, root: Asset) -> None:
        queue, seen, visited = deque([root]), {(root.kind, root.repo_id, root.revision)}, 0
        while queue:
            asset = queue.popleft()
            if visited >= self.max_assets:
                self._skip(asset, f"over the limit of {self.max_assets} assets (--max-assets)")
                continue
            visited += 1
            for upstream in self._visit(asset, is_root=asset is root):
                if (upstream.kind, upstream.repo_id, upstream.revision) in seen:
                    continue
                seen.add((upstream.kind, upstream.repo_id, upstream.revision))
                if not _valid_id(upstream.repo_id):
                    self._skip(upstream, "not a Hub repository id")
                elif upstream.depth > self.depth:
                    self._skip(upstream, f"beyond --depth {self.depth}")
                else:
                    queue.append(upstream)

    def _skip(self, asset: Asset, reason: str) -> None:
        self.entries.append(_entry(asset) | {"status": "not-followed", "reason": reason})

    def _visit(self, asset: Asset, is_root: bool) -> list[Asset]:
        """Fetch one asset's info and files; returns the upstream its files name."""
        entry = _entry(asset)
        self.entries.append(entry)
        try:
            info = self.hub.info(asset.kind, asset.repo_id, asset.revision)
        except Failed as exc:
            return self._unresolved(entry, str(exc), is_root)
        entry.update(sha=info["sha"], gated=info["gated"], files={})
        folder = self.out / asset.cache_folder / "snapshots" / info["sha"]
        if (asset.kind, asset.repo_id, info["sha"]) in self.fetched:  # another name of a commit fetched
            self._ref(asset, info["sha"])
            note = "the commit fetched before under another name"
            entry.update(status="fetched", folder=folder.relative_to(self.out).as_posix(), note=note)
            return []
        upstream, written = [], 0
        terms_files = sorted(f for f in info["files"] if "/" not in f and modelfolder.is_terms_file(f))
        for name in [f for f in FILES if f in info["files"]] + terms_files[:MAX_TERMS_FILES]:
            try:
                body = self.hub.file(asset.kind, asset.repo_id, info["sha"], name)
            except Failed as exc:
                entry["files"][name] = str(exc)
                continue
            writing.write_file(folder / name, body)
            written += 1
            entry["files"][name] = f"fetched: {len(body)} bytes, sha256 {hashlib.sha256(body).hexdigest()}"
            upstream += self._upstream(folder / name, asset)
        if not written:
            reason = entry["files"].get("README.md") or next(
                iter(entry["files"].values()), "the repository holds none of the files mlaudit reads"
            )
            return self._unresolved(entry, reason, is_root)
        self.fetched.add((asset.kind, asset.repo_id, info["sha"]))
        self._ref(asset, info["sha"])
        entry.update(status="fetched", folder=folder.relative_to(self.out).as_posix())
        return upstream

    def _ref(self, asset: Asset, sha: str) -> None:
        """As huggingface_hub does, the cache's refs/<name> for an asset fetched at a branch or tag
        (refs/main for the default branch), naming the commit: which snapshot is the newest, and what
        a pin to the name binds. A commit sha asked for names itself; a name unsafe as a file, none."""
        name = asset.revision or MAIN
        if _REF_NAME.fullmatch(name) and not _SHA.fullmatch(name):
            writing.write_file(self.out / asset.cache_folder / "refs" / name, sha)

    def _unresolved(self, entry: dict[str, JSON], reason: str, is_root: bool) -> list[Asset]:
        entry.update(status="unresolved", reason=reason)
        if is_root:
            raise HubError(f"cannot harvest {entry['asset']} from {self.hub.endpoint}: {reason}")
        return []

    def _upstream(self, path: Path, asset: Asset) -> list[Asset]:
        """The upstream a fetched file names, read by the same readers the audit uses."""
        rel = path.relative_to(self.out).as_posix()
        placement = place(rel.rpartition("/")[0], "")
        if path.name == "README.md":
            references = read_card(path, rel, placement)[0].references
        elif path.name in (*modelfolder.CONFIGS, mergeconfig.FILE):
            references = [r for record in modelfolder.read(path, Context(rel, placement))[0] for r in record.references]
        else:
            return []
        followed = [r for r in references if r.relation in FOLLOWED and r.scheme != Scheme.NAME]  # no local path
        return [self._linked(r, asset) for r in followed]

    @staticmethod
    def _linked(reference: Reference, child: Asset) -> Asset:
        kind, target = hub_repo(reference.target) or (reference.kind, reference.target)
        return Asset(kind, target, child.depth + 1, reference.revision, child.name, reference.relation)


def _entry(asset: Asset) -> dict[str, JSON]:
    return {
        "asset": asset.name,
        "kind": asset.kind,
        "depth": asset.depth,
        "via": asset.via,
        "relation": asset.relation,
        "requested_revision": asset.revision or "default branch",
    }


def _write_config(out: Path, asset: str) -> None:
    """mlaudit.toml naming the crawled asset as the release, unless the folder already has one."""
    config = out / "mlaudit.toml"
    if not config.exists():
        writing.write_file(config, f'[release]\nasset = "{asset}"\n')
