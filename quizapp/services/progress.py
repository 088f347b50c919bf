"""Learner progress, kept as running aggregates.

Each answer updates the learner's topic, day and review-card rows in the same
transaction that stores it, and each finished attempt updates its quiz row, so
the progress page reads a handful of small rows however long the history is.
Upserts use INSERT ... ON CONFLICT so that two answers at once cannot collide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, Protocol, TypeVar

from sqlalchemy import (
    BindParameter,
    Integer,
    Select,
    bindparam,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, selectinload

from quizapp import scheduling
from quizapp.banks.schema import Quiz as QuizSpec
from quizapp.models import (
    Answer,
    Attempt,
    AttemptItem,
    Bank,
    DayStat,
    Question,
    QuestionVersion,
    Quiz,
    QuizStat,
    ReviewCard,
    TopicStat,
    percent_of,
    quiz_rules,
)
from quizapp.prepared import PreparedStatement
from quizapp.qtypes.base import Outcome

# Mastery looks at about the last RECENT_WINDOW answers of a topic.
RECENT_WINDOW = 5
SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


def _insert(session: Session, model: type) -> Any:
    return _dialect_module(session.get_bind().dialect.name).insert(model)


def _dialect_module(dialect: str) -> Any:
    return postgresql if dialect == "postgresql" else sqlite


@dataclass(frozen=True)
class AnswerAggregates:
    """Everything one final answer changes in the learner's aggregates, computed ahead.

    Reading the review card and scheduling it happen before the answer's write
    transaction (`prepare_answer`, or `aggregates_of` from a card read with the
    question), so the write itself (`write_answer`) is three statements and holds
    SQLite's write lock only as long as they take.
    """

    user_id: int
    bank_id: int
    question_id: int
    topics: tuple[str, ...]
    right: int
    when: datetime
    card: dict[str, Any]
    due: datetime
    correct: bool


@dataclass(frozen=True)
class ReviewStart:
    """What one answer's aggregates start from: the question's bank, and the learner's
    review card of the question (None before the first answer)."""

    bank_id: int
    card: dict[str, Any] | None


def prepare_answer(
    session: Session, user_id: int, question_id: int, topics: Sequence[str],
    outcome: Outcome, when: datetime,
) -> AnswerAggregates:
    """Read and compute what `write_answer` will store for one final answer.

    One statement: the question's bank and the learner's review card of it. (An answer
    to a question page reads them with the question: attempts.read_answer_state.)
    """
    bank_id, previous = session.connection().execute(
        _bank_and_card_statement(), {"user_id": user_id, "question_id": question_id}
    ).one()
    return aggregates_of(ReviewStart(int(bank_id), previous), user_id, question_id, topics,
                         outcome, when)


def aggregates_of(
    start: ReviewStart, user_id: int, question_id: int, topics: Sequence[str],
    outcome: Outcome, when: datetime,
) -> AnswerAggregates:
    """What `write_answer` will store for one final answer: the card scheduled anew."""
    state = scheduling.review(start.card, outcome.fraction, when)
    return AnswerAggregates(
        user_id=user_id, bank_id=start.bank_id, question_id=question_id,
        topics=tuple(dict.fromkeys(topics)),
        right=1 if outcome.correct else 0, when=when, card=state,
        due=scheduling.due_of(state), correct=outcome.correct,
    )


@cache
def _bank_and_card_statement() -> Select[Any, Any]:
    return (
        select(Question.bank_id, ReviewCard.card)
        .outerjoin(
            ReviewCard,
            (ReviewCard.question_id == Question.id)
            & (ReviewCard.user_id == bindparam("user_id")),
        )
        .where(Question.id == bindparam("question_id"))
    )


def write_answer(session: Session, aggregates: AnswerAggregates) -> None:
    """Fold a prepared answer into the topic, day and review-card rows: one upsert each.

    The review card is written as computed beforehand: of two answers to the same
    question by the same learner in the same instant, the later write's schedule stands.
    The statements are built once per database kind: this runs while SQLite's write
    lock is held, and composing a statement costs more than running it.
    """
    # Core statements on the session's connection: the ORM's bulk-insert machinery
    # would cost more than the upserts themselves.
    connection = session.connection()
    upserts = _answer_upserts(connection.dialect.name)
    user_id, right = aggregates.user_id, aggregates.right
    if aggregates.topics:
        upserts.topics.execute_many(connection, [
            {"user_id": user_id, "bank_id": aggregates.bank_id, "topic": topic,
             "answered": 1, "correct": right, "recent": float(right)}
            for topic in aggregates.topics
        ])
    upserts.day.execute(connection, {"user_id": user_id, "day": aggregates.when.date(),
                                     "answered": 1, "correct": right})
    upserts.card.execute(connection, {
        "user_id": user_id, "question_id": aggregates.question_id, "card": aggregates.card,
        "due": aggregates.due, "last_correct": aggregates.correct,
        "last_answered_at": aggregates.when,
    })


def record_answer(
    session: Session, user_id: int, question_id: int, topics: Sequence[str],
    outcome: Outcome, when: datetime,
) -> None:
    """Fold one final answer into the learner's aggregates and review schedule."""
    write_answer(session, prepare_answer(session, user_id, question_id, topics, outcome, when))


