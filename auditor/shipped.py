"""What the folders of the release and its upstream ship: the files the obligation checks rest on.

A release must carry the license texts and NOTICE texts its lineage requires. The model-folder
reader gives each file of a folder its role; here the license files are matched to the licenses
they hold or name, and NOTICE texts are compared (whitespace aside), so that the rules see only
facts.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from functools import cache
from itertools import islice

from auditor.harvest.licensetext import NAMED, reference_texts
from auditor.harvest.modelfolder import is_terms_file
from auditor.harvest.registry import IN_FOLDER
from auditor.license_reading import lookup
from auditor.licenses import KnowledgeBase
from auditor.model import DISTRIBUTABLE, Asset, AssetGraph, AssetRecord, Evidence

_LICENSE_NAME = re.compile(r"^(?:LICEN[CS]E|COPYING)[-_. ](.+?)(?:\.(?:md|txt))?$", re.I)
_PLAIN_LICENSE = re.compile(r"^(?:LICEN[CS]E|COPYING)(?:\.(?:md|txt|rst))?$", re.I)
_TOKEN = re.compile(r"[a-z0-9]+")
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
MAX_NAMES = 20  # URLs read from one file's text: bounds the lookups on hostile input
MAX_COPYRIGHTS = 20  # copyright lines kept from one file: a notice lists a few holders, not thousands
MAX_COPYRIGHT_CHARS = 300  # a longer "line" is prose or hostile input, not a notice
# A notice, not prose about copyright: "Copyright (c) …", "Copyright 2024 …", "© …", "(c) 2024 …", SPDX's tag
_COPYRIGHT = re.compile(
    r"^[ \t#*/;>-]*((?:copyright[ \t]*(?:\(c\)|©|(?:19|20)\d\d)|©|\(c\)[ \t]*(?:19|20)\d\d"
    r"|spdx-filecopyrighttext:).*)$",
    re.I | re.M,
)
# A template's blank for the holder or the year ("[yyyy] [name of copyright owner]", "<year> <copyright holders>")
_BLANK = re.compile(r"[\[<{][a-z ]{0,40}(?:year|yyyy|owner|holder|name|author)[a-z ]{0,40}[\]>}]", re.I)
# The files a dataset distributes: its data, as the Hub's dataset viewer and loaders take it.
DATA_FILES = (".jsonl", ".json", ".csv", ".tsv", ".parquet", ".arrow", ".txt", ".xml", ".zip", ".tar", ".gz", ".zst")
# Files of those extensions that are not data: those the loader ignores (huggingface/datasets,
# data_files.py FILES_TO_IGNORE), and the state `Dataset.save_to_disk` writes beside its Arrow files.
NOT_DATA = frozenset(
    ("readme.md", "config.json", "dataset_info.json", "dataset_infos.json", "dummy_data.zip", "dataset_dict.json")
    + ("state.json",)
)
# Texts about the dataset or its code, by their name before the first dot (README.txt, notes.txt).
ABOUT_DATA = frozenset(
    ("readme", "citation", "changelog", "changes", "notes", "authors", "contributors", "requirements")
)
NO_READER = "unknown"  # the inventory's format of a file no reader reads


def distributed(asset: Asset, data: dict[str, list[Evidence]]) -> list[Evidence]:
    """The files that show the folder holds what the asset distributes: its weights (read or not, at
    any depth of its folder), and for a dataset the data files (`data`, by the folder of their nearest
    card) in its own folders."""
    found = [Evidence(r.source, "") for r in asset.records if r.role in DISTRIBUTABLE]
    if asset.kind == "dataset":
        folders = sorted({posixpath.dirname(r.source) for r in asset.records if r.format in IN_FOLDER})
        found += [e for folder in folders for e in data.get(folder, ())]
    return found


def data_files(graph: AssetGraph) -> dict[str, list[Evidence]]:
    """The files no reader reads that a dataset would distribute, under the folder of the nearest
    card or model-folder file above them: the asset folder they belong to."""
    folders = {posixpath.dirname(r.source) for a in graph.assets.values() for r in a.records if r.format in IN_FOLDER}
    found: dict[str, list[Evidence]] = defaultdict(list)
    for entry in graph.harvest.inventory:
        if entry.format != NO_READER or not is_data(entry.file.rsplit("/", 1)[-1]):
            continue
        folder = posixpath.dirname(entry.file)
        while folder not in folders and folder:
            folder = posixpath.dirname(folder)
        if folder in folders:
            found[folder].append(Evidence(entry.file, ""))
    return found


def is_data(name: str) -> bool:
    """Whether a file no reader reads, by its name, is data a dataset distributes: not its metadata,
    its terms (a licence or NOTICE text the reader refused) or a text about it."""
    lower = name.lower()
    return (
        lower.endswith(DATA_FILES)
        and lower not in NOT_DATA
        and lower.split(".", 1)[0] not in ABOUT_DATA
        and not is_terms_file(name)
    )


def notices(asset: Asset) -> list[tuple[str, Evidence]]:
    """(text, where) of every NOTICE file of the asset's folder that holds text."""
    return [
        (r.text, Evidence(r.source, "text", 1))
        for r in asset.records
        if r.role == "notice" and r.text and r.text.strip()
    ]


