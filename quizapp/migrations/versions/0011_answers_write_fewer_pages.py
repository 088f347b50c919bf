"""answers write fewer pages: no last_position, no indexes the unique keys cover

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 22:50:00

An answer claimed its question with two UPDATEs, one of them only to record the
attempt's last position; where a learner resumes is now worked out from the answers'
times, so the column goes. The single-column indexes on user_id (and the review
cards' due) duplicated a composite index or unique key that starts with the same
column, and every answer's write changed their pages too.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

REDUNDANT = [
    ('ix_attempts_user_id', 'attempts', ['user_id']),
    ('ix_review_cards_user_id', 'review_cards', ['user_id']),
    ('ix_review_cards_due', 'review_cards', ['due']),
    ('ix_quiz_stats_user_id', 'quiz_stats', ['user_id']),
    ('ix_topic_stats_user_id', 'topic_stats', ['user_id']),
    ('ix_day_stats_user_id', 'day_stats', ['user_id']),
]


def upgrade():
    for name, table, _columns in REDUNDANT:
        op.drop_index(name, table_name=table)
    # SQLite 3.35 and later drop an unindexed column in place.
    op.drop_column('attempts', 'last_position')


def downgrade():
    op.add_column('attempts', sa.Column('last_position', sa.Integer(), nullable=False,
                                        server_default='0'))
    for name, table, columns in REDUNDANT:
        op.create_index(name, table, columns)
