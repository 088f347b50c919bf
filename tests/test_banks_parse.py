"""parse.py: YAML 1.2 scalars, positions, and every refusal with its line and column."""

from __future__ import annotations

import math

import pytest
from ruamel.yaml import YAML

from quizapp.banks import parse
from quizapp.banks.parse import (
    HAVE_C_PARSER,
    MAX_DEPTH,
    MapPos,
    SeqPos,
    node_point,
    parse_bytes,
    plain_scalar,
)

# Every test runs on ruamel.yaml's pure-Python parser, and on its C parser when
# ruamel.yaml.clib is installed: both must give the same data, marks and messages.
BACKENDS = [True, pytest.param(False, marks=pytest.mark.skipif(
    not HAVE_C_PARSER, reason="ruamel.yaml.clib (the C parser) is not installed"))]


@pytest.fixture(params=BACKENDS, ids=["pure", "c"])
def pure(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def load(text: str | bytes, pure: bool, **kwargs: int) -> parse.ParsedFile:
    data = text.encode() if isinstance(text, str) else text
    return parse_bytes("bank.yaml", data, pure=pure, **kwargs)


def refusal(text: str | bytes, pure: bool, **kwargs: int) -> tuple[int, int, str]:
    parsed = load(text, pure, **kwargs)
    assert parsed.data is None and len(parsed.messages) == 1, parsed.messages
    message = parsed.messages[0]
    assert message.severity == "error" and message.path == "bank.yaml"
    return message.line, message.col, message.message


# -- scalars ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no", "no"), ("on", "on"), ("off", "off"), ("yes", "yes"), ("Norway", "Norway"),
        ("y", "y"), ("NO", "NO"), ("true", True), ("False", False), ("TRUE", True),
        ("~", None), ("null", None), ("", None), ("1", 1), ("-1", -1), ("+7", 7),
        ("0o17", 15), ("017", 17), ("0x1F", 31), ("0b101", 5), ("1_000", 1000),
        ("1.5", 1.5), ("1e3", 1000.0), (".5", 0.5), ("-.inf", -math.inf),
        ("2023-03-17", "2023-03-17"), ("2023-03-17T10:00:00Z", "2023-03-17T10:00:00Z"),
        ("12:30", "12:30"), ("1,520", "1,520"), ("0x", "0x"), ("1" * 5000, "1" * 5000),
    ],
)
def test_plain_scalars_follow_yaml_1_2(text: str, expected: object) -> None:
    value = plain_scalar(text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    "text",
    ["no", "on", "Norway", "true", "False", "~", "null", "1", "-1", "0o17", "017", "0x1F",
     "0b101", "1_000", "1.5", "1e3", ".5", "-.inf", ".NaN", "12:30", "1,520", "-0x1f",
     "+.5", "1.e5", "08", "1__0", ".inf", "1._"],
)
def test_scalars_agree_with_ruamels_own_1_2_loader(text: str) -> None:
    ours = plain_scalar(text)
    theirs = YAML(typ="safe", pure=True).load(f"v: {text}")["v"]
    if isinstance(theirs, float) and math.isnan(theirs):
        assert isinstance(ours, float) and math.isnan(ours)
    else:
        assert ours == theirs and type(ours) is type(theirs)


def test_quoted_and_block_scalars_stay_text(pure: bool) -> None:
    data = load('a: "1"\nb: \'true\'\nc: |\n  no\nd: >\n  7\ne: no\n', pure).data
    assert data == {"a": "1", "b": "true", "c": "no\n", "d": "7\n", "e": "no"}


def test_keys_stay_the_text_they_were_written_as(pure: bool) -> None:
    data = load("units:\n  no: 1\n  1: 2\n  true: 3\n  null: 4\n", pure).data
    assert data == {"units": {"no": 1, "1": 2, "true": 3, "null": 4}}


def test_dates_stay_text(pure: bool) -> None:
    assert load("date: 2023-03-17\n", pure).data == {"date": "2023-03-17"}


def test_line_endings_and_bom_are_normalised(pure: bool) -> None:
    parsed = load(b"\xef\xbb\xbfa: 1\r\nb: x\rc: 3\n", pure)
    assert parsed.data == {"a": 1, "b": "x", "c": 3}
    assert parsed.positions is not None
    assert parsed.positions.locate(("c",)) == (3, 4)


# -- positions ----------------------------------------------------------------------------
POSITIONS_TEXT = """\
id: demo
questions:
  - id: q1
    type: numeric
    answers:
      - value: 1520
        tolerance: 5
  - id: q2
    blanks:
      gauge:
        type: numeric
        answers: [{value: 7}]
"""


