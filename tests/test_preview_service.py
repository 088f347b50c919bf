"""The teacher preview's try box as a service: the posted form in, an outcome or a reason out."""

from __future__ import annotations

from test_qtypes_properties import SPECS

from quizapp.services.preview import PreviewTry, try_answer

NUMERIC = next(s for s in SPECS if s.type_name == "numeric")


def test_an_answer_is_read_scored_and_kept_for_the_form() -> None:
    tried = try_answer(NUMERIC, {"r": ["20 000"]})
    assert tried.error is None
    assert tried.outcome is not None
    assert (tried.outcome.fraction, tried.outcome.reading) == (0.25, "20,000")
    # The try box is refilled with what was typed, so it can be changed and tried again.
    assert tried.shown == "20 000"


def test_the_right_answer_scores_in_full() -> None:
    tried = try_answer(NUMERIC, {"r": ["30000"]})
    assert tried.outcome is not None and tried.outcome.fraction == 1.0


def test_an_unreadable_answer_is_a_reason_not_an_outcome() -> None:
    assert try_answer(NUMERIC, {"r": ["lots"]}) == PreviewTry(
        error="Could not read 'lots' as a number.")
    assert try_answer(NUMERIC, {}).error


def test_every_type_answers_its_own_display_shape_without_raising() -> None:
    for spec in SPECS:
        field = spec.view(None).get("field", "r")
        tried = try_answer(spec, {field: ["x"], "other": ["1", "2"]})
        assert (tried.outcome is None) == (tried.error is not None), spec.type_name
