"""Category-level licence knowledge: every licence ScanCode LicenseDB lists, read by its category.

The hand-written entries of rules/licenses/ are read clause by clause; every other licence a manifest
may name is still known by its LicenseDB category (Permissive, Copyleft, Proprietary Free, ...), and
gets the terms rules/licenses/categories.yaml says the category implies. LicenseDB's index (each
licence's ScanCode key, SPDX id, other SPDX ids and category) ships inside license-expression, a
dependency already, so no network is needed and its version is the package's.

The index is 2,388 entries (its exceptions outside the SPDX list left out): it is read on the first
spelling the hand-written aliases do not know, and a licence's entry is built only when an audit meets it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata, resources
from pathlib import Path

from auditor.parsed import YAML
from auditor.readers import safeyaml

INDEX_PACKAGE = "license_expression"
INDEX_FILE = "data/scancode-licensedb-index.json"
LICENSEDB_PAGE = "https://scancode-licensedb.aboutcode.org/{key}.html"
_EXPRESSION = re.compile(r"[()]| (?:and|or|with) ")  # in an alias key: lower case, single spaces


@dataclass(frozen=True)
class Listed:
    """One licence of the index, under the id mlaudit gives it (its SPDX id, else a LicenseRef)."""

    id: str
    key: str  # its ScanCode key
    category: str


@dataclass(frozen=True)
class Category:
    """What a LicenseDB category implies (a row of rules/licenses/categories.yaml)."""

    name: str
    use: str
    terms: tuple[tuple[str, str], ...]  # (term, our summary of what the category implies)
    read: bool  # the grant cannot be read from the category: a person must read the licence
    copyleft_triggers: tuple[str, ...] = ()
    copyleft_basis: str | None = None
    copyleft_scope: str = "work"


class LicenseIndex:
    """LicenseDB's index and the category table, read on first use."""

    def __init__(self, table: Path):
        self._table = table

    @cached_property
    def categories(self) -> dict[str, Category]:
        data: YAML = safeyaml.load(self._table.read_text(encoding="utf-8"))
        return {name: _category(name, row) for name, row in data["categories"].items()}

    @cached_property
    def _rows(self) -> list[dict[str, YAML]]:
        rows: list[dict[str, YAML]] = json.loads(self._index_path().read_text(encoding="utf-8"))
        return [row for row in rows if not modifies_license(row)]

    @cached_property
    def listed(self) -> dict[str, Listed]:
        """Every licence of the index by its id, in the index's order."""
        found: dict[str, Listed] = {}
        for row in self._rows:
            if row["category"] not in self.categories:
                raise ValueError(f"{self._table.name} has no row for LicenseDB category {row['category']!r}")
            found[_id(row)] = Listed(_id(row), row["license_key"], row["category"])
        return found

    @cached_property
    def _spellings(self) -> dict[str, str]:
        """Lower-cased ids, ScanCode keys and other SPDX ids, each to its licence's id. An id names its own
        licence first: the ids are entered before any other spelling."""
        spellings = {lid.lower(): lid for lid in self.listed}
        for row in self._rows:
            for spelling in (row["license_key"], *row["other_spdx_license_keys"]):
                spellings.setdefault(spelling.lower(), _id(row))
        return spellings

    def resolve(self, key: str) -> str | None:
        """The id of the licence a spelling names (an alias key: lower case, trimmed), if listed. An
        expression is no spelling: its symbols are resolved one by one, so it never reads the index."""
        return None if _EXPRESSION.search(key) else self._spellings.get(key)

    @cached_property
    def version(self) -> str:
        """Which index: license-expression's version, and the LicenseDB commit and date it vendors."""
        about = safeyaml.load(self._index_path().with_name("license_key_index.json.ABOUT").read_text("utf-8"))
        commit = str(about.get("download_url", "")).split("/scancode-licensedb/")[-1].split("/")[0][:12]
        note = str(about.get("note", "")).removeprefix("Last updated on ")
        package = metadata.version("license-expression")
        return f"license-expression {package}, LicenseDB {commit} of {note}".strip()

    def _index_path(self) -> Path:
        return Path(str(resources.files(INDEX_PACKAGE).joinpath(INDEX_FILE)))


def modifies_license(row: dict[str, YAML]) -> bool:
    """A clause LicenseDB lists as an exception and the SPDX License List does not (the Commons
    Clause): it modifies the license it is attached to and may restrict it, so it is no license of
    its own to read by category. Named beside a license (AND) or alone, it stays unknown, as it is
    after WITH."""
    key = row["spdx_license_key"]
    return bool(row.get("is_exception")) and (not key or str(key).startswith("LicenseRef-"))


def _id(row: dict[str, YAML]) -> str:
    return str(row["spdx_license_key"] or f"LicenseRef-scancode-{row['license_key']}")


def _category(name: str, row: YAML) -> Category:
    terms = tuple((t["term"], " ".join(str(t["text"]).split())) for t in row.get("terms", []))
    basis = row.get("copyleft_basis")
    return Category(
        name,
        row["use"],
        terms,
        bool(row.get("read", False)),
        tuple(row.get("copyleft_triggers", ())),
        " ".join(str(basis).split()) if basis else None,
        row.get("copyleft_scope", "work"),
    )
