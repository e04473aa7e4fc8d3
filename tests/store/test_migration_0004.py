"""Revision 0004 gives stored leads their company key and domain, and goes back."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from baton.store.db import alembic_config, make_engine

REVISION = "0004"
LEADS = [
    (1, "The Acme Corp.", "Dana@Acme.example"),
    (2, "Globex, Inc", "hank@gmail.com"),
    (3, "Initech", ""),
]
NOW = "2026-11-23 10:00:00+00:00"


def _migrate(engine: sa.Engine, direction: str, revision: str) -> None:
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        getattr(command, direction)(config, revision)


def _lead_columns(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("lead")}


def _indexes(engine: sa.Engine) -> set[str]:
    return {i["name"] for i in sa.inspect(engine).get_indexes("lead")}


def _at_0003_with_leads(database_url: str) -> sa.Engine:
    engine = make_engine(database_url)
    _migrate(engine, "upgrade", "0003")
    with engine.begin() as connection:
        for lead_id, company, email in LEADS:
            connection.execute(sa.text(
                "INSERT INTO lead (id, company, contact_name, title, email, source, region,"
                " industry, created_at) VALUES (:id, :company, '', '', :email, '', '', '', :now)"),
                {"id": lead_id, "company": company, "email": email, "now": NOW})
    return engine


def test_upgrade_fills_the_keys_of_every_stored_lead(database_url: str) -> None:
    engine = _at_0003_with_leads(database_url)

    _migrate(engine, "upgrade", REVISION)

    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT id, company_key, company_domain, open_opportunity FROM lead ORDER BY id"))
        assert [tuple(row) for row in rows] == [
            (1, "acme", "acme.example", None), (2, "globex", None, None), (3, "initech", None,
                                                                            None)]
    assert {"ix_lead_company_key", "ix_lead_company_domain"} <= _indexes(engine)
    assert "intakedraft" in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_downgrade_to_0003_drops_what_it_added_and_keeps_the_leads(database_url: str) -> None:
    engine = _at_0003_with_leads(database_url)
    _migrate(engine, "upgrade", REVISION)

    _migrate(engine, "downgrade", "0003")

    assert not {"company_key", "company_domain", "open_opportunity"} & _lead_columns(engine)
    assert "intakedraft" not in sa.inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM lead")).scalar() == len(LEADS)
    engine.dispose()