@dataclass(frozen=True)
class _AnswerUpserts:
    topics: PreparedStatement
    day: PreparedStatement
    card: PreparedStatement


@cache
def _answer_upserts(dialect: str) -> _AnswerUpserts:
    module = _dialect_module(dialect)
    topics = TopicStat.__table__
    # Running mean over the first answers, then an exponential average over the window;
    # the inserted row's `correct` and `recent` are this answer's (0 or 1).
    step = case(
        (topics.c.answered + 1 < RECENT_WINDOW, topics.c.answered + 1),
        else_=literal(RECENT_WINDOW),
    )
    topic_insert = module.insert(topics)
    new_topic = topic_insert.excluded
    days = DayStat.__table__
    day_insert = module.insert(days)
    card_insert = module.insert(ReviewCard.__table__)
    # Compiled once (quizapp/prepared.py), each INSERT naming the columns it sets.
    return _AnswerUpserts(
        topics=PreparedStatement(topic_insert.on_conflict_do_update(
            index_elements=["user_id", "bank_id", "topic"],
            set_={
                "answered": topics.c.answered + 1,
                "correct": topics.c.correct + new_topic.correct,
                "recent": topics.c.recent + (new_topic.recent - topics.c.recent) / step,
            },
        ), column_keys=("user_id", "bank_id", "topic", "answered", "correct", "recent")),
        day=PreparedStatement(day_insert.on_conflict_do_update(
            index_elements=["user_id", "day"],
            set_={"answered": days.c.answered + 1,
                  "correct": days.c.correct + day_insert.excluded.correct},
        ), column_keys=("user_id", "day", "answered", "correct")),
        card=PreparedStatement(card_insert.on_conflict_do_update(
            index_elements=["user_id", "question_id"],
            set_={key: card_insert.excluded[key]
                  for key in ("card", "due", "last_correct", "last_answered_at")},
        ), column_keys=("user_id", "question_id", "card", "due", "last_correct",
                        "last_answered_at")),
    )


def record_finish(session: Session, attempt: Attempt) -> None:
    """Fold a finished quiz attempt into the learner's per-quiz row."""
    if attempt.quiz_id is None:
        return
    percent = attempt.percent
    table = QuizStat.__table__
    statement = _insert(session, QuizStat).values(
        user_id=attempt.user_id, quiz_id=attempt.quiz_id, attempts=1,
        first_percent=percent, last_percent=percent, best_percent=percent, sum_percent=percent,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "quiz_id"],
        set_={
            "attempts": table.c.attempts + 1,
            "last_percent": percent,
            "best_percent": case(
                (table.c.best_percent < percent, literal(percent)), else_=table.c.best_percent
            ),
            "sum_percent": table.c.sum_percent + percent,
        },
    )
    session.execute(statement)


class GradeFigures(Protocol):
    """A learner's running figures on one quiz: a QuizStat row, or its columns read plain."""

    @property
    def attempts(self) -> int: ...
    @property
    def first_percent(self) -> float | None: ...
    @property
    def last_percent(self) -> float | None: ...
    @property
    def best_percent(self) -> float | None: ...
    @property
    def sum_percent(self) -> float: ...


