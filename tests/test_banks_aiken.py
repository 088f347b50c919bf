"""Aiken files: single-choice questions with one right answer."""

from __future__ import annotations

import pytest

from quizapp.banks.aiken import read_aiken
from quizapp.banks.interchange import ImportFailure, guess_format, import_bank
from quizapp.banks.loader import load_bank_text

GOOD = b"""What gauge do Belarus's railways use?
A. 1,520 mm
B) 1,435 mm
C. 1,000 mm
ANSWER: A

Which city is the capital
of Belarus?
A) Minsk
B) Gomel
ANSWER: A
"""


def test_questions_options_and_answers():
    imported = read_aiken(GOOD)
    first, second = imported.questions
    assert first["type"] == "single_choice"
    assert [o["text"] for o in first["options"]] == ["1,520 mm", "1,435 mm", "1,000 mm"]
    assert [o.get("correct", False) for o in first["options"]] == [True, False, False]
    assert second["prompt"] == "Which city is the capital\nof Belarus?"
    assert imported.lines == {first["id"]: 1, second["id"]: 7}


def test_the_result_is_a_bank_that_loads():
    text, _ = import_bank(GOOD, "aiken", bank_id="aiken", title="Aiken",
                          source_name="a.txt")
    assert load_bank_text("aiken.yaml", text.encode()).errors == []


@pytest.mark.parametrize("text, line, words", [
    (b"Q?\nA. one\nANSWER: A\n", 1, "at least two options"),
    (b"Q?\nA. one\nB. two\nANSWER: C\n", 1, "not one of the options"),
    (b"Q?\nA. one\nB. two\n", 1, "no ANSWER"),
    (b"ANSWER: A\n", 1, "without a question"),
    (b"Q?\nA. one\nB. two\nstray text\nANSWER: A\n", 4, "neither an option"),
    (b"", 1, "holds no question"),
])
def test_malformed_files_are_refused_with_lines(text, line, words):
    with pytest.raises(ImportFailure) as caught:
        read_aiken(text)
    assert caught.value.problems[0].line == line
    assert words in caught.value.problems[0].message


def test_format_is_guessed_from_the_extension_and_content():
    assert guess_format("q.gift", b"") == "gift"
    assert guess_format("q.txt", GOOD) == "aiken"
    assert guess_format("moodle-export.txt", b"Q?{T}") == "gift"
    assert guess_format("q.xml", b"") is None
