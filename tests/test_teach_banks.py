"""Banks in the browser: statistics, responses, accepting a response, regrading,
versions, editing, retiring, and who may see any of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from helpers import Browser, Clock, all_at_once
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    BankVersion,
    Question,
    Quiz,
    QuizStat,
    Regrade,
    TopicStat,
)
from quizapp.services import regrade
from quizapp.services.accounts import create_user
from quizapp.services.attempts import (
    available_quizzes,
    finish_attempt,
    start_attempt,
    submit_answer,
)

PLANTED = """\
id: planted
title: Planted bank
# A comment the rewrite must keep.
topics:
  - id: places
    title: Places
quizzes:
  - id: check
    title: Check
    mode: practice
    shuffle_questions: false
questions:
  - id: q1
    type: single_choice
    prompt: First question?
    options:
      - {id: a, text: Alpha, correct: true}
      - {id: b, text: Beta}
  - id: q2
    type: single_choice
    prompt: Second question?
    options:
      - {id: a, text: Gamma, correct: true}
      - {id: b, text: Delta}
  - id: bad
    type: single_choice
    prompt: The planted question?
    options:
      - {id: a, text: Keyed answer, correct: true}
      - {id: b, text: Tempting distractor}
      - {id: c, text: Plain distractor}
  - id: city
    type: short_text
    prompt: Which city is the second city?
    topics: [places]
    answers:
      - accept: [Gomel]   # the official spelling
      - accept: [Minsk]
        fraction: 0
        feedback: That is the capital.
