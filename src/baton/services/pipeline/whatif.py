"""What if the team changed its definition: every stored qualification of a period judged again
by a proposed definition and the question sets beside it, nothing stored; which leads flip,
why, and what those leads became."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.lead import Answer, Lead
from baton.domain.lifecycle import HandoffStatus
from baton.domain.scoring import judge
from baton.domain.verdict import Verdict
from baton.services.catalog import Catalog
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import AnswerEntry, Handoff, Outcome, Qualification, VerdictRecord
from baton.store.tables import Lead as LeadRow

_Q = Qualification.__table__  # type: ignore[attr-defined]
_V = VerdictRecord.__table__  # type: ignore[attr-defined]
_L = LeadRow.__table__  # type: ignore[attr-defined]
_A = AnswerEntry.__table__  # type: ignore[attr-defined]
_H = Handoff.__table__  # type: ignore[attr-defined]
_O = Outcome.__table__  # type: ignore[attr-defined]
BATCH = 2000
_LEAD_FIELDS = ("company", "contact_name", "title", "email", "source", "region", "industry",
                "employees", "open_opportunity")
# What a lead became, the furthest it went first, as sales says it.
_OUTCOMES = {"won": "won", "lost": "lost", "opportunity_created": "opportunity created",
             "meeting_held": "meeting held"}


@dataclass(frozen=True)
class Flip:
    """A lead the proposed definition judges the other way, and what became of it."""

    qualification_id: int
    company: str
    bdr: str
    old_ready: bool
    old_score: int
    old_version: str
    new_ready: bool
    new_score: int
    why: str
    became: str


@dataclass
class WhatIf:
    """The proposed definition over a period's qualifications."""

    proposed_version: str
    since: dt.datetime
    until: dt.datetime
    judged: int = 0
    ready_before: int = 0
    ready_after: int = 0
    # Leads whose verdict a manager overrode: their verdict stands, so they never flip.
    overridden: int = 0
    # Leads the proposal cannot judge: their framework has no rule or no question set in it.
    unjudged: int = 0
    flips: list[Flip] = field(default_factory=list)

    @property
    def dropped(self) -> list[Flip]:
        return [flip for flip in self.flips if flip.old_ready]

    @property
    def added(self) -> list[Flip]:
        return [flip for flip in self.flips if not flip.old_ready]

    def became(self, flips: Sequence[Flip]) -> Counter[str]:
        return Counter(flip.became for flip in flips)

    def sentence(self) -> str:
        """The change in a sentence, as ops would say it to sales."""
        dropped, added = self.dropped, self.added
        fates = self.became(dropped)
        rejected = sum(n for fate, n in fates.items() if fate.startswith("rejected"))
        won_before = sum(1 for flip in dropped if flip.became == "won")
        parts = [f"This change would have dropped {len(dropped)} "
                 f"lead{'s' if len(dropped) != 1 else ''}"]
        if dropped:
            parts.append(f", {rejected} of them rejected by sales")
            parts.append(", and kept every won deal" if not won_before else
                         f", and dropped {won_before} won deal{'s' if won_before != 1 else ''}")
        parts.append(f"; it would have added {len(added)}.")
        return "".join(parts)


def what_if(*, uow: UnitOfWork, proposed: Catalog, since: dt.datetime,
            until: dt.datetime) -> WhatIf:
    """Judge again, by `proposed`, each qualification finished in [since, until) by its
    answers in force; nothing is stored."""
    result = WhatIf(proposed.definition.version, since, until)
    with uow.reading() as session:
        for rows in _batches(session, since, until):
            answers = _answers(session, [row.id for row in rows])
            for row in rows:
                _judge_one(result, proposed, row, answers.get(row.id, []))
        _fates(session, result)
    return result


def _batches(session: Session, since: dt.datetime, until: dt.datetime) -> Iterator[list[Any]]:
    """The period's finished qualifications with their verdict in force and lead, by id."""
    latest = (sa.select(_V.c.qualification_id, sa.func.max(_V.c.id).label("verdict_id"))
              .group_by(_V.c.qualification_id).subquery())
    query = (
        sa.select(_Q.c.id, _Q.c.bdr_user_id, _Q.c.framework, _V.c.sales_ready, _V.c.score,
                  _V.c.definition_version, _V.c.overridden_by, _V.c.decided_at,
                  *(_L.c[name] for name in _LEAD_FIELDS))
        .select_from(_Q.join(latest, latest.c.qualification_id == _Q.c.id)
                     .join(_V, _V.c.id == latest.c.verdict_id)
                     .join(_L, _L.c.id == _Q.c.lead_id))
        .where(_Q.c.finished_at >= since, _Q.c.finished_at < until)
        .order_by(_Q.c.id))
    last = 0
    while True:
        rows = session.execute(query.where(_Q.c.id > last).limit(BATCH)).all()
        if not rows:
            return
        yield list(rows)
        last = rows[-1].id


