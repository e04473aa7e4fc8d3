"""A version of the agreed SRL definition as stored: its text and the question sets it judges
with, read and compared."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import yaml
from pydantic import ValidationError

from baton.domain.definition import Definition


class DefinitionError(Exception):
    """A definition cannot be applied; the message names the field or the version at fault."""


class QuestionSetsEdited(DefinitionError):
    """Question set files changed under a stored label; the message names each file."""


@dataclass(frozen=True)
class StoredDefinition:
    """A definition version as applied: its text and question sets verbatim, who applied it
    and when."""

    version: str
    checksum: str
    yaml_text: str
    applied_by: str
    applied_at: dt.datetime
    # File name -> text; None for a version stored before versions kept their question sets.
    frameworks: Mapping[str, str] | None = None
    frameworks_checksum: str | None = None

    @property
    def definition(self) -> Definition:
        return _parsed(self.checksum, self.yaml_text)


def checksum_of(yaml_text: str) -> str:
    """The sha256 of the text exactly as written, so any edit makes a different definition."""
    return hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()


def frameworks_checksum(texts: Mapping[str, str]) -> str:
    """One sha256 over what every question set file says, by name: comments, spacing and
    quoting left out, so only an edit that changes a question set changes it."""
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(f"{name}\0{_meaning(texts[name])}\0".encode())
    return digest.hexdigest()


@lru_cache(maxsize=64)
def _meaning(text: str) -> str:
    try:
        return json.dumps(yaml.safe_load(text), sort_keys=True, default=str)
    except yaml.YAMLError:
        return text


def edits_since(stored: StoredDefinition, yaml_text: str,
                frameworks: Mapping[str, str]) -> list[tuple[str, str]]:
    """(file in prompts/, "edited", "added" or "removed") for each file that says something
    else than the stored version of the same label: the definition, else its question sets.
    Comments, spacing and quoting do not count."""
    if stored.checksum != checksum_of(yaml_text) and _meaning(stored.yaml_text) != _meaning(
            yaml_text):
        return [("definition.yaml", "edited")]
    pinned = stored.frameworks
    if pinned is None or stored.frameworks_checksum == frameworks_checksum(frameworks):
        return []
    return [(f"frameworks/{name}.yaml", _how(pinned.get(name), frameworks.get(name)))
            for name in sorted(set(pinned) | set(frameworks))
            if _said(pinned.get(name)) != _said(frameworks.get(name))]


def _said(text: str | None) -> str | None:
    return _meaning(text) if text is not None else None


def _how(pinned: str | None, text: str | None) -> str:
    if pinned is None:
        return "added"
    return "removed" if text is None else "edited"


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


def refuse_edits(stored: StoredDefinition, yaml_text: str,
                 frameworks: Mapping[str, str]) -> None:
    """Raise when this text and these question sets are not the stored version of the same
    label: DefinitionError for an edited text, QuestionSetsEdited naming the files."""
    label = stored.version
    edits = edits_since(stored, yaml_text, frameworks)
    if not edits:
        return
    if edits[0][0] == "definition.yaml":
        raise DefinitionError(f"version {label} is already applied with different content; "
                              "give the new definition a new version label")
    changed = ", ".join(f"{name} ({how})" for name, how in edits)
    raise QuestionSetsEdited(
        f"{changed} changed since definition {label} was applied, and the question sets are "
        f"part of the version; give definition.yaml a new version label (not {label}) to apply "
        "them, or restore the files")


@lru_cache(maxsize=16)
def _parsed(checksum: str, yaml_text: str) -> Definition:
    # Keyed by checksum too, so a re-applied text is parsed again only when it changed.
    return parse_definition(yaml_text)
