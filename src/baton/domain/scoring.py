"""The verdict engine: answers and the agreed definition in, a sales-ready verdict out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from baton.domain.definition import Definition, FrameworkRule, OrganisationFit
from baton.domain.disqualifiers import disqualification
from baton.domain.fit import fit_results
from baton.domain.framework import AnswerKind, Criterion, Framework, Status, TypedRule
from baton.domain.lead import Answer, Lead
from baton.domain.parsing import ParseError, parse_money, parse_number
from baton.domain.timeline import parse_timeline
from baton.domain.verdict import CriterionResult, Verdict

Assessment = tuple[Status, str]


def _money(rule: TypedRule, text: str, today: dt.date) -> Assessment:
    money = parse_money(text)
    if rule.min_amount is None:
        return Status.MET, f"{money} given"
    minimum = f"{rule.min_amount:,} {rule.currency}"
    if money.currency != rule.currency:
        # Exchange rates change daily; comparing across currencies would be a guess.
        return Status.UNKNOWN, (f"{money} is not in {rule.currency}, the currency of the "
                                f"minimum of {minimum}: give the amount in {rule.currency}")
    if money.amount >= rule.min_amount:
        return Status.MET, f"{money} meets the minimum of {minimum}"
    return Status.NOT_MET, f"{money} is below the minimum of {minimum}"


def _date(rule: TypedRule, text: str, today: dt.date) -> Assessment:
    target = parse_timeline(text, today)
    shown, days = f"{target.day} {target:%B %Y}", (target - today).days
    if rule.within_days is None:
        return Status.MET, f"target {shown}"
    if days <= rule.within_days:
        return Status.MET, f"target {shown} is within {rule.within_days} days"
    return Status.NOT_MET, f"target {shown} is {days} days away, beyond {rule.within_days} days"


def _number(rule: TypedRule, text: str, today: dt.date) -> Assessment:
    number = parse_number(text)
    if rule.min_number is not None and number < rule.min_number:
        return Status.NOT_MET, f"{number:,} is below the minimum of {rule.min_number:,}"
    if rule.max_number is not None and number > rule.max_number:
        return Status.NOT_MET, f"{number:,} is above the maximum of {rule.max_number:,}"
    return Status.MET, f"{number:,} is within the agreed range"


def _text(rule: TypedRule, text: str, today: dt.date) -> Assessment:
    return Status.MET, text


_TYPED: dict[AnswerKind, Callable[[TypedRule, str, dt.date], Assessment]] = {
    AnswerKind.MONEY: _money, AnswerKind.DATE: _date, AnswerKind.NUMBER: _number,
    AnswerKind.TEXT: _text, AnswerKind.PERSON: _text,
}


def _assess(criterion: Criterion, answer: Answer | None, today: dt.date) -> tuple[Status, int, str]:
    """How one criterion stands, the points it earns, and why, in words."""
    if answer is None:
        return Status.UNKNOWN, 0, "not asked yet"
    typed = (answer.typed or "").strip()
    if criterion.rule is not None and typed:
        try:
            status, detail = _TYPED[criterion.kind](
                criterion.rule, typed, answer.answered_on or today
            )
        except ParseError as error:
            return Status.UNKNOWN, 0, str(error)
        return status, criterion.rule.points if status is Status.MET else 0, detail
    if answer.choice is not None:
        choice = criterion.choice(answer.choice)
        if choice is None:
            return Status.UNKNOWN, 0, f"{answer.choice!r} is not one of its answers"
        return choice.meets, choice.points, choice.label
    if typed:
        return Status.UNKNOWN, 0, f"{typed!r} was typed, but only a choice counts here"
    return Status.UNKNOWN, 0, "skipped"


def _criterion_result(
    criterion: Criterion, answer: Answer | None, must_meet: bool, today: dt.date
) -> CriterionResult:
    status, points, detail = _assess(criterion, answer, today)
    shown = None
    if answer is not None:
        picked = criterion.choice(answer.choice) if answer.choice else None
        shown = _typed_shown(criterion, answer) or (picked.label if picked else answer.choice)
    return CriterionResult(
        key=criterion.key, title=criterion.title, status=status,
        reason=f"{criterion.title}: {detail}", points=points,
        max_points=criterion.max_points, must_meet=must_meet, answer=shown,
    )


def _typed_shown(criterion: Criterion, answer: Answer) -> str:
    """A typed answer as people read it: an amount with its thousands ("120,000 USD")."""
    typed = (answer.typed or "").strip()
    if typed and criterion.kind is AnswerKind.MONEY:
        try:
            return str(parse_money(typed))
        except ParseError:
            return typed
    return typed


def _missing(
    results: list[CriterionResult], fit: OrganisationFit, score: int, rule: FrameworkRule
) -> list[str]:
    missing = []
    for result in results:
        detail = result.reason.removeprefix(f"{result.title}: ")
        if result.key.startswith("fit_"):
            if result.status is Status.NOT_MET:
                missing.append(result.reason)
            elif result.status is Status.UNKNOWN and fit.unknown_blocks:
                missing.append(f"{result.title} must be known to judge the fit")
        elif result.must_meet and result.status is not Status.MET:
            missing.append(f"{result.title} must be met ({detail})")
    if score < rule.min_score:
        missing.append(f"score {score} is below the minimum of {rule.min_score}")
    return missing


def _score(results: list[CriterionResult]) -> int:
    total = sum(result.max_points for result in results)
    earned = sum(result.points for result in results)
    # Half-up rounding in integers, so 62.5 is 63 on every platform.
    return min(100, (200 * earned + total) // (2 * total)) if total else 0


def _rule(framework: Framework, definition: Definition) -> FrameworkRule:
    rule = definition.rule_for(framework.key)
    if rule is None:
        raise ValueError(f"definition {definition.version} has no rule for framework "
                         f"{framework.key!r}: add it under frameworks: in definition.yaml")
    unasked = [key for key in rule.must_meet if framework.criterion(key) is None]
    if unasked:
        raise ValueError(f"definition {definition.version}: frameworks.{framework.key}.must_meet "
                         f"names {', '.join(unasked)}, which {framework.name} does not ask")
    return rule


def judge(
    framework: Framework, definition: Definition, lead: Lead, answers: Iterable[Answer],
    *, today: dt.date,
) -> Verdict:
    """Judge a lead by the definition; `today` dates answers that carry no answered_on."""
    rule = _rule(framework, definition)
    latest = {answer.criterion: answer for answer in answers}
    results = [
        _criterion_result(c, latest.get(c.key), c.key in rule.must_meet, today)
        for c in framework.criteria
    ]
    score = _score(results)
    results += fit_results(definition.organisation_fit, lead)
    disqualified = disqualification(definition.disqualifiers, lead, latest)
    missing = () if disqualified else tuple(
        _missing(results, definition.organisation_fit, score, rule)
    )
    return Verdict(
        sales_ready=disqualified is None and not missing, score=score, framework=framework.key,
        definition_version=definition.version, criteria=tuple(results), missing=missing,
        disqualified=disqualified,
    )

