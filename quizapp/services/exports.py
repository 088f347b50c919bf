"""CSV exports of a class: the gradebook and every answer.

Spreadsheets run a cell that begins with `=`, `+`, `-` or `@` as a formula (and a
leading tab or carriage return can hide one), so any such text cell gets a leading
apostrophe: the spreadsheet shows the text as typed and runs nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from quizapp.models import Answer, Assignment, Attempt, AttemptItem, Membership, QuestionVersion
from quizapp.services.gradebook import Gradebook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

GRADEBOOK_COLUMNS = (
    "username", "display_name", "assignment_id", "quiz", "due_at_utc", "status",
    "grade_percent", "attempts_used", "attempts_allowed", "last_active_utc",
)
ANSWER_COLUMNS = (
    "username", "display_name", "assignment_id", "quiz", "attempt_id", "question_number",
    "question_id", "response", "read_as", "fraction", "points", "max_points", "answered_at_utc",
)


def safe_cell(value: Any) -> str | int | float:
    """A value ready for a spreadsheet: numbers as they are, text made formula-safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def gradebook_rows(book: Gradebook) -> list[dict[str, Any]]:
    """One row per student × assignment, as plain values (for CSV and JSON alike)."""
    rows = []
    for student in book.students:
        for assignment in book.assignments:
            cell = book.cell(student.id, assignment.id)
            rows.append({
                "username": student.username,
                "display_name": student.display_name or "",
                "assignment_id": assignment.id,
                "quiz": assignment.quiz.title,
                "due_at_utc": assignment.due_at.isoformat(),
                "status": cell.status,
                "grade_percent": None if cell.grade is None else round(cell.grade, 2),
                "attempts_used": cell.attempts_used,
                "attempts_allowed": cell.settings.attempts_allowed,
                "last_active_utc": cell.last_active.isoformat() if cell.last_active else None,
            })
    return rows


def gradebook_csv(book: Gradebook) -> str:
    return to_csv(GRADEBOOK_COLUMNS,
                  ([row[c] for c in GRADEBOOK_COLUMNS] for row in gradebook_rows(book)))


def response_text(response: Any) -> str:
    """The response as stored: text exactly as typed, anything else as JSON."""
    if isinstance(response, str):
        return response
    return json.dumps(response, ensure_ascii=False)


def answer_rows(session: Session, class_id: int) -> list[dict[str, Any]]:
    """One row per answer to the class's assignments by students on its roster."""
    attempts = session.scalars(
        select(Attempt)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(Membership, (Membership.class_id == Assignment.class_id)
              & (Membership.user_id == Attempt.user_id))
        .where(Assignment.class_id == class_id)
        .options(
            selectinload(Attempt.user),
            selectinload(Attempt.quiz),
            selectinload(Attempt.items).selectinload(AttemptItem.answer),
            selectinload(Attempt.items).selectinload(AttemptItem.version)
            .selectinload(QuestionVersion.question),
        )
        .order_by(Attempt.user_id, Attempt.id)
    ).all()
    rows = []
    for attempt in attempts:
        for item in attempt.items:
            answer: Answer | None = item.answer
            if answer is None:
                continue
            rows.append({
                "username": attempt.user.username,
                "display_name": attempt.user.display_name or "",
                "assignment_id": attempt.assignment_id,
                "quiz": attempt.quiz.title if attempt.quiz else "",
                "attempt_id": attempt.id,
                "question_number": item.position,
                "question_id": item.version.question.slug,
                "response": response_text(answer.response),
                "read_as": (answer.outcome or {}).get("reading", ""),
                "fraction": round(answer.fraction, 4),
                "points": round(answer.points, 4),
                "max_points": item.points,
                "answered_at_utc": answer.answered_at.isoformat(),
            })
    return rows


def answers_csv(session: Session, class_id: int) -> str:
    return to_csv(ANSWER_COLUMNS,
                  ([row[c] for c in ANSWER_COLUMNS] for row in answer_rows(session, class_id)))
