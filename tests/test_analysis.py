"""Item and response analysis against examples worked out by hand.

The main example: four attempts at three one-mark questions.

    attempt  q1 q2 q3  total
    A         1  1  1    3
    B         1  1  0    2
    C         1  0  0    1
    D         0  0  1    1

q1: marks 1,1,1,0, mean 0.75 -> facility 75%. Squared deviations .0625 x3 + .5625 = .75,
    / (4 - 1) = .25 -> SD .5 = 50%. Rest of test 2,1,0,1 (mean 1): the deviations of q1
    (.25,.25,.25,-.75) times those of the rest (1,0,-1,0) sum to 0 -> discrimination 0.
q2: marks 1,1,0,0, variance 1/3. Rest 2,1,1,1, variance .75/3 = .25. Covariance
    (.5*.75 - .5*.25 + .5*.25 + .5*.25) / 3 = 1/6. Discrimination
    100 * (1/6) / sqrt(1/3 * 1/4) = 57.735%. Sorted, the marks (0,0,1,1) and the rests
    (1,1,1,2) also have covariance 1/6, so the discriminative efficiency is 100%.
q3: marks 1,0,0,1, variance 1/3. Rest 2,2,1,0, variance 2.75/3. Covariance
    (.375 - .375 + .125 - .625) / 3 = -1/6. Discrimination
    100 * (-1/6) / sqrt(1/3 * 2.75/3) = -30.151%.
Covariance with the total (3,2,1,1; deviations 1.25,.25,-.75,-.75): q1 .75/3 = .25,
    q2 1.5/3 = .5, q3 .5/3 = 1/6; their square roots .5, .70711, .40825 sum to 1.61536,
    so the effective weights are 30.95%, 43.77% and 25.27%.
Totals: mean 1.75, median (1 + 2) / 2 = 1.5, squared deviations sum 2.75, SD
    sqrt(2.75/3) = .957427. m2 = .6875, m3 = 1.125/4, m4 = 3.078125/4;
    k2 = 4 m2 / 3 = .916667, k3 = 16 m3 / 6 = .75 -> skewness .75 / k2^1.5 = .854563;
    k4 = 16 (5 m4 - 9 m2^2) / 6 = -1.083333 -> kurtosis k4 / k2^2 = -1.289256.
    Item variances sum to .25 + 1/3 + 1/3 = .916667 = k2, so Cronbach's alpha is
    3/2 * (1 - 1) = 0%, the error ratio 100% and the standard error the SD itself.
"""

from __future__ import annotations

import pytest

from quizapp.analysis import (
    ItemStats,
    analyse,
    choice_tables,
    item_stats,
    quiz_stats,
    random_guess_score,
    review_reasons,
    split_thirds,
    typed_tables,
)
from quizapp.qtypes import Cloze, Numeric, ShortText, SingleChoice, TrueFalse

ONE = 1.0


def sheet_of(rows: dict[str, list[float]]) -> dict[str, dict[str, tuple[float, float]]]:
    return {a: {f"q{i}": (m, ONE) for i, m in enumerate(marks, start=1)}
            for a, marks in rows.items()}


WORKED = sheet_of({"A": [1, 1, 1], "B": [1, 1, 0], "C": [1, 0, 0], "D": [0, 0, 1]})


def by_key(sheet: dict[str, dict[str, tuple[float, float]]]) -> dict[object, ItemStats]:
    return {item.key: item for item in item_stats(sheet)}


def test_item_statistics_of_the_worked_example() -> None:
    items = by_key(WORKED)
    q1, q2, q3 = items["q1"], items["q2"], items["q3"]
    assert q1.facility == pytest.approx(75.0)
    assert q1.sd == pytest.approx(50.0)
    assert q1.discrimination == pytest.approx(0.0, abs=1e-9)
    assert q2.facility == pytest.approx(50.0)
    assert q2.discrimination == pytest.approx(57.735, abs=1e-3)
    assert q2.efficiency == pytest.approx(100.0)
    assert q3.discrimination == pytest.approx(-30.151, abs=1e-3)
    for item in (q1, q2, q3):
        assert item.intended_weight == pytest.approx(100 / 3)
        assert item.count == 4
    assert q1.effective_weight == pytest.approx(30.95, abs=0.01)
    assert q2.effective_weight == pytest.approx(43.77, abs=0.01)
    assert q3.effective_weight == pytest.approx(25.27, abs=0.01)


def test_quiz_statistics_of_the_worked_example() -> None:
    stats = quiz_stats(WORKED)
    assert stats.count == 4
    assert stats.max_total == 3
    assert stats.mean == pytest.approx(1.75)
    assert stats.median == pytest.approx(1.5)
    assert stats.sd == pytest.approx(0.957427, abs=1e-6)
    assert stats.skewness == pytest.approx(0.854563, abs=1e-6)
    assert stats.kurtosis == pytest.approx(-1.289256, abs=1e-6)
    assert stats.cic == pytest.approx(0.0, abs=1e-9)
    assert stats.error_ratio == pytest.approx(100.0)
    assert stats.standard_error == pytest.approx(stats.sd)
    assert stats.percent(stats.mean) == pytest.approx(100 * 1.75 / 3)


