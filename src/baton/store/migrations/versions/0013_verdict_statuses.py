"""A verdict keeps each criterion's status by its key beside the criteria it came from, so the
export reads a few words per lead instead of every criterion's title, reason and points

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 03:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each verdict's criteria, a JSON list of objects with a key and a status, as one object of
# statuses by key, in each database's own JSON functions.
_STATUSES = {
    'sqlite': "(SELECT json_group_object(json_extract(c.value, '$.key'),"
              " json_extract(c.value, '$.status')) FROM json_each(verdictrecord.criteria) AS c)",
    'postgresql': "COALESCE((SELECT json_object_agg(c ->> 'key', c ->> 'status')"
                  " FROM json_array_elements(verdictrecord.criteria) AS c), '{}'::json)",
}


def upgrade() -> None:
    op.add_column('verdictrecord', sa.Column('statuses', sa.JSON(), nullable=False,
                                             server_default='{}'))
    op.execute(f"UPDATE verdictrecord SET statuses = {_STATUSES[op.get_bind().dialect.name]}")


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+), as in 0002 and 0012.
    op.drop_column('verdictrecord', 'statuses')
