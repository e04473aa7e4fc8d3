"""Handoffs keep Slack's link to their posted card

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('handoff', sa.Column('permalink', sa.String(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would copy and drop the table, which
    # foreign keys from outcomes forbid while SQLite enforces them.
    op.drop_column('handoff', 'permalink')