def test_a_consistent_test_has_a_high_alpha() -> None:
    # Two questions that always agree: item variances 1/3 each, total variance 4/3,
    # alpha = 2/1 * (1 - (2/3) / (4/3)) = 100%, error ratio 0.
    stats = quiz_stats(sheet_of({"A": [1, 1], "B": [1, 1], "C": [0, 0], "D": [0, 0]}))
    assert stats.cic == pytest.approx(100.0)
    assert stats.error_ratio == pytest.approx(0.0, abs=1e-6)
    assert stats.standard_error == pytest.approx(0.0, abs=1e-6)


def test_marks_on_other_scales() -> None:
    # A two-mark question with a half mark: facility is the mean as a share of 2.
    sheet = {"A": {"q": (2.0, 2.0), "r": (1.0, 1.0)}, "B": {"q": (1.0, 2.0), "r": (0.0, 1.0)}}
    items = by_key(sheet)
    assert items["q"].facility == pytest.approx(75.0)
    assert items["q"].intended_weight == pytest.approx(200 / 3)
    assert items["r"].intended_weight == pytest.approx(100 / 3)


def test_questions_drawn_at_random_use_only_the_attempts_that_had_them() -> None:
    sheet = {"A": {"q1": (1.0, 1.0)}, "B": {"q2": (0.0, 1.0)}, "C": {"q1": (0.0, 1.0)}}
    items = by_key(sheet)
    assert items["q1"].count == 2
    assert items["q1"].facility == pytest.approx(50.0)
    assert items["q2"].count == 1


def test_one_attempt() -> None:
    quiz, items = analyse(sheet_of({"A": [1, 0]}))
    assert quiz.count == 1 and quiz.mean == 1 and quiz.median == 1
    assert quiz.sd is None and quiz.skewness is None and quiz.cic is None
    assert items[0].facility == 100 and items[0].sd is None
    assert items[0].discrimination is None and items[0].effective_weight is None


def test_everyone_scoring_the_same() -> None:
    quiz, items = analyse(sheet_of({"A": [1, 0], "B": [1, 0], "C": [1, 0], "D": [1, 0]}))
    assert quiz.sd == 0
    assert quiz.skewness is None and quiz.kurtosis is None and quiz.cic is None
    for item in items:
        assert item.sd == 0
        assert item.discrimination is None  # zero variance: undefined, not a division error
        assert item.efficiency is None
        assert item.effective_weight is None


def test_no_attempts() -> None:
    quiz, items = analyse({})
    assert quiz.count == 0 and quiz.mean is None and items == []


# -- thirds and choices -------------------------------------------------------------------
def test_thirds() -> None:
    groups = split_thirds({"a": 10, "b": 90, "c": 50, "d": 70, "e": 30, "f": 80, "g": 60})
    assert [k for k, g in groups.items() if g == "top"] == ["f", "b"]
    assert [k for k, g in groups.items() if g == "bottom"] == ["a", "e"]
    assert set(split_thirds({"a": 1, "b": 2}).values()) == {"middle"}


CHOICE = SingleChoice.model_validate({
    "id": "city", "type": "single_choice", "prompt": "Second city?",
    "options": [{"id": "gomel", "text": "Gomel", "correct": True},
                {"id": "minsk", "text": "Minsk"}, {"id": "brest", "text": "Brest"}],
})


def test_a_distractor_the_strongest_choose_is_flagged() -> None:
    answers = [("minsk", "top"), ("minsk", "top"), ("gomel", "top"),
               ("gomel", "bottom"), ("brest", "bottom"), ("minsk", "bottom"),
               (None, "middle")]
    (table,) = choice_tables(CHOICE, answers)
    rows = {r.option_id: r for r in table.rows}
    assert (rows["minsk"].count, rows["minsk"].top, rows["minsk"].bottom) == (3, 2, 1)
    assert rows["minsk"].suspicious
    assert not rows["brest"].suspicious  # chosen only by the weakest
    assert not rows["gomel"].suspicious  # the right answer is never a suspect distractor
    assert (table.answered, table.unanswered) == (6, 1)
    item = by_key(WORKED)["q2"]
    reasons = review_reasons(item, [table])
    assert len(reasons) == 1 and "'Minsk'" in reasons[0] and "strongest third (67%)" in reasons[0]


