"""the attempts' assignment index holds the gradebook's figures

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:20:00

Every gradebook view fingerprints its table by summing the class's attempts (how
many, finished when, scores). The index on attempts.assignment_id now also holds
finished_at, score and max_score, so that sum reads the index alone.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_attempts_assignment_id', table_name='attempts')
    op.create_index('ix_attempts_assignment_id', 'attempts',
                    ['assignment_id', 'finished_at', 'score', 'max_score'])


def downgrade():
    op.drop_index('ix_attempts_assignment_id', table_name='attempts')
    op.create_index('ix_attempts_assignment_id', 'attempts', ['assignment_id'])
