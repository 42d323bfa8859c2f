"""The PDF report, read back as text with poppler's pdftotext: cover, contents whose page numbers are
where the sections really start, running header and page numbers, findings with their evidence
chains, the sign-off page, untrusted text, and byte-identical output.

Needs WeasyPrint with the Pango library and pdftotext (Debian: libpango-1.0-0 libpangoft2-1.0-0
fonts-dejavu-core poppler-utils). Where they are missing the tests are skipped, except in CI (CI
set), where they must run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time

import pytest
from conftest import FIXTURES, ROOT, run_audit
from lineage_release import large_release
from test_outputs import hostile_document

from auditor.report import glossary, lineage, lineage_draw, pdf

DEMO = FIXTURES / "releases" / "demo"
RELEASE = "acme/support-chat-7b-GGUF"
CONTENTS = [
    "Findings",
    "Error",
    "Warning",
    "Info",
    "What would fix the errors",
    "Review decisions",
    "Licenses the release may be published under",
    "Obligations and restrictions inherited by the release",
    "Documentation completeness",
    "Assets",
    "Lineage",
    "Input inventory",
    "Sign-off",
    "Appendix: documentation detail",
    "Appendix: glossary",
]
MARKUP = "<script>alert(1)</script>{{ 7*7 }}"
LONG = "Ж" * 20_000  # cut to pdf.LONGEST_RUN characters: WeasyPrint would take minutes over it


def _missing() -> str:
    if not shutil.which("pdftotext"):
        return "no pdftotext (apt-get install poppler-utils)"
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        return f"WeasyPrint cannot load Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0): {exc}"
    return ""


if _missing() and not os.environ.get("CI"):
    pytest.skip(_missing() + "; these tests are required in CI", allow_module_level=True)


@pytest.fixture(scope="module")
def demo() -> dict:
    return run_audit(DEMO)


@pytest.fixture(scope="module")
def demo_pdf(demo) -> bytes:
    return pdf.render(demo)


@pytest.fixture(scope="module")
def pages(demo_pdf, tmp_path_factory) -> list[str]:
    return page_texts(demo_pdf, tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def content(demo_pdf, tmp_path_factory) -> str:
    return squashed("".join(page_texts(demo_pdf, tmp_path_factory.mktemp("pdf"), "-raw")))


def page_texts(data: bytes, folder, mode: str = "-layout") -> list[str]:
    """The text of each page: laid out as printed (-layout), or in drawing order (-raw), which
    keeps the lines of one table cell together."""
    path = folder / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def squashed(text: str) -> str:
    """Text without whitespace, so that words wrapped across lines still match."""
    return re.sub(r"\s+", "", text)


def heading_at(page: str, title: str) -> bool:
    return re.search(rf"^\s*{re.escape(title)}( \(.*\))?\s*$", page, re.MULTILINE) is not None


def test_cover_names_release_verdict_counts_position_rule_base_and_input(demo, pages):
    cover = pages[0]
    flat = " ".join(cover.split())
    assert squashed(f"Compliance audit: {RELEASE}") in squashed(cover)
    assert re.search(r"^\s*FAIL\s*$", cover, re.MULTILINE)
    c = demo["counts"]
    numbers = r"\s+".join(str(c[key]) for key in ("error", "warning", "info", "open", "resolved"))
    assert re.search(rf"^\s*{numbers}\s*\n\s*errors\s+warnings\s+info\s+open\s+resolved\s*$", cover, re.MULTILINE)
    assert f"legal position conservative: {demo['position_summary']}" in flat
    assert ", ".join(demo["profiles"]) in flat
    assert f"version {demo['rule_base']['version']} · SHA-256 {demo['rule_base']['sha256']}" in flat
    assert f"{demo['input']['files']} files · SHA-256 {demo['input']['sha256']}" in flat
    assert f"mlaudit {demo['tool']['version']}" in flat
    assert "page 1 of" not in cover and "Contents" not in cover


def test_the_cover_gives_the_reason_in_a_sentence_and_a_line_for_each_blocker(demo, pages):
    cover = squashed(pages[0])
    errors = [f for f in demo["findings"] if f["severity"] == "error" and f["status"] == "open"]
    assert squashed(f"Fails: {errors[0]['message']} (and 2 more errors)") in cover
    assert squashed(f"Blocking findings ({len(errors)})") in cover
    for finding in errors:
        assert squashed(f"{finding['message']} {finding['rule']} · {finding['id']}") in cover, finding["id"]
    assert cover.count(squashed("To clear:")) == len(errors)
    assert squashed("To clear: remove datasets/tatsu-lab/alpaca from the lineage") in cover
    counts = demo["obligation_counts"]
    assert squashed(f"{counts['unmet']} unmet, {counts['cannot-tell']} cannot tell") in cover


def test_contents_page_numbers_are_where_the_sections_start(pages):
    assert heading_at(pages[1], "Contents")
    entries = re.findall(r"^\s*(\S.*?) ?[ .]*\.{3,} *(\d+)\s*$", pages[1], re.MULTILINE)
    assert [title for title, _ in entries] == CONTENTS
    for title, number in entries:
        start = int(number)
        assert heading_at(pages[start - 1], title), (title, start)
        assert not any(heading_at(page, title) for page in pages[2 : start - 1]), (title, start)
    assert int(entries[-1][1]) > int(entries[0][1]) > 2


def test_every_page_after_the_cover_has_the_running_header_and_page_n_of_m(pages):
    assert len(pages) > 5
    for number, page in enumerate(pages[1:], start=2):
        header = page.strip().splitlines()[0]
        assert RELEASE in header and "mlaudit compliance report" in header, number
        assert re.search(rf"^\s*page {number} of {len(pages)}\s*$", page, re.MULTILINE), number


def test_the_conflict_appears_whole_with_its_evidence_chain(demo, demo_pdf, tmp_path):
    conflict = next(f for f in demo["findings"] if f["rule"] == "CMP001" and f["asset"] == RELEASE)
    cards = page_texts(demo_pdf, tmp_path, "-raw")[1:]  # the cover names it too, in one line
    (page,) = [p for p in cards if conflict["id"] in p]  # kept on one page
    flat = squashed(page)
    at = [
        flat.index(squashed(text))
        for text in (
            f"ERROR CMP001 · conflict · {conflict['id']} · open {RELEASE}",
            conflict["message"],
            "acme/support-chat-7b was trained on datasets/tatsu-lab/alpaca"
            " — acme/support-chat-7b/README.md:9 · datasets[0]",
            "datasets/tatsu-lab/alpaca is licensed CC-BY-NC-4.0 — datasets/tatsu-lab/alpaca/README.md:2 · license",
            "How to fix: " + conflict["how_to_fix"],
        )
    ]
    assert at == sorted(at)


def test_findings_are_grouped_by_severity(demo, content):
    sizes = {s: sum(f["severity"] == s for f in demo["findings"]) for s in ("error", "warning", "info")}
    body = content[content.index(f"Error({sizes['error']})") :]
    heads = [body.index(f"{s.capitalize()}({n})") for s, n in sizes.items()]
    assert heads == sorted(heads)
    for f in demo["findings"]:
        at = body.index(f["id"])
        assert heads[["error", "warning", "info"].index(f["severity"])] < at


def test_sections_for_the_archive_are_there(demo, content):
    notice = next(o for o in demo["obligations"] if o["clause"] == "Section 1(b)(iii)")
    assert squashed(notice["text"]) in content
    assert squashed("datasets/acme/support-tickets, datasets/tatsu-lab/alpaca") in content  # the repair set
    assert "dataset·unresolved" in content  # drawn by the lineage diagram only
    first = demo["documentation"][0]
    assert squashed(f"{first['profile']} {first['score']} % {first['missing'][0]['item']}") in content
    for i in demo["inventory"]:
        assert squashed(i["file"]) in content


def section_pages(pages: list[str], title: str, following: str) -> list[str]:
    """The pages from the one where `title` starts to the one before `following` starts."""
    start = next(i for i, page in enumerate(pages) if heading_at(page, title))
    end = next(i for i, page in enumerate(pages) if heading_at(page, following))
    return pages[start:end]


def test_the_documentation_summary_is_one_page_and_the_appendix_holds_the_detail(demo, demo_pdf, tmp_path):
    pages = page_texts(demo_pdf, tmp_path, "-raw")  # a table cell's lines together
    (summary,) = section_pages(pages, "Documentation completeness", "Assets")
    flat = squashed(summary)
    for entry in demo["documentation"]:
        assert squashed(f"{entry['asset']} {entry['profile']} {entry['score']} % {len(entry['missing'])} items") in flat
    detail = squashed("".join(section_pages(pages, "Appendix: documentation detail", "Appendix: glossary")))
    missing = [m for entry in demo["documentation"] for m in entry["missing"]]
    assert len(missing) == 47  # as tests/golden/demo.report.json lists them
    for m in missing:
        assert squashed(f"{m['item']}: {m['expected']}") in detail and squashed(m["expected"]) not in flat


def test_the_glossary_explains_each_term_of_the_cover(pages):
    terms = glossary.used(pages[0])
    assert {"quantized", "status", "finding-id", "rule-cmp", "position"} <= {e.id for e in terms}
    assert "licenseref" in {e.id for e in glossary.used("bound by LicenseRef-Llama-3-Community")}
    explained = squashed("".join(pages[next(i for i, p in enumerate(pages) if heading_at(p, "Appendix: glossary")) :]))
    for entry in terms:
        assert squashed(f"{entry.term} {entry.explains}") in explained, entry.id


def table_words(demo: dict) -> set[str]:
    """The words of the tables' headings and short columns: the narrowest cells of the PDF."""
    headings = re.findall(r"<th[^>]*>([^<]+)</th>", (ROOT / "reports/templates/report.html.j2").read_text())
    values = [o["term"].replace("_", " ") for o in demo["obligations"]]
    values += [o["status"].replace("-", " ") for o in demo["obligations"]] + ["must do", "must not"]
    values += [a["use_category"] for a in demo["assets"]] + [a["kind"] for a in demo["assets"]]
    values += [i["status"] for i in demo["inventory"]] + [f["severity"] for f in demo["findings"]]
    return {w for text in headings + values for w in re.findall(r"[A-Za-z]{4,}", text)}


