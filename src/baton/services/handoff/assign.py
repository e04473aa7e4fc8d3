"""Giving a sales-ready lead to a rep without waiting for a claim: the next available member of
its routing rule's round robin, or the rep who already owns the account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.assignment import (
    Assignment,
    AssignMode,
    Pick,
    Skipped,
    away_until,
    next_in_turn,
)
from baton.domain.definition import Definition
from baton.domain.lifecycle import HandoffStatus
from baton.services.handoff.claims import CLAIMABLE, load_handoff
from baton.store.db import rows_changed
from baton.store.events import record_event
from baton.store.tables import Absence, Handoff, Lead, Rotation

# A user group's members as Slack lists them; the Slack layer provides it.
GroupMembers = Callable[[str], Sequence[str]]
_HANDOFF = Handoff.__table__  # type: ignore[attr-defined]
_LEAD = Lead.__table__  # type: ignore[attr-defined]
_ROTATION = Rotation.__table__  # type: ignore[attr-defined]


class MembersUnavailable(RuntimeError):
    """Slack cannot say, for now, who is in a rotation's user group: assign later."""


@dataclass(frozen=True)
class Assigned:
    """Who a lead was given to (None: nobody could take it, so it waits for a claim), how
    ("round_robin", "owner"), and who was passed over on the way."""

    user: str | None
    how: str
    skipped: tuple[Skipped, ...] = ()


def no_groups(group: str) -> Sequence[str]:
    """For callers without Slack at hand: a user group names nobody."""
    return ()


def assign_on_handoff(*, session: Session, handoff_id: int, definition: Definition,
                      members_of: GroupMembers = no_groups,
                      now: dt.datetime) -> Assigned | None:
    """Assign a new handoff as its routing rule says; None when the rule leaves it to a claim
    (or it was claimed meanwhile)."""
    handoff = load_handoff(session, handoff_id)
    rule = next((r for r in definition.routing if r.name == handoff.routing_rule), None)
    if rule is None or rule.assign.mode is AssignMode.CLAIM or handoff.claimed_by is not None:
        return None
    assignment = rule.assign
    today = now.date()
    skipped: tuple[Skipped, ...] = ()
    if assignment.mode is AssignMode.OWNER:
        owner = account_owner(session, handoff)
        if owner is not None:
            why = unavailable(session, owner, assignment, today)
            if why is None:
                return _given(session, handoff_id, owner, "owner", now)
            skipped = (Skipped(owner, why),)
        if assignment.fallback is not AssignMode.ROUND_ROBIN:
            return Assigned(None, "owner", skipped)
    pick = _next_member(session, rule.name, assignment, members_of, today)
    if pick.user is None:
        return Assigned(None, "round_robin", skipped + pick.skipped)
    given = _given(session, handoff_id, pick.user, "round_robin", now)
    return Assigned(given.user, given.how, skipped + pick.skipped)


def _next_member(session: Session, rule: str, assignment: Assignment, members_of: GroupMembers,
                 today: dt.date, passed_over: str | None = None) -> Pick:
    """The rotation's pick, its state advanced in this transaction: the row is locked, so two
    processes handing off at once take consecutive turns. `passed_over` (a rep whose time ran
    out) is not picked."""
    people = [person for member in assignment.members
              for person in (members_of(member) if member.startswith("S") else (member,))]
    try:
        with session.begin_nested():
            session.execute(sa.insert(_ROTATION).values(rule=rule, credits={},
                                                        updated_at=dt.datetime.now(dt.UTC)))
    except sa.exc.IntegrityError:
        pass  # the rule has taken turns before
    credits = session.execute(sa.select(_ROTATION.c.credits).where(_ROTATION.c.rule == rule)
                              .with_for_update()).scalar_one()
    pick = next_in_turn(people, assignment.weights, credits, lambda user: (
        "did not accept in time" if user == passed_over
        else unavailable(session, user, assignment, today)))
    session.execute(sa.update(_ROTATION).where(_ROTATION.c.rule == rule)
                    .values(credits=pick.credits, updated_at=dt.datetime.now(dt.UTC)))
    return pick


def next_after(*, session: Session, handoff: Handoff, definition: Definition,
               members_of: GroupMembers, now: dt.datetime) -> Pick | None:
    """Who an assigned lead its owner did not accept in time moves to: the next available member
    of its rule's rotation, never the same rep; None when its rule has no rotation."""
    rule = next((r for r in definition.routing if r.name == handoff.routing_rule), None)
    if rule is None or AssignMode.ROUND_ROBIN not in (rule.assign.mode, rule.assign.fallback_mode):
        return None
    return _next_member(session, rule.name, rule.assign, members_of, now.date(),
                        passed_over=handoff.claimed_by)


def unavailable(session: Session, user: str, assignment: Assignment,
                today: dt.date) -> str | None:
    """Why `user` cannot be given a lead today (away, at the cap), or None."""
    absence = session.get(Absence, user)
    if absence is not None and (absence.until is None or absence.until >= today):
        return away_until(absence.until)
    if assignment.max_open is not None and open_leads(session, user) >= assignment.max_open:
        return f"at the cap of {assignment.max_open} leads not yet accepted"
    return None


def open_leads(session: Session, user: str) -> int:
    """Handoffs `user` holds and has not accepted yet."""
    return int(session.execute(sa.select(sa.func.count()).select_from(_HANDOFF).where(
        _HANDOFF.c.claimed_by == user, _HANDOFF.c.status == HandoffStatus.CLAIMED)).scalar_one())


def account_owner(session: Session, handoff: Handoff) -> str | None:
    """The rep who owns the account: the owner of the latest earlier handoff of the same company
    (compared as Baton compares names) or of the same company email domain."""
    lead = session.get(Lead, handoff.lead_id)
    if lead is None:
        return None
    same = [_LEAD.c.id == lead.id]
    if lead.company_key:
        same.append(_LEAD.c.company_key == lead.company_key)
    if lead.company_domain:
        same.append(_LEAD.c.company_domain == lead.company_domain)
    owner = session.execute(
        sa.select(_HANDOFF.c.claimed_by).join(_LEAD, _LEAD.c.id == _HANDOFF.c.lead_id)
        .where(sa.or_(*same), _HANDOFF.c.id != handoff.id, _HANDOFF.c.claimed_by.is_not(None),
               _HANDOFF.c.status.in_((HandoffStatus.CLAIMED, HandoffStatus.ACCEPTED)))
        .order_by(_HANDOFF.c.id.desc()).limit(1)).scalar()
    return str(owner) if owner else None


def _given(session: Session, handoff_id: int, user: str, how: str,
           now: dt.datetime) -> Assigned:
    """The handoff held by `user` on Baton's say, as if they had claimed it."""
    given = rows_changed(session, sa.update(_HANDOFF).where(
        _HANDOFF.c.id == handoff_id, _HANDOFF.c.claimed_by.is_(None),
        _HANDOFF.c.status.in_(CLAIMABLE)).values(
        status=HandoffStatus.CLAIMED, claimed_by=user, claimed_at=now, assigned_to=user,
        assigned_by=how, assigned_at=now, accept_by=None)) == 1
    if not given:
        return Assigned(None, how)
    record_event(session, actor="baton", kind="handoff.assigned", subject_type="handoff",
                 subject_id=handoff_id, payload={"to": user, "how": how})
    return Assigned(user, how)
