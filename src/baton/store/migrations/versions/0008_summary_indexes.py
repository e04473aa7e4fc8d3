"""Pipeline summaries read who finished a qualification, and what an outcome was, from the
indexes they already search by time

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-05 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, old index and its columns, new index and its columns)
CHANGES = (
    ('qualification', 'ix_qualification_finished_at', ['finished_at'],
     'ix_qualification_finished_bdr', ['finished_at', 'bdr_user_id']),
    ('outcome', 'ix_outcome_recorded_at', ['recorded_at'],
     'ix_outcome_recorded_kind', ['recorded_at', 'kind']),
)


def upgrade() -> None:
    for table, old, _, new, columns in CHANGES:
        op.create_index(new, table, columns, unique=False)
        op.drop_index(old, table_name=table)


def downgrade() -> None:
    for table, old, columns, new, _ in CHANGES:
        op.create_index(old, table, columns, unique=False)
        op.drop_index(new, table_name=table)
