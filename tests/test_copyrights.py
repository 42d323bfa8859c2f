"""The copyright notices an attribution term asks a release to keep: read from the upstream's
license and NOTICE files, listed with their file and line, and printed in the NOTICE."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import card
from hypothesis import given
from hypothesis import strategies as st

from auditor import shipped
from auditor.harvest import licensetext
from auditor.harvest.licensetext import texts_dir
from auditor.model import Asset, AssetRecord
from auditor.report import notice

MIT_TEXT = (
    "MIT License\n\nCopyright (c) 2023 Example Labs Inc.\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and\n"
    'associated documentation files (the "Software"), to deal in the Software without restriction.\n\n'
    "The above copyright notice and this permission notice shall be included in all copies or\n"
    "substantial portions of the Software.\n"
)
APACHE_APPENDIX = "   Copyright [yyyy] [name of copyright owner]\n\n   Licensed under the Apache License\n"


def asset(*texts: tuple[str, str, str]) -> Asset:
    records = [
        AssetRecord("m", "model", f"m/{name}", text=text, format="text", role=role) for name, role, text in texts
    ]
    return Asset("m", "model", records)


def lines(a: Asset) -> list[tuple[str, str, int | None]]:
    return [(text, where.file, where.line) for text, where in shipped.copyrights(a)]


def test_the_notices_of_license_and_notice_files_are_read_with_their_line():
    a = asset(
        ("LICENSE", "license", MIT_TEXT),
        ("NOTICE", "notice", "Foo model\n# Copyright 2024 Foo GmbH\n © Bar Ltd\nSPDX-FileCopyrightText: 2022 Baz\n"),
        ("README.md", "card", "Copyright (c) 2020 Not A License File\n"),
    )
    assert lines(a) == [
        ("Copyright (c) 2023 Example Labs Inc.", "m/LICENSE", 3),
        ("Copyright 2024 Foo GmbH", "m/NOTICE", 2),
        ("© Bar Ltd", "m/NOTICE", 3),
        ("SPDX-FileCopyrightText: 2022 Baz", "m/NOTICE", 4),
    ]


def test_prose_about_copyright_and_a_templates_blank_lines_are_no_notices():
    prose = "copyright notice and this permission notice\n(c) You must retain all notices\nCOPYRIGHT AND/OR OTHER LAW\n"
    blank = "Copyright (C) <year>  <name of author>\nCopyright (c) [year] [fullname]\n" + APACHE_APPENDIX
    assert lines(asset(("LICENSE", "license", prose + blank))) == []
    kept = "Copyright (c) 2021 Ann <ann@name.example>\n"  # an address is no blank
    assert lines(asset(("LICENSE", "license", kept))) == [("Copyright (c) 2021 Ann <ann@name.example>", "m/LICENSE", 1)]


@given(st.text(alphabet="Copyright (c) ©2019\n #-*[]<>yearname", max_size=300))
def test_every_line_kept_is_a_bounded_notice_of_the_file(text):
    found = lines(asset(("LICENSE", "license", text)))
    assert len(found) <= shipped.MAX_COPYRIGHTS + 1
    for line, _, at in found[: shipped.MAX_COPYRIGHTS]:
        assert len(line) <= shipped.MAX_COPYRIGHT_CHARS and at is not None
        assert " ".join(text.split("\n")[at - 1].split()).endswith(line)


def test_a_license_documents_own_copyright_line_is_not_the_licensors():
    """GPL-3.0's "Copyright (C) 2007 Free Software Foundation" is the license text's, not the work's."""
    gpl = (texts_dir() / "GPL-3.0.txt").read_text(encoding="utf-8").replace("https://fsf.org/", "http://fsf.org/")
    assert "Free Software Foundation" in gpl.splitlines()[3]
    assert lines(asset(("COPYING", "license", gpl))) == []
    own = "Copyright (C) 2024 Acme Labs\n\n" + gpl
    assert lines(asset(("COPYING", "license", own))) == [("Copyright (C) 2024 Acme Labs", "m/COPYING", 1)]


def test_the_reference_texts_are_read_once_for_the_matcher_and_the_copyright_lines(monkeypatch):
    """The license-text matcher and the license documents' own copyright lines share one reading."""
    read: list[Path] = []
    real = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda path, *a, **k: read.append(path) or real(path, *a, **k))
    for cached in (licensetext.reference_texts, licensetext._references, shipped._license_own):
        cached.cache_clear()
    licensetext.identify(MIT_TEXT)
    assert lines(asset(("LICENSE", "license", MIT_TEXT)))
    texts = [path for path in read if path.is_relative_to(texts_dir())]
    assert texts and len(texts) == len(set(texts))


def test_the_lines_past_the_bound_are_counted_for_review():
    holders = "".join(f"Copyright (c) {2000 + i} Contributor {i}\n" for i in range(shipped.MAX_COPYRIGHTS + 5))
    found = lines(asset(("LICENSE", "license", holders), ("NOTICE", "notice", "Copyright 2024 Foo GmbH\n")))
    assert len(found) == shipped.MAX_COPYRIGHTS + 2
    assert found[shipped.MAX_COPYRIGHTS] == (
        "[review] 5 more copyright lines in m/LICENSE are not listed: copy them from it",
        "m/LICENSE",
        shipped.MAX_COPYRIGHTS + 1,
    )
    assert found[-1] == ("Copyright 2024 Foo GmbH", "m/NOTICE", 1)


def test_a_megabyte_of_hostile_text_is_read_in_linear_time():
    for hostile in (" " * 1_000_000 + "x\n", "\n (c)" * 250_000, "Copyright (c) " * 80_000 + "\n"):
        start = time.process_time()
        shipped.copyrights(asset(("LICENSE", "license", hostile)))
        assert time.process_time() - start < 2, hostile[:20]


def test_the_notice_lists_the_copyright_lines_to_keep_and_asks_for_those_not_found(release):
    doc = release(
        {
            "mlaudit.toml": '[release]\nasset = "acme/m"\n',
            "acme/base/README.md": card("license: mit"),
            "acme/base/LICENSE": MIT_TEXT,
            "acme/other/README.md": card("license: mit"),
            "acme/m/README.md": card("license: apache-2.0\nbase_model:\n- acme/base\n- acme/other"),
        }
    )
    (attribution,) = [o for o in doc["obligations"] if o["term"] == "attribution" and o["license"] == "MIT"]
    assert attribution["copyrights"] == [
        {"asset": "acme/base", "file": "acme/base/LICENSE", "line": 3, "text": "Copyright (c) 2023 Example Labs Inc."}
    ]
    generated = notice.render(doc)
    assert "  Copyright (c) 2023 Example Labs Inc.  [acme/base, acme/base/LICENSE:3]" in generated
    assert "[review] No copyright notice of acme/other was found in its files read" in generated
    assert "No copyright notice of acme/base" not in generated


def test_a_notice_of_an_older_report_renders_without_copyrights(release):
    doc = release(
        {"acme/base/README.md": card("license: mit"), "acme/m/README.md": card("license: mit\nbase_model: acme/base")}
    )
    for o in doc["obligations"]:
        o.pop("copyrights")
    assert "Copyright notices" not in notice.render(doc) and "No copyright notice" not in notice.render(doc)
