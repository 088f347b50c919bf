"""Attempts: start, answer, move, finish. The server decides scores, time and order.

Every function takes a database session and plain values; none looks at a request.
Each change of state is one transaction, committed here.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any, NoReturn, cast

from sqlalchemy import (
    BindParameter,
    Row,
    Select,
    Table,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from quizapp.banks.schema import Quiz as QuizSpec
from quizapp.config import DEFAULT_MAX_QUESTIONS_PER_ATTEMPT
from quizapp.memo import Memo
from quizapp.models import (
    Answer,
    Attempt,
    AttemptItem,
    Bank,
    Question,
    QuestionVersion,
    Quiz,
    ReviewCard,
)
from quizapp.prepared import PreparedStatement
from quizapp.qtypes import get_type
from quizapp.qtypes.base import Outcome, QuestionSpec, ResponseError
from quizapp.services import progress

# Reads a response for one question, e.g. `lambda spec, seed: spec.parse_form(form, seed)`.
ResponseReader = Callable[[QuestionSpec, int | None], Any]


class AttemptError(Exception):
    """A request the rules refuse; `status` is the HTTP status a view should use."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AttemptError):
    status = 404


class LimitReached(AttemptError):
    status = 403


class TimeUp(AttemptError):
    status = 409


class StalePage(AttemptError):
    """The answer came from a page older than the question's last change."""

    status = 409


STALE_MESSAGE = "This question was changed in another window."
TIME_UP_MESSAGE = ("Time is up: the attempt was finished at its deadline and this "
                   "answer was not recorded.")


@dataclass(frozen=True)
class AnswerResult:
    """What happened to a submitted answer."""

    stored: bool  # False when the response could not be read
    error: str | None = None  # why it could not be read, for the learner
    outcome: Outcome | None = None
    already_answered: bool = False
    # Where the page goes next, so a view need not read the attempt again.
    immediate_feedback: bool = False
    total: int = 0


_SPEC_CACHE: Memo[str, QuestionSpec] = Memo(limit=20_000)


def spec_of(version: QuestionVersion) -> QuestionSpec:
    """The validated question model of a stored version (cached: versions never change)."""
    spec = _SPEC_CACHE.get(version.content_hash)
    if spec is None:
        spec = _remember_spec(version.content_hash, version.qtype, version.spec)
    return spec


def spec_of_ref(session: Session, version: VersionRef) -> QuestionSpec:
    """`spec_of` for a version read as plain values: its stored spec is read only when
    this process has not parsed it yet."""
    spec = _SPEC_CACHE.get(version.content_hash)
    if spec is None:
        data = session.connection().execute(
            select(QuestionVersion.spec).where(QuestionVersion.id == version.id)
        ).scalar_one()
        spec = _remember_spec(version.content_hash, version.qtype, data)
    return spec


def _remember_spec(content_hash: str, qtype: str, data: dict[str, Any]) -> QuestionSpec:
    return _SPEC_CACHE.keep(content_hash, get_type(qtype).model_validate(data))


def item_seed(attempt: Attempt | AttemptHeader, item: AttemptItem | ItemHeader) -> int | None:
    """The option-shuffling seed of one item; None keeps the file's order."""
    shuffle = attempt.quiz is None or attempt.quiz.rules.shuffle_options
    return option_seed(shuffle, attempt.seed, item.position)


def option_seed(shuffle: bool, attempt_seed: int, position: int) -> int | None:
    """The seed that shuffles the options of the question at `position`; None when the
    quiz keeps the file's order."""
    if not shuffle:
        return None
    return (attempt_seed * 7919 + position * 104_729) % 2_147_483_647


# -- listing ------------------------------------------------------------------------
def available_quizzes(session: Session) -> list[Quiz]:
    return list(
        quiz
        for quiz in session.scalars(
            select(Quiz)
            .join(Bank)
            .where(Quiz.retired.is_(False), Bank.retired.is_(False))
            .options(selectinload(Quiz.bank))
            .order_by(Bank.title, Quiz.position)
        )
        # `visibility: assigned` quizzes are reached only through an assignment.
        if quiz.rules.visibility != "assigned"
    )


def get_quiz(session: Session, quiz_id: int) -> Quiz:
    quiz = session.get(Quiz, quiz_id)
    if quiz is None or quiz.retired or quiz.bank.retired:
        raise NotFound("There is no such quiz.")
    return quiz


def get_attempt(
    session: Session, user_id: int, attempt_id: int, *, with_versions: bool = False
) -> Attempt:
    """The learner's own attempt; anyone else's is reported as not found.

    The attempt with its quiz, then its items with their answers: two statements
    however long the attempt is (answers and finishing read this, so it is kept to
    the fewest round trips); `with_versions` also loads every question shown, for the
    review of all of them.
    """
    items = selectinload(Attempt.items)
    options = [joinedload(Attempt.quiz), items.joinedload(AttemptItem.answer)]
    if with_versions:
        options.append(
            items.selectinload(AttemptItem.version)
            .selectinload(QuestionVersion.question)
            .selectinload(Question.bank)
        )
    attempt = session.scalar(select(Attempt).where(Attempt.id == attempt_id).options(*options))
    return _owned(attempt, user_id)


def current_attempt(session: Session, user_id: int, attempt_id: int, now: datetime) -> Attempt:
    """The learner's own attempt as it stands at `now`: finished first if its time is up,
    so no page shows an attempt as open past its deadline."""
    attempt = get_attempt(session, user_id, attempt_id)
    finish_if_expired(session, attempt, now)
    return attempt


def _owned(attempt: Attempt | None, user_id: int) -> Attempt:
    if attempt is None or attempt.user_id != user_id:
        raise NotFound("There is no such attempt.")
    return attempt


