"""A student's and a teacher's journeys, every page checked by axe and the Nu Html Checker."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browser_support import PASSWORD, TEACHER, TEST_BANK, Audit, LiveServer, log_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PRACTICE = "Every kind of question"
EXAM = "Short timed exam"

# The practice quiz in order: the prompt (the fieldset's name), how to answer with the
# mouse, and the verdict the feedback must show.
QUESTIONS: list[tuple[str, str, str]] = [
    ("What gauge do Belarus's railways use?", "single_choice", "Right"),
    ("Belarus shares a border with Ukraine.", "true_false", "Right"),
    ("Which of these does the article say Belarus gave Russia's army?",
     "multiple_response", "Partly right"),
    ("How wide is the rail gauge in Belarus, in millimetres?", "numeric", "Right"),
    ("Through which Belarusian city were bodies of Russian soldiers moved?",
     "short_text", "Not right"),
    ("Match each person to their organisation.", "matching", "Right"),
    ("Put these events in order, earliest first.", "ordering", "Partly right"),
    ("Fill in the blanks.", "cloze", "Right"),
]


def answer(page: Any, kind: str) -> None:
    """Answer one question of the practice quiz with the mouse."""
    if kind == "single_choice":
        page.get_by_label("1,520 mm, as in Russia").check()
    elif kind == "true_false":
        page.get_by_label("True", exact=True).check()
    elif kind == "multiple_response":
        page.get_by_label("Ammunition").check()
    elif kind == "numeric":
        page.get_by_label("Your answer").fill("1.52 m")
    elif kind == "short_text":
        page.get_by_label("Your answer").fill("Minsk")
    elif kind == "matching":
        page.get_by_label("Philipp Bikanau").select_option(label="Belarus Change Tracker")
        page.get_by_label("Emily Ferris").select_option(label="Royal United Services Institute")
    elif kind == "ordering":
        page.get_by_label("Russia sends 30,000 soldiers").select_option("1")
        page.get_by_label("Russia attacks Kyiv").select_option("3")
        page.get_by_label("Belarus Change Tracker polls").select_option("2")
    elif kind == "cloze":
        page.get_by_label("Blank 1").fill("1520")
        page.get_by_label("Blank 2").fill("Homel")
        page.get_by_label("Blank 3").select_option(label="Mr Lukashenko")


def register(page: Any, audit: Audit, username: str) -> None:
    page.goto("/")
    audit.check(page, "home, logged out")
    page.get_by_role("link", name="Register").click()
    audit.check(page, "register")
    # A mistake first: the form comes back with the errors tied to their fields.
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("other")
    page.get_by_role("button", name="Create account").click()
    audit.check(page, "register with errors")
    password = page.get_by_label("Password", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome, {username}")
    audit.check(page, "home, logged in")


def start(page: Any, quiz: str) -> None:
    page.goto("/")
    page.get_by_role("button", name=re.compile(rf"(Start|Resume) {quiz}$")).click()


def test_student_practice_exam_review_progress(new_context: Any, audit: Audit) -> None:
    page = audit.track(new_context().new_page())
    register(page, audit, "sasha")

    # The quiz's own page, then the practice quiz: one question per page, each type.
    page.get_by_role("link", name=PRACTICE, exact=True).click()
    audit.check(page, "quiz detail")
    page.get_by_role("button", name="Start the quiz").click()
    for number, (prompt, kind, verdict) in enumerate(QUESTIONS, 1):
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Question {number} of {len(QUESTIONS)}")
        bar = page.locator("progress")
        expect(bar).to_have_attribute("value", str(number - 1))
        group = page.get_by_role("group", name=prompt)
        expect(group).to_be_visible()
        audit.check(page, f"practice question {number} ({kind})")
        answer(page, kind)
        page.get_by_role("button", name="Check my answer").click()
        region = page.locator("[aria-live]")
        expect(region).to_contain_text(verdict)
        expect(region).to_contain_text("The right answer")
        expect(page.locator("progress")).to_have_attribute("value", str(number))
        audit.check(page, f"practice feedback {number} ({kind})")
        if number < len(QUESTIONS):
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("link", name="See all answers and finish").click()
    audit.check(page, "practice summary")
    page.get_by_role("button", name="Finish the attempt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("results")
    audit.check(page, "practice results")
    assert len(page.locator(".review-item").all()) == len(QUESTIONS)

    # The timed exam: a countdown, save and go on, the summary, then the review.
    start(page, EXAM)
    expect(page.get_by_role("timer")).to_contain_text("Time left: 9:")
    audit.check(page, "exam question 1")
    page.get_by_label("1,435 mm, as in most of Europe").check()
    page.get_by_role("button", name="Save and go on").click()
    audit.check(page, "exam question 2")
    # Flagging keeps the answer chosen before it (the flag belongs to the answer form).
    page.get_by_label("True", exact=True).check()
    page.get_by_role("button", name="Flag for later").click()
    expect(page.get_by_role("button", name="Remove flag")).to_be_visible()
    expect(page.get_by_label("True", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save and go on").click()
    page.get_by_label("Your answer").fill("Gomell")
    page.get_by_role("button", name="Save and review").click()
    expect(page.get_by_role("cell", name="Flagged")).to_be_visible()
    audit.check(page, "exam summary")
    page.get_by_role("button", name="Finish the attempt").click()
    # A flagged question: the finish is confirmed on a page of its own first.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Finish")
    expect(page.get_by_role("list", name="Flagged questions")).to_contain_text("Question 2")
    audit.check(page, "exam finish confirmation")
    page.get_by_role("button", name="Finish the attempt").click()
    expect(page.locator("#score")).to_contain_text("2 out of 3")
    audit.check(page, "exam results")
    expect(page.get_by_text("Not right").first).to_be_visible()

    # Printing the review drops the navigation but keeps every answer.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".review-item").first).to_be_visible()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="My progress").first.click()
    expect(page.get_by_role("row", name=re.compile(EXAM)).first).to_contain_text("67%")
    audit.check(page, "progress")
    page.get_by_role("link", name=re.compile("Review")).first.click()
    audit.check(page, "review from progress")
    audit.verify()


def broken_bank(tmp_path: Path) -> tuple[Path, Path, int]:
    """The test bank under a new id, once with a misspelt key and once fixed."""
    text = TEST_BANK.read_text(encoding="utf-8").replace("id: every-type\n", "id: uploaded\n", 1)
    text = text.replace("title: Every kind of question\n", "title: Uploaded bank\n", 1)
    text = text.replace("title: Every kind of question\n", "title: Uploaded practice\n", 1)
    text = text.replace("title: Short timed exam\n", "title: Uploaded exam\n", 1)
    text = re.sub(r"  - id: every-type-(practice|exam)", r"  - id: uploaded-\1", text)
    lines = text.splitlines(keepends=True)
    line = lines.index("    mode: practice\n") + 1
    broken = lines.copy()
    broken[line - 1] = "    mood: practice\n"
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "uploaded.yaml").write_text("".join(broken), encoding="utf-8")
    (tmp_path / "uploaded.yaml").write_text("".join(lines), encoding="utf-8")
    return folder / "uploaded.yaml", tmp_path / "uploaded.yaml", line


def test_teacher_uploads_fixes_and_previews(new_context: Any, audit: Audit,
                                            live_server: LiveServer, tmp_path: Path) -> None:
    broken, fixed, line = broken_bank(tmp_path)
    page = audit.track(new_context().new_page())
    page.goto("/login")
    audit.check(page, "login")
    log_in(page, *TEACHER)
    page.get_by_role("link", name="Teach").click()
    audit.check(page, "teacher banks")

    page.get_by_label("Bank file (.yaml)").set_input_files(broken)
    page.get_by_role("button", name="Check and upload").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("uploaded.yaml was not saved")
    expect(page.locator("#upload-messages")).to_contain_text(f"uploaded.yaml:{line}:")
    expect(page.locator("#upload-messages")).to_contain_text("mood")
    audit.check(page, "teacher upload with an error")
    assert not (live_server.questions_dir / "uploaded.yaml").exists()

    page.get_by_label("Bank file (.yaml)").set_input_files(fixed)
    page.get_by_role("button", name="Check and upload").click()
    expect(page.get_by_role("status")).to_contain_text("uploaded.yaml is clean and now serving")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uploaded bank")
    audit.check(page, "teacher bank")
    assert (live_server.questions_dir / "uploaded.yaml").exists()

    links = page.get_by_role("table").get_by_role("link")
    ids = links.all_inner_texts()
    assert len(ids) == len(QUESTIONS)
    for number, question_id in enumerate(ids):
        page.get_by_role("link", name=question_id, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(question_id)
        expect(page.get_by_role("group", name=QUESTIONS[number][0])).to_be_visible()
        audit.check(page, f"teacher preview {question_id}")
        if QUESTIONS[number][1] in {"numeric", "short_text", "single_choice"}:
            answer(page, QUESTIONS[number][1])
            page.get_by_role("button", name="Try this answer").click()
            expect(page.get_by_role("status")).to_contain_text(re.compile("right", re.I))
            audit.check(page, f"teacher tries {question_id}")
        page.get_by_role("link", name="Back to Uploaded bank").click()
    audit.verify()
