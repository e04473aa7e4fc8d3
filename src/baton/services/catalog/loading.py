"""The question sets and the SRL definition in prompts/, loaded and checked as one catalog."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ValidationError

from baton.domain.definition import Definition
from baton.domain.framework import Criterion, Framework
from baton.domain.lead import Lead
from baton.services.catalog.checks import check_definition, check_framework
from baton.services.catalog.problems import CatalogError, Problem, display_name, problems_from

M = TypeVar("M", bound=BaseModel)
_TEMPLATES = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@dataclass(frozen=True)
class Catalog:
    """Everything sales ops edits: the agreed definition and the frameworks by key."""

    definition: Definition
    definition_text: str
    frameworks: dict[str, Framework] = field(default_factory=dict)
    # Each framework file verbatim by file name: a definition version pins these texts.
    framework_texts: dict[str, str] = field(default_factory=dict)


def render_question(criterion: Criterion, lead: Lead) -> str:
    """The criterion's question written for this lead, as plain text."""
    return _question(criterion.question).render(lead=lead)


@functools.lru_cache(maxsize=1024)
def _question(source: str) -> Template:
    # Compiling is a thousand times the cost of rendering: each question is compiled once.
    return _TEMPLATES.from_string(source)


def read_yaml(text: str) -> Any:
    """YAML read safely, by libyaml's parser where PyYAML has it (ten times faster); a file it
    refuses is read again by PyYAML's own, whose errors say more plainly what is wrong."""
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError:
        return yaml.safe_load(text)


def frameworks_from(texts: Mapping[str, str]) -> dict[str, Framework]:
    """Question sets kept verbatim (as a definition version pins them), read back."""
    return {name: Framework.model_validate(read_yaml(text))
            for name, text in sorted(texts.items())}


def load_catalog(prompts_dir: Path, *, definition_file: Path | None = None) -> Catalog:
    """Load prompts/ (optionally with another definition file), or raise CatalogError."""
    catalog, problems = _inspect(prompts_dir, definition_file)
    if problems or catalog is None:
        raise CatalogError(problems)
    return catalog


def check_catalog(prompts_dir: Path, *, definition_file: Path | None = None) -> list[Problem]:
    """Every problem across the definition and all framework files; empty when all is well."""
    return _inspect(prompts_dir, definition_file)[1]


def _inspect(prompts_dir: Path,
             definition_file: Path | None) -> tuple[Catalog | None, list[Problem]]:
    problems: list[Problem] = []
    frameworks, texts, names = _load_frameworks(prompts_dir, problems)
    definition_path = definition_file or prompts_dir / "definition.yaml"
    shown = display_name(definition_path, prompts_dir)
    text, data = _read_yaml(definition_path, shown, problems)
    definition = _validate(Definition, data, shown, problems) if data is not None else None
    if definition is not None:
        problems += check_definition(definition, frameworks, names, shown)
    if definition is None or text is None:
        return None, problems
    return Catalog(definition, text, frameworks, texts), problems


def _load_frameworks(prompts_dir: Path, problems: list[Problem],
                     ) -> tuple[dict[str, Framework], dict[str, str], set[str]]:
    folder = prompts_dir / "frameworks"
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        problems.append(Problem(display_name(folder, prompts_dir), "",
                                "no framework files (expected frameworks/<key>.yaml)"))
    frameworks: dict[str, Framework] = {}
    texts: dict[str, str] = {}
    for path in files:
        shown = display_name(path, prompts_dir)
        text, data = _read_yaml(path, shown, problems)
        if text is not None:
            texts[path.stem] = text
        framework = _validate(Framework, data, shown, problems) if data is not None else None
        if framework is not None:
            problems += check_framework(framework, path.stem, shown, _template_problem)
            # Keyed by file name so cross-file checks still run when `key` is the mistake.
            frameworks[path.stem] = framework
    return frameworks, texts, {path.stem for path in files}


def _read_yaml(path: Path, shown: str, problems: list[Problem]) -> tuple[str | None, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(shown, "", "file not found"))
        return None, None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(shown, "", f"cannot be read: {exc}"))
        return None, None
    try:
        data = read_yaml(text)
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(exc, shown))
        return text, None
    if data is None:
        problems.append(Problem(shown, "", "file is empty"))
    return text, data


def _syntax_problem(exc: yaml.YAMLError, shown: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    reason = getattr(exc, "problem", None) or str(exc)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return Problem(shown, where, f"YAML syntax error: {reason}")


def _validate(model: type[M], data: Any, shown: str, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, shown))
        return None


_SAMPLE_LEADS = (
    Lead(company="Acme Corp", contact_name="Jordan Lee", title="Head of Operations",
         email="jordan@acme.example", source="webinar", region="NA", industry="software",
         employees=450),
    Lead(company="Acme Corp"),
)


def _template_problem(criterion: Criterion) -> str | None:
    """Why a question template cannot be shown to a BDR, or None when it renders."""
    from jinja2 import TemplateSyntaxError, UndefinedError

    try:
        for lead in _SAMPLE_LEADS:
            render_question(criterion, lead)
    except TemplateSyntaxError as exc:
        return f"template syntax error: {exc.message}"
    except UndefinedError as exc:
        return _undefined_message(exc.message or "")
    except Exception as exc:  # whatever an edited template does wrong is reported, not raised
        return f"template fails for a lead with only a company name: {exc}"
    return None


def _undefined_message(message: str) -> str:
    fields = ", ".join(f"lead.{name}" for name in Lead.model_fields)
    attribute = re.search(r"has no attribute '([^']+)'", message)
    if attribute:
        missing = f"lead.{attribute.group(1)}"
        return f"template uses {missing}, which does not exist; use one of: {fields}"
    name = re.search(r"'([^']+)' is undefined", message)
    if name:
        return f"template uses {name.group(1)!r}, which does not exist; use one of: {fields}"
    return f"template uses something that does not exist ({message}); use one of: {fields}"