def latest_open(session: Session, user_id: int, *conditions: Any) -> Attempt | None:
    """The learner's newest unfinished attempt that meets `conditions`."""
    return session.scalar(
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_(None), *conditions)
        .order_by(Attempt.id.desc())
        .limit(1)
    )


def open_attempt(session: Session, user_id: int, quiz_id: int) -> Attempt | None:
    return latest_open(session, user_id, Attempt.quiz_id == quiz_id)


def attempts_used(session: Session, user_id: int, quiz_id: int) -> int:
    return session.scalar(
        select(func.count(Attempt.id)).where(Attempt.user_id == user_id, Attempt.quiz_id == quiz_id)
    ) or 0


@dataclass(frozen=True)
class Assigned:
    """A start through an assignment: its effective limits replace the quiz's own.

    Attempts through an assignment are counted apart from open practice; the attempt
    numbers (unique per learner and quiz) keep two starts at once from both taking
    the last attempt allowed.
    """

    assignment_id: int
    time_limit: int | None  # minutes, extra time included
    attempts_allowed: int | None  # extra attempts included
    closes_at: datetime | None  # no attempt runs past the closing time

    def scope(self) -> tuple[Any, ...]:
        return (Attempt.assignment_id == self.assignment_id,)

    def deadline(self, now: datetime) -> datetime | None:
        ends = [t for t in (
            now + timedelta(minutes=self.time_limit) if self.time_limit else None,
            self.closes_at,
        ) if t is not None]
        return min(ends) if ends else None


# -- starting -----------------------------------------------------------------------
# Simultaneous starts race for the same attempt number; the losers try again and then
# find the winner's attempt (or the limit). A few rounds settle any realistic burst.
START_ROUNDS = 5


def start_attempt(
    session: Session,
    user_id: int,
    quiz_id: int,
    now: datetime,
    seed: int | None = None,
    *,
    max_questions: int = DEFAULT_MAX_QUESTIONS_PER_ATTEMPT,
    assigned: Assigned | None = None,
) -> Attempt:
    """Resume the learner's unfinished attempt on this quiz, or start a new one.

    The attempt limit holds under concurrency because attempts are numbered per
    learner and quiz under a unique constraint: of two starts that read the same
    count, only one insert succeeds; the other starts over and resumes it.
    """
    return start_in_rounds(
        session, lambda: _start_once(session, user_id, quiz_id, now, seed, max_questions, assigned)
    )


def start_in_rounds(session: Session, start_once: Callable[[], Attempt]) -> Attempt:
    """Run a start until its insert is not refused by a unique key: a start that
    loses the race looks again and finds the winner's attempt (or a limit)."""
    for _ in range(START_ROUNDS):
        try:
            return start_once()
        except IntegrityError:
            session.rollback()
    raise AttemptError("Many starts arrived at once; please try again.")


def _start_once(
    session: Session, user_id: int, quiz_id: int, now: datetime, seed: int | None,
    max_questions: int, assigned: Assigned | None = None,
) -> Attempt:
    quiz = get_quiz(session, quiz_id)
    if assigned is None and quiz.rules.visibility == "assigned":
        raise NotFound("There is no such quiz.")
    spec = quiz_spec(quiz)
    # Through an assignment, only its own attempts count towards its limit.
    scope = assigned.scope() if assigned else ()
    counted = func.count(Attempt.id).filter(*scope) if scope else func.count(Attempt.id)
    # Counted before looking for an open attempt: an attempt another request makes
    # after the count is then either seen as open (and resumed) or takes the number
    # this one would take (and this insert fails), never missed by both reads.
    used, highest = session.execute(
        select(counted, func.max(Attempt.number))
        .where(Attempt.user_id == user_id, Attempt.quiz_id == quiz.id)
    ).one()
    current = latest_open(session, user_id, Attempt.quiz_id == quiz.id, *scope)
    if current is not None:
        finish_if_expired(session, current, now)
        if not current.finished:
            if current.mode != "exam":
                refuse_during_exam(session, user_id, question_ids_of(current), now)
            return current
    allowed = assigned.attempts_allowed if assigned else spec.attempts_allowed
    if allowed is not None and used >= allowed:
        raise LimitReached(f"You have used all {allowed} attempts allowed for this quiz.")
    pool = quiz_pool(session, quiz)
    if not pool:
        raise AttemptError("This quiz has no questions yet.")
    if spec.mode != "exam":
        refuse_during_exam(session, user_id, {v.question_id for v in pool}, now)
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31 - 1)
    versions = draw(pool, spec, random.Random(seed), max_questions)
    time_limit = spec.time_limit
    attempt = Attempt(
        user_id=user_id,
        quiz_id=quiz.id,
        kind="quiz",
        mode=spec.mode,
        feedback=spec.feedback,
        seed=seed,
        started_at=now,
        deadline=now + timedelta(minutes=time_limit) if time_limit else None,
        number=(highest or 0) + 1,
    )
    if assigned is not None:
        attempt.deadline = assigned.deadline(now)
        attempt.assignment_id = assigned.assignment_id
    session.add(attempt)
    session.flush()  # a second start with the same number fails here
    add_items(session, attempt, versions)
    session.commit()
    return attempt


def add_items(session: Session, attempt: Attempt, versions: Sequence[QuestionVersion]) -> None:
    for position, version in enumerate(versions, start=1):
        session.add(
            AttemptItem(
                attempt_id=attempt.id,
                position=position,
                question_version_id=version.id,
                points=spec_of(version).points,
            )
        )
    attempt.max_score = sum(spec_of(v).points for v in versions)


