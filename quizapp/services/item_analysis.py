"""Item analysis of a quiz: gathers marks and responses with SQL, computes in `analysis`.

A *scope* says which attempts count: the finished attempts of one quiz, optionally
only each learner's first, optionally only those in a given set of attempt ids (an
assignment's attempts, say). Statistics are per question (all versions together:
a question keeps its identity across edits); responses are read by the question's
current version, which is what a regrade would apply.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, Text, and_, cast, func, select
from sqlalchemy.orm import Session

from quizapp.analysis import (
    ChoiceTable,
    ItemStats,
    QuizStats,
    TypedTable,
    analyse,
    choice_tables,
    random_guess_score,
    review_reasons,
    split_thirds,
    typed_tables,
)
from quizapp.models import Answer, Attempt, AttemptItem, Question, QuestionVersion, Quiz
from quizapp.qtypes.base import QuestionSpec
from quizapp.services.attempts import spec_of


@dataclass(frozen=True)
class Scope:
    quiz_id: int
    first_only: bool = False
    attempt_ids: frozenset[int] | None = None  # None: every finished attempt of the quiz


def scoped_attempts(scope: Scope) -> Select[Any]:
    """The ids of the attempts in scope, as a subquery-ready SELECT."""
    finished = and_(Attempt.quiz_id == scope.quiz_id, Attempt.finished_at.is_not(None),
                    Attempt.kind == "quiz")
    if scope.first_only:
        query = select(func.min(Attempt.id)).where(finished).group_by(Attempt.user_id)
    else:
        query = select(Attempt.id).where(finished)
    if scope.attempt_ids is not None:
        query = query.where(Attempt.id.in_(sorted(scope.attempt_ids)))
    return query


@dataclass
class ItemReport:
    question: Question
    spec: QuestionSpec  # the current version
    stats: ItemStats
    random_guess: float | None  # in %
    choices: list[ChoiceTable] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    stale_answers: int = 0  # answers scored by an older version (a regrade may change them)

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass
class QuizReport:
    quiz: Quiz
    scope: Scope
    stats: QuizStats
    items: list[ItemReport]

    @property
    def flagged(self) -> list[ItemReport]:
        return [item for item in self.items if item.flagged]


@dataclass
class _Gathered:
    sheet: dict[Hashable, dict[Hashable, tuple[float, float]]]
    responses: dict[int, list[tuple[int, Any]]]  # question id -> (attempt id, response)
    stale: dict[int, int]


def _gather(session: Session, scope: Scope, question_id: int | None = None) -> _Gathered:
    """One row per attempt item in scope: its question, maximum, mark and response."""
    ids = scoped_attempts(scope).scalar_subquery()
    query = (
        select(AttemptItem.attempt_id, QuestionVersion.question_id, AttemptItem.points,
               Answer.points, cast(Answer.response, Text),
               QuestionVersion.id == Question.current_version_id)
        .join(QuestionVersion, AttemptItem.question_version_id == QuestionVersion.id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .outerjoin(Answer, Answer.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id.in_(ids))
    )
    sheet: dict[Hashable, dict[Hashable, tuple[float, float]]] = defaultdict(dict)
    responses: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    stale: dict[int, int] = defaultdict(int)
    for attempt_id, qid, max_mark, mark, response, current in session.execute(query):
        sheet[attempt_id][qid] = (mark or 0.0, max_mark)
        if question_id is None or qid == question_id:
            value = json.loads(response) if response is not None else None
            responses[qid].append((attempt_id, value))
            if response is not None and not current:
                stale[qid] += 1
    return _Gathered(sheet, responses, stale)


def _thirds(sheet: dict[Hashable, dict[Hashable, tuple[float, float]]]) -> dict[Hashable, Any]:
    percents = {}
    for attempt, row in sheet.items():
        top = sum(x for _m, x in row.values())
        percents[attempt] = sum(m for m, _x in row.values()) / top if top else 0.0
    return split_thirds(percents)


def quiz_report(session: Session, scope: Scope) -> QuizReport | None:
    quiz = session.get(Quiz, scope.quiz_id)
    if quiz is None:
        return None
    gathered = _gather(session, scope)
    quiz_stats, items = analyse(gathered.sheet)
    groups = _thirds(gathered.sheet)
    questions = {
        q.id: (q, v) for q, v in session.execute(
            select(Question, QuestionVersion)
            .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
            .where(Question.id.in_([item.key for item in items]))
        )
    }
    reports = []
    for item in items:
        question, version = questions[item.key]  # type: ignore[index]
        spec = spec_of(version)
        answers = [(r, groups[a]) for a, r in gathered.responses.get(question.id, [])]
        tables = choice_tables(spec, answers)
        guess = random_guess_score(spec)
        reports.append(ItemReport(
            question=question, spec=spec, stats=item,
            random_guess=None if guess is None else 100.0 * guess, choices=tables,
            reasons=review_reasons(item, tables),
            stale_answers=gathered.stale.get(question.id, 0),
        ))
    reports.sort(key=lambda r: r.question.position)
    return QuizReport(quiz, scope, quiz_stats, reports)


@dataclass
class ResponseReport:
    quiz: Quiz
    question: Question
    spec: QuestionSpec
    choices: list[ChoiceTable]
    typed: list[TypedTable]
    answered: int
    stale_answers: int


def response_report(session: Session, scope: Scope, question_slug: str) -> ResponseReport | None:
    """How learners answered one question of the quiz, within the scope."""
    quiz = session.get(Quiz, scope.quiz_id)
    if quiz is None:
        return None
    row = session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == quiz.bank_id, Question.slug == question_slug)
    ).first()
    if row is None:
        return None
    question, version = row
    spec = spec_of(version)
    gathered = _gather(session, scope, question.id)
    groups = _thirds(gathered.sheet)
    answers = gathered.responses.get(question.id, [])
    counts: dict[str, tuple[Any, int]] = {}
    for _attempt, response in answers:
        if response is not None:
            key = json.dumps(response, sort_keys=True)
            counts[key] = (response, counts.get(key, (response, 0))[1] + 1)
    return ResponseReport(
        quiz=quiz, question=question, spec=spec,
        choices=choice_tables(spec, [(r, groups[a]) for a, r in answers]),
        typed=typed_tables(spec, counts.values()),
        answered=sum(1 for _a, r in answers if r is not None),
        stale_answers=gathered.stale.get(question.id, 0),
    )


@dataclass(frozen=True)
class QuestionFilter:
    """The bank page's search: words in the question's text, and exact filters."""

    text: str = ""
    topic: str = ""
    qtype: str = ""
    difficulty: str = ""
    skill: str = ""


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    spec: QuestionSpec
    answered: int  # answers stored for any version
    facility: float | None  # mean fraction of those answers, in %

    @property
    def text(self) -> str:
        cloze_text = getattr(self.spec, "text", None)
        return self.spec.prompt if not isinstance(cloze_text, str) else (
            f"{self.spec.prompt} {cloze_text}")


def bank_questions(session: Session, bank_id: int, wanted: QuestionFilter) -> list[QuestionRow]:
    """The bank's current questions matching the filter, with answer counts and facility."""
    stats = {
        qid: (count, mean)
        for qid, count, mean in session.execute(
            select(QuestionVersion.question_id, func.count(Answer.id), func.avg(Answer.fraction))
            .join(AttemptItem, AttemptItem.question_version_id == QuestionVersion.id)
            .join(Answer, Answer.item_id == AttemptItem.id)
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(Question.bank_id == bank_id)
            .group_by(QuestionVersion.question_id)
        )
    }
    words = wanted.text.casefold().split()
    rows = []
    for question, version in session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank_id, Question.retired.is_(False))
        .order_by(Question.position)
    ):
        spec = spec_of(version)
        count, mean = stats.get(question.id, (0, None))
        row = QuestionRow(question, spec, count, None if mean is None else 100.0 * mean)
        haystack = f"{row.text} {question.slug}".casefold()
        if words and not all(word in haystack for word in words):
            continue
        if wanted.topic and wanted.topic not in spec.topics:
            continue
        if wanted.qtype and spec.type != wanted.qtype:
            continue
        if wanted.difficulty and spec.difficulty != wanted.difficulty:
            continue
        if wanted.skill and spec.skill != wanted.skill:
            continue
        rows.append(row)
    return rows
