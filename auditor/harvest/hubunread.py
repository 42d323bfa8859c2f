"""The rows of a table of Hub records that cannot be read, told (hubtable reads the others).

Without a focus (a lake, a whole table) each is an error (BAD_ROW, INP001). With one (the names of
a release's lineage, hubrows.lineage) a bad row fails the release only when it may be of that
lineage: its id is a name the lineage holds, or its id cannot be read (or is no Hub id) while a Hub
id the lineage names is described by no row of the tables nor by another manifest, which the row
may be. Any other bad row is told at its row as a warning (BAD_ROW_APART, INP002): a broken row
far from the release in a table of a million rows does not fail its gate.
"""

from __future__ import annotations

from auditor.harvest import hubrows
from auditor.identity import looks_like_hub_id
from auditor.model import BAD_ROW, BAD_ROW_APART, Evidence, Problem

MAX_BAD_ROWS = 100  # bad rows of a table told one by one; the rest are counted
APART = "it is not of the lineage audited, every name of which is described"


class Unread:
    """The bad rows of one table, told as they come; `elsewhere`: the lowercase ids other manifests
    describe."""

    def __init__(self, tables: hubrows.Tables, focus: frozenset[str] | None, elsewhere: frozenset[str]) -> None:
        self.tables, self.focus, self.elsewhere = tables, focus, elsewhere
        self.open: frozenset[str] | None = None  # the lineage's names nothing describes, asked once
        self.count, self.uncounted_of_lineage = 0, False

    def told(self, error: str, row_id: str | None, where: Evidence, key: str | None) -> list[Problem]:
        """The problem of a bad row (`row_id`: its id, None where it could not be read), the first
        MAX_BAD_ROWS of a table one by one (a table broken throughout is one broken file, not a
        million findings)."""
        self.count += 1
        of_lineage = self._may_be_of_lineage(row_id)
        if self.count > MAX_BAD_ROWS:
            self.uncounted_of_lineage |= of_lineage
            return []
        if of_lineage:
            return [Problem(BAD_ROW, f"{error}; the row is not read", where, key)]
        return [Problem(BAD_ROW_APART, f"{error}; the row is not read, and {APART}", where, key)]

    def more(self, rel: str) -> list[Problem]:
        """The rows past MAX_BAD_ROWS, counted: an error if one of them may be of the lineage."""
        if self.count <= MAX_BAD_ROWS:
            return []
        code = BAD_ROW if self.uncounted_of_lineage else BAD_ROW_APART
        more = f"{self.count - MAX_BAD_ROWS:,} more rows cannot be read (the first {MAX_BAD_ROWS} are told)"
        return [Problem(code, more, Evidence(rel, ""))]

    def _may_be_of_lineage(self, row_id: str | None) -> bool:
        if self.focus is None or (row_id and row_id.lower() in self.focus):
            return True
        if row_id and looks_like_hub_id(row_id):
            return False
        if self.open is None:
            self.open = _undescribed(self.tables, self.focus) - self.elsewhere
        return bool(self.open)


def _undescribed(tables: hubrows.Tables, names: frozenset[str]) -> frozenset[str]:
    """The Hub ids among `names` (lowercase) that no row of the tables holds, read or not."""
    held = " UNION ALL ".join(
        f"SELECT lid FROM t{i} WHERE lid IS NOT NULL" for i in range(len(tables.paths)) if i not in tables.failed
    )
    hub_ids = sorted(name for name in names if looks_like_hub_id(name))
    if not held:
        return frozenset(hub_ids)
    query = f"SELECT id FROM (SELECT unnest(?::VARCHAR[]) AS id) WHERE id NOT IN ({held})"
    return frozenset(r[0] for r in tables.con.execute(query, [hub_ids]).fetchall())
