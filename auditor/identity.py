"""Identity: the names under which manifests refer to one asset, normalised for matching.

A Hub id, a package URL (pkg:huggingface/org/name@rev), a Hub URL (https://huggingface.co/...),
a DOI, a sameAs link or a file checksum can all name the same asset; `keys` turns each into a
comparable key and `hub_id` recovers the Hub id hidden in a purl or URL. How the Hub names a
repository (ids, URLs, purls and their revisions) is parsed here only; readers ask with the
question they have: `hub_id` (any identifier), `hub_repo` (a link to a repository's page),
`hub_ref` (a link that may point into a revision), `pinned` (a name with its revision, as
`org/name@rev` or a link into a revision), `model_named` (what a config's model field names: an id,
a Hub URL or a path into the Hub cache), `purl_version`, `looks_like_hub_id`.

A URL (repository, homepage, download, sameAs page) says where an asset is found, and one place can
hold several assets: the language subsets of one repository, the members of one archive. It names
one asset only together with the asset's name (`located`); the other keys name one asset on their own.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote, urlsplit

from auditor.vocabulary import Scheme

_HUB_HOSTS = ("huggingface.co", "hf.co")  # with or without www.
VCS = frozenset({"git", "hg", "svn", "bzr"})  # version control tools, as SPDX 2.3 7.7 names download locations
Key = tuple[str, ...]  # an identity key: its scheme first, then the normalised parts that must match
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")
_HUB_REPO_URL = re.compile(
    r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/(datasets/)?([\w.-]+/[\w.-]+)/?(?:[?#].*|/.*)?$", re.I
)
_NOT_REPOS = ("spaces/", "docs/", "blog/", "api/", "models/", "papers/")
# First path segments of Hub pages that are not a repository, and pages inside a repository.
_HUB_RESERVED = frozenset(
    {
        "docs",
        "blog",
        "api",
        "models",
        "spaces",
        "papers",
        "collections",
        "organizations",
        "settings",
        "join",
        "login",
        "pricing",
        "tasks",
        "learn",
        "posts",
        "chat",
        "search",
    }
)
_HUB_PAGES = frozenset({"tree", "blob", "resolve", "commit", "commits", "raw", "viewer", "discussions", "edit"})
_REVISION = re.compile(r"^[\w.-]{1,100}$")  # a branch, tag or commit named after `@`
# A local path into the Hub cache (`.../models--org--name/snapshots/<rev>`), as PEFT and mergekit
# write the model they loaded from the cache: the folder names the repository, the snapshot its revision.
_CACHED = re.compile(r"(?:^|[/\\])models--([\w.-]+?)(?:[/\\]snapshots[/\\]([\w.-]+))?[/\\]*$")
MAX_PATH = 1000  # characters of a model path read for the Hub cache layout: real ones are a few dozen
_PURL = re.compile(r"^pkg:(?P<type>[a-z0-9.+-]+)/(?P<path>[^@?#]+)(?:@(?P<version>[^?#]+))?", re.I)


def hub_id(scheme: str, value: str, kind: str = "model") -> tuple[str, str] | None:
    """(kind, Hub id) named by a purl or URL, or None."""
    if scheme == Scheme.HUB:
        return kind, value
    if scheme == Scheme.PURL:
        m = _PURL.match(value.strip())
        if m and m.group("type").lower() == "huggingface":
            parts = [unquote(p) for p in m.group("path").split("/") if p]
            if parts and parts[0] in ("datasets", "models") and len(parts) > 1:
                return ("dataset" if parts[0] == "datasets" else "model"), "/".join(parts[1:3])
            return kind, "/".join(parts[:2])
    if scheme == Scheme.URL:
        url = split_url(_schemed(value))
        if url is not None and _on_hub(url.hostname):
            parts = [p for p in url.path.split("/") if p]
            if parts and parts[0] in ("datasets", "spaces"):
                return ("dataset", "/".join(parts[1:3])) if parts[0] == "datasets" and len(parts) > 1 else None
            if parts and parts[0] not in ("docs", "blog", "api", "models"):
                return "model", "/".join(parts[:2])
    return None


def hub_repo(url: str) -> tuple[str, str] | None:
    """(kind, Hub id) of a link to a repository's page (owner and name both given), else None."""
    match = _HUB_REPO_URL.match(_schemed(url))
    if not match or (match.group(1) is None and match.group(2).lower().startswith(_NOT_REPOS)):
        return None
    return ("dataset" if match.group(1) else "model"), match.group(2)


def hub_ref(url: str) -> tuple[str, str, str | None] | None:
    """(kind, Hub id, revision) of a Hugging Face Hub URL, or None; model ids need an owner."""
    try:
        parts = urlsplit(_schemed(url))
    except ValueError:
        return None
    if not _on_hub(parts.hostname):
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    kind = "model"
    if segments and segments[0] == "datasets":
        kind, segments = "dataset", segments[1:]
    elif segments and segments[0] in _HUB_RESERVED:
        return None
    if len(segments) >= 2 and segments[1] not in _HUB_PAGES:
        hub, rest = "/".join(segments[:2]), segments[2:]
    elif segments and kind == "dataset":
        hub, rest = segments[0], segments[1:]
    else:
        return None
    revision = rest[1] if len(rest) >= 2 and rest[0] in ("tree", "blob", "resolve", "commit") else None
    return kind, hub, revision


def _on_hub(host: str | None) -> bool:
    return (host or "").lower().removeprefix("www.") in _HUB_HOSTS


