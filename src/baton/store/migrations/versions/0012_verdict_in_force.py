"""A qualification carries what its verdict in force says (sales-ready or not, overridden or
not), so pipeline summaries count finished qualifications from one index without reading every
verdict to find the last

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The verdict in force on a qualification is its last, the one with the largest id.
_IN_FORCE = ("(SELECT {column} FROM verdictrecord v WHERE v.qualification_id = qualification.id"
             " ORDER BY v.id DESC LIMIT 1)")


def upgrade() -> None:
    op.add_column('qualification', sa.Column('sales_ready', sa.Boolean(), nullable=True))
    op.add_column('qualification', sa.Column('overridden', sa.Boolean(), nullable=False,
                                             server_default=sa.false()))
    op.execute(
        f"UPDATE qualification SET sales_ready = {_IN_FORCE.format(column='v.sales_ready')},"
        f" overridden = COALESCE({_IN_FORCE.format(column='v.overridden_by IS NOT NULL')},"
        " false)"
        " WHERE EXISTS (SELECT 1 FROM verdictrecord v WHERE v.qualification_id = qualification.id)")
    op.create_index('ix_qualification_finished_judged', 'qualification',
                    ['finished_at', 'bdr_user_id', 'sales_ready', 'overridden'])
    op.drop_index('ix_qualification_finished_bdr', table_name='qualification')


def downgrade() -> None:
    op.create_index('ix_qualification_finished_bdr', 'qualification',
                    ['finished_at', 'bdr_user_id'])
    op.drop_index('ix_qualification_finished_judged', table_name='qualification')
    with op.batch_alter_table('qualification') as batch:
        batch.drop_column('overridden')
        batch.drop_column('sales_ready')