def test_positions_of_keys_and_values(pure: bool) -> None:
    positions = load(POSITIONS_TEXT, pure).positions
    assert positions is not None
    assert positions.locate(("id",)) == (1, 5)
    assert positions.locate(("id",), key=True) == (1, 1)
    assert positions.locate(("questions",)) == (3, 3)
    assert positions.locate(("questions", 0)) == (3, 5)
    assert positions.locate(("questions", 0, "answers", 0, "tolerance")) == (7, 20)
    assert positions.locate(("questions", 0, "answers", 0, "tolerance"), key=True) == (7, 9)


def test_union_tags_and_missing_parts_are_skipped(pure: bool) -> None:
    positions = load(POSITIONS_TEXT, pure).positions
    assert positions is not None
    loc = ("questions", 0, "numeric", "answers", 0, "value")
    assert positions.locate(loc) == (6, 16)
    blank = ("questions", 1, "cloze", "blanks", "gauge", "numeric", "answers", 0, "value")
    assert positions.locate(blank) == (12, 27)
    # A missing field points at the mapping that lacks it (the deepest existing node).
    assert positions.locate(("questions", 1, "cloze", "prompt")) == (8, 5)
    assert positions.locate(("questions", 9, "id")) == (3, 3)
    assert not positions.has(("questions", 1, "prompt"))
    assert positions.has(("questions", 1, "blanks", "gauge"))


def test_position_tree_shapes(pure: bool) -> None:
    parsed = load(POSITIONS_TEXT, pure)
    assert parsed.positions is not None
    root = parsed.positions.root
    assert isinstance(root, MapPos) and node_point(root) == (1, 1)
    questions = root.values["questions"]
    assert isinstance(questions, SeqPos) and len(questions.items) == 2


def test_both_backends_agree_on_data_and_positions() -> None:
    if not HAVE_C_PARSER:
        pytest.skip("ruamel.yaml.clib (the C parser) is not installed")
    text = POSITIONS_TEXT.encode()
    c, pure = parse_bytes("b.yaml", text, pure=False), parse_bytes("b.yaml", text, pure=True)
    assert c.data == pure.data
    assert c.positions is not None and pure.positions is not None
    for loc in [("questions", 0, "answers", 0, "tolerance"), ("questions", 1, "blanks")]:
        assert c.positions.locate(loc) == pure.positions.locate(loc)
        assert c.positions.locate(loc, key=True) == pure.positions.locate(loc, key=True)


def test_columns_count_characters_not_bytes(pure: bool) -> None:
    positions = load("title: «Ünïcödé»\nnext: 1\nafter: «é» x\n", pure).positions
    assert positions is not None
    assert positions.locate(("next",)) == (2, 7)


# -- refusals ----------------------------------------------------------------------------
def test_file_over_the_size_limit(pure: bool) -> None:
    line, col, message = refusal("a: " + "x" * 200 + "\n", pure, max_bytes=100)
    assert (line, col) == (1, 1)
    assert "204 bytes" in message and "at most 100" in message


def test_default_size_limit_is_one_megabyte(pure: bool) -> None:
    assert parse.DEFAULT_MAX_BYTES == 1_000_000
    message = refusal(b"a: 1\n" + b"#" * 1_000_000, pure)[2]
    assert "at most 1,000,000" in message


def test_bytes_that_are_not_utf8_say_where(pure: bool) -> None:
    line, col, message = refusal(b"id: demo\ntitle: caf\xe9 au lait\n", pure)
    assert (line, col) == (2, 11)
    assert "not UTF-8" in message and "0xe9" in message and "byte offset 19" in message


def test_control_characters_are_refused_with_position(pure: bool) -> None:
    line, col, message = refusal("id: demo\ntitle: a\x07b\n", pure)
    assert (line, col) == (2, 9) and "U+0007" in message


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_are_refused(pure: bool, char: str) -> None:
    # The parsers count them as line breaks, editors mostly do not: positions would drift.
    line, col, message = refusal(f"id: demo\ntitle: a{char}b\n", pure)
    assert (line, col) == (2, 9) and f"U+{ord(char):04X}" in message


def test_anchor_is_refused(pure: bool) -> None:
    line, col, message = refusal("a: &x [1, 2]\nb: 1\n", pure)
    assert (line, col) == (1, 4) and "anchors (&x)" in message


def test_anchor_on_a_scalar_is_refused(pure: bool) -> None:
    assert refusal("a: &x hello\n", pure)[:2] == (1, 4)