def _schemed(url: str) -> str:
    """A Hub URL written without its scheme (`huggingface.co/org/name`, as cards often give it) with
    one, so that it names its repository as the URL does; any other text as it is (stripped)."""
    value = url.strip()
    return f"https://{value}" if "://" not in value and _on_hub(value.partition("/")[0]) else value


def pinned(name: str) -> tuple[str, str | None]:
    """A name of a Hub repository and the revision it pins: `org/name@rev` -> (`org/name`, `rev`),
    a link into a revision (`.../tree/rev`) -> (the link, `rev`); any other name -> (name, None)."""
    if "://" in _schemed(name):
        ref = hub_ref(name)
        return name, ref[2] if ref else None
    base, at, revision = name.strip().partition("@")
    if at and looks_like_hub_id(base) and _REVISION.match(revision):
        return base, revision
    return name, None


def model_named(value: str) -> tuple[str, str | None] | None:
    """(Hub id, pinned revision) of the model a config's model field names: a Hub id (`org/name@rev`
    pins a revision), a Hub URL, or a local path into the Hub cache (`models--org--name`, its
    `snapshots/<rev>`); None for another local path or URL, which names no repository."""
    target, revision = pinned(value)
    if "://" in _schemed(target):
        ref = hub_ref(target)
        return (ref[1], ref[2]) if ref and ref[0] == "model" else None
    if looks_like_hub_id(target):
        return target, revision
    cached = _CACHED.search(target[:MAX_PATH])
    hub = cached.group(1).replace("--", "/") if cached else ""
    return (hub, cached.group(2) if cached else None) if looks_like_hub_id(hub) else None


def purl_version(purl: str) -> str | None:
    """The version of a package URL (a Hub purl's revision) as written, or None."""
    match = _PURL.match(purl)
    return match.group("version") if match else None


def looks_like_hub_id(value: str) -> bool:
    """`name` or `owner/name` in the characters the Hub allows."""
    return bool(HUB_ID.match(value)) and ".." not in value


def keys(scheme: str, value: str, kind: str = "model") -> list[Key]:
    """Comparable keys for one identifier of an asset of `kind` (a purl or URL also yields its Hub
    id's key). A Hugging Face purl that names no namespace (`pkg:huggingface/org/x`) names a
    repository of the asset's own kind (a dataset's, else a model's: the Hub's default namespace),
    since models and datasets are separate namespaces on the Hub."""
    value = value.strip()
    found: list[Key] = []
    hub = hub_id(scheme, value, kind if kind == "dataset" else "model") if scheme in (Scheme.PURL, Scheme.URL) else None
    if scheme == Scheme.PURL:
        m = _PURL.match(value)
        if m and hub and m.group("type").lower() == "huggingface":
            found.append((Scheme.PURL, f"pkg:huggingface/{hub[0]}s/{hub[1].lower()}"))
        elif m:
            found.append((Scheme.PURL, f"pkg:{m.group('type').lower()}/{m.group('path').lower()}"))
    elif scheme == Scheme.URL:
        found.append((Scheme.URL, normalise_url(value)))
    elif scheme == Scheme.ELEMENT:
        found.append((Scheme.ELEMENT, element_id(value)))
    elif scheme in (Scheme.DOI, Scheme.SHA256):
        found.append((scheme, value.lower().removeprefix("https://doi.org/")))
    if hub:
        found.append((Scheme.HUB, hub[0], hub[1].lower()))
    return found


def located(key: Key, name: str) -> Key:
    """A URL key narrowed to the asset of that name found there; other keys as they are."""
    return key + (name_key(name),) if key[0] == Scheme.URL else key


def name_key(name: str) -> str:
    """What records sharing a URL must agree on: the name's last segment, case and punctuation aside
    (`acme/Loan_Applications` and `loan-applications` agree; `commitpackft-python` and `-java` do not)."""
    last = name.strip().rstrip("/").rpartition("/")[2]
    return re.sub(r"[\W_]+", "-", last.lower()).strip("-") or name.strip().lower()


def plain_id(value: str) -> str:
    """A URL is never an asset id: the Hub id a Hub URL names, or the place another URL names
    (host and path, as `normalise_url`); any other value as it is."""
    url = split_url(value) if "://" in value else None
    if url is None or not url.hostname:
        return value
    named = hub_id(Scheme.URL, value)
    return named[1] if named else normalise_url(value)


def normalise_url(url: str) -> str:
    """URLs compare without scheme, www., trailing slash, fragment or case of the host; a version
    control location keeps its fragment, the sub-path of the repository it names (SPDX 2.3 7.7:
    `git+https://host/repo.git#sub/path`), so two packages of one repository stay apart."""
    parts = split_url(url)
    if parts is None:
        return url.strip()
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    sub = f"#{parts.fragment}" if parts.fragment and parts.scheme.split("+", 1)[0].lower() in VCS else ""
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "") + sub


def element_id(iri: str) -> str:
    """An SPDX element's IRI as `normalise_url` has it, with its fragment: there the fragment is no
    place in a page but the element's id in its document (SPDX 2.3 §6.6 `DocumentRef-X:SPDXRef-Y`,
    SPDX 3 `spdxId`, a CycloneDX BOM-Link), so two elements of one document stay two. A URN is compared
    as written."""
    parts = split_url(iri)
    if parts is None or not parts.netloc:
        return iri.strip()
    return normalise_url(iri) + (f"#{parts.fragment}" if parts.fragment else "")


def split_url(url: str) -> SplitResult | None:
    """The parts of a URL, or None for text that only looks like one (e.g. 'http://[x')."""
    try:
        parts = urlsplit(url.strip())
        parts.hostname  # noqa: B018 - raises on a malformed host
        return parts
    except ValueError:
        return None
