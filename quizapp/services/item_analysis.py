"""Item analysis of a quiz: gathers marks and responses with SQL, computes in `analysis`.

A *scope* says which attempts count: the finished attempts of one quiz, optionally
only each learner's first, optionally only those in a given set of attempt ids (an
assignment's attempts, say). Statistics are per question (all versions together:
a question keeps its identity across edits); responses are read by the question's
current version, which is what a regrade would apply.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Text, and_, case, cast, func, literal, literal_column, select
from sqlalchemy.orm import Session

from quizapp.analysis import (
    ChoiceTable,
    Group,
    ItemStats,
    ItemSums,
    QuizStats,
    TypedTable,
    choice_tables,
    item_stats_from_sums,
    quiz_stats_from,
    random_guess_score,
    review_reasons,
    split_thirds,
    sums_from_counts,
    typed_tables,
)
from quizapp.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    ClassTeacher,
    Question,
    QuestionVersion,
    Quiz,
    Regrade,
    SchoolClass,
)
from quizapp.qtypes.base import QuestionSpec
from quizapp.services.attempts import spec_of
from quizapp.services.stats_cache import cached


@dataclass(frozen=True)
class Scope:
    quiz_id: int
    first_only: bool = False
    attempt_ids: frozenset[int] | None = None  # None: every finished attempt of the quiz
    assignment_id: int | None = None  # only attempts made for this assignment


def quiz_assignments(
    session: Session, teacher_id: int, quiz_id: int
) -> list[tuple[int, str, datetime]]:
    """(id, class name, due time) of this quiz's assignments in the teacher's classes."""
    return [(row[0], row[1], row[2]) for row in session.execute(
        select(Assignment.id, SchoolClass.name, Assignment.due_at)
        .join(ClassTeacher, ClassTeacher.class_id == Assignment.class_id)
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .where(ClassTeacher.user_id == teacher_id, Assignment.quiz_id == quiz_id)
        .order_by(Assignment.due_at.desc())
    )]


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
    if scope.assignment_id is not None:
        query = query.where(Attempt.assignment_id == scope.assignment_id)
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


# Types whose responses are options: their tables come from SQL counts per response.
CHOICE_TYPES = ("single_choice", "true_false", "multiple_response", "cloze")


def _scores(session: Session, scope: Scope) -> dict[int, tuple[float, float]]:
    """Each attempt in scope: its score and maximum (the sum of its items' marks)."""
    rows = session.execute(
        select(Attempt.id, Attempt.score, Attempt.max_score)
        .where(Attempt.id.in_(scoped_attempts(scope).scalar_subquery()))
    )
    return {attempt_id: (score, top) for attempt_id, score, top in rows}


def _thirds(scores: dict[int, tuple[float, float]]) -> dict[Hashable, Group]:
    return split_thirds({a: s / top if top else 0.0 for a, (s, top) in scores.items()})


def _items_in_scope(scope: Scope) -> Select[Any]:
    return (
        select(AttemptItem.attempt_id)
        .join(QuestionVersion, AttemptItem.question_version_id == QuestionVersion.id)
        .outerjoin(Answer, Answer.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id.in_(scoped_attempts(scope).scalar_subquery()))
    )


def _item_sums(
    session: Session, scope: Scope, question_id: int | None = None
) -> tuple[list[ItemSums], dict[int, int]]:
    """Every question's sums for the statistics, and how many of its answers an older
    version scored (a regrade may change those).

    The database counts the attempts per (question, mark, attempt total): a few dozen
    rows per question rather than one per attempt, whatever the class size.
    """
    # Inline 0.0, so PostgreSQL sees the same expression in SELECT and GROUP BY.
    mark = func.coalesce(Answer.points, literal_column("0.0"))
    older = and_(Answer.item_id.is_not(None), QuestionVersion.id != Question.current_version_id)
    query = (
        _items_in_scope(scope)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .with_only_columns(
            QuestionVersion.question_id, mark, Attempt.score, func.count(),
            func.max(AttemptItem.points), func.sum(Attempt.max_score),
            func.sum(case((older, 1), else_=0)),
        )
        .group_by(QuestionVersion.question_id, mark, Attempt.score)
    )
    if question_id is not None:
        query = query.where(QuestionVersion.question_id == question_id)
    cells: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    tops: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    stale: dict[int, int] = defaultdict(int)
    for qid, x, total, count, max_mark, max_totals, old in session.execute(query):
        cells[qid].append((float(x), float(total), int(count)))
        top = tops[qid]
        top[0] = max(top[0], float(max_mark))
        top[1] += float(max_totals)
        stale[qid] += int(old)
    sums = [
        sums_from_counts(qid, tops[qid][0], tops[qid][1] / sum(n for *_r, n in rows), rows)
        for qid, rows in cells.items()
    ]
    return sums, stale


def _choice_answers(
    session: Session, scope: Scope, groups: dict[Hashable, Group]
) -> dict[int, list[tuple[Any, Group, int]]]:
    """(response or None, group, attempts) for choice questions, from one GROUP BY:
    each distinct response is decoded once, however many learners gave it."""
    top = [a for a, g in groups.items() if g == "top"]
    bottom = [a for a, g in groups.items() if g == "bottom"]
    response = cast(Answer.response, Text)
    in_top = func.sum(case((AttemptItem.attempt_id.in_(top), 1), else_=0)) if top else literal(0)
    in_bottom = (func.sum(case((AttemptItem.attempt_id.in_(bottom), 1), else_=0))
                 if bottom else literal(0))
    rows = session.execute(
        _items_in_scope(scope)
        .with_only_columns(QuestionVersion.question_id, response, func.count(), in_top,
                           in_bottom)
        .where(QuestionVersion.qtype.in_(CHOICE_TYPES))
        .group_by(QuestionVersion.question_id, response)
    )
    answers: dict[int, list[tuple[Any, Group, int]]] = defaultdict(list)
    for qid, text, count, tops, bottoms in rows:
        value = json.loads(text) if text is not None else None
        middles = count - tops - bottoms
        sizes: tuple[tuple[Group, int], ...] = (
            ("top", tops), ("bottom", bottoms), ("middle", middles))
        for group, n in sizes:
            if n:
                answers[qid].append((value, group, int(n)))
    return answers


@dataclass
class _Inputs:
    """What the database contributes to a quiz's statistics (cached as JSON)."""

    scores: dict[int, tuple[float, float]]
    sums: list[ItemSums]
    stale: dict[int, int]
    choices: dict[int, list[tuple[Any, Group, int]]]

    def to_json(self) -> dict[str, Any]:
        return {
            "scores": [[a, s, m] for a, (s, m) in self.scores.items()],
            "sums": [asdict(s) for s in self.sums],
            "stale": [[q, n] for q, n in self.stale.items()],
            "choices": [[q, [list(row) for row in rows]] for q, rows in self.choices.items()],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Inputs:
        return cls(
            scores={a: (s, m) for a, s, m in data["scores"]},
            sums=[ItemSums(**s) for s in data["sums"]],
            stale={q: n for q, n in data["stale"]},
            choices={q: [(r, g, n) for r, g, n in rows] for q, rows in data["choices"]},
        )


def _cache_key(scope: Scope) -> str:
    ids = "all"
    if scope.attempt_ids is not None:
        listed = ",".join(str(i) for i in sorted(scope.attempt_ids))
        ids = hashlib.sha256(listed.encode()).hexdigest()[:32]
    which = "first" if scope.first_only else "all"
    return f"quiz:{scope.quiz_id}:{which}:{scope.assignment_id or '-'}:{ids}"


def _fingerprint(session: Session, scope: Scope, bank_id: int) -> str:
    """Changes whenever the statistics could: an attempt finished or regraded (its
    score), a regrade applied, or the bank's questions changed version."""
    in_scope = Attempt.id.in_(scoped_attempts(scope).scalar_subquery())
    in_bank = Question.bank_id == bank_id
    # One pass over the attempts in scope (not one per figure), as plain columns.
    row = session.connection().execute(select(
        func.count(Attempt.id), func.max(Attempt.id), func.sum(Attempt.score),
        select(func.max(Regrade.id)).scalar_subquery(),
        select(func.sum(Question.current_version_id)).where(in_bank).scalar_subquery(),
        select(func.max(Question.current_version_id)).where(in_bank).scalar_subquery(),
    ).where(in_scope)).one()
    return ":".join("-" if value is None else f"{value:.6g}" if isinstance(value, float)
                    else str(value) for value in row)


def _inputs(session: Session, scope: Scope, bank_id: int) -> _Inputs:
    def compute() -> dict[str, Any]:
        scores = _scores(session, scope)
        sums, stale = _item_sums(session, scope)
        choices = _choice_answers(session, scope, _thirds(scores))
        return _Inputs(scores, sums, stale, choices).to_json()

    return _Inputs.from_json(
        cached(session, _cache_key(scope), _fingerprint(session, scope, bank_id), compute))


def quiz_report(session: Session, scope: Scope) -> QuizReport | None:
    quiz = session.get(Quiz, scope.quiz_id)
    if quiz is None:
        return None
    inputs = _inputs(session, scope, quiz.bank_id)
    scores = inputs.scores
    items = item_stats_from_sums(inputs.sums)
    max_total = sum(top for _s, top in scores.values()) / len(scores) if scores else 0.0
    stats = quiz_stats_from([s for s, _top in scores.values()], max_total, items)
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
        tables = choice_tables(spec, inputs.choices.get(question.id, []))
        guess = random_guess_score(spec)
        reports.append(ItemReport(
            question=question, spec=spec, stats=item,
            random_guess=None if guess is None else 100.0 * guess, choices=tables,
            reasons=review_reasons(item, tables),
            stale_answers=inputs.stale.get(question.id, 0),
        ))
    reports.sort(key=lambda r: r.question.position)
    return QuizReport(quiz, scope, stats, reports)


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
    groups = _thirds(_scores(session, scope))
    given = session.execute(
        _items_in_scope(scope)
        .add_columns(cast(Answer.response, Text))
        .where(QuestionVersion.question_id == question.id)
    ).all()
    answers = [(json.loads(text) if text is not None else None, groups[attempt])
               for attempt, text in given]
    counts: dict[str, tuple[Any, int]] = {}
    for _attempt, text in given:
        if text is not None:
            counts[text] = (json.loads(text), counts.get(text, (None, 0))[1] + 1)
    _sums, stale = _item_sums(session, scope, question.id)
    return ResponseReport(
        quiz=quiz, question=question, spec=spec,
        choices=choice_tables(spec, answers),
        typed=typed_tables(spec, counts.values()),
        answered=sum(n for _r, n in counts.values()),
        stale_answers=stale.get(question.id, 0),
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
            select(QuestionVersion.question_id, func.count(Answer.item_id),
                   func.avg(Answer.fraction))
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
