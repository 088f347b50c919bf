"""Shared pieces for the bank loader tests (no tests here): a clean bank with known line
numbers and the folder of source articles the banks are grounded against."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from quizapp.banks import LintMessage, load_bank_text

# The shared folder sits beside the repository: <root>/../shared/sources. A fresh clone
# has none; the fingerprints committed with the bundled bank stand in for the articles
# there (tests/test_fingerprint.py shows both give the same verdicts).
SOURCES = Path(os.environ.get("QUIZAPP_TEST_SOURCES_DIR")
               or Path(__file__).resolve().parents[2] / "shared" / "sources")
FINGERPRINTS = Path(__file__).resolve().parents[1] / "questions" / "sources"
ARTICLE = "economist-2023-03-17-belarus-role.md"


# Answers printed in other questions of the same quiz: warnings the bundled bank and the
# benchmark generator's banks still have (the bank's revision removes them).
LEAK_WARNINGS = re.compile(
    r"^question '[^']+': its answer .* is printed in |^quiz '[^']+' asks for ")


def without_leaks(messages: Iterable[LintMessage]) -> list[LintMessage]:
    return [m for m in messages if not LEAK_WARNINGS.match(m.message)]


def sources_dir() -> Path:
    """The folder to ground against: the articles when present, else their fingerprints."""
    if (SOURCES / ARTICLE).is_file():
        return SOURCES
    return FINGERPRINTS


def article_path() -> Path:
    """The article's own text; tests that need its words skip without it (fresh clone)."""
    if not (SOURCES / ARTICLE).is_file():
        pytest.skip(f"needs the article itself at {SOURCES / ARTICLE}; quotes are still "
                    "checked against its committed fingerprint")
    return SOURCES / ARTICLE


# Line numbers matter: the lint tests edit single lines and expect exact positions.
BASE = """\
id: demo
title: Demo bank
sources:
  - id: econ
    title: How Belarus's role could grow
    publisher: The Economist
    date: 2023-03-17
    url: https://example.org/belarus
    file: economist-2023-03-17-belarus-role.md
topics:
  - id: rail
    title: Railways
quizzes:
  - id: practice
    title: Practice
    mode: practice
    select:
      topics: [rail]
questions:
  - id: gauge
    type: numeric
    prompt: How wide is the gauge, in mm?
    explanation: The article says 1,520mm.
    evidence:
      source: econ
      paragraph: 3
      quote: "use Russia’s 1,520mm gauge"
    topics: [rail]
    points: 2
    answers:
      - value: 1520
    units: {mm: 1}
  - id: city
    type: short_text
    prompt: Through which city were bodies moved?
    explanation: Gomel, Belarus's second city.
    evidence:
      source: econ
      paragraph: 4
      quote: "transporting bodies through Gomel"
    topics: [rail]
    answers:
      - accept: [Gomel, Homel]
"""


def edited(edits: dict[int, str], base: str = BASE) -> str:
    """The base with some lines (1-based) replaced; a comment line deletes one in place."""
    lines = base.split("\n")
    for number, text in edits.items():
        lines[number - 1] = text
    return "\n".join(lines)


def lint_text(text: str, *, grounded: bool = True, name: str = "demo.yaml") -> list[LintMessage]:
    folder = sources_dir() if grounded else None
    return list(load_bank_text(name, text.encode(), sources_dir=folder).messages)
