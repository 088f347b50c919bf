"""One message about a bank file, pointing at a line and column like a compiler does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class LintMessage:
    """`line` and `col` are 1-based, as editors count them."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LintMessage:
        """A message stored as `to_dict()` JSON (BankFile.messages), read back."""
        return cls(path=str(data["path"]), line=int(data["line"]), col=int(data["col"]),
                   severity=data["severity"], message=str(data["message"]),
                   hint=data.get("hint"))

    def format(self) -> str:
        """`path:line:col: severity: message (hint)`, the form editors jump to."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


# Lines longer than this are shown as a window around the column.
EXCERPT_WIDTH = 100


def excerpt(lines: Sequence[str], line: int, col: int) -> tuple[str, str] | None:
    """The line a message points at and a caret line under its column, for people
    reading the message; None when the line is not in the file.

    Tabs stay tabs in the caret line, so the caret lines up however they are shown.
    """
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1].rstrip("\r\n")
    column = max(1, min(col, len(text) + 1)) - 1
    if len(text) > EXCERPT_WIDTH:
        start = max(0, min(column - EXCERPT_WIDTH // 2, len(text) - EXCERPT_WIDTH))
        text = ("…" if start else "") + text[start:start + EXCERPT_WIDTH]
        column = column - start + (1 if start else 0)
    if not text.strip():
        return None
    pad = "".join("\t" if ch == "\t" else " " for ch in text[:column])
    return text, pad + "^"


def sort_key(message: LintMessage) -> tuple[str, int, int, int, str]:
    # Errors before warnings at the same spot; the text breaks remaining ties so the
    # order never depends on the order the checks ran in.
    return (message.path, message.line, message.col, message.severity != "error",
            message.message)


def sorted_messages(messages: list[LintMessage]) -> list[LintMessage]:
    return sorted(messages, key=sort_key)