def test_alias_is_refused(pure: bool) -> None:
    line, col, message = refusal("a: [1]\nb: *x\n", pure)
    assert (line, col) == (2, 4) and "aliases (*x)" in message


def test_alias_bomb_is_refused_at_the_first_anchor(pure: bool) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
    assert refusal(bomb, pure)[:2] == (1, 4)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object:os.system 1\n", "!!python/object:os.system"),
        ("a: !!python/name:os.system\n", "!!python/name:os.system"),
        ("a: !custom {x: 1}\n", "!custom"),
        ("a: !!str 1\n", "!!str"),
        ("a: ! plain\n", "!"),
        ("a: !!map {x: 1}\n", "!!map"),
        ("a: !!seq [1]\n", "!!seq"),
    ],
)
def test_explicit_tags_are_refused(pure: bool, text: str, tag: str) -> None:
    line, col, message = refusal(text, pure)
    assert (line, col) == (1, 4) and f"'{tag}'" in message


def test_nesting_deeper_than_the_limit(pure: bool) -> None:
    deep = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    line, col, message = refusal(deep, pure)
    # The top mapping is level 1, so the (MAX_DEPTH)th bracket is one too many.
    assert (line, col) == (1, 3 + MAX_DEPTH) and f"more than {MAX_DEPTH} levels" in message


def test_nesting_at_the_limit_is_fine(pure: bool) -> None:
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert load(ok, pure).data is not None


def test_very_deep_nesting_does_not_recurse(pure: bool) -> None:
    assert refusal("a: " + "[" * 100_000, pure)[0] == 1


def test_duplicate_keys_name_the_first(pure: bool) -> None:
    line, col, message = refusal("id: a\ntitle: t\nquestions:\n  - id: q\n    id: r\n", pure)
    assert (line, col) == (5, 5)
    assert message == "duplicate key 'id': it is already given on line 4"


def test_duplicate_key_spelled_differently_is_still_a_duplicate(pure: bool) -> None:
    assert refusal("id: a\n'id': b\n", pure)[:2] == (2, 1)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- a\n- b\n", "a list"), ("just text\n", "a single value"), ("42\n", "a single value")],
)
def test_top_level_must_be_a_mapping(pure: bool, text: str, kind: str) -> None:
    line, col, message = refusal(text, pure)
    assert (line, col) == (1, 1) and kind in message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(pure: bool, text: str) -> None:
    assert refusal(text, pure) == (1, 1, "the file is empty")


def test_two_documents_are_refused(pure: bool) -> None:
    line, col, message = refusal("a: 1\n---\nb: 2\n", pure)
    assert (line, col) == (2, 1) and "one YAML document" in message


def test_complex_keys_are_refused(pure: bool) -> None:
    line, col, message = refusal("? [a, b]\n: 1\n", pure)
    assert (line, col) == (1, 3) and "plain name" in message


# -- YAML syntax errors in teacher language --------------------------------------------------
@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("a: 1\n b: 2\n", (2, 3), "no field can start"),
        ("a: b: c\n", (1, 5), "no field can start"),
        ('a: "unclosed\nb: 2\n', (3, 1), "quoted text is not closed"),
        ("a:\n\t- x\n", (2, 1), "tab character"),
        ("a: [1, 2\nb: 3\n", (2, 2), "not closed"),
        ("a: @x\n", (1, 4), "cannot start with '@'"),
        ("a: `x`\n", (1, 4), "cannot start with '`'"),
        ("- a\nb: 1\n", (2, 1), "does not line up"),
    ],
)
def test_syntax_errors_have_real_positions(pure: bool, text: str, where: tuple[int, int],
                                           words: str) -> None:
    line, col, message = refusal(text, pure)
    assert (line, col) == where and words in message


def test_every_refusal_is_one_line(pure: bool) -> None:
    for text in ["a: 1\n b: 2\n", "a: &x 1\n", "a: !!str 1\n", "- 1\n", "a: [1, 2\nb: 3\n"]:
        message = load(text, pure).messages[0]
        assert "\n" not in message.format()


@pytest.mark.parametrize("text", ['a: "\\ud800"\n', 'a: "\\ud800\\udc00"\n', '"\\udc00": 1\n',
                                  'a: "\\q"\n'])
def test_invalid_escapes_are_refused(pure: bool, text: str) -> None:
    line, _col, message = refusal(text, pure)
    assert line == 1 and "backslash escape is not valid" in message


def test_valid_escapes_are_read(pure: bool) -> None:
    assert load('a: "\\U0001F600 \\u00e9 \\x41"\n', pure).data == {"a": "😀 é A"}
