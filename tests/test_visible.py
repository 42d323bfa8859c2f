"""The HTML report as a person sees it, rendered by Chromium: what shows, what the filters hide, what
the page loads, and what a release with hostile manifests (fixtures/hostile) can do to it. The other
outputs face the same hostile release.

The browser is Debian's Chromium driven by Playwright (never a browser Playwright downloads). Without
/usr/bin/chromium the browser tests are skipped, except in CI (CI set), where they must run.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, run_audit, with_unrelated
from lineage_release import large_release
from test_lineage import crosses
from test_outputs import open_findings, validate_sarif

from auditor.report import glossary, html, jsonfile, junit, lines, notice, sarif, text

DEMO = FIXTURES / "releases" / "demo"
HOSTILE = FIXTURES / "hostile"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}

SCRIPT = "<script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=1">'
STYLE = "</style><style>body{display:none}</style>"
JS_LINK = "javascript:window.pwned=1"
LONG = "A" * 5000
RLO = "\u202e"
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
TERMINAL = "\x1b\x07"

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="no /usr/bin/chromium (apt-get install chromium); these tests are required in CI",
)

# Reads an element's text twice: in DOM (logical) order, and in the order a person sees it (lines
# top to bottom, characters left to right). The two differ where bidi controls reorder the text.
READING = """el => {
  const chars = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (box.width > 0 && node.data[i].trim()) chars.push({y: (box.top + box.bottom) / 2, x: box.left, c: node.data[i]});
    }
  }
  const logical = chars.map(ch => ch.c).join('');
  const rows = [];
  for (const ch of [...chars].sort((a, b) => a.y - b.y)) {
    const row = rows[rows.length - 1];
    if (row && ch.y - row[0].y < 6) row.push(ch); else rows.push([ch]);
  }
  return {logical, visual: rows.map(row => row.sort((a, b) => a.x - b.x).map(ch => ch.c).join('')).join('')};
}"""

# Elements and attributes a manifest must never manage to create.
INJECTED = """() => [...document.querySelectorAll('*')].filter(el =>
  ['SCRIPT', 'IMG', 'IFRAME', 'OBJECT', 'EMBED', 'LINK', 'BASE', 'FORM'].includes(el.tagName)
  || (el.tagName === 'A' && !(el.getAttribute('href') || '').startsWith('#'))
  || (el.tagName === 'STYLE' && el.textContent.includes('body{display:none}'))
  || [...el.attributes].some(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))
).map(el => el.outerHTML.slice(0, 80))"""


@pytest.fixture(scope="module")
def demo() -> dict:
    return run_audit(DEMO)


@pytest.fixture(scope="module")
def hostile() -> dict:
    return run_audit(HOSTILE)


@pytest.fixture(scope="module")
def pages(tmp_path_factory, demo, hostile) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    for name, document in (("demo", demo), ("hostile", hostile)):
        (folder / f"{name}.html").write_text(html.render(document), encoding="utf-8")
    return {name: folder / f"{name}.html" for name in ("demo", "hostile")}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One page load, with every request it made and every error it logged."""

    def __init__(self, browser, report: Path, **options):
        self.context = browser.new_context(**{"viewport": VIEWPORT, **options})
        self.context.set_default_timeout(5000)  # a hidden or missing element fails fast
        self.page = self.context.new_page()
        self.url = report.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(self.url)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if url != self.url and not url.startswith("data:")]


@pytest.fixture
def visit(browser):
    """Factory: visit(report, **context options) loads a report in a fresh browser context."""
    visits = []

    def load(report: Path, **options) -> Visit:
        visits.append(Visit(browser, report, **options))
        return visits[-1]

    yield load
    for v in visits:
        v.context.close()


def visible_findings(page) -> set[str]:
    return {a.get_attribute("id") for a in page.locator("article.finding").all() if a.is_visible()}


