"""Source fingerprints: quotes checked without the article, with the article's verdicts.

The comparison with the article itself needs `../shared/sources/` beside the project
root and skips without it (a fresh clone); everything else runs anywhere.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import REPO_ROOT
from ruamel.yaml import YAML

from quizapp.banks.fingerprint import (
    FingerprintError,
    fingerprint_path,
    fingerprint_text,
    load_fingerprint,
    parse_fingerprint,
)
from quizapp.banks.grounding import load_source, source_text
from quizapp.banks.lint import lint_paths
from quizapp.cli import main

SHARED_SOURCES = REPO_ROOT.parent / "shared" / "sources"
FINGERPRINTS = REPO_ROOT / "questions" / "sources"
BANK_FILE = REPO_ROOT / "questions" / "belarus-role.yaml"
ARTICLE = "economist-2023-03-17-belarus-role.md"

OWN_ARTICLE = """\
# A made-up report

> Jan 5th 2024

The river ferry at Dunmore carried 1,250 passengers in its first winter, twice the estimate.

Engineers say the old pier will need 40 new piles before the spring floods arrive.

Critics argue that the money would be better spent on the coastal road.
"""
OWN_BANK = """\
id: ferry
title: Ferry
sources:
  - id: report
    title: A made-up report
    publisher: Nobody
    date: 2024-01-05
    url: https://example.org/ferry
    file: ferry-report.md
topics:
  - id: transport
    title: Transport
questions:
  - id: passengers
    type: numeric
    prompt: How many passengers did the ferry carry in its first winter?
    answers:
      - value: 1250
    topics: [transport]
    explanation: The report gives the figure in its first paragraph.
    evidence:
      source: report
      paragraph: {paragraph}
      quote: "{quote}"
