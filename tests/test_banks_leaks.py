"""Leaks between questions of one quiz, facts asked too often, and `lint --summary`."""

from __future__ import annotations

import json
from pathlib import Path

from test_banks_support import BASE, lint_text, sources_dir

from quizapp.banks import load_bank_text, run_lint
from quizapp.banks.leaks import find_leaks, repeated_facts
from quizapp.banks.summary import summarise

QUIZZES = """\
quizzes:
  - id: practice
    title: Practice
    select:
      topics: [rail]
  - id: other
    title: Other
    select:
      topics: [other]
"""


OTHER = """\
  - id: unrelated
    type: true_false
    prompt: The article is about trains.
    explanation: No.
    topics: [other]
    answer: false
"""


def bank(questions: str, quizzes: str = QUIZZES) -> str:
    return f"""\
id: demo
title: Demo bank
topics:
  - id: rail
    title: Railways
  - id: other
    title: Other
{quizzes}questions:
{questions}{OTHER}"""


CITY = """\
  - id: city
    type: short_text
    prompt: Through which city were bodies moved?
    explanation: Gomel.
    topics: [rail]
    answers:
      - accept: [Gomel, Homel]
"""
TELLS = """\
  - id: buses
    type: true_false
    prompt: Buses moved through Gomel at night.
    explanation: Yes.
    topics: [{topic}]
    answer: true
"""


def leak_warnings(text: str) -> list[str]:
    return [m.message for m in lint_text(text, grounded=False) if "is printed in" in m.message]


def test_an_answer_printed_in_another_prompt_names_both_places() -> None:
    text = bank(CITY + TELLS.format(topic="rail"))
    messages = [m for m in lint_text(text, grounded=False) if "is printed in" in m.message]
    assert len(messages) == 1
    message = messages[0]
    assert message.severity == "warning"
    # Reported at the question whose answer leaks, naming the line where it is printed.
    assert message.line == text.splitlines().index("  - id: city") + 1
    printed_at = text.splitlines().index("    prompt: Buses moved through Gomel at night.") + 1
    assert message.message == (
        f"question 'city': its answer 'Gomel' is printed in 1 other question of quiz "
        f"'practice': 'buses' (prompt, line {printed_at})")
    assert load_bank_text("demo.yaml", text.encode()).bank is not None  # a warning only


def test_questions_in_different_quizzes_do_not_leak() -> None:
    assert leak_warnings(bank(CITY + TELLS.format(topic="other"))) == []


def test_without_quizzes_the_whole_bank_is_one_quiz() -> None:
    text = bank(CITY + TELLS.format(topic="rail"), quizzes="")
    assert leak_warnings(text) and "quiz 'demo'" in leak_warnings(text)[0]


def test_a_wrong_option_gives_nothing_away_but_a_right_one_does() -> None:
    choice = """\
  - id: pick
    type: single_choice
    prompt: Which city is the capital?
    explanation: Minsk.
    topics: [rail]
    options:
      - text: {first}
        correct: {first_right}
      - text: {second}
        correct: {second_right}
"""
    as_distractor = choice.format(first="Minsk", first_right="true", second="Gomel",
                                  second_right="false")
    assert leak_warnings(bank(CITY + as_distractor)) == []
    as_answer = choice.format(first="Gomel", first_right="true", second="Minsk",
                              second_right="false")
    warnings = leak_warnings(bank(CITY + as_answer))
    assert len(warnings) == 1 and "'pick' (options text" in warnings[0]


def test_numbers_leak_but_small_counts_and_short_words_do_not() -> None:
    numeric = """\
  - id: tonnes
    type: numeric
    prompt: How many tonnes?
    explanation: 65,000.
    topics: [rail]
    answers:
      - value: 65000
  - id: says
    type: true_false
    prompt: Belarus sent 65,000 tonnes, in two batches, to the EU.
    explanation: Yes.
    topics: [rail]
    answer: true
  - id: count
    type: numeric
    prompt: In how many batches?
    explanation: Two.
    topics: [rail]
    answers:
      - value: 2
  - id: union
    type: short_text
    prompt: Which union?
    explanation: The EU.
    topics: [rail]
    answers:
      - accept: [EU]
"""
    warnings = leak_warnings(bank(numeric))
    assert len(warnings) == 1 and "'65000'" in warnings[0] and "'says'" in warnings[0]


def test_a_fact_asked_more_than_twice_is_summarised_per_quiz() -> None:
    again = "".join(CITY.replace("id: city", f"id: city{n}") for n in range(3))
    messages = [m for m in lint_text(bank(again), grounded=False) if "asks for" in m.message]
    assert [m.message for m in messages] == [
        "quiz 'practice' asks for 'Gomel' in 3 questions: city0, city1, city2"]
    twice = "".join(CITY.replace("id: city", f"id: city{n}") for n in range(2))
    assert not [m for m in lint_text(bank(twice), grounded=False) if "asks for" in m.message]


def test_leak_functions_are_usable_on_their_own() -> None:
    loaded = load_bank_text("demo.yaml", bank(CITY + TELLS.format(topic="rail")).encode())
    assert loaded.bank is not None
    questions = list(enumerate(loaded.bank.questions))
    [leak] = find_leaks(questions)
    assert (leak.source_id, leak.shown_id, leak.answer, leak.loc) == (
        "city", "buses", "Gomel", ("prompt",))
    assert repeated_facts(questions) == []


# -- lint --summary ---------------------------------------------------------------------------
SKILLS = BASE.replace("    points: 2\n", "    points: 2\n    skill: recall\n")


def test_summary_counts_per_topic_type_difficulty_and_skill() -> None:
    loaded = load_bank_text("demo.yaml", SKILLS.encode())
    assert loaded.bank is not None
    whole, practice = summarise(loaded.bank)
    assert (whole.kind, whole.id, whole.questions) == ("bank", "demo", 2)
    assert whole.by == {"topic": {"rail": 2}, "type": {"numeric": 1, "short_text": 1},
                        "difficulty": {"medium": 2}, "skill": {"(none)": 1, "recall": 1}}
    assert (practice.kind, practice.id, practice.questions) == ("quiz", "practice", 2)


def test_lint_summary_text_and_json(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(SKILLS, encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(SKILLS.replace("points: 2", "points: ten"), encoding="utf-8")
    output, code = run_lint([path, broken], sources_dir=sources_dir(), summary=True)
    assert code == 1
    assert f"{path}:\n  bank demo (Demo bank): 2 questions\n" in output
    assert "    skill: (none) 1, recall 1" in output
    assert "  quiz practice (Practice): 2 questions" in output
    assert f"{broken}: not summarised, because the file has errors" in output
    output, code = run_lint([path], "json", sources_dir(), summary=True)
    data = json.loads(output)
    assert data["messages"] == [] and code == 0
    assert data["summary"][0]["counts"][0]["by"]["type"] == {"numeric": 1, "short_text": 1}
    # Without --summary the JSON stays a plain list of messages.
    assert json.loads(run_lint([path], "json", sources_dir())[0]) == []
