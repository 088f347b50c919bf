"""A bank file's history: versions, restoring, retiring, and accepting a response.

Every upload, edit, sync, restore or accepted response that changes a teacher's bank
file stores a version: the whole text, who, when, and a line diff (difflib) against
the version before. Restoring saves an old text again as a new version, so history
only grows. Saving itself (check with the loader, refuse on errors, write
atomically, sync) is `services.banks.upload_bank`, the same path as an upload.
"""

from __future__ import annotations

import difflib
import fcntl
import hashlib
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent
from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.banks.sync import BUNDLED_PREFIX, sync_folder
from quizapp.models import BankVersion, utcnow

ACTIONS = ("upload", "edit", "sync", "restore", "accept")
BUNDLED_MESSAGE = ("This bank is bundled with quizapp and read-only. Download it, give it a "
                   "new file name and bank id, and upload the copy to change it.")
# Retired files are moved here, out of the folder's sync, and can be moved back.
RETIRED_DIR = ".retired"


class VersionError(Exception):
    """A refused change to a bank file; `status` is the HTTP status a view should use."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def line_diff(old: str, new: str, name: str) -> tuple[str, int, int]:
    """A unified line diff from `old` to `new`, with the lines added and removed."""
    lines = list(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True),
        fromfile=f"{name} (before)", tofile=name, n=2,
    ))
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("---"))
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines), added, removed


def latest_version(session: Session, file_name: str) -> BankVersion | None:
    return session.scalar(
        select(BankVersion).where(BankVersion.file_name == file_name)
        .order_by(BankVersion.id.desc()).limit(1)
    )


def record_version(
    session: Session,
    file_name: str,
    data: bytes,
    *,
    bank_slug: str | None,
    action: str,
    user_id: int | None,
    note: str | None = None,
) -> BankVersion | None:
    """Add a version when the text differs from the newest one; the caller commits."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    text = data.decode("utf-8", errors="replace")
    digest = hashlib.sha256(data).hexdigest()
    previous = latest_version(session, file_name)
    if previous is not None and previous.content_hash == digest:
        return None
    diff, added, removed = line_diff(previous.content if previous else "", text, file_name)
    version = BankVersion(
        file_name=file_name, bank_slug=bank_slug, action=action, user_id=user_id,
        created_at=utcnow(), content=text, content_hash=digest, diff=diff,
        lines_added=added, lines_removed=removed, note=note,
    )
    session.add(version)
    return version


def versions(session: Session, file_name: str) -> list[BankVersion]:
    """Newest first."""
    return list(session.scalars(
        select(BankVersion).where(BankVersion.file_name == file_name)
        .order_by(BankVersion.id.desc())
    ))


def get_version(session: Session, file_name: str, version_id: int) -> BankVersion:
    version = session.get(BankVersion, version_id)
    if version is None or version.file_name != file_name:
        raise VersionError("There is no such version of this file.", 404)
    return version


# -- where a file may be written ------------------------------------------------------------
def editable_path(folder: Path, bundled: Path | None, file_name: str) -> Path:
    """The teacher's file to overwrite; refuses bundled, read-only and missing files."""
    if bundled is not None and folder.resolve() == bundled.resolve():
        raise VersionError(BUNDLED_MESSAGE, 403)
    if file_name.startswith(BUNDLED_PREFIX):
        raise VersionError(BUNDLED_MESSAGE, 403)
    path = folder / file_name
    if Path(file_name).name != file_name or not path.is_file():
        # Looked for aside only once the file is found missing: a retire moving it
        # between two looks would otherwise make it seem to be in neither place.
        if Path(file_name).name == file_name and (folder / RETIRED_DIR / file_name).is_file():
            raise VersionError("This bank is retired; bring it back into service first.", 409)
        if bundled is not None and (bundled / file_name).is_file():
            raise VersionError(
                "This bank is bundled with quizapp and read-only. Download it, give it a "
                "new file name and bank id, and upload the copy to change it.", 403)
        raise VersionError("This bank's file is not in the questions folder.", 404)
    return path


def baseline(session: Session, folder: Path, file_name: str, bank_slug: str | None) -> None:
    """Keep the file as it is on disk as a version before the first change through the
    browser (a file copied into the folder by hand has no version yet)."""
    path = folder / file_name
    if path.is_file() and latest_version(session, file_name) is None:
        record_version(session, file_name, path.read_bytes(), bank_slug=bank_slug,
                       action="sync", user_id=None, note="as found in the folder")
        session.commit()


