"""Applying SRL definition versions to the database, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from baton.domain.disqualifiers import disqualification
from baton.domain.lead import Lead
from baton.services.catalog import (
    DefinitionError,
    apply_definition,
    checksum_of,
    current_definition,
    definition_version,
    frameworks_checksum,
    parse_definition,
)
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import DefinitionVersion, EventLog
from tests.conftest import FRAMEWORKS, PROMPTS_DIR

SHIPPED = (PROMPTS_DIR / "definition.yaml").read_text(encoding="utf-8")
# The definition shipped before whole-word disqualifiers, aliases and unknown_blocks: true.
SHIPPED_2026_Q4_1 = (Path(__file__).parent / "definition_2026_Q4_1.yaml"
                     ).read_text(encoding="utf-8")
NEXT = SHIPPED.replace('version: "2026-Q4.3"', 'version: "2027-Q1.1"').replace(
    "min_score: 65", "min_score: 70"
)


def _count(uow: UnitOfWork, table: type) -> int:
    with Session(uow.engine) as session:
        return session.exec(select(sa.func.count()).select_from(table)).one()


def test_applying_a_definition_stores_it_verbatim_and_logs_it(uow: UnitOfWork) -> None:
    applied = apply_definition(uow=uow, yaml_text=SHIPPED, applied_by="priya",
                               frameworks=FRAMEWORKS)

    assert (applied.version, applied.already_applied) == ("2026-Q4.3", False)
    assert applied.checksum == checksum_of(SHIPPED)
    current = current_definition(uow=uow)
    assert current is not None
    assert (current.version, current.applied_by) == ("2026-Q4.3", "priya")
    assert current.yaml_text == SHIPPED
    assert current.definition.frameworks["meddpicc"].min_score == 65
    with Session(uow.engine) as session:
        event = session.exec(select(EventLog)).one()
    assert (event.kind, event.actor) == ("definition.applied", "priya")
    assert event.payload == {"version": "2026-Q4.3", "checksum": applied.checksum,
                             "frameworks_checksum": frameworks_checksum(FRAMEWORKS)}
    assert current.frameworks == FRAMEWORKS


def test_applying_the_same_text_twice_changes_nothing(uow: UnitOfWork) -> None:
    apply_definition(frameworks=FRAMEWORKS, uow=uow, yaml_text=SHIPPED, applied_by="priya")
    again = apply_definition(frameworks=FRAMEWORKS, uow=uow, yaml_text=SHIPPED, applied_by="marcus")

    assert again.already_applied
    assert again.stored.applied_by == "priya"
    assert _count(uow, DefinitionVersion) == 1
    assert _count(uow, EventLog) == 1


def test_a_used_label_with_different_content_is_refused(uow: UnitOfWork) -> None:
    apply_definition(frameworks=FRAMEWORKS, uow=uow, yaml_text=SHIPPED, applied_by="priya")
    edited = SHIPPED.replace("min_score: 65", "min_score: 70")

    with pytest.raises(DefinitionError) as refused:
        apply_definition(frameworks=FRAMEWORKS, uow=uow, yaml_text=edited, applied_by="priya")

    assert str(refused.value) == (
        "version 2026-Q4.3 is already applied with different content; "
        "give the new definition a new version label"
    )
    stored = definition_version(uow=uow, version="2026-Q4.3")
    assert stored is not None
    assert stored.yaml_text == SHIPPED


def test_a_new_version_is_in_force_and_the_old_one_stays_readable(uow: UnitOfWork) -> None:
    apply_definition(frameworks=FRAMEWORKS, uow=uow, yaml_text=SHIPPED, applied_by="priya")
    apply_definition(frameworks=FRAMEWORKS, uow=uow, yaml_text=NEXT, applied_by="priya")

    current = current_definition(uow=uow)
    assert current is not None
    assert current.version == "2027-Q1.1"
    old = definition_version(uow=uow, version="2026-Q4.3")
    assert old is not None
    assert old.definition.frameworks["meddpicc"].min_score == 65
    assert definition_version(uow=uow, version="1999-Q1") is None


def test_before_any_apply_there_is_no_definition(uow: UnitOfWork) -> None:
    assert current_definition(uow=uow) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SHIPPED.replace("claim_within_minutes: 15", "claim_within_minutes: 0"),
         "sla.claim_within_minutes: Input should be greater than 0"),
        (SHIPPED.replace("min_score: 65", "min_score: lots"),
         "frameworks.meddpicc.min_score: "),
        (SHIPPED.replace('version: "2026-Q4.3"', "version: 2026.4"), "version: expected text"),
        ("version: [2026", "not valid YAML at line 1"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
)
def test_a_broken_definition_names_the_field_and_stores_nothing(
    uow: UnitOfWork, text: str, message: str
) -> None:
    with pytest.raises(DefinitionError, match="^" + message.replace(".", r"\.")):
        apply_definition(frameworks=FRAMEWORKS, uow=uow, yaml_text=text, applied_by="priya")
    assert _count(uow, DefinitionVersion) == 0


def test_a_version_stored_before_the_current_rules_still_loads_and_judges(
    uow: UnitOfWork,
) -> None:
    apply_definition(uow=uow, yaml_text=SHIPPED_2026_Q4_1, applied_by="baton",
                     frameworks=FRAMEWORKS)
    stored = definition_version(uow=uow, version="2026-Q4.1")
    assert stored is not None
    old = stored.definition
    assert old == parse_definition(SHIPPED_2026_Q4_1)
    assert old.organisation_fit.unknown_blocks is False
    # Its `contains` lists now mean whole words and whole domains, as the current version's do.
    rules = old.disqualifiers
    assert disqualification(rules, Lead(company="A", title="VP International Sales"), {}) is None
    assert disqualification(rules, Lead(company="A", email="jo@notrelaybase.com"), {}) is None
    assert disqualification(rules, Lead(company="A", title="Marketing Intern"), {}) == (
        "Student or academic, not a buyer")
