"""banks/checks.py cases the mutation run found unheld: ids made twice, the selection
fields read before validation, a quiz's count at its edge, and the bank's one quiz over
the attempt cap."""

from __future__ import annotations

from typing import Any

import pytest
from test_banks_support import BASE, edited, lint_text

from quizapp.banks.checks import Selectable, selectable_questions
from quizapp.config import DEFAULT_MAX_QUESTIONS_PER_ATTEMPT as CAP


def test_selection_fields_are_read_as_the_question_model_reads_them() -> None:
    assert selectable_questions([
        {"id": "a"},
        {"id": "b", "topics": ["rail"], "difficulty": "hard", "exam_only": True},
        {"id": "c", "difficulty": "easy", "exam_only": "yes"},
    ]) == [
        Selectable("a", (), "medium", False),  # the model's default difficulty
        Selectable("b", ("rail",), "hard", True),
        Selectable("c", (), "easy", False),  # only a real `true` makes a question exam-only
    ]


@pytest.mark.parametrize("item", [
    {"topics": []}, {"id": 3}, {"id": "a", "topics": "rail"}, {"id": "a", "topics": [1]},
    {"id": "a", "difficulty": "HARD"}, {"id": "a", "difficulty": "extreme"}, "a question",
])
def test_a_faulty_selection_field_makes_counting_a_guess(item: Any) -> None:
    assert selectable_questions([{"id": "fine"}, item]) is None


def test_no_list_of_questions_selects_nothing_countable() -> None:
    assert selectable_questions({"id": "a"}) is None
    assert selectable_questions([]) == []


def duplicates(text: str) -> list[tuple[int, str, str | None]]:
    return [(m.line, m.message, m.hint) for m in lint_text(text, grounded=False)
            if "duplicate" in m.message]


def test_a_source_id_used_twice_is_an_error_at_the_second() -> None:
    second = "  - id: econ\n    title: Another article\n"
    text = BASE.replace("topics:\n  - id: rail", second + "topics:\n  - id: rail", 1)
    assert duplicates(text) == [(10, "duplicate source id 'econ': it is already used on line 4",
                                 "give each source its own id")]


def test_a_topic_id_used_twice_is_an_error_at_the_second() -> None:
    # The first use is not the list's first entry, so its own line must be looked up.
    text = BASE.replace("    title: Railways\n", "    title: Railways\n  - id: road\n"
                        "    title: Roads\n  - id: road\n    title: Streets\n", 1)
    assert duplicates(text) == [(15, "duplicate topic id 'road': it is already used on line 13",
                                 "give each topic its own id")]


@pytest.mark.parametrize(("count", "refused"), [(1, False), (2, False), (3, True)])
def test_a_quiz_may_draw_every_question_it_selects_and_no_more(count: int,
                                                               refused: bool) -> None:
    text = edited({18: f"      topics: [rail]\n      count: {count}"})
    messages = [m.message for m in lint_text(text, grounded=False)]
    too_many = f"quiz 'practice' draws {count} questions, but only 2 match its selection"
    assert (too_many in messages) is refused, messages


def big_bank(questions: int, exam_only: int = 0, broken: bool = False) -> str:
    lines = ["id: big", "title: Big bank", "questions:"]
    for n in range(questions):
        lines += [f"  - id: q{n}", "    type: true_false", f"    prompt: Statement {n}.",
                  "    answer: true"]
        if n < exam_only:
            lines.append("    exam_only: true")
    if broken:
        lines.append("    points: ten")
    return "\n".join(lines) + "\n"


def cap_warnings(text: str) -> list[tuple[int, str]]:
    return [(m.line, m.message) for m in lint_text(text, grounded=False, name="big.yaml")
            if "would draw" in m.message]


def test_the_banks_one_quiz_over_the_cap_is_a_warning() -> None:
    assert cap_warnings(big_bank(CAP)) == []
    assert cap_warnings(big_bank(CAP + 2)) == [
        (4, f"quiz 'big' would draw {CAP + 2} questions; an attempt shows at most {CAP} "
            "by default, drawn at random")]


def test_exam_only_questions_do_not_count_towards_the_banks_one_quiz() -> None:
    # The bank's one quiz is a practice quiz: exam-only questions are never drawn by it.
    assert cap_warnings(big_bank(CAP + 2, exam_only=2)) == []
    assert cap_warnings(big_bank(CAP + 2, exam_only=1))[0][1].startswith(
        f"quiz 'big' would draw {CAP + 1} questions")


def test_a_bank_with_errors_is_not_counted_against_the_cap() -> None:
    # While a question is faulty the count would be a guess; the error comes first.
    assert cap_warnings(big_bank(CAP + 2, broken=True)) == []


@pytest.mark.parametrize(("line", "text", "where"), [
    (2, 'title: Demo bank\ndescription: "***"', 3),
    (15, '    title: Practice\n    description: "---"', 16),
])
def test_a_bank_or_quiz_description_of_markup_alone_is_an_error(line: int, text: str,
                                                                where: int) -> None:
    messages = [(m.line, m.message, m.hint) for m in lint_text(edited({line: text}),
                                                                grounded=False)
                if "renders to nothing" in m.message]
    assert messages == [(where, "`description` renders to nothing visible",
                         "write some text, or remove the field")]


@pytest.mark.parametrize(("words", "refused"), [(14, False), (15, False), (16, True)])
def test_a_quote_may_have_fifteen_words(words: int, refused: bool) -> None:
    quote = " ".join(["word"] * words)
    messages = [m.message for m in lint_text(edited({27: f'      quote: "{quote}"'}),
                                             grounded=False)]
    assert any("at most 15 may be quoted" in m for m in messages) is refused, messages