"""

# Responses to q1, q2, bad, city. The strongest third picks the distractor of `bad`.
STRONG = ["a", "a", "b", "Gomel"]
MIDDLE = ["a", "b", "a", "Homel"]
WEAK = ["b", "b", "a", "homel "]


@pytest.fixture
def app(make_app: Callable[..., Flask], questions_dir: Path) -> Iterator[Flask]:
    (questions_dir / "planted.yaml").write_text(PLANTED, encoding="utf-8")
    app = make_app()
    yield app
    with app.app_context():
        db.engine.dispose()


def take(app: Flask, clock: Clock, username: str, responses: list[Any]) -> int:
    with app.app_context():
        user = create_user(db.session, username, "correct horse", "student")
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.slug == "check"))
        attempt = start_attempt(db.session, user.id, quiz_id, clock(), seed=1)
        for position, response in enumerate(responses, start=1):
            submit_answer(db.session, user.id, attempt.id, position,
                          lambda spec, seed, r=response: r, clock())
        finish_attempt(db.session, user.id, attempt.id, clock())
        return attempt.id


@pytest.fixture
def seeded(app: Flask, clock: Clock) -> dict[str, int]:
    attempts = {}
    for group, responses in (("strong", STRONG), ("middle", MIDDLE), ("weak", WEAK)):
        for n in range(3):
            attempts[f"{group}{n}"] = take(app, clock, f"{group}{n}", responses)
            clock.advance(minutes=1)
    return attempts


def quiz_pk(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(Quiz.id).where(Quiz.slug == "check"))


def question_pk(app: Flask, slug: str) -> int:
    from quizapp.models import Bank

    with app.app_context():
        return db.session.scalar(select(Question.id).join(Bank).where(
            Question.slug == slug, Bank.slug == "planted"))


def scores(app: Flask) -> dict[str, float]:
    with app.app_context():
        return {a.user.username: a.score for a in db.session.scalars(select(Attempt))}


def test_the_planted_question_is_flagged(teacher: Browser, app: Flask,
                                         seeded: dict[str, int]) -> None:
    page = teacher.get(f"/teach/quizzes/{quiz_pk(app)}/statistics").get_data(as_text=True)
    review = page.split('id="review-heading"')[1].split("</section>")[0]
    assert "The planted question?" in review
    assert "Tempting distractor" in review and "strongest third (100%)" in review
    assert "weaker students do better" in review
    assert "First question?" not in review
    assert "Cronbach" in page and "Discriminative efficiency" in page
    first = teacher.get(f"/teach/quizzes/{quiz_pk(app)}/statistics?attempts=first")
    assert first.status_code == 200
    assert teacher.get(f"/teach/quizzes/{quiz_pk(app)}/statistics?attempts=x").status_code == 400


def test_choice_responses_by_thirds(teacher: Browser, app: Flask, seeded: dict[str, int]) -> None:
    page = teacher.get(f"/teach/quizzes/{quiz_pk(app)}/statistics/bad").get_data(as_text=True)
    row = page.split("Tempting distractor")[1].split("</tr>")[0]
    assert "3 of 3" in row and "0 of 3" in row and "Chosen more by the strongest" in row


def test_accept_a_response_then_regrade(teacher: Browser, app: Flask, questions_dir: Path,
                                        seeded: dict[str, int]) -> None:
    quiz = quiz_pk(app)
    stats_before = teacher.get(f"/teach/quizzes/{quiz}/statistics").get_data(as_text=True)
    assert "facility 100%" not in stats_before  # computed now, and cached
    page = teacher.get(f"/teach/quizzes/{quiz}/statistics/city").get_data(as_text=True)
    homel = page.split("<th scope=\"row\">homel</th>")[1].split("</tr>")[0]
    assert "Homel · homel" in homel and "<td>6</td>" in homel and "<td>0%</td>" in homel
    before = scores(app)

    response = teacher.post(f"/teach/quizzes/{quiz}/statistics/city/accept",
                            {"value": "homel"}, token_from="/teach/")
    assert response.status_code == 302
    assert "/regrade" in response.headers["Location"]
    text = (questions_dir / "planted.yaml").read_text(encoding="utf-8")
    assert "- accept: [Gomel, homel] # the official spelling" in text
    assert "# A comment the rewrite must keep." in text
    with app.app_context():
        version = db.session.scalars(select(BankVersion).order_by(BankVersion.id.desc())).first()
        assert version.action == "accept" and version.user.username == "tess"
        assert "+      - accept: [Gomel, homel]" in version.diff

    # The dry run names exactly the six who typed Homel, each gaining one point.
    dry = teacher.get(f"/teach/questions/{question_pk(app, 'city')}/regrade")
    html = dry.get_data(as_text=True)
    assert "6 answers would change: 6 gain, 0 lose" in html
    assert scores(app) == before  # a dry run changes nothing

    teacher.post(f"/teach/questions/{question_pk(app, 'city')}/regrade", {},
                 token_from="/teach/")
    after = scores(app)
    for name, score in after.items():
        expected = before[name] + (1 if not name.startswith("strong") else 0)
        assert score == expected, name
    with app.app_context():
        record = db.session.scalars(select(Regrade)).one()
        assert (record.answers_changed, record.gained, record.lost) == (6, 6, 0)
        assert record.user.username == "tess"
        stat = db.session.scalars(select(QuizStat).join(Attempt.user.property.mapper.class_,
                                  QuizStat.user_id == Attempt.user.property.mapper.class_.id)
                                  ).all()
        by_user = {s.user_id: s for s in stat}
        for attempt in db.session.scalars(select(Attempt)):
            row = by_user[attempt.user_id]
            assert row.best_percent == pytest.approx(attempt.percent)
            assert row.sum_percent == pytest.approx(attempt.percent)
            topic = db.session.scalars(select(TopicStat).where(
                TopicStat.user_id == attempt.user_id, TopicStat.topic == "places")).one()
            assert (topic.answered, topic.correct) == (1, 1)
    # The cached statistics notice the regrade: everyone now gets the city right.
    stats_after = teacher.get(f"/teach/quizzes/{quiz}/statistics").get_data(as_text=True)
    assert "almost everyone gets it right (facility 100%)" in stats_after
    # Applying again finds nothing left.
    again = teacher.post(f"/teach/questions/{question_pk(app, 'city')}/regrade", {},
                         token_from="/teach/", follow_redirects=True)
    assert "Nothing left to regrade" in again.get_data(as_text=True)
    assert scores(app) == after


def test_thirty_regrades_at_once_apply_once(app: Flask, clock: Clock, questions_dir: Path,
                                            seeded: dict[str, int]) -> None:
    text = PLANTED.replace("- accept: [Gomel]", "- accept: [Gomel, Homel]")
    (questions_dir / "planted.yaml").write_text(text, encoding="utf-8")
    with app.app_context():
        from quizapp.banks.sync import sync_folder

        sync_folder(db.session, questions_dir)
    before = scores(app)
    city = question_pk(app, "city")

    def run() -> None:
        with app.app_context():
            regrade.apply_regrade(db.session, city, None, clock())

    all_at_once([run] * 30)
    after = scores(app)
    assert sum(after.values()) == sum(before.values()) + 6
    with app.app_context():
        assert db.session.scalar(select(func.count(Regrade.id))) == 1
        assert db.session.scalar(select(func.sum(QuizStat.sum_percent))) == pytest.approx(
            sum(a.percent for a in db.session.scalars(select(Attempt))))


def test_edit_versions_and_restore(teacher: Browser, app: Flask, questions_dir: Path) -> None:
    path = questions_dir / "planted.yaml"
    original = path.read_text(encoding="utf-8")
    page = teacher.get("/teach/banks/planted/edit").get_data(as_text=True)
    assert "<textarea" in page and "Planted bank" in page

    broken = original.replace("type: short_text", "type: long_text")
    response = teacher.post("/teach/banks/planted/edit", {"text": broken},
                            token_from="/teach/banks/planted/edit")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'href="#line-' in html and 'id="line-35"' in html
    assert path.read_text(encoding="utf-8") == original  # nothing written

    edited = original.replace("title: Planted bank", "title: Planted bank, edited")
    response = teacher.post("/teach/banks/planted/edit", {"text": edited},
                            token_from="/teach/banks/planted/edit")
    assert response.status_code == 302
    assert path.read_text(encoding="utf-8") == edited
    with app.app_context():
        history = db.session.scalars(select(BankVersion).where(
            BankVersion.file_name == "planted.yaml").order_by(BankVersion.id)).all()
        assert [v.action for v in history] == ["sync", "edit"]
        assert history[1].user.username == "tess"
        assert "+title: Planted bank, edited" in history[1].diff
        assert history[1].lines_added == 1 and history[1].lines_removed == 1
        first_id = history[0].id
    listing = teacher.get("/teach/banks/planted/versions").get_data(as_text=True)
    assert "edit" in listing and "tess" in listing

    response = teacher.post(f"/teach/banks/planted/versions/{first_id}/restore", {},
                            token_from="/teach/")
    assert response.status_code == 302
    assert path.read_text(encoding="utf-8") == original
    with app.app_context():
        newest = db.session.scalars(select(BankVersion).order_by(BankVersion.id.desc())).first()
        assert newest.action == "restore" and newest.content == original
        assert db.session.scalar(select(func.count(BankVersion.id))) == 3
        from quizapp.models import Bank

        assert db.session.scalar(select(Bank.title).where(Bank.slug == "planted")) == (
            "Planted bank")
    shown = teacher.get(f"/teach/banks/planted/versions/{first_id}").get_data(as_text=True)
    assert "Restore this version" in shown


def test_bundled_banks_are_read_only(make_app: Callable[..., Flask], questions_dir: Path) -> None:
    app = make_app(BUNDLED_QUESTIONS_DIR=str(questions_dir))
    with app.app_context():
        create_user(db.session, "tess", "correct horse", "teacher")
    browser = Browser(app.test_client())
    browser.login("tess")
    response = browser.get("/teach/banks/sample/edit")
    assert response.status_code == 403
    assert "bundled with quizapp and read-only" in response.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_download_preview_and_question_list(teacher: Browser, app: Flask,
                                            questions_dir: Path) -> None:
    download = teacher.get("/teach/banks/planted/download")
    assert download.status_code == 200
    assert download.get_data(as_text=True) == (questions_dir / "planted.yaml").read_text()
    assert "attachment" in download.headers["Content-Disposition"]

    preview = teacher.get(f"/teach/quizzes/{quiz_pk(app)}/preview").get_data(as_text=True)
    for prompt in ("First question?", "The planted question?", "Which city"):
        assert prompt in preview
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 0  # nothing recorded

    listing = teacher.get("/teach/banks/planted/questions").get_data(as_text=True)
    assert "First question?" in listing and "Which city is the second city?" in listing
    found = teacher.get("/teach/banks/planted/questions?q=planted").get_data(as_text=True)
    assert "The planted question?" in found and "First question?" not in found
    typed = teacher.get("/teach/banks/planted/questions?type=short_text").get_data(as_text=True)
    assert "Which city" in typed and "First question?" not in typed
    topic = teacher.get("/teach/banks/planted/questions?topic=places").get_data(as_text=True)
    assert "Which city" in topic and "Second question?" not in topic


def test_retiring_a_bank(teacher: Browser, app: Flask, clock: Clock, questions_dir: Path) -> None:
    attempt = take(app, clock, "sam", STRONG)
    response = teacher.post("/teach/banks/planted/retire", {}, token_from="/teach/")
    assert response.status_code == 302
    assert not (questions_dir / "planted.yaml").exists()
    with app.app_context():
        assert "check" not in [q.slug for q in available_quizzes(db.session)]
    student = Browser(app.test_client())
    student.login("sam")
    assert student.get(f"/attempt/{attempt}/results").status_code == 200
    assert "Check" not in student.get("/").get_data(as_text=True)
    teacher.post("/teach/banks/planted/unretire", {}, token_from="/teach/")
    with app.app_context():
        assert "check" in [q.slug for q in available_quizzes(db.session)]


def test_only_teachers(app: Flask, make_user: Callable[..., Any], seeded: dict[str, int]) -> None:
    quiz = quiz_pk(app)
    city = question_pk(app, "city")
    pages = [
        "/teach/banks/planted/questions", "/teach/banks/planted/download",
        "/teach/banks/planted/edit", "/teach/banks/planted/versions",
        f"/teach/quizzes/{quiz}/preview", f"/teach/quizzes/{quiz}/statistics",
        f"/teach/quizzes/{quiz}/statistics/city", f"/teach/questions/{city}/regrade",
    ]
    anonymous = app.test_client()
    for url in pages:
        assert anonymous.get(url).status_code == 302, url  # to the login page
    student = Browser(app.test_client())
    student.login("strong0")
    for url in pages:
        assert student.get(url).status_code == 403, url
    for url in (f"/teach/questions/{city}/regrade", "/teach/banks/planted/retire",
                f"/teach/quizzes/{quiz}/statistics/city/accept"):
        assert student.post(url, {"value": "homel"}).status_code == 403, url
    assert "homel" not in Path(app.config["QUESTIONS_DIR"], "planted.yaml").read_text()


def test_unknown_things_are_404(teacher: Browser, app: Flask) -> None:
    for url in ("/teach/banks/nope/questions", "/teach/quizzes/999/statistics",
                f"/teach/quizzes/{quiz_pk(app)}/statistics/nope",
                "/teach/questions/999/regrade", "/teach/banks/planted/versions/999"):
        assert teacher.get(url).status_code == 404, url


def test_database_statistics_match_the_pure_functions(app: Flask,
                                                      seeded: dict[str, int]) -> None:
    """The statistics the page shows, recomputed independently from the stored answers."""
    from quizapp.analysis import analyse
    from quizapp.models import Answer, AttemptItem
    from quizapp.services import item_analysis

    with app.app_context():
        sheet: dict[int, dict[int, tuple[float, float]]] = {}
        for item in db.session.scalars(select(AttemptItem)):
            answer = db.session.scalar(select(Answer).where(Answer.item_id == item.id))
            sheet.setdefault(item.attempt_id, {})[item.version.question_id] = (
                answer.points if answer else 0.0, item.points)
        expected_quiz, expected_items = analyse(sheet)
        report = item_analysis.quiz_report(db.session, item_analysis.Scope(quiz_pk(app)))
        assert report is not None
        for name in ("count", "max_total", "mean", "median", "sd", "skewness", "kurtosis",
                     "cic", "error_ratio", "standard_error"):
            assert getattr(report.stats, name) == pytest.approx(getattr(expected_quiz, name))
        assert report.stats.cic is not None and report.stats.kurtosis is not None
        got = {item.question.id: item.stats for item in report.items}
        for item in expected_items:
            for name in ("count", "facility", "sd", "intended_weight", "effective_weight",
                         "discrimination", "efficiency"):
                assert getattr(got[item.key], name) == pytest.approx(getattr(item, name)), name
        first = item_analysis.quiz_report(
            db.session, item_analysis.Scope(quiz_pk(app), first_only=True))
        assert first is not None and first.stats.count == 9
        some = item_analysis.quiz_report(db.session, item_analysis.Scope(
            quiz_pk(app), attempt_ids=frozenset({seeded["strong0"], seeded["weak0"]})))
        assert some is not None and some.stats.count == 2


def test_thirty_accepts_at_once_keep_every_one(teacher: Browser, app: Flask,
                                               questions_dir: Path) -> None:
    quiz = quiz_pk(app)
    token = teacher.csrf("/teach/")
    clients = teacher.tabs(30)
    url = f"/teach/quizzes/{quiz}/statistics/city/accept"
    statuses = all_at_once([
        (lambda c=c, i=i: c.post(url, data={"value": f"spelling{i}", "csrf_token": token})
         .status_code) for i, c in enumerate(clients)
    ])
    assert statuses == [302] * 30
    text = (questions_dir / "planted.yaml").read_text(encoding="utf-8")
    assert all(f"spelling{i}" in text for i in range(30))
    with app.app_context():
        assert db.session.scalar(select(func.count(BankVersion.id)).where(
            BankVersion.action == "accept")) == 30


def test_a_retired_bank_cannot_be_retired_again(teacher: Browser) -> None:
    assert teacher.post("/teach/banks/planted/retire", token_from="/teach/").status_code == 302
    again = teacher.post("/teach/banks/planted/retire", token_from="/teach/")
    assert again.status_code == 409
    assert "retired" in again.get_data(as_text=True)


def test_thirty_retires_at_once(teacher: Browser, app: Flask) -> None:
    token = teacher.csrf("/teach/")
    clients = teacher.tabs(30)
    statuses = all_at_once([
        (lambda c=c: c.post("/teach/banks/planted/retire", data={"csrf_token": token})
         .status_code) for c in clients
    ])
    assert statuses.count(302) == 1 and statuses.count(409) == 29, statuses
    with app.app_context():
        assert "check" not in [q.slug for q in available_quizzes(db.session)]


def test_statistics_per_assignment(teacher: Browser, app: Flask, clock: Clock,
                                   make_user: Callable[..., Any],
                                   seeded: dict[str, int]) -> None:
    from quizapp.models import User
    from quizapp.services.assignments import assign
    from quizapp.services.classes import create_class

    quiz = quiz_pk(app)
    with app.app_context():
        tess = db.session.scalar(select(User.id).where(User.username == "tess"))
        school_class = create_class(db.session, tess, "Class 9B", clock())
        assignment = assign(db.session, school_class, quiz, clock(), clock())
        assignment_id = assignment.id
        # Three of the attempts were made for the assignment.
        for name in ("strong0", "middle0", "weak0"):
            db.session.get(Attempt, seeded[name]).assignment_id = assignment_id
        db.session.commit()
    everyone = teacher.get(f"/teach/quizzes/{quiz}/statistics").get_data(as_text=True)
    assert "Class 9B" in everyone
    assert "<th scope=\"row\">Attempts</th><td>9</td>" in everyone
    page = teacher.get(f"/teach/quizzes/{quiz}/statistics?assignment={assignment_id}")
    html = page.get_data(as_text=True)
    assert "<th scope=\"row\">Attempts</th><td>3</td>" in html
    assert f"assignment={assignment_id}" in html  # links keep the scope
    responses = teacher.get(
        f"/teach/quizzes/{quiz}/statistics/city?assignment={assignment_id}").get_data(
        as_text=True)
    assert "3 answers" in responses
    assert teacher.get(f"/teach/quizzes/{quiz}/statistics?assignment=x").status_code == 400
    make_user("otto", role="teacher")
    other = Browser(app.test_client())
    other.login("otto")
    url = f"/teach/quizzes/{quiz}/statistics?assignment={assignment_id}"
    assert other.get(url).status_code == 404  # not otto's class


def test_statistics_recomputed_from_the_answers_csv(app: Flask, clock: Clock,
                                                    seeded: dict[str, int]) -> None:
    """The page's figures, recomputed independently from the class's exported answers."""
    import csv
    import io

    from quizapp.analysis import analyse
    from quizapp.models import User
    from quizapp.services import item_analysis
    from quizapp.services.assignments import assign
    from quizapp.services.classes import add_student, create_class
    from quizapp.services.exports import answers_csv

    quiz = quiz_pk(app)
    with app.app_context():
        teacher_id = create_user(db.session, "tina", "correct horse", "teacher").id
        school_class = create_class(db.session, teacher_id, "Class 9C", clock())
        assignment = assign(db.session, school_class, quiz, clock(), clock())
        for name, attempt_id in seeded.items():
            user_id = db.session.scalar(select(User.id).where(User.username == name))
            add_student(db.session, school_class, user_id, clock())
            db.session.get(Attempt, attempt_id).assignment_id = assignment.id
        db.session.commit()
        exported = answers_csv(db.session, school_class.id)
        sheet: dict[str, dict[str, tuple[float, float]]] = {}
        for row in csv.DictReader(io.StringIO(exported)):
            sheet.setdefault(row["attempt_id"], {})[row["question_id"]] = (
                float(row["points"]), float(row["max_points"]))
        expected_quiz, expected_items = analyse(sheet)
        report = item_analysis.quiz_report(
            db.session, item_analysis.Scope(quiz, assignment_id=assignment.id))
        assert report is not None and report.stats.count == len(sheet) == 9
        for name in ("mean", "median", "sd", "skewness", "kurtosis", "cic", "standard_error"):
            assert getattr(report.stats, name) == pytest.approx(getattr(expected_quiz, name))
        got = {item.question.slug: item.stats for item in report.items}
        for item in expected_items:
            for name in ("facility", "sd", "effective_weight", "discrimination", "efficiency"):
                assert getattr(got[item.key], name) == pytest.approx(getattr(item, name))
