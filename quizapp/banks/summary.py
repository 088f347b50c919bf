"""`quizapp lint --summary`: what a bank and each of its quizzes ask, counted.

For the bank and for each quiz: how many questions per topic, question type,
difficulty and reading skill, so a teacher sees at a glance that a quiz is all
recall, or never asks a hard question. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.banks.schema import BankFile
from quizapp.qtypes.base import QuestionSpec

# What a question without `skill:` is counted as.
NO_SKILL = "(none)"
FACETS = ("topic", "type", "difficulty", "skill")
DIFFICULTIES = ("easy", "medium", "hard")


@dataclass(frozen=True)
class Counts:
    """Counts for one set of questions: the bank's, or one quiz's selection."""

    kind: str  # "bank" or "quiz"
    id: str
    title: str
    questions: int
    draws: int | None  # a quiz's `count`, when it draws fewer than it selects
    by: dict[str, dict[str, int]]  # facet -> value -> number of questions

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "title": self.title,
                "questions": self.questions, "draws": self.draws, "by": self.by}


def count(questions: Iterable[QuestionSpec]) -> tuple[int, dict[str, dict[str, int]]]:
    facets: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
    total = 0
    for question in questions:
        total += 1
        # A question may have several topics; it counts once under each.
        facets["topic"].update(question.topics or ("(no topic)",))
        facets["type"][question.type] += 1
        facets["difficulty"][question.difficulty] += 1
        facets["skill"][question.skill or NO_SKILL] += 1
    ordered = {facet: dict(sorted(c.items())) for facet, c in facets.items()}
    ordered["difficulty"] = {d: facets["difficulty"][d] for d in DIFFICULTIES
                             if facets["difficulty"][d]}
    return total, ordered


def summarise(bank: BankFile) -> list[Counts]:
    """The bank's counts first, then each quiz's, in file order."""
    total, by = count(bank.questions)
    result = [Counts("bank", bank.id, bank.title, total, None, by)]
    for quiz in bank.quizzes:
        selected, quiz_by = count(bank.quiz_questions(quiz))
        result.append(Counts("quiz", quiz.id, quiz.title, selected, quiz.select.count, quiz_by))
    return result


def format_counts(counts: Counts) -> list[str]:
    draws = f", draws {counts.draws}" if counts.draws is not None else ""
    lines = [f"{counts.kind} {counts.id} ({counts.title}): {counts.questions} "
             f"question{'s' if counts.questions != 1 else ''}{draws}"]
    for facet in FACETS:
        values = ", ".join(f"{name} {number}" for name, number in counts.by[facet].items())
        lines.append(f"  {facet}: {values}")
    return lines


def format_summary(path: str, counts: Sequence[Counts] | None) -> str:
    """The text block for one file; `counts` is None when the file has errors."""
    if counts is None:
        return f"{path}: not summarised, because the file has errors"
    lines = [f"{path}:"]
    for item in counts:
        lines += ["  " + line for line in format_counts(item)]
    return "\n".join(lines)
