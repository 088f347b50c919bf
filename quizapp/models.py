"""Database models (SQLAlchemy 2 typed mappings).

Questions are versioned: a `Question` is the stable identity (bank id + question id),
each distinct content is a `QuestionVersion`, and every attempt item points at the
version the learner saw, so editing a bank never rewrites history.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from quizapp.banks.schema import Feedback, Mode
from quizapp.banks.schema import Quiz as QuizSpec
from quizapp.extensions import Model
from quizapp.memo import Memo
from quizapp.qtypes.base import is_correct

Role = Literal["student", "teacher", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
# quiz: a bank's quiz; review: due cards from every bank; mistakes: cards last answered wrong.
AttemptKind = Literal["quiz", "review", "mistakes"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: SQLite keeps no time zone of its own."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        """On SQLite, the stored text (naive UTC) read by datetime.fromisoformat with the
        offset appended: SQLAlchemy's regular-expression parser and a replace() took
        6 µs a value, most of the time of a 600-cell gradebook; this takes 0.4."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def process(value: str | datetime | None) -> datetime | None:
            if value is None:
                return None
            if not isinstance(value, str):
                moment = value
            else:
                try:
                    moment = datetime.fromisoformat(value + "+00:00")
                except ValueError:  # text written elsewhere, stating its own offset
                    moment = datetime.fromisoformat(value)
            if moment.tzinfo is UTC:
                return moment
            if moment.tzinfo is None:
                return moment.replace(tzinfo=UTC)
            return moment.astimezone(UTC)

        return process


class AccountRules:
    """What an account may do and how it is shown, from its columns: one definition for
    the `User` entity and for the plain `SignedInUser` (services/sessions.py) that every
    request reads."""

    __slots__ = ()

    if TYPE_CHECKING:  # the columns the rules read, declared by each class
        username: str
        role: str
        display_name: str | None
        disabled: bool
        session_token: str | None

    @property
    def is_teacher(self) -> bool:
        return self.role in ("teacher", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_active(self) -> bool:
        # Flask-Login refuses to log in an inactive user.
        return not self.disabled

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username

    def get_id(self) -> str:
        """The login's token: Flask-Login keeps it in its cookies, so they name one
        revocable login, never just the account."""
        if not self.session_token:
            raise AttributeError("log users in through quizapp.login.log_in")
        return str(self.session_token)


class User(AccountRules, UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    # Case-folded copy: "Anna" and "anna" are the same account name.
    username_key: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(16), default="student")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The name teachers see on rosters; the username when unset.
    display_name: Mapped[str | None] = mapped_column(String(80))
    # A disabled account cannot log in; its history stays.
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set by a one-time password: every page asks for a new password until it is changed.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # An IANA zone name ("Europe/Minsk"); None means the browser's zone, else UTC.
    timezone: Mapped[str | None] = mapped_column(String(64))

    # The token of the login this object was loaded or logged in through (not a
    # column; quizapp/login.py sets it). Flask-Login keeps get_id() in its cookies,
    # so they name one revocable login, never just the account.
    session_token = cast("str | None", None)  # (an annotation would make it a column)

    # UserMixin compares get_id(), which is now per login: two objects are the same
    # user when they are the same account, however each was loaded.
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        if isinstance(other, User):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal


class Bank(Model):
    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35), default="en")
    # The bank's metadata as loaded (sources, topics), for pages that cite the article.
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A bank whose file was removed is retired: its quizzes leave the home page but
    # every attempt on them stays readable.
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list[Question]] = relationship(
        back_populates="bank", order_by="Question.position"
    )
    quizzes: Mapped[list[Quiz]] = relationship(back_populates="bank", order_by="Quiz.position")


class BankFile(Model):
    """A file in the questions folder and how it last loaded.

    Kept apart from `Bank` because a file that never loaded has no bank yet, and a
    file that broke must not disturb the last good version of its bank.
    """

    __tablename__ = "bank_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    file_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # ok | error | missing
    messages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bank: Mapped[Bank | None] = relationship()


class Question(Model):
    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("bank_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True)
    )

    bank: Mapped[Bank] = relationship(back_populates="questions")
    current_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class QuestionVersion(Model):
    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    qtype: Mapped[str] = mapped_column(String(40))
    # The question exactly as validated (its model dumped to JSON).
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The spec's `exam_only`, kept as a column: review counts and sessions filter on
    # it for every card, and reading it out of the JSON meant parsing every spec.
    exam_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    question: Mapped[Question] = relationship(foreign_keys=[question_id])


