"""Jinja2 templates that render Block Kit JSON, loaded strictly so nothing is silently dropped."""

from __future__ import annotations

import json
from typing import Any

import jinja2

from baton.slack import ids, text


class RenderError(Exception):
    """A template failed or produced something that is not the JSON Slack expects."""


def _mrkdwn(value: object, limit: int = text.SECTION_TEXT) -> str:
    return text.safe(str(value), limit)


def _clip(value: object, limit: int) -> str:
    return text.clip(str(value), limit)


def _tojson(value: object) -> str:
    # The stock filter serialises a missing value's repr error as a TypeError; say what is missing.
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
    return json.dumps(value, ensure_ascii=False)


class Renderer:
    """Renders the templates of `baton.slack.templates` into blocks and views."""

    def __init__(self, loader: jinja2.BaseLoader | None = None) -> None:
        self.env = jinja2.Environment(
            loader=loader or jinja2.PackageLoader("baton.slack", "templates"),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            # Templates ship with Baton and change only with it: each is compiled once, and no
            # render asks the file system whether it changed.
            auto_reload=False,
            cache_size=-1,
        )
        self.env.filters["mrkdwn"] = _mrkdwn
        self.env.filters["clip"] = _clip
        self.env.filters["tojson"] = _tojson
        self.env.globals["ids"] = ids
        self.env.globals["limits"] = text

    def _json(self, template: str, data: dict[str, Any]) -> Any:
        try:
            source = self.env.get_template(template).render(**data)
        except (jinja2.TemplateError, TypeError) as error:
            raise RenderError(f"{template}: {error}") from error
        try:
            return json.loads(source)
        except json.JSONDecodeError as error:
            raise RenderError(f"{template} rendered invalid JSON: {error}") from error

    def blocks(self, template: str, **data: Any) -> list[dict[str, Any]]:
        """Render a template that yields a JSON array of blocks."""
        rendered = self._json(template, data)
        if not isinstance(rendered, list) or not all(isinstance(b, dict) for b in rendered):
            raise RenderError(f"{template} must render a JSON array of block objects")
        return rendered

    def view(self, template: str, **data: Any) -> dict[str, Any]:
        """Render a template that yields one JSON view object."""
        rendered = self._json(template, data)
        if not isinstance(rendered, dict):
            raise RenderError(f"{template} must render a JSON object (a view)")
        return rendered