def broken_across_lines(word: str, text: str) -> bool:
    """Whether a line of `text` ends with the start of `word` and the next begins with its rest."""
    return any(re.search(rf"\b{word[:k]}\n{word[k:]}\b", text) for k in range(1, len(word)))


def test_no_word_of_a_table_is_broken_across_lines(demo, demo_pdf, tmp_path):
    text = "".join(page_texts(demo_pdf, tmp_path, "-raw"))
    words = table_words(demo)
    assert {"attribution", "Status", "warning", "sublicensable"} <= words
    assert broken_across_lines("attribution", "the attribu\ntion notice")  # the check can see a broken word
    assert [w for w in sorted(words) if broken_across_lines(w, text)] == []


def test_sign_off_ends_the_main_body_and_names_the_input(demo, pages):
    """The sign-off page is the last before the appendices (documentation detail, glossary)."""
    appendix = next(i for i, page in enumerate(pages) if heading_at(page, "Appendix: documentation detail"))
    last = pages[appendix - 1]
    assert heading_at(last, "Sign-off")
    for label in ("Reviewer name", "Role", "Decision", "Conditions", "Date", "Signature"):
        assert re.search(rf"^\s*{label}\b", last, re.MULTILINE), label
    assert re.search(r"approved\s+approved with conditions\s+rejected", last)
    assert demo["input"]["sha256"] in last and demo["rule_base"]["sha256"] in squashed(last)


