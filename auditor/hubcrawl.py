"""Harvest from the Hugging Face Hub: a model's or dataset's card and small metadata files at a pinned
commit, with its upstream followed to a depth limit, written as a release folder to audit offline.

An audit needs the cards and configs along the lineage, never the weights, and it needs to know which
commit each came from. Each asset is written in the Hub cache layout (auditor/harvest/layout.py),
`models--org--name/snapshots/<sha>/README.md`, so the harvester reads the pin as the record's revision.
`crawl.json` logs what was fetched, at which commit, from which endpoint, and what failed and why; an
upstream that could not be fetched is left unresolved for the audit to report.

Upstream is what the harvester itself reads from the fetched files (base_model, datasets,
source_datasets, adapter_config.json's base_model_name_or_path), so the crawl follows exactly the
lineage the audit will see. Every answer is untrusted: bodies are streamed and cut off at MAX_BYTES,
JSON goes through safejson, and ids and shas are checked before they name a folder. The crawl talks
only to HF_ENDPOINT (default https://huggingface.co), follows redirects only on its host, sends a
token only when HF_TOKEN is set, makes no retries, and gives up at once (HubError) when the endpoint
cannot be reached.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from auditor import __version__, writing
from auditor.harvest import modelfolder
from auditor.harvest.hfcard import read_card
from auditor.harvest.layout import Context, place
from auditor.identity import hub_repo, looks_like_hub_id
from auditor.model import Reference
from auditor.readers import safejson
from auditor.readers.values import shorten

DEFAULT_ENDPOINT = "https://huggingface.co"
# Fetched when the repository holds them, in this order (adapter_config.json first: it may pin its base),
# then its top-level license, notice and use-policy files (LICENSE-MODEL, USE_POLICY.md, ...), at most
# MAX_TERMS_FILES of them: whether the release ships them is an obligation's status.
FILES = ("adapter_config.json", "README.md", "config.json", "generation_config.json")
MAX_TERMS_FILES = 8
FOLLOWED = frozenset({"finetune", "adapter", "quantized", "merge", "trained_on", "derived_from"})
MAX_BYTES = 5 * 1024 * 1024  # per answer, API or file; the harvester reads no larger manifest
MAX_REDIRECTS = 5  # a renamed repository redirects once; more is a loop
CONNECT_TIMEOUT, READ_TIMEOUT, DEADLINE = 5.0, 15.0, 60.0  # seconds; DEADLINE bounds one whole answer
LOG_FILE = "crawl.json"
HUB_EXTRA = "harvesting from the Hub needs huggingface_hub: pip install 'mlaudit[hub]'"

_SHA = re.compile(r"^[0-9a-f]{40}$")
_TRUE = {"1", "on", "yes", "true"}


class HubError(Exception):
    """The crawl cannot go on; `usage` tells a wrong command or setup from an unreachable Hub."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


class _Failed(Exception):
    """One request got no usable answer; the crawl logs why and goes on."""


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
        return f"datasets/{self.repo_id}" if self.kind == "dataset" else self.repo_id

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