def quiz_grade(stat: GradeFigures, grading: str) -> float | None:
    """The quiz grade under its grading method, from the running aggregate."""
    if not stat.attempts:
        return None
    if grading == "average":
        return stat.sum_percent / stat.attempts
    if grading == "first":
        return stat.first_percent
    if grading == "last":
        return stat.last_percent
    return stat.best_percent


# -- reading progress ---------------------------------------------------------------
# The chart shows this many recent finished attempts; the page lists the newest few.
CHART_LIMIT = 30
HISTORY_LIMIT = 10
HISTORY_PAGE_SIZE = 25
# Fewer answers than this on a topic are too few to call it mastered or not.
MASTERY_MIN_ANSWERS = 3
KIND_TITLES = {"review": "Review session", "mistakes": "Mistakes session"}


def attempt_title(attempt: Attempt) -> str:
    return title_of(attempt.quiz.title if attempt.quiz is not None else None, attempt.kind)


def title_of(quiz_title: str | None, kind: str) -> str:
    """What an attempt is called: its quiz's title, or the kind of review session."""
    if quiz_title is not None:
        return quiz_title
    return KIND_TITLES.get(kind, "Review session")


@dataclass(frozen=True, slots=True)
class FinishedAttempt:
    """A finished attempt as the progress page and its chart list it (plain values)."""

    id: int
    title: str
    kind: str
    mode: str
    finished_at: datetime
    percent: float


@dataclass(frozen=True, slots=True)
class QuizHeading:
    """A quiz as the progress report names and links it, with its rules (plain values)."""

    id: int
    slug: str
    title: str
    rules: QuizSpec

    @classmethod
    def of(cls, quiz_id: int, slug: str, title: str, settings: dict[str, Any] | None
           ) -> QuizHeading:
        """From a quiz's columns, its rules read as `Quiz.rules` reads them."""
        return cls(id=quiz_id, slug=slug, title=title,
                   rules=quiz_rules(slug, title, settings or {}))


@dataclass(frozen=True)
class QuizSummary:
    quiz: Quiz | QuizHeading
    attempts: int
    grade: float | None
    passed: bool | None
    attempts_left: int | None
    pass_mark: float | None
    grading: str
    # The unfinished attempt, if any: it counts against the attempts allowed.
    open_attempt: Attempt | None = None
    open_answered: int = 0
    open_questions: int = 0  # how many questions the unfinished attempt has

    @property
    def can_start(self) -> bool:
        """A new attempt may start (an open one is resumed instead)."""
        return self.open_attempt is None and (self.attempts_left is None or self.attempts_left > 0)


@dataclass(frozen=True)
class TopicMastery:
    bank_title: str
    topic: str
    title: str
    answered: int
    correct: int
    mastery: float  # share of recent answers right, 0..1

    @property
    def level(self) -> str:
        if self.answered < MASTERY_MIN_ANSWERS:
            return "Too few answers yet"
        if self.mastery >= 0.8:
            return "Strong"
        if self.mastery >= 0.5:
            return "Getting there"
        return "Needs practice"


@dataclass(frozen=True)
class ReviewCounts:
    due: int  # questions whose review has come
    mistakes: int  # questions last answered wrong
    next_due: datetime | None  # the earliest due date, past or future


@dataclass(frozen=True)
class ProgressReport:
    quizzes: list[QuizSummary]
    topics: list[TopicMastery]
    review: ReviewCounts
    streak_days: int
    active_days: int  # days with an answer, over the last year
    recent_attempts: list[FinishedAttempt]  # newest first, at most CHART_LIMIT
    total_attempts: int  # finished quiz attempts, from the per-quiz rows

    @property
    def due_count(self) -> int:
        return self.review.due

    # The mastery rule's figures, so the page states the rule the numbers follow.
    recent_window: int = RECENT_WINDOW
    min_answers: int = MASTERY_MIN_ANSWERS

    @property
    def history(self) -> list[FinishedAttempt]:
        return self.recent_attempts[:HISTORY_LIMIT]

    @property
    def chronological(self) -> list[FinishedAttempt]:
        return list(reversed(self.recent_attempts))


