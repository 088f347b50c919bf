"""attempt numbers and question sequence numbers

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:50:00

Each attempt on a quiz gets its number for that learner, unique per (learner, quiz),
so simultaneous starts cannot exceed the attempt limit; each attempt item gets a
sequence number that goes up with every stored answer, so a post from an older
page is recognised and refused.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))
    # Existing quiz attempts are numbered in the order they were started.
    op.execute(
        "UPDATE attempts SET number = ("
        " SELECT COUNT(*) FROM attempts AS earlier"
        " WHERE earlier.user_id = attempts.user_id"
        " AND earlier.quiz_id = attempts.quiz_id"
        " AND earlier.id <= attempts.id"
        ") WHERE quiz_id IS NOT NULL"
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f('uq_attempts_user_id_quiz_id_number'), ['user_id', 'quiz_id', 'number'])


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_attempts_user_id_quiz_id_number'), type_='unique')
        batch_op.drop_column('number')
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_column('sequence')
