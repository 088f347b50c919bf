"""answers keyed by their attempt item

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:00:00

An answer had a rowid key (id) and a unique key on item_id, so every answer's
INSERT wrote the table and the unique index. Nothing refers to an answer by its id,
and there is one answer per item, so item_id is the primary key now: on SQLite an
INTEGER primary key is the rowid, and the table is one B-tree. SQLite cannot change
a table's key, so there the table is rebuilt; PostgreSQL changes it in place.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def _columns():
    return [
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('response', sa.JSON(), nullable=False),
        sa.Column('fraction', sa.Float(), nullable=False),
        sa.Column('points', sa.Float(), nullable=False),
        sa.Column('outcome', sa.JSON(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['attempt_items.id'],
                                name='fk_answers_item_id_attempt_items'),
    ]


def _rebuild(constraints, with_id):
    """SQLite: copy the answers into a new table with `constraints`, then put it in place.

    The upgrade is one transaction (env.py), so the answers are replaced whole or not
    at all. Before it was, a run stopped before the copy left the new table behind,
    empty: it is dropped first.
    """
    columns = _columns()
    names = ", ".join(c.name for c in columns if isinstance(c, sa.Column))
    id_column = [sa.Column('id', sa.Integer(), nullable=False)] if with_id else []
    op.execute("DROP TABLE IF EXISTS answers_rebuilt")
    op.create_table('answers_rebuilt', *id_column, *columns, *constraints)
    # Copied in item order: on SQLite the new table's rows are stored in that order.
    op.execute(f"INSERT INTO answers_rebuilt ({names}) SELECT {names} FROM answers"
               " ORDER BY item_id")
    op.drop_table('answers')
    op.rename_table('answers_rebuilt', 'answers')


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint('uq_answers_item_id', 'answers', type_='unique')
        op.drop_column('answers', 'id')  # and its primary key with it
        op.create_primary_key('pk_answers', 'answers', ['item_id'])
        return
    _rebuild([sa.PrimaryKeyConstraint('item_id', name='pk_answers')], with_id=False)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint('pk_answers', 'answers', type_='primary')
        op.add_column('answers', sa.Column('id', sa.Integer(), sa.Identity(), nullable=False))
        op.create_primary_key('pk_answers', 'answers', ['id'])
        op.create_unique_constraint('uq_answers_item_id', 'answers', ['item_id'])
        return
    _rebuild([sa.PrimaryKeyConstraint('id', name='pk_answers'),
              sa.UniqueConstraint('item_id', name='uq_answers_item_id')], with_id=True)
