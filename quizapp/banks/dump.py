"""`quizapp dump`: the banks in their stable machine form, one JSON document.

Every default is filled in, so a consumer never has to know them: quizzes carry their
resolved `feedback` and the ids of the questions they select. The shape is
documented in docs/bank-json.md and versioned by `format`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from quizapp.banks.lint import EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE, UsageError, expand_paths
from quizapp.banks.loader import LoadedBank, PathLike, load_paths, mark_duplicate_banks
from quizapp.banks.messages import sorted_messages
from quizapp.banks.schema import BankFile, Quiz

FORMAT = "quizapp-banks/1"


def quiz_dict(bank: BankFile, quiz: Quiz) -> dict[str, Any]:
    data = quiz.model_dump(mode="json")
    data["question_ids"] = [q.id for q in bank.quiz_questions(quiz)]
    return data


def bank_dict(bank: BankFile) -> dict[str, Any]:
    return {
        "id": bank.id,
        "title": bank.title,
        "description": bank.description,
        "language": bank.language,
        "sources": [s.model_dump(mode="json") for s in bank.sources],
        "topics": [t.model_dump(mode="json") for t in bank.topics],
        "quizzes": [quiz_dict(bank, q) for q in bank.quizzes],
        "questions": [q.model_dump(mode="json") for q in bank.questions],
    }


def dump_banks(loaded: Iterable[LoadedBank]) -> dict[str, Any]:
    """The machine form of every bank that loaded, sorted by bank id."""
    banks = sorted((item.bank for item in loaded if item.bank is not None), key=lambda b: b.id)
    return {"format": FORMAT, "banks": [bank_dict(b) for b in banks]}


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)


def run_dump(paths: Sequence[PathLike], sources_dir: PathLike | None = None) -> tuple[str, int]:
    """What `quizapp dump` prints and its exit code.

    With any error in any file nothing is dumped: the output is the messages (for
    stderr) and the exit code 1, because a partial dump would look complete.
    """
    try:
        files = expand_paths(paths)
    except UsageError as exc:
        return f"quizapp dump: {exc}", EXIT_USAGE
    loaded = mark_duplicate_banks(load_paths(files, sources_dir=sources_dir))
    if any(item.bank is None for item in loaded):
        messages = sorted_messages([m for item in loaded for m in item.messages])
        return "\n".join(m.format() for m in messages), EXIT_ERRORS
    return dumps(dump_banks(loaded)), EXIT_CLEAN