def quiz_spec(quiz: Quiz) -> QuizSpec:
    """The quiz's declaration as the bank file's model, so its rules are the file's."""
    return quiz.rules


def quiz_pool(session: Session, quiz: Quiz) -> list[QuestionVersion]:
    """The current versions the quiz may draw, in file order (`QuizSpec.draws`)."""
    rows = session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == quiz.bank_id, Question.retired.is_(False))
        .order_by(Question.position)
    ).all()
    spec = quiz_spec(quiz)
    return [version for _question, version in rows if spec.draws(spec_of(version))]


# How many questions a quiz's attempts draw, by (quiz, its bank's last sync, cap): a
# value derived from the database and keyed by what changes it, so every worker's copy
# agrees; it spares the home page loading every quiz's questions on each visit.
_COUNT_CACHE: dict[tuple[int, datetime | None, int], int] = {}


def question_count(session: Session, quiz: Quiz, max_questions: int) -> int:
    """How many questions an attempt at this quiz draws (the same rule as starting one)."""
    key = (quiz.id, quiz.bank.synced_at, max_questions)
    count = _COUNT_CACHE.get(key)
    if count is None:
        pool = quiz_pool(session, quiz)
        count = len(draw(pool, quiz_spec(quiz), random.Random(0), max_questions))
        if len(_COUNT_CACHE) > 10_000:
            _COUNT_CACHE.clear()
        _COUNT_CACHE[key] = count
    return count


def draw(
    pool: list[QuestionVersion], spec: QuizSpec, rng: random.Random, max_questions: int
) -> list[QuestionVersion]:
    """The questions a new attempt shows, in its order: `count` of them (at most
    `max_questions`) drawn at random, shuffled unless the quiz says not to."""
    count = min(spec.select.count or len(pool), max_questions)
    chosen = list(pool)
    if count < len(chosen):
        chosen = rng.sample(chosen, count)
        chosen.sort(key=lambda v: v.id)
    if spec.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


# -- exams in progress --------------------------------------------------------------
class ExamInProgress(AttemptError):
    status = 409


def question_ids_of(attempt: Attempt) -> set[int]:
    return {item.version.question_id for item in attempt.items}


def refuse_during_exam(
    session: Session, user_id: int, question_ids: set[int], now: datetime
) -> None:
    """Refuse a practice, review or mistakes session that shares questions with an
    exam the learner has open: its feedback would give the exam's answers away."""
    # Every practice answer asks, and the answer is nearly always none: the ids are
    # read as plain values, and an exam's row only when there is one.
    connection = session.connection()
    exam_ids = connection.execute(_open_exams_statement(), {"user_id": user_id}).scalars().all()
    for exam_id in exam_ids:
        exam = session.get_one(Attempt, exam_id)
        if finish_if_expired(session, exam, now):
            continue
        shared = connection.execute(
            _exam_questions_statement(), {"attempt_id": exam.id}
        ).scalars()
        if question_ids.intersection(shared):
            raise ExamInProgress(
                f"You have an exam in progress ({progress.attempt_title(exam)}) that uses "
                "some of these questions. Finish the exam first: practising them now would "
                "show their answers."
            )


@cache
def _open_exams_statement() -> Select[int]:
    # Built once, as the other statements every answer runs.
    return select(Attempt.id).where(
        Attempt.user_id == bindparam("user_id"), Attempt.finished_at.is_(None),
        Attempt.mode == "exam",
    )


@cache
def _exam_questions_statement() -> Select[int]:
    return (
        select(QuestionVersion.question_id)
        .join(AttemptItem, AttemptItem.question_version_id == QuestionVersion.id)
        .where(AttemptItem.attempt_id == bindparam("attempt_id"))
    )


# -- answering ----------------------------------------------------------------------
NO_SUCH_QUESTION = "That question is not part of this attempt."


def get_item(attempt: Attempt, position: int) -> AttemptItem:
    for item in attempt.items:
        if item.position == position:
            return item
    raise NotFound(NO_SUCH_QUESTION)


def finish_if_expired(session: Session, attempt: Attempt, now: datetime) -> bool:
    """Finish an attempt whose deadline has passed; True when it did so now."""
    if not past_deadline(attempt, now):
        return False
    assert attempt.deadline is not None
    return finish_now(session, attempt, attempt.deadline)


def past_deadline(attempt: Attempt | AttemptHeader | Row[Any], now: datetime) -> bool:
    """Unfinished with its deadline passed: it must be finished before anything else."""
    return attempt.finished_at is None and attempt.deadline is not None and now >= attempt.deadline


def _claim_open(
    session: Session, attempt: Attempt, *, before: datetime | None = None, **values: Any
) -> bool:
    """Write `values` to the attempt only while it is unfinished, as this transaction's
    first write: False when another request finished it first.

    The guarded UPDATE takes the write lock (SQLite) or the row lock (PostgreSQL), so
    an answer (which claims its question on the same condition, `_claim_item_statement`)
    and a finish of the same attempt cannot interleave: whichever comes second sees the
    other's result. With `before`, the deadline must not have passed at that time
    either, re-checked in the same statement.
    """
    if _claim(session, attempt.id, before=before, **values):
        for name, value in values.items():
            set_committed_value(attempt, name, value)  # written already
        return True
    session.rollback()
    session.refresh(attempt)
    return False


def _claim(session: Session, attempt_id: int, *, before: datetime | None, **values: Any) -> bool:
    """The guarded UPDATE of `_claim_open`, by the attempt's id: True when it was made."""
    # A Core statement on the session's connection: the ORM's bulk-update machinery
    # costs more than the UPDATE.
    result = session.connection().execute(
        _claim_statement(tuple(sorted(values)), before is not None),
        {"attempt_id": attempt_id, "before": before,
         **{f"new_{name}": value for name, value in values.items()}},
    )
    return bool(result.rowcount == 1)


