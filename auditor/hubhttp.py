"""HTTP to the Hugging Face Hub for the crawl: huggingface_hub's session, answers bounded in size and time.

Every answer is untrusted: bodies are streamed and cut off at MAX_BYTES, JSON goes through safejson,
and the sha an answer gives is checked before it names a folder. Only HF_ENDPOINT (default
https://huggingface.co) is asked, redirects are followed only on its host, a token is sent only when
HF_TOKEN is set, there are no retries, and an endpoint that cannot be reached stops the crawl at once
(HubError).
"""

from __future__ import annotations

import os
import re
import threading
import time
from typing import TYPE_CHECKING
from urllib.parse import quote

from auditor import __version__
from auditor.readers import safejson
from auditor.readers.values import JSON, shorten

if TYPE_CHECKING:
    import httpx2


DEFAULT_ENDPOINT = "https://huggingface.co"
MAX_BYTES = 5 * 1024 * 1024  # per answer, API or file; the harvester reads no larger manifest
MAX_REDIRECTS = 5  # a renamed repository redirects once; more is a loop
CONNECT_TIMEOUT, READ_TIMEOUT, DEADLINE = 5.0, 15.0, 60.0  # seconds; DEADLINE bounds one whole answer
HUB_EXTRA = "harvesting from the Hub needs huggingface_hub: pip install 'mlaudit[hub]'"
_SHA = re.compile(r"^[0-9a-f]{40}$")
_TRUE = {"1", "on", "yes", "true"}


class HubError(Exception):
    """The crawl cannot go on; `usage` tells a wrong command or setup from an unreachable Hub."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


class Failed(Exception):
    """One request got no usable answer; the crawl logs why and goes on."""


class Hub:
    """HTTP to the Hub through huggingface_hub's session and headers, with bounded answers."""

    def __init__(self) -> None:
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

    def info(self, kind: str, repo_id: str, revision: str | None) -> dict[str, JSON]:
        """sha, gated and file names of a repository at `revision` (the default branch when None)."""
        url = f"{self.endpoint}/api/{kind}s/{repo_id}"
        if revision is not None:
            url += f"/revision/{quote(revision, safe='')}"
        try:
            data = safejson.loads(self._get(url))
        except safejson.JSONRefused as exc:
            raise Failed(f"the API answer is not JSON mlaudit reads: {exc}") from None
        return _checked_info(data)

    def file(self, kind: str, repo_id: str, sha: str, name: str) -> bytes:
        return self._get(self.url(repo_id, name, repo_type=kind, revision=sha, endpoint=self.endpoint))

    def _get(self, url: str) -> bytes:
        """The body of a 200 answer, at most MAX_BYTES, within DEADLINE from the first connect to the
        last byte; Failed otherwise. The HTTP library's timeouts bound each read, not a server that
        drips its headers a byte at a time, so the request runs in a daemon thread the crawl stops
        waiting for at the deadline."""
        outcome: dict[str, bytes | Exception] = {}
        worker = threading.Thread(target=self._fetch, args=(url, outcome), daemon=True)
        worker.start()
        worker.join(DEADLINE)
        if worker.is_alive():
            raise Failed(f"the answer took over {DEADLINE:.0f} s, connecting and headers included; not saved")
        result = outcome["error"] if "error" in outcome else outcome["body"]
        if isinstance(result, Exception):
            raise result
        return result

    def _fetch(self, url: str, outcome: dict[str, bytes | Exception]) -> None:
        try:
            outcome["body"] = self._request(url)
        except (Failed, HubError) as exc:
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
            raise Failed(f"redirected more than {MAX_REDIRECTS} times (a redirect loop); not saved")
        except self.httpx.DecodingError as exc:
            raise Failed(f"the answer cannot be decoded ({exc}); not saved") from None
        except (self.httpx.TransportError, OSError) as exc:
            raise HubError(
                f"cannot reach the Hub at {self.endpoint}, or it stopped answering "
                f"({type(exc).__name__}: {exc}); check the network connection or HF_ENDPOINT"
            ) from None

    def _redirect(self, response: httpx2.Response) -> str:
        """Where a redirect leads, when that is HF_ENDPOINT's own host (a renamed repository)."""
        target = response.next_request.url if response.next_request else None
        if target is None or (target.scheme, target.netloc) != (self.host.scheme, self.host.netloc):
            where = shorten(str(target) if target else response.headers.get("location", ""))
            raise Failed(f"redirected to {where!r}, not on {self.endpoint}; not followed")
        return str(target)

    def _body(self, response: httpx2.Response, started: float) -> bytes:
        if response.status_code != 200:
            raise Failed(_refusal(response.status_code, response.headers))
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BYTES:
            raise Failed(_too_large(int(declared)))
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > MAX_BYTES:
                raise Failed(_too_large(None))
            if time.monotonic() - started > DEADLINE:
                raise Failed(f"the answer took over {DEADLINE:.0f} s; not saved")
        return bytes(body)


def _checked_info(data: JSON) -> dict[str, JSON]:
    """The parts of a repository-info answer the crawl uses, checked: they name folders."""
    if not isinstance(data, dict):
        raise Failed(f"the API answer should be a JSON object, found {type(data).__name__}")
    sha = data.get("sha")
    if not isinstance(sha, str) or not _SHA.match(sha):
        raise Failed(f"the API answer gives no commit sha (40 hex digits), found {shorten(sha)!r}")
    siblings = data.get("siblings")
    if not isinstance(siblings, list):
        raise Failed("the API answer has no 'siblings' list of files")
    files = {s.get("rfilename") for s in siblings if isinstance(s, dict)}
    gated = data.get("gated", False)
    return {"sha": sha, "files": files, "gated": gated if isinstance(gated, (bool, str)) else None}


def _refusal(status: int, headers: httpx2.Headers) -> str:
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
