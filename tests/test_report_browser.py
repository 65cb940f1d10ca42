"""The HTML report as a reader sees it, in Debian's Chromium driven by Playwright: nothing runs off
the page at a 1280-pixel window, and it prints to PDF. CI installs Chromium (.ci/run); elsewhere
the test is skipped when no Chromium is installed, and fails in CI if it is missing."""

import os
import shutil
from pathlib import Path

import pytest

from sim.cli import main

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                    reason="Chromium is not installed (CI installs it)")


@pytest.mark.slow
@needs_chromium
def test_the_report_fits_a_1280_window_and_prints(tmp_path):
    from playwright.sync_api import sync_playwright

    report = tmp_path / "helsinki.html"
    assert main(["report", "helsinki-2018", "--compare", "all", "--out", str(report)]) == 0
    four = tmp_path / "paris.html"  # four leaders: the widest tables of the library
    assert main(["report", "paris-1960", "--runs", "400", "--out", str(four)]) == 0
    long = tmp_path / "washington.html"  # a long verdict ("too close to call: ...") in every column
    assert main(["report", "washington-1987", "--runs", "2000", "--out", str(long)]) == 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for written in (four, long, report):  # nothing wider than the window, no table cut off
                page.goto(written.as_uri())
                assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
                clipped = page.evaluate("[...document.querySelectorAll('.wide, img')]"
                                        ".filter(e => e.scrollWidth > e.clientWidth + 1).length")
                assert clipped == 0, written.name
            assert page.locator("p.verdict").inner_text().endswith("comes out ahead.")
            assert page.locator("table").count() >= 8
            # ahead, margin, issues, dance, two-level, zone, allies, what-if, and the screen's tornado
            assert page.locator("img").count() == 9
            page.screenshot(path=str(tmp_path / "report.png"))
            pdf = page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
            assert pdf.startswith(b"%PDF") and len(pdf) > 100_000
        finally:
            browser.close()
    assert (tmp_path / "report.png").stat().st_size > 50_000
