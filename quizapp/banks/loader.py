"""The one way bank files are loaded: the app, `quizapp lint`, `quizapp dump`, the
database sync and the teacher upload page all come through here, so they all see
the same banks and the same messages.

One file loads in the calling thread. Many files at once (`load_paths`,
`load_texts`, `load_folder`) load in one worker process per core when there is
enough YAML to be worth it; the workers send back their messages and the plain data,
and this process validates the data again into models (a few milliseconds per
thousand questions), because pydantic models are slow to send between processes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from quizapp.banks import grounding
from quizapp.banks.checks import check_parsed
from quizapp.banks.messages import LintMessage, sorted_messages
from quizapp.banks.parse import DEFAULT_MAX_BYTES, gc_paused, parse_bytes
from quizapp.banks.schema import BankFile

BANK_SUFFIXES = (".yaml", ".yml")
# Files of the banks shipped with the package are recorded under this prefix, so a
# teacher's file of the same name is a different file, and syncing one folder never
# retires the other folder's banks.
BUNDLED_PREFIX = "bundled/"
PathLike = str | os.PathLike[str]
# Below this much YAML, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 512 * 1024
MAX_WORKERS = 4

T = TypeVar("T")
R = TypeVar("R")
# What a worker sends back: the outcome without models, and the data to rebuild them.
Shipped = tuple["LoadedBank", dict[str, Any] | None]


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


# -- one bank ---------------------------------------------------------------------------
def _file_name_warning(name: str, bank: BankFile | None,
                       id_at: tuple[int, int]) -> list[LintMessage]:
    stem = Path(name).stem
    if bank is None or stem == bank.id:
        return []
    return [LintMessage(name, *id_at, "warning",
                        f"the file is named '{Path(name).name}' but the bank id is '{bank.id}'",
                        f"name the file {bank.id}.yaml, so each bank is easy to find")]


def _load(name: str, data: bytes, sources_dir: PathLike | None,
          max_bytes: int) -> tuple[LoadedBank, dict[str, Any] | None]:
    """The outcome, and the plain data it was validated from (None when it failed)."""
    with gc_paused():
        parsed = parse_bytes(name, data, max_bytes=max_bytes)
        try:
            bank, messages = check_parsed(parsed, grounding.sources_folder(sources_dir))
        except Exception as exc:  # a bug must reach the teacher as a message, not a crash
            bank, messages = None, [LintMessage(
                name, 1, 1, "error",
                f"the bank could not be checked ({type(exc).__name__}: {exc})",
                "this is a fault in quizapp; please report it with the file")]
    id_at = parsed.positions.locate(("id",)) if parsed.positions is not None else (1, 1)
    messages = messages + _file_name_warning(name, bank, id_at)
    loaded = LoadedBank(name, file_hash(data), bank, tuple(sorted_messages(messages)), id_at,
                        bank.id if bank is not None else None)
    return loaded, (parsed.data if bank is not None else None)


def load_bank_text(
    name: str,
    data: bytes,
    *,
    sources_dir: PathLike | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadedBank:
    """Load a bank from bytes (an upload, a file already read). Never raises on bad input.

    `name` is what messages call the file. Grounding reads sources from
    `sources_dir`, else from $QUIZAPP_SOURCES_DIR; with neither, each cited source
    gets a warning that its quotes are not checked.
    """
    return _load(name, data, sources_dir, max_bytes)[0]


def _read(name: str, max_bytes: int) -> bytes | LoadedBank:
    """The file's bytes, or the failed outcome when it cannot be read or is too large."""
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
    return data


def _load_path(name: str, sources_dir: PathLike | None,
               max_bytes: int) -> tuple[LoadedBank, dict[str, Any] | None]:
    data = _read(name, max_bytes)
    if isinstance(data, LoadedBank):
        return data, None
    return _load(name, data, sources_dir, max_bytes)


def load_bank(
    path: PathLike, *, sources_dir: PathLike | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> LoadedBank:
    """Load a bank file. A file that cannot be read gives an error message, not an exception."""
    return _load_path(os.fspath(path), sources_dir, max_bytes)[0]


# -- many banks --------------------------------------------------------------------------
def worker_count(total_bytes: int, jobs: int) -> int:
    """How many processes to load with: one per core for a large set of files.

    Workers are forked, which is only safe while this process runs a single thread,
    so inside a threaded server everything loads in the calling thread.
    """
    cores = os.cpu_count() or 1
    if jobs < 2 or cores < 2 or total_bytes < PARALLEL_MIN_BYTES:
        return 1
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(jobs, cores, MAX_WORKERS)


def in_workers(function: Callable[[T], R], jobs: Sequence[T], workers: int) -> list[R] | None:
    """`function` over `jobs` in forked worker processes, in order; None if none started."""
    try:
        context = multiprocessing.get_context("fork")
        # Unpickling the results builds as many containers as parsing did.
        with gc_paused(), ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(function, jobs))
    except (OSError, BrokenProcessPool):
        return None  # no processes to be had: the caller loads here instead


