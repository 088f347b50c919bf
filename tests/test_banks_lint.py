"""lint.py: every message at its exact line and column, the output formats, exit codes,
grounding against the real article, and fuzzing that never gets an exception out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_banks_support import BASE, article_path, edited, lint_text, sources_dir

from quizapp.banks import lint_paths, load_bank_text, run_lint
from quizapp.banks.checks import renders_blank
from quizapp.banks.grounding import (
    fold,
    number_in_quote,
    numbers_in,
    source_text,
    split_paragraphs,
)
from quizapp.banks.lint import EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE, format_text
from quizapp.qtypes import QUESTION_TYPES

E, W = "error", "warning"

# (name, line edits to the base bank, [(line, col, severity, words in the message,
# words in the hint or None)]). The expected list is complete: no other message may
# appear.
CASES: list[tuple[str, dict[int, str], list[tuple[int, int, str, str, str | None]]]] = [
    ("points not a number", {29: "    points: ten"},
     [(29, 13, E, "`points` must be a number greater than 0 and at most 1000, got 'ten'",
       None)]),
    ("points zero", {29: "    points: 0"},
     [(29, 13, E, "`points` must be a number greater than 0", None)]),
    ("misspelt key", {23: "    explaination: The article says 1,520mm."},
     [(23, 5, E, "unknown field `explaination`", "did you mean 'explanation'?")]),
    ("misspelt bank key", {2: "titel: Demo bank"},
     [(1, 1, E, "`title` is missing", "add `title:`"),
      (2, 1, E, "unknown field `titel`", "did you mean 'title'?")]),
    ("field of another type", {42: "    options:", 43: "      - text: Gomel"},
     [(33, 5, E, "`answers` is missing", None),
      (42, 5, E, "unknown field `options`", "belongs to single_choice, multiple_response")]),
    ("unknown type", {21: "    type: numerc"},
     [(21, 11, E, "unknown question type 'numerc'; the types are: single_choice, "
       "true_false, multiple_response, numeric, short_text, matching, ordering, cloze",
       "did you mean 'numeric'?")]),
    ("missing type", {34: "    # no type"},
     [(33, 5, E, "the question has no `type`; it must be one of: single_choice", None)]),
    ("missing prompt", {35: "    # no prompt"}, [(33, 5, E, "`prompt` is missing", None)]),
    ("empty prompt", {35: '    prompt: ""'}, [(35, 13, E, "`prompt` must not be empty", None)]),
    ("prompt not text", {35: "    prompt: true"},
     [(35, 13, E, "`prompt` must be text, got true", 'put it in quotes to make it text')]),
    ("number with separators", {31: '      - value: "1,520"'},
     [(31, 16, E, "`value` must be a number, got '1,520'",
       "write numbers without thousands separators: 1520")]),
    ("topics not a list", {41: "    topics: rail"},
     [(41, 13, E, "`topics` must be a list, got 'rail'", "write a list: [rail]")]),
    ("bad question id", {33: "  - id: Gomel City"},
     [(33, 9, E, "`id` must be a short id of lowercase letters", "did you mean 'gomel-city'?")]),
    ("bad date", {7: "    date: 17 March 2023"},
     [(7, 11, E, "`date` must be a date written as YYYY-MM-DD, got '17 March 2023'", None)]),
    ("quiz mode", {16: "    mode: exm"},
     [(16, 11, E, "`mode` must be one of practice, exam, got 'exm'", "did you mean 'exam'?")]),
    ("duplicate question id", {33: "  - id: gauge"},
     [(33, 9, E, "duplicate question id 'gauge': it is already used on line 20", None)]),
    ("duplicate id of an invalid question", {29: "    points: ten", 33: "  - id: gauge"},
     [(29, 13, E, "`points` must be a number", None),
      (33, 9, E, "duplicate question id 'gauge': it is already used on line 20", None)]),
    ("duplicate quiz id",
     {17: "  - id: practice", 18: "    title: Again"},
     [(17, 9, E, "duplicate quiz id 'practice': it is already used on line 14", None)]),
    ("undeclared topic", {41: "    topics: [rails]"},
     [(33, 9, W, "question 'city' is in no quiz", None),
      (41, 14, E, "topic 'rails' is not declared in this bank's `topics`",
       "did you mean 'rail'?")]),
    ("undeclared source", {38: "      source: economist"},
     [(38, 15, E, "source 'economist' is not declared in this bank's `sources`",
       "did you mean 'econ'?")]),
    ("type's own check", {43: '      - regex: "(["'},
     [(43, 7, E, "needs an `accept` list", None),
      (43, 16, E, "invalid regular expression '(['", None)]),
    ("quiz selects nothing", {18: "      difficulty: [hard]"},
     [(18, 7, E, "quiz 'practice' selects no questions", None),
      (20, 9, W, "question 'gauge' is in no quiz", None),
      (33, 9, W, "question 'city' is in no quiz", None)]),
    ("quiz draws too many", {18: "      count: 5"},
     [(18, 14, E, "quiz 'practice' draws 5 questions, but only 2 match its selection",
       "lower `count` to 2 or less")]),
    ("quiz selects an unknown id", {18: "      ids: [gauge, cty]"},
     [(18, 20, E, "there is no question 'cty' in this bank", "did you mean 'city'?"),
      (33, 9, W, "question 'city' is in no quiz", None)]),
    ("quiz selects an unknown topic", {18: "      topics: [rial]"},
     [(18, 16, E, "topic 'rial' is not declared", "did you mean 'rail'?"),
      (18, 7, E, "quiz 'practice' selects no questions", None),
      (20, 9, W, "question 'gauge' is in no quiz", None),
      (33, 9, W, "question 'city' is in no quiz", None)]),
    ("markdown renders to nothing", {36: '    explanation: "***"'},
     [(36, 18, E, "`explanation` renders to nothing visible", None)]),
    ("prompt only an image", {35: '    prompt: "![a map](map.png)"'},
     [(35, 13, E, "`prompt` renders to nothing visible", None)]),
    ("quote too long",
     {40: '      quote: "After the botched attack on Kyiv, buses believed to have been '
          'transporting bodies through Gomel, Belarus’s second"'},
     [(40, 14, E, "the quote has 17 words; at most 15 may be quoted", None)]),
    ("no explanation", {36: "    # explanation removed"},
     [(33, 5, W, "question 'city' has no explanation", None)]),
    ("no evidence", {37: "    #", 38: "    #", 39: "    #", 40: "    #"},
     [(33, 5, W, "question 'city' has no evidence", None)]),
    ("quote in another paragraph", {39: "      paragraph: 3"},
     [(39, 18, E, "the quote is not in paragraph 3 of 'econ'; it is in paragraph 4",
       "set `paragraph: 4`")]),
    ("quote nowhere", {40: '      quote: "bodies through Minsk"'},
     [(40, 14, E, "the quote does not occur in 'econ' (paragraph 4 or any other)", None)]),
    ("paragraph beyond the article", {39: "      paragraph: 12"},
     [(39, 18, E, "source 'econ' has 8 paragraphs, not 12", None)]),
    ("answer not in quote", {31: "      - value: 1435"},
     [(27, 14, E, "question 'gauge': the answer 1435 is not among the numbers of its "
       "evidence quote", "the quote states 1520")]),
    ("answer not in a quote without numbers",
     {27: "      quote: Its airfields and railways", 31: "      - value: 1435"},
     [(27, 14, W, "question 'gauge': the answer 1435 does not appear in the evidence quote",
       "quote the phrase that states the number")]),
    ("source file missing", {9: "    file: missing.md"},
     [(9, 11, W, "source file 'missing.md' is not in", None)]),
    ("yaml syntax", {22: "    prompt: How wide: is it"},
     [(22, 21, E, "a ':' here would start a new field", "put the text in quotes")]),
    ("tab", {22: "\tprompt: x"}, [(22, 1, E, "a tab character is used here", None)]),
    ("duplicate key", {29: "    prompt: again"},
     [(29, 5, E, "duplicate key 'prompt': it is already given on line 22", None)]),
    ("anchor", {32: "    units: &u {mm: 1}"}, [(32, 12, E, "YAML anchors (&u)", None)]),
    ("alias", {32: "    units: *u"}, [(32, 12, E, "YAML aliases (*u)", None)]),
    ("tag", {29: "    points: !!python/object:os.system 2"},
     [(29, 13, E, "YAML tags such as '!!python/object:os.system'", None)]),
]


@pytest.mark.parametrize(("edits", "expected"), [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_lint_message_at_exact_position(edits: dict[int, str],
                                        expected: list[tuple[int, int, str, str, str | None]],
                                        ) -> None:
    messages = lint_text(edited(edits))
    got = sorted((m.line, m.col, m.severity) for m in messages)
    assert got == sorted((line, col, sev) for line, col, sev, _, _ in expected), messages
    for line, col, severity, words, hint in expected:
        match = [m for m in messages if (m.line, m.col, m.severity) == (line, col, severity)
                 and words in m.message]
        assert match, f"no {severity} at {line}:{col} saying {words!r}: {messages}"
        if hint is not None:
            assert any(m.hint and hint in m.hint for m in match), match


def test_the_base_bank_is_clean() -> None:
    loaded = load_bank_text("demo.yaml", BASE.encode(), sources_dir=sources_dir())
    assert loaded.messages == () and loaded.bank is not None


def test_the_project_banks_are_clean() -> None:
    questions = Path(__file__).resolve().parents[1] / "questions"
    messages = lint_paths([questions], sources_dir())
    assert messages == []


def test_no_error_hides_another_in_the_same_question() -> None:
    # `points` does not validate; the question's wrong paragraph, its answer missing from
    # its quote, its undeclared topic and its own type check are all still reported.
    text = edited({26: "      paragraph: 2", 28: "    topics: [rails]", 29: "    points: ten",
                   31: "      - value: 1435", 32: "    unit_required: true"})
    messages = lint_text(text)
    assert [(m.line, m.severity) for m in messages] == [
        (26, E), (27, E), (28, E), (29, E), (32, E)], messages
    assert all(m.message.startswith("question 'gauge': ") for m in messages)
    assert [m.message.split(": ", 1)[1][:24] for m in messages] == [
        "the quote is not in para", "the answer 1435 is not a", "topic 'rails' is not dec",
        "`points` must be a numbe", "unit_required but no uni"]


def test_a_faulty_question_does_not_hide_a_quiz_count_error() -> None:
    text = edited({29: "    points: ten", 18: "      topics: [rail]\n      count: 5"})
    messages = lint_text(text)
    assert ("quiz 'practice' draws 5 questions, but only 2 match its selection"
            in [m.message for m in messages])


def test_a_bank_with_errors_still_reports_its_other_problems() -> None:
    # One question does not validate; the other's undeclared topic is still found.
    text = edited({29: "    points: ten", 41: "    topics: [rails]"})
    messages = lint_text(text)
    assert {(m.line, m.col) for m in messages if m.severity == E} == {(29, 13), (41, 14)}


def test_errors_leave_no_bank_but_warnings_do() -> None:
    assert load_bank_text("demo.yaml", edited({29: "    points: ten"}).encode()).bank is None
    warned = load_bank_text("demo.yaml", edited({36: "    # gone"}).encode(),
                            sources_dir=sources_dir())
    assert warned.bank is not None and [m.severity for m in warned.messages] == [W]


# -- formats and exit codes --------------------------------------------------------------
def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_text_format_is_path_line_col_and_sorted(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", edited({29: "    points: ten", 23: "    explaination: x"}))
    output, code = run_lint([tmp_path], "text", sources_dir())
    path = tmp_path / "demo.yaml"
    assert code == EXIT_ERRORS
    assert output.splitlines() == [
        f"{path}:23:5: error: question 'gauge': unknown field `explaination` (did you mean "
        "'explanation'?)",
        "        explaination: x",
        "        ^",
        f"{path}:29:13: error: question 'gauge': `points` must be a number greater than 0 and "
        "at most 1000, got 'ten'",
        "        points: ten",
        "                ^",
        "1 file checked: 2 errors, 0 warnings",
    ]


def test_excerpt_puts_the_caret_under_the_column() -> None:
    from quizapp.banks.messages import excerpt

    assert excerpt(["a: 1", "\tb: two"], 2, 5) == ("\tb: two", "\t   ^")
    assert excerpt(["a: 1"], 3, 1) is None and excerpt(["", "x"], 1, 1) is None
    long = "x" * 300 + "HERE" + "y" * 300
    text, caret = excerpt([long], 1, 301)
    assert len(text) <= 101 and text[caret.index("^"):].startswith("HERE")


def test_json_format_is_a_list_of_objects(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", edited({36: "    # no explanation"}))
    output, code = run_lint([tmp_path / "demo.yaml"], "json", sources_dir())
    assert code == EXIT_CLEAN  # warnings alone
    assert json.loads(output) == [{
        "path": str(tmp_path / "demo.yaml"), "line": 33, "col": 5, "severity": "warning",
        "message": "question 'city' has no explanation",
        "hint": "add `explanation:` saying why the answer is right",
    }]


def test_clean_run(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", BASE)
    assert run_lint([tmp_path], "text", sources_dir()) == ("1 file checked: no problems", 0)
    assert run_lint([tmp_path], "json", sources_dir()) == ("[]", 0)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    output, code = run_lint([tmp_path / "nope.yaml"], "text", None)
    assert code == EXIT_USAGE and "no such file or folder" in output
    assert run_lint([tmp_path], "xml", None)[1] == EXIT_USAGE
    assert run_lint([], "text", None)[1] == EXIT_USAGE


def test_folders_are_expanded_sorted_and_same_bank_id_clashes(tmp_path: Path) -> None:
    write(tmp_path, "b.yml", BASE)
    write(tmp_path, "a.yaml", BASE)
    write(tmp_path, "notes.txt", "not a bank")
    messages = lint_paths([tmp_path], sources_dir())
    clash = [m for m in messages if "already declared" in m.message]
    assert [(Path(m.path).name, m.line, m.col) for m in clash] == [("b.yml", 1, 5)]
    assert "a.yaml" in clash[0].message
    names = [Path(m.path).name for m in messages if "named" in m.message]
    assert names == ["a.yaml", "b.yml"]  # both warned that the name is not the bank id


def test_a_file_named_after_another_bank_is_warned(tmp_path: Path) -> None:
    messages = lint_text(BASE, name="other.yaml")
    assert [(m.line, m.col, m.severity) for m in messages] == [(1, 5, W)]
    assert "bank id is 'demo'" in messages[0].message


def test_parallel_lint_gives_the_same_messages(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.banks import loader

    for number in range(3):
        text = edited({1: f"id: demo{number}", 29: "    points: ten"})
        write(tmp_path, f"demo{number}.yaml", text)
    sequential = lint_paths([tmp_path], sources_dir())
    monkeypatch.setattr(loader, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(loader.threading, "active_count", lambda: 1)
    parallel = (loader.os.cpu_count() or 1) > 1
    assert (loader.worker_count(1, 3) > 1) is parallel
    assert lint_paths([tmp_path], sources_dir()) == sequential


def test_format_text_counts() -> None:
    assert format_text([], 2) == "2 files checked: no problems"


# -- grounding ----------------------------------------------------------------------------
def test_article_has_eight_paragraphs_as_the_readme_numbers_them() -> None:
    text = article_path().read_text(encoding="utf-8")
    paragraphs = split_paragraphs(text)
    assert len(paragraphs) == 8
    assert paragraphs[0].startswith("RUSSIA TREATS Belarus")
    assert paragraphs[7].startswith("Mr Putin may have other reasons")
    assert not any(p.startswith(("#", "!", ">")) for p in paragraphs)


def test_quotes_fold_quotes_dashes_space_and_case() -> None:
    article = source_text(article_path().read_text(encoding="utf-8"))
    assert article.paragraphs_with("use Russia's 1,520mm gauge") == [3]
    assert article.paragraphs_with("AS A SATELLITE-IN EFFECT  an extension") == [1]
    assert article.paragraphs_with('"Unlike Russians, Belarusians do not') == [6]
    assert article.paragraphs_with("not in the article at all") == []
    assert fold("“A”\u00a0—\tB’s") == "\"a\" - b's"


@pytest.mark.parametrize(
    ("value", "quote", "found"),
    [
        (1520, "use Russia’s 1,520mm gauge", True),
        (1520, "a 1 520 mm gauge", True),
        (1520, "a 1520mm gauge", True),
        (7, "only around 7% of Belarusians", True),
        (45000, "roughly 45,000 soldiers", True),
        (45000, "roughly 45000 soldiers", True),
        (65000, "roughly 65,000 tonnes of ammunition", True),
        (30000, "sent 30 thousand soldiers", True),
        (30000, "sent 30,000 soldiers", True),
        (45000, "45k soldiers", True),
        (1.5e6, "1.5 million people", True),
        (1435, "use Russia’s 1,520mm gauge", False),
        (20, "kept 20,000 troops", False),
        (2023, "in 2023 100 tanks", True),
    ],
)
def test_numbers_in_quotes(value: float, quote: str, found: bool) -> None:
    assert number_in_quote(value, quote) is found, numbers_in(quote)


def test_quotes_and_answers_share_one_list_of_scale_words() -> None:
    from quizapp.qtypes.numbers import SCALE_WORDS, read_quantity

    for word, scale in SCALE_WORDS.items():
        assert read_quantity(f"45{word}").value == 45 * scale
        assert 45 * scale in numbers_in(f"some 45{word} troops"), word
    # "m" is metres to a learner's answer, so it is no million in a quote either.
    assert numbers_in("$45m") == {45}


@pytest.mark.parametrize("typed", [
    "1,520", "1 520", "1\u00a0520", "1,520,000", "12 345 678", "1520", "1,520.5", "45k",
    "30 thousand", "2bn", "1.5 million", "7 mln",
])
def test_quotes_and_answers_read_thousands_groups_alike(typed: str) -> None:
    from quizapp.qtypes.numbers import read_quantity

    # Whatever a learner's answer reads as, a quote stating the same text states it too.
    assert read_quantity(typed).value in numbers_in(f"it says {typed} here")


@pytest.mark.parametrize("typed", ["1,5200", "1 52", "12,34"])
def test_quotes_and_answers_refuse_broken_groups_alike(typed: str) -> None:
    from quizapp.qtypes.base import ResponseError
    from quizapp.qtypes.numbers import read_quantity

    with pytest.raises(ResponseError):
        read_quantity(typed)
    grouped = float(typed.replace(",", "").replace(" ", ""))
    assert grouped not in numbers_in(f"it says {typed} here")


def test_lint_writes_numbers_with_the_one_formatter() -> None:
    from quizapp.banks.grounding import format_number as lint_format
    from quizapp.qtypes.numbers import format_number

    for value in (45000.0, 1.52, 2022.0, -3.0, 1234567.5, 0.1 + 0.2, 1e20, float("inf")):
        assert lint_format(value) == format_number(value, plain=True)
    assert lint_format(1234567.5) == "1234567.5"  # twelve digits, not six
    assert lint_format(45000.0) == "45000"


def test_without_a_sources_folder_each_cited_source_is_a_warning(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Grounding is never silently off: the wrong paragraph is not caught, but the
    # teacher is told why.
    monkeypatch.delenv("QUIZAPP_SOURCES_DIR", raising=False)
    messages = lint_text(edited({39: "      paragraph: 3"}), grounded=False)
    assert [(m.line, m.col, m.severity) for m in messages] == [(9, 11, W)]
    assert messages[0].message == ("no folder of source texts was given, so quotes from "
                                   "'econ' are not checked")


def test_checking_a_bank_never_reads_the_folder_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The folder is a parameter (the SOURCES_DIR setting); only config.py reads the variable.
    monkeypatch.setenv("QUIZAPP_SOURCES_DIR", str(sources_dir()))
    messages = lint_text(edited({39: "      paragraph: 3"}), grounded=False)
    assert [(m.line, m.col, m.severity) for m in messages] == [(9, 11, W)]


def test_lint_grounds_against_the_setting_from_the_environment(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quizapp.cli import main

    (tmp_path / "demo.yaml").write_text(edited({39: "      paragraph: 3"}), encoding="utf-8")
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QUIZAPP_SOURCES_DIR", str(sources_dir()))
    result = CliRunner().invoke(main, ["lint", str(tmp_path / "demo.yaml"), "--format", "json"])
    assert [(m["line"], m["col"]) for m in json.loads(result.output)] == [(39, 18)]
    # `--sources` wins over the setting.
    monkeypatch.setenv("QUIZAPP_SOURCES_DIR", str(tmp_path / "elsewhere"))
    result = CliRunner().invoke(main, ["lint", str(tmp_path / "demo.yaml"), "--format", "json",
                                       "--sources", str(sources_dir())])
    assert [(m["line"], m["col"]) for m in json.loads(result.output)] == [(39, 18)]


def test_markdown_fast_path_agrees_with_the_renderer() -> None:
    from quizapp.markdown import is_blank

    for text in ["word", "  ", "***", "---", "[a]: http://x", "![x](y.png)", "`x`", "```py\n```",
                 "&nbsp;", "<b></b>", "# Title", "\\*", "1.", "- a", "_", "- 1.", "1)", "a.",
                 "10.", "# 7", "a\n===", "| a |\n|---|"]:
        assert renders_blank(text) == is_blank(text), text


@settings(deadline=None)
@given(st.text(alphabet="ab1 .-*+#>_|=:\n()!\t", max_size=24))
def test_markdown_fast_path_agrees_on_random_markup(text: str) -> None:
    from quizapp.markdown import is_blank

    assert renders_blank(text) == is_blank(text)


# -- fuzzing: nothing gets out but messages ----------------------------------------------------
FUZZ = settings(deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
INTERNAL = "could not be checked"


def assert_only_messages(data: bytes) -> None:
    loaded = load_bank_text("fuzz.yaml", data, sources_dir=sources_dir())
    assert all(INTERNAL not in m.message for m in loaded.messages), loaded.messages
    assert all(m.line >= 1 and m.col >= 1 for m in loaded.messages)
    assert (loaded.bank is None) == any(m.severity == E for m in loaded.messages)


@FUZZ
@given(st.binary(max_size=2_000))
def test_random_bytes(data: bytes) -> None:
    assert_only_messages(data)


@FUZZ
@given(st.integers(min_value=0, max_value=len(BASE.encode())))
def test_truncated_bank(cut: int) -> None:
    assert_only_messages(BASE.encode()[:cut])


TOKENS = ["no", "on", "~", "null", "1e999", "-.inf", ".nan", "[", "]", "{", "}", "*a", "&a",
          "!!str", "!x", "'", '"', "|", ">", "? x", ": ", "- ", "\t", "2023-13-45", "0x1F",
          "1_000", "Norway", "true", "", " ", "#", "%", "@", "`", "x" * 300, "é", "\u2028",
          "1" * 400, "-1", "0", "[1, 2]", "{a: 1}", "***", "![x](y)", "{{gauge}}"]
LINES = BASE.split("\n")


@st.composite
def mutated_bank(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["value", "key", "indent", "delete", "copy", "insert"]))
        line = lines[index]
        if kind == "value" and ":" in line:
            head = line.split(":", 1)[0]
            lines[index] = f"{head}: {draw(st.sampled_from(TOKENS))}"
        elif kind == "key" and ":" in line:
            tail = line.split(":", 1)[1]
            indent = line[: len(line) - len(line.lstrip())]
            key = draw(st.sampled_from(["id", "type", "prompt", "answers", "options", "points",
                                        "typo", "evidence", "blanks", "value", "quizzes"]))
            lines[index] = f"{indent}{key}:{tail}"
        elif kind == "indent":
            shift = draw(st.integers(-4, 4))
            lines[index] = " " * max(0, shift) + line[max(0, -shift):]
        elif kind == "delete":
            del lines[index]
        elif kind == "copy":
            lines.insert(index, line)
        else:
            lines.insert(index, draw(st.sampled_from(TOKENS)))
        if not lines:
            break
    return "\n".join(lines)


@FUZZ
@given(mutated_bank())
def test_mutated_bank(text: str) -> None:
    assert_only_messages(text.encode())


@FUZZ
@given(st.text(max_size=300))
def test_random_text_as_a_field_value(text: str) -> None:
    payload = json.dumps(text)  # a double-quoted YAML scalar holding any text
    assert_only_messages(edited({35: f"    prompt: {payload}"}).encode())


# -- the format documentation's examples are real ---------------------------------------------
DOCS = Path(__file__).resolve().parents[1] / "docs" / "question-format.md"
DOC_BANK = """\
id: docs
title: Examples from the documentation
sources:
  - id: economist-belarus
    title: "How Belarus's role in the invasion of Ukraine could grow"
    publisher: The Economist
    date: 2023-03-17
    url: https://www.economist.com/
    file: economist-2023-03-17-belarus-role.md
topics:
  - id: rail
    title: Railways
questions:
"""


def doc_blocks() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    return [block.split("```", 1)[0] for block in text.split("```yaml\n")[1:]]


def test_the_documented_first_bank_is_clean() -> None:
    first = next(b for b in doc_blocks() if b.startswith("id: rail"))
    assert lint_text(first, name="rail.yaml") == []


def test_every_documented_question_type_example_is_clean() -> None:
    examples = [b for b in doc_blocks() if b.startswith("  - id:") and "\n    type:" in b]
    types = {line.split(":", 1)[1].strip() for b in examples for line in b.splitlines()
             if line.startswith("    type:")}
    assert types == set(QUESTION_TYPES)
    for example in examples:
        assert lint_text(DOC_BANK + example, name="docs.yaml") == [], example
