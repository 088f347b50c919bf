"""topic and day figures keyed by learner

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:10:00

topic_stats and day_stats had a rowid key (id) and a unique key, (user_id, bank_id,
topic) and (user_id, day), that every read and every answer's upsert went through,
then looked the row up by its id. The unique key is the primary key now, and on
SQLite each table is stored in its order (WITHOUT ROWID): one B-tree instead of two.
SQLite cannot change a table's key, so there the tables are rebuilt; PostgreSQL
changes them in place.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _figures(table):
    """The table's columns after id, and the unique key that becomes its primary key."""
    if table == 'topic_stats':
        return [
            sa.Column('user_id', sa.Integer(), nullable=False),
            sa.Column('bank_id', sa.Integer(), nullable=False),
            sa.Column('topic', sa.String(length=64), nullable=False),
            sa.Column('answered', sa.Integer(), nullable=False),
            sa.Column('correct', sa.Integer(), nullable=False),
            sa.Column('recent', sa.Float(), nullable=False),
            sa.ForeignKeyConstraint(['bank_id'], ['banks.id'],
                                    name='fk_topic_stats_bank_id_banks'),
            sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                    name='fk_topic_stats_user_id_users'),
        ], ['user_id', 'bank_id', 'topic']
    return [
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.Column('correct', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_day_stats_user_id_users'),
    ], ['user_id', 'day']


TABLES = ('topic_stats', 'day_stats')


def _rebuild(table, columns, keyed):
    """SQLite: copy `table` into a new one with `columns`, then put it in its place.

    The upgrade is one transaction (env.py). Before it was, the first new table was
    created ahead of the transaction, and a run stopped before the copy left it behind,
    empty: it is dropped first.
    """
    names = ", ".join(c.name for c in columns if isinstance(c, sa.Column) and c.name != 'id')
    op.execute(f"DROP TABLE IF EXISTS {table}_rebuilt")
    op.create_table(f'{table}_rebuilt', *columns, **({'sqlite_with_rowid': False} if keyed else {}))
    op.execute(f"INSERT INTO {table}_rebuilt ({names}) SELECT {names} FROM {table}")
    op.drop_table(table)
    op.rename_table(f'{table}_rebuilt', table)


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        columns, key = _figures(table)
        unique = f"uq_{table}_{'_'.join(key)}"
        if not sqlite:
            op.drop_constraint(unique, table, type_='unique')
            op.drop_column(table, 'id')  # and its primary key with it
            op.create_primary_key(f'pk_{table}', table, key)
            continue
        _rebuild(table, [*columns, sa.PrimaryKeyConstraint(*key, name=f'pk_{table}')],
                 keyed=True)


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        columns, key = _figures(table)
        unique = f"uq_{table}_{'_'.join(key)}"
        if not sqlite:
            op.drop_constraint(f'pk_{table}', table, type_='primary')
            op.add_column(table, sa.Column('id', sa.Integer(), sa.Identity(), nullable=False))
            op.create_primary_key(f'pk_{table}', table, ['id'])
            op.create_unique_constraint(unique, table, key)
            continue
        _rebuild(table, [sa.Column('id', sa.Integer(), nullable=False), *columns,
                         sa.PrimaryKeyConstraint('id', name=f'pk_{table}'),
                         sa.UniqueConstraint(*key, name=unique)], keyed=False)
