"""Source texts as teachers manage them: the list in the sources folder, and uploads.

An uploaded text is checked (a plain file name, UTF-8, at least one paragraph), saved
atomically into the sources folder (the SOURCES_DIR setting), and then the teachers'
bank folder is synced, so the banks that cite the text are checked against it at once
(`banks.sync.content_hash` sees the change).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from quizapp.banks.sources import SourceDocument, parse_source
from quizapp.banks.sync import SyncReport, sync_folder
from quizapp.services.banks import write_atomically

SOURCE_SUFFIXES = (".md", ".txt")
# The names a bank's `file:` may give (banks/schema.py SourceFileName), with a suffix.
SAFE_SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,195}\.(md|txt)$")


@dataclass(frozen=True)
class SourceFile:
    name: str
    document: SourceDocument | None  # None when it cannot be read as UTF-8 text


@dataclass
class SourceUploadResult:
    file_name: str
    errors: list[str] = field(default_factory=list)
    document: SourceDocument | None = None
    report: SyncReport | None = None  # the re-check of the banks, once saved

    @property
    def ok(self) -> bool:
        return not self.errors


def list_sources(folder: Path | None) -> list[SourceFile]:
    """The source texts in the folder, by name (fingerprints and other files left out)."""
    if folder is None or not folder.is_dir():
        return []
    result = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix not in SOURCE_SUFFIXES:
            continue
        try:
            document: SourceDocument | None = parse_source(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            document = None
        result.append(SourceFile(path.name, document))
    return result


def check_source(file_name: str, data: bytes, max_bytes: int) -> SourceUploadResult:
    """What would be saved, or why not; nothing is written."""
    name = Path(file_name.replace("\\", "/")).name
    if not SAFE_SOURCE_NAME.match(name):
        return SourceUploadResult(name or "upload", [
            "a source file name uses letters, digits, dots, dashes or underscores and "
            "ends in .md or .txt"])
    if len(data) > max_bytes:
        return SourceUploadResult(name, [
            f"the file is larger than {max_bytes:,} bytes; a source text may have at most that"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return SourceUploadResult(name, ["the file is not UTF-8 text; save it as UTF-8 and "
                                         "upload it again"])
    document = parse_source(text)
    if not document.paragraphs:
        return SourceUploadResult(name, ["the file has no paragraphs (see the numbering "
                                         "rule in docs/question-format.md)"], document)
    return SourceUploadResult(name, [], document)


def upload_source(session: Session, sources_dir: Path, questions_dir: Path, file_name: str,
                  data: bytes, max_bytes: int) -> SourceUploadResult:
    """Check a source text, save it into `sources_dir`, then re-check the teachers' banks."""
    result = check_source(file_name, data, max_bytes)
    if not result.ok:
        return result
    write_atomically(sources_dir / result.file_name, data)
    result.report = sync_folder(session, questions_dir, max_bytes=max_bytes,
                                sources_dir=sources_dir)
    return result
