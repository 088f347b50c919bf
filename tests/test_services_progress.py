"""Progress figures on a learner with a known history: grades, mastery, streak, review."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from helpers import Browser, quiz_id
from htmlform import unlabelled
from sqlalchemy import select

from quizapp.chart import ScorePoint, score_chart
from quizapp.extensions import db
from quizapp.models import Quiz
from quizapp.services import attempts, progress
from quizapp.web.progress_page import chart_points

DAY1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def answer(text: str):  # type: ignore[no-untyped-def]
    return lambda spec, seed: spec.parse_json(text, seed)


def choice(label: str):  # type: ignore[no-untyped-def]
    """Pick the option by its text: option keys are opaque and per attempt."""

    def read(spec, seed):  # type: ignore[no-untyped-def]
        key = next(o["key"] for o in spec.view(seed)["options"] if o["text"] == label)
        return spec.parse_json(key, seed)

    return read


def take(user: int, quiz: int, gauge: str, city: str, when: datetime) -> int:
    """One finished attempt over the sample bank (gauge: 1 point, city: 2 points)."""
    attempt = attempts.start_attempt(db.session, user, quiz, when)
    by_type = {item.version.qtype: item.position for item in attempt.items}
    attempts.submit_answer(db.session, user, attempt.id, by_type["numeric"], answer(gauge), when)
    attempts.submit_answer(
        db.session, user, attempt.id, by_type["single_choice"], choice(city), when
    )
    attempts.finish_attempt(db.session, user, attempt.id, when + timedelta(minutes=5))
    return attempt.id


@pytest.fixture
def history(app: Flask, make_user) -> int:
    """Three days in a row: practice 33%, practice 100%, exam 67%."""
    user = make_user("hilde")
    with app.app_context():
        practice, exam = quiz_id(app, "practice"), quiz_id(app, "exam")
        take(user, practice, "1520", "Minsk", DAY1)
        take(user, practice, "1520", "Gomel", DAY1 + timedelta(days=1))
        take(user, exam, "1435", "Gomel", DAY1 + timedelta(days=2))
    return user


def report(app: Flask, user: int, now: datetime) -> progress.ProgressReport:
    with app.app_context():
        result = progress.progress_report(db.session, user, now)
        # Touch what the page reads while the session is open.
        for summary in result.quizzes:
            _ = summary.quiz.title
        return result


@pytest.mark.parametrize(("grading", "grade"), [
    ("highest", 100.0), ("average", (100 / 3 + 100) / 2), ("first", 100 / 3), ("last", 100.0),
])
def test_grades_follow_the_quizs_grading_method(
    app: Flask, history: int, grading: str, grade: float
) -> None:
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id(app, "practice"))
        quiz.settings = {**quiz.settings, "grading": grading}
        db.session.commit()
    summary = next(q for q in report(app, history, DAY1 + timedelta(days=2)).quizzes
                   if q.quiz.slug == "practice")
    assert summary.attempts == 2
    assert summary.grade == pytest.approx(grade)
    assert summary.grading == grading


def test_exam_grade_pass_mark_and_attempts_left(app: Flask, history: int) -> None:
    exam = next(q for q in report(app, history, DAY1 + timedelta(days=2)).quizzes
                if q.quiz.slug == "exam")
    assert exam.attempts == 1 and exam.attempts_left == 1
    assert exam.grade == pytest.approx(200 / 3)
    assert exam.pass_mark == 50 and exam.passed is True


def test_mastery_per_topic_with_its_answer_counts(app: Flask, history: int) -> None:
    topics = {t.topic: t for t in report(app, history, DAY1 + timedelta(days=2)).topics}
    # rail: right, right, wrong; people: wrong, right, right.
    assert (topics["rail"].answered, topics["rail"].correct) == (3, 2)
    assert (topics["people"].answered, topics["people"].correct) == (3, 2)
    assert topics["rail"].mastery == pytest.approx(2 / 3)
    assert topics["rail"].title == "Railways"
    assert topics["rail"].level == "Getting there"


def test_streak_and_active_days(app: Flask, history: int) -> None:
    assert report(app, history, DAY1 + timedelta(days=2)).streak_days == 3
    assert report(app, history, DAY1 + timedelta(days=3)).streak_days == 3  # today still empty
    later = report(app, history, DAY1 + timedelta(days=5))
    assert later.streak_days == 0 and later.active_days == 3


def test_review_counts(app: Flask, history: int) -> None:
    soon = report(app, history, DAY1 + timedelta(days=2, minutes=6)).review
    assert soon.mistakes == 1  # the gauge, last answered wrong in the exam
    assert soon.next_due is not None
    assert report(app, history, DAY1 + timedelta(days=400)).review.due == 2


def test_history_and_chart_figures(app: Flask, history: int) -> None:
    result = report(app, history, DAY1 + timedelta(days=2))
    assert [round(a.percent) for a in result.history] == [67, 100, 33]  # newest first
    with app.app_context():
        points = chart_points(
            progress.progress_report(db.session, history, DAY1).chronological
        )
    assert [round(p.percent) for p in points] == [33, 100, 67]
    assert points[0].label == "Sample practice" and points[-1].label == "Sample exam"


def test_the_progress_page_shows_the_figures(app: Flask, history: int, clock) -> None:
    clock.now = DAY1 + timedelta(days=2, hours=1)
    browser = Browser(app.test_client())
    browser.login("hilde")
    page = browser.get("/progress").get_data(as_text=True)
    assert not unlabelled(page)
    assert "3 days" in page  # streak
    assert re.search(r"Railways.*?67%.*?2 of 3 right \(67%\)", page, re.S)
    assert "How it is worked out" in page
    assert '<svg' in page and 'role="img"' in page and "<desc" in page
    table = page[page.index('class="chart-table"'):]
    for figure in ("33%", "100%", "67%"):
        assert figure in table
    assert "Practise my mistakes" in page
    assert "style=" not in page  # the content security policy forbids inline styles


def test_an_expired_exam_counts_even_if_never_reopened(app: Flask, make_user) -> None:
    user = make_user("nora")
    with app.app_context():
        exam = quiz_id(app, "exam")
        attempt = attempts.start_attempt(db.session, user, exam, DAY1)
        attempts.submit_answer(db.session, user, attempt.id, 1, answer("1520"), DAY1)
        later = DAY1 + timedelta(hours=3)
        assert attempts.open_attempts(db.session, user, later) == []
        result = progress.progress_report(db.session, user, later)
        assert result.quizzes[0].attempts == 1
        assert result.history[0].finished_at == DAY1 + timedelta(minutes=10)


def test_the_unfinished_list_finishes_an_expired_exam_first(app: Flask, make_user) -> None:
    """The progress page's list of unfinished attempts (plain values) finishes an exam
    whose time is up, so it is graded, and lists the rest newest first."""
    user = make_user("otto")
    with app.app_context():
        practice = attempts.start_attempt(db.session, user, quiz_id(app, "practice"), DAY1)
        started = DAY1 + timedelta(minutes=1)
        exam = attempts.start_attempt(db.session, user, quiz_id(app, "exam"), started)
        attempts.submit_answer(db.session, user, exam.id, 1, answer("1520"), started)
        during = attempts.unfinished_attempts(db.session, user, DAY1 + timedelta(minutes=2))
        assert [(a.id, a.title, a.deadline) for a in during] == [
            (exam.id, "Sample exam", started + timedelta(minutes=10)),
            (practice.id, "Sample practice", None)]
        later = DAY1 + timedelta(hours=3)
        assert [a.id for a in attempts.unfinished_attempts(db.session, user, later)] == [
            practice.id]
        graded = progress.progress_report(db.session, user, later).quizzes
        assert [(row.quiz.title, row.attempts) for row in graded] == [("Sample exam", 1)]
        assert [a.id for a in attempts.open_attempts(db.session, user, later)] == [practice.id]


def test_each_practice_answer_schedules_on_from_the_learners_card(
    app: Flask, make_user
) -> None:
    """A question answered right again comes back later than after its first answer:
    the answer starts from the card the learner has, not from a new one."""
    from quizapp.models import ReviewCard
    from quizapp.scheduling import review

    user, other = make_user("rita"), make_user("sam")
    practice = quiz_id(app, "practice")
    with app.app_context():
        take(other, practice, "1435", "Minsk", DAY1 - timedelta(days=1))  # not rita's cards
        take(user, practice, "1520", "Gomel", DAY1)
        cards = select(ReviewCard).where(ReviewCard.user_id == user)
        first = {card.question_id: card.card for card in db.session.scalars(cards)}
        assert all(card == review(None, 1.0, DAY1) for card in first.values())
        take(user, practice, "1520", "Gomel", DAY1 + timedelta(days=3))
        db.session.expire_all()
        again = {card.question_id: (card.card, card.due) for card in db.session.scalars(cards)}
    assert again.keys() == first.keys() and len(first) == 2
    for question_id, (card, due) in again.items():
        expected = review(first[question_id], 1.0, DAY1 + timedelta(days=3))
        assert card == expected
        assert due - (DAY1 + timedelta(days=3)) > due_after_one_answer(DAY1)


def due_after_one_answer(when: datetime) -> timedelta:
    from quizapp.scheduling import due_of, review

    return due_of(review(None, 1.0, when)) - when


def test_finish_all_expired(app: Flask, make_user) -> None:
    user = make_user("otto")
    with app.app_context():
        # Practice first: while the exam is open, practice on its questions is refused.
        attempts.start_attempt(db.session, user, quiz_id(app, "practice"), DAY1)
        attempts.start_attempt(db.session, user, quiz_id(app, "exam"), DAY1)
        assert attempts.finish_all_expired(db.session, DAY1 + timedelta(minutes=5)) == 0
        assert attempts.finish_all_expired(db.session, DAY1 + timedelta(minutes=10)) == 1
        open_ = db.session.scalars(select(progress.Attempt).where(
            progress.Attempt.finished_at.is_(None))).all()
        assert len(open_) == 1 and open_[0].quiz.slug == "practice"


def test_history_pages(app: Flask, history: int) -> None:
    with app.app_context():
        first = progress.history_page(db.session, history, 1)
        assert len(first.attempts) == 3 and not first.has_next
        assert progress.history_page(db.session, history, 2).attempts == []


def test_chart_is_pure_and_escapes_labels() -> None:
    points = [ScorePoint("<b>Quiz & co</b>", DAY1, 50.0), ScorePoint("Two", DAY1, 120.0)]
    chart = score_chart(points)
    assert "<b>" not in chart.svg and "&lt;b&gt;Quiz &amp; co&lt;/b&gt;" in chart.svg
    assert 'role="img"' in chart.svg
    assert 'aria-labelledby="score-chart-title score-chart-desc"' in chart.svg
    assert "style" not in chart.svg
    assert chart.svg.count("<circle") == 2
    assert "from 50% on 01 Mar 2026 to 120%" in chart.summary
    empty = score_chart([])
    assert "No finished attempts yet." in empty.svg and "<circle" not in empty.svg
    single = score_chart(points[:1])
    assert "<polyline" not in single.svg and single.svg.count("<circle") == 1


def test_streak_and_active_days_counted_in_sql_follow_the_rule(app: Flask, make_user) -> None:
    check_streaks_against_the_rule(app, make_user("dora"))


def check_streaks_against_the_rule(app: Flask, user: int) -> None:
    """On random histories (gaps, today empty or not, more than a year of days, a day
    after today) the page's streak and active days are those of `progress.streak` over
    the latest 366 days. tests/test_postgres.py runs this on PostgreSQL too."""
    import random
    from datetime import date

    from sqlalchemy import delete

    from quizapp.models import DayStat

    today = date(2026, 3, 1)
    rng = random.Random(19)
    cases: list[set[date]] = [
        set(), {today}, {today - timedelta(days=1)}, {today - timedelta(days=2)},
        {today - timedelta(days=n) for n in range(400)},  # a streak longer than a year
        {today - timedelta(days=n) for n in range(0, 30, 2)},
        {today + timedelta(days=1), today, today - timedelta(days=1)},
    ]
    for _ in range(40):
        length = rng.choice((3, 10, 40, 500))
        cases.append({today - timedelta(days=n) for n in range(length) if rng.random() < 0.8})
    now = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    with app.app_context():
        for days in cases:
            db.session.execute(delete(DayStat).where(DayStat.user_id == user))
            db.session.add_all(DayStat(user_id=user, day=day, answered=1, correct=1)
                               for day in days)
            db.session.commit()
            latest = sorted(days, reverse=True)[:366]
            result = progress.progress_report(db.session, user, now)
            assert result.active_days == len(latest), sorted(days)
            assert result.streak_days == progress.streak(
                [d for d in latest if d <= today], today), sorted(days)
            db.session.rollback()


def test_the_progress_service_returns_plain_values_and_draws_nothing() -> None:
    """Charts, markup and times in the viewer's zone are the page's business
    (web/progress_page.py); the service, shared with the API, imports none of them."""
    import ast
    from pathlib import Path

    source = Path(progress.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    presentation = ("quizapp.chart", "quizapp.web", "markupsafe", "flask", "jinja2")
    assert not {m for m in imported if m.startswith(presentation)}, imported


def test_the_chart_and_the_api_scores_show_the_same_attempts(app: Flask, history: int) -> None:
    browser = Browser(app.test_client())
    browser.login("hilde")
    scores = browser.get("/api/v1/progress").get_json()["scores"]
    assert [round(s["percent"]) for s in scores] == [33, 100, 67]  # oldest first
    assert scores[0]["title"] == "Sample practice" and scores[-1]["title"] == "Sample exam"


def test_the_kept_sections_follow_new_attempts_and_the_viewers_zone(
    app: Flask, history: int, clock
) -> None:
    """The chart and recent attempts are rendered once per set of latest attempts and
    zone (web/progress_page.py): a repeated visit reuses them, a finished attempt or
    another zone renders anew, so the page never shows a stale figure."""
    clock.now = DAY1 + timedelta(days=2, hours=1)
    browser = Browser(app.test_client())
    browser.login("hilde")
    first = browser.get("/progress").get_data(as_text=True)
    cache = app.extensions["progress_sections"]
    misses = cache.cache_info().misses
    assert browser.get("/progress").get_data(as_text=True) == first
    assert cache.cache_info().misses == misses  # the same sections, kept
    assert "UTC</time>" in sections(first)
    browser.client.set_cookie("tz", "Asia/Kolkata")
    shown = sections(browser.get("/progress").get_data(as_text=True))
    assert "IST</time>" in shown and "UTC</time>" not in shown
    browser.client.delete_cookie("tz")
    with app.app_context():
        take(history, quiz_id(app, "practice"), "1520", "Minsk", DAY1 + timedelta(days=2))
    table = sections(browser.get("/progress").get_data(as_text=True))
    table = table[:table.index('id="history-heading"')]
    assert table.count("<tr>") == 1 + 4  # the head and four attempts, the new one last
    assert re.findall(r"<td>(\d+)%</td>", table) == ["33", "100", "67", "33"]


def sections(page: str) -> str:
    """The chart's table and the recent attempts, the page's kept sections."""
    return page[page.index('class="chart-table"'):]


def test_thirty_progress_pages_at_once_show_the_same_figures(
    app: Flask, history: int, clock
) -> None:
    """The kept sections are shared by a worker's threads: thirty requests at once, with
    nothing kept yet, all get the whole page, and the same one."""
    import threading

    clock.now = DAY1 + timedelta(days=2, hours=1)
    browser = Browser(app.test_client())
    browser.login("hilde")
    clients = browser.tabs(30)
    barrier = threading.Barrier(30)
    pages: list[str] = []

    def visit(client) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        response = client.get("/progress")
        assert response.status_code == 200
        pages.append(sections(response.get_data(as_text=True)))

    threads = [threading.Thread(target=visit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pages) == 30 and len(set(pages)) == 1
    assert re.findall(r"<td>(\d+)%</td>", pages[0])[:3] == ["33", "100", "67"]
