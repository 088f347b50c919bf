"""GIFT import and export, read as Moodle's importer reads the same text."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.banks.gift import read_gift
from quizapp.banks.gift_export import export_gift
from quizapp.banks.interchange import ImportFailure, import_bank
from quizapp.banks.loader import load_bank, load_bank_text

CORPUS = Path(__file__).parent / "interchange"
BUNDLED = Path(__file__).resolve().parents[1] / "questions" / "belarus-role.yaml"


def read(text: str) -> list[dict]:
    return read_gift(text.encode()).questions


def only(text: str) -> dict:
    (question,) = read(text)
    return question


def problems(text: str | bytes) -> list[tuple[int, str]]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(ImportFailure) as caught:
        read_gift(data)
    return [(p.line, p.message) for p in caught.value.problems]


# -- question types --------------------------------------------------------------


def test_multiple_choice_with_one_equals_is_single_choice_with_feedback():
    q = only("::Capital::What is the capital of France?{=Paris#Yes. ~Lyon#No. ~Nice}")
    assert q["type"] == "single_choice"
    assert q["id"] == "capital"
    assert q["options"] == [
        {"text": "Paris", "correct": True, "feedback": "Yes."},
        {"text": "Lyon", "feedback": "No."},
        {"text": "Nice"},
    ]


def test_general_feedback_becomes_the_explanation():
    q = only("Q?{=a ~b ####Because a.}")
    assert q["explanation"] == "Because a."


def test_weights_without_equals_make_multiple_response():
    q = only("Primes?{~%50%Two ~%50%Three ~%-100%Four}")
    assert q["type"] == "multiple_response"
    assert [o.get("correct", False) for o in q["options"]] == [True, True, False]


def test_partial_credit_in_single_choice_is_noted_not_hidden():
    imported = read_gift(b"Who?{~%50%Grant =no one ~Jefferson}")
    assert imported.questions[0]["type"] == "single_choice"
    assert "50%" in imported.notes[0].message


@pytest.mark.parametrize("word, value", [("T", True), ("TRUE", True), ("F", False),
                                         ("FALSE", False)])
def test_true_false_words(word, value):
    assert only(f"Statement.{{{word}}}") == {"id": "statement", "type": "true_false",
                                             "prompt": "Statement.", "answer": value}


def test_true_false_feedback_is_wrong_then_right_as_in_moodle():
    q = only("The Moon is cheese.{F#No, rock.#Right, rock.}")
    assert q["feedback_true"] == "No, rock."
    assert q["feedback_false"] == "Right, rock."
    q = only("The Sun is a star.{T#Wrong.#Right.}")
    assert q["feedback_true"] == "Right."
    assert q["feedback_false"] == "Wrong."


def test_short_answer_with_weights_and_feedback():
    q = only("Colour?{=red =%50%pink#A tint. =blue}")
    assert q["type"] == "short_text"
    assert q["answers"] == [{"accept": ["red"]},
                            {"accept": ["pink"], "fraction": 0.5, "feedback": "A tint."},
                            {"accept": ["blue"]}]


def test_short_answer_wildcard_becomes_a_regex_that_scores_like_moodle():
    imported = read_gift(b"City?{=new *}")
    text, _ = import_bank(b"City?{=new *}", "gift", bank_id="w", title="W", source_name="w")
    bank = load_bank_text("w.yaml", text.encode()).bank
    assert bank is not None
    question = bank.questions[0]
    assert question.score(question.parse_text(["New York"])).fraction == 1
    assert question.score(question.parse_text(["Old York"])).fraction == 0
    assert "regular expression" in imported.notes[0].message


def test_matching_pairs_and_moodle_extra_answers():
    q = only("Match.{=Canada -> Ottawa =Italy -> Rome = -> Madrid}")
    assert q["type"] == "matching"
    assert q["pairs"] == [{"left": "Canada", "right": "Ottawa"},
                          {"left": "Italy", "right": "Rome"}]
    assert q["distractors"] == ["Madrid"]


def test_numerical_forms():
    assert only("Born?{#1822:5}")["answers"] == [{"value": 1822.0, "tolerance": 5.0}]
    assert only("Between?{#1..5}")["answers"] == [{"min": 1.0, "max": 5.0}]
    assert only("Exact?{#-3.5}")["answers"] == [{"value": -3.5}]
    weighted = only("Born?{#=1822:0#Exact. =%50%1822:2#Close.}")["answers"]
    assert weighted == [{"value": 1822.0, "feedback": "Exact."},
                        {"value": 1822.0, "tolerance": 2.0, "fraction": 0.5,
                         "feedback": "Close."}]


def test_missing_word_becomes_a_one_blank_passage():
    q = only("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert q["type"] == "cloze"
    assert q["text"] == "Grant is {{gap}} in Grant's tomb."
    assert [o.get("correct", False) for o in q["blanks"]["gap"]["options"]] == [False, True,
                                                                                False]


def test_titles_categories_and_comments():
    imported = read_gift(
        b"// a comment\n$CATEGORY: $course$/top/Geography/Capitals\n\n"
        b"// another\n::My title::Q?{T}\n"
    )
    (q,) = imported.questions
    assert q["id"] == "my-title"
    assert q["topics"] == ["geography-capitals"]
    assert imported.topics == [{"id": "geography-capitals", "title": "Capitals"}]


def test_escapes_and_newline_escape():
    q = only("Which\\: \\~ \\= \\# \\{ \\}?\\nNext line{=a\\=b ~c}")
    assert q["prompt"] == "Which: ~ = # { }?\nNext line"
    assert q["options"][0]["text"] == "a=b"


@pytest.mark.parametrize("prefix, prompt", [
    ("[markdown]", "A *b*?"),
    ("[plain]", "A \\*b\\*?"),
    ("[moodle]", "A \\*b\\*?"),
    ("[html]", "A *b*?"),
])
def test_text_formats(prefix, prompt):
    source = "A <em>b</em>?" if prefix == "[html]" else "A *b*?"
    assert only(f"{prefix}{source}{{T}}")["prompt"] == prompt


def test_crlf_and_no_final_newline():
    questions = read_gift(b"A?{T}\r\n\r\nB?{=x ~y}")
    assert [q["type"] for q in questions.questions] == ["true_false", "single_choice"]


def test_essay_and_description_are_skipped_with_their_lines():
    imported = read_gift(b"Essay here.{}\n\nJust a description.\n\nA?{T}\n")
    assert [(p.line, p.message.split(" ")[1]) for p in imported.skipped] == [
        (1, "essay"), (3, "description")]
    assert len(imported.questions) == 1


def test_the_whole_corpus_imports_and_lints():
    data = (CORPUS / "every-construct.gift").read_bytes()
    text, imported = import_bank(data, "gift", bank_id="corpus", title="Corpus",
                                 source_name="every-construct.gift")
    loaded = load_bank_text("corpus.yaml", text.encode())
    assert loaded.errors == []
    assert len(imported.questions) == 19
    assert {q.type for q in loaded.bank.questions} == {
        "single_choice", "multiple_response", "true_false", "short_text", "matching",
        "numeric", "cloze"}


# -- malformed input: every problem with its line, nothing imported ----------------


@pytest.mark.parametrize("text, line, words", [
    ("Q?{=a ~b", 1, "never closed"),
    ("Q?}=a ~b", 1, "'}' with no '{'"),
    ("Q?{=a ~b}}", 1, "second"),
    ("Q?{~only}", 1, "at least two options"),
    ("Q?{#}", 1, "numerical question needs an answer"),
    ("Q?{#5:abc}", 1, "not a number"),
    ("Q?{#abc}", 1, "not a number"),
    ("Q?{=a->b}", 1, "at least two pairs"),
    ("Q?{=a->b =c}", 1, "needs '->'"),
    ("Q?{~%30%a ~%30%b ~c}", 1, "add up to 60%"),
    ("Q?{~%150%a ~b}", 1, "above 100%"),
    ("Q?{=a {~b} ~c}", 1, "braces inside"),
    ("Q?{=a =b ~c}", 1, "exactly one answer"),
    ("\n\n// only a comment\n", 1, "holds no question"),
    ("", 1, "holds no question"),
])
def test_malformed_questions_are_refused_with_their_line(text, line, words):
    found = problems(text)
    assert found[0][0] == line
    assert words in found[0][1]


def test_every_problem_in_the_file_is_reported_with_its_own_line():
    found = problems("A?{T}\n\nB?{~only}\n\nC?{T}\n\n\nD?{#x}\n")
    assert [line for line, _ in found] == [3, 8]


def test_problem_lines_count_from_the_block_start():
    found = problems("// header\n::T::Q?\n{=a\n~b\n")
    assert found == [(3, "the answer block '{' is never closed with '}'")]


def test_bytes_that_are_not_utf8_and_files_too_large():
    assert "not UTF-8" in problems(b"A?{T}\n\nB\xff?{T}")[0][1]
    assert problems(b"A?{T}\n\nB\xff?{T}")[0][0] == 3
    with pytest.raises(ImportFailure, match="largest"):
        read_gift(b"A?{T}\n" * 10, max_bytes=20)


def test_a_question_that_would_not_load_is_reported_at_its_gift_line():
    with pytest.raises(ImportFailure) as caught:
        import_bank(b"A?{T}\n\nPick.{=same ~same}\n", "gift", bank_id="x", title="X",
                    source_name="x.gift")
    assert caught.value.problems[0].line == 3


# -- export, and the round trip ----------------------------------------------------


def test_native_to_gift_to_native_keeps_every_expressible_question():
    bank = load_bank(BUNDLED).bank
    assert bank is not None
    exported = export_gift(bank)
    text, _ = import_bank(exported.text.encode(), "gift", bank_id="", title="",
                          source_name="round.gift")
    again = load_bank_text("round.yaml", text.encode())
    assert again.errors == []
    before = {q.id: q.model_dump(mode="json") for q in bank.questions}
    after = {q.id: q.model_dump(mode="json") for q in again.bank.questions}
    left_out = {qid for qid, _ in exported.left_out}
    assert set(after) == set(before) - left_out
    assert all(after[qid] == before[qid] for qid in after)
    assert again.bank.title == bank.title
    assert again.bank.sources == bank.sources


def test_export_lists_what_gift_cannot_express():
    bank = load_bank(BUNDLED).bank
    exported = export_gift(bank)
    kinds = {q.id: q.type for q in bank.questions}
    left_out = dict(exported.left_out)
    assert all("ordering" in left_out[qid] for qid, t in kinds.items() if t == "ordering")
    assert all(kinds[qid] in ("cloze", "ordering", "short_text", "numeric")
               for qid in left_out)
    assert all(qid not in exported.text for qid in left_out if f"::{qid}::" in exported.text)


def test_exported_text_reads_as_moodle_would():
    """Escapes and weights as Moodle's exporter writes them."""
    text, _ = import_bank(b"Primes?{~%50%Two ~%50%Three ~%-100%Four}\n\nA\\: b?{=x\\=y ~z}",
                          "gift", bank_id="p", title="P", source_name="p.gift")
    bank = load_bank_text("p.yaml", text.encode()).bank
    gift = export_gift(bank).text
    assert "~%50%Two" in gift and "~%-100%Four" in gift
    assert "::a-b::[markdown]A\\: b?{" in gift
    assert "=x\\=y" in gift