class Quiz(Model):
    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("bank_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # Mode, selection, time limit, grading...: the quiz's declaration, defaults filled.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    bank: Mapped[Bank] = relationship(back_populates="quizzes")

    @property
    def rules(self) -> QuizSpec:
        """The settings read back through the bank file's model (banks/schema.py Quiz), so
        every default and allowed value has one definition. Only the fields the model
        knows: settings stored by an older version may hold more."""
        # Validated once per loaded row (pages read it many times); a new settings
        # value, slug or title is validated again.
        source = (self.settings, self.slug, self.title)
        cached = self.__dict__.get("_rules_cache")
        if cached is not None and all(a is b for a, b in zip(cached[0], source, strict=True)):
            return cached[1]
        rules = quiz_rules(self.slug, self.title, self.settings or {})
        self.__dict__["_rules_cache"] = (source, rules)
        return rules


# Validated rules by quiz declaration, shared by every row of the same settings (the
# model is frozen): a page listing twenty quizzes loads twenty new rows per request.
_rules_by_declaration: Memo[tuple[str, str, str], QuizSpec] = Memo(limit=1024)
_QUIZ_FIELDS = frozenset(QuizSpec.model_fields)


def quiz_rules(slug: str, title: str, settings: dict[str, Any]) -> QuizSpec:
    """A quiz's settings read back through the bank file's model (see `Quiz.rules`)."""
    # repr is exact for the JSON values settings hold: equal reprs, equal settings.
    key = (slug, title, repr(settings))
    rules = _rules_by_declaration.get(key)
    if rules is None:
        known = {k: v for k, v in settings.items() if k in _QUIZ_FIELDS}
        rules = _rules_by_declaration.keep(
            key, QuizSpec.model_validate({"id": slug, "title": title, **known}))
    return rules


# The rows `uq_attempts_open_session` keeps one of per learner and kind.
OPEN_SESSION = text("quiz_id IS NULL AND finished_at IS NULL")


class Attempt(Model):
    __tablename__ = "attempts"
    # The progress page reads a learner's latest finished attempts and open ones.
    __table_args__ = (
        Index("ix_attempts_user_id_finished_at", "user_id", "finished_at"),
        # A learner's attempts on a quiz are numbered 1, 2, 3...: two starts at once
        # both take the next number and only one insert succeeds, so the attempt
        # limit holds without a lock (review sessions have no quiz and no number).
        UniqueConstraint("user_id", "quiz_id", "number"),
        # Review and mistakes sessions have no quiz and no number: at most one open
        # session of each kind per learner, so simultaneous starts open one between them.
        Index(
            "uq_attempts_open_session", "user_id", "kind", unique=True,
            sqlite_where=OPEN_SESSION, postgresql_where=OPEN_SESSION,
        ),
        # The gradebook's fingerprint sums its assignments' attempts on every view:
        # with the figures in the index, it never reads the attempts' rows.
        Index("ix_attempts_assignment_id", "assignment_id", "finished_at", "score",
              "max_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed first in ix_attempts_user_id_finished_at.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Null for review sessions, which draw due questions from every bank.
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id"), index=True)
    kind: Mapped[AttemptKind] = mapped_column(String(16), default="quiz")
    mode: Mapped[Mode] = mapped_column(String(16), default="practice")
    feedback: Mapped[Feedback] = mapped_column(String(16), default="immediate")
    seed: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    number: Mapped[int | None] = mapped_column(Integer)
    # The assignment this attempt was started through; None for open practice.
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))

    user: Mapped[User] = relationship()
    quiz: Mapped[Quiz | None] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position"
    )

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> float:
        return percent_of(self.score, self.max_score)


def percent_of(score: float, max_score: float) -> float:
    """An attempt's score as a percentage of its maximum (0 for an empty attempt)."""
    return 100.0 * score / max_score if max_score else 0.0


class AttemptItem(Model):
    __tablename__ = "attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    points: Mapped[float] = mapped_column(Float, default=1.0)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    # Goes up with every stored answer; a page carries it, so a post from an older
    # page (another tab, Back) is refused instead of overwriting a newer answer.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    version: Mapped[QuestionVersion] = relationship()
    answer: Mapped[Answer | None] = relationship(back_populates="item", uselist=False)


class Answer(Model):
    __tablename__ = "answers"

    # One answer per attempt item, so the item is the key: a resent form or a double
    # click cannot add a second. On SQLite the table is stored in this key's order (an
    # INTEGER primary key is the rowid), so an answer's INSERT writes one B-tree, not
    # a table and a unique index.
    item_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_items.id"), primary_key=True, autoincrement=False
    )
    response: Mapped[Any] = mapped_column(JSON)
    fraction: Mapped[float] = mapped_column(Float)
    points: Mapped[float] = mapped_column(Float)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[AttemptItem] = relationship(back_populates="answer")

    @property
    def correct(self) -> bool:
        """Right in full, by the one threshold (`qtypes.base.is_correct`)."""
        return is_correct(self.fraction)


