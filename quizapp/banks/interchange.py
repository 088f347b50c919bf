"""What the GIFT and Aiken importers share: reading the file, problems with line
numbers, ids made from text, Markdown from Moodle's text formats, and writing the
result as a native bank file.

Everything here is pure: bytes in, a bank file's text out.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

from ruamel.yaml import YAML

from quizapp.banks.loader import load_bank_text

# Anything larger is not a question file a teacher wrote by hand.
DEFAULT_MAX_IMPORT_BYTES = 1_000_000
MAX_ID_LENGTH = 64


@dataclass(frozen=True)
class Problem:
    """Something the importer has to say about one line of the input file."""

    line: int
    message: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.message}"


class ImportFailure(ValueError):
    """The file cannot be imported; nothing is written. Every problem found is listed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class ImportedBank:
    """Questions read from a foreign file, as native question dicts, in file order."""

    questions: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, str]] = field(default_factory=list)
    # Items with no automatic score (essays, descriptions), left out.
    skipped: list[Problem] = field(default_factory=list)
    # Conversions that change what Moodle would have done (partial credit, wildcards...).
    notes: list[Problem] = field(default_factory=list)
    # Bank fields carried by a quizapp export's header comment (title, sources...).
    bank: dict[str, Any] = field(default_factory=dict)
    # The input line each question started on, by question id.
    lines: dict[str, int] = field(default_factory=dict)


def decode(data: bytes, max_bytes: int = DEFAULT_MAX_IMPORT_BYTES) -> list[str]:
    """The file's lines: UTF-8 (a byte-order mark is allowed), any line ends."""
    if len(data) > max_bytes:
        raise ImportFailure([Problem(1, f"the file is {len(data):,} bytes; the largest "
                                        f"accepted is {max_bytes:,} bytes")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailure([Problem(line, "the file is not UTF-8 text (save it as UTF-8)")]) \
            from None
    if "\x00" in text:
        raise ImportFailure([Problem(1, "the file is not a text file (it holds NUL bytes)")])
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def slug(text: str, fallback: str) -> str:
    """A bank id from any text: "Grant's tomb (2)" -> "grants-tomb-2"."""
    bare = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in bare if not unicodedata.combining(ch)).lower()
    bare = re.sub(r"['’]", "", bare)
    words = re.sub(r"[^a-z0-9]+", "-", bare).strip("-")
    return words[:MAX_ID_LENGTH].strip("-") or fallback


class IdMaker:
    """Unique ids within one bank: a clash gets -2, -3..."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, text: str, fallback: str) -> str:
        base = slug(text, fallback)
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            suffix = f"-{n}"
            candidate = base[: MAX_ID_LENGTH - len(suffix)] + suffix
        self.used.add(candidate)
        return candidate


def words_for_id(text: str, count: int = 6) -> str:
    return " ".join(re.sub(r"[^\w\s'’-]", " ", text).split()[:count])


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s)", re.MULTILINE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^>]*)?/?>")


def plain_to_markdown(text: str) -> str:
    """Plain text that Markdown shows exactly as typed."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _LINE_START_SPECIAL.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def html_to_markdown(text: str) -> str:
    """HTML (Moodle's `[html]` format) as Markdown: markdownify keeps emphasis, lists
    and links; anything else becomes its text."""
    from markdownify import markdownify

    return str(markdownify(text, heading_style="ATX", strip=["script", "style"])).strip()


def to_markdown(text: str, text_format: str) -> str:
    """Text in one of Moodle's formats (`markdown`, `html`, `plain`, `moodle`) as
    Markdown. Moodle's own "moodle auto-format" is HTML-capable plain text."""
    if text_format == "markdown":
        return text
    if text_format == "html" or (text_format == "moodle" and _HTML_TAG.search(text)):
        return html_to_markdown(text)
    return plain_to_markdown(html.unescape(text) if text_format == "moodle" else text)


def one_line(text: str) -> str:
    return " ".join(text.split())


def _yaml() -> YAML:
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def _dump(value: Any) -> str:
    out = StringIO()
    _yaml().dump(value, out)
    return out.getvalue()


def bank_yaml(bank: dict[str, Any], questions: Iterable[dict[str, Any]],
              header: str = "") -> tuple[str, list[int]]:
    """A native bank file, and the line each question starts on in it."""
    text = header + _dump(bank)
    lines: list[int] = []
    text += "questions:\n"
    for question in questions:
        lines.append(text.count("\n") + 1)
        text += _dump([question])
    return text, lines


def write_bank(imported: ImportedBank, bank_id: str, title: str, source_name: str) -> str:
    """The imported questions as a bank file that `quizapp lint` accepts.

    The file is loaded back through the one bank loader before it is returned; any
    error there is reported against the input line of the question it concerns, so
    nothing that would not load is ever written.
    """
    if not imported.questions:
        raise ImportFailure([Problem(1, "no question to import was found in the file")])
    bank: dict[str, Any] = {"id": bank_id, "title": title}
    for key, value in imported.bank.items():
        if key not in ("id",) and value not in (None, [], ""):
            bank[key] = value
    if imported.topics and "topics" not in imported.bank:
        bank["topics"] = imported.topics
    header = f"# Imported from {source_name} by `quizapp import`.\n"
    text, starts = bank_yaml(bank, imported.questions, header)
    loaded = load_bank_text(f"{bank_id}.yaml", text.encode())
    errors = [m for m in loaded.messages if m.severity == "error"]
    if errors:
        raise ImportFailure([_locate(m.line, m.message, imported, starts) for m in errors])
    return text


def _locate(yaml_line: int, message: str, imported: ImportedBank, starts: list[int]) -> Problem:
    index = max((i for i, start in enumerate(starts) if start <= yaml_line), default=None)
    if index is None:
        return Problem(1, message)
    question_id = imported.questions[index]["id"]
    return Problem(imported.lines.get(question_id, 1), f"question {question_id!r}: {message}")


IMPORT_FORMATS = ("gift", "aiken")


def guess_format(name: str, data: bytes) -> str | None:
    """`.gift` is GIFT; `.txt` is Aiken, unless it has no `ANSWER:` line (Moodle also
    saves GIFT exports as .txt); anything else is not guessed."""
    lower = name.lower()
    if lower.endswith(".gift"):
        return "gift"
    if lower.endswith(".txt"):
        aiken = re.search(rb"^[ \t]*ANSWER:", data, re.MULTILINE)
        return "aiken" if aiken else "gift"
    return None


def import_bank(data: bytes, text_format: str, *, bank_id: str, title: str,
                source_name: str, max_bytes: int = DEFAULT_MAX_IMPORT_BYTES,
                ) -> tuple[str, ImportedBank]:
    """A GIFT or Aiken file as the text of a native bank file, and what was read."""
    from quizapp.banks.aiken import read_aiken
    from quizapp.banks.gift import read_gift

    reader = {"gift": read_gift, "aiken": read_aiken}[text_format]
    imported = reader(data, max_bytes=max_bytes)
    if imported.bank.get("id") and bank_id == "":
        bank_id = imported.bank["id"]
    bank_id = bank_id or slug(source_name.rsplit(".", 1)[0], "imported")
    title = title or imported.bank.get("title") or source_name
    return write_bank(imported, bank_id, title, source_name), imported