@cache
def _claim_statement(names: tuple[str, ...], before_deadline: bool) -> Any:
    # Built once per shape: an answer's claim opens SQLite's write transaction.
    attempts = cast(Table, Attempt.__table__)
    conditions = [attempts.c.id == bindparam("attempt_id"), attempts.c.finished_at.is_(None)]
    if before_deadline:
        conditions.append(
            or_(attempts.c.deadline.is_(None), attempts.c.deadline > bindparam("before"))
        )
    return (
        update(attempts)
        .where(*conditions)
        .values({
            name: bindparam(f"new_{name}", type_=attempts.c[name].type) for name in names
        })
    )


def ended_by_deadline(attempt: Attempt) -> bool:
    return (
        attempt.finished_at is not None
        and attempt.deadline is not None
        and attempt.finished_at >= attempt.deadline
    )


def submit_answer(
    session: Session,
    user_id: int,
    attempt_id: int,
    position: int,
    read: ResponseReader,
    now: datetime,
    sequence: int | None = None,
) -> AnswerResult:
    """Store an answer. `sequence` is the question's sequence number from the page the
    answer was given on: when the question has changed since, the answer is refused
    (StalePage) rather than overwrite the newer one. None skips the check.

    The question is read as plain values (`read_answer_state`): an answer builds no
    ORM object unless it is refused, and every write is a Core statement.
    """
    state = read_answer_state(session, user_id, attempt_id, position)
    header, item = state.attempt, state.item
    if header.finished or past_deadline(header, now):
        _refuse_finished(session, user_id, attempt_id, now)
    spec = spec_of_ref(session, item.version)
    seed = item_seed(header, item)
    where: dict[str, Any] = {"immediate_feedback": header.feedback == "immediate",
                             "total": state.total}
    try:
        response = read(spec, seed)
        outcome = spec.score(response)
    except ResponseError as error:
        return AnswerResult(stored=False, error=str(error), **where)
    if item.answer is not None and header.mode != "exam":
        return AnswerResult(stored=False, outcome=outcome_of(item.answer),
                            already_answered=True, **where)
    if sequence is not None and sequence != item.sequence:
        raise StalePage(STALE_MESSAGE)
    if header.mode != "exam" and state.open_exams:
        # A practice tab left open from before the exam started must not give
        # feedback on the exam's questions either.
        refuse_during_exam(session, user_id, {item.version.question_id}, now)
    # Every read and computation before the first write: from the claim on, this
    # transaction holds SQLite's write lock, which every other answer waits for.
    aggregates = None
    if item.answer is None and header.mode != "exam":
        aggregates = progress.aggregates_of(
            state.review, user_id, item.version.question_id, spec.topics, outcome, now
        )
    # One UPDATE claims the question: it takes SQLite's write lock (PostgreSQL: the
    # item's row lock, and a share lock on the attempt's row that a finish waits for),
    # re-checks in the same statement that the attempt is open and its time not up,
    # and raises the question's sequence number, which goes up with every stored
    # answer. In an exam, where an answer can be changed, it is also guarded by the
    # number the page showed, so of two pages posting at once only one gets through.
    # (A practice answer is written once: a second one is refused by the answers'
    # key, which is the item.)
    guarded = sequence is not None and header.mode == "exam"
    connection = session.connection()
    claimed = _claim_item_statement(guarded).execute(connection, {
        "item_id": item.id, "open_attempt": attempt_id, "before": now, "shown": sequence,
    })
    if claimed != 1:
        session.rollback()
        _refuse_unclaimed(session, user_id, attempt_id, now)
    values = _answer_values(item.points, response, outcome, now)
    if item.answer is not None:
        _answer_update_statement().execute(connection, {
            "answered_item": item.id,
            **{f"new_{name}": value for name, value in values.items()},
        })
        session.commit()
        return AnswerResult(stored=True, outcome=outcome, **where)
    try:
        # Written first, so a duplicate fails before any aggregate is touched.
        _new_answer_statement().execute(connection, {"item_id": item.id, **values})
        if aggregates is not None:
            # Practice answers are final at once, so they count towards progress now.
            progress.write_answer(session, aggregates)
        session.commit()
    except IntegrityError:
        # The same answer arrived twice at once: the first one stands.
        session.rollback()
        session.expire_all()
        attempt = get_attempt(session, user_id, attempt_id)
        stored = get_item(attempt, position).answer
        return AnswerResult(stored=False, already_answered=True,
                            outcome=outcome_of(stored) if stored else None, **where)
    return AnswerResult(stored=True, outcome=outcome, **where)


def _refuse_finished(session: Session, user_id: int, attempt_id: int, now: datetime) -> None:
    """Refuse an answer to an attempt that is finished, or is finished now because its
    time is up (read as an entity: finishing scores it)."""
    attempt = current_attempt(session, user_id, attempt_id, now)
    if attempt.finished:
        if ended_by_deadline(attempt):
            raise TimeUp(TIME_UP_MESSAGE)
        raise AttemptError("This attempt is finished; answers can no longer change.")


def _refuse_unclaimed(session: Session, user_id: int, attempt_id: int, now: datetime,
                      ) -> NoReturn:
    """Say why an answer's claim changed nothing: the attempt was finished meanwhile or
    its time is up (either way the answer is refused with a message, never stored where
    the score would not count it), or else the question changed in another window."""
    attempt = get_attempt(session, user_id, attempt_id)
    if finish_if_expired(session, attempt, now) or ended_by_deadline(attempt):
        raise TimeUp(TIME_UP_MESSAGE)
    if attempt.finished:
        raise AttemptError("This attempt was finished meanwhile; this answer was not recorded.")
    raise StalePage(STALE_MESSAGE)


