"""Bank files in, database rows out.

Each file is synced in its own transaction, so a bank is imported whole or not at
all. A file that stops loading keeps its last good bank serving and records why.
Questions are keyed by (bank, question id) and versioned by a hash of their
content: an edit adds a version, a removed question is retired, nothing is deleted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from quizapp.banks.fingerprint import fingerprint_path
from quizapp.banks.loader import (
    BUNDLED_PREFIX as BUNDLED_PREFIX,  # where sync's callers have always found it
)
from quizapp.banks.loader import (
    LoadedBank,
    bank_id_taken,
    bank_paths,
    file_hash,
    load_bank_text,
    load_texts,
)
from quizapp.banks.messages import LintMessage
from quizapp.banks.parse import gc_paused
from quizapp.models import Bank, BankFile, Question, QuestionVersion, Quiz, utcnow


@dataclass
class SyncReport:
    loaded: list[str] = field(default_factory=list)  # file names imported or updated
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def extend(self, other: SyncReport) -> None:
        self.loaded += other.loaded
        self.unchanged += other.unchanged
        self.failed += other.failed
        self.removed += other.removed

    def summary(self) -> str:
        return (
            f"{len(self.loaded)} loaded, {len(self.unchanged)} unchanged, "
            f"{len(self.failed)} with errors, {len(self.removed)} removed"
        )



def _table(model: type[Any]) -> Table:
    """A mapped class's Table, for core bulk inserts (one executemany, no ORM)."""
    table: Table = model.__table__
    return table

def bank_file_paths(folder: Path) -> list[Path]:
    """The bank files in a folder; none when it does not exist (yet)."""
    return bank_paths(folder) if folder.is_dir() else []


def spec_hash(spec: Any) -> str:
    """The content hash of a validated question: its JSON in field order (fast, stable)."""
    return hashlib.sha256(spec.model_dump_json().encode()).hexdigest()


@dataclass(frozen=True)
class BankFolder:
    """A folder of bank files, the prefix its files are recorded under, its sources."""

    path: Path
    prefix: str = ""
    sources_dir: Path | None = None


def bank_folders(teachers: Path, sources_dir: Path | None,
                 bundled: Path | None) -> list[BankFolder]:
    """The package's banks first (read-only), then the teachers' folder."""
    folders = []
    if bundled is not None:
        # The bundled banks are grounded against the fingerprints shipped beside them.
        folders.append(BankFolder(bundled, BUNDLED_PREFIX, bundled / "sources"))
    folders.append(BankFolder(teachers, "", sources_dir))
    return folders


def sync_folders(session: Session, folders: Sequence[BankFolder], *,
                 max_bytes: int | None = None) -> SyncReport:
    """`sync_folder` for each folder in turn; a bank id is served by one file only."""
    report = SyncReport()
    # Every folder's removals first, so a bank whose file moved between folders (as the
    # bundled banks did into their own namespace) is free for its new file to claim.
    for folder in folders:
        report.removed += retire_missing(session, folder.path, folder.prefix)
    for folder in folders:
        report.extend(sync_folder(session, folder.path, max_bytes=max_bytes,
                                  prefix=folder.prefix, sources_dir=folder.sources_dir))
    return report


def _in_namespace(name: str, prefix: str) -> bool:
    return name.startswith(prefix) if prefix else "/" not in name


def retire_missing(session: Session, folder: Path, prefix: str = "") -> list[str]:
    """Retire the recorded files under `prefix` that are no longer in `folder`; their names."""
    seen = {prefix + path.name for path in bank_file_paths(folder)}
    removed = []
    for bank_file in session.scalars(select(BankFile)).all():
        if (_in_namespace(bank_file.name, prefix) and bank_file.name not in seen
                and bank_file.status != "missing"):
            _retire_file(session, bank_file)
            removed.append(bank_file.name)
    return removed


def sync_folder(session: Session, folder: Path, *, max_bytes: int | None = None,
                prefix: str = "", sources_dir: Path | None = None) -> SyncReport:
    """Bring the database in line with every bank file in `folder`.

    Files are recorded as `prefix` + file name; only files recorded under the same
    prefix are retired when they are gone. A file that is unchanged but still fails
    counts as failed, so a bank not serving its latest file is never reported clean.
    """
    report = SyncReport()
    # Removals first, so a renamed file's bank is free for its new name to claim.
    report.removed += retire_missing(session, folder, prefix)
    known = {f.name: f for f in session.scalars(select(BankFile))
             if _in_namespace(f.name, prefix)}
    paths = bank_file_paths(folder)
    changed: list[tuple[str, bytes]] = []
    for path in paths:
        data = path.read_bytes()
        name = prefix + path.name
        previous = known.get(name)
        # A file put back unchanged after removal must load again to un-retire its bank.
        if (previous is not None and previous.status != "missing"
                and previous.file_hash == content_hash(data, sources_dir)):
            (report.failed if previous.status == "error" else report.unchanged).append(name)
        else:
            changed.append((name, data))
    # Changed files are loaded together (in parallel when they are large), then
    # stored one transaction per file.
    loaded_files = load_texts(changed, sources_dir=sources_dir, **_limit(max_bytes))
    for (name, data), loaded in zip(changed, loaded_files, strict=True):
        ok = store_loaded(session, name, data, loaded, content_hash(data, sources_dir))
        (report.loaded if ok else report.failed).append(name)
    return report


