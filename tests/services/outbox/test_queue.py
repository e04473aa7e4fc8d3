"""The outbox keeps each Slack call once, by its dedupe key, and only calls it knows."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.services.outbox import enqueue
from baton.store.db import session_scope
from baton.store.tables import OutboxMessage

CHANNEL = "C0SALES001"


def _post(engine: sa.Engine, key: str, text: str = "Acme Corp is sales-ready") -> int:
    with session_scope(engine) as session:
        return enqueue(session=session, kind="chat.postMessage", dedupe_key=key,
                       payload={"channel": CHANNEL, "text": text})


def test_the_same_dedupe_key_twice_keeps_one_row(engine: sa.Engine) -> None:
    first, second = _post(engine, "card:1"), _post(engine, "card:1", text="another")
    assert first == second
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert [r.payload["text"] for r in rows] == ["Acme Corp is sales-ready"]


def test_an_unknown_method_is_refused_by_name(engine: sa.Engine) -> None:
    with pytest.raises(ValueError, match="kind: expected one of .*got 'chat.postMesage'"):
        with session_scope(engine) as session:
            enqueue(session=session, kind="chat.postMesage", payload={}, dedupe_key="x")
