"""Layout at phone and desktop widths, dark mode, and the screenshots in docs/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    DESKTOP,
    PASSWORD,
    PHONE,
    SCREENSHOTS,
    TEACHER,
    Audit,
    LiveServer,
    log_in,
)
from playwright.sync_api import expect
from test_browser_journeys import PRACTICE, QUESTIONS, answer

pytestmark = pytest.mark.browser

OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter(el => {
        const box = el.getBoundingClientRect();
        let scroller = el.parentElement;
        while (scroller && getComputedStyle(scroller).overflowX === 'visible') {
            scroller = scroller.parentElement;
        }
        const inside = scroller && scroller !== document.body
            && scroller !== document.documentElement;
        return box.width > 0 && (box.right > width + 1 || box.left < -1) && !inside
            && !el.closest('.visually-hidden, .skip-link');
    });
    return wide.slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className);
}"""


def screenshot(page: Any, path: Path) -> None:
    """A screenshot once the page has loaded and drawn a frame at its present size:
    right after a navigation or a resize, Chromium may have no frame to capture yet
    ("Unable to capture screenshot")."""
    page.wait_for_load_state()
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => done(null)))")
    page.screenshot(path=str(path))


def shoot(page: Any, name: str) -> None:
    """Screenshots at both widths; nothing may stick out sideways on a phone."""
    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        screenshot(page, SCREENSHOTS / f"{name}-{width}.png")
        wide = page.evaluate(OVERFLOW)
        assert wide == [], f"on {name}, wider than {size['width']} px: {wide}"
        # A table that scrolls inside itself on a phone is still a table to a screen reader.
        tables = page.locator("main table")
        expect(page.get_by_role("table")).to_have_count(tables.count())
    page.set_viewport_size(DESKTOP)


def test_layout_dark_mode_and_screenshots(new_context: Any, live_server: LiveServer,
                                          audit: Audit) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    live_server.user("maya", PASSWORD)
    page = new_context(device_scale_factor=1).new_page()
    log_in(page, "maya", PASSWORD)
    shoot(page, "home")
    page.get_by_role("link", name=PRACTICE, exact=True).click()
    shoot(page, "quiz-intro")
    page.emulate_media(color_scheme="dark")
    audit.axe(page, "quiz intro, dark")
    page.emulate_media(color_scheme="light")

    page.get_by_role("button", name="Start the quiz").click()
    shoot(page, "question")
    for number, (_prompt, kind, _verdict) in enumerate(QUESTIONS, 1):
        answer(page, kind)
        page.get_by_role("button", name="Check my answer").click()
        if kind == "multiple_response":
            shoot(page, "feedback")
        if kind == "cloze":
            page.emulate_media(color_scheme="dark")
            audit.axe(page, "feedback, dark")
            page.set_viewport_size(PHONE)
            screenshot(page, SCREENSHOTS / "feedback-dark-phone.png")
            page.set_viewport_size(DESKTOP)
            page.emulate_media(color_scheme="light")
        if number < len(QUESTIONS):
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("link", name="See all answers and finish").click()
    page.get_by_role("button", name="Finish the attempt").click()
    expect(page.locator("#score")).to_be_visible()
    # The summary first: the page stays short with every review collapsed.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3000, f"results page {height} px tall"
    page.emulate_media(reduced_motion="reduce")
    shoot(page, "results")
    page.emulate_media(reduced_motion="no-preference")
    page.emulate_media(color_scheme="dark")
    audit.axe(page, "results, dark")
    page.emulate_media(color_scheme="light")
    page.get_by_role("link", name="My progress").first.click()
    shoot(page, "progress")

    teacher = new_context(device_scale_factor=1).new_page()
    log_in(teacher, *TEACHER)
    teacher.get_by_role("link", name="Teach").click()
    shoot(teacher, "teacher-banks")
    teacher.emulate_media(color_scheme="dark")
    audit.axe(teacher, "teacher banks, dark")
    audit.verify()