@dataclass(frozen=True, slots=True)
class VersionRef:
    """A question version as a page or an answer needs it: which question, and the
    key of its spec (parsed once per process, `spec_of_ref`)."""

    id: int
    question_id: int
    content_hash: str
    qtype: str


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """An answer already stored, as a page shows it and `outcome_of` reads it."""

    response: Any
    fraction: float
    outcome: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class AttemptHeader:
    """An attempt as one of its question pages shows it (plain values)."""

    id: int
    user_id: int
    kind: str
    mode: str
    feedback: str
    seed: int
    deadline: datetime | None
    finished_at: datetime | None
    quiz: progress.QuizHeading | None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


@dataclass(frozen=True, slots=True)
class ItemHeader:
    """One question of an attempt with its stored answer, if any (plain values)."""

    id: int
    position: int
    points: float
    flagged: bool
    sequence: int
    version: VersionRef
    answer: StoredAnswer | None


@dataclass(frozen=True, slots=True)
class QuestionState:
    """A question as its page shows it (`read_question_state`)."""

    attempt: AttemptHeader
    item: ItemHeader
    total: int
    answered: int
    # The learner's unfinished exams (this attempt included, if it is one).
    open_exams: int


@dataclass(frozen=True, slots=True)
class AnswerState:
    """What an answer to a question needs (`read_answer_state`): not the count of answers,
    which only the page shows, but the question's bank and the learner's review card of
    it, what a practice answer's aggregates start from (progress.aggregates_of)."""

    attempt: AttemptHeader
    item: ItemHeader
    total: int
    # A practice answer is checked against the learner's unfinished exams
    # (`refuse_during_exam`) only when there are any.
    open_exams: int
    review: progress.ReviewStart


def read_question_state(
    session: Session, user_id: int, attempt_id: int, position: int,
) -> QuestionState:
    """The learner's attempt, its question at `position` with any stored answer, and the
    attempt's counts of questions and answers: one Core statement, no ORM entity built.

    The question page and the answer POST are the busiest requests of the app: they
    cost the same however long the attempt is.
    """
    row = _state_row(session, user_id, attempt_id, position, for_answer=False)
    return QuestionState(
        attempt=_attempt_header(attempt_id, row), item=_item_header(position, row),
        total=int(row.total), answered=int(row.answered), open_exams=int(row.open_exams),
    )


def read_answer_state(
    session: Session, user_id: int, attempt_id: int, position: int,
) -> AnswerState:
    """`read_question_state` for an answer: only what scoring and storing it read, in
    one statement (the answer POST is the app's busiest write)."""
    row = _state_row(session, user_id, attempt_id, position, for_answer=True)
    return AnswerState(
        attempt=_attempt_header(attempt_id, row), item=_item_header(position, row),
        total=int(row.total), open_exams=int(row.open_exams),
        review=progress.ReviewStart(bank_id=row.bank_id, card=row.card),
    )


def _state_row(session: Session, user_id: int, attempt_id: int, position: int,
               *, for_answer: bool) -> Any:
    row = _question_state_statement(for_answer).first(
        session.connection(), {"attempt_id": attempt_id, "position": position})
    if row is None or row.user_id != user_id:
        raise NotFound("There is no such attempt.")
    if row.item_id is None:
        raise NotFound(NO_SUCH_QUESTION)
    return row


def _attempt_header(attempt_id: int, row: Any) -> AttemptHeader:
    quiz = None
    if row.quiz_id is not None:
        # The quiz's rules: whether its options are shuffled, for one.
        quiz = progress.QuizHeading.of(
            row.quiz_id, row.quiz_slug, row.quiz_title, row.quiz_settings)
    return AttemptHeader(
        id=attempt_id, user_id=row.user_id, kind=row.kind, mode=row.mode,
        feedback=row.feedback, seed=row.seed, deadline=row.deadline,
        finished_at=row.finished_at, quiz=quiz)


def _item_header(position: int, row: Any) -> ItemHeader:
    return ItemHeader(
        id=row.item_id, position=position, points=row.points, flagged=row.flagged,
        sequence=row.sequence,
        version=VersionRef(row.version_id, row.question_id, row.content_hash, row.qtype),
        answer=(StoredAnswer(row.answer_response, row.answer_fraction, row.answer_outcome)
                if row.answer_item_id is not None else None))