def _rebuild(shipped: Shipped, keep_bank: bool) -> LoadedBank:
    loaded, data = shipped
    if not keep_bank or data is None:
        return loaded
    with gc_paused():
        return dataclasses.replace(loaded, bank=BankFile.model_validate(data))


def _path_job(job: tuple[str, str | None, int, bool]) -> Shipped:
    name, sources_dir, max_bytes, keep_data = job
    loaded, data = _load_path(name, sources_dir, max_bytes)
    return loaded.without_bank(), (data if keep_data else None)


def _text_job(job: tuple[str, bytes, str | None, int]) -> Shipped:
    name, data, sources_dir, max_bytes = job
    loaded, raw = _load(name, data, sources_dir, max_bytes)
    return loaded.without_bank(), raw


def _folder(sources_dir: PathLike | None) -> str | None:
    return None if sources_dir is None else os.fspath(sources_dir)


def load_paths(
    paths: Sequence[PathLike],
    *,
    sources_dir: PathLike | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    keep_banks: bool = True,
) -> list[LoadedBank]:
    """Load many files, in parallel when large; in the given order.

    With `keep_banks=False` only the messages are wanted (linting), and no models
    are rebuilt. Two files declaring one bank id are not checked here: see
    `mark_duplicate_banks`.
    """
    names = [os.fspath(p) for p in paths]
    total = sum(os.path.getsize(n) for n in names if os.path.isfile(n))
    workers = worker_count(total, len(names))
    if workers > 1:
        jobs = [(n, _folder(sources_dir), max_bytes, keep_banks) for n in names]
        shipped = in_workers(_path_job, jobs, workers)
        if shipped is not None:
            return [_rebuild(s, keep_banks) for s in shipped]
    loaded = [load_bank(n, sources_dir=sources_dir, max_bytes=max_bytes) for n in names]
    return loaded if keep_banks else [item.without_bank() for item in loaded]


def load_texts(
    items: Sequence[tuple[str, bytes]],
    *,
    sources_dir: PathLike | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[LoadedBank]:
    """`load_bank_text` for many (name, bytes) pairs, in parallel when large; in order."""
    workers = worker_count(sum(len(data) for _, data in items), len(items))
    if workers > 1:
        jobs = [(name, data, _folder(sources_dir), max_bytes) for name, data in items]
        shipped = in_workers(_text_job, jobs, workers)
        if shipped is not None:
            return [_rebuild(s, True) for s in shipped]
    return [load_bank_text(name, data, sources_dir=sources_dir, max_bytes=max_bytes)
            for name, data in items]


def bank_paths(folder: PathLike) -> list[Path]:
    """The bank files in a folder, sorted by name."""
    base = Path(folder)
    return sorted(p for p in base.iterdir() if p.is_file() and p.suffix in BANK_SUFFIXES)


def bank_id_taken(path: str, bank_slug: str, owner: str,
                  at: tuple[int, int] = (1, 1)) -> LintMessage:
    """The error for a file declaring a bank id that another file already serves, as
    sync and `quizapp lint` both word it, naming both files."""
    return LintMessage(
        path, *at, "error",
        f"bank id '{bank_slug}' is already used by {owner}; give this bank its own id",
    )


def mark_duplicate_banks(
    loaded: Iterable[LoadedBank], claimed: Mapping[str, str] | None = None
) -> list[LoadedBank]:
    """A bank id declared by two files is an error on the second (in the given order).

    `claimed` maps bank ids that other files already serve to those files' names (the
    bundled banks, which sync loads before the teachers' folder): a file declaring
    one of them is refused as sync refuses it (`bank_id_taken`).
    """
    owners: dict[str, str] = {}
    result = []
    for item in loaded:
        if item.bank_id is not None and claimed and item.bank_id in claimed:
            clash = bank_id_taken(item.path, item.bank_id, claimed[item.bank_id], item.id_at)
            messages = tuple(sorted_messages([*item.messages, clash]))
            result.append(dataclasses.replace(item, bank=None, messages=messages, bank_id=None))
            continue
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
    """Every *.yaml and *.yml file in a folder (not its subfolders), sorted by name.

    A bank id declared by two files is an error on the second.
    """
    loaded = load_paths(bank_paths(folder), sources_dir=sources_dir, max_bytes=max_bytes)
    return mark_duplicate_banks(loaded)
