"""Matching: pair each left item with one right item.

Display shape: `{left_key: right_key}`; form fields `r-<left_key>`, one `<select>`
per left item whose value is a right key. Canonical shape: `{left text: right text}`
with every left item present (texts, because pairs have no ids in the bank file).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar, Literal, TypeAlias

from pydantic import Field

from quizapp.qtypes.base import (
    FormData,
    Outcome,
    PartOutcome,
    Problem,
    QuestionSpec,
    ResponseError,
    StrictModel,
    display_key,
    shuffled,
)
from quizapp.qtypes.common import (
    InlineText,
    casefold_key,
    check_length,
    form_response_fields,
    form_value,
    json_dict,
    lookup_key,
    reject_unknown_fields,
)

# seed=None must not list the right-hand items in file order, next to their left items.
PREVIEW_SEED = 0


class MatchPair(StrictModel):
    left: InlineText
    right: InlineText


# The canonical response: each left item's text (every one) to the right item's text
# chosen for it.
MatchingResponse: TypeAlias = dict[str, str]


class Matching(QuestionSpec[MatchingResponse]):
    """Fraction = pairs matched correctly / number of pairs. Two left items may share a
    right item; `distractors` are right items that match nothing."""

    label: ClassVar[str] = "Matching"
    type: Literal["matching"]
    pairs: tuple[MatchPair, ...] = Field(min_length=1, max_length=50)
    distractors: tuple[InlineText, ...] = Field(default=(), max_length=50)

    # -- items and keys ----------------------------------------------------------------
    def lefts(self) -> list[str]:
        return [p.left for p in self.pairs]

    def rights(self) -> list[str]:
        """Right items, each once: the pairs' in file order, then the distractors."""
        return list(dict.fromkeys([*(p.right for p in self.pairs), *self.distractors]))

    def answer(self) -> dict[str, str]:
        return {p.left: p.right for p in self.pairs}

    def _left_key(self, text: str, seed: int | None) -> str:
        return display_key(seed, f"{self.id}:left:{text}")

    def _right_key(self, text: str, seed: int | None) -> str:
        return display_key(seed, f"{self.id}:right:{text}")

    def _left_keys(self, seed: int | None) -> dict[str, str]:
        return {self._left_key(t, seed): t for t in self.lefts()}

    def _right_keys(self, seed: int | None) -> dict[str, str]:
        return {self._right_key(t, seed): t for t in self.rights()}

    # -- presentation --------------------------------------------------------------------
    def view(self, seed: int | None) -> dict[str, Any]:
        order_seed = PREVIEW_SEED if seed is None else seed
        rights = shuffled(self.rights(), order_seed, f"{self.id}:right")
        answers = [p.right for p in self.pairs]
        if seed is None and len(answers) >= 3 and rights[: len(answers)] == answers:
            rights.reverse()
        return {
            "type": self.type_name,
            "id": self.view_id(seed),
            "prompt": self.prompt,
            "lefts": [
                {"key": k, "text": t, "field": f"r-{k}"} for k, t in self._left_keys(seed).items()
            ],
            "rights": [{"key": self._right_key(t, seed), "text": t} for t in rights],
        }

    def display_response(self, response: MatchingResponse, seed: int | None) -> dict[str, str]:
        canonical = self._canonical(response)
        return {
            self._left_key(left, seed): self._right_key(right, seed)
            for left, right in canonical.items()
        }

    def answer_view(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "pairs": [{"left": p.left, "right": p.right} for p in self.pairs],
            "distractors": list(self.distractors),
        }

    # -- reading -------------------------------------------------------------------------
    def parse_form(self, form: FormData, seed: int | None) -> MatchingResponse:
        lefts = self._left_keys(seed)
        reject_unknown_fields(form, {f"r-{k}" for k in lefts})
        rights = self._right_keys(seed)
        if not form_response_fields(form):
            raise ResponseError("Match every item on the left.")
        return self._canonical({
            text: lookup_key(rights, form_value(form, f"r-{key}", _missing(text)), "item")
            for key, text in lefts.items()
        })

    def parse_json(self, data: Any, seed: int | None) -> MatchingResponse:
        answer = json_dict(data)
        lefts, rights = self._left_keys(seed), self._right_keys(seed)
        return self._canonical({
            lookup_key(lefts, key, "item"): lookup_key(rights, value, "item")
            for key, value in answer.items()
        })

    def parse_text(self, texts: Sequence[str]) -> MatchingResponse:
        """Pairs `LEFT = RIGHT` separated by `;` or new lines; each side is the item's
        text or its number (lefts in file order; rights as listed by `rights()`)."""
        pairs = [p for t in texts for p in re.split(r"[;\n]", check_length(t)) if p.strip()]
        answer: dict[str, str] = {}
        for pair in pairs:
            left, sep, right = pair.partition("=")
            if not sep:
                raise ResponseError(f"Write each pair as LEFT = RIGHT, not {pair.strip()!r}.")
            answer[_pick(self.lefts(), left)] = _pick(self.rights(), right)
        return self._canonical(answer)

    # -- scoring -------------------------------------------------------------------------
    def score(self, response: MatchingResponse) -> Outcome:
        given = self._canonical(response)
        parts = tuple(
            PartOutcome(p.left, 1.0 if given[p.left] == p.right else 0.0, reading=given[p.left])
            for p in self.pairs
        )
        fraction = sum(part.fraction for part in parts) / len(parts)
        reading = "; ".join(f"{left} = {right}" for left, right in given.items())
        return Outcome(fraction, reading=reading, parts=parts)

    def reference_response(self) -> MatchingResponse:
        return self.answer()

    def shown_texts(self) -> list[tuple[tuple[str | int, ...], str]]:
        shown = [*super().shown_texts()]
        for index, pair in enumerate(self.pairs):
            shown += [(("pairs", index, "left"), pair.left),
                      (("pairs", index, "right"), pair.right)]
        return shown + [(("distractors", i), text) for i, text in enumerate(self.distractors)]

    def check(self) -> list[Problem]:
        problems = _duplicates(self.lefts(), lambda i: ("pairs", i, "left"), "left item")
        problems += _duplicates(list(self.distractors), lambda i: ("distractors", i), "distractor")
        answers = {casefold_key(p.right) for p in self.pairs}
        for index, text in enumerate(self.distractors):
            if casefold_key(text) in answers:
                problems.append(Problem(("distractors", index), f"{text!r} is also a right answer"))
        if len(self.pairs) < 2:
            problems.append(Problem(("pairs",), "a single pair is no question", "warning"))
        return problems

    def _canonical(self, response: object) -> MatchingResponse:
        if not isinstance(response, dict):
            raise ResponseError("A matching response must pair each left item with a right one.")
        lefts, rights = self.lefts(), set(self.rights())
        for left, right in response.items():
            if not isinstance(left, str) or left not in lefts:
                raise ResponseError(f"There is no left item {str(left)[:40]!r} in this question.")
            if not isinstance(right, str) or right not in rights:
                raise ResponseError(f"There is no right item {str(right)[:40]!r} in this question.")
        missing = [t for t in lefts if t not in response]
        if missing:
            raise ResponseError(_missing(missing[0]))
        return {left: response[left] for left in lefts}


def _missing(left: str) -> str:
    return f"Choose a match for {left[:60]!r}."


def _pick(items: list[str], typed: str) -> str:
    """An item by its 1-based number or its text (case and spacing ignored)."""
    typed = typed.strip()
    if re.fullmatch(r"[0-9]{1,4}", typed) and 1 <= int(typed) <= len(items):
        return items[int(typed) - 1]
    wanted = casefold_key(typed)
    for item in items:
        if casefold_key(item) == wanted:
            return item
    raise ResponseError(f"No item is numbered or called {typed[:40]!r}.")


def _duplicates(texts: list[str], loc: Any, what: str) -> list[Problem]:
    seen: set[str] = set()
    problems: list[Problem] = []
    for index, text in enumerate(texts):
        key = casefold_key(text)
        if key in seen:
            problems.append(Problem(loc(index), f"duplicate {what} {text!r}"))
        seen.add(key)
    return problems
