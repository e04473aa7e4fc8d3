"""What sales ops edit in prompts/: loading and checking it, and the definition versions applied.

Use cases: load_catalog, check_catalog, describe_changes (a proposed definition against the one
in force), summarise_definition, apply_definition, current_definition, definition_version,
catalog_in_force (the definition in force with the question sets it pins), definition_history,
put_back (an older version in force again), remind_review.
"""

from baton.services.catalog.applying import (
    AppliedDefinition,
    apply_definition,
    edits_under_stored_label,
)
from baton.services.catalog.definitions import (
    DefinitionError,
    QuestionSetsEdited,
    StoredDefinition,
    checksum_of,
    frameworks_checksum,
    parse_definition,
)
from baton.services.catalog.diff import describe_changes
from baton.services.catalog.governance import (
    Period,
    PutBack,
    VersionHistory,
    definition_history,
    put_back,
    remind_review,
)
from baton.services.catalog.in_force import (
    catalog_in_force,
    catalog_of_version,
    current_definition,
    definition_in_force,
    definition_version,
)
from baton.services.catalog.loading import Catalog, check_catalog, load_catalog, render_question
from baton.services.catalog.problems import CatalogError, Problem
from baton.services.catalog.summary import summarise_definition

__all__ = [
    "AppliedDefinition", "Catalog", "CatalogError", "DefinitionError", "Period", "Problem",
    "PutBack", "StoredDefinition", "VersionHistory", "apply_definition", "catalog_in_force",
    "catalog_of_version", "check_catalog", "checksum_of", "current_definition",
    "definition_history", "definition_in_force", "definition_version", "describe_changes",
    "edits_under_stored_label", "frameworks_checksum", "load_catalog", "parse_definition",
    "put_back", "QuestionSetsEdited", "remind_review", "render_question", "summarise_definition",
]
