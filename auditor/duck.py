"""mlaudit's embedded DuckDB, opened one way so that every use keeps the same promises: no
extension is fetched or loaded (no network during an audit; JSON and Parquet are built in), and
what DuckDB spills to disk goes to a private temporary folder removed with the connection, never
to the working directory, where an in-memory DuckDB spills by default (`.tmp`)."""

from __future__ import annotations

import shutil
import tempfile
import weakref
from typing import Any

from auditor.parsed import JSON, JSONObject


def connect(**config: Any) -> Any:
    """An in-memory DuckDB connection; `config` adds settings (threads, insertion order)."""
    import duckdb  # imported when asked for: most audits never use it

    spill = tempfile.mkdtemp(prefix="mlaudit-duckdb-")
    settings: dict[str, Any] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "temp_directory": spill,
    }
    connection = duckdb.connect(":memory:", config={**settings, **config})
    connection.execute("SET enable_progress_bar = false")  # raw escape sequences on the terminal, mid-output
    connection.execute("SET TimeZone = 'UTC'")  # a date without a zone reads alike on every machine
    weakref.finalize(connection, shutil.rmtree, spill, True)
    return connection


def rows(connection: Any, sql: str, *params: JSON) -> list[JSONObject]:
    """The rows a query gives, each a mapping of its column names to its values."""
    result = connection.execute(sql, list(params))
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
