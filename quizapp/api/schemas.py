"""The API's contract: pydantic models that validate requests and describe responses.

The OpenAPI document at /api/v1/openapi.json is generated from these same models, so
the documentation cannot drift from what the API accepts.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool, field_validator

from quizapp.params import page_number


class Request(BaseModel):
    """Request bodies: unknown fields are refused, so a misspelt field is never ignored."""

    model_config = ConfigDict(extra="forbid")


class Empty(Request):
    """Actions that need no fields send `{}`."""


class Credentials(Request):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=500)


class TokenRequest(Credentials):
    name: str = Field(default="script", min_length=1, max_length=80,
                      description="What the token is for, to recognise it in the list.")


class AnswerRequest(Request):
    response: JsonValue = Field(
        description="The learner's answer in the shape its question type reads "
                    "(see docs/question-types.md): option keys from the question view, "
                    "text, numbers.")
    sequence: int | None = Field(
        default=None, ge=0, le=2**31 - 1,
        description="The question's `sequence` as it was shown: a stale one is refused with "
                    "409, so an older window cannot overwrite a newer answer.")


class FlagRequest(Request):
    flagged: StrictBool


class PageQuery(BaseModel):
    # Plain ASCII digits only (int() would also take " 1", "١" or "1_0"); the rule is
    # quizapp.params.page_number, which the pages use too.
    page: str = Field(default="1", pattern=r"^[0-9]{1,6}$", description="A whole number from 1.")

    @field_validator("page")
    @classmethod
    def _a_page_number(cls, value: str) -> str:
        if page_number(value) is None:
            raise ValueError("page must be a whole number from 1")
        return value


class Response(BaseModel):
    model_config = ConfigDict(extra="allow")


class Problem(Response):
    """An error, as RFC 9457 `application/problem+json`."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str


class SessionInfo(Response):
    username: str
    role: str


class Ok(Response):
    ok: bool


class QuizSummary(Response):
    id: int
    slug: str
    bank: str
    title: str
    description: str | None
    mode: str
    time_limit: int | None


class QuizList(Response):
    quizzes: list[QuizSummary]


class QuestionRef(Response):
    position: int
    answered: bool
    flagged: bool
    url: str


class AttemptOut(Response):
    id: int
    quiz_id: int | None
    kind: str
    title: str
    mode: str
    feedback: str
    started_at: str
    deadline: str | None
    finished_at: str | None
    score: float | None
    max_score: float
    questions: list[QuestionRef]


class Feedback(Response):
    fraction: float
    correct: bool
    answer: dict[str, Any]
    explanation: str | None
    evidence: dict[str, Any] | None


class QuestionPageOut(Response):
    attempt_id: int
    position: int
    total: int
    type: str
    points: float
    question: dict[str, Any]
    response: JsonValue
    locked: bool
    sequence: int
    feedback: Feedback | None


class AnswerOut(QuestionPageOut):
    stored: bool
    already_answered: bool


class FlagOut(Response):
    position: int
    flagged: bool


class HistoryEntry(Response):
    id: int
    title: str
    kind: str
    mode: str
    finished_at: str | None
    percent: float
    url: str


class HistoryPage(Response):
    page: int
    has_next: bool
    attempts: list[HistoryEntry]


class ProgressOut(Response):
    quizzes: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    due: int
    mistakes: int
    next_due: str | None
    streak_days: int
    active_days: int
    recent_attempts: list[HistoryEntry]
    scores: list[dict[str, Any]]


class TokenInfo(Response):
    id: int
    name: str
    created_at: str
    last_used_at: str | None


class NewToken(TokenInfo):
    token: str = Field(description="Shown once: send it as `Authorization: Bearer <token>`.")


class TokenList(Response):
    tokens: list[TokenInfo]


class AssignmentOut(Response):
    id: int
    quiz_id: int
    opens_at: str
    due_at: str
    closes_at: str | None
    time_limit: int | None
    attempts_allowed: int | None


class ClassOut(Response):
    id: int
    name: str
    archived: bool
    join_code: str | None
    code_expires_at: str | None
    students: int
    assignments: list[AssignmentOut]


class ClassList(Response):
    classes: list[ClassOut]


class Rows(Response):
    """Rows as in the matching CSV export (docs/teaching.md), one object per row."""

    rows: list[dict[str, Any]]


class StatisticsQuery(BaseModel):
    attempts: Literal["all", "first"] = Field(
        default="all", description="Every finished attempt, or each learner's first.")
    assignment: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                   description="Only the attempts made for this assignment.")


class ItemStatisticsOut(Response):
    question_id: str
    type: str
    attempts: int
    facility: float | None
    sd: float | None
    random_guess: float | None
    intended_weight: float | None
    effective_weight: float | None
    discrimination: float | None
    discriminative_efficiency: float | None
    review: list[str] = Field(description="Why the question should be reviewed, if it should.")


class QuizStatisticsOut(Response):
    quiz_id: int
    attempts: int
    first_only: bool
    assignment_id: int | None
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cronbach_alpha: float | None
    error_ratio: float | None
    standard_error: float | None
    questions: list[ItemStatisticsOut]