def summarise_quiz(
    quiz: Quiz | QuizHeading, stat: GradeFigures | None, open_attempt: Attempt | None = None,
    open_counts: tuple[int, int] = (0, 0),
) -> QuizSummary:
    """`open_counts`: the open attempt's answered questions and all its questions."""
    rules = quiz.rules
    grade = quiz_grade(stat, rules.grading) if stat else None
    pass_mark = rules.pass_mark
    allowed = rules.attempts_allowed
    attempts = stat.attempts if stat else 0
    # An attempt in progress has used one of the attempts allowed already.
    used = attempts + (1 if open_attempt is not None else 0)
    return QuizSummary(
        quiz=quiz,
        attempts=attempts,
        grade=grade,
        passed=None if grade is None or pass_mark is None else grade >= pass_mark,
        attempts_left=None if allowed is None else max(0, allowed - used),
        pass_mark=pass_mark,
        grading=rules.grading,
        open_attempt=open_attempt,
        open_answered=open_counts[0],
        open_questions=open_counts[1],
    )


def quiz_summary(
    session: Session, user_id: int, quiz: Quiz, open_attempt: Attempt | None = None
) -> QuizSummary:
    """The learner's standing on one quiz; `open_attempt` is their unfinished one, if any."""
    stat = session.scalar(
        select(QuizStat).where(QuizStat.user_id == user_id, QuizStat.quiz_id == quiz.id)
    )
    if open_attempt is None:
        return summarise_quiz(quiz, stat)
    counts = attempt_counts(session, [open_attempt.id])
    return summarise_quiz(quiz, stat, open_attempt, counts.get(open_attempt.id, (0, 0)))


