"""One synthetic lead's history as rows: qualification, answers, verdict, handoff, outcomes."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from baton.domain.companies import company_domain, company_key
from baton.domain.definition import Definition
from baton.domain.framework import Framework, Status
from baton.domain.lead import Answer, Lead
from baton.domain.lifecycle import HandoffStatus, OutcomeKind, QualificationStatus
from baton.domain.scoring import judge
from baton.store.verdicts import judgement

BDRS = tuple(f"U0SEEDBDR{n:02d}" for n in range(1, 9))
REPS = tuple(f"U0SEEDREP{n:02d}" for n in range(1, 7))
CHANNELS = ("C0SEEDEMEA", "C0SEEDAMER", "C0SEEDAPAC")
# Within the shipped definition's fit (finance is an alias of financial services), so the
# verdicts the definition gives are mostly about the answers.
REGIONS = ("EMEA", "NA", "APAC")
INDUSTRIES = ("software", "retail", "finance", "healthcare", "manufacturing")
WORDS = ("Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay",
         "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Gringotts", "Oscorp", "Aperture")
SUFFIXES = ("Corp", "Ltd", "GmbH", "Group", "Labs", "Systems", "Partners")
REASONS = (("not_a_fit", 30), ("no_budget", 25), ("wrong_contact", 20), ("not_ready_yet", 15),
           ("duplicate", 5), ("other", 5))
SRL_SHARE = 0.4
SLA = dt.timedelta(minutes=15)
ESCALATE = dt.timedelta(hours=1)


@dataclass
class LeadRows:
    """Rows for one lead; foreign keys are filled in once the parents have ids."""

    lead: dict[str, Any]
    qualification: dict[str, Any]
    answers: list[dict[str, Any]] = field(default_factory=list)
    verdict: dict[str, Any] | None = None
    handoff: dict[str, Any] | None = None
    outcomes: list[dict[str, Any]] = field(default_factory=list)


def lead_rows(rng: random.Random, number: int, framework: Framework, definition: Definition,
              now: dt.datetime) -> LeadRows:
    """A lead qualified some time in the year before `now`, and whatever followed."""
    bdr = rng.choice(BDRS)
    started = now - dt.timedelta(seconds=rng.uniform(7200, 365 * 86400))
    company = f"{rng.choice(WORDS)} {rng.choice(SUFFIXES)} {number}"
    email = f"contact{number}@lead{number}.example"
    lead = {"company": company, "company_key": company_key(company), "email": email,
            "company_domain": company_domain(email), "contact_name": f"Contact {number}",
            "title": "Head of Sales", "source": rng.choice(("webinar", "inbound")),
            "region": rng.choice(REGIONS), "industry": rng.choice(INDUSTRIES),
            "employees": rng.randint(50, 5000), "created_at": started}
    version = definition.version
    rows = LeadRows(lead=lead, qualification=_qualification(bdr, framework, version, started))
    if rng.random() < 0.05:  # paused halfway: no verdict yet
        rows.qualification["status"] = QualificationStatus.PAUSED
        return rows
    finished = started + dt.timedelta(seconds=rng.uniform(300, 5400))
    rows.qualification.update(status=QualificationStatus.FINISHED, finished_at=finished,
                              current_index=len(framework.criteria))
    strong = rng.random() < SRL_SHARE
    statuses, ready = _answer_and_judge(rng, rows, framework, definition, bdr, strong, started,
                                        finished)
    if ready:
        _hand_off(rng, rows, finished + dt.timedelta(seconds=rng.uniform(1, 20)), now,
                  win_rate(framework.key, statuses))
    return rows


def win_rate(framework: str, statuses: dict[str, Status]) -> float:
    """The planted signal: a BANT lead whose timeline is met wins ten times as often as one
    whose timeline is not; its budget makes no difference. Other frameworks win at one rate."""
    if framework != "bant":
        return 0.35
    return 0.5 if statuses.get("timeline") is Status.MET else 0.05


def _qualification(bdr: str, framework: Framework, version: str,
                   started: dt.datetime) -> dict[str, Any]:
    return {"bdr_user_id": bdr, "team_id": "T0SEEDTEAM", "framework": framework.key,
            "status": QualificationStatus.IN_PROGRESS, "current_index": 0, "started_at": started,
            "finished_at": None, "definition_version": version, "sales_ready": None,
            "overridden": False}


def _answer_and_judge(rng: random.Random, rows: LeadRows, framework: Framework,
                      definition: Definition, bdr: str, strong: bool, started: dt.datetime,
                      finished: dt.datetime) -> tuple[dict[str, Status], bool]:
    """Answers, and the verdict the definition gives them; each criterion's status, and whether
    the lead is sales-ready. A strong lead meets every criterion but misses its first and its
    last (BANT's budget and timeline) three times in ten each, independently; a weak one misses
    one criterion."""
    last = len(framework.criteria) - 1
    if strong:
        weak = {index for index in (0, last) if rng.random() < 0.3}
    else:
        weak = {rng.randrange(len(framework.criteria))}
    step = (finished - started) / len(framework.criteria)
    criteria = []
    for index, criterion in enumerate(framework.criteria):
        met = [c for c in criterion.choices if c.meets is Status.MET]
        other = [c for c in criterion.choices if c.meets is not Status.MET] or met
        choice = rng.choice(other if index in weak else met)
        rows.answers.append({"criterion_key": criterion.key, "choice": choice.value,
                             "typed_value": None, "normalised_value": None, "notes": "",
                             "answered_by": bdr, "answered_at": started + step * (index + 1),
                             "is_current": True, "superseded_at": None})
        criteria.append({"key": criterion.key, "title": criterion.title,
                         "status": choice.meets.value, "reason": choice.label,
                         "points": choice.points, "answer": choice.label})
    lead = Lead(**{name: rows.lead[name] for name in ("company", "contact_name", "title", "email",
                                                      "source", "region", "industry",
                                                      "employees")})
    answers = [Answer(criterion=answer["criterion_key"], choice=answer["choice"],
                      answered_on=answer["answered_at"].date()) for answer in rows.answers]
    verdict = judge(framework, definition, lead, answers, today=finished.date())
    rows.qualification["sales_ready"] = verdict.sales_ready
    rows.verdict = {"sales_ready": verdict.sales_ready, "definition_version": definition.version,
                    "framework": framework.key, **judgement(verdict), "decided_at": finished}
    return {str(c["key"]): Status(str(c["status"])) for c in criteria}, verdict.sales_ready


def _hand_off(rng: random.Random, rows: LeadRows, created: dt.datetime, now: dt.datetime,
              wins: float) -> None:
    """A card claimed after a long-tailed delay, then accepted or rejected, then outcomes."""
    delay = dt.timedelta(seconds=min(rng.lognormvariate(5.5, 1.1), 86400))
    claimed = created + delay
    handoff: dict[str, Any] = {
        "lead_id": None, "bdr_user_id": rows.qualification["bdr_user_id"],
        "channel": rng.choice(CHANNELS), "message_ts": None,
        "routing_rule": None, "status": HandoffStatus.POSTED, "created_at": created,
        "claimed_by": None, "claimed_at": None, "decided_by": None, "decided_at": None,
        "reject_reason": None, "reject_comment": None, "claim_by": created + SLA,
        "escalate_at": created + ESCALATE,
        "reminded_at": created + SLA if delay > SLA else None,
        "escalated_at": created + ESCALATE if delay > ESCALATE else None,
    }
    rows.handoff = handoff
    if claimed > now or rng.random() < 0.05:
        return
    rep = rng.choice(REPS)
    handoff.update(status=HandoffStatus.CLAIMED, claimed_by=rep, claimed_at=claimed)
    decided = claimed + dt.timedelta(seconds=rng.uniform(600, 2 * 86400))
    if decided > now or rng.random() < 0.05:
        return
    accepted = rng.random() < 0.78
    handoff.update(status=HandoffStatus.ACCEPTED if accepted else HandoffStatus.REJECTED,
                   decided_by=rep, decided_at=decided)
    if not accepted:
        reasons, weights = zip(*REASONS, strict=True)
        handoff["reject_reason"] = rng.choices(reasons, weights)[0]
        handoff["reject_comment"] = ""
        return
    _outcomes(rng, rows, rep, decided, now, wins)


def _outcomes(rng: random.Random, rows: LeadRows, rep: str, after: dt.datetime,
              now: dt.datetime, wins: float) -> None:
    """Meeting, then perhaps an opportunity, then won (at the lead's rate) or lost, each some
    days later."""
    chain = [OutcomeKind.MEETING_HELD]
    if rng.random() < 0.6:
        chain.append(OutcomeKind.OPPORTUNITY_CREATED)
        chain.append(OutcomeKind.WON if rng.random() < wins else OutcomeKind.LOST)
    when = after
    for kind in chain:
        when += dt.timedelta(days=rng.uniform(1, 30))
        if when > now:
            return
        reason = "price" if kind is OutcomeKind.LOST else ""
        rows.outcomes.append({"kind": kind, "reason": reason, "recorded_by": rep,
                              "recorded_at": when})
