"""Teams in the definition: a routing rule's leads are timed in its team's zone, hours and
holidays; a rule naming a team that does not exist is refused."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from baton.domain.definition import Definition, Team
from baton.domain.definition_checks import check_definition
from baton.domain.sla import add_business_minutes, deadlines
from tests.conftest import PROMPTS_DIR
from tests.domain.builders import FRAMEWORKS

SYDNEY = ZoneInfo("Australia/Sydney")


def shipped() -> Definition:
    from baton.services.catalog import load_catalog

    return load_catalog(PROMPTS_DIR).definition


def sydney(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SYDNEY)


def test_an_apac_lead_handed_off_at_ten_in_sydney_is_due_at_a_quarter_past_in_sydney() -> None:
    definition = shipped()
    sla = definition.sla_for("APAC team")

    due = deadlines(sydney(2026, 12, 8, 10, 0), sla)

    assert due.claim_by.astimezone(SYDNEY) == sydney(2026, 12, 8, 10, 15)
    assert due.escalate_at.astimezone(SYDNEY) == sydney(2026, 12, 8, 11, 0)
    # By the New York hours of the other rules it would have been due at 09:15 the next
    # morning in New York: hours after the Sydney team went home.
    assert deadlines(sydney(2026, 12, 8, 10, 0), definition.sla).claim_by != due.claim_by


def test_a_lead_handed_off_the_evening_before_a_holiday_is_due_after_it() -> None:
    sla = shipped().sla_for("APAC team")
    # Thursday 24 December, 16:55: Friday 25th is Christmas, Monday 28th a public holiday.
    due = add_business_minutes(sydney(2026, 12, 24, 16, 55), 15, sla)
    assert due.astimezone(SYDNEY) == sydney(2026, 12, 29, 9, 10)


def test_a_rule_without_a_team_keeps_the_definitions_sla_and_holidays() -> None:
    definition = shipped()
    sla = definition.sla_for("EMEA team")
    assert sla == definition.sla
    new_york = ZoneInfo("America/New_York")
    christmas_eve = dt.datetime(2026, 12, 24, 17, 50, tzinfo=new_york)
    assert add_business_minutes(christmas_eve, 15, sla).astimezone(new_york) == dt.datetime(
        2026, 12, 28, 9, 5, tzinfo=new_york)


def test_a_rule_naming_a_team_that_does_not_exist_is_refused() -> None:
    definition = shipped()
    routing = tuple(rule.model_copy(update={"team": "apc"}) if rule.team else rule
                    for rule in definition.routing)
    broken = definition.model_copy(update={"routing": routing})
    problems = check_definition(broken, FRAMEWORKS)
    assert ("routing[0].team", "no team 'apc' in teams; expected one of: apac") in [
        (p.field, p.message) for p in problems]


@pytest.mark.parametrize(("fields", "message"), [
    ({"timezone": "Australia/Sidney"}, "expected an IANA time zone"),
    ({"managers": ["max"]}, "should match pattern"),
    ({"mention": "U0MAX00001"}, "should match pattern"),
])
def test_a_team_that_cannot_work_is_refused_saying_why(fields: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Team.model_validate(fields)


def test_a_rules_own_managers_come_before_its_teams() -> None:
    definition = shipped()
    assert definition.managers_for("APAC team") == ("U0APACMGR1",)
    assert definition.managers_for("EMEA team") == ()  # BATON_MANAGERS
    routing = tuple(rule.model_copy(update={"managers": ("U0LEAD0001",)})
                    if rule.name == "APAC team" else rule for rule in definition.routing)
    own = definition.model_copy(update={"routing": routing})
    assert own.managers_for("APAC team") == ("U0LEAD0001",)
