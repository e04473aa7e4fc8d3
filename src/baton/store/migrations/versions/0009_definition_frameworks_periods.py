"""A definition version keeps the question sets it judges with, and each stretch of time a
version was in force is recorded, so an older version can be put back

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('definitionversion', sa.Column('frameworks', sa.JSON(), nullable=True))
    op.add_column('definitionversion',
                  sa.Column('frameworks_checksum', sa.String(length=64), nullable=True))
    op.create_table(
        'definitionperiod',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_by', sa.String(), nullable=False),
        sa.Column('cause', sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_definitionperiod')),
    )
    op.create_index(op.f('ix_definitionperiod_version'), 'definitionperiod', ['version'])
    # Until now the version applied last was the one in force: each one was, from its apply.
    op.execute("INSERT INTO definitionperiod (version, started_at, started_by, cause)"
               " SELECT version, applied_at, applied_by, 'applied' FROM definitionversion"
               " ORDER BY applied_at, id")


def downgrade() -> None:
    op.drop_index(op.f('ix_definitionperiod_version'), table_name='definitionperiod')
    op.drop_table('definitionperiod')
    # Plain DROP COLUMN (SQLite 3.35+), as in 0002: batch mode would copy the table.
    op.drop_column('definitionversion', 'frameworks_checksum')
    op.drop_column('definitionversion', 'frameworks')
