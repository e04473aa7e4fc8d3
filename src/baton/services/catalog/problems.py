"""Problems found in prompts/ files, worded for the sales ops person who edits them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

_PATTERNS = {
    r"^[a-z][a-z0-9_]*$": "lower-case letters, digits and underscores, starting with a letter",
    r"^[CG][A-Z0-9]{2,}$": "a Slack channel id such as C0123ABCD",
    r"^[UWS][A-Z0-9]{2,}$": "a Slack user id such as U0123ABCD, or a user group id (S…)",
    r"^[A-Z]{3}$": "a three-letter currency code such as USD",
}

_NUMBER_ERRORS = {"int_parsing", "int_type", "decimal_parsing", "decimal_type", "float_parsing",
                  "float_type"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located by file and field path."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class CatalogError(Exception):
    """The prompts folder cannot be used; `problems` says every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def display_name(file: Path, prompts_dir: Path) -> str:
    """The file as a person would name it: relative to the folder holding prompts/."""
    try:
        return file.resolve().relative_to(prompts_dir.resolve().parent).as_posix()
    except ValueError:
        return str(file)


def field_path(loc: Sequence[str | int]) -> str:
    """('criteria', 2, 'choices', 1, 'points') -> 'criteria[2].choices[1].points'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _got(value: Any) -> str:
    return "nothing" if value is None else repr(value)


def _expectation(error: dict[str, Any]) -> str:
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "missing":
        return "required field missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind in _NUMBER_ERRORS:
        return f"expected a number, got {_got(value)}"
    if kind == "int_from_float":
        return f"expected a whole number, got {_got(value)}"
    if kind == "enum":
        options = ", ".join(re.findall(r"'([^']*)'", ctx.get("expected", "")))
        return f"expected one of: {options}, got {_got(value)}"
    if kind == "string_pattern_mismatch":
        wanted = _PATTERNS.get(ctx.get("pattern", ""), f"text matching {ctx.get('pattern')}")
        return f"expected {wanted}, got {_got(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"expected at most {ctx['max_length']} characters, got {len(str(value))}"
    if kind == "too_short":
        return f"expected at least {ctx['min_length']} item(s)"
    return _bounds(kind, ctx, value) or _shapes(kind, value) or error["msg"]


def _bounds(kind: str, ctx: dict[str, Any], value: Any) -> str | None:
    words = {"greater_than_equal": ("at least", "ge"), "less_than_equal": ("at most", "le"),
             "greater_than": ("more than", "gt"), "less_than": ("less than", "lt")}
    if kind not in words:
        return None
    phrase, key = words[kind]
    return f"expected {phrase} {ctx[key]}, got {_got(value)}"


def _shapes(kind: str, value: Any) -> str | None:
    if kind == "value_error":
        return None
    if kind.startswith("date"):
        return f"expected a date such as 2026-10-01, got {_got(value)}"
    if kind.startswith("time"):
        return f"expected a time such as \"09:00\" in quotes, got {_got(value)}"
    if kind.startswith("bool"):
        return f"expected true or false, got {_got(value)}"
    if kind == "string_type":
        return f"expected text, got {_got(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected a set of fields (key: value lines), got {_got(value)}"
    if kind in {"list_type", "tuple_type"}:
        return f"expected a list, got {_got(value)}"
    return None


def problems_from(error: ValidationError, file: str) -> list[Problem]:
    """Turn pydantic's errors into problems with readable paths and expectations."""
    problems = []
    for item in error.errors():
        loc = [part for part in item["loc"] if part != "[key]"]
        message = _expectation(dict(item)).removeprefix("Value error, ")
        problems.append(Problem(file, field_path(loc), message))
    return problems