def copyrights(asset: Asset) -> list[tuple[str, Evidence]]:
    """(line, where) of each copyright notice in the asset's license and NOTICE files: what the
    licenses that ask their licensees to keep the licensor's copyright notices (MIT, BSD, Apache-2.0
    Section 4(c), CC BY 4.0 Section 3(a)(1)(A)) ask a release to carry. A template's unfilled line
    ("Copyright [yyyy] [name of copyright owner]", Apache's appendix) names nobody, and a license
    document's own ("Copyright (C) 2007 Free Software Foundation", atop the GPL) is not the licensor's:
    both are left out. Past MAX_COPYRIGHTS lines of a file, a [review] entry says how many are not listed."""
    found: list[tuple[str, Evidence]] = []
    for record in (r for r in asset.records if r.role in ("license", "notice") and r.text):
        text = record.text or ""
        kept = [(line, m.start()) for m in _COPYRIGHT.finditer(text) if _notice(line := " ".join(m.group(1).split()))]
        for i, (line, start) in enumerate(kept[: MAX_COPYRIGHTS + 1]):
            where = Evidence(record.source, "text", text.count("\n", 0, start) + 1)
            found.append((line, where) if i < MAX_COPYRIGHTS else (_more(len(kept) - i, record.source), where))
    return found


def _more(count: int, source: str) -> str:
    return f"[review] {count} more copyright lines in {source} are not listed: copy them from it"


def _notice(line: str) -> bool:
    """Whether a copyright line is a holder's notice: bounded, no template's blank, no license's own."""
    return len(line) <= MAX_COPYRIGHT_CHARS and not _BLANK.search(line) and _words(line) not in _license_own()


@cache
def _license_own() -> frozenset[tuple[str, ...]]:
    """The words of the copyright lines of the reference license texts: the license documents' own."""
    texts = reference_texts().values()
    return frozenset(_words(match.group(1)) for text in texts for match in _COPYRIGHT.finditer(text))


def _words(line: str) -> tuple[str, ...]:
    """A copyright line's words, lowercased, without its URLs (the FSF's moved from http to https)."""
    return tuple(_TOKEN.findall(_URL.sub("", line.lower())))


def policies(asset: Asset) -> list[Evidence]:
    """The use policy files of the asset's folder that state anything: an empty one passes nothing on."""
    return [Evidence(r.source, "") for r in asset.records if r.role == "policy" and (r.text or "").strip()]


def suffixed(record: AssetRecord, kb: KnowledgeBase) -> bool:
    """A license file whose name adds to LICENSE or COPYING the name of the license its text holds
    (LICENSE-CC-BY-4.0, LICENSE-APACHE, COPYING.LESSER): often an upstream's license text the folder
    ships because that license asks for it (CC BY 4.0 s3(a)(1)(C)), so it declares the asset's license
    only where nothing else does. A suffix that names what the file licenses (LICENSE-MODEL,
    LICENSE-WEIGHTS) or another license declares, as a plain LICENSE does."""
    name = record.source.rsplit("/", 1)[-1]
    suffix = _LICENSE_NAME.match(name)
    if record.role != "license" or _PLAIN_LICENSE.match(name) or not suffix:
        return False
    return all(_names(suffix.group(1), s.raw or s.name or s.link, kb) for s in record.licenses)


def _names(suffix: str, raw: str | None, kb: KnowledgeBase) -> bool:
    """Whether a file name's suffix names the known license `raw` (an id, a name or a URL, as the file's
    text states it): as a manifest would, or by words of its id or name."""
    lic = lookup(raw, kb) if raw else None
    if lic is None:
        return False
    named = lookup(suffix, kb)
    return (named is not None and named.id == lic.id) or set(_TOKEN.findall(suffix.lower())) <= set(
        _TOKEN.findall(f"{lic.id} {lic.name}".lower())
    )


def licenses(asset: Asset, kb: KnowledgeBase) -> dict[str, list[Evidence]]:
    """License id -> the license files of the asset's folder that hold its text (identified by the
    text itself), or, for a license that accepts its URI for its text (CC BY 4.0 s3(a)(1)(C)), give
    that URI. A file naming a license by its file name or an SPDX-License-Identifier line gives no
    copy of it (MIT: "this permission notice shall be included"; Apache-2.0 s4(a): "a copy of this
    License"), nor does an empty one."""
    found: dict[str, list[Evidence]] = {}
    for record in (r for r in asset.records if r.role == "license"):
        held = [
            (lookup(s.raw, kb), s.evidence)
            for s in record.licenses
            if s.raw is not None and not s.evidence.pointer.startswith(NAMED)
        ]
        linked = [(lookup(url, kb), Evidence(record.source, f"links {url}", line)) for url, line in _urls(record)]
        for lic, evidence in held + [(lic, e) for lic, e in linked if lic and kb.linked_copy(lic.id)]:
            if lic is not None and evidence not in found.setdefault(lic.id, []):
                found[lic.id].append(evidence)
    return found


def _urls(record: AssetRecord) -> list[tuple[str, int]]:
    """The URLs of a license file's text, each with its line."""
    text = record.text or ""
    return [
        (match.group(0).rstrip(".,;"), text.count("\n", 0, match.start()) + 1)
        for match in islice(_URL.finditer(text), MAX_NAMES)
    ]


def repeats(own: list[tuple[str, Evidence]], upstream: list[tuple[str, Evidence]]) -> bool:
    """Whether the asset's NOTICE texts carry every upstream NOTICE text, whitespace aside."""
    carried = "\n".join(_flat(text) for text, _ in own)
    return bool(own) and all(_flat(text) in carried for text, _ in upstream)


def _flat(text: str) -> str:
    return " ".join(text.split())
