"""Numeric answers: a number, maybe with a unit, scored against tolerance rules.

Display and canonical shape: the text the learner typed (a JSON number is turned into
its text). Form field `r`. The text is kept, not the number, so a review page can
show what was typed and a later fix to the reader re-reads it the same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
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
    Fraction,
    check_fraction,
    clamp,
    form_value,
    json_number_or_text,
    reject_unknown_fields,
)
from quizapp.qtypes.numbers import Quantity, format_number, read_quantity

FIELD = "r"
Finite = Annotated[float, Field(allow_inf_nan=False)]
UnitName = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Multiplier = Annotated[float, Field(gt=0, allow_inf_nan=False)]


def _slack(value: float) -> float:
    # Float noise: 1.52 m read as 1520.0000000000002 mm must still equal 1520.
    return 1e-9 * max(1.0, abs(value))


class NumericRule(StrictModel):
    """One accepted answer: `value` with a tolerance, or a `min`/`max` range."""

    value: Finite | None = None
    tolerance: Finite | None = None
    tolerance_percent: Finite | None = None
    min: Finite | None = None
    max: Finite | None = None
    fraction: Fraction = 1.0
    feedback: Markdown | None = None

    def matches(self, number: float) -> bool:
        if self.value is not None:
            return abs(number - self.value) <= self.allowance() + _slack(self.value)
        low = self.min if self.min is not None else float("-inf")
        high = self.max if self.max is not None else float("inf")
        return low - _slack(low) <= number <= high + _slack(high)

    def bounds(self) -> tuple[float, float]:
        """The lowest and highest numbers the rule accepts (infinite when open)."""
        if self.value is not None:
            return self.value - self.allowance(), self.value + self.allowance()
        low = self.min if self.min is not None else float("-inf")
        return low, self.max if self.max is not None else float("inf")

    def allowance(self) -> float:
        """The absolute distance from `value` still accepted."""
        absolute = max(0.0, self.tolerance or 0.0)
        relative = abs(self.value or 0.0) * max(0.0, self.tolerance_percent or 0.0) / 100
        return max(absolute, relative)

    def describe(self, plain: bool | None = None) -> str:
        def number(value: float) -> str:
            return format_number(value, plain=plain)

        if self.value is not None:
            if self.tolerance_percent:
                return f"{number(self.value)} ± {number(self.tolerance_percent)}%"
            if self.tolerance:
                return f"{number(self.value)} ± {number(self.tolerance)}"
            return number(self.value)
        if self.min is not None and self.max is not None:
            return f"{number(self.min)} to {number(self.max)}"
        if self.min is not None:
            return f"at least {number(self.min)}"
        return f"at most {number(self.max or 0)}"

    def sample(self) -> float:
        """A number inside the rule, for the reference response."""
        if self.value is not None:
            return self.value
        if self.min is not None and self.max is not None:
            return (self.min + self.max) / 2
        return self.min if self.min is not None else (self.max or 0.0)

    def problems(self, loc: tuple[str | int, ...]) -> list[Problem]:
        problems = check_fraction(self.fraction, (*loc, "fraction"))
        has_range = self.min is not None or self.max is not None
        if self.value is None and not has_range:
            problems.append(Problem(loc, "a rule needs `value` or a `min`/`max` range"))
        if self.value is not None and has_range:
            problems.append(Problem(loc, "give either `value` (with a tolerance) or `min`/`max`"))
        has_tolerance = self.tolerance is not None or self.tolerance_percent is not None
        if self.value is None and has_tolerance:
            problems.append(Problem(loc, "a tolerance needs a `value`"))
        if self.tolerance is not None and self.tolerance_percent is not None:
            problems.append(Problem(loc, "give `tolerance` or `tolerance_percent`, not both"))
        for name in ("tolerance", "tolerance_percent"):
            if (getattr(self, name) or 0) < 0:
                problems.append(Problem((*loc, name), f"{name} is negative"))
        if self.min is not None and self.max is not None and self.min > self.max:
            problems.append(Problem((*loc, "min"), f"min {self.min} is above max {self.max}"))
        return problems


class NumericFields(StrictModel):
    """The answer fields of a numeric question; shared with cloze blanks."""

    answers: tuple[NumericRule, ...] = Field(min_length=1, max_length=50)
    units: dict[UnitName, Multiplier] | None = None
    unit_required: bool = False
    # Never group digits ("10115", a postcode or an id); years are never grouped anyway.
    plain: bool = False

    @property
    def plain_numbers(self) -> bool | None:
        """True when the bank marks this question's numbers plain; otherwise None, the
        formatter's default (groups of three, years such as 2022 never grouped)."""
        return True if self.plain else None

    def quantity(self, text: Any) -> Quantity:
        """How a canonical response reads; `ResponseError` when it cannot be read."""
        if not isinstance(text, str):
            raise ResponseError("A number response must be text.")
        quantity = read_quantity(text, self.units, self.unit_required)
        if self.plain:
            # The reading's only commas are the formatter's digit groups.
            return replace(quantity, reading=quantity.reading.replace(",", ""))
        return quantity

    def read_answer(self, text: Any) -> str:
        self.quantity(text)
        return str(text).strip()

    def score_answer(self, text: Any) -> Outcome:
        quantity = self.quantity(text)
        matching = [r for r in self.answers if r.matches(quantity.value)]
        if not matching:
            return Outcome(0.0, reading=quantity.reading)
        best = max(matching, key=lambda r: r.fraction)  # first of equals wins
        feedback = (best.feedback,) if best.feedback else ()
        return Outcome(clamp(best.fraction), feedback, reading=quantity.reading)

    def best_rule(self) -> NumericRule:
        return max(self.answers, key=lambda r: r.fraction)

    def reference_answer(self) -> str:
        number = self.best_rule().sample()
        unit = self._reference_unit()
        if unit is None:
            return _plain(number)
        multiplier = (self.units or {})[unit]
        return f"{_plain(number / multiplier)} {unit}"

    def _reference_unit(self) -> str | None:
        if not self.units or not self.unit_required:
            return None
        return next((u for u, m in self.units.items() if m == 1), next(iter(self.units)))

    def answer_text(self) -> str:
        best = self.best_rule()
        base = next((u for u, m in (self.units or {}).items() if m == 1), None)
        if base is None:
            return best.describe(self.plain_numbers)
        return best.describe(self.plain_numbers) + (base if base == "%" else f" {base}")

    def numbers(self) -> list[float]:
        return [r.value for r in self.answers if r.value is not None and r.fraction >= 1]

    def rule_problems(self, loc: tuple[str | int, ...]) -> list[Problem]:
        problems: list[Problem] = []
        for index, rule in enumerate(self.answers):
            problems += rule.problems((*loc, "answers", index))
        if not any(r.fraction >= 1 for r in self.answers):
            problems.append(Problem((*loc, "answers"), "no rule has fraction 1"))
        if self.unit_required and not self.units:
            problems.append(Problem((*loc, "unit_required"), "unit_required but no units declared"))
        return problems + self.overlap_problems(loc)

    def overlap_problems(self, loc: tuple[str | int, ...]) -> list[Problem]:
        """Rules that contradict each other: a listed value that a better rule's tolerance
        already scores (so the listed fraction never applies), or the right answer also
        listed at 0 credit."""
        problems: list[Problem] = []
        for index, rule in enumerate(self.answers):
            for other_index, other in enumerate(self.answers):
                if other.fraction <= rule.fraction or other_index == index:
                    continue
                where = (*loc, "answers", index)
                low, high = rule.bounds()
                if math.isfinite(low) and math.isfinite(high) and (
                        other.matches(low) and other.matches(high)):
                    problems.append(Problem(
                        (*where, "value" if rule.value is not None else "min"),
                        f"{rule.describe()} is listed at fraction {rule.fraction:g}, but "
                        f"answer {other_index + 1} ({other.describe()}) already gives it "
                        f"{other.fraction:g}; narrow that tolerance or drop this rule"))
                elif (rule.fraction == 0 and other.fraction >= 1 and other.value is not None
                      and rule.matches(other.value)):
                    problems.append(Problem(
                        where, f"the right answer {format_number(other.value)} is also listed "
                        f"at fraction 0 ({rule.describe()})"))
        return problems

    def rules_view(self) -> list[dict[str, Any]]:
        return [
            {"text": r.describe(self.plain_numbers), "fraction": r.fraction,
             "feedback": r.feedback}
            for r in self.answers
        ]


