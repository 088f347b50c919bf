"""bank file versions, regrades and the statistics cache

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:00:00

Every upload, edit or sync of a bank file keeps its text and a diff, so any version
can be restored; every regrade of past answers is recorded with who and when; a
quiz's statistics sums are cached until the data they came from changes.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'bank_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('bank_slug', sa.String(length=64), nullable=True),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('diff', sa.Text(), nullable=False),
        sa.Column('lines_added', sa.Integer(), nullable=False),
        sa.Column('lines_removed', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('bank_versions', schema=None) as batch_op:
        batch_op.create_index('ix_bank_versions_file_name_id', ['file_name', 'id'], unique=False)

    op.create_table(
        'regrades',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('answers_changed', sa.Integer(), nullable=False),
        sa.Column('gained', sa.Integer(), nullable=False),
        sa.Column('lost', sa.Integer(), nullable=False),
        sa.Column('points_delta', sa.Float(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['question_id'], ['questions.id'], ),
        sa.ForeignKeyConstraint(['version_id'], ['question_versions.id'], ),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('regrades', schema=None) as batch_op:
        batch_op.create_index('ix_regrades_question_id', ['question_id'], unique=False)

    op.create_table(
        'stats_cache',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('fingerprint', sa.String(length=200), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )


def downgrade():
    op.drop_table('stats_cache')
    with op.batch_alter_table('regrades', schema=None) as batch_op:
        batch_op.drop_index('ix_regrades_question_id')
    op.drop_table('regrades')
    with op.batch_alter_table('bank_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_bank_versions_file_name_id')
    op.drop_table('bank_versions')
