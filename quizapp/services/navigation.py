"""Where an exam page's buttons lead: the next, previous or same question, or the summary.

The question page posts `go` ("next", "previous", "summary", or "stay", which the
page's script sends when time runs out). The rule lives here, not in the view, so a
page and any other caller move through an attempt the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from quizapp.services import attempts


def following(total: int, position: int, go: str | None) -> int | None:
    """The position "save and go on" leads to out of `total` questions; None for the summary."""
    if go == "stay":
        return position
    if go == "previous" and position > 1:
        return position - 1
    if go == "summary" or position >= total:
        return None
    return position + 1


@dataclass(frozen=True)
class Move:
    """Where to go: a question's position, or None for the attempt's summary."""

    position: int | None


def move_without_answer(
    session: Session, user_id: int, attempt_id: int, position: int, go: str
) -> Move | None:
    """In an open exam, "go on" with nothing entered moves on and keeps any saved answer.

    None outside exams (and for a finished attempt): there a blank post is an answer
    to be read, and refused when empty. `AttemptError` for someone else's attempt or a
    position the attempt does not have.
    """
    attempt = attempts.get_attempt(session, user_id, attempt_id)
    attempts.get_item(attempt, position)  # 404 for a position not in the attempt
    if attempt.mode != "exam" or attempt.finished:
        return None
    return Move(following(len(attempt.items), position, go))
