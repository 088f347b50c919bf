"""Source files: front matter, the paragraph numbering rule, `quizapp sources show`, and
sources completed from their files for learners."""

from __future__ import annotations

import datetime
from pathlib import Path

from click.testing import CliRunner
from test_banks_support import BASE, article_path, edited, sources_dir

from quizapp.banks import load_bank_text
from quizapp.banks.sources import parse_source
from quizapp.cli import main

BYLINED = """\
---
title: Rails of the east
author: A correspondent
publisher: The Daily Example
date: 2026-01-05
url: https://example.org/rails
licence: CC BY 4.0
---
# Rails of the east
## Why gauges matter
By a correspondent, 2026.
> Jan 5th 2026

The first paragraph says the gauge is 1,520mm.
![a train](train.jpg)
The second paragraph names Gomel.

> A quoted line in the body is a paragraph.
# A heading in the middle
The fourth paragraph.
"""


def test_front_matter_headings_byline_and_date_are_not_paragraphs() -> None:
    document = parse_source(BYLINED)
    assert [p.text for p in document.paragraphs] == [
        "The first paragraph says the gauge is 1,520mm.",
        "The second paragraph names Gomel.",
        "> A quoted line in the body is a paragraph.",
        "The fourth paragraph.",
    ]
    assert [(p.number, p.line) for p in document.paragraphs] == [
        (1, 14), (2, 16), (3, 18), (4, 20)]
    front = document.front
    assert (front.title, front.author, front.publisher, front.url, front.licence) == (
        "Rails of the east", "A correspondent", "The Daily Example",
        "https://example.org/rails", "CC BY 4.0")
    assert front.date == datetime.date(2026, 1, 5)
    assert document.problems == ()


def test_a_byline_without_front_matter_is_not_paragraph_one() -> None:
    document = parse_source("# Title\nBy a correspondent, 2026.\nFirst.\nBy the way, second.\n")
    assert [p.text for p in document.paragraphs] == ["First.", "By the way, second."]
    assert document.title == "Title"  # the first `# ` heading when there is no front matter


def test_the_bundled_article_numbers_as_its_readme_says() -> None:
    # The article's own words: beside the repository in CI, absent in a fresh clone.
    document = parse_source(article_path().read_text(encoding="utf-8"))
    assert len(document.paragraphs) == 8
    assert document.paragraphs[0].text.startswith("RUSSIA TREATS Belarus")
    assert document.paragraphs[7].text.startswith("Mr Putin may have other reasons")
    assert document.title == "How Belarus’s role in the invasion of Ukraine could grow"


def test_front_matter_problems_are_reported_not_raised() -> None:
    bad = parse_source("---\ntitel: X\nurl: ftp://nope\ndate: someday\n---\nText.\n")
    assert [p.split(";")[0].split(":")[0] for p in bad.problems] == [
        "unknown front matter field `titel`", "front matter `url`", "front matter `date`"]
    assert [p.text for p in bad.paragraphs] == ["Text."]
    assert bad.front.url is None  # never a link that is not a link
    unclosed = parse_source("---\ntitle: X\nText.\n")
    assert unclosed.problems == ("the front matter starting on line 1 has no closing `---` "
                                 "line",)
    assert parse_source("---\n: [\n---\nText.\n").problems[0].startswith(
        "the front matter is not valid YAML")
    assert parse_source("---\n- a list\n---\n").problems == (
        "the front matter must be fields (`title: ...`)",)


# -- banks citing a source file ---------------------------------------------------------------
SOURCE_LINES = """\
sources:
  - id: econ
    file: rails.md
"""


def bank_citing(folder: Path, source_text: str, sources: str = SOURCE_LINES) -> str:
    (folder / "rails.md").write_text(source_text, encoding="utf-8")
    text = BASE.replace("""\
sources:
  - id: econ
    title: How Belarus's role could grow
    publisher: The Economist
    date: 2023-03-17
    url: https://example.org/belarus
    file: economist-2023-03-17-belarus-role.md
""", sources)
    return (text.replace("paragraph: 3", "paragraph: 1")
            .replace("quote: \"use Russia’s 1,520mm gauge\"", "quote: the gauge is 1,520mm")
            .replace("paragraph: 4", "paragraph: 2")
            .replace("quote: \"transporting bodies through Gomel\"", "quote: names Gomel"))


