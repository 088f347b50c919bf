"""The shape of a bank file: pydantic models for everything but the questions' own fields.

Question models come from the type registry (`quizapp.qtypes.question_union()`), so a
new question type needs no change here. Every model forbids unknown keys, so a
misspelt field is an error rather than silently ignored.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

from pydantic import Field, StringConstraints, TypeAdapter, model_validator

from quizapp.qtypes import question_union
from quizapp.qtypes.base import (
    Difficulty,
    Markdown,
    QuestionSpec,
    Slug,
    StrictModel,
)

Title = Annotated[str, StringConstraints(min_length=1, max_length=300)]
# BCP 47, loosely: a 2-3 letter language and optional subtags (en, en-GB, pt-BR, zh-Hant).
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=2_000)]
# A bare file name: grounding reads sources from one folder and never leaves it.
SourceFileName = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=200)
]

Mode = Literal["practice", "exam"]
Grading = Literal["highest", "average", "first", "last"]
Feedback = Literal["immediate", "deferred"]
# open: listed for everyone to practise; assigned: reached only through a class assignment.
Visibility = Literal["open", "assigned"]

if TYPE_CHECKING:
    # Every registered type subclasses QuestionSpec; pydantic needs the discriminated union.
    Question = QuestionSpec
else:
    Question = question_union()


class Source(StrictModel):
    """An article the questions are drawn from; `file` is its local text for grounding.

    A field left out here is taken from the file's front matter when the file is read
    (`checks.check_grounding`); one that neither gives stays None, so learners are shown
    only what is known: never an invented title or link.
    """

    id: Slug
    title: Title | None = None
    author: Title | None = None
    publisher: Title | None = None
    date: datetime.date | None = None
    url: Url | None = None
    licence: Title | None = None
    file: SourceFileName | None = None


class Topic(StrictModel):
    id: Slug
    title: Title


class Drawable(Protocol):
    """What a quiz's selection reads of a question: a parsed QuestionSpec, or the fields
    of one taken from the file as written (banks/checks.py Selectable)."""

    @property
    def id(self) -> str: ...
    @property
    def topics(self) -> tuple[str, ...]: ...
    @property
    def difficulty(self) -> str: ...
    @property
    def exam_only(self) -> bool: ...


class Select(StrictModel):
    """Which questions a quiz draws on. Every criterion given must hold (they narrow)."""

    topics: tuple[Slug, ...] = ()
    difficulty: tuple[Difficulty, ...] = ()
    ids: tuple[Slug, ...] = ()
    count: int | None = Field(default=None, ge=1, le=10_000)

    def matches(self, question: Drawable) -> bool:
        if self.topics and not set(self.topics).intersection(question.topics):
            return False
        if self.difficulty and question.difficulty not in self.difficulty:
            return False
        return not self.ids or question.id in self.ids


class Quiz(StrictModel):
    id: Slug
    title: Title
    description: Markdown | None = None
    mode: Mode = "practice"
    select: Select = Field(default_factory=Select)
    time_limit: int | None = Field(default=None, ge=1, le=24 * 60)  # minutes
    attempts_allowed: int | None = Field(default=None, ge=1, le=1_000)
    grading: Grading = "highest"
    pass_mark: float = Field(default=60, ge=0, le=100)  # percent
    shuffle_questions: bool = True
    shuffle_options: bool = True
    # None in the file means "the mode's default"; after validation it is always set.
    feedback: Feedback | None = None
    # None in the file means "the bank's visibility"; after validation it is always set.
    visibility: Visibility | None = None

    def draws(self, question: Drawable) -> bool:
        """The one rule of which questions this quiz's attempts draw from: those its
        `select:` matches, and exam-only questions in exams only."""
        if question.exam_only and self.mode != "exam":
            return False
        return self.select.matches(question)

    @model_validator(mode="after")
    def _default_feedback(self) -> Quiz:
        if self.feedback is None:
            # The model is frozen; this runs once, while it is being built.
            object.__setattr__(self, "feedback", "deferred" if self.mode == "exam" else "immediate")
        return self


class BankFile(StrictModel):
    """One bank file. A bank with no quizzes gets one quiz with every question."""

    id: Slug
    title: Title
    description: Markdown | None = None
    language: LanguageTag = "en"
    sources: tuple[Source, ...] = ()
    topics: tuple[Topic, ...] = ()
    quizzes: tuple[Quiz, ...] = ()
    questions: tuple[Question, ...] = Field(min_length=1)
    visibility: Visibility = "open"

    @model_validator(mode="after")
    def _default_quiz(self) -> BankFile:
        if not self.quizzes:
            quiz = default_quiz(self.id, self.title, self.description)
            object.__setattr__(self, "quizzes", (quiz,))
        return self

    @model_validator(mode="after")
    def _inherit_visibility(self) -> BankFile:
        for quiz in self.quizzes:
            if quiz.visibility is None:
                object.__setattr__(quiz, "visibility", self.visibility)
        return self

    def question(self, question_id: str) -> QuestionSpec | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def quiz(self, quiz_id: str) -> Quiz | None:
        return next((q for q in self.quizzes if q.id == quiz_id), None)

    def quiz_questions(self, quiz: Quiz) -> tuple[QuestionSpec, ...]:
        """The questions a quiz draws from, in file order (before `count` and shuffling)."""
        return tuple(q for q in self.questions if quiz.draws(q))


def default_quiz(bank_id: str, title: str, description: str | None = None) -> Quiz:
    return Quiz(id=bank_id, title=title, description=description)


def select_questions(
    select: Select, questions: Iterable[QuestionSpec]
) -> tuple[QuestionSpec, ...]:
    return tuple(q for q in questions if select.matches(q))


@cache
def question_adapter() -> TypeAdapter[Any]:
    """Validates one question; built once, because building it costs milliseconds."""
    return TypeAdapter(Question)


def validate_bank(data: Any) -> BankFile:
    """The bank from plain data; raises pydantic's ValidationError."""
    return BankFile.model_validate(data)
