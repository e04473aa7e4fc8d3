"""The outbox sets aside what Slack refuses (with since when), knows when a row was first tried,
and which rows a sender holds

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ('first_attempt_at', 'leased_at', 'set_aside_at')


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column('outboxmessage', sa.Column(column, sa.DateTime(timezone=True), nullable=True))
    # A row given up on before is set aside now, so `baton outbox retry` can send it again.
    op.execute("UPDATE outboxmessage SET status = 'set_aside', set_aside_at = created_at"
               " WHERE status = 'failed'")


def downgrade() -> None:
    op.execute("UPDATE outboxmessage SET status = 'failed' WHERE status = 'set_aside'")
    # Plain DROP COLUMN (SQLite 3.35+), as in 0002: batch mode would copy the table.
    for column in reversed(COLUMNS):
        op.drop_column('outboxmessage', column)