def _answers(session: Session, ids: Sequence[int]) -> dict[int, list[Answer]]:
    found: dict[int, list[Answer]] = {}
    for row in session.execute(
            sa.select(_A.c.qualification_id, _A.c.criterion_key, _A.c.choice, _A.c.typed_value,
                      _A.c.normalised_value, _A.c.answered_at)
            .where(_A.c.qualification_id.in_(ids), _A.c.is_current.is_(True))):
        found.setdefault(row.qualification_id, []).append(Answer(
            criterion=row.criterion_key, choice=row.choice,
            typed=row.normalised_value or row.typed_value, answered_on=row.answered_at.date()))
    return found


def _judge_one(result: WhatIf, proposed: Catalog, row: Any, answers: list[Answer]) -> None:
    result.judged += 1
    result.ready_before += bool(row.sales_ready)
    framework = proposed.frameworks.get(row.framework)
    if row.overridden_by is not None:
        result.overridden += 1
        result.ready_after += bool(row.sales_ready)
        return
    if framework is None or proposed.definition.rule_for(row.framework) is None:
        result.unjudged += 1
        result.ready_after += bool(row.sales_ready)
        return
    lead = Lead(**{name: getattr(row, name) for name in _LEAD_FIELDS
                   if getattr(row, name) is not None})
    verdict = judge(framework, proposed.definition, lead, answers, today=row.decided_at.date())
    result.ready_after += verdict.sales_ready
    if verdict.sales_ready != bool(row.sales_ready):
        result.flips.append(Flip(
            qualification_id=row.id, company=lead.company, bdr=row.bdr_user_id,
            old_ready=bool(row.sales_ready), old_score=row.score,
            old_version=row.definition_version, new_ready=verdict.sales_ready,
            new_score=verdict.score, why=_why(verdict, proposed), became=""))


def _why(verdict: Verdict, proposed: Catalog) -> str:
    """The rule of the proposal that flipped it."""
    if verdict.disqualified:
        return f"disqualified: {verdict.disqualified}"
    if verdict.missing:
        return "; ".join(verdict.missing)
    rule = proposed.definition.rule_for(verdict.framework)
    return (f"meets the proposal (score {verdict.score}, at least {rule.min_score})" if rule
            else "meets the proposal")


def _fates(session: Session, result: WhatIf) -> None:
    """What each flipped lead became: its handoff's furthest outcome or decision."""
    ids = [flip.qualification_id for flip in result.flips]
    fates: dict[int, str] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        handoffs = session.execute(sa.select(
            _H.c.qualification_id, _H.c.id, _H.c.status, _H.c.reject_label, _H.c.reject_reason)
            .where(_H.c.qualification_id.in_(chunk))).all()
        kinds: dict[int, set[str]] = {}
        for handoff_id, kind in session.execute(sa.select(_O.c.handoff_id, _O.c.kind).where(
                _O.c.handoff_id.in_([h.id for h in handoffs]))):
            kinds.setdefault(handoff_id, set()).add(str(kind))
        for handoff in handoffs:
            fates[handoff.qualification_id] = _fate(handoff, kinds.get(handoff.id, set()))
    result.flips = [Flip(**{**flip.__dict__, "became": fates.get(flip.qualification_id,
                                                                 "never handed off")})
                    for flip in result.flips]


def _fate(handoff: Any, kinds: set[str]) -> str:
    reached = next((said for kind, said in _OUTCOMES.items() if kind in kinds), None)
    if reached is not None:
        return reached
    status = str(handoff.status)
    if status == HandoffStatus.REJECTED:
        reason = handoff.reject_label or (handoff.reject_reason or "").replace("_", " ")
        return f"rejected: {reason}" if reason else "rejected"
    if status == HandoffStatus.ACCEPTED:
        return "accepted"
    if status == HandoffStatus.WITHDRAWN:
        return "withdrawn"
    return "waiting for sales"


WHATIF_DAYS = 90


def what_if_text(*, uow: UnitOfWork, catalog: Catalog, yaml_text: str, manager: bool,
                 now: dt.datetime) -> WhatIf:
    """A proposed definition pasted in Slack, replayed over the last 90 days for a manager;
    a Refusal naming the field when it cannot be read or does not fit the question sets."""
    import dataclasses

    from baton.domain.definition_checks import check_definition
    from baton.domain.errors import Refusal
    from baton.services.catalog import DefinitionError, catalog_in_force, parse_definition

    if not manager:
        raise Refusal("Only sales managers replay a proposed definition: it reads the whole "
                      "team's leads.")
    try:
        definition = parse_definition(yaml_text)
    except DefinitionError as error:
        raise Refusal(f"The proposed definition cannot be used: {error}.") from None
    with uow.reading() as session:
        in_force = catalog_in_force(session=session, catalog=catalog)
    problems = check_definition(definition, in_force.frameworks)
    if problems:
        listed = "; ".join(f"{problem.field}: {problem.message}" for problem in problems[:5])
        raise Refusal(f"The proposed definition does not fit the question sets: {listed}.")
    proposed = dataclasses.replace(in_force, definition=definition, definition_text=yaml_text)
    return what_if(uow=uow, proposed=proposed, since=now - dt.timedelta(days=WHATIF_DAYS),
                   until=now)