def test_learners_see_the_front_matter_and_no_invented_link(tmp_path: Path) -> None:
    loaded = load_bank_text("demo.yaml", bank_citing(tmp_path, BYLINED).encode(),
                            sources_dir=tmp_path)
    assert loaded.messages == () and loaded.bank is not None
    (source,) = loaded.bank.sources
    assert (source.title, source.publisher, source.url, source.author, source.licence) == (
        "Rails of the east", "The Daily Example", "https://example.org/rails",
        "A correspondent", "CC BY 4.0")
    bare = "# Just a heading\nThe first paragraph says the gauge is 1,520mm.\n" \
           "The second paragraph names Gomel.\n"
    loaded = load_bank_text("demo.yaml", bank_citing(tmp_path, bare).encode(),
                            sources_dir=tmp_path)
    assert loaded.bank is not None, loaded.messages
    (source,) = loaded.bank.sources
    assert (source.title, source.publisher, source.url, source.date) == (
        "Just a heading", None, None, None)


def test_a_byline_no_longer_shifts_the_numbers(tmp_path: Path) -> None:
    # Without the byline rule, every paragraph here would be one too high.
    text = "# Rails\nBy a correspondent, 2026.\nThe first paragraph says the gauge is 1,520mm.\n" \
           "The second paragraph names Gomel.\n"
    loaded = load_bank_text("demo.yaml", bank_citing(tmp_path, text).encode(),
                            sources_dir=tmp_path)
    assert loaded.messages == (), loaded.messages


def test_front_matter_disagreeing_with_the_bank_is_a_warning(tmp_path: Path) -> None:
    sources = SOURCE_LINES + "    publisher: Someone else\n"
    loaded = load_bank_text("demo.yaml", bank_citing(tmp_path, BYLINED, sources).encode(),
                            sources_dir=tmp_path)
    assert [(m.line, m.severity, m.message) for m in loaded.messages] == [
        (6, "warning", "source 'econ': `publisher` is 'Someone else' here but "
                       "'The Daily Example' in rails.md")]
    assert loaded.bank is not None and loaded.bank.sources[0].publisher == "The Daily Example"


def test_front_matter_problems_reach_the_teacher(tmp_path: Path) -> None:
    text = BYLINED.replace("licence: CC BY 4.0", "license: CC BY 4.0")
    loaded = load_bank_text("demo.yaml", bank_citing(tmp_path, text).encode(),
                            sources_dir=tmp_path)
    assert [m.message.split(";")[0] for m in loaded.messages] == [
        "source file 'rails.md': unknown front matter field `license`"]


def test_a_source_needs_a_title_from_somewhere(tmp_path: Path) -> None:
    text = bank_citing(tmp_path, BYLINED, "sources:\n  - id: econ\n")
    messages = load_bank_text("demo.yaml", text.encode(), sources_dir=tmp_path).messages
    assert [(m.severity, m.message) for m in messages] == [
        ("error", "source 'econ' has no title"),
        ("warning", "source 'econ' has no `file`, so quotes from it are not checked")]


# -- quizapp sources show ----------------------------------------------------------------------
def test_sources_show_prints_numbers_and_first_words(tmp_path: Path) -> None:
    path = tmp_path / "rails.md"
    path.write_text(BYLINED, encoding="utf-8")
    result = CliRunner().invoke(main, ["sources", "show", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        str(path),
        "  title: Rails of the east",
        "  author: A correspondent",
        "  publisher: The Daily Example",
        "  date: 2026-01-05",
        "  url: https://example.org/rails",
        "  licence: CC BY 4.0",
        "  4 paragraphs:",
        "  1  (line 14) The first paragraph says the gauge is 1,520mm.",
        "  2  (line 16) The second paragraph names Gomel.",
        "  3  (line 18) > A quoted line in the body is …",
        "  4  (line 20) The fourth paragraph.",
    ]


def test_sources_show_usage_errors(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["sources", "show", str(tmp_path / "no.md")]).exit_code == 2
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\xff\xfe\x00")
    result = CliRunner().invoke(main, ["sources", "show", str(binary)])
    assert result.exit_code == 2 and "cannot read" in result.output


def test_edited_base_still_has_its_numbers() -> None:
    # The shared demo bank still grounds against the real article.
    text = edited({})
    messages = load_bank_text("demo.yaml", text.encode(), sources_dir=sources_dir()).messages
    assert messages == ()


def test_a_sources_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    bank = tmp_path / "demo.yaml"
    bank.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(bank), "--sources", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.output
    clean = CliRunner().invoke(main, ["lint", str(bank), "--sources", str(sources_dir())])
    assert clean.exit_code == 0, clean.output
