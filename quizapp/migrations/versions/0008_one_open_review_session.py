"""one open review or mistakes session per learner and kind

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 14:45:00

Review and mistakes sessions have no quiz and so no attempt number: nothing kept
simultaneous starts from opening several. A partial unique index now allows one
open session (no quiz, not finished) per learner and kind. Sessions opened twice
before it are finished first, all but the newest of each learner and kind, the way
the app finishes one: scored from their stored answers (their answers already
rescheduled their review cards), at their last answer or, unanswered, at their start.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

OPEN_SESSION = "quiz_id IS NULL AND finished_at IS NULL"
# An open session with a newer open session of the same learner and kind.
SUPERSEDED = (
    "quiz_id IS NULL AND finished_at IS NULL AND EXISTS ("
    " SELECT 1 FROM attempts AS newer"
    " WHERE newer.user_id = attempts.user_id AND newer.kind = attempts.kind"
    " AND newer.quiz_id IS NULL AND newer.finished_at IS NULL AND newer.id > attempts.id)"
)


def upgrade():
    answers_of_attempt = (
        " FROM answers JOIN attempt_items ON attempt_items.id = answers.item_id"
        " WHERE attempt_items.attempt_id = attempts.id"
    )
    op.execute(
        "UPDATE attempts SET"
        f" score = COALESCE((SELECT SUM(answers.points){answers_of_attempt}), 0),"
        " max_score = COALESCE((SELECT SUM(attempt_items.points) FROM attempt_items"
        " WHERE attempt_items.attempt_id = attempts.id), attempts.max_score),"
        f" finished_at = COALESCE((SELECT MAX(answers.answered_at){answers_of_attempt}),"
        " attempts.started_at)"
        f" WHERE {SUPERSEDED}"
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(
            'uq_attempts_open_session', ['user_id', 'kind'], unique=True,
            sqlite_where=sa.text(OPEN_SESSION), postgresql_where=sa.text(OPEN_SESSION))


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_attempts_open_session')