class ReviewCard(Model):
    """A learner's spaced-repetition state for one question (all versions share it)."""

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        # A review session reads one learner's cards in due order.
        Index("ix_review_cards_user_id_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    card: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Indexed only after user_id: every answer moves its card's due, and each index on
    # it is one more page that answer's write changes.
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_correct: Mapped[bool] = mapped_column(Boolean, default=False)
    last_answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuizStat(Model):
    """Per learner and quiz: kept current as attempts finish, so progress pages stay cheap."""

    __tablename__ = "quiz_stats"
    __table_args__ = (UniqueConstraint("user_id", "quiz_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lookups by learner use the unique key, which user_id leads.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_percent: Mapped[float | None] = mapped_column(Float)
    last_percent: Mapped[float | None] = mapped_column(Float)
    best_percent: Mapped[float | None] = mapped_column(Float)
    sum_percent: Mapped[float] = mapped_column(Float, default=0.0)


class TopicStat(Model):
    """Per learner and topic: answers and right answers, for mastery."""

    __tablename__ = "topic_stats"
    # Keyed by learner, bank and topic, and on SQLite stored in that key's order (no
    # rowid): a learner's topics, or a class's, are read from one B-tree, without a
    # lookup of each row from an index, and an answer's upsert changes one B-tree.
    __table_args__ = ({"sqlite_with_rowid": False},)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    # Exponentially weighted share of recent answers that were right.
    recent: Mapped[float] = mapped_column(Float, default=0.0)


class DayStat(Model):
    """Per learner and day: answers given, for streaks and activity."""

    __tablename__ = "day_stats"
    # Keyed and stored as TopicStat is (no rowid on SQLite).
    __table_args__ = ({"sqlite_with_rowid": False},)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


class BankVersion(Model):
    """One saved state of a bank file: every upload, edit, sync, restore or accepted
    response adds one, with who, when, the whole text and a line diff to the one before."""

    __tablename__ = "bank_versions"
    __table_args__ = (Index("ix_bank_versions_file_name_id", "file_name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    bank_slug: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # upload | edit | sync | restore | accept
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    diff: Mapped[str] = mapped_column(Text, default="")
    lines_added: Mapped[int] = mapped_column(Integer, default=0)
    lines_removed: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User | None] = relationship()


class Regrade(Model):
    """A regrade applied to past answers of a question, with who, when and what changed."""

    __tablename__ = "regrades"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answers_changed: Mapped[int] = mapped_column(Integer, default=0)
    gained: Mapped[int] = mapped_column(Integer, default=0)
    lost: Mapped[int] = mapped_column(Integer, default=0)
    points_delta: Mapped[float] = mapped_column(Float, default=0.0)
    # [{attempt_id, user_id, username, before, after}] per answer whose points moved.
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    user: Mapped[User | None] = relationship()


class StatsCache(Model):
    """The database's share of a quiz's statistics (sums and counts), kept with a
    fingerprint of what they were computed from, so a page view recomputes them only
    when attempts, regrades or question versions have changed since."""

    __tablename__ = "stats_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
# -- classes and assignments --------------------------------------------------------
class SchoolClass(Model):
    """A class a teacher runs: its students join with a code, its quizzes are assigned."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Null once disabled; unique so one code names one class.
    join_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    code_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    teachers: Mapped[list[ClassTeacher]] = relationship(back_populates="school_class")
    memberships: Mapped[list[Membership]] = relationship(back_populates="school_class")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="school_class", order_by="Assignment.due_at"
    )


class ClassTeacher(Model):
    __tablename__ = "class_teachers"
    __table_args__ = (UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    school_class: Mapped[SchoolClass] = relationship(back_populates="teachers")
    user: Mapped[User] = relationship()


class Membership(Model):
    """A student in a class. One row per pair: joining twice changes nothing."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school_class: Mapped[SchoolClass] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class Assignment(Model):
    """A quiz set for a class, with its times and any overrides of the quiz's settings."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # After the due time and before closing, work is accepted as late; None: never closes.
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    time_limit: Mapped[int | None] = mapped_column(Integer)  # minutes; None: the quiz's
    attempts_allowed: Mapped[int | None] = mapped_column(Integer)  # None: the quiz's
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school_class: Mapped[SchoolClass] = relationship(back_populates="assignments")
    quiz: Mapped[Quiz] = relationship()
    exceptions: Mapped[list[AssignmentException]] = relationship(back_populates="assignment")


class AssignmentException(Model):
    """One student's allowance on one assignment: extra minutes, extra attempts."""

    __tablename__ = "assignment_exceptions"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    extra_attempts: Mapped[int] = mapped_column(Integer, default=0)

    assignment: Mapped[Assignment] = relationship(back_populates="exceptions")
    user: Mapped[User] = relationship()


class Throttle(Model):
    """How many attempts one (scope, key) made in its current window (services/throttle.py).

    Kept in the database so every worker and machine sees the same count.
    """

    __tablename__ = "throttles"

    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    # A hash of the key (an account name, a client address): fixed length, and no
    # raw usernames or addresses lying around in the table.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class UserSession(Model):
    """One login: the cookie carries a random token, the table only its hash.

    Deleting the row ends the login everywhere its cookies were copied to.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ApiToken(Model):
    """A bearer token for scripts and other front ends. Only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # SHA-256 of the secret: a token is long and random, so a fast hash is enough, and
    # looking one up is an index search rather than a password check per token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
