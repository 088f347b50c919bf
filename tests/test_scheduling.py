"""FSRS scheduling on its own: right answers push a question back, wrong ones bring it near."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp import scheduling

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def after(answers: list[float], start: datetime = NOW, gap: timedelta | None = None) -> dict:
    """The card state after answering at each due date (or every `gap`)."""
    state = None
    when = start
    for fraction in answers:
        state = scheduling.review(state, fraction, when)
        when = scheduling.due_of(state) if gap is None else when + gap
    assert state is not None
    return state


def test_a_first_right_answer_schedules_days_ahead() -> None:
    due = scheduling.due_of(scheduling.review(None, 1.0, NOW))
    assert due >= NOW + timedelta(days=1)


def test_a_first_wrong_answer_comes_back_sooner_than_a_right_one() -> None:
    right = scheduling.due_of(scheduling.review(None, 1.0, NOW))
    wrong = scheduling.due_of(scheduling.review(None, 0.0, NOW))
    assert NOW <= wrong < right


def test_right_answers_move_the_due_date_further_each_time() -> None:
    state = scheduling.review(None, 1.0, NOW)
    intervals = []
    for _ in range(4):
        when = scheduling.due_of(state)
        state = scheduling.review(state, 1.0, when)
        intervals.append(scheduling.due_of(state) - when)
    assert intervals == sorted(intervals)
    assert intervals[-1] > intervals[0]


def test_a_wrong_answer_brings_a_learned_question_back_sooner() -> None:
    learned = after([1.0, 1.0, 1.0])
    when = scheduling.due_of(learned)
    right = scheduling.due_of(scheduling.review(learned, 1.0, when))
    wrong = scheduling.due_of(scheduling.review(learned, 0.0, when))
    assert wrong < right
    assert wrong - when < scheduling.due_of(learned) - NOW


@pytest.mark.parametrize(("fraction", "rating"), [
    (1.0, "Good"), (0.999_999, "Good"), (0.9995, "Hard"), (0.75, "Hard"), (0.5, "Hard"),
    (0.49, "Again"), (0.0, "Again"),
])
def test_scores_map_to_ratings(fraction: float, rating: str) -> None:
    assert scheduling.rating_for(fraction).name == rating


def test_partial_credit_lands_between_wrong_and_right() -> None:
    learned = after([1.0, 1.0])
    when = scheduling.due_of(learned)
    dues = [scheduling.due_of(scheduling.review(learned, f, when)) for f in (0.0, 0.6, 1.0)]
    assert dues[0] < dues[1] < dues[2]


def test_the_state_round_trips_through_json() -> None:
    import json

    state = after([1.0, 0.0, 1.0])
    assert scheduling.due_of(json.loads(json.dumps(state))) == scheduling.due_of(state)


@pytest.mark.parametrize("fraction", [1.0, 0.999_999, 0.999_998, 0.9995, 0.999, 0.5])
def test_review_agrees_with_the_one_rule_of_right(fraction: float) -> None:
    from quizapp.qtypes.base import Outcome, PartOutcome

    right = Outcome(fraction).correct
    assert PartOutcome("a", fraction).correct == right
    assert (scheduling.rating_for(fraction).name == "Good") == right
