"""exam-only flag stored on question versions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 17:20:00

Review sessions and the progress page's review counts leave out exam-only
questions. They read the flag from each version's stored spec, which meant parsing
the JSON of every card's question on every progress page. The flag is now a column
of its own, set when a version is stored and copied here from the existing specs.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

versions = sa.table(
    'question_versions',
    sa.column('spec', sa.JSON()),
    sa.column('exam_only', sa.Boolean()),
)


def upgrade():
    with op.batch_alter_table('question_versions') as batch:
        batch.add_column(sa.Column('exam_only', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.execute(
        versions.update()
        .where(versions.c.spec['exam_only'].as_boolean().is_(True))
        .values(exam_only=True)
    )


def downgrade():
    with op.batch_alter_table('question_versions') as batch:
        batch.drop_column('exam_only')
