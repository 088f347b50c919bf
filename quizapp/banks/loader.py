"""The one way bank files are loaded: the app, `quizapp lint`, `quizapp dump`, the
database sync and the teacher upload page all come through here, so they all see
the same banks and the same messages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from quizapp.banks import grounding
from quizapp.banks.checks import check_parsed
from quizapp.banks.messages import LintMessage, sorted_messages
from quizapp.banks.parse import DEFAULT_MAX_BYTES, gc_paused, parse_bytes
from quizapp.banks.schema import BankFile

BANK_SUFFIXES = (".yaml", ".yml")
PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class LoadedBank:
    """One file's outcome. `bank` is None when any message is an error."""

    path: str
    file_hash: str  # sha256 of the file's bytes, hex
    bank: BankFile | None
    messages: tuple[LintMessage, ...]
    id_at: tuple[int, int] = (1, 1)  # line and column of the bank's `id`, for messages
    bank_id: str | None = None  # the id of the bank when it loaded

    def without_bank(self) -> LoadedBank:
        """The same outcome without the models: cheap to send between processes."""
        return dataclasses.replace(self, bank=None)

    @property
    def ok(self) -> bool:
        return self.bank is not None

    @property
    def errors(self) -> list[LintMessage]:
        return [m for m in self.messages if m.severity == "error"]

    @property
    def warnings(self) -> list[LintMessage]:
        return [m for m in self.messages if m.severity == "warning"]


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_name_warning(name: str, bank: BankFile | None,
                       id_at: tuple[int, int]) -> list[LintMessage]:
    stem = Path(name).stem
    if bank is None or stem == bank.id:
        return []
    return [LintMessage(name, *id_at, "warning",
                        f"the file is named '{Path(name).name}' but the bank id is '{bank.id}'",
                        f"name the file {bank.id}.yaml, so each bank is easy to find")]


def load_bank_text(
    name: str,
    data: bytes,
    *,
    sources_dir: PathLike | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadedBank:
    """Load a bank from bytes (an upload, a file already read). Never raises on bad input.

    `name` is what messages call the file. Grounding reads sources from
    `sources_dir`, else from $QUIZAPP_SOURCES_DIR; with neither it is skipped.
    """
    with gc_paused():
        return _load(name, data, sources_dir, max_bytes)


def _load(name: str, data: bytes, sources_dir: PathLike | None, max_bytes: int) -> LoadedBank:
    parsed = parse_bytes(name, data, max_bytes=max_bytes)
    try:
        bank, messages = check_parsed(parsed, grounding.sources_folder(sources_dir))
    except Exception as exc:  # a bug must reach the teacher as a message, not a page error
        bank, messages = None, [LintMessage(
            name, 1, 1, "error", f"the bank could not be checked ({type(exc).__name__}: {exc})",
            "this is a fault in quizapp; please report it with the file")]
    id_at = parsed.positions.locate(("id",)) if parsed.positions is not None else (1, 1)
    messages = messages + _file_name_warning(name, bank, id_at)
    return LoadedBank(name, file_hash(data), bank, tuple(sorted_messages(messages)), id_at,
                      bank.id if bank is not None else None)


def load_bank(
    path: PathLike, *, sources_dir: PathLike | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> LoadedBank:
    """Load a bank file. A file that cannot be read gives an error message, not an exception."""
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        # Read at most one byte past the limit: enough to know the file is too large.
        with open(name, "rb") as handle:
            data = handle.read(max_bytes + 1) if size > max_bytes else handle.read()
    except OSError as exc:
        message = LintMessage(name, 1, 1, "error", f"cannot read the file: {exc.strerror}")
        return LoadedBank(name, "", None, (message,))
    if size > max_bytes:
        too_big = LintMessage(name, 1, 1, "error",
                              f"the file is {size:,} bytes; a bank file may have at most "
                              f"{max_bytes:,}", "split the questions into several bank files")
        return LoadedBank(name, file_hash(data), None, (too_big,))
    return load_bank_text(name, data, sources_dir=sources_dir, max_bytes=max_bytes)


def bank_paths(folder: PathLike) -> list[Path]:
    """The bank files in a folder, sorted by name."""
    base = Path(folder)
    return sorted(p for p in base.iterdir() if p.is_file() and p.suffix in BANK_SUFFIXES)


def mark_duplicate_banks(loaded: Iterable[LoadedBank]) -> list[LoadedBank]:
    """A bank id declared by two files is an error on the second (in the given order)."""
    owners: dict[str, str] = {}
    result = []
    for item in loaded:
        if item.bank_id is None or item.bank_id not in owners:
            if item.bank_id is not None:
                owners[item.bank_id] = item.path
            result.append(item)
            continue
        clash = LintMessage(item.path, *item.id_at, "error",
                            f"bank id '{item.bank_id}' is already declared by "
                            f"{owners[item.bank_id]}", "give this bank its own id")
        messages = tuple(sorted_messages([*item.messages, clash]))
        result.append(dataclasses.replace(item, bank=None, messages=messages, bank_id=None))
    return result


def load_folder(
    folder: PathLike, *, sources_dir: PathLike | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[LoadedBank]:
    """Every *.yaml and *.yml file in a folder (not its subfolders), sorted by name."""
    loaded = [load_bank(p, sources_dir=sources_dir, max_bytes=max_bytes)
              for p in bank_paths(folder)]
    return mark_duplicate_banks(loaded)
