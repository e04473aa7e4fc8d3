"""Applying a new version of the agreed SRL definition, with the question sets it judges with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from baton.domain.definition import Definition
from baton.services.catalog.definitions import (
    DefinitionError,
    StoredDefinition,
    checksum_of,
    edits_since,
    frameworks_checksum,
    parse_definition,
    refuse_edits,
)
from baton.services.catalog.in_force import IN_FORCE, in_force_row, stored_version, version_row
from baton.services.catalog.loading import Catalog
from baton.services.unit_of_work import UnitOfWork
from baton.store.events import record_event
from baton.store.tables import DefinitionPeriod, DefinitionVersion


@dataclass(frozen=True)
class AppliedDefinition:
    """The result of an apply: the stored version, whether it was already there, and the
    version in force when that is another one (put back with `baton definition use`)."""

    stored: StoredDefinition
    already_applied: bool
    in_force: str = ""

    @property
    def version(self) -> str:
        return self.stored.version

    @property
    def checksum(self) -> str:
        return self.stored.checksum


def apply_definition(*, uow: UnitOfWork, yaml_text: str, applied_by: str,
                     frameworks: Mapping[str, str]) -> AppliedDefinition:
    """Store a new definition version with the question sets it judges with; the same text and
    question sets again change nothing. An edit of either under a stored label is refused."""
    definition = parse_definition(yaml_text)
    checksum = checksum_of(yaml_text)
    with uow.writing() as session:
        existing = version_row(session, definition.version)
        if existing is None:
            stored = _store(session, definition, yaml_text, checksum, applied_by, frameworks)
            return AppliedDefinition(stored=stored, already_applied=False,
                                     in_force=definition.version)
        refuse_edits(stored_version(existing), yaml_text, frameworks)
        if existing.frameworks is None:
            # Stored before versions kept their question sets: these are the ones it judged
            # with, since start-up refuses question sets that do not fit the version in force.
            existing.frameworks = dict(frameworks)
            existing.frameworks_checksum = frameworks_checksum(frameworks)
            session.add(existing)
        in_force = in_force_row(session)
        return AppliedDefinition(stored=stored_version(existing), already_applied=True,
                                 in_force=in_force.version if in_force else "")


def _store(session: Session, definition: Definition, yaml_text: str, checksum: str,
           applied_by: str, frameworks: Mapping[str, str]) -> StoredDefinition:
    row = DefinitionVersion(
        version=definition.version, yaml_text=yaml_text, checksum=checksum,
        applied_by=applied_by, frameworks=dict(frameworks),
        frameworks_checksum=frameworks_checksum(frameworks))
    session.add(row)
    session.add(DefinitionPeriod(version=definition.version, started_by=applied_by,
                                 cause="applied"))
    session.info.pop(IN_FORCE, None)
    record_event(
        session,
        actor=applied_by,
        kind="definition.applied",
        subject_type="definition",
        subject_id=definition.version,
        payload={"version": definition.version, "checksum": checksum,
                 "frameworks_checksum": row.frameworks_checksum},
    )
    try:
        session.flush()
    except sa.exc.IntegrityError:
        raise DefinitionError(
            f"version {definition.version} was applied by someone else at the same moment; "
            "run the command again to see which content won"
        ) from None
    return stored_version(row)


def edits_under_stored_label(*, uow: UnitOfWork, catalog: Catalog) -> list[tuple[str, str]]:
    """(file in prompts/, why) for each file edited since the version labelled as
    definition.yaml's was applied; empty when that label is new or the files are as applied."""
    with uow.reading() as session:
        row = version_row(session, catalog.definition.version)
        stored = stored_version(row) if row is not None else None
    if stored is None:
        return []
    label = stored.version
    edits = edits_since(stored, catalog.definition_text, catalog.framework_texts)
    again = f"give definition.yaml a new version label (not {label}) to apply it, or restore it"
    return [(name, f"{how} since definition {label} was applied"
             + ("" if name == "definition.yaml" else
                ", and the question sets are part of that version") + f"; {again}")
            for name, how in edits]