def test_review_reasons_for_facility_and_discrimination() -> None:
    items = by_key(WORKED)
    assert any("discrimination -30%" in r for r in review_reasons(items["q3"]))
    assert review_reasons(items["q2"]) == []
    easy = item_stats(sheet_of({str(i): [1] for i in range(20)}))[0]
    assert "facility 100%" in review_reasons(easy)[0]
    hard = item_stats(sheet_of({str(i): [1 if i == 0 else 0] for i in range(20)}))[0]
    assert "facility 5%" in review_reasons(hard)[0]
    # Exactly at the thresholds nothing is flagged.
    edge = item_stats(sheet_of({str(i): [1 if i < 19 else 0] for i in range(20)}))[0]
    assert edge.facility == pytest.approx(95.0) and review_reasons(edge) == []


def test_true_false_options() -> None:
    spec = TrueFalse.model_validate(
        {"id": "tf", "type": "true_false", "prompt": "Is it?", "answer": False})
    (table,) = choice_tables(spec, [(True, "top"), (False, "bottom"), (True, "top")])
    rows = {r.option_id: r for r in table.rows}
    assert rows["true"].count == 2 and not rows["true"].correct and rows["true"].suspicious


# -- typed responses -----------------------------------------------------------------------
SHORT = ShortText.model_validate({
    "id": "city2", "type": "short_text", "prompt": "Second city?",
    "answers": [{"accept": ["Gomel"]}, {"accept": ["Minsk"], "fraction": 0,
                                        "feedback": "That is the capital."}],
})


def test_typed_answers_are_grouped_by_how_scoring_reads_them() -> None:
    responses = [("Homel", 10), ("homel ", 3), ("HOMEL!", 1), ("Gomel", 20), ("Minsk", 2)]
    (table,) = typed_tables(SHORT, responses)
    rows = {r.reading: r for r in table.rows}
    assert [r.reading for r in table.rows] == ["gomel", "homel", "minsk"]
    assert rows["homel"].count == 14 and rows["homel"].fraction == 0
    assert rows["homel"].examples[0] == "Homel"
    assert rows["homel"].accept_text == "homel"
    assert rows["gomel"].accept_text is None  # already full marks
    assert rows["minsk"].feedback == "That is the capital."


def test_unreadable_responses_are_listed_with_the_reason() -> None:
    spec = Numeric.model_validate({"id": "n", "type": "numeric", "prompt": "How wide?",
                                   "answers": [{"value": 1520}], "units": {"mm": 1, "m": 1000}})
    (table,) = typed_tables(spec, [("1520 mm", 4), ("1.52 m", 2), ("wide", 1), (None, 5)])
    assert [(r.reading, r.count, r.fraction) for r in table.rows] == [
        ("1520 mm", 4, 1.0), ("1.52 m = 1520 mm", 2, 1.0)]
    assert [(u.response, u.count) for u in table.unreadable] == [("wide", 1)]
    assert table.unreadable[0].reason


def test_typed_table_limit_counts_the_rest() -> None:
    (table,) = typed_tables(SHORT, [(f"word{i}", 1) for i in range(5)], limit=2)
    assert len(table.rows) == 2 and table.other == 3


def test_cloze_blanks_get_their_own_tables() -> None:
    spec = Cloze.model_validate({
        "id": "c", "type": "cloze", "prompt": "Fill the gaps.",
        "text": "The {{city}} line is {{gauge}} mm wide.",
        "blanks": {
            "city": {"type": "choice", "options": [{"id": "g", "text": "Gomel", "correct": True},
                                                   {"id": "m", "text": "Minsk"}]},
            "gauge": {"type": "numeric", "answers": [{"value": 1520}]},
        },
    })
    (choices,) = choice_tables(spec, [({"city": "m", "gauge": "1520"}, "top")])
    assert choices.label == "city" and choices.rows[1].count == 1
    (typed,) = typed_tables(spec, [({"city": "g", "gauge": "1,520"}, 2)])
    assert typed.label == "gauge" and typed.rows[0].count == 2 and typed.rows[0].fraction == 1


def test_random_guess_scores() -> None:
    assert random_guess_score(CHOICE) == pytest.approx(1 / 3)
    assert random_guess_score(SHORT) is None
    assert random_guess_score(TrueFalse.model_validate(
        {"id": "tf", "type": "true_false", "prompt": "Is it?", "answer": True})) == 0.5


def test_sums_from_counts_pair_sorted_values_like_a_full_sort() -> None:
    import random

    from quizapp.analysis import sums_from_counts

    rng = random.Random(5)
    for _ in range(50):
        rows = [(rng.choice([0.0, 0.5, 1.0]), float(rng.randint(0, 6)))
                for _ in range(rng.randint(1, 40))]
        cells: dict[tuple[float, float], int] = {}
        for row in rows:
            cells[row] = cells.get(row, 0) + 1
        sums = sums_from_counts("q", 1.0, 7.0, [(x, t, n) for (x, t), n in cells.items()])
        marks = sorted(x for x, _t in rows)
        rests = sorted(t - x for x, t in rows)
        assert sums.count == len(rows)
        paired = sum(a * b for a, b in zip(marks, rests, strict=True))
        assert sums.sorted_xr == pytest.approx(paired)
        assert sums.xt == pytest.approx(sum(x * t for x, t in rows))
