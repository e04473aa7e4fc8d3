"""What the CRM export reads: one row per lead, from one query the database streams.

The database writes each value as the export shows it (text as it is, nothing as "", true or
false, moments as 2026-03-01T09:30:00.123456Z), so Python only reads the JSON columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from baton.store.tables import AnswerEntry, Handoff, Lead, Outcome, Qualification, VerdictRecord

_L, _Q, _V, _H, _A, _O = (model.__table__ for model in (  # type: ignore[union-attr]
    Lead, Qualification, VerdictRecord, Handoff, AnswerEntry, Outcome))
# Answers by criterion as one JSON object per qualification, in each database's own words.
_OBJECT_AGG = {"postgresql": sa.func.json_object_agg, "sqlite": sa.func.json_group_object}


def _text(column: Any) -> Any:
    # Typed as plain text, so nothing is converted on the way back.
    return sa.func.coalesce(column, "", type_=sa.Text)


def _number(column: Any) -> Any:
    return sa.func.coalesce(sa.cast(column, sa.Text), "")


def _yes_no(column: Any) -> Any:
    return sa.case((column, "true"), (sa.not_(column), "false"), else_="")


def _moment(dialect: str, column: Any) -> Any:
    """A UTC moment as Python's isoformat writes it, with Z; no fraction when it is zero."""
    if dialect == "postgresql":
        written = sa.func.to_char(sa.func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS.US',
                                  type_=sa.Text)
    else:  # SQLite keeps moments as text: 2026-03-01 09:30:00.123456
        written = sa.func.replace(column, " ", "T", type_=sa.Text)
    return _text(sa.func.replace(written + "Z", ".000000Z", "Z"))


def _day(dialect: str, column: Any) -> Any:
    # SQLite keeps days as text: 2026-03-01.
    return _text(sa.func.to_char(column, "YYYY-MM-DD") if dialect == "postgresql" else column)


def _latest_outcome() -> sa.Subquery:
    """The outcome each handoff recorded last."""
    later = _O.alias("later")
    newer = sa.exists().where(
        later.c.handoff_id == _O.c.handoff_id,
        sa.tuple_(later.c.recorded_at, later.c.id) > sa.tuple_(_O.c.recorded_at, _O.c.id))
    return (sa.select(_O.c.handoff_id, _O.c.kind, _O.c.recorded_at, _O.c.reason,
                      _O.c.recorded_by, _O.c.amount)
            .where(~newer).subquery("latest_outcome"))


_OUTCOME = _latest_outcome()


def _fixed(dialect: str) -> tuple[Any, ...]:
    """The export's columns up to the criteria, in its order."""
    return (
        _number(_L.c.id), *(_text(_L.c[name]) for name in (
            "company", "contact_name", "title", "email", "source", "region", "industry")),
        _number(_L.c.employees), _yes_no(_L.c.open_opportunity),
        _text(_Q.c.bdr_user_id), _text(_V.c.framework), _moment(dialect, _V.c.decided_at),
        _yes_no(_V.c.sales_ready), _number(_V.c.score), _text(_V.c.definition_version),
        _text(_V.c.disqualified), sa.cast(_V.c.missing, sa.Text),  # a JSON list
        _text(_H.c.status), _text(_H.c.channel), _moment(dialect, _H.c.created_at),
        _text(_H.c.claimed_by), _moment(dialect, _H.c.claimed_at),
        _moment(dialect, _H.c.decided_at), _text(_H.c.reject_reason),
        _text(_H.c.reject_comment), _text(_H.c.reject_criterion), _text(_H.c.reject_version),
        _text(_H.c.permalink),
        _text(_OUTCOME.c.kind), _moment(dialect, _OUTCOME.c.recorded_at),
        _text(_OUTCOME.c.reason), _text(_OUTCOME.c.recorded_by),
        # Whole units: both backends then print it alike (40000, not 40000.0).
        _number(sa.cast(sa.func.round(_OUTCOME.c.amount), sa.Integer)),
        _text(_V.c.overridden_by), _text(_V.c.override_reason),
        _moment(dialect, _V.c.overridden_at), _text(_Q.c.nurture_reason),
        _day(dialect, _Q.c.recheck_on),
    )


def in_force(dialect: str, since: dt.date, until: dt.date | None) -> sa.Select[Any]:
    """The latest verdict of each lead, given from `since` to `until` (UTC days, included)."""
    return (sa.select(_V.c.id).select_from(_V.join(_Q, _Q.c.id == _V.c.qualification_id))
            .where(*_in_force(dialect, since, until)))


def _in_force(dialect: str, since: dt.date, until: dt.date | None) -> list[Any]:
    """Where a verdict (joined to its qualification) is its lead's latest, given in the days."""
    if until is not None and until < since:
        raise ValueError(f"--until {until} is before --since {since}")
    if dialect == "postgresql":
        # No later verdict for the same lead. PostgreSQL cannot tell how many ids the list of
        # each lead's latest verdict holds, and plans that list for a few hundred.
        later, sibling = _V.alias("later"), _Q.alias("sibling")
        latest = ~sa.exists().where(sibling.c.lead_id == _Q.c.lead_id,
                                    later.c.qualification_id == sibling.c.id,
                                    later.c.id > _V.c.id)
    else:
        latest = _V.c.id.in_(sa.select(sa.func.max(_V.c.id))
                             .select_from(_V.join(_Q, _Q.c.id == _V.c.qualification_id))
                             .group_by(_Q.c.lead_id))
    conditions = [latest, _V.c.decided_at >= _midnight(since)]
    if until is not None:
        conditions.append(_V.c.decided_at < _midnight(until + dt.timedelta(days=1)))
    return conditions


def exported(dialect: str, since: dt.date, until: dt.date | None) -> sa.Select[Any]:
    """Each verdict in force with its lead, qualification, handoff, latest outcome, and as JSON
    text its criteria's statuses and current answers (typed, else the choice), by criterion, in
    the order given."""
    shown = sa.func.coalesce(sa.func.nullif(_A.c.typed_value, ""),
                             sa.func.nullif(_A.c.choice, ""), "")
    answers = (sa.select(sa.cast(_OBJECT_AGG[dialect](_A.c.criterion_key, shown), sa.Text))
               .where(_A.c.qualification_id == _Q.c.id, _A.c.is_current)
               .scalar_subquery())
    return (sa.select(*_fixed(dialect), sa.cast(_V.c.statuses, sa.Text), answers)
            .select_from(_V.join(_Q, _Q.c.id == _V.c.qualification_id)
                         .join(_L, _L.c.id == _Q.c.lead_id)
                         .outerjoin(_H, _H.c.qualification_id == _Q.c.id)
                         .outerjoin(_OUTCOME, _OUTCOME.c.handoff_id == _H.c.id))
            .where(*_in_force(dialect, since, until))
            # In the order they were given, which is the order of their ids: the database reads
            # them that way, with nothing to sort.
            .order_by(_V.c.id))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