def _limit(max_bytes: int | None) -> dict[str, int]:
    return {"max_bytes": max_bytes} if max_bytes else {}


def sync_file(session: Session, name: str, data: bytes, *, max_bytes: int | None = None,
              sources_dir: Path | None = None) -> bool:
    """Load one file's bytes and store the result; True when the bank loaded cleanly."""
    loaded = load_bank_text(name, data, sources_dir=sources_dir, **_limit(max_bytes))
    return store_loaded(session, name, data, loaded, content_hash(data, sources_dir))


# The `file:` names of a bank's sources, found without parsing the YAML (parsing is the
# cost an unchanged file saves). Text that merely reads `file: x.md` adds a name, which
# costs nothing but a needless re-check.
_SOURCE_FILE = re.compile(rb"\bfile:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9._-]{0,199})")


def content_hash(data: bytes, sources_dir: Path | None) -> str:
    """What "unchanged" compares: the bank file's bytes and, when it cites source files,
    theirs too, so an edited (or added, or removed) source text re-checks the banks
    that cite it. Just the file's hash when it cites none."""
    names = sorted({m.decode() for m in _SOURCE_FILE.findall(data)})
    if sources_dir is None or not names:
        return file_hash(data)
    digest = hashlib.sha256(data)
    for name in names:
        digest.update(b"\0" + name.encode() + b"\0" + _source_digest(sources_dir / name))
    return digest.hexdigest()


def _source_digest(path: Path) -> bytes:
    """The source text's hash, else its fingerprint's (what grounding reads), else none."""
    for candidate in (path, fingerprint_path(path)):
        try:
            return hashlib.sha256(candidate.read_bytes()).digest()
        except OSError:
            continue
    return b"missing"


def store_loaded(session: Session, name: str, data: bytes, loaded: LoadedBank,
                 digest: str | None = None) -> bool:
    """Store one loaded file in its own transaction; True when its bank is now serving.

    `digest` is what the next sync compares (`content_hash`); the file's hash by default.
    """
    digest = digest or file_hash(data)
    messages = message_dicts(loaded)
    bank = loaded.bank
    ok = bank is not None
    try:
        owner = other_file_serving(session, name, bank.id) if bank is not None else None
        if bank is not None and owner is not None:
            ok = False
            messages.append(_duplicate_bank_message(name, bank.id, owner))
        if ok:
            with gc_paused():
                _store_bank(session, name, digest, loaded, messages)
        else:
            _record_failure(session, name, digest, messages)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ok


def message_dicts(loaded: LoadedBank) -> list[dict[str, Any]]:
    return [m.to_dict() for m in loaded.messages]


def _bank_file(session: Session, name: str) -> BankFile:
    bank_file = session.scalar(select(BankFile).where(BankFile.name == name))
    if bank_file is None:
        bank_file = BankFile(name=name, file_hash="", status="error")
        session.add(bank_file)
    return bank_file


def other_file_serving(session: Session, name: str, bank_slug: str) -> str | None:
    """The name of another file that already serves this bank id, if any."""
    return session.scalar(
        select(BankFile.name)
        .join(Bank, BankFile.bank_id == Bank.id)
        .where(Bank.slug == bank_slug, BankFile.name != name, BankFile.status == "ok")
    )


def file_problem(name: str, message: str) -> dict[str, Any]:
    """An error about a file as a whole, in the shape lint messages are stored in."""
    return LintMessage(name, 1, 1, "error", message).to_dict()


def _duplicate_bank_message(name: str, bank_slug: str, owner: str) -> dict[str, Any]:
    return bank_id_taken(name, bank_slug, owner).to_dict()


def _record_failure(
    session: Session, name: str, digest: str, messages: list[dict[str, Any]]
) -> None:
    bank_file = _bank_file(session, name)
    bank_file.file_hash = digest
    bank_file.status = "error"
    bank_file.messages = messages
    bank_file.checked_at = utcnow()


