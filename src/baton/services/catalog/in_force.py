"""The definition version in force, with the question sets it judges with, and any stored
version by its label."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from baton.domain.definition import Definition
from baton.services.catalog.definitions import StoredDefinition
from baton.services.unit_of_work import UnitOfWork
from baton.store.tables import DefinitionPeriod, DefinitionVersion

if TYPE_CHECKING:
    from baton.domain.framework import Framework
    from baton.services.catalog.loading import Catalog

# What a unit of work has read of the version in force, so one request reads it once.
IN_FORCE = "baton.definition_in_force"


def current_definition(*, uow: UnitOfWork) -> StoredDefinition | None:
    """The definition version in force, or None before the first apply."""
    with uow.reading() as session:
        return _in_force(session)


def definition_version(*, uow: UnitOfWork, version: str) -> StoredDefinition | None:
    """One applied version by its label, as old verdicts name it."""
    with uow.reading() as session:
        row = version_row(session, version)
        return stored_version(row) if row is not None else None


def definition_in_force(*, session: Session, catalog: Catalog) -> Definition:
    """The definition version in force in the database, else the one shipped in prompts/."""
    return catalog_in_force(session=session, catalog=catalog).definition


def catalog_in_force(*, session: Session, catalog: Catalog) -> Catalog:
    """The definition in force with the question sets it judges with; the prompts/ folder
    before anything was applied."""
    if IN_FORCE not in session.info:
        session.info[IN_FORCE] = _in_force(session)
    return _catalog_of(session.info[IN_FORCE], catalog)


def catalog_of_version(*, session: Session, catalog: Catalog, version: str) -> Catalog:
    """The definition and question sets of one stored version, as a verdict judged by it was
    judged; the version in force when that label was never stored."""
    row = version_row(session, version)
    if row is None:
        return catalog_in_force(session=session, catalog=catalog)
    return _catalog_of(stored_version(row), catalog)


def _catalog_of(stored: StoredDefinition | None, catalog: Catalog) -> Catalog:
    if stored is None:
        return catalog
    if stored.frameworks is None or stored.frameworks_checksum is None:
        return dataclasses.replace(catalog, definition=stored.definition,
                                   definition_text=stored.yaml_text)
    return dataclasses.replace(
        catalog, definition=stored.definition, definition_text=stored.yaml_text,
        frameworks=_frameworks(stored.frameworks_checksum, tuple(stored.frameworks.items())),
        framework_texts=dict(stored.frameworks))


@lru_cache(maxsize=16)
def _frameworks(checksum: str, texts: tuple[tuple[str, str], ...]) -> dict[str, Framework]:
    from baton.services.catalog.loading import frameworks_from

    return frameworks_from(dict(texts))


def _in_force(session: Session) -> StoredDefinition | None:
    row = in_force_row(session)
    return stored_version(row) if row is not None else None


def in_force_row(session: Session) -> DefinitionVersion | None:
    """The version of the latest period: the one applied last, unless one was put back since."""
    query = (select(DefinitionVersion)
             .join(DefinitionPeriod,
                   DefinitionPeriod.version == DefinitionVersion.version)  # type: ignore[arg-type]
             .order_by(DefinitionPeriod.id.desc()))  # type: ignore[union-attr]
    return session.exec(query.limit(1)).first()


def version_row(session: Session, version: str) -> DefinitionVersion | None:
    query = select(DefinitionVersion).where(DefinitionVersion.version == version)
    return session.exec(query).first()


def stored_version(row: DefinitionVersion) -> StoredDefinition:
    return StoredDefinition(
        version=row.version,
        checksum=row.checksum,
        yaml_text=row.yaml_text,
        applied_by=row.applied_by,
        applied_at=row.applied_at,
        frameworks=row.frameworks,
        frameworks_checksum=row.frameworks_checksum,
    )
