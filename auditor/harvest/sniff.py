"""What the format readers look at to recognise a file, and which unrecognised files are reported.

A reader recognises its format from the file's name and head (registry.Reader.detect). The head is
decoded per its byte order mark first, so a UTF-16 or UTF-32 manifest shows the same markers as a
UTF-8 one. JSON's key order is free, so a JSON object whose head names no format is offered again
as its top-level marker members alone, wherever they stand in the file. A file still unrecognised
that is named like a manifest (bom.json, *.spdx.json, …) or holds a manifest format's own top-level
key is reported, never skipped in silence; any other file (tokenizer.json, a codemeta.json) is not.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

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
            return None
        value = json.loads(path.read_bytes().decode(encoding_of(head), "replace"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    return {k: value[k] for k in MARKERS if k in value and len(json.dumps(value[k])) <= MEMBER_BYTES}


def as_head(found: dict[str, object]) -> bytes:
    """Marker members as the head of a JSON file that starts with them."""
    return json.dumps(found, ensure_ascii=False).encode("utf-8", "replace")


def unrecognised(path: Path, found: dict[str, object] | None) -> str | None:
    """Why a file no reader recognised must be reported (it looks like a manifest), or None."""
    own = sorted(OWN_KEYS & set(found or ()))
    if own:
        return f"holds '{own[0]}', a manifest's own key, but is no manifest of a format mlaudit reads"
    if _MANIFEST_NAME.search(path.name):
        return "is named like a manifest (SBOM, SPDX, CycloneDX or Croissant) but is none that mlaudit recognises"
    return None