def _store_bank(
    session: Session, name: str, digest: str, loaded: LoadedBank, messages: list[dict[str, Any]]
) -> None:
    spec = loaded.bank
    assert spec is not None
    bank = session.scalar(select(Bank).where(Bank.slug == spec.id))
    if bank is None:
        bank = Bank(slug=spec.id, title=spec.title)
        session.add(bank)
    bank.title = spec.title
    bank.description = spec.description
    bank.language = spec.language
    bank.meta = {
        "sources": [s.model_dump(mode="json") for s in spec.sources],
        "topics": [t.model_dump(mode="json") for t in spec.topics],
    }
    bank.retired = False
    bank.synced_at = utcnow()
    session.flush()
    # Drafts are never served; a bank of nothing but drafts offers no quiz yet.
    served = [q for q in spec.questions if not q.draft]
    _store_questions(session, bank, served)
    _store_quizzes(session, bank, spec.quizzes if served else ())

    bank_file = _bank_file(session, name)
    bank_file.file_hash = digest
    bank_file.status = "ok"
    bank_file.messages = messages  # warnings, if any
    bank_file.bank_id = bank.id
    bank_file.checked_at = utcnow()


def _store_questions(session: Session, bank: Bank, specs: Iterable[Any]) -> None:
    """Upsert a bank's questions and versions with a few bulk statements.

    Ten thousand questions are ten thousand rows: one statement per kind of change
    keeps a first sync to a fraction of a second where row-by-row ORM flushes took
    many seconds.
    """
    rows = session.execute(
        select(Question.slug, Question.id, Question.position, Question.retired,
               Question.current_version_id).where(Question.bank_id == bank.id)
    ).all()
    existing = {row.slug: row for row in rows}
    specs = list(specs)
    new_slugs = [spec.id for spec in specs if spec.id not in existing]
    if new_slugs:
        # Plain executemany, ids read back after: RETURNING would cost a statement a row.
        session.execute(
            insert(_table(Question)),
            [{"bank_id": bank.id, "slug": slug, "position": 0, "retired": False}
             for slug in new_slugs],
        )
    ids: dict[str, int] = {
        slug: question_id
        for slug, question_id in session.execute(
            select(Question.slug, Question.id).where(Question.bank_id == bank.id)
        )
    }

    dumped = {spec.id: spec.model_dump(mode="json") for spec in specs}
    hashes = {spec.id: spec_hash(spec) for spec in specs}
    known_versions = _version_ids(session, bank.id)
    missing = [spec for spec in specs if (ids[spec.id], hashes[spec.id]) not in known_versions]
    if missing:
        now = utcnow()
        session.execute(
            insert(_table(QuestionVersion)),
            [{"question_id": ids[spec.id], "content_hash": hashes[spec.id], "qtype": spec.type,
              "spec": dumped[spec.id], "exam_only": spec.exam_only, "created_at": now}
             for spec in missing],
        )
        known_versions = _version_ids(session, bank.id)

    changes = []
    for position, spec in enumerate(specs):
        version_id = known_versions[(ids[spec.id], hashes[spec.id])]
        row = existing.get(spec.id)
        if row is None or (row.position, row.retired, row.current_version_id) != (
            position, False, version_id
        ):
            changes.append({"id": ids[spec.id], "position": position, "retired": False,
                            "current_version_id": version_id})
    present = set(dumped)
    changes += [{"id": row.id, "retired": True}
                for slug, row in existing.items() if slug not in present and not row.retired]
    retiring = [c for c in changes if "position" not in c]
    moving = [c for c in changes if "position" in c]
    for batch in (moving, retiring):
        if batch:
            session.execute(update(Question), batch)
    # The ORM may hold stale copies of rows changed above.
    session.expire_all()


def _version_ids(session: Session, bank_id: int) -> dict[tuple[int, str], int]:
    rows = session.execute(
        select(QuestionVersion.question_id, QuestionVersion.content_hash, QuestionVersion.id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(Question.bank_id == bank_id)
    )
    return {(question_id, digest): version_id for question_id, digest, version_id in rows}


def _store_quizzes(session: Session, bank: Bank, quizzes: Iterable[Any]) -> None:
    existing = {q.slug: q for q in session.scalars(select(Quiz).where(Quiz.bank_id == bank.id))}
    present: set[str] = set()
    for position, spec in enumerate(quizzes):
        present.add(spec.id)
        quiz = existing.get(spec.id)
        if quiz is None:
            quiz = Quiz(bank_id=bank.id, slug=spec.id, title=spec.title)
            session.add(quiz)
        quiz.title = spec.title
        quiz.description = spec.description
        quiz.settings = spec.model_dump(mode="json")
        quiz.position = position
        quiz.retired = False
    for slug, quiz in existing.items():
        if slug not in present:
            quiz.retired = True


def _retire_file(session: Session, bank_file: BankFile) -> None:
    bank_file.status = "missing"
    bank_file.checked_at = utcnow()
    bank = bank_file.bank
    # Another file may have taken the bank over (a rename); only retire orphans.
    still_served = session.scalar(
        select(BankFile.id).where(
            BankFile.bank_id == bank_file.bank_id,
            BankFile.id != bank_file.id,
            BankFile.status == "ok",
        )
    )
    if bank is not None and still_served is None:
        bank.retired = True
        for quiz in bank.quizzes:
            quiz.retired = True
    session.commit()
