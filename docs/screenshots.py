"""Screenshots for the README: the demo report's first screen, and the lineage diagram of a
150-asset release (the same generated folder the lineage tests draw).

    python docs/screenshots.py [--out docs/img]

Needs Debian's chromium (/usr/bin/chromium) and playwright (the test extra). The pictures are
written, never compared: the browser tests check what they show.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the lineage tests' release generator

from lineage_release import RELEASE, large_release  # noqa: E402

from auditor import audit, rulebase  # noqa: E402
from auditor.report import html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 860}


def report_page(folder: Path, out: Path, **overrides: str) -> Path:
    """The HTML report of the release in `folder`, written to `out`."""
    document = audit.run(folder, rb=rulebase.load(), **overrides).document()
    out.write_text(html.render(document), encoding="utf-8")
    return out


def first_screen(page: Page, report: Path, picture: Path) -> None:
    page.goto(report.as_uri())
    page.screenshot(path=str(picture))


def lineage(page: Page, report: Path, picture: Path) -> None:
    """The whole diagram, alone on a page as wide as it is (the report scrolls a wide one)."""
    page.goto(report.as_uri())
    svg = page.locator("#lineage svg").first
    width, height = svg.evaluate("svg => [svg.viewBox.baseVal.width, svg.viewBox.baseVal.height]")
    markup = svg.evaluate("svg => svg.outerHTML")
    page.set_viewport_size({"width": int(width) + 32, "height": int(height) + 32})
    page.set_content(f"<!DOCTYPE html><body style='margin:16px;background:#fff'>{markup}</body>")
    page.locator("svg").first.screenshot(path=str(picture))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = report_page(ROOT / "fixtures" / "releases" / "demo", work / "demo.html")
        large = report_page(large_release(work / "large"), work / "large.html", asset=RELEASE)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            first_screen(page, demo, args.out / "demo-first-screen.png")
            lineage(page, large, args.out / "lineage-150.png")
            browser.close()
    for name in ("demo-first-screen.png", "lineage-150.png"):
        print(args.out / name)


if __name__ == "__main__":
    main()