# -- retiring -------------------------------------------------------------------------------
@contextmanager
def file_lock(folder: Path, file_name: str) -> Iterator[None]:
    """Serialise read-modify-write changes of one bank file across threads and workers."""
    locks = folder / RETIRED_DIR
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f".{file_name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def retire_file(session: Session, folder: Path, file_name: str, max_bytes: int) -> None:
    """Move the file aside and sync: its bank and quizzes retire, attempts stay readable."""
    path = editable_path(folder, None, file_name)
    aside = folder / RETIRED_DIR
    aside.mkdir(exist_ok=True)
    try:
        # A rename is atomic: of two retires at once, one moves the file, one finds it gone.
        os.rename(path, aside / file_name)
    except FileNotFoundError:
        raise VersionError("This bank is already retired.", 409) from None
    sync_folder(session, folder, max_bytes=max_bytes)


def retired_files(folder: Path) -> list[str]:
    aside = folder / RETIRED_DIR
    return sorted(p.name for p in aside.iterdir() if p.is_file()) if aside.is_dir() else []


def unretire_file(session: Session, folder: Path, file_name: str, max_bytes: int) -> None:
    source = folder / RETIRED_DIR / file_name
    if Path(file_name).name != file_name or not source.is_file():
        raise VersionError("There is no retired bank file with that name.", 404)
    if (folder / file_name).exists():
        raise VersionError(f"{file_name} is already in the questions folder.", 409)
    try:
        os.rename(source, folder / file_name)
    except FileNotFoundError:
        raise VersionError("This bank is already back in service.", 409) from None
    sync_folder(session, folder, max_bytes=max_bytes)


# -- accepting a response -------------------------------------------------------------------
@dataclass(frozen=True)
class Accepted:
    text: str  # the bank file's new text
    summary: str  # what was added, in words


def _yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a teacher's long lines
    # Write lists indented the way the file indents them ("  - id:" or "- id:").
    _data, sequence, offset = load_yaml_guess_indent(text)
    sequence = sequence or 2
    offset = offset or 0
    yaml.indent(mapping=sequence - offset if offset else sequence, sequence=sequence,
                offset=offset)
    return yaml


def accept_response(
    text: str, question_id: str, value: str, *, blank: str | None = None,
    number: float | None = None,
) -> Accepted:
    """The bank text with `value` accepted for a short-text question (or blank), or
    with `number` added as a right value of a numeric one; comments and layout kept."""
    try:
        yaml = _yaml(text)
        document = yaml.load(text)
    except YAMLError as error:
        raise VersionError(f"The bank file does not parse: {error}", 422) from None
    questions = document.get("questions") if isinstance(document, CommentedMap) else None
    question = next((q for q in questions or () if isinstance(q, CommentedMap)
                     and str(q.get("id")) == question_id), None)
    if question is None:
        raise VersionError(f"There is no question {question_id!r} in the file.", 404)
    target: Any = question
    where = f"question {question_id}"
    if blank:
        blanks = question.get("blanks")
        if not isinstance(blanks, CommentedMap) or blank not in blanks:
            raise VersionError(f"Question {question_id!r} has no blank {blank!r}.", 404)
        target = blanks[blank]
        where += f", blank {blank}"
    kind = target.get("type")
    answers = target.get("answers")
    if not isinstance(answers, CommentedSeq):
        raise VersionError(f"{where} has no answers list to add to.", 422)
    if kind == "numeric":
        if number is None:
            raise VersionError("Only a number can be accepted for a numeric question.", 422)
        rule = CommentedMap()
        rule["value"] = int(number) if float(number).is_integer() else number
        answers.append(rule)
        summary = f"accepted the value {rule['value']} for {where}"
    elif kind == "short_text":
        full = next((r for r in answers if isinstance(r, CommentedMap)
                     and float(r.get("fraction", 1)) >= 1 and "accept" in r), None)
        if full is None:
            raise VersionError(f"{where} has no full-marks rule with an accept list.", 422)
        rule = full
        if value in [str(a) for a in rule["accept"]]:
            raise VersionError(f"{value!r} is already accepted for {where}.", 409)
        rule["accept"].append(value)
        summary = f"accepted {value!r} for {where}"
    else:
        raise VersionError(f"Responses can be accepted for short text and numeric "
                           f"questions, not for {kind!r}.", 422)
    out = io.StringIO()
    yaml.dump(document, out)
    return Accepted(out.getvalue(), summary)
