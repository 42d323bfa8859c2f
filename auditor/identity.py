"""Identity: the names under which manifests refer to one asset, normalised for matching.

A Hub id, a package URL (pkg:huggingface/org/name@rev), a Hub URL (https://huggingface.co/...),
a DOI, a sameAs link or a file checksum can all name the same asset; `keys` turns each into a
comparable key and `hub_id` recovers the Hub id hidden in a purl or URL.

A URL (repository, homepage, download, sameAs page) says where an asset is found, and one place can
hold several assets: the language subsets of one repository, the members of one archive. It names
one asset only together with the asset's name (`located`); the other keys name one asset on their own.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from auditor.vocabulary import Scheme

_HUB_HOSTS = ("huggingface.co", "hf.co")
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
        url = split_url(value)
        if url is not None and url.hostname in _HUB_HOSTS:
            parts = [p for p in url.path.split("/") if p]
            if parts and parts[0] in ("datasets", "spaces"):
                return ("dataset", "/".join(parts[1:3])) if parts[0] == "datasets" and len(parts) > 1 else None
            if parts and parts[0] not in ("docs", "blog", "api", "models"):
                return "model", "/".join(parts[:2])
    return None


def keys(scheme: str, value: str) -> list[tuple]:
    """Comparable keys for one identifier (a purl or URL also yields its Hub id's key)."""
    value = value.strip()
    found: list[tuple[str, ...]] = []
    if scheme == Scheme.PURL:
        m = _PURL.match(value)
        if m:
            found.append((Scheme.PURL, f"pkg:{m.group('type').lower()}/{m.group('path').lower()}"))
    elif scheme == Scheme.URL:
        found.append((Scheme.URL, normalise_url(value)))
    elif scheme in (Scheme.DOI, Scheme.SHA256):
        found.append((scheme, value.lower().removeprefix("https://doi.org/")))
    hub = hub_id(scheme, value) if scheme in (Scheme.PURL, Scheme.URL) else None
    if hub:
        found.append((Scheme.HUB, hub[0], hub[1].lower()))
    return found


def located(key: tuple, name: str) -> tuple:
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
    """URLs compare without scheme, www., trailing slash, fragment or case of the host."""
    parts = split_url(url)
    if parts is None:
        return url.strip()
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def split_url(url: str):
    """The parts of a URL, or None for text that only looks like one (e.g. 'http://[x')."""
    try:
        parts = urlsplit(url.strip())
        parts.hostname  # noqa: B018 - raises on a malformed host
        return parts
    except ValueError:
        return None