def attempt_counts(session: Session, attempt_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each attempt's answered questions and all its questions, in one statement."""
    if not attempt_ids:
        return {}
    rows = session.execute(
        select(AttemptItem.attempt_id, func.count(Answer.item_id), func.count(AttemptItem.id))
        .outerjoin(Answer, Answer.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id.in_(attempt_ids))
        .group_by(AttemptItem.attempt_id)
    ).all()
    return {attempt_id: (answered, total) for attempt_id, answered, total in rows}


# A practice question takes about a minute with its feedback; an exam states its limit.
MINUTES_PER_QUESTION = 1.0


@dataclass(frozen=True)
class QuizCard:
    """One quiz on the home page, as the learner stands with it."""

    quiz: Quiz
    questions: int
    minutes: int  # the time limit, or an estimate from the number of questions
    summary: QuizSummary | None  # None when nobody is logged in

    @property
    def estimated(self) -> bool:
        return not self.quiz.rules.time_limit

    @property
    def done(self) -> bool:
        """Finished at least once, and passed where there is a pass mark."""
        if self.summary is None or not self.summary.attempts:
            return False
        return self.summary.passed is not False


def quiz_cards(
    session: Session, user_id: int | None, quizzes: list[Quiz],
    open_attempts: dict[int, Attempt], question_counts: dict[int, int],
) -> list[QuizCard]:
    """The home page's quizzes with counts, estimates, best scores and open attempts."""
    stats: dict[int, QuizStat] = {}
    counts: dict[int, tuple[int, int]] = {}
    if user_id is not None:
        stats = {
            stat.quiz_id: stat
            for stat in session.scalars(select(QuizStat).where(QuizStat.user_id == user_id))
        }
        counts = attempt_counts(session, [a.id for a in open_attempts.values()])
    cards = []
    for quiz in quizzes:
        count = question_counts.get(quiz.id, 0)
        limit = quiz.rules.time_limit
        minutes = limit if limit else max(1, round(count * MINUTES_PER_QUESTION))
        summary = None
        if user_id is not None:
            current = open_attempts.get(quiz.id)
            summary = summarise_quiz(
                quiz, stats.get(quiz.id), current,
                counts.get(current.id, (0, 0)) if current else (0, 0),
            )
        cards.append(QuizCard(quiz=quiz, questions=count, minutes=minutes, summary=summary))
    return cards


def streak(days: list[date], today: date) -> int:
    """Consecutive active days ending today (or yesterday, if today is still empty)."""
    active = set(days)
    day = today if today in active else today - timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(days=1)
    return count


def live_cards(statement: SelectT, user_id: int | BindParameter[int]) -> SelectT:
    """Narrow a select from ReviewCard to the learner's cards on live questions in live
    banks: the cards review sessions draw from and the progress page counts. Exam-only
    questions are left out: only exams show them. Joins the current QuestionVersion."""
    return (
        statement.join(Question, Question.id == ReviewCard.question_id)
        .join(Bank, Bank.id == Question.bank_id)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(
            ReviewCard.user_id == user_id,
            Question.retired.is_(False),
            Bank.retired.is_(False),
            QuestionVersion.exam_only.is_(False),
        )
    )


# The progress page's reads, built once: each request only binds the learner and the
# time, so no statement is rebuilt (or its cache key recomputed from a new tree) per page.
_USER: BindParameter[int] = bindparam("user_id", type_=Integer())
_NOW: BindParameter[datetime] = bindparam("now")
REVIEW_COUNTS = live_cards(
    select(
        func.count(case((ReviewCard.due <= _NOW, 1))),
        func.count(case((ReviewCard.last_correct.is_(False), 1))),
        func.min(ReviewCard.due),
    ).select_from(ReviewCard),
    _USER,
)
QUIZ_STATS = (
    select(QuizStat.attempts, QuizStat.first_percent, QuizStat.last_percent,
           QuizStat.best_percent, QuizStat.sum_percent,
           Quiz.id, Quiz.slug, Quiz.title, Quiz.settings)
    .join(Quiz, QuizStat.quiz_id == Quiz.id)
    .where(QuizStat.user_id == _USER)
    .order_by(Quiz.title)
)
TOPIC_STATS = (
    select(TopicStat.topic, TopicStat.answered, TopicStat.correct, TopicStat.recent,
           Bank.title, Bank.meta["topics"])
    .join(Bank, TopicStat.bank_id == Bank.id)
    .where(TopicStat.user_id == _USER)
    .order_by(Bank.title, TopicStat.topic)
)

# Days with an answer: the latest STREAK_WEEK are read, with how many there are of
# the latest 366 beside them (the active days shown); only a streak at least that long
# reads the latest 366 themselves. A streak longer than a year is shown as a year.
# (Counting the streak in SQL instead, with a window over the days and date arithmetic
# per row, measured several times slower on SQLite than sending the rows.)
STREAK_WEEK = 8
ACTIVE_DAYS = (
    select(DayStat.day)
    .where(DayStat.user_id == _USER)
    .order_by(DayStat.day.desc())
    .limit(366)
)
_ACTIVE_COUNT = (
    select(func.count()).select_from(ACTIVE_DAYS.subquery()).scalar_subquery()
)
LATEST_DAYS = ACTIVE_DAYS.with_only_columns(DayStat.day, _ACTIVE_COUNT).limit(STREAK_WEEK)


RECENT_RESULTS = (
    select(Attempt.id, Quiz.title, Attempt.kind, Attempt.mode, Attempt.finished_at,
           Attempt.score, Attempt.max_score)
    .outerjoin(Quiz, Attempt.quiz_id == Quiz.id)
    .where(Attempt.user_id == _USER, Attempt.finished_at.is_not(None))
    .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
    .limit(bindparam("limit"))
)


def review_counts(session: Session, user_id: int, now: datetime) -> ReviewCounts:
    """Due and mistaken questions in one statement over the learner's cards.

    A learner has at most one card per question, so this reads as many rows as
    the banks have questions, however many times they were answered. Retired
    questions and banks are left out, as review sessions leave them out.
    """
    row = session.connection().execute(REVIEW_COUNTS, {"user_id": user_id, "now": now}).one()
    return ReviewCounts(due=row[0] or 0, mistakes=row[1] or 0, next_due=row[2])


def progress_report(session: Session, user_id: int, now: datetime) -> ProgressReport:
    """Everything on the progress page, in a fixed number of small reads of aggregates."""
    learner = {"user_id": user_id}
    # Every statement reads plain columns and runs on the connection: no ORM entities
    # to build, so SQLAlchemy's ORM execution layer has nothing to do for them.
    connection = session.connection()
    stats = connection.execute(QUIZ_STATS, learner).all()
    streak_days, active_days = _streak_and_active_days(connection, user_id, now.date())
    return ProgressReport(
        quizzes=[
            summarise_quiz(QuizHeading.of(row.id, row.slug, row.title, row.settings), row)
            for row in stats
        ],
        topics=_masteries(connection.execute(TOPIC_STATS, learner).all()),
        review=review_counts(session, user_id, now),
        streak_days=streak_days,
        active_days=active_days,
        recent_attempts=recent_results(session, user_id, CHART_LIMIT),
        total_attempts=sum(row.attempts for row in stats),
    )


def _streak_and_active_days(connection: Connection, user_id: int, today: date) -> tuple[int, int]:
    """The streak ending today (or yesterday) and the active days, as `streak` counts
    them over the latest 366 days, reading the latest week of days unless the streak
    may be longer."""
    learner = {"user_id": user_id}
    rows = connection.execute(LATEST_DAYS, learner).all()
    if not rows:
        return 0, 0
    active = rows[0][1]
    days = [day for day, _count in rows if day <= today]  # none after today counts
    length = streak(days, today)
    if len(rows) == STREAK_WEEK and length == len(days):
        # Every day read belongs to the streak: it may go on past them.
        latest = connection.execute(ACTIVE_DAYS, learner).scalars().all()
        length = streak(list(latest), today)
    return length, active


def recent_results(session: Session, user_id: int, limit: int) -> list[FinishedAttempt]:
    """The learner's latest finished attempts, newest first, as plain values: one
    statement (index user_id, finished_at), the quiz title joined in."""
    rows = session.connection().execute(RECENT_RESULTS, {"user_id": user_id, "limit": limit}).all()
    return [
        FinishedAttempt(id=id_, title=title_of(quiz_title, kind), kind=kind, mode=mode,
                        finished_at=finished_at, percent=percent_of(score, max_score))
        for id_, quiz_title, kind, mode, finished_at, score, max_score in rows
        if finished_at is not None  # as the statement asks: only finished attempts
    ]


def finished_attempts(
    session: Session, user_id: int, limit: int, offset: int = 0
) -> list[Attempt]:
    """A page of the learner's finished attempts, newest first (index user_id, finished_at)."""
    return list(
        session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user_id, Attempt.finished_at.is_not(None))
            .options(selectinload(Attempt.quiz))
            .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


@dataclass(frozen=True)
class HistoryPage:
    attempts: list[Attempt]
    page: int
    has_next: bool


def history_page(session: Session, user_id: int, page: int) -> HistoryPage:
    """One page of all finished attempts; one row more than shown tells if more follow."""
    size = HISTORY_PAGE_SIZE
    rows = finished_attempts(session, user_id, size + 1, (page - 1) * size)
    return HistoryPage(attempts=rows[:size], page=page, has_next=len(rows) > size)


class TopicTitles:
    """Topics' titles as their banks declare them (a bank's `topics` list in its meta),
    each bank's read once while rows of topic figures are turned into values."""

    def __init__(self) -> None:
        self._by_bank: dict[str, dict[str, str]] = {}

    def of(self, bank_title: str, bank_topics: Sequence[Any] | None,
           topic: str) -> str:
        """The topic's title, or its id where the bank gives none."""
        titles = self._by_bank.get(bank_title)
        if titles is None:
            titles = self._by_bank[bank_title] = {
                t.get("id"): t.get("title") for t in bank_topics or ()}
        return titles.get(topic) or topic


def _masteries(rows: Sequence[Sequence[Any]]) -> list[TopicMastery]:
    """Mastery per topic from (topic, answered, correct, recent, bank title, bank topics)."""
    titles = TopicTitles()
    return [
        TopicMastery(
            bank_title=bank_title, topic=topic, title=titles.of(bank_title, bank_topics, topic),
            answered=answered, correct=correct, mastery=recent,
        )
        for topic, answered, correct, recent, bank_title, bank_topics in rows
    ]