def test_same_document_gives_the_same_bytes_with_no_date_and_a_content_identifier(
    demo, demo_pdf, tmp_path, monkeypatch
):
    later = time.time() + 86_400  # rendered a day later, under another SOURCE_DATE_EPOCH
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(later)))
    assert pdf.render(demo) == demo_pdf
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pdf.render(demo) == demo_pdf and "SOURCE_DATE_EPOCH" not in os.environ
    path = tmp_path / "report.pdf"
    path.write_bytes(demo_pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "CreationDate" not in info and "ModDate" not in info
    assert re.search(rb"/ID \[\((\w{32})\) \(\1\)\]", demo_pdf)


def test_hostile_text_is_shown_as_text_and_stays_on_the_page(demo, tmp_path):
    doc = hostile_document(demo)  # its release is renamed: no longer among the assets
    doc["inventory"][0]["reason"] = MARKUP
    doc["inventory"][1]["file"] = LONG
    doc["obligations"][0]["imposed_by"] = ["org/spoof\u202e", "org/next"]
    data = pdf.render(doc)
    text = squashed("".join(page_texts(data, tmp_path, "-raw")))
    assert "evil" in text and squashed(MARKUP) in text
    assert text.count("Ж") == pdf.LONGEST_RUN and f"…[{len(LONG) - pdf.LONGEST_RUN}morecharacters" in text
    # a right-to-left override is shown, not obeyed: the next name on its line reads as written
    assert "org/spoof\u27e8U+202E\u27e9,org/next" in text
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    for page in boxes.split("<page ")[1:]:
        width = float(re.match(r'width="([\d.]+)"', page)[1])
        assert max(float(x) for x in re.findall(r'xMax="([\d.]+)"', page)) <= width, "a word runs off the page"


def test_a_hostile_release_audited_end_to_end_prints_its_attacks_as_text(tmp_path):
    data = pdf.render(run_audit(FIXTURES / "hostile"))
    text = squashed("".join(page_texts(data, tmp_path, "-raw")))
    assert squashed("<script>window.pwned=1</script>") in text
    assert squashed('<img src=x onerror="window.pwned=1">') in text
    assert squashed("</style><style>body{display:none}</style>") in text
    assert "invoice\u27e8U+202E\u27e9fdp.exe" in text  # the override is shown, not obeyed
    assert re.search(r"A…\[40\d\dmorecharacters\]", text)  # the 5,000 A's, cut to pdf.LONGEST_RUN


# --- a 150-asset lineage -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> tuple[dict, list[list[tuple]]]:
    """A report on a 150-asset lineage and the words of its PDF, page by page, as poppler reads
    them: (x, top, right, bottom, text) in points."""
    folder = tmp_path_factory.mktemp("large")
    document = run_audit(large_release(folder / "r", 150))
    (folder / "report.pdf").write_bytes(pdf.render(document))
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(folder / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
    pages = [[(*map(float, w[:4]), w[4]) for w in word.findall(page)] for page in boxes.split("<page ")[1:]]
    return document, pages


def test_no_text_of_a_150_asset_report_is_below_7_pt(large):
    _, pages = large
    # A word's box is as tall as its font's ascent and descent: calibrated on the page numbers,
    # set in 8 pt by print.css (DejaVu Sans: 1.164 em).
    footer = [w[3] - w[1] for page in pages[1:] for w in page if w[4] == "page"]
    em = sorted(footer)[len(footer) // 2] / 8
    assert 1.1 < em < 1.25 and len(footer) == len(pages) - 1
    small = [(number, w[4], round((w[3] - w[1]) / em, 2)) for number, page in enumerate(pages, 1) for w in page]
    assert [s for s in small if s[2] < 7] == []


def test_a_150_asset_lineage_is_drawn_in_landscape_parts_with_its_names_whole(large):
    document, pages = large
    parts = [page for page in pages if any(w[4] == "Lineage," for w in page)]
    assert len(parts) > 1
    words = {w[4] for page in parts for w in page}
    assert {"acme/chat-7b-q4", "acme/chat-7b-stage3", "org0/base-0-7b"} <= words
    boxes = [b for b in lineage.diagram_of(document).boxes if not b.group]
    room = lineage_draw.BOX_W - 2 * lineage_draw.PAD
    assert [b.key for b in boxes if lineage_draw.fit(b.lines[0], 12, room) not in words] == []  # each box on a part
    for page in parts:
        assert max(w[2] for w in page) <= 842 and max(w[3] for w in page) <= 595  # on an A4 landscape page