"""


def article_text() -> str:
    path = SHARED_SOURCES / ARTICLE
    if not path.is_file():
        pytest.skip(f"needs the article itself at {path}")
    return path.read_text(encoding="utf-8")


def verdicts(messages: list[Any]) -> list[tuple[int, int, str, str]]:
    return [(m.line, m.col, m.severity, m.message) for m in messages]


# -- the article and its fingerprint agree -------------------------------------------------
def _wrong(quote: str, index: int) -> str:
    """A deliberately wrong version of a quote, in one of several ways."""
    words = quote.split()
    digits = re.search(r"\d", quote)
    kind = index % 4
    if kind == 0 and digits:
        changed = str((int(digits.group()) + 1) % 10)
        return quote[:digits.start()] + changed + quote[digits.end():]
    if kind in (0, 1):
        words[len(words) // 2] = "zebra"
    elif kind == 2:
        words[0] = "zebra"
    else:
        words[-1] = "zebra"
    return " ".join(words)


def _bank_with(tmp_path: Path, edit: Any) -> Path:
    yaml = YAML()
    data = yaml.load(BANK_FILE.read_text(encoding="utf-8"))
    edit(data)
    folder = tmp_path / "bank"
    folder.mkdir(exist_ok=True)
    target = folder / BANK_FILE.name
    with target.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return target


def test_committed_fingerprint_is_of_the_article() -> None:
    text = article_text()
    committed = load_fingerprint(fingerprint_path(FINGERPRINTS / ARTICLE))
    assert committed is not None
    assert fingerprint_text(text, committed.salt) == committed, (
        "the article changed: run `quizapp sources fingerprint` again")


def test_text_and_fingerprint_give_the_same_verdicts_on_the_bundled_bank() -> None:
    text = source_text(article_text())
    printed = load_source(FINGERPRINTS / ARTICLE)
    assert printed is not None and len(printed.paragraphs) == len(text.paragraphs)
    data = YAML(typ="safe").load(BANK_FILE.read_text(encoding="utf-8"))
    for question in data["questions"]:
        quote = question["evidence"]["quote"]
        assert printed.paragraphs_with(quote) == text.paragraphs_with(quote), quote
    assert lint_paths([BANK_FILE], SHARED_SOURCES) == lint_paths([BANK_FILE], FINGERPRINTS) == []


def test_text_and_fingerprint_give_the_same_verdicts_on_wrong_quotes(tmp_path: Path) -> None:
    article_text()

    def spoil(data: Any) -> None:
        for index, question in enumerate(data["questions"]):
            evidence = question["evidence"]
            if index % 5 == 4:  # a right quote cited from the wrong paragraph
                evidence["paragraph"] = evidence["paragraph"] % 8 + 1
            elif index % 11 == 10:
                evidence["paragraph"] = 9  # past the end
            else:
                evidence["quote"] = _wrong(evidence["quote"], index)

    spoiled = _bank_with(tmp_path, spoil)
    from_text = verdicts(lint_paths([spoiled], SHARED_SOURCES))
    from_print = verdicts(lint_paths([spoiled], FINGERPRINTS))
    assert from_text == from_print
    questions = len(YAML(typ="safe").load(BANK_FILE.read_text(encoding="utf-8"))["questions"])
    grounding_errors = [v for v in from_text if v[2] == "error" and (
        "paragraph" in v[3] or "does not occur" in v[3])]
    # Every spoiled quote is caught, by both.
    assert len(grounding_errors) == questions, "\n".join(map(str, from_text))


# -- what a fingerprint holds ------------------------------------------------------------------
def test_the_fingerprint_holds_no_words_of_the_article() -> None:
    raw = (FINGERPRINTS / "economist-2023-03-17-belarus-role.fingerprint.json").read_text()
    words = set(re.findall(r"[A-Za-z]{3,}", raw))
    allowed = {"format", "quizapp", "source", "fingerprint", "version", "run_words", "run",
               "words", "hash", "bits", "salt", "paragraphs", "runs", "numbers", "economist",
               "belarus", "role"}
    # The salt is hexadecimal; leave its letters out.
    salt = json.loads(raw)["salt"]
    assert {w.casefold() for w in words if w not in salt} <= allowed


def test_the_same_text_fingerprints_differently_with_another_salt() -> None:
    first, second = fingerprint_text(OWN_ARTICLE), fingerprint_text(OWN_ARTICLE)
    assert first.salt != second.salt
    assert first.paragraphs[0].runs != second.paragraphs[0].runs
    assert fingerprint_text(OWN_ARTICLE, first.salt) == first
    quote = "carried 1,250 passengers in its first winter"
    assert first.paragraphs_with(quote) == second.paragraphs_with(quote) == [1]


def test_a_fingerprint_finds_what_the_text_finds() -> None:
    printed, text = fingerprint_text(OWN_ARTICLE), source_text(OWN_ARTICLE)
    assert len(printed.paragraphs) == len(text.paragraphs) == 3
    for quote, in_print, in_text in [
        ("40 new piles before the spring floods", [2], [2]),
        ("The river ferry at Dunmore", [1], [1]),
        ("better spent on the coastal road.", [3], [3]),
        ("carried 1,350 passengers in its", [], []),  # a changed number
        ("the old jetty will need", [], []),  # a changed word
        # Punctuation is not compared by a fingerprint: the words are all there.
        ("“better spent” on the coastal road", [3], []),
    ]:
        assert printed.paragraphs_with(quote) == in_print, quote
        assert text.paragraphs_with(quote) == in_text, quote
    # Fewer words than a run: nothing to look for, so found nowhere.
    assert printed.paragraphs_with("Dunmore") == []


def test_a_damaged_fingerprint_is_refused_clearly(tmp_path: Path) -> None:
    good = json.loads(fingerprint_text(OWN_ARTICLE).to_json("x.md"))
    with pytest.raises(FingerprintError, match="not a source fingerprint"):
        parse_fingerprint({"paragraphs": []})
    with pytest.raises(FingerprintError, match="another version"):
        parse_fingerprint({**good, "version": 99})
    broken = copy.deepcopy(good)
    broken["paragraphs"][0]["runs"] = ["x"]
    with pytest.raises(FingerprintError, match="damaged"):
        parse_fingerprint(broken)
    path = tmp_path / "bad.fingerprint.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(FingerprintError, match="not valid JSON"):
        load_fingerprint(path)


# -- the command and lint ------------------------------------------------------------------------
def _lint_own_bank(tmp_path: Path, paragraph: int, quote: str) -> list[Any]:
    bank = tmp_path / "ferry.yaml"
    bank.write_text(OWN_BANK.format(paragraph=paragraph, quote=quote), encoding="utf-8")
    return lint_paths([bank], tmp_path / "sources")


def test_lint_grounds_against_a_fingerprint_made_by_the_command(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    article = sources / "ferry-report.md"
    article.write_text(OWN_ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["sources", "fingerprint", str(article)])
    assert result.exit_code == 0, result.output
    written = sources / "ferry-report.fingerprint.json"
    assert f"Wrote {written} (3 paragraphs)." in result.output
    quote = "carried 1,250 passengers in its first winter"
    with_text = verdicts(_lint_own_bank(tmp_path, 2, quote))
    article.unlink()  # from here on only the fingerprint is there
    assert verdicts(_lint_own_bank(tmp_path, 1, quote)) == []
    wrong_paragraph = verdicts(_lint_own_bank(tmp_path, 2, quote))
    assert wrong_paragraph == with_text
    assert "it is in paragraph 1" in wrong_paragraph[0][3]
    wrong_words = verdicts(_lint_own_bank(tmp_path, 1, "carried 1,250 people in its"))
    assert "does not occur" in wrong_words[0][3]
    written.unlink()
    missing = verdicts(_lint_own_bank(tmp_path, 1, quote))
    assert missing and "not in" in missing[0][3] and missing[0][2] == "warning"
