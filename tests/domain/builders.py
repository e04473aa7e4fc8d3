"""Frameworks and definitions built in code, so engine tests do not depend on shipped files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from baton.domain.definition import Definition
from baton.domain.framework import AnswerKind, Choice, Criterion, Framework, Status, TypedRule


def choices(best: int) -> tuple[Choice, ...]:
    """The usual four answers: strong, partial, no and don't know."""
    return (
        Choice(label="Strong", value="strong", points=best, meets=Status.MET),
        Choice(label="Partly", value="partly", points=best // 2, meets=Status.MET),
        Choice(label="No", value="no", points=0, meets=Status.NOT_MET),
        Choice(label="Don't know", value="unknown", points=0, meets=Status.UNKNOWN),
    )


def criterion(key: str, points: int, kind: AnswerKind = AnswerKind.CHOICE,
              rule: TypedRule | None = None) -> Criterion:
    title = key.replace("_", " ").capitalize()
    return Criterion(key=key, title=title, question=f"{title} at {{{{ lead.company }}}}?",
                     kind=kind, choices=choices(points), rule=rule)


def bant() -> Framework:
    return Framework(key="bant", name="BANT", criteria=(
        criterion("budget", 25, AnswerKind.MONEY,
                  TypedRule(points=25, min_amount=10000, currency="USD")),
        criterion("authority", 25),
        criterion("need", 25),
        criterion("timeline", 25, AnswerKind.DATE, TypedRule(points=25, within_days=90)),
    ))


def meddpicc() -> Framework:
    keys = ("metrics", "decision_criteria", "decision_process", "paper_process",
            "implicated_pain", "competition")
    return Framework(key="meddpicc", name="MEDDPICC", criteria=(
        criterion("economic_buyer", 15, AnswerKind.PERSON, TypedRule(points=15)),
        criterion("champion", 15, AnswerKind.PERSON, TypedRule(points=15)),
        *(criterion(key, 10) for key in keys),
    ))


def champ() -> Framework:
    return Framework(key="champ", name="CHAMP", criteria=(
        criterion("challenges", 30), criterion("authority", 25),
        criterion("money", 20, AnswerKind.MONEY, TypedRule(points=20, min_amount=10000)),
        criterion("prioritization", 25),
    ))


def gpct() -> Framework:
    return Framework(key="gpct", name="GPCT", criteria=(
        criterion("goals", 25), criterion("plans", 25), criterion("challenges", 25),
        criterion("timeline", 25, AnswerKind.DATE, TypedRule(points=25, within_days=90)),
    ))


def anum() -> Framework:
    return Framework(key="anum", name="ANUM", criteria=(
        criterion("authority", 30), criterion("need", 30),
        criterion("urgency", 20, AnswerKind.DATE, TypedRule(points=20, within_days=90)),
        criterion("seats", 20, AnswerKind.NUMBER, TypedRule(points=20, min_number=10)),
    ))


FRAMEWORKS = {f.key: f for f in (bant(), meddpicc(), champ(), gpct(), anum())}
MUST_MEET = {"bant": ["need", "authority"], "meddpicc": ["economic_buyer", "champion"],
             "champ": ["challenges", "authority"], "gpct": ["goals", "challenges"],
             "anum": ["authority", "need"]}


def definition(**changes: Any) -> Definition:
    """A definition close to the agreed one; keyword arguments replace whole sections."""
    fields: dict[str, Any] = {
        "version": "test-1",
        "agreed_by": ["Marketing", "Sales"],
        "agreed_on": dt.date(2026, 10, 1),
        "default_framework": "bant",
        "organisation_fit": {"industries": ["Software", "Healthcare"],
                             "employees": {"min": 50, "max": 20000}, "regions": ["NA", "EMEA"]},
        "frameworks": {key: {"must_meet": keys, "min_score": 60}
                       for key, keys in MUST_MEET.items()},
        "disqualifiers": [
            {"key": "competitor", "reason": "Works for a competitor",
             "field": "email_domain", "contains": ["rival.com"]},
            {"key": "student", "reason": "Student, not a buyer",
             "field": "title", "contains": ["student"]},
            {"key": "no_plan", "reason": "Their plan rules us out",
             "criterion": "plans", "choices": ["no"]},
        ],
        "sla": {"claim_within_minutes": 15, "escalate_after_minutes": 60},
        "segments": [{"name": "smb", "employees": {"min": 1, "max": 199}},
                     {"name": "mid_market", "employees": {"min": 200, "max": 1999}},
                     {"name": "enterprise", "employees": {"min": 2000}}],
        "routing": [
            {"name": "EMEA team", "channel": "C0EMEA0001", "match": {"regions": ["EMEA"]}},
            {"name": "Enterprise desk", "channel": "C0ENT00001",
             "match": {"segments": ["enterprise"]}},
            {"name": "Mid-market North America", "channel": "C0MIDNA001",
             "match": {"regions": ["NA"], "segments": ["mid_market"]}},
        ],
    }
    return Definition.model_validate(fields | changes)
