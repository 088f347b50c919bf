"""dump.py: the stable machine form of the banks, and `quizapp dump`'s exit codes."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from test_banks_support import BASE, edited, sources_dir, without_leaks

from quizapp.banks import FORMAT, dump_banks, load_bank, load_bank_text, run_dump
from quizapp.qtypes import QUESTION_TYPES

_GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate_bank.py"
_spec = importlib.util.spec_from_file_location("generate_bank", _GENERATOR)
assert _spec is not None and _spec.loader is not None
generate_bank = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate_bank)


@pytest.fixture
def every_type(tmp_path: Path) -> Path:
    """A bank with one question of every type, from the benchmark generator."""
    (path,) = generate_bank.write_banks(tmp_path, questions=len(QUESTION_TYPES), per_file=100)
    return path


def test_generated_bank_covers_every_type_and_is_clean(every_type: Path) -> None:
    loaded = load_bank(every_type, sources_dir=sources_dir())
    assert without_leaks(loaded.messages) == [] and loaded.bank is not None
    assert {q.type for q in loaded.bank.questions} == set(QUESTION_TYPES)


def test_dump_shape(every_type: Path) -> None:
    document = dump_banks([load_bank(every_type)])
    assert document["format"] == FORMAT == "quizapp-banks/1"
    (bank,) = document["banks"]
    assert set(bank) == {"id", "title", "description", "language", "sources", "topics",
                         "quizzes", "questions"}
    assert bank["sources"][0]["date"] == "2023-03-17"
    practice, exam = bank["quizzes"]
    assert practice["feedback"] == "immediate" and exam["feedback"] == "deferred"
    assert exam["question_ids"] == [q["id"] for q in bank["questions"]]
    # Eight questions over six topics: q0 and q6 are rail, q1 and q7 supplies.
    assert practice["select"] == {"topics": ["rail", "supplies"], "difficulty": [], "ids": [],
                                  "count": 4}
    assert practice["question_ids"] == ["q00000", "q00001", "q00006", "q00007"]
    for question in bank["questions"]:
        assert {"id", "type", "prompt", "topics", "difficulty", "points", "explanation",
                "evidence"} <= set(question)


def test_each_question_is_its_models_own_dump(every_type: Path) -> None:
    loaded = load_bank(every_type)
    assert loaded.bank is not None
    document = dump_banks([loaded])
    expected = [q.model_dump(mode="json") for q in loaded.bank.questions]
    assert document["banks"][0]["questions"] == expected


def test_type_specific_shapes(every_type: Path) -> None:
    document = dump_banks([load_bank(every_type)])
    questions = {q["type"]: q for q in document["banks"][0]["questions"]}
    assert questions["single_choice"]["options"][0] == {
        "id": "a", "text": "1,520 mm", "correct": True, "feedback": "Right, the Russian gauge."}
    assert questions["true_false"]["answer"] is False
    assert questions["numeric"]["answers"][0]["value"] == 45000
    assert questions["numeric"]["units"] == {"soldiers": 1}
    assert questions["short_text"]["answers"][0]["accept"][0] == "Gomel"
    assert questions["matching"]["pairs"][0] == {"left": "Philipp Bikanau",
                                                 "right": "Belarus Change Tracker"}
    assert len(questions["ordering"]["items"]) == 3
    assert set(questions["cloze"]["blanks"]) == {"gauge", "city", "who"}
    assert questions["cloze"]["blanks"]["gauge"]["type"] == "numeric"


def test_default_quiz_is_dumped_resolved() -> None:
    text = edited({13: "#", 14: "#", 15: "#", 16: "#", 17: "#", 18: "#"})
    document = dump_banks([load_bank_text("demo.yaml", text.encode())])
    (quiz,) = document["banks"][0]["quizzes"]
    assert quiz["id"] == "demo" and quiz["title"] == "Demo bank"
    assert quiz["question_ids"] == ["gauge", "city"] and quiz["feedback"] == "immediate"


def test_banks_are_sorted_by_id_and_bad_ones_left_out() -> None:
    second = load_bank_text("b.yaml", edited({1: "id: alpha"}).encode())
    first = load_bank_text("a.yaml", BASE.encode())
    broken = load_bank_text("c.yaml", b"id: [")
    document = dump_banks([first, broken, second])
    assert [b["id"] for b in document["banks"]] == ["alpha", "demo"]


def test_run_dump_is_sorted_indented_json(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(BASE, encoding="utf-8")
    output, code = run_dump([tmp_path])
    assert code == 0
    document = json.loads(output)
    assert output == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)
    assert run_dump([tmp_path]) == (output, 0)  # stable


def test_run_dump_with_errors_prints_messages_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(edited({29: "    points: ten"}), encoding="utf-8")
    output, code = run_dump([tmp_path], sources_dir())
    assert code == 1
    assert output == (f"{tmp_path / 'demo.yaml'}:29:13: error: question 'gauge': `points` "
                      "must be a number greater than 0 and at most 1000, got 'ten'")


def test_run_dump_usage(tmp_path: Path) -> None:
    output, code = run_dump([tmp_path / "missing"])
    assert code == 2 and "no such file or folder" in output
