"""Ordering: put items in the right order.

Display shape: the item keys in the learner's order. Form fields `r-<item_key>`, one
`<select>` of positions (1..n) per item, so the page works without JavaScript.
Canonical shape: the item texts in the learner's order, each item exactly once.
"""

from __future__ import annotations

import re
from bisect import bisect_left
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
    display_key,
    shuffled,
)
from quizapp.qtypes.common import (
    InlineText,
    casefold_key,
    check_length,
    form_value,
    json_list,
    lookup_key,
    no_duplicates,
    reject_unknown_fields,
)

# seed=None (a preview, or options not shuffled) must still not list the items in their
# file order, which is the answer. From 3 items on, that order is never shown at all;
# for 2, refusing it would give the answer away, so the order stays pseudo-random.
PREVIEW_SEED = 0


def longest_increasing_run(ranks: Sequence[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    for rank in ranks:
        index = bisect_left(tails, rank)
        if index == len(tails):
            tails.append(rank)
        else:
            tails[index] = rank
    return len(tails)


# The canonical response: the item texts in the learner's order, every item once.
OrderingResponse: TypeAlias = list[str]


class Ordering(QuestionSpec[OrderingResponse]):
    """Partial credit: the longest run of items in correct relative order (the longest
    increasing subsequence of their true positions, not necessarily adjacent) divided
    by the number of items. A run shorter than 2 scores 0, so a reversed list earns
    nothing. Example: true order A B C D E, answer B A C D E -> run A C D E = 4/5."""

    label: ClassVar[str] = "Ordering"
    type: Literal["ordering"]
    items: tuple[InlineText, ...] = Field(min_length=1, max_length=50)

    def _key(self, text: str, seed: int | None) -> str:
        return display_key(seed, f"{self.id}:item:{text}")

    def _keys(self, seed: int | None) -> dict[str, str]:
        return {self._key(t, seed): t for t in self.items}

    def shown_order(self, seed: int | None) -> list[str]:
        order = shuffled(self.items, PREVIEW_SEED if seed is None else seed, f"{self.id}:order")
        if seed is None and len(order) >= 3 and order == list(self.items):
            order.reverse()
        return order

    def view(self, seed: int | None) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "id": self.view_id(seed),
            "prompt": self.prompt,
            "items": [
                {"key": self._key(t, seed), "text": t, "field": f"r-{self._key(t, seed)}"}
                for t in self.shown_order(seed)
            ],
            "positions": list(range(1, len(self.items) + 1)),
        }

    def display_response(self, response: OrderingResponse, seed: int | None) -> list[str]:
        return [self._key(t, seed) for t in self._canonical(response)]

    def answer_view(self) -> dict[str, Any]:
        return {"type": self.type_name, "items": list(self.items)}

    def parse_form(self, form: FormData, seed: int | None) -> OrderingResponse:
        keys = self._keys(seed)
        reject_unknown_fields(form, {f"r-{k}" for k in keys})
        placed: dict[int, str] = {}
        for key, text in keys.items():
            position = _position(form_value(form, f"r-{key}", _missing(text)), len(keys))
            if position in placed:
                raise ResponseError(f"Two items are given position {position}.")
            placed[position] = text
        return [placed[p] for p in sorted(placed)]

    def parse_json(self, data: Any, seed: int | None) -> OrderingResponse:
        keys = self._keys(seed)
        return self._canonical([lookup_key(keys, k, "item") for k in json_list(data)])

    def parse_text(self, texts: Sequence[str]) -> OrderingResponse:
        """File positions in the learner's order (`3,1,2` or `3 1 2`), or the item
        texts separated by `;`, `|` or new lines."""
        joined = check_length(" ".join(texts))
        if re.fullmatch(r"[0-9,\s]+", joined):
            numbers = [int(n) for n in re.split(r"[,\s]+", joined) if n]
            return self._canonical([self._numbered(n) for n in numbers])
        names = [n for n in re.split(r"[;|\n]", joined) if n.strip()]
        return self._canonical([self._named(n) for n in names])

    def score(self, response: OrderingResponse) -> Outcome:
        order = self._canonical(response)
        rank = {text: index for index, text in enumerate(self.items)}
        run = longest_increasing_run([rank[t] for t in order])
        fraction = run / len(self.items) if run >= 2 else 0.0
        # One line per item in the learner's order: in its right place, or where it belongs.
        parts = tuple(
            PartOutcome(
                label=f"{place}. {text}",
                fraction=1.0 if rank[text] == place - 1 else 0.0,
                reading="in the right place" if rank[text] == place - 1
                else f"belongs at position {rank[text] + 1}",
            )
            for place, text in enumerate(order, start=1)
        )
        in_place = sum(1 for part in parts if part.fraction == 1.0)
        total = len(self.items)
        reading = (
            f"{in_place} of {total} in the right place; "
            f"{run} of {total} in the right order relative to each other"
        )
        return Outcome(fraction, reading=reading, parts=parts)

    def reference_response(self) -> OrderingResponse:
        return list(self.items)

    def shown_texts(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [*super().shown_texts(),
                *((("items", i), text) for i, text in enumerate(self.items))]

    def check(self) -> list[Problem]:
        problems: list[Problem] = []
        seen: set[str] = set()
        for index, text in enumerate(self.items):
            if casefold_key(text) in seen:
                problems.append(Problem(("items", index), f"duplicate item {text!r}"))
            seen.add(casefold_key(text))
        if len(self.items) < 2:
            problems.append(Problem(("items",), "an ordering question needs 2 items or more"))
        return problems

    def _canonical(self, response: object) -> OrderingResponse:
        if not isinstance(response, list) or not all(isinstance(t, str) for t in response):
            raise ResponseError("An ordering response must list the items.")
        no_duplicates(response, "item")
        unknown = [t for t in response if t not in self.items]
        if unknown:
            raise ResponseError(f"There is no item {unknown[0][:40]!r} in this question.")
        if len(response) != len(self.items):
            raise ResponseError("Put every item in the order, each once.")
        return list(response)

    def _numbered(self, number: int) -> str:
        if not 1 <= number <= len(self.items):
            count = len(self.items)
            raise ResponseError(f"There is no item number {number}; items are 1 to {count}.")
        return self.items[number - 1]

    def _named(self, typed: str) -> str:
        wanted = casefold_key(typed)
        for item in self.items:
            if casefold_key(item) == wanted:
                return item
        raise ResponseError(f"No item is called {typed.strip()[:40]!r}.")


def _position(text: str, count: int) -> int:
    cleaned = text.strip()
    if not re.fullmatch(r"[0-9]{1,4}", cleaned) or not 1 <= int(cleaned) <= count:
        raise ResponseError(f"A position must be a number from 1 to {count}.")
    return int(cleaned)


def _missing(text: str) -> str:
    return f"Give a position for {text[:60]!r}."
