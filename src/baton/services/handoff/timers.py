"""The owner's follow-up deadlines: accept within the SLA's minutes of holding the lead, then
make first contact within its minutes of accepting; set by the tick from the stored moments, so
they are exact however late the tick runs."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from baton.domain.sla import add_business_minutes
from baton.services.catalog import Catalog, definition_in_force
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import Handoff

_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]
# Moments older than this get no deadline: a new SLA does not judge last year's leads.
LOOK_BACK = dt.timedelta(days=30)
BATCH = 500


def set_follow_up_deadlines(*, uow: UnitOfWork, catalog: Catalog, now: dt.datetime) -> int:
    """Give each lead held (or accepted) since the last tick its accept (or contact) deadline,
    when the definition in force times it; how many deadlines were set."""
    with uow.writing() as session:
        definition = definition_in_force(session=session, catalog=catalog)
        set_count = 0
        for field, since, deadline in (("accept_within_minutes", "claimed_at", "accept_by"),
                                       ("contact_within_minutes", "accepted_at", "contact_by")):
            if getattr(definition.sla, field) is None:
                continue
            rows = session.execute(
                sa.select(_HANDOFF.c.id, _HANDOFF.c[since], _HANDOFF.c.routing_rule)
                .where(_HANDOFF.c[deadline].is_(None), _HANDOFF.c[since].is_not(None),
                       _HANDOFF.c[since] >= now - LOOK_BACK)
                .order_by(_HANDOFF.c.id).limit(BATCH)).all()
            for handoff_id, moment, rule in rows:
                # Counted in the hours of the team the lead was routed to.
                sla = definition.sla_for(rule)
                session.execute(sa.update(_HANDOFF).where(
                    _HANDOFF.c.id == handoff_id, _HANDOFF.c[deadline].is_(None)).values(
                    {deadline: add_business_minutes(moment, getattr(sla, field), sla)}))
            set_count += len(rows)
        return set_count
