"""Banks as teachers see them: status, reload, upload, previews."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.banks.loader import load_bank_text
from quizapp.banks.sync import (
    BANK_SUFFIXES,
    BUNDLED_PREFIX,
    SyncReport,
    file_problem,
    message_dicts,
    other_file_serving,
    sync_file,
    sync_folder,
)
from quizapp.config import make_private_dir
from quizapp.models import Bank, BankFile, Question, QuestionVersion
from quizapp.qtypes.base import QuestionSpec
from quizapp.services.attempts import spec_of
from quizapp.services.bank_versions import record_version

SAFE_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")


@dataclass(frozen=True)
class BankStatus:
    file: BankFile
    bank: Bank | None
    question_count: int


def bank_overview(session: Session) -> list[BankStatus]:
    files = session.scalars(select(BankFile).order_by(BankFile.name)).all()
    result = []
    for bank_file in files:
        bank = bank_file.bank
        count = 0
        if bank is not None:
            count = sum(1 for q in bank.questions if not q.retired)
        result.append(BankStatus(file=bank_file, bank=bank, question_count=count))
    return result


def reload_folder(session: Session, folder: Path, max_bytes: int,
                  sources_dir: Path | None = None, user_id: int | None = None) -> SyncReport:
    """Sync the teachers' folder, grounded against `sources_dir` (the SOURCES_DIR
    setting); the bundled banks change only with the package."""
    report = sync_folder(session, folder, max_bytes=max_bytes, sources_dir=sources_dir)
    record_synced_versions(session, folder, report.loaded, user_id)
    return report


def record_synced_versions(
    session: Session, folder: Path, names: list[str], user_id: int | None = None
) -> None:
    """Each teachers' file that loaded anew becomes a version of its bank file (bundled
    files, recorded under their prefix, are not in `folder` and are skipped)."""
    for name in names:
        bank_file = session.scalar(select(BankFile).where(BankFile.name == name))
        if bank_file is None or bank_file.status != "ok" or not (folder / name).is_file():
            continue
        slug = bank_file.bank.slug if bank_file.bank else None
        record_version(session, name, (folder / name).read_bytes(), bank_slug=slug,
                       action="sync", user_id=user_id)
    session.commit()


@dataclass
class UploadResult:
    file_name: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    bank_slug: str | None = None

    @property
    def ok(self) -> bool:
        return self.bank_slug is not None


def upload_bank(
    session: Session, folder: Path, file_name: str, data: bytes, max_bytes: int,
    sources_dir: Path | None = None,
    *, user_id: int | None = None, action: str = "upload", note: str | None = None,
) -> UploadResult:
    """Check an uploaded bank with the same loader as the folder; save it only when clean.

    `folder` is the teachers' bank folder (the `QUESTIONS_DIR` setting, in the data
    folder): uploads never go into the package, so upgrades cannot delete them.
    """
    name = Path(file_name.replace("\\", "/")).name
    if not SAFE_FILE_NAME.match(name) or not name.endswith(BANK_SUFFIXES):
        return UploadResult(name or "upload", [file_problem(
            name or "upload",
            "a bank file name uses letters, digits, dots, dashes or underscores "
            "and ends in .yaml or .yml",
        )])
    loaded = load_bank_text(name, data, max_bytes=max_bytes, sources_dir=sources_dir)
    messages = message_dicts(loaded)
    if loaded.bank is None:
        return UploadResult(name, messages)
    owner = other_file_serving(session, name, loaded.bank.id)
    if owner is not None:
        advice = ("bundled banks cannot be replaced; change the id" if
                  owner.startswith(BUNDLED_PREFIX) else
                  "upload it under that file name to replace it, or change the id")
        return UploadResult(name, [*messages, file_problem(
            name, f"bank id '{loaded.bank.id}' is already used by {owner}; {advice}")])
    write_atomically(folder / name, data)
    sync_file(session, name, data, max_bytes=max_bytes, sources_dir=sources_dir)
    record_version(session, name, data, bank_slug=loaded.bank.id, action=action,
                   user_id=user_id, note=note)
    session.commit()
    return UploadResult(name, messages, bank_slug=loaded.bank.id)


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of it."""
    make_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class QuestionPreview:
    question: Question
    version: QuestionVersion
    spec: QuestionSpec

    @property
    def view(self) -> dict[str, Any]:
        return self.spec.view(None)

    @property
    def answer_view(self) -> dict[str, Any]:
        return self.spec.answer_view()


@dataclass(frozen=True)
class BankPreview:
    bank: Bank
    file: BankFile | None
    questions: list[QuestionPreview]
    retired: list[Question]


def bank_preview(session: Session, slug: str) -> BankPreview | None:
    bank = session.scalar(select(Bank).where(Bank.slug == slug))
    if bank is None:
        return None
    rows = session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank.id)
        .order_by(Question.position)
    ).all()
    current = [QuestionPreview(q, v, spec_of(v)) for q, v in rows if not q.retired]
    retired = [q for q, _v in rows if q.retired]
    bank_file = session.scalar(
        select(BankFile).where(BankFile.bank_id == bank.id).order_by(BankFile.checked_at.desc())
    )
    return BankPreview(bank=bank, file=bank_file, questions=current, retired=retired)


def question_preview(session: Session, slug: str, question_id: str) -> QuestionPreview | None:
    row = session.execute(
        select(Question, QuestionVersion)
        .join(Bank, Question.bank_id == Bank.id)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Bank.slug == slug, Question.slug == question_id)
    ).first()
    if row is None:
        return None
    question, version = row
    return QuestionPreview(question, version, spec_of(version))
