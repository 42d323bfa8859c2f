"""The lines of a JSON Lines table over the bound: found by their numbers and spans as a plain
split of the file finds them, whatever the lines' lengths against the scan's blocks, and blanked
in a copy that keeps every other byte and every line's number."""

from __future__ import annotations

from pathlib import Path

from conftest import within
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.harvest import longlines


def plain(data: bytes, bound: int) -> list[tuple[int, int, int]]:
    found, start = [], 0
    for number, line in enumerate(data.split(b"\n"), 1):
        if len(line) > bound:
            found.append((number, start, start + len(line)))
        start += len(line) + 1
    return found


LINES = st.lists(st.integers(0, 40), max_size=30)


@settings(max_examples=300, deadline=None)
@given(lengths=LINES, bound=st.integers(1, 12), final_newline=st.booleans())
def test_the_long_lines_found_are_those_a_plain_split_finds(lengths, bound, final_newline, tmp_path_factory):
    data = b"\n".join(b"x" * n for n in lengths) + (b"\n" if final_newline and lengths else b"")
    path = tmp_path_factory.mktemp("l") / "t.jsonl"
    path.write_bytes(data)
    spans = longlines.find(path, bound)
    assert spans == plain(data, bound)
    with longlines.blanked(path, spans) as copy:
        kept = copy.read_bytes()
    assert kept.count(b"\n") == data.count(b"\n")
    assert [line for line in kept.split(b"\n") if len(line) > bound] == []
    lines, blank = data.split(b"\n"), {n for n, _, _ in spans}
    assert kept.split(b"\n") == [b"" if n in blank else line for n, line in enumerate(lines, 1)]


def test_a_table_without_long_lines_is_read_as_it_is(tmp_path):
    path = Path(tmp_path, "t.jsonl")
    path.write_bytes(b'{"id": "a/b"}\n{"id": "c/d"}\n')
    assert longlines.find(path, 64) == []
    with longlines.blanked(path, []) as copy:
        assert copy == path


def test_the_scan_of_a_megabyte_line_is_bounded(tmp_path):
    """The worst case for a per-line scan, a million short lines, and one long line, each read at
    the speed of a block's C-level search."""
    path = Path(tmp_path, "t.jsonl")
    path.write_bytes(b"{}\n" * 1_000_000 + b"x" * 2_000_000 + b"\n{}\n")
    assert within(1.0, longlines.find, path, 1024 * 1024) == [(1_000_001, 3_000_000, 5_000_000)]
