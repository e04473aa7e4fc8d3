"""What sales ops edit in prompts/: loading and checking it, and the definition versions applied.

Use cases: load_catalog, check_catalog, describe_changes (a proposed definition against the one
in force), summarise_definition, apply_definition, current_definition, definition_version.
"""

from baton.services.catalog.definitions import (
    AppliedDefinition,
    DefinitionError,
    StoredDefinition,
    apply_definition,
    checksum_of,
    current_definition,
    definition_in_force,
    definition_version,
    parse_definition,
)
from baton.services.catalog.diff import describe_changes
from baton.services.catalog.loading import Catalog, check_catalog, load_catalog, render_question
from baton.services.catalog.problems import CatalogError, Problem
from baton.services.catalog.summary import summarise_definition

__all__ = [
    "AppliedDefinition", "Catalog", "CatalogError", "DefinitionError", "Problem",
    "StoredDefinition", "apply_definition", "check_catalog", "checksum_of", "current_definition",
    "definition_in_force", "definition_version", "describe_changes", "load_catalog",
    "parse_definition", "render_question", "summarise_definition",
]
