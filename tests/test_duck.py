"""The embedded DuckDB's promises: no extension fetched, spills in a private folder removed with the
connection."""

import gc
import os
from pathlib import Path

from auditor import duck


def test_a_connection_spills_into_its_own_temporary_folder_never_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    con = duck.connect(memory_limit="64MB", threads=1, preserve_insertion_order=False)
    spill = Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])
    assert spill.is_absolute() and spill.name.startswith("mlaudit-duckdb-") and tmp_path not in spill.parents
    con.execute("CREATE TABLE t AS SELECT range AS i, repeat('x', 64) || range AS s FROM range(2000000)")
    assert os.listdir(spill)  # more than the memory allows: DuckDB spilled, here
    assert os.listdir(tmp_path) == []  # nothing written where the audit runs
    con.close()
    del con
    gc.collect()
    assert not spill.exists()


def test_a_connection_never_installs_or_loads_an_extension():
    con = duck.connect()
    settings = ("autoinstall_known_extensions", "autoload_known_extensions")
    assert [con.execute(f"SELECT current_setting('{s}')").fetchone()[0] for s in settings] == [False, False]