@cache
def _question_state_statement(for_answer: bool) -> PreparedStatement:
    # Built once, from the tables, and compiled once (quizapp/prepared.py): composing
    # it costs more than running it, and the ORM's entity loading would cost more
    # than both.
    attempts, items = cast(Table, Attempt.__table__), cast(Table, AttemptItem.__table__)
    versions, answers = cast(Table, QuestionVersion.__table__), cast(Table, Answer.__table__)
    quizzes = cast(Table, Quiz.__table__)
    counted, exams = items.alias(), attempts.alias()
    attempt_id: BindParameter[int] = bindparam("attempt_id")
    open_exams = select(func.count(exams.c.id)).where(
        exams.c.user_id == attempts.c.user_id, exams.c.finished_at.is_(None),
        exams.c.mode == "exam")
    total = select(func.count(counted.c.id)).where(counted.c.attempt_id == attempt_id)
    joined = (
        attempts.outerjoin(quizzes, quizzes.c.id == attempts.c.quiz_id)
        .outerjoin(items, (items.c.attempt_id == attempts.c.id)
                   & (items.c.position == bindparam("position")))
        .outerjoin(versions, versions.c.id == items.c.question_version_id)
        .outerjoin(answers, answers.c.item_id == items.c.id)
    )
    columns = [
        attempts.c.user_id, attempts.c.kind, attempts.c.mode, attempts.c.feedback,
        attempts.c.seed, attempts.c.deadline, attempts.c.finished_at,
        quizzes.c.id.label("quiz_id"), quizzes.c.slug.label("quiz_slug"),
        quizzes.c.title.label("quiz_title"), quizzes.c.settings.label("quiz_settings"),
        items.c.id.label("item_id"), items.c.points, items.c.flagged, items.c.sequence,
        versions.c.id.label("version_id"), versions.c.question_id,
        versions.c.content_hash, versions.c.qtype,
        answers.c.item_id.label("answer_item_id"), answers.c.response.label("answer_response"),
        answers.c.fraction.label("answer_fraction"),
        answers.c.outcome.label("answer_outcome"),
        total.scalar_subquery().label("total"),
        open_exams.scalar_subquery().label("open_exams"),
    ]
    if for_answer:
        questions, cards = cast(Table, Question.__table__), cast(Table, ReviewCard.__table__)
        return PreparedStatement(
            select(*columns, questions.c.bank_id, cards.c.card)
            .select_from(
                joined.outerjoin(questions, questions.c.id == versions.c.question_id)
                .outerjoin(cards, (cards.c.question_id == versions.c.question_id)
                           & (cards.c.user_id == attempts.c.user_id)))
            .where(attempts.c.id == attempt_id)
        )
    answered_item = items.alias()
    answered = (
        select(func.count(answers.c.item_id))
        .join(answered_item, answers.c.item_id == answered_item.c.id)
        .where(answered_item.c.attempt_id == attempt_id)
    )
    return PreparedStatement(
        select(*columns, answered.scalar_subquery().label("answered"))
        .select_from(joined)
        .where(attempts.c.id == attempt_id)
    )


@cache
def _claim_item_statement(guarded: bool) -> PreparedStatement:
    # Built and compiled once (quizapp/prepared.py): it opens the answer's write
    # transaction.
    items, attempts = cast(Table, AttemptItem.__table__), cast(Table, Attempt.__table__)
    still_open = (
        select(attempts.c.id)
        .where(attempts.c.id == bindparam("open_attempt"), attempts.c.finished_at.is_(None),
               or_(attempts.c.deadline.is_(None), attempts.c.deadline > bindparam("before")))
        # PostgreSQL: FOR SHARE, which a finish's UPDATE of the attempt waits for (and
        # which waits for one under way, then sees it finished). SQLite has one writer.
        .with_for_update(read=True)
    )
    claim = update(items).where(items.c.id == bindparam("item_id"),
                                items.c.attempt_id.in_(still_open))
    if guarded:
        claim = claim.where(items.c.sequence == bindparam("shown"))
    return PreparedStatement(claim.values(sequence=items.c.sequence + 1))


# An answer's columns: its item (the key) and the values `_answer_values` gives, which
# an exam's changed answer replaces.
ANSWER_VALUES = ("response", "fraction", "points", "outcome", "answered_at")
ANSWER_COLUMNS = ("item_id", *ANSWER_VALUES)


def _answer_values(points: float, response: Any, outcome: Outcome, now: datetime
                   ) -> dict[str, Any]:
    return {
        "response": response,
        "fraction": outcome.fraction,
        "points": outcome.fraction * points,
        "outcome": outcome_to_dict(outcome),
        "answered_at": now,
    }


@cache
def _answer_update_statement() -> PreparedStatement:
    # An exam's answer changed: the new response replaces the stored one.
    answers = cast(Table, Answer.__table__)
    return PreparedStatement(
        update(answers)
        .where(answers.c.item_id == bindparam("answered_item"))
        .values({name: bindparam(f"new_{name}", type_=answers.c[name].type)
                 for name in ANSWER_VALUES})
    )


@cache
def _new_answer_statement() -> PreparedStatement:
    # A plain Core INSERT built and compiled once: it runs while SQLite's write lock
    # is held.
    return PreparedStatement(insert(cast(Table, Answer.__table__)), column_keys=ANSWER_COLUMNS)


def outcome_to_dict(outcome: Outcome) -> dict[str, Any]:
    return {
        "fraction": outcome.fraction,
        "feedback": list(outcome.feedback),
        "reading": outcome.reading,
        "parts": [
            {"label": p.label, "fraction": p.fraction, "reading": p.reading, "feedback": p.feedback}
            for p in outcome.parts
        ],
    }


def outcome_of(answer: Answer | StoredAnswer) -> Outcome:
    from quizapp.qtypes.base import PartOutcome

    data = answer.outcome or {}
    return Outcome(
        fraction=float(data.get("fraction", answer.fraction)),
        feedback=tuple(data.get("feedback", ())),
        reading=data.get("reading", ""),
        parts=tuple(PartOutcome(**p) for p in data.get("parts", ())),
    )


def set_flag(session: Session, user_id: int, attempt_id: int, position: int, flagged: bool) -> None:
    attempt = get_attempt(session, user_id, attempt_id)
    item = get_item(attempt, position)
    if attempt.finished:
        # Flagging posts the answer form: after the deadline it is refused as a late answer.
        if ended_by_deadline(attempt):
            raise TimeUp(TIME_UP_MESSAGE)
        raise AttemptError("This attempt is finished.")
    item.flagged = flagged
    session.commit()


# -- finishing ----------------------------------------------------------------------
def finish_attempt(session: Session, user_id: int, attempt_id: int, now: datetime) -> Attempt:
    attempt = get_attempt(session, user_id, attempt_id)
    if finish_if_expired(session, attempt, now) or attempt.finished:
        return attempt
    finish_now(session, attempt, now)
    return attempt


