"""Answers given away by other questions of the same quiz, and facts asked too often.

A learner who reads "Gomel, Belarus's second city, ..." in one prompt needs no skill
to answer "Which is Belarus's second city?" three questions later. Each question says
what its answer is made of (`answer_phrases`, `answer_numbers`) and what a learner
reads before answering (`shown_texts`); a leak is an answer of one question found in
what another one shows.

Phrases are compared in the normalised form short answers are scored in
(`quizapp.qtypes.text.normalise`), as whole words, and only when they have at least
`MIN_PHRASE_LETTERS` letters, so "no" or "EU" do not flag every question. Numbers are
compared with the numbers the evidence check reads (`grounding.numbers_in`), and
only numbers from `MIN_NUMBER` on or with a fraction, because small counts ("two
reasons") are everywhere.

Pure: no Flask, no database. Used by `checks.py` and by anyone revising a bank.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from quizapp.banks import grounding
from quizapp.qtypes.base import QuestionSpec
from quizapp.qtypes.text import normalise

MIN_PHRASE_LETTERS = 4
MIN_NUMBER = 10
# A fact in more than this many questions of one quiz is reported.
MAX_TIMES_ASKED = 2

Loc = tuple[str | int, ...]
T = TypeVar("T")


@dataclass(frozen=True)
class Leak:
    """`answer` (the answer of question `source_index`) is shown at `loc` of `shown_index`."""

    source_index: int
    source_id: str
    answer: str
    shown_index: int
    shown_id: str
    loc: Loc  # inside the showing question, e.g. ("prompt",) or ("options", 2, "text")


@dataclass(frozen=True)
class RepeatedFact:
    """One answer that more than `MAX_TIMES_ASKED` questions of a quiz ask for."""

    fact: str
    question_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Fact:
    label: str  # as the teacher wrote it (the first spelling), for messages
    phrases: tuple[str, ...]  # every accepted spelling, normalised; empty for a number
    number: float | None

    @property
    def key(self) -> tuple[str, float | None]:
        return (self.phrases[0] if self.phrases else "", self.number)


def _safe(call: Callable[[], Sequence[T]]) -> list[T]:
    # A type's own bug is reported by the type checks; here it only means no facts.
    try:
        return list(call())
    except Exception:
        return []


def answer_facts(question: QuestionSpec) -> list[_Fact]:
    facts: dict[tuple[str, float | None], _Fact] = {}
    for spellings in _safe(question.answer_phrases):
        kept = [(text, normalise(text)) for text in spellings]
        kept = [(text, phrase) for text, phrase in kept
                if sum(ch.isalpha() for ch in phrase) >= MIN_PHRASE_LETTERS]
        if kept:
            fact = _Fact(kept[0][0], tuple(dict.fromkeys(p for _, p in kept)), None)
            facts.setdefault(fact.key, fact)
    for number in _safe(question.answer_numbers):
        if math.isfinite(number) and (abs(number) >= MIN_NUMBER or not number.is_integer()):
            fact = _Fact(grounding.format_number(number), (), number)
            facts.setdefault(fact.key, fact)
    return list(facts.values())


def _shows(fact: _Fact, text: str) -> bool:
    if fact.number is not None:
        return grounding.number_in_quote(fact.number, text)
    words = f" {normalise(text)} "
    return any(f" {phrase} " in words for phrase in fact.phrases)


def _shown(question: QuestionSpec) -> list[tuple[Loc, str]]:
    return _safe(question.shown_texts)


def find_leaks(questions: Sequence[tuple[int, QuestionSpec]]) -> list[Leak]:
    """Every place where one question's answer is printed in another, in file order."""
    shown = [(index, question, _shown(question)) for index, question in questions]
    leaks: list[Leak] = []
    for source_index, source in questions:
        for fact in answer_facts(source):
            for shown_index, question, texts in shown:
                if shown_index == source_index:
                    continue
                where = next((loc for loc, text in texts if _shows(fact, text)), None)
                if where is not None:
                    leaks.append(Leak(source_index, source.id, fact.label, shown_index,
                                      question.id, where))
    return leaks


def repeated_facts(questions: Sequence[tuple[int, QuestionSpec]]) -> list[RepeatedFact]:
    """Answers that more than `MAX_TIMES_ASKED` questions ask for, in file order."""
    asked: dict[tuple[str, float | None], tuple[str, list[str]]] = {}
    for _, question in questions:
        for fact in answer_facts(question):
            asked.setdefault(fact.key, (fact.label, []))[1].append(question.id)
    return [RepeatedFact(label, tuple(ids)) for label, ids in asked.values()
            if len(ids) > MAX_TIMES_ASKED]
