"""prompts/crm.yaml read and checked: a problem names the file and the field."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from baton.domain.crm import CrmMapping, CrmMappings

FILE = "crm.yaml"


class MappingError(Exception):
    """prompts/crm.yaml cannot be used; the message names the file and the field."""


def load_mappings(prompts_dir: Path) -> CrmMappings:
    """Every CRM's mapping in `prompts_dir`/crm.yaml; none when the file is absent."""
    path = prompts_dir / FILE
    if not path.is_file():
        return CrmMappings()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise MappingError(f"{path}: not valid YAML{where}") from None
    try:
        return CrmMappings.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        raise MappingError(f"{path}: {field}: {error['msg']}") from None


def load_mapping(prompts_dir: Path, crm: str) -> CrmMapping:
    """The mapping of the CRM in use; refused when crm.yaml has none for it."""
    mapping = load_mappings(prompts_dir).of(crm)
    if mapping is None:
        raise MappingError(f"{prompts_dir / FILE}: {crm}: expected a mapping for {crm} "
                           "(status, company_fields, deal_stages), as the shipped file has")
    return mapping
