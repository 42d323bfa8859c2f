"""What the format readers look at to recognise a file, and which unrecognised files are reported.

A reader recognises its format from the file's name and head (registry.Reader.detect). The head is
decoded per its byte order mark first, so a UTF-16 or UTF-32 manifest shows the same markers as a
UTF-8 one. JSON's key order is free, so a JSON object whose head names no format is offered again
as its top-level marker members alone, wherever they stand in the file; an XML, YAML or tag-value
file is offered again from its content on, past leading comments (prolog). A file still unrecognised
that is named like a manifest (bom.json, *.spdx.json, …) or holds a manifest format's own top-level
key is reported, never skipped in silence; any other file (tokenizer.json, a codemeta.json) is not.
A JSON object over MEMBERS_LIMIT is not parsed here: it is searched for an own key written as a key,
and reported with the bound when it holds one.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

from auditor.harvest import prolog
from auditor.harvest.prolog import Later
from auditor.readers.text import encoding_of

HEAD_BYTES = 4096
MEMBERS_LIMIT = 8 * 1024 * 1024  # a larger JSON file is recognised by its head and name only
MEMBER_BYTES = 4096  # a marker member's value longer than this is not offered (a croissant @context is 1-2 KB)
JSON_SUFFIXES = (".json", ".jsonld")
# Top-level keys the readers' detectors look for, whatever comes first in the file.
MARKERS = ("bomFormat", "specVersion", "spdxVersion", "SPDXID", "@context", "@type", "data_set_description")
# Keys only a manifest format has: a JSON object holding one is a manifest, read or reported.
OWN_KEYS = frozenset({"bomFormat", "spdxVersion", "SPDXID", "data_set_description"})
# Manifest file name conventions: bom.json, sbom.xml, x.cdx.json, x.spdx, x.spdx.rdf.xml, croissant.json.
_OWN_KEY = re.compile(rb'"(' + b"|".join(k.encode() for k in sorted(OWN_KEYS)) + rb')"\s*:')
_CHUNK = 1024 * 1024
_MANIFEST_NAME = re.compile(
    r"(?:^|[._-])(?:s?bom|cdx|cyclonedx|spdx3?|croissant)(?:\.(?:json|jsonld|xml|rdf|ya?ml|tag))*$", re.I
)


def head(path: Path) -> bytes:
    """The file's first HEAD_BYTES, in UTF-8 when a byte order mark names UTF-16 or UTF-32 (a code
    unit cut at the end is dropped); raw otherwise, as binary formats' magic numbers are matched."""
    with open(path, "rb") as fh:
        raw = fh.read(HEAD_BYTES)
    codec = encoding_of(raw)
    if codec.startswith("utf-8"):
        return raw
    return codecs.getincrementaldecoder(codec)("replace").decode(raw).encode("utf-8")


def members(path: Path, head: bytes) -> dict[str, object] | None:
    """The top-level marker members of a .json/.jsonld file whose head opens an object, None for
    any other file or one that is not JSON. Bounded: files up to MEMBERS_LIMIT, parsed in C."""
    if not path.name.lower().endswith(JSON_SUFFIXES) or not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return None
    try:
        if path.stat().st_size > MEMBERS_LIMIT:
            return _own_keys(path)
        value = json.loads(path.read_bytes().decode(encoding_of(head), "replace"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    return {k: value[k] for k in MARKERS if k in value and len(json.dumps(value[k])) <= MEMBER_BYTES}


def _own_keys(path: Path) -> dict[str, object]:
    """The own keys a JSON file too large to parse here writes as keys (anywhere, nested too), their
    values unknown: read in chunks overlapping by the longest key, so none is cut in two."""
    found: set[str] = set()
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            text, tail = tail + chunk, (tail + chunk)[-64:]
            found.update(m.group(1).decode() for m in _OWN_KEY.finditer(text))
    return dict.fromkeys(sorted(found))


def as_head(found: dict[str, object]) -> bytes:
    """Marker members as the head of a JSON file that starts with them."""
    return json.dumps(found, ensure_ascii=False).encode("utf-8", "replace")


def unrecognised(path: Path, found: dict[str, object] | None, later: Later | None = None) -> str | None:
    """Why a file no reader recognised must be reported (it looks like a manifest, or its content
    starts past the bound up to which its format is looked for), or None."""
    if later and later.cut:
        bound = f"its first {prolog.LIMIT // 1048576} MB, up to which its format is looked for"
        return f"has comments or a start tag running past {bound}: not read"
    own = sorted(OWN_KEYS & set(found or ()))
    if own and _too_large(path):
        bound = (
            f"over the {MEMBERS_LIMIT // 1048576} MB up to which a JSON file's format is looked for past its first 4 KB"
        )
        return f"holds '{own[0]}', a manifest's own key, and is {bound}: not read (name its format first)"
    if own:
        return f"holds '{own[0]}', a manifest's own key, but is no manifest of a format mlaudit reads"
    if named_like_manifest(path.name):
        return "is named like a manifest (SBOM, SPDX, CycloneDX or Croissant) but is none that mlaudit recognises"
    return None


def named_like_manifest(name: str) -> bool:
    """An SBOM, SPDX, CycloneDX or Croissant file by its name (bom.json, x.cdx.json, croissant.json)."""
    return bool(_MANIFEST_NAME.search(name))


def skipped(path: Path) -> str:
    """Why a file no reader recognised and none need report is skipped, as the inventory says."""
    if path.name.lower().endswith(JSON_SUFFIXES) and _too_large(path):
        return (
            f"no manifest format named in its first 4 KB, and over {MEMBERS_LIMIT // 1048576} MB: not examined further"
        )
    return "not a manifest format mlaudit reads"


def _too_large(path: Path) -> bool:
    try:
        return path.stat().st_size > MEMBERS_LIMIT
    except OSError:
        return False
