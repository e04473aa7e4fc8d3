"""Applying versions of the agreed SRL definition and reading back the one in force."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import sqlalchemy as sa
import yaml
from pydantic import ValidationError
from sqlmodel import Session, select

from baton.domain.definition import Definition
from baton.services.unit_of_work import UnitOfWork
from baton.store.events import record_event
from baton.store.tables import DefinitionVersion

if TYPE_CHECKING:
    from baton.services.catalog.loading import Catalog


class DefinitionError(Exception):
    """A definition cannot be applied; the message names the field or the version at fault."""


@dataclass(frozen=True)
class StoredDefinition:
    """A definition version as applied: its text verbatim, who applied it and when."""

    version: str
    checksum: str
    yaml_text: str
    applied_by: str
    applied_at: dt.datetime

    @property
    def definition(self) -> Definition:
        return parse_definition(self.yaml_text)


@dataclass(frozen=True)
class AppliedDefinition:
    """The result of an apply: the stored version, and whether it was already there."""

    stored: StoredDefinition
    already_applied: bool

    @property
    def version(self) -> str:
        return self.stored.version

    @property
    def checksum(self) -> str:
        return self.stored.checksum


def checksum_of(yaml_text: str) -> str:
    """The sha256 of the text exactly as written, so any edit makes a different definition."""
    return hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()


def parse_definition(yaml_text: str) -> Definition:
    """Read and validate a definition, raising DefinitionError naming the first bad field."""
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "unreadable"
        raise DefinitionError(f"not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise DefinitionError("expected a mapping of fields such as version, frameworks, sla")
    try:
        return Definition.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "definition"
        message = error["msg"].removeprefix("Value error, ")
        raise DefinitionError(f"{field}: {message}") from None


def apply_definition(*, uow: UnitOfWork, yaml_text: str, applied_by: str) -> AppliedDefinition:
    """Store a new definition version; the same text again changes nothing."""
    definition = parse_definition(yaml_text)
    checksum = checksum_of(yaml_text)
    with uow.writing() as session:
        existing = _row(session, definition.version)
        if existing is not None:
            if existing.checksum != checksum:
                raise DefinitionError(
                    f"version {definition.version} is already applied with different content; "
                    "give the new definition a new version label"
                )
            return AppliedDefinition(stored=_stored(existing), already_applied=True)
        return AppliedDefinition(stored=_store(session, definition, yaml_text, checksum,
                                               applied_by), already_applied=False)


def _store(session: Session, definition: Definition, yaml_text: str, checksum: str,
           applied_by: str) -> StoredDefinition:
    row = DefinitionVersion(
        version=definition.version, yaml_text=yaml_text, checksum=checksum, applied_by=applied_by
    )
    session.add(row)
    record_event(
        session,
        actor=applied_by,
        kind="definition.applied",
        subject_type="definition",
        subject_id=definition.version,
        payload={"version": definition.version, "checksum": checksum},
    )
    try:
        session.flush()
    except sa.exc.IntegrityError:
        raise DefinitionError(
            f"version {definition.version} was applied by someone else at the same moment; "
            "run the command again to see which content won"
        ) from None
    return _stored(row)


def current_definition(*, uow: UnitOfWork) -> StoredDefinition | None:
    """The definition version applied most recently, or None before the first apply."""
    with uow.reading() as session:
        return _latest(session)


def definition_version(*, uow: UnitOfWork, version: str) -> StoredDefinition | None:
    """One applied version by its label, as old verdicts name it."""
    with uow.reading() as session:
        row = _row(session, version)
        return _stored(row) if row is not None else None


@lru_cache(maxsize=16)
def _parsed(checksum: str, yaml_text: str) -> Definition:
    # Keyed by checksum too, so a re-applied text is parsed again only when it changed.
    return parse_definition(yaml_text)


def definition_in_force(*, session: Session, catalog: Catalog) -> Definition:
    """The latest definition applied in the database, else the one shipped in prompts/."""
    stored = _latest(session)
    if stored is None:
        return catalog.definition
    return _parsed(stored.checksum, stored.yaml_text)


def _latest(session: Session) -> StoredDefinition | None:
    query = select(DefinitionVersion).order_by(
        DefinitionVersion.applied_at.desc(),  # type: ignore[attr-defined]
        DefinitionVersion.id.desc(),  # type: ignore[union-attr]
    )
    row = session.exec(query.limit(1)).first()
    return _stored(row) if row is not None else None


def _row(session: Session, version: str) -> DefinitionVersion | None:
    query = select(DefinitionVersion).where(DefinitionVersion.version == version)
    return session.exec(query).first()


def _stored(row: DefinitionVersion) -> StoredDefinition:
    return StoredDefinition(
        version=row.version,
        checksum=row.checksum,
        yaml_text=row.yaml_text,
        applied_by=row.applied_by,
        applied_at=row.applied_at,
    )
