"""Short text answers, compared after normalisation (see `quizapp.qtypes.text`).

Display and canonical shape: the text typed, trimmed. Form field `r`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal, TypeAlias

from pydantic import Field, StringConstraints

from quizapp.qtypes.base import (
    FormData,
    Markdown,
    Outcome,
    Problem,
    QuestionSpec,
    ResponseError,
    StrictModel,
)
from quizapp.qtypes.common import (
    MAX_TEXT,
    Fraction,
    check_fraction,
    check_length,
    clamp,
    form_value,
    json_text,
    reject_unknown_fields,
)
from quizapp.qtypes.text import normalise, typo_match

FIELD = "r"
AcceptedText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Pattern = Annotated[str, StringConstraints(min_length=1, max_length=1_000)]


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None


class TextRule(StrictModel):
    """Accepted spellings (`accept`) or a regular expression (`regex`), with a fraction."""

    accept: tuple[AcceptedText, ...] | None = None
    regex: Pattern | None = None
    fraction: Fraction = 1.0
    feedback: Markdown | None = None

    def exact(self, normal: str) -> bool:
        if self.accept and any(normalise(a) == normal for a in self.accept):
            return True
        compiled = _compiled(self.regex) if self.regex else None
        return bool(compiled and compiled.search(normal))

    def near(self, normal: str) -> str | None:
        """The accepted text `normal` is one typo away from, if any."""
        return next((a for a in self.accept or () if typo_match(normal, normalise(a))), None)

    def problems(self, loc: tuple[str | int, ...]) -> list[Problem]:
        problems = check_fraction(self.fraction, (*loc, "fraction"))
        if not self.accept and not self.regex:
            problems.append(Problem(loc, "a rule needs `accept` or `regex`"))
        for index, text in enumerate(self.accept or ()):
            if not normalise(text):
                problems.append(Problem((*loc, "accept", index), "empty once normalised"))
        if self.regex and _compiled(self.regex) is None:
            problems.append(Problem((*loc, "regex"), f"invalid regular expression {self.regex!r}"))
        return problems


class ShortTextFields(StrictModel):
    """The answer fields of a short text question; shared with cloze blanks."""

    answers: tuple[TextRule, ...] = Field(min_length=1, max_length=50)
    typo_tolerance: bool = False

    def read_answer(self, text: Any) -> str:
        if not isinstance(text, str):
            raise ResponseError("The answer must be text.")
        check_length(text)
        if not normalise(text):
            raise ResponseError("Type an answer.")
        return text.strip()

    def score_answer(self, text: Any) -> Outcome:
        typed = self.read_answer(text)
        normal = normalise(typed)
        # The learner's own words are echoed as typed (spaces tidied), never lower-cased.
        echo = " ".join(typed.split())
        exact = [r for r in self.answers if r.exact(normal)]
        # A typo only counts when no rule matches exactly, so a listed wrong answer
        # is never promoted to a right one it happens to be close to.
        if exact:
            return _outcome(max(exact, key=lambda r: r.fraction), echo)
        if self.typo_tolerance:
            near = [(r, a) for r in self.answers if (a := r.near(normal)) is not None]
            if near:
                rule, accepted = max(near, key=lambda pair: pair[0].fraction)
                return _outcome(rule, f"{echo} (taken as {accepted!r})")
        return Outcome(0.0, reading=echo)

    def full_marks_texts(self) -> list[str]:
        top = max(r.fraction for r in self.answers)
        return [
            a for r in self.answers if r.fraction == top for a in r.accept or () if normalise(a)
        ]

    def reference_answer(self) -> str:
        texts = self.full_marks_texts()
        if not texts:
            raise ValueError("no accepted text among the best rules")
        return texts[0]

    def answer_text(self) -> str:
        texts = self.full_marks_texts()
        return texts[0] if texts else ""

    def rule_problems(self, loc: tuple[str | int, ...]) -> list[Problem]:
        problems: list[Problem] = []
        for index, rule in enumerate(self.answers):
            problems += rule.problems((*loc, "answers", index))
        full = [r for r in self.answers if r.fraction >= 1]
        if not full:
            problems.append(Problem((*loc, "answers"), "no rule has fraction 1"))
        elif not any(r.accept for r in full):
            problems.append(
                Problem((*loc, "answers"), "a rule with fraction 1 needs an `accept` list "
                        "(its first entry is shown as the answer)")
            )
        return problems + self.overlap_problems(loc)

    def overlap_problems(self, loc: tuple[str | int, ...]) -> list[Problem]:
        """An accepted text also listed at a lower fraction, or (with typo tolerance) one
        typo away from a text listed lower: a learner cannot tell which one they meant."""
        problems: list[Problem] = []
        for index, rule in enumerate(self.answers):
            for position, text in enumerate(rule.accept or ()):
                normal = normalise(text)
                for other_index, other in enumerate(self.answers):
                    if other.fraction <= rule.fraction or not normal:
                        continue
                    better = next((a for a in other.accept or () if normalise(a) == normal), None)
                    near = None
                    if better is None and self.typo_tolerance:
                        near = next((a for a in other.accept or ()
                                     if typo_match(normal, normalise(a))
                                     or typo_match(normalise(a), normal)), None)
                    if better is None and near is None:
                        continue
                    how = ("is also accepted" if better is not None
                           else f"is one typo from {near!r}, accepted")
                    problems.append(Problem(
                        (*loc, "answers", index, "accept", position),
                        f"{text!r} is listed at fraction {rule.fraction:g} but {how} at "
                        f"{other.fraction:g} by answer {other_index + 1}"))
                    break
        return problems

    def rules_view(self) -> list[dict[str, Any]]:
        return [
            {"accept": list(r.accept or ()), "regex": r.regex, "fraction": r.fraction,
             "feedback": r.feedback}
            for r in self.answers
        ]


def _outcome(rule: TextRule, reading: str) -> Outcome:
    feedback = (rule.feedback,) if rule.feedback else ()
    return Outcome(clamp(rule.fraction), feedback, reading=reading)


# The canonical response: the text as typed, stripped.
ShortTextResponse: TypeAlias = str


class ShortText(QuestionSpec[ShortTextResponse], ShortTextFields):
    """Type a word or a few; the best-scoring rule that matches gives the fraction."""

    label: ClassVar[str] = "Short text"
    type: Literal["short_text"]

    def view(self, seed: int | None) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "id": self.view_id(seed),
            "prompt": self.prompt,
            "field": FIELD,
            "maxlength": MAX_TEXT,
        }

    def display_response(self, response: ShortTextResponse, seed: int | None) -> str:
        return self.read_answer(response)

    def answer_view(self) -> dict[str, Any]:
        accepted = [a for r in self.answers if r.fraction >= 1 for a in r.accept or ()]
        return {
            "type": self.type_name,
            "answer": self.answer_text(),
            "accepted": accepted,
            "rules": self.rules_view(),
        }

    def parse_form(self, form: FormData, seed: int | None) -> ShortTextResponse:
        reject_unknown_fields(form, {FIELD})
        return self.read_answer(form_value(form, FIELD, "Type an answer."))

    def parse_json(self, data: Any, seed: int | None) -> ShortTextResponse:
        return self.read_answer(json_text(data))

    def parse_text(self, texts: Sequence[str]) -> ShortTextResponse:
        return self.read_answer(" ".join(texts))

    def score(self, response: ShortTextResponse) -> Outcome:
        return self.score_answer(response)

    def reference_response(self) -> ShortTextResponse:
        return self.reference_answer()

    def check(self) -> list[Problem]:
        return self.rule_problems(())

    def answer_phrases(self) -> list[tuple[str, ...]]:
        texts = self.full_marks_texts()
        return [tuple(texts)] if texts else []
