"""describe_changes words each change to the definition the way sales ops would review it."""

from __future__ import annotations

from typing import Any

from baton.domain.definition import Definition
from baton.services.catalog import describe_changes, load_catalog
from tests.conftest import PROMPTS_DIR


def _current() -> Definition:
    return load_catalog(PROMPTS_DIR).definition


def _changed(**changes: Any) -> Definition:
    data = _current().model_dump(mode="json")
    data.update(changes)
    return Definition.model_validate(data)


def _frameworks(**rules: dict[str, Any]) -> dict[str, Any]:
    data = _current().model_dump(mode="json")["frameworks"]
    for name, rule in rules.items():
        data[name] = {**data.get(name, {}), **rule}
    return data


def test_no_change_says_nothing() -> None:
    assert describe_changes(_current(), _current()) == []


def test_framework_rules_are_named_by_framework() -> None:
    new = _changed(frameworks=_frameworks(
        bant={"min_score": 70},
        meddpicc={"must_meet": ["economic_buyer", "champion", "metrics"]},
    ))
    assert describe_changes(_current(), new) == [
        "bant.min_score: 60 -> 70",
        "meddpicc.must_meet: + metrics; - implicated_pain",
    ]


def test_added_and_removed_frameworks() -> None:
    rules = _frameworks(spin={"must_meet": ["need"], "min_score": 50})
    del rules["anum"]
    assert describe_changes(_current(), _changed(frameworks=rules)) == [
        "anum: removed",
        "spin: added (must_meet: [need], min_score: 50)",
    ]


def test_sla_and_sign_off() -> None:
    sla = _current().model_dump(mode="json")["sla"] | {"claim_within_minutes": 10}
    new = _changed(version="2026-Q4.8", sla=sla,
                   agreed_by=["Marcus Osei, VP Sales", "Lee Park, CMO"])
    assert describe_changes(_current(), new) == [
        "version: 2026-Q4.3 -> 2026-Q4.8",
        "agreed_by: + Lee Park, CMO; - Dana Whitfield, VP Marketing; "
        "- Priya Raman, Sales Operations",
        "sla.claim_within_minutes: 15 -> 10",
    ]


def test_routing_rules_are_matched_by_name() -> None:
    routing = _current().model_dump(mode="json")["routing"]
    routing[1]["channel"] = "C0EMEA0002"
    new = _changed(routing=[routing[0], routing[2], routing[1], routing[3]])
    assert describe_changes(_current(), new) == [
        "routing[EMEA team].channel: C0EMEA0001 -> C0EMEA0002",
        "routing: order APAC team, EMEA team, Enterprise desk, Mid-market North America -> "
        "APAC team, Enterprise desk, EMEA team, Mid-market North America",
    ]


def test_disqualifier_words_added() -> None:
    rules = _current().model_dump(mode="json")["disqualifiers"]
    rules[1]["contains"] = [*rules[1]["contains"], "professor"]
    assert describe_changes(_current(), _changed(disqualifiers=rules)) == [
        "disqualifiers[student].contains: + professor",
    ]
