"""A whole quiz with the keyboard alone, and the same quiz with JavaScript switched off."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from browser_support import PASSWORD, Audit, LiveServer, has_focus_ring, log_in
from playwright.sync_api import expect
from test_browser_journeys import PRACTICE, QUESTIONS, answer

pytestmark = pytest.mark.browser

FOCUSED = r"""() => {
    const el = document.activeElement;
    const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
    const select = el.tagName === 'SELECT' && el.selectedIndex >= 0
        ? el.options[el.selectedIndex].text.trim() : '';
    return {tag: el.tagName.toLowerCase(), type: el.type || '', label: label.trim(),
            text: (el.textContent || '').replace(/\s+/g, ' ').trim(),
            checked: !!el.checked, selected: select};
}"""

Focus = dict[str, Any]


def focused(page: Any) -> Focus:
    return page.evaluate(FOCUSED)


def tab_to(page: Any, wanted: Callable[[Focus], bool], what: str, *, back: bool = False,
           limit: int = 60) -> Focus:
    """Press Tab (or Shift+Tab) until `wanted` holds, checking the focus ring at each stop."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        if now["tag"] != "body":
            assert has_focus_ring(page), f"no visible focus ring on {now}"
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached {what}; last focus {focused(page)}")


def follow(page: Any, key: str = "Enter") -> None:
    """Press a key on a focused link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def control(label: str) -> Callable[[Focus], bool]:
    return lambda f: f["label"].startswith(label)


def button(text: str) -> Callable[[Focus], bool]:
    return lambda f: f["tag"] in {"button", "a", "input"} and f["text"].startswith(text)


def choose(page: Any, option: str, key: str = "ArrowDown", limit: int = 8) -> None:
    """Move through a select's options (or a radio group) with the arrow keys."""
    for _ in range(limit):
        now = focused(page)
        if now["selected"] == option or (now["type"] == "radio" and now["checked"]
                                         and now["label"] == option):
            return
        page.keyboard.press(key)
    raise AssertionError(f"the arrow keys never reached {option!r}: {focused(page)}")


def answer_with_keys(page: Any, kind: str) -> None:
    keys = page.keyboard
    if kind == "single_choice":
        tab_to(page, lambda f: f["type"] == "radio", "the options")
        keys.press("Space")
        choose(page, "1,520 mm, as in Russia")
    elif kind == "true_false":
        tab_to(page, control("True"), "True")
        keys.press("Space")
    elif kind == "multiple_response":
        for option in ("Ammunition", "Soviet-era tanks"):
            tab_to(page, control(option), option)
            keys.press("Space")
            assert focused(page)["checked"]
    elif kind in {"numeric", "short_text"}:
        tab_to(page, control("Your answer"), "the answer box")
        keys.type("1,520 mm" if kind == "numeric" else "Gomel")
    elif kind == "matching":
        for left, right in (("Philipp Bikanau", "Belarus Change Tracker"),
                            ("Emily Ferris", "Royal United Services Institute")):
            tab_to(page, control(left), left)
            choose(page, right)
    elif kind == "ordering":
        for item, position in (("Russia sends", "1"), ("Russia attacks", "2"),
                               ("Belarus Change Tracker", "3")):
            tab_to(page, control(item), item)
            choose(page, position)
    elif kind == "cloze":
        tab_to(page, control("Blank 1"), "blank 1")
        keys.type("1520")
        tab_to(page, control("Blank 2"), "blank 2")
        keys.type("Gomel")
        tab_to(page, control("Blank 3"), "blank 3")
        choose(page, "Mr Lukashenko")


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_keyboard_only_quiz(new_context: Any, live_server: LiveServer, javascript: bool) -> None:
    username = "kim" if javascript else "kai"
    live_server.user(username, PASSWORD)
    page = new_context(java_script_enabled=javascript).new_page()
    log_in(page, username, PASSWORD)
    keys = page.keyboard

    # The skip link comes first and moves focus to the content.
    tab_to(page, button("Skip to content"), "the skip link")
    keys.press("Enter")
    tab_to(page, button(f"Start {PRACTICE}"), "the quiz's start button")
    follow(page)
    for number, (_prompt, kind, _verdict) in enumerate(QUESTIONS, 1):
        expect(page.get_by_role("heading", level=1)).to_have_text(
            re.compile(f"Question {number} of"))
        answer_with_keys(page, kind)
        tab_to(page, button("Check my answer"), "the check button")
        # Shift+Tab goes back to the last control, Tab returns to the button.
        assert focused(page)["tag"] == "button"
        tab_to(page, lambda f: f["tag"] != "button", "the last control", back=True)
        tab_to(page, button("Check my answer"), "the check button")
        follow(page)
        expect(page.locator("[aria-live]")).to_contain_text("Right")
        # The verdict, the feedback's heading, takes the focus, so a screen reader reads
        # it out at once and the page lands on it.
        assert focused(page)["tag"] == "h2", focused(page)
        assert "Right" in focused(page)["text"], focused(page)
        if number < len(QUESTIONS):
            tab_to(page, button("Next question"), "the next question link")
        else:
            tab_to(page, button("See all answers"), "the summary link")
        follow(page)
    tab_to(page, button("Finish the attempt"), "the finish button")
    follow(page, "Space")
    expect(page.locator("#score")).to_contain_text(
        f"{len(QUESTIONS)} out of {len(QUESTIONS)}")


def test_quiz_without_javascript(new_context: Any, live_server: LiveServer,
                                 audit: Audit) -> None:
    live_server.user("noel", PASSWORD)
    page = audit.track(new_context(java_script_enabled=False).new_page(), javascript=False)
    log_in(page, "noel", PASSWORD)
    page.get_by_role("button", name=f"Start {PRACTICE}").click()
    for number, (prompt, kind, verdict) in enumerate(QUESTIONS, 1):
        expect(page.get_by_role("group", name=prompt)).to_be_visible()
        answer(page, kind)
        page.get_by_role("button", name="Check my answer").click()
        expect(page.locator("[aria-live]")).to_contain_text(verdict)
        if number == 1:
            audit.check(page, "feedback without JavaScript")
        if number < len(QUESTIONS):
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("link", name="See all answers and finish").click()
    page.get_by_role("button", name="Finish the attempt").click()
    expect(page.locator("#score")).to_contain_text(f"out of {len(QUESTIONS)}")
    audit.check(page, "results without JavaScript")

    # A timed exam states its deadline in the page; the live countdown needs JavaScript.
    page.goto("/")
    page.get_by_role("button", name="Start Short timed exam").click()
    expect(page.get_by_text("this attempt ends at")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_count(0)
    page.get_by_label("1,520 mm, as in Russia").check()
    page.get_by_role("button", name="Save and go on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Question 2 of 3"))
    audit.check(page, "exam without JavaScript")
    audit.verify()