def finish_now(session: Session, attempt: Attempt, when: datetime) -> bool:
    """Score the attempt and fold it into progress, in one committed transaction.

    False when another request finished it first, so nothing is counted twice.
    """
    if not _claim_open(session, attempt, finished_at=when):
        return False
    # Read the answers again now that this transaction holds the attempt: an answer
    # committed between the page's read and the claim must be counted, not dropped.
    session.execute(
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt.id)
        .options(selectinload(AttemptItem.answer))
        .execution_options(populate_existing=True)
    ).all()
    attempt.score = sum(item.answer.points for item in attempt.items if item.answer is not None)
    attempt.max_score = sum(item.points for item in attempt.items)
    if attempt.mode == "exam":
        for item in attempt.items:
            if item.answer is not None:
                progress.record_answer(
                    session, attempt.user_id, item.version.question_id,
                    spec_of(item.version).topics, outcome_of(item.answer), when,
                )
    progress.record_finish(session, attempt)
    session.commit()
    return True


# -- pages --------------------------------------------------------------------------
@dataclass(frozen=True)
class QuestionPage:
    """Everything a page or an API client may see of one question in an attempt."""

    # The attempt and item as entities (results, reviews) or as plain values (the
    # question page and the API, read in one statement).
    attempt: Attempt | AttemptHeader
    item: AttemptItem | ItemHeader
    spec: QuestionSpec
    seed: int | None  # the option order the learner sees
    view: dict[str, Any]
    current: Any  # the stored answer in display shape, to refill the form
    outcome: Outcome | None  # shown only when feedback is due
    answer_view: dict[str, Any] | None  # the right answer, only when feedback is due
    total: int
    answered: int
    # The bank's sources by id, read with plain values when feedback is due.
    bank_sources: dict[str, dict[str, Any]] | None = None

    @property
    def position(self) -> int:
        return self.item.position

    @property
    def show_feedback(self) -> bool:
        return self.outcome is not None

    @property
    def sources(self) -> dict[str, dict[str, Any]]:
        """The bank's sources by id, to cite the evidence."""
        if self.bank_sources is not None:
            return self.bank_sources
        if isinstance(self.item, ItemHeader):
            return {}  # read only when feedback is due (`question_page`)
        return sources_by_id(self.item.version.question.bank.meta)

    @property
    def locked(self) -> bool:
        """No more changes: finished, or answered in a practice attempt."""
        return self.attempt.finished or (
            self.attempt.mode != "exam" and self.item.answer is not None
        )


