"""One message about a bank file, pointing at a line and column like a compiler does."""

from __future__ import annotations

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

    def format(self) -> str:
        """`path:line:col: severity: message (hint)`, the form editors jump to."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def sort_key(message: LintMessage) -> tuple[str, int, int, int, str]:
    # Errors before warnings at the same spot; the text breaks remaining ties so the
    # order never depends on the order the checks ran in.
    return (message.path, message.line, message.col, message.severity != "error",
            message.message)


def sorted_messages(messages: list[LintMessage]) -> list[LintMessage]:
    return sorted(messages, key=sort_key)
