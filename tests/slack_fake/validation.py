"""Block Kit payloads checked with slack_sdk's own models and Slack's published limits."""

from baton.standin.validation import (
    FALLBACK_TEXT_METHODS,
    MAX_BLOCKS,
    MAX_CONTEXT_TEXT,
    MAX_HEADER_TEXT,
    MAX_MESSAGE_TEXT,
    MAX_SECTION_FIELD,
    MAX_SECTION_TEXT,
    Surface,
    validate_attachments,
    validate_blocks,
    validate_call,
    validate_view,
)

__all__ = [
    "FALLBACK_TEXT_METHODS",
    "MAX_BLOCKS",
    "MAX_CONTEXT_TEXT",
    "MAX_HEADER_TEXT",
    "MAX_MESSAGE_TEXT",
    "MAX_SECTION_FIELD",
    "MAX_SECTION_TEXT",
    "Surface",
    "validate_attachments",
    "validate_blocks",
    "validate_call",
    "validate_view",
]