def sources_by_id(meta: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {source["id"]: source for source in (meta or {}).get("sources", [])}


def feedback_due(attempt: Attempt | AttemptHeader, item: AttemptItem | ItemHeader) -> bool:
    # Every feedback setting (schema.Feedback) shows it once the attempt is finished.
    if item.answer is None:
        return attempt.finished
    if attempt.finished:
        return True
    return attempt.feedback == "immediate"


def question_page(
    session: Session, user_id: int, attempt_id: int, position: int, now: datetime
) -> QuestionPage:
    """One question of the learner's attempt, finishing the attempt first if its time is up."""
    state, _finished_now = current_question(session, user_id, attempt_id, position, now)
    return page_of_state(session, state)


def current_question(
    session: Session, user_id: int, attempt_id: int, position: int, now: datetime
) -> tuple[QuestionState, bool]:
    """One question of the learner's attempt as it stands at `now`, and whether the
    attempt was finished by its deadline just now (read again after finishing)."""
    state = read_question_state(session, user_id, attempt_id, position)
    if not past_deadline(state.attempt, now):
        return state, False
    finished_now = finish_if_expired(session, get_attempt(session, user_id, attempt_id), now)
    return read_question_state(session, user_id, attempt_id, position), finished_now


def page_of_state(session: Session, state: QuestionState) -> QuestionPage:
    """The page of a question read as plain values; the bank's sources are read (one
    statement) only when the page shows feedback that cites them."""
    spec = spec_of_ref(session, state.item.version)
    page = page_of(state.attempt, state.item, total=state.total, answered=state.answered,
                   spec=spec)
    if page.show_feedback and spec.evidence is not None:
        meta = session.connection().execute(
            _bank_meta_statement(), {"question_id": state.item.version.question_id}
        ).scalar_one()
        page = replace(page, bank_sources=sources_by_id(meta))
    return page


@cache
def _bank_meta_statement() -> Select[Any]:
    return (
        select(Bank.meta)
        .join(Question, Question.bank_id == Bank.id)
        .where(Question.id == bindparam("question_id"))
    )


def page_for(attempt: Attempt, position: int) -> QuestionPage:
    """The page of one question of an attempt already read with its items (no further reads)."""
    return page_of(
        attempt,
        get_item(attempt, position),
        total=len(attempt.items),
        answered=sum(1 for i in attempt.items if i.answer is not None),
    )


def page_of(
    attempt: Attempt | AttemptHeader, item: AttemptItem | ItemHeader, *, total: int,
    answered: int, spec: QuestionSpec | None = None,
) -> QuestionPage:
    """The page of one item of an attempt, given the attempt's counts of questions and
    answers (read with it, or counted from an attempt read with its items). `spec` is
    required for an item read as plain values."""
    if spec is None:
        assert isinstance(item, AttemptItem), "a plain item's spec is read with it"
        spec = spec_of(item.version)
    seed = item_seed(attempt, item)
    answer = item.answer
    due = feedback_due(attempt, item)
    return QuestionPage(
        attempt=attempt,
        item=item,
        spec=spec,
        seed=seed,
        view=spec.view(seed),
        current=spec.display_response(answer.response, seed) if answer is not None else None,
        outcome=(outcome_of(answer) if answer is not None else Outcome(0.0)) if due else None,
        answer_view=spec.answer_view() if due else None,
        total=total,
        answered=answered,
    )


def unrecorded_response(page: QuestionPage, read: ResponseReader) -> Any | None:
    """A response that was refused (sent after the deadline) in the display shape, to
    show the learner what was not counted; None when it cannot be read."""
    try:
        return page.spec.display_response(read(page.spec, page.seed), page.seed)
    except ResponseError:
        return None


def resume_position(attempt: Attempt) -> int:
    """Where a learner coming back to an unfinished attempt goes: the first unanswered
    question after the last answer saved (or before it, when none is after), else
    that last one; the first question when nothing is answered yet."""
    saved = [(item.answer.answered_at, item.position)
             for item in attempt.items if item.answer is not None]
    if not saved:
        return next_position(attempt, 0) or 1
    *_, last = max(saved)
    return next_position(attempt, last) or last


def next_position(attempt: Attempt, position: int) -> int | None:
    """The next question to show: the next unanswered one after this, else None."""
    items = attempt.items
    for item in items:
        if item.position > position and item.answer is None:
            return item.position
    for item in items:
        if item.answer is None and item.position != position:
            return item.position
    return None


# The results page reviews this many questions at a time, so a long attempt does not
# make one huge page.
REVIEW_PAGE_SIZE = 50


@dataclass(frozen=True)
class ReviewPage:
    """One page of a finished attempt's review."""

    questions: list[QuestionPage]
    page: int
    pages: int


def review_pages(
    session: Session, user_id: int, attempt_id: int, now: datetime, page: int = 1,
    per_page: int | None = None,
) -> ReviewPage:
    """The review of the attempt's questions on `page` (from 1); NotFound past the end.

    Items and answers come in one statement each and the shown questions' versions in
    one more, so the page costs the same few statements however long the attempt is.
    """
    per_page = per_page or REVIEW_PAGE_SIZE
    attempt = current_attempt(session, user_id, attempt_id, now)
    pages = max(1, -(-len(attempt.items) // per_page))
    if page < 1 or page > pages:
        raise NotFound("There is no such page of this review.")
    shown = attempt.items[(page - 1) * per_page : page * per_page]
    # Loaded into the session (and held here: the session keeps only weak references),
    # so each item's `version` is found without a query.
    versions = session.scalars(
        select(QuestionVersion)
        .where(QuestionVersion.id.in_({item.question_version_id for item in shown}))
        .options(selectinload(QuestionVersion.question).selectinload(Question.bank))
    ).all()
    questions = [page_for(attempt, item.position) for item in shown]
    del versions
    return ReviewPage(questions=questions, page=page, pages=pages)


# A learner has at most one open attempt per quiz plus a review and a mistakes session.
OPEN_LIMIT = 100


def open_attempts(session: Session, user_id: int, now: datetime) -> list[Attempt]:
    """The learner's unfinished attempts, after finishing those whose time is up.

    Called by the pages a learner comes back to, so an exam left to run out is
    finished at its deadline (and counted in the grades) even if never reopened.
    """
    rows = list(session.scalars(_open_attempts_statement(), {"user_id": user_id}))
    for attempt in rows:
        finish_if_expired(session, attempt, now)
    return [attempt for attempt in rows if not attempt.finished]


@cache
def _open_attempts_statement() -> Select[Attempt]:
    # Built once: the home and progress pages run it on every visit.
    return (
        select(Attempt)
        .where(Attempt.user_id == bindparam("user_id"), Attempt.finished_at.is_(None))
        .options(selectinload(Attempt.quiz))
        .order_by(Attempt.started_at.desc())
        .limit(OPEN_LIMIT)
    )


@dataclass(frozen=True, slots=True)
class OpenAttempt:
    """An unfinished attempt as the progress page lists it (plain values)."""

    id: int
    title: str
    deadline: datetime | None


def unfinished_attempts(session: Session, user_id: int, now: datetime) -> list[OpenAttempt]:
    """`open_attempts` as plain values, newest first: one Core statement, unless an
    attempt's time is up, when those are finished (as entities: finishing scores them)
    and the rest read again."""
    rows = session.connection().execute(_unfinished_statement(), {"user_id": user_id}).all()
    if any(past_deadline(row, now) for row in rows):
        open_attempts(session, user_id, now)
        rows = session.connection().execute(_unfinished_statement(), {"user_id": user_id}).all()
    return [OpenAttempt(id=row.id, title=progress.title_of(row.title, row.kind),
                        deadline=row.deadline) for row in rows]


@cache
def _unfinished_statement() -> Select[*tuple[Any, ...]]:
    # The same attempts, in the same order, as _open_attempts_statement.
    return (
        select(Attempt.id, Attempt.kind, Attempt.deadline, Attempt.finished_at, Quiz.title)
        .outerjoin(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.user_id == bindparam("user_id"), Attempt.finished_at.is_(None))
        .order_by(Attempt.started_at.desc())
        .limit(OPEN_LIMIT)
    )


def finish_all_expired(session: Session, now: datetime) -> int:
    """Finish every attempt past its deadline (for a periodic job); returns how many."""
    rows = session.scalars(
        select(Attempt).where(Attempt.finished_at.is_(None), Attempt.deadline <= now)
    ).all()
    return sum(1 for attempt in rows if finish_if_expired(session, attempt, now))


def open_attempts_by_quiz(session: Session, user_id: int, now: datetime) -> dict[int, Attempt]:
    return {
        attempt.quiz_id: attempt
        for attempt in open_attempts(session, user_id, now)
        if attempt.quiz_id is not None
    }