def _plain(number: float) -> str:
    """A number in a form `read_quantity` reads back exactly."""
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    text = repr(number)
    # "1.525" would be refused as maybe-thousands; "1.5250" is plainly a decimal.
    return text + "0" if re.fullmatch(r"-?[1-9]\d{0,2}\.\d{3}", text) else text


# The canonical response: the number as typed (units included), stripped; scoring
# reads it afresh each time.
NumericResponse: TypeAlias = str


class Numeric(QuestionSpec[NumericResponse], NumericFields):
    """Type a number. The best-scoring rule that the number falls in gives the fraction."""

    label: ClassVar[str] = "Number"
    type: Literal["numeric"]

    def view(self, seed: int | None) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "id": self.view_id(seed),
            "prompt": self.prompt,
            "field": FIELD,
            "units": list(self.units or {}),
            "unit_required": self.unit_required,
        }

    def display_response(self, response: NumericResponse, seed: int | None) -> str:
        return self.read_answer(response)

    def answer_view(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "answer": self.answer_text(),
            "rules": self.rules_view(),
            "units": list(self.units or {}),
        }

    def parse_form(self, form: FormData, seed: int | None) -> NumericResponse:
        reject_unknown_fields(form, {FIELD})
        return self.read_answer(form_value(form, FIELD, "Type a number."))

    def parse_json(self, data: Any, seed: int | None) -> NumericResponse:
        return self.read_answer(json_number_or_text(data))

    def parse_text(self, texts: Sequence[str]) -> NumericResponse:
        # Several words are one response: `quizapp try f q 1 520` means "1 520".
        return self.read_answer(" ".join(texts))

    def score(self, response: NumericResponse) -> Outcome:
        return self.score_answer(response)

    def reference_response(self) -> NumericResponse:
        return self.reference_answer()

    def check(self) -> list[Problem]:
        return self.rule_problems(())

    def answer_numbers(self) -> list[float]:
        return self.numbers()
