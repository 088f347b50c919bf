"""Aiken, Moodle's simplest format: single-choice questions, one right answer.

    What gauge do Belarus's railways use?
    A. 1,520 mm
    B) 1,435 mm
    ANSWER: A

The question's text is every line before the first option (Moodle joins them); an
option is a capital letter, `.` or `)`, a space or tab, and its text; `ANSWER:` names
the right option's letter and ends the question. Blank lines between questions are
optional, as in Moodle's importer.
"""

from __future__ import annotations

import re
from typing import Any

from quizapp.banks.interchange import (
    DEFAULT_MAX_IMPORT_BYTES,
    IdMaker,
    ImportedBank,
    ImportFailure,
    Problem,
    decode,
    plain_to_markdown,
    words_for_id,
)

_OPTION = re.compile(r"^([A-Z])[.)][ \t]+(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*(.*)$")


def read_aiken(data: bytes, *, max_bytes: int = DEFAULT_MAX_IMPORT_BYTES) -> ImportedBank:
    lines = decode(data, max_bytes)
    imported = ImportedBank()
    problems: list[Problem] = []
    ids = IdMaker()
    text: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if (answer := _ANSWER.match(line)) is not None:
            question = _question(text, options, answer.group(1).strip(),
                                 start if text else number, problems)
            if question is not None:
                question = {"id": ids.make(words_for_id(" ".join(text)), "question"), **question}
                imported.lines[question["id"]] = start
                imported.questions.append(question)
            text, options = [], []
            continue
        if (option := _OPTION.match(line)) is not None and text:
            options.append((option.group(1), option.group(2).strip()))
            continue
        if options:
            problems.append(Problem(number, "a line after the options that is neither an "
                                            "option (A. text) nor ANSWER: X"))
            continue
        if not text:
            start = number
        text.append(line)
    if text or options:
        problems.append(Problem(start, "the last question has no ANSWER: line"))
    if not imported.questions and not problems:
        problems.append(Problem(1, "the file holds no question"))
    if problems:
        raise ImportFailure(problems)
    return imported


def _question(text: list[str], options: list[tuple[str, str]], answer: str, line: int,
              problems: list[Problem]) -> dict[str, Any] | None:
    if not text:
        problems.append(Problem(line, "ANSWER: without a question before it"))
        return None
    if len(options) < 2:
        problems.append(Problem(line, f"a question needs at least two options (A. … B. …); "
                                      f"found {len(options)}"))
        return None
    letters = [letter for letter, _ in options]
    if len(set(letters)) != len(letters):
        problems.append(Problem(line, "two options have the same letter"))
        return None
    if answer[:1] not in letters:
        problems.append(Problem(line, f"ANSWER: {answer!r} is not one of the options' letters "
                                      f"({', '.join(letters)})"))
        return None
    return {
        "type": "single_choice",
        "prompt": plain_to_markdown("\n".join(text)),
        "options": [{"text": plain_to_markdown(body), **({"correct": True}
                     if letter == answer[0] else {})} for letter, body in options],
    }