def strings(value) -> list[str]:
    """Every string of a JSON-like value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value] + [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def open_filters(page) -> None:
    page.locator("details.filters > summary").click()


# The demo release, as a person reads it


@needs_chromium
def test_demo_shows_release_verdict_counts_and_a_finding_with_its_evidence(demo, pages, visit):
    page = visit(pages["demo"]).page
    assert page.inner_text("h1") == "Compliance audit: acme/support-chat-7b-GGUF"
    assert page.inner_text(".verdict") == "FAIL" and page.is_visible(".verdict")
    counts = page.inner_text(".counts")
    for key, label in (("error", "errors"), ("warning", "warnings"), ("info", "info"), ("open", "open")):
        assert f"{demo['counts'][key]}\n{label}" in counts
    conflict = next(f for f in demo["findings"] if f["rule"] == "CMP001")
    shown = page.inner_text(f"#{conflict['id']}")
    assert conflict["message"] in shown
    assert "acme/support-chat-7b/README.md:9" in shown and "datasets/tatsu-lab/alpaca/README.md:2" in shown
    assert "Section 1(i)" in shown and "How to fix:" in shown


@needs_chromium
def test_the_first_screen_names_the_reason_in_words_and_the_blockers(demo, pages, visit):
    page = visit(pages["demo"], viewport={"width": 1280, "height": 800}).page
    errors = [f for f in demo["findings"] if f["severity"] == "error" and f["status"] == "open"]
    sentence = page.locator(".first-page .sentence")
    assert sentence.inner_text() == f"Fails: {errors[0]['message']} (and 2 more errors)"
    assert "commercial use" in sentence.inner_text() and "non-commercial term" in sentence.inner_text()
    lines = page.locator("ol.blockers > li")
    assert lines.count() == len(errors) == 3
    for line, finding in zip(lines.all(), errors, strict=True):
        assert line.bounding_box()["y"] + line.bounding_box()["height"] <= 800, "below the first screen"
        shown = line.inner_text()
        assert finding["message"] in shown and finding["rule"] in shown and "To clear:" in shown
        assert line.locator("a.card").get_attribute("href") == f"#{finding['id']}"
        assert page.locator(f"article#{finding['id']}").count() == 1
    assert sentence.bounding_box()["y"] < 800
    assert "datasets/tatsu-lab/alpaca" in lines.first.inner_text()


@needs_chromium
def test_the_first_page_summarises_the_checklist_with_its_unmet_obligations(demo, pages, visit):
    page = visit(pages["demo"]).page
    counts = demo["obligation_counts"]
    summary = page.inner_text(".first-page .obligations-summary")
    assert f"{counts['unmet']} unmet, {counts['cannot-tell']} cannot tell" in summary
    unmet = page.locator(".first-page ul.unmet > li")
    # the unmet terms, and the unknown terms that the open error CMP012 is about
    assert unmet.count() == counts["unmet"] + 1 == 2
    assert "non commercial of CC-BY-NC-4.0" in page.inner_text(".first-page ul.unmet")
    assert "cannot tell unknown terms of NOASSERTION" in page.inner_text(".first-page ul.unmet")


@needs_chromium
def test_demo_shows_the_obligations_checklist(demo, pages, visit):
    page = visit(pages["demo"]).page
    rows = page.locator("#obligations tbody tr")
    assert rows.count() == len(demo["obligations"]) > 0
    notice_row = rows.filter(has_text="Section 1(b)(iii)")
    assert notice_row.count() == 1 and notice_row.is_visible()
    shown = notice_row.inner_text()
    assert "include notice" in shown and "must do" in shown and "LicenseRef-Llama-2-Community" in shown
    assert "acme/support-chat-7b, meta-llama/Llama-2-7b-chat-hf" in shown


@needs_chromium
def test_demo_lineage_diagram_is_drawn_with_asset_labels(pages, visit):
    page = visit(pages["demo"]).page
    diagram = page.locator("svg.lineage")
    box = diagram.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    names = diagram.locator("text.name")
    assert names.count() == 7 and all(name.is_visible() for name in names.all())
    assert {"acme/support-chat-7b-GGUF", "meta-llama/Llama-2-7b-chat-hf"} <= set(names.all_text_contents())
    assert "quantized" in diagram.locator("text.relation").all_text_contents()


@needs_chromium
def test_demo_lineage_labels_fit_inside_their_boxes(pages, visit):
    page = visit(pages["demo"]).page
    overflowing = page.eval_on_selector_all(
        "svg.lineage g.asset",
        """boxes => boxes.flatMap(g => {
      const frame = g.querySelector('rect').getBoundingClientRect();
      return [...g.querySelectorAll('text')].filter(t => t.getBoundingClientRect().right > frame.right)
                                             .map(t => t.textContent);
    })""",
    )
    assert overflowing == []


# The tables: the release's lineage only; the documentation detail in an appendix; the glossary


@needs_chromium
def test_the_tables_list_the_release_lineage_and_count_the_rest_of_the_folder(tmp_path, visit):
    doc = run_audit(with_unrelated(tmp_path / "folder", 40))
    report = tmp_path / "report.html"
    report.write_text(html.render(doc), encoding="utf-8")
    page = visit(report).page
    lineage = doc["edges"]  # the release is named: the graph is cut to its lineage, the rest counted
    assert len(lineage) == 6 and doc["release"]["outside_lineage"] == {"assets": 40, "edges": 39}
    rows = [row.inner_text().split("\t") for row in page.locator("#lineage table.edges tbody tr").all()]
    assert sorted((r[0], r[2]) for r in rows) == sorted((e["child"], e["parent"]) for e in lineage)
    assert page.inner_text("#lineage h2") == "Lineage (6 edges)"
    assert "39 other edges of the folder are not in the release's lineage." in page.inner_text("#lineage")
    assets = page.locator("#assets table.assets tbody tr td:first-child").all_inner_texts()
    assert sorted(assets) == sorted(a["id"] for a in doc["assets"]) and len(assets) == 7
    assert (
        "40 other assets in the folder are not upstream of the release; the input inventory lists their files"
        in page.inner_text("#assets")
    )
    shown = page.locator("#inventory tbody tr td:first-child").all_inner_texts()
    assert shown == [i["file"] for i in doc["inventory"]] and "other/model-39/README.md" in shown


@needs_chromium
def test_the_documentation_summary_has_a_row_per_asset_and_the_appendix_the_detail(demo, pages, visit):
    page = visit(pages["demo"]).page
    rows = page.locator("#documentation tbody tr").all()
    assert len(rows) == len(demo["documentation"]) == 6
    for row, entry in zip(rows, sorted(demo["documentation"], key=_summary_order(demo)), strict=True):
        assert row.inner_text().split("\t") == [
            entry["asset"],
            entry["profile"],
            f"{entry['score']} %",
            f"{len(entry['missing'])} items",
        ]
    summary = page.inner_text("#documentation")
    detail = page.inner_text("#documentation-detail")
    for entry in demo["documentation"]:
        for missing in entry["missing"]:
            assert missing["expected"] not in summary and missing["expected"] in detail
    order = page.eval_on_selector_all("main > section", "sections => sections.map(s => s.id)")
    assert order[-2:] == ["documentation-detail", "glossary"]


def pages_findings(page) -> list[str]:
    return page.eval_on_selector_all("article.finding", "cards => cards.map(c => c.id)")


def _summary_order(demo: dict):
    release = demo["release"]["asset"]
    return lambda d: (d["asset"] != release, d["score"], d["asset"])


@needs_chromium
def test_the_glossary_explains_each_term_of_the_first_page_and_it_links_there(pages, visit):
    page = visit(pages["demo"]).page
    first = page.inner_text(".first-page")
    used = glossary.used(first)
    assert {"quantized", "status", "finding-id", "rule-cmp"} <= {e.id for e in used}
    for entry in used:
        explained = page.locator(f"#glossary dt#g-{entry.id}")
        assert explained.is_visible() and explained.inner_text() == entry.term
        assert page.locator(f"#glossary dt#g-{entry.id} + dd").inner_text() == " ".join(entry.explains.split())
        if entry.id == "finding-id":  # on the first page a finding's id links to its card, whose head glosses it
            assert page.locator(f"article.finding a.term[href='#g-{entry.id}']").count() == len(pages_findings(page))
        else:
            assert page.locator(f".first-page a.term[href='#g-{entry.id}']").count() >= 1, entry.id
    for entry in glossary.used(page.inner_text("header.cover")):
        assert page.locator(f"#glossary dt#g-{entry.id}").count() == 1, entry.id
    link = page.locator(".first-page a.term[href='#g-quantized']").first
    link.click()
    assert page.evaluate("location.hash") == "#g-quantized"


@needs_chromium
def test_the_glossary_lists_only_terms_the_report_uses(pages, visit):
    page = visit(pages["demo"]).page
    listed = page.eval_on_selector_all("#glossary dt", "terms => terms.map(t => t.id.slice(2))")
    text = page.evaluate("[...document.querySelectorAll('main > *:not(#glossary)')].map(e => e.innerText).join(' ')")
    assert listed == [e.id for e in glossary.used(text)]
    assert "copyleft" not in listed and "outbound" not in listed  # the demo's report uses neither


# Text boxes and lines of the lineage diagram, in the page's pixels: every <text> with its box and
# its font size as drawn (the computed size times the SVG's scale), and every line segment.
LINEAGE_GEOMETRY = """svg => {
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    return {text: t.textContent, box: [r.left, r.top, r.right, r.bottom], size};
  });
  const segments = [];
  for (const line of svg.querySelectorAll('polyline')) {
    const m = line.getScreenCTM();
    const at = [...line.points].map(p => { const q = new DOMPoint(p.x, p.y).matrixTransform(m); return [q.x, q.y]; });
    for (let i = 1; i < at.length; i++) segments.push([at[i - 1], at[i]]);
  }
  return {texts, segments};
}"""


@pytest.fixture(scope="module")
def large_lineage(tmp_path_factory) -> tuple[dict, Path]:
    folder = tmp_path_factory.mktemp("large")
    document = run_audit(large_release(folder / "r", 150))
    (folder / "report.html").write_text(html.render(document), encoding="utf-8")
    return document, folder / "report.html"


@needs_chromium
def test_a_150_asset_lineage_has_no_overlapping_text_no_small_text_and_no_line_through_text(large_lineage, visit):
    _, report = large_lineage
    page = visit(report).page
    drawn = page.eval_on_selector("svg.lineage", LINEAGE_GEOMETRY)
    texts, segments = drawn["texts"], drawn["segments"]
    assert len(texts) > 60 and len(segments) > 30
    assert [t["text"] for t in texts if t["size"] < 8.99] == []  # shrunk to fit the page, down to 9 px at most
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            x, y = a["box"], b["box"]
            assert x[2] <= y[0] or y[2] <= x[0] or x[3] <= y[1] or y[3] <= x[1], (a["text"], b["text"])
    crossed = [(t["text"], s) for t in texts for s in segments if crosses(s, t["box"])]
    assert crossed == []
    assert crosses([[0, 5], [20, 5]], [5, 0, 10, 10]) and not crosses([[0, 20], [20, 20]], [5, 0, 10, 10])


@needs_chromium
def test_the_path_of_each_blocking_finding_is_drawn_in_red(large_lineage, visit):
    document, report = large_lineage
    page = visit(report).page
    errors = [f["id"] for f in document["findings"] if f["status"] == "open" and f["severity"] == "error"]
    assert len(errors) >= 5
    for finding in errors:
        lines = page.locator(f'svg.lineage g.edge.blocking[data-findings~="{finding}"] polyline')
        assert lines.count() >= 1, finding
        colours = {line.evaluate("l => getComputedStyle(l).stroke") for line in lines.all()}
        assert colours == {"rgb(179, 38, 30)"}, finding
    assert page.locator("svg.lineage g.edge:not(.blocking)").count() > 0  # the rest stays grey


# The filters


@needs_chromium
def test_unchecking_a_severity_hides_its_findings_only(demo, pages, visit):
    page = visit(pages["demo"]).page
    everything = {f["id"] for f in demo["findings"]}
    errors = {f["id"] for f in demo["findings"] if f["severity"] == "error"}
    assert visible_findings(page) == everything and len(errors) == 3
    open_filters(page)
    box = page.get_by_role("checkbox", name="error", exact=True)
    box.uncheck()
    assert visible_findings(page) == everything - errors
    box.check()
    assert visible_findings(page) == everything


@needs_chromium
def test_unchecking_a_rule_hides_that_rules_findings_only(demo, pages, visit):
    page = visit(pages["demo"]).page
    everything = {f["id"] for f in demo["findings"]}
    doc001 = {f["id"] for f in demo["findings"] if f["rule"] == "DOC001"}
    assert len(doc001) > 1
    open_filters(page)
    box = page.get_by_role("checkbox", name="DOC001", exact=True)
    box.uncheck()
    assert visible_findings(page) == everything - doc001
    box.check()
    assert visible_findings(page) == everything


# Nothing loaded, nothing run


@needs_chromium
def test_the_page_loads_nothing_else_and_runs_nothing(pages, visit):
    loaded = visit(pages["demo"])
    open_filters(loaded.page)
    assert loaded.url in loaded.requests and loaded.foreign_requests() == []
    assert loaded.page.locator("script").count() == 0
    assert loaded.errors == []


# A release whose manifests are hostile (the page is loaded without its CSP, so that escaping alone
# is what keeps the markup inert)


def test_the_hostile_fixture_reaches_the_document(hostile):
    """Guards the fixture: every attack below must really be in the document the formatters get."""
    everything = "\n".join(strings(hostile))
    for attack in (SCRIPT, IMG, STYLE, JS_LINK, LONG, *BIDI, *TERMINAL):
        assert attack in everything, repr(attack)
    assert hostile["release"]["asset"] == "evil-org/evil-model" and hostile["counts"]["open"] > 10


@needs_chromium
def test_hostile_manifests_run_nothing_inject_nothing_and_hide_nothing(pages, visit):
    loaded = visit(pages["hostile"], bypass_csp=True)
    page = loaded.page
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate(INJECTED) == []
    assert page.evaluate("getComputedStyle(document.body).display") == "block"
    assert page.is_visible("main") and page.is_visible("h1") and page.is_visible("#findings")
    open_filters(page)  # the asset filters show hostile names too
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert loaded.foreign_requests() == [] and loaded.errors == []


@needs_chromium
def test_hostile_markdown_in_a_rule_text_stays_inert(demo, tmp_path, visit):
    attack = f"{SCRIPT} {IMG} [run]({JS_LINK}) [site](https://example.org/) `{SCRIPT}`"
    doc = json.loads(json.dumps(demo))
    for f in doc["findings"]:
        f["how_to_fix"] = attack
    report = tmp_path / "report.html"
    report.write_text(html.render(doc), encoding="utf-8")
    loaded = visit(report, bypass_csp=True)
    page = loaded.page
    assert page.evaluate("typeof window.pwned") == "undefined" and page.evaluate(INJECTED) == []
    shown = page.inner_text(f"#{doc['findings'][0]['id']} .fix")
    assert shown == f"How to fix: {SCRIPT} {IMG} [run]({JS_LINK}) site (https://example.org/) {SCRIPT}"
    assert loaded.foreign_requests() == [] and loaded.errors == []


@needs_chromium
def test_hostile_strings_show_as_literal_text(hostile, pages, visit):
    page = visit(pages["hostile"], bypass_csp=True).page
    shown = page.inner_text("body")
    for attack in (SCRIPT, IMG, STYLE, JS_LINK, LONG):
        assert attack in shown
    readable = [f for f in hostile["findings"] if not any(c in f["message"] for c in "\n\x1b\x07\u2028")]
    assert len(readable) > 10
    for f in readable:
        assert page.inner_text(f"#{f['id']} .message") == shown_as(f["message"])


@needs_chromium
def test_a_long_unbroken_string_keeps_the_page_within_the_viewport(pages, visit):
    page = visit(pages["hostile"]).page
    open_filters(page)
    assert page.is_visible(f"label:has-text('{LONG[:50]}')")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"] + 16


@needs_chromium
def test_a_right_to_left_override_does_not_reorder_what_follows_it(hostile, pages, visit):
    page = visit(pages["hostile"]).page
    spoof = next(f for f in hostile["findings"] if RLO in f["message"])
    shown = page.eval_on_selector_all("article.finding", "articles => articles.map(a => a.id)")
    following = hostile["findings"][[f["id"] for f in hostile["findings"]].index(spoof["id"]) + 1]
    assert shown[shown.index(spoof["id"]) + 1] == following["id"]
    assert page.inner_text(f"#{following['id']} .message") == shown_as(following["message"])
    reading = page.eval_on_selector(f"#{following['id']}", READING)
    assert reading["visual"] == reading["logical"]
    where = page.eval_on_selector(f"#{spoof['id']} .where", READING)  # after the override, in the same item
    assert where["visual"] == where["logical"] and where["logical"].startswith("—evil-org/evil-model/README.md:")


@needs_chromium
def test_a_right_to_left_override_is_shown_not_obeyed(hostile, pages, visit):
    page = visit(pages["hostile"]).page
    spoof = next(f for f in hostile["findings"] if RLO in f["message"])
    assert "\u27e8U+202E\u27e9" in page.inner_text(f"#{spoof['id']} .message")
    reading = page.eval_on_selector(f"#{spoof['id']} .message", READING)
    assert reading["visual"] == reading["logical"]
    assert reading["visual"].endswith(";notfollowedasanupstream")  # the text after the override, in order


def shown_as(text: str) -> str:
    """How the report shows manifest text: bidirectional controls as visible markers."""
    return re.sub("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", lambda c: f"\u27e8U+{ord(c[0]):04X}\u27e9", text)


# The other outputs of the hostile release


def test_hostile_release_keeps_every_machine_output_valid(hostile):
    assert json.loads(jsonfile.render(hostile)) == hostile
    results = validate_sarif(sarif.render(hostile))["runs"][0]["results"]
    assert len(results) == len(hostile["findings"])
    suite = ET.fromstring(junit.render(hostile)).find("testsuite")
    assert int(suite.get("failures")) == hostile["counts"]["error"]
    findings = lines.render(hostile)
    assert len(findings.splitlines()) == findings.count("\n") == len(open_findings(hostile))


def _explained(document: dict) -> str:
    return "".join(text.explain(f, document) for f in document["findings"])


@pytest.mark.parametrize(
    "render",
    [
        lines.render,
        notice.render,
        junit.render,
        sarif.render,
        text.outbound,
        _explained,
        lambda doc: text.render(doc, ["out/report.html"]),
        lambda doc: text.render(doc, [], "json"),
    ],
    ids=["lines", "notice", "junit", "sarif", "suggest", "explain", "summary", "summary-json"],
)
def test_no_bidi_control_or_escape_reaches_a_text_output(hostile, render):
    out = render(hostile)
    leaked = sorted({f"U+{ord(c):04X}" for c in out if c in BIDI + TERMINAL})
    assert leaked == []
    assert "evil-org/evil-model" in out
