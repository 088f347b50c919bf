"""Question bank files: parse, validate, lint and dump them. Pure Python: no Flask,
no database. Everything that reads a bank file goes through `load_bank` or
`load_bank_text`, so the app, the CLI and the upload page agree on every message.
"""

from quizapp.banks.dump import FORMAT, dump_banks, run_dump
from quizapp.banks.lint import lint_paths, run_lint
from quizapp.banks.loader import (
    LoadedBank,
    file_hash,
    load_bank,
    load_bank_text,
    load_folder,
    load_paths,
    load_texts,
)
from quizapp.banks.messages import LintMessage
from quizapp.banks.parse import DEFAULT_MAX_BYTES, MAX_DEPTH
from quizapp.banks.schema import BankFile, Quiz, Select, Source, Topic

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMAT",
    "MAX_DEPTH",
    "BankFile",
    "LintMessage",
    "LoadedBank",
    "Quiz",
    "Select",
    "Source",
    "Topic",
    "dump_banks",
    "file_hash",
    "lint_paths",
    "load_bank",
    "load_bank_text",
    "load_folder",
    "load_paths",
    "load_texts",
    "run_dump",
    "run_lint",
]
