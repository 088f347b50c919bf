"""indexes for the progress page and review sessions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00

The progress page reads a learner's latest finished attempts and a review session
reads a learner's cards in due order; composite indexes keep both reads from
growing with the learner's history.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(
            'ix_attempts_user_id_finished_at', ['user_id', 'finished_at'], unique=False)
    with op.batch_alter_table('review_cards', schema=None) as batch_op:
        batch_op.create_index('ix_review_cards_user_id_due', ['user_id', 'due'], unique=False)


def downgrade():
    with op.batch_alter_table('review_cards', schema=None) as batch_op:
        batch_op.drop_index('ix_review_cards_user_id_due')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_user_id_finished_at')
