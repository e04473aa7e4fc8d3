"""A qualification carries what its verdict in force says (sales-ready or not, overridden or
not), and a handoff its BDR, so pipeline summaries count from indexes alone: finished
qualifications without reading every verdict to find the last, handoffs without their
qualifications

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

# Each moment a handoff is counted by, with the columns its index carries besides (old index
# name, new index name, columns).
HANDOFF_INDEXES = (
    ('ix_handoff_created_at', 'ix_handoff_created_bdr', ['created_at', 'bdr_user_id']),
    ('ix_handoff_claimed_at', 'ix_handoff_claimed_bdr', ['claimed_at', 'bdr_user_id',
                                                         'created_at']),
    ('ix_handoff_reminded_at', 'ix_handoff_reminded_bdr', ['reminded_at', 'bdr_user_id']),
    ('ix_handoff_escalated_at', 'ix_handoff_escalated_bdr', ['escalated_at', 'bdr_user_id']),
    ('ix_handoff_decided_at', 'ix_handoff_decided_bdr', ['decided_at', 'bdr_user_id', 'status']),
)
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
    op.add_column('handoff', sa.Column('bdr_user_id', sa.String(), nullable=True))
    op.execute("UPDATE handoff SET bdr_user_id = (SELECT q.bdr_user_id FROM qualification q"
               " WHERE q.id = handoff.qualification_id)")
    for old, new, columns in HANDOFF_INDEXES:
        op.create_index(new, 'handoff', columns)
        op.drop_index(old, table_name='handoff')


def downgrade() -> None:
    for old, new, columns in HANDOFF_INDEXES:
        op.create_index(old, 'handoff', columns[:1])
        op.drop_index(new, table_name='handoff')
    # Plain DROP COLUMNs (SQLite 3.35+), as in 0002: batch mode would copy and drop tables that
    # foreign keys point at.
    op.drop_column('handoff', 'bdr_user_id')
    op.create_index('ix_qualification_finished_bdr', 'qualification',
                    ['finished_at', 'bdr_user_id'])
    op.drop_index('ix_qualification_finished_judged', table_name='qualification')
    op.drop_column('qualification', 'overridden')
    op.drop_column('qualification', 'sales_ready')
