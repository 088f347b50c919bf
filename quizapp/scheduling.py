"""Spaced repetition with FSRS: when should a learner see a question again?

Pure functions over the card's JSON state, so the database only stores a dict.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from fsrs import Card, Rating, Scheduler

from quizapp.qtypes.base import is_correct


@lru_cache(maxsize=1)
def _scheduler() -> Scheduler:
    # No same-day learning steps: a quiz learner comes back on another day, so the
    # first right answer should already schedule days ahead. No fuzzing keeps the
    # schedule reproducible in tests and explanations.
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating_for(fraction: float) -> Rating:
    """Map a score to an FSRS rating: wrong is Again, partly right Hard, right Good."""
    if is_correct(fraction):
        return Rating.Good
    if fraction >= 0.5:
        return Rating.Hard
    return Rating.Again


def review(card_state: dict[str, Any] | None, fraction: float, when: datetime) -> dict[str, Any]:
    """The card's state after an answer scoring `fraction` at `when`."""
    if card_state:
        card = Card.from_dict(card_state)  # type: ignore[arg-type]
    else:
        # Given an id, Card() does not sleep: without one it waits a millisecond so
        # that ids made in a row differ, and this runs inside a request. quizapp keys
        # cards by learner and question, so the id only needs to be an integer.
        card = Card(card_id=int(when.timestamp() * 1000), due=when)
    updated, _log = _scheduler().review_card(card, rating_for(fraction), when)
    return dict(updated.to_dict())


def due_of(card_state: dict[str, Any]) -> datetime:
    # The stored state is the JSON of fsrs' CardDict.
    return Card.from_dict(card_state).due  # type: ignore[arg-type]