def crawl(source: str, out: Path, revision: str = "main", depth: int = 3, max_assets: int = 50) -> dict:
    """Fetch `source` at `revision` and its upstream up to `depth` links away into `out`; returns the log."""
    kind, repo_id = parse_source(source)
    if depth < 0 or max_assets < 1:
        raise HubError("--depth must be 0 or more and --max-assets 1 or more", usage=True)
    if out.exists() and not out.is_dir():
        raise HubError(f"{out}: exists and is not a folder", usage=True)
    hub = _Hub()
    root = Asset(kind, repo_id, 0, revision)
    log = {
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


def summary(log: dict, out: Path) -> str:
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
    """Breadth-first over the lineage; each asset fetched once, at the first revision asked for."""

    def __init__(self, hub: _Hub, out: Path, depth: int, max_assets: int, entries: list):
        self.hub, self.out, self.depth, self.max_assets, self.entries = hub, out, depth, max_assets, entries

    def run(self, root: Asset) -> None:
        queue, seen, visited = deque([root]), {(root.kind, root.repo_id)}, 0
        while queue:
            asset = queue.popleft()
            if visited >= self.max_assets:
                self._skip(asset, f"over the limit of {self.max_assets} assets (--max-assets)")
                continue
            visited += 1
            for upstream in self._visit(asset, is_root=asset is root):
                if (upstream.kind, upstream.repo_id) in seen:
                    continue
                seen.add((upstream.kind, upstream.repo_id))
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
            info = self.hub.info(asset)
        except _Failed as exc:
            return self._unresolved(entry, str(exc), is_root)
        entry.update(sha=info["sha"], gated=info["gated"], files={})
        folder = self.out / asset.cache_folder / "snapshots" / info["sha"]
        upstream, written = [], 0
        terms_files = sorted(f for f in info["files"] if "/" not in f and modelfolder.is_terms_file(f))
        for name in [f for f in FILES if f in info["files"]] + terms_files[:MAX_TERMS_FILES]:
            try:
                body = self.hub.file(asset, info["sha"], name)
            except _Failed as exc:
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
        entry.update(status="fetched", folder=folder.relative_to(self.out).as_posix())
        return upstream

    def _unresolved(self, entry: dict, reason: str, is_root: bool) -> list:
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
        elif path.name in modelfolder.CONFIGS:
            references = [r for record in modelfolder.read(path, Context(rel, placement))[0] for r in record.references]
        else:
            return []
        return [self._linked(r, asset) for r in references if r.relation in FOLLOWED]

    @staticmethod
    def _linked(reference: Reference, child: Asset) -> Asset:
        kind, target = hub_repo(reference.target) or (reference.kind, reference.target)
        return Asset(kind, target, child.depth + 1, reference.revision, child.name, reference.relation)


def _entry(asset: Asset) -> dict:
    return {
        "asset": asset.name,
        "kind": asset.kind,
        "depth": asset.depth,
        "via": asset.via,
        "relation": asset.relation,
        "requested_revision": asset.revision or "default branch",
    }


class _Hub:
    """HTTP to the Hub through huggingface_hub's session and headers, with bounded answers."""

    def __init__(self):
        try:
            import httpx2
            from huggingface_hub import __version__ as hub_version
            from huggingface_hub import get_session, hf_hub_url
        except ImportError:
            raise HubError(HUB_EXTRA, usage=True) from None
        self.endpoint = os.environ.get("HF_ENDPOINT", DEFAULT_ENDPOINT).rstrip("/")
        offline = [v for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE") if os.environ.get(v, "").lower() in _TRUE]
        if offline:
            raise HubError(
                f"{offline[0]} is set: harvesting from the Hub needs {self.endpoint}; unset it, "
                "or audit a folder already on disk"
            )
        self.token = os.environ.get("HF_TOKEN") or None
        # Built here rather than by build_hf_headers, which reads stored tokens and fetches a registry
        # of agent harnesses from the default endpoint; identity encoding: no decompression bombs.
        self.headers = {"User-Agent": f"mlaudit/{__version__}; hf_hub/{hub_version}", "Accept-Encoding": "identity"}
        if self.token:
            self.headers["Authorization"] = f"Bearer {self.token}"
        self.session, self.url, self.httpx = get_session(), hf_hub_url, httpx2
        self.host = httpx2.URL(self.endpoint)

    def info(self, asset: Asset) -> dict:
        """sha, gated and file names of `asset` at its revision (the default branch when None)."""
        url = f"{self.endpoint}/api/{asset.kind}s/{asset.repo_id}"
        if asset.revision is not None:
            url += f"/revision/{quote(asset.revision, safe='')}"
        try:
            data = safejson.loads(self._get(url))
        except safejson.JSONRefused as exc:
            raise _Failed(f"the API answer is not JSON mlaudit reads: {exc}") from None
        return _checked_info(data)

    def file(self, asset: Asset, sha: str, name: str) -> bytes:
        return self._get(self.url(asset.repo_id, name, repo_type=asset.kind, revision=sha, endpoint=self.endpoint))

    def _get(self, url: str) -> bytes:
        """The body of a 200 answer, at most MAX_BYTES, within DEADLINE from the first connect to the
        last byte; _Failed otherwise. The HTTP library's timeouts bound each read, not a server that
        drips its headers a byte at a time, so the request runs in a daemon thread the crawl stops
        waiting for at the deadline."""
        outcome: dict = {}
        worker = threading.Thread(target=self._fetch, args=(url, outcome), daemon=True)
        worker.start()
        worker.join(DEADLINE)
        if worker.is_alive():
            raise _Failed(f"the answer took over {DEADLINE:.0f} s, connecting and headers included; not saved")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["body"]

    def _fetch(self, url: str, outcome: dict) -> None:
        try:
            outcome["body"] = self._request(url)
        except (_Failed, HubError) as exc:
            outcome["error"] = exc

    def _request(self, url: str) -> bytes:
        """Redirects are followed by hand, at most MAX_REDIRECTS and only on HF_ENDPOINT's host."""
        timeout = self.httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
        started = time.monotonic()
        try:
            for _ in range(MAX_REDIRECTS + 1):
                with self.session.stream(
                    "GET", url, headers=self.headers, timeout=timeout, follow_redirects=False
                ) as response:
                    if response.is_redirect:
                        url = self._redirect(response)
                        continue
                    return self._body(response, started)
            raise _Failed(f"redirected more than {MAX_REDIRECTS} times (a redirect loop); not saved")
        except self.httpx.DecodingError as exc:
            raise _Failed(f"the answer cannot be decoded ({exc}); not saved") from None
        except (self.httpx.TransportError, OSError) as exc:
            raise HubError(
                f"cannot reach the Hub at {self.endpoint}, or it stopped answering "
                f"({type(exc).__name__}: {exc}); check the network connection or HF_ENDPOINT"
            ) from None

    def _redirect(self, response) -> str:
        """Where a redirect leads, when that is HF_ENDPOINT's own host (a renamed repository)."""
        target = response.next_request.url if response.next_request else None
        if target is None or (target.scheme, target.netloc) != (self.host.scheme, self.host.netloc):
            where = shorten(str(target) if target else response.headers.get("location", ""))
            raise _Failed(f"redirected to {where!r}, not on {self.endpoint}; not followed")
        return str(target)

    def _body(self, response, started: float) -> bytes:
        if response.status_code != 200:
            raise _Failed(_refusal(response.status_code, response.headers))
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BYTES:
            raise _Failed(_too_large(int(declared)))
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > MAX_BYTES:
                raise _Failed(_too_large(None))
            if time.monotonic() - started > DEADLINE:
                raise _Failed(f"the answer took over {DEADLINE:.0f} s; not saved")
        return bytes(body)


def _checked_info(data) -> dict:
    """The parts of a repository-info answer the crawl uses, checked: they name folders."""
    if not isinstance(data, dict):
        raise _Failed(f"the API answer should be a JSON object, found {type(data).__name__}")
    sha = data.get("sha")
    if not isinstance(sha, str) or not _SHA.match(sha):
        raise _Failed(f"the API answer gives no commit sha (40 hex digits), found {shorten(sha)!r}")
    siblings = data.get("siblings")
    if not isinstance(siblings, list):
        raise _Failed("the API answer has no 'siblings' list of files")
    files = {s.get("rfilename") for s in siblings if isinstance(s, dict)}
    gated = data.get("gated", False)
    return {"sha": sha, "files": files, "gated": gated if isinstance(gated, (bool, str)) else None}


def _refusal(status: int, headers) -> str:
    """Why the Hub said no, from its status and X-Error-Code (401 also stands for missing or private)."""
    code = headers.get("x-error-code", "")
    explained = {
        "GatedRepo": "gated: access must be requested on the Hub (set HF_TOKEN to a token that has it)",
        "RepoNotFound": "repository not found (or private, or gated and not accessible without a token)",
        "RevisionNotFound": "revision not found",
        "EntryNotFound": "file not found",
    }.get(code) or {
        401: "not accessible without a token: missing, private or gated",
        403: "access refused",
        404: "not found",
    }.get(status, "the Hub answered with an error")
    message = headers.get("x-error-message", "")
    detail = f"HTTP {status}" + (f" {code}" if code else "") + (f": {shorten(message)}" if message else "")
    return f"{explained} ({detail})"


def _too_large(size: int | None) -> str:
    what = f"{size / 1048576:.1f} MB" if size is not None else "larger"
    return f"the answer is {what}, over the {MAX_BYTES // 1048576} MB limit; not saved"


def _write_config(out: Path, asset: str) -> None:
    """mlaudit.toml naming the crawled asset as the release, unless the folder already has one."""
    config = out / "mlaudit.toml"
    if not config.exists():
        writing.write_file(config, f'[release]\nasset = "{asset}"\n')
