"""The student's pages on a phone: the verdict in view, a countdown that stays in view and
saves the answer on screen, flagging with an answer, confirming a finish, ordering by
drag and drop or by keys, local times, and tables that fit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import PASSWORD, PHONE, Audit, LiveServer, log_in
from playwright.sync_api import expect
from test_browser_journeys import PRACTICE, QUESTIONS, answer

pytestmark = pytest.mark.browser

EXAM = "Short timed exam"

IN_VIEW = """(selector) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    return {top: box.top, bottom: box.bottom, height: window.innerHeight,
            focused: document.activeElement === document.querySelector(selector)};
}"""


def start(page: Any, quiz: str) -> None:
    page.goto("/")
    page.get_by_role("button", name=re.compile(rf"(Start|Resume|Try again) {quiz}$")).click()


def test_on_a_phone_every_answer_lands_on_its_verdict(new_context: Any,
                                                      live_server: LiveServer,
                                                      audit: Audit) -> None:
    live_server.user("vera", PASSWORD)
    page = audit.track(new_context(viewport=PHONE).new_page())
    log_in(page, "vera", PASSWORD)
    start(page, PRACTICE)
    for number, (_prompt, kind, verdict) in enumerate(QUESTIONS, 1):
        # The question's own page, loaded (not the one the click is leaving).
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Question {number} of {len(QUESTIONS)}")
        # Every type fits the phone (matching's menus and the cloze gaps included).
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"question {number} ({kind}) scrolls sideways on a phone"
        answer(page, kind)
        page.get_by_role("button", name="Check my answer").click()
        heading = page.get_by_role("heading", level=2, name=re.compile(verdict))
        expect(heading).to_be_focused()
        box = page.evaluate(IN_VIEW, ".feedback .verdict")
        assert box["top"] >= 0 and box["bottom"] <= box["height"], (kind, box)
        if kind in {"ordering", "cloze"}:
            audit.check(page, f"phone feedback ({kind})")
        if kind == "ordering":
            # Which items were in their right place, item by item.
            expect(page.locator(".feedback .parts")).to_contain_text("in the right place")
            expect(page.locator(".feedback .parts")).to_contain_text("belongs at position")
        if number < len(QUESTIONS):
            page.get_by_role("link", name="Next question").click()
    audit.verify()


def test_the_countdown_stays_in_view_and_saves_the_answer_on_screen(
    new_context: Any, live_server: LiveServer, audit: Audit
) -> None:
    live_server.user("tamsin", PASSWORD)
    context = new_context(viewport=PHONE, timezone_id="Europe/Paris")
    page = audit.track(context.new_page())
    page.clock.install()
    log_in(page, "tamsin", PASSWORD)
    start(page, EXAM)
    timer = page.get_by_role("timer")
    expect(timer).to_contain_text("Time left: 9:")
    # The deadline is stated in the browser's zone (its cookie is set on the first page).
    page.reload()
    expect(page.locator(".deadline time")).to_have_text(re.compile(r"\d\d:\d\d CES?T$"))
    audit.check(page, "exam question on a phone")
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(200)
    box = page.evaluate(IN_VIEW, ".deadline")
    assert box["top"] >= 0 and box["bottom"] <= box["height"], box
    # An answer chosen but not sent is saved a few seconds before the time runs out.
    page.get_by_label("1,435 mm, as in most of Europe").check()
    with page.expect_navigation():
        page.clock.fast_forward("09:57")
    expect(page.get_by_label("1,435 mm, as in most of Europe")).to_be_checked()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Question 1 of 3"))
    expect(page.get_by_text("1 of 3 answered")).to_be_visible()
    audit.verify()


def test_flag_keeps_what_was_typed_and_finishing_asks_first(
    new_context: Any, live_server: LiveServer, audit: Audit
) -> None:
    live_server.user("fenna", PASSWORD)
    page = audit.track(new_context().new_page())
    log_in(page, "fenna", PASSWORD)
    start(page, EXAM)
    page.get_by_role("button", name="Save and go on").click()  # skipped: nothing entered
    page.get_by_role("button", name="Save and go on").click()
    page.get_by_label("Your answer").fill("Gomel")
    page.get_by_role("button", name="Flag for later").click()
    expect(page.get_by_role("button", name="Remove flag")).to_be_visible()
    expect(page.get_by_label("Your answer")).to_have_value("Gomel")
    page.get_by_role("link", name="All questions").click()
    page.get_by_role("button", name="Finish the attempt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Finish")
    unanswered = page.get_by_role("list", name="Questions not answered")
    expect(unanswered.get_by_role("link")).to_have_count(2)
    audit.check(page, "finish confirmation")
    unanswered.get_by_role("link", name="Question 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Question 1 of 3"))
    page.goto(page.url.rsplit("/q/", 1)[0] + "/summary")
    page.get_by_role("button", name="Finish the attempt").click()
    page.get_by_role("button", name="Finish anyway").click()
    expect(page.locator("#score")).to_contain_text("1 out of 3")
    # The summary comes first; each question's review opens on demand.
    expect(page.get_by_role("table")).to_contain_text("Not answered")
    details = page.locator(".review-item details").first
    expect(details).not_to_have_attribute("open", "")
    page.locator(".review-item summary").first.click()
    expect(details).to_have_attribute("open", "")
    audit.check(page, "results, summary first")
    practise = page.get_by_role("button", name=re.compile("Practise what I missed here"))
    expect(practise).to_be_visible()
    practise.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Question 1 of 2"))
    audit.verify()


def test_ordering_by_drag_and_drop_and_by_keys(new_context: Any, live_server: LiveServer,
                                               audit: Audit) -> None:
    live_server.user("orla", PASSWORD)
    page = audit.track(new_context().new_page())
    log_in(page, "orla", PASSWORD)
    start(page, PRACTICE)
    for _ in range(6):
        page.get_by_role("link", name="Skip for now").click()
    expect(page.get_by_role("group", name="Put these events in order")).to_be_visible()
    audit.check(page, "ordering with drag and drop")
    items = page.locator(".order-list .order-item")
    expect(items).to_have_count(3)
    # Keyboard: the polls move to the top with their own "Move up" button (the items
    # come shuffled, so twice is enough from anywhere); focus stays on the button.
    polls = page.locator(".order-item", has_text="Belarus Change Tracker polls")
    polls.get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(items.first).to_contain_text("Belarus Change Tracker polls")
    expect(page.locator(".question-ordering [aria-live]")).to_contain_text("position 1 of 3")
    # Mouse: drag the exercises above the attack, into second place.
    page.locator(".order-item", has_text="Russia sends").drag_to(
        items.nth(1), target_position={"x": 20, "y": 2})
    texts = [t.strip() for t in items.locator("label").all_inner_texts()]
    assert [t.split()[1] for t in texts] == ["Change", "sends", "attacks"], texts
    menus = [page.get_by_label(t, exact=True).input_value() for t in texts]
    assert menus == ["1", "2", "3"], menus
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator(".feedback .parts li")).to_have_count(3)
    audit.verify()


def test_tables_fit_a_phone_and_scroll_by_keyboard(new_context: Any, live_server: LiveServer,
                                                   audit: Audit) -> None:
    live_server.user("pham", PASSWORD)
    page = audit.track(new_context(viewport=PHONE).new_page())
    log_in(page, "pham", PASSWORD)
    start(page, PRACTICE)
    answer(page, "single_choice")
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_role("link", name="Next question").click()
    page.goto(page.url.rsplit("/q/", 1)[0] + "/summary")
    page.get_by_role("button", name="Finish the attempt").click()
    page.get_by_role("button", name="Finish anyway").click()
    for url, label in (("/progress", "progress on a phone"),
                       ("/progress/attempts", "all attempts on a phone")):
        page.goto(url)
        audit.check(page, label)
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"{label} scrolls sideways"
    expect(page.get_by_role("link", name=re.compile("Review"))).to_be_visible()
    page.goto("/")
    expect(page.locator(".quiz-card", has_text=PRACTICE)).to_contain_text("8 questions")
    audit.check(page, "home on a phone")
    page.get_by_role("link", name=EXAM, exact=True).click()
    expect(page.get_by_role("link", name=re.compile("How Belarus"))).to_be_visible()
    audit.check(page, "quiz intro on a phone")
    audit.verify()
