"""A migrated PostgreSQL template's schema, to bring a copy a test has used back to the template."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

# Every column, default, constraint, index and enum label of the public schema, and the revision.
FINGERPRINT = sa.text("""
SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line), '')) FROM (
    SELECT format('column %s.%s %s %s %s', c.relname, a.attname,
                  format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT format('constraint %s %s', conname, pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT format('enum %s %s', t.typname, e.enumlabel)
    FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
    WHERE t.typnamespace = 'public'::regnamespace
    UNION ALL
    SELECT format('revision %s', version_num) FROM alembic_version
) AS schema (line)
""")
SEQUENCES = sa.text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")


@dataclass(frozen=True)
class Schema:
    """The template: its name, its schema's fingerprint, its tables and sequences."""

    name: str
    fingerprint: str
    tables: tuple[str, ...]  # children before their parents, the order rows can be deleted in
    sequences: tuple[str, ...]

    @classmethod
    def of(cls, url: str) -> Schema:
        """Read the schema of the migrated template at `url`."""
        engine = sa.create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                metadata = sa.MetaData()
                metadata.reflect(connection)
                tables = tuple(table.name for table in reversed(metadata.sorted_tables)
                               if table.name != "alembic_version")
                return cls(name=str(engine.url.database),
                           fingerprint=connection.execute(FINGERPRINT).scalar_one(),
                           tables=tables,
                           sequences=tuple(connection.execute(SEQUENCES).scalars()))
        finally:
            engine.dispose()

    def empties(self, url: str) -> bool:
        """Bring the copy at `url` back to the template: no row, sequences at their start.

        False, with nothing changed, when its schema is no longer the template's or it cannot be
        emptied within a few seconds.
        """
        engine = sa.create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
                if connection.execute(FINGERPRINT).scalar_one() != self.fingerprint:
                    return False
                for table in self.tables:
                    connection.execute(sa.text(f'DELETE FROM "{table}"'))
                for sequence in self.sequences:
                    connection.execute(sa.text(f'ALTER SEQUENCE "{sequence}" RESTART'))
                connection.commit()
            return True
        except sa.exc.DBAPIError:
            return False
        finally:
            engine.dispose()
