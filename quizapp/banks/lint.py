"""`quizapp lint`: every message about a set of bank files, as text or JSON.

Text lines read `path:line:col: error|warning: message (hint)`, sorted by path, line
and column, so editors and CI logs can jump to them. Exit codes: 0 when there is no
error (warnings alone still give 0), 1 when there is any error, 2 for a usage
problem such as a path that does not exist.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from quizapp.banks.loader import (
    BANK_SUFFIXES,
    BUNDLED_PREFIX,
    LoadedBank,
    PathLike,
    bank_paths,
    load_paths,
    mark_duplicate_banks,
)
from quizapp.banks.messages import LintMessage, excerpt, sorted_messages
from quizapp.banks.parse import DEFAULT_MAX_BYTES, parse_bytes
from quizapp.banks.summary import Counts, format_summary, summarise

EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json")


class UsageError(ValueError):
    """A path that does not exist, an unknown format: the command was used wrongly."""


def expand_paths(paths: Sequence[PathLike]) -> list[Path]:
    """Files as given, folders as their bank files (sorted); each file once."""
    if not paths:
        raise UsageError("give at least one bank file or folder")
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(bank_paths(path))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"no such file or folder: {os.fspath(raw)}")
    return list(dict.fromkeys(files))


def lint_paths(
    paths: Sequence[PathLike],
    sources_dir: PathLike | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[LintMessage]:
    """All messages for the files and folders given, sorted. `UsageError` for a bad path.

    A large set of files is linted in parallel, one process per core.
    """
    return _messages(_load(expand_paths(paths), sources_dir, max_bytes, keep_banks=False))


def _load(files: Sequence[Path], sources_dir: PathLike | None, max_bytes: int,
          keep_banks: bool, bundled: PathLike | None = None) -> list[LoadedBank]:
    loaded = load_paths(files, sources_dir=sources_dir, max_bytes=max_bytes,
                        keep_banks=keep_banks)
    return mark_duplicate_banks(loaded, bundled_claims(bundled, files))


def bundled_claims(bundled: PathLike | None, linted: Sequence[Path]) -> dict[str, str]:
    """The bank ids the bundled banks serve, each with the name sync records its file
    under (`bundled/<file>`); files among those being linted are left out, so the
    bundled banks linted themselves are not their own clash.

    Sync loads the bundled banks first, so a teachers' file declaring one of these ids
    is refused there; lint says so before it gets that far. Only each file's `id` is
    read (the bundled banks are checked when they are built, not here).
    """
    if bundled is None or not Path(bundled).is_dir():
        return {}
    skipped = {path.resolve() for path in linted}
    claims: dict[str, str] = {}
    for path in bank_paths(bundled):
        if path.resolve() in skipped:
            continue
        parsed = parse_bytes(str(path), path.read_bytes(), max_bytes=DEFAULT_MAX_BYTES)
        bank_id = parsed.data.get("id") if parsed.data is not None else None
        if isinstance(bank_id, str):
            claims.setdefault(bank_id, BUNDLED_PREFIX + path.name)
    return claims


def _messages(loaded: Sequence[LoadedBank]) -> list[LintMessage]:
    return sorted_messages([m for item in loaded for m in item.messages])


def summaries(loaded: Sequence[LoadedBank]) -> list[tuple[str, list[Counts] | None]]:
    """(path, counts) per file; counts is None for a file whose bank did not load."""
    return [(item.path, summarise(item.bank) if item.bank is not None else None)
            for item in loaded]


def file_lines(path: str) -> list[str]:
    """A file's lines for showing messages in context; none when it cannot be read."""
    try:
        return Path(path).read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def format_text(messages: Sequence[LintMessage], files: int,
                lines_of: Callable[[str], Sequence[str]] | None = None) -> str:
    """One line per message; with `lines_of`, each followed by the line it points at
    and a caret under the column."""
    lines = []
    cache: dict[str, Sequence[str]] = {}
    for m in messages:
        lines.append(m.format())
        if lines_of is None:
            continue
        if m.path not in cache:
            cache[m.path] = lines_of(m.path)
        shown = excerpt(cache[m.path], m.line, m.col)
        if shown is not None:
            lines += [f"    {shown[0]}", f"    {shown[1]}"]
    errors = sum(1 for m in messages if m.is_error)
    warnings = len(messages) - errors
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if not messages:
        lines.append(f"{checked}: no problems")
    else:
        lines.append(f"{checked}: {errors} error{'s' if errors != 1 else ''}, "
                     f"{warnings} warning{'s' if warnings != 1 else ''}")
    return "\n".join(lines)


def format_json(messages: Sequence[LintMessage],
                summary: Sequence[tuple[str, list[Counts] | None]] | None = None) -> str:
    """A list of messages; with a summary, an object {"messages": [...], "summary": [...]}."""
    listed = [m.to_dict() for m in messages]
    if summary is None:
        return json.dumps(listed, indent=2, ensure_ascii=False)
    files = [{"path": path, "counts": None if counts is None else [c.to_dict() for c in counts]}
             for path, counts in summary]
    return json.dumps({"messages": listed, "summary": files}, indent=2, ensure_ascii=False)


def exit_code(messages: Sequence[LintMessage]) -> int:
    return EXIT_ERRORS if any(m.is_error for m in messages) else EXIT_CLEAN


def run_lint(
    paths: Sequence[PathLike],
    fmt: str = "text",
    sources_dir: PathLike | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    summary: bool = False,
    bundled: PathLike | None = None,
) -> tuple[str, int]:
    """What `quizapp lint` prints and its exit code; `summary` adds the counts per bank
    and quiz (see `quizapp.banks.summary`); `bundled`, the folder of the bundled banks,
    whose ids no other file may declare (`bundled_claims`)."""
    if fmt not in FORMATS:
        return f"quizapp lint: unknown format '{fmt}'; use one of {', '.join(FORMATS)}", EXIT_USAGE
    try:
        files = expand_paths(paths)
    except UsageError as exc:
        return f"quizapp lint: {exc}", EXIT_USAGE
    loaded = _load(files, sources_dir, max_bytes, keep_banks=summary, bundled=bundled)
    messages = _messages(loaded)
    counts = summaries(loaded) if summary else None
    if fmt == "json":
        return format_json(messages, counts), exit_code(messages)
    output = format_text(messages, len(files), file_lines)
    if counts is not None:
        output = "\n".join([*(format_summary(path, c) for path, c in counts), output])
    return output, exit_code(messages)


__all__ = [
    "BANK_SUFFIXES",
    "EXIT_CLEAN",
    "EXIT_ERRORS",
    "EXIT_USAGE",
    "UsageError",
    "bundled_claims",
    "exit_code",
    "expand_paths",
    "format_json",
    "format_text",
    "lint_paths",
    "run_lint",
]
