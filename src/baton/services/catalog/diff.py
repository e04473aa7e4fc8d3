"""What changed between two versions of the SRL definition, in words sales ops can review."""

from __future__ import annotations

from typing import Any

from baton.domain.definition import Definition

# Lists of these objects are matched by name, so a reordering or edit reads as one change.
_IDENTITY = ("key", "name")


def describe_changes(old: Definition, new: Definition) -> list[str]:
    """One line per change, e.g. 'bant.min_score: 60 -> 70' or 'meddpicc.must_meet: + champion'."""
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    changes: list[str] = []
    for key in _keys(before, after):
        if key == "frameworks":
            # People say 'bant.min_score', not 'frameworks.bant.min_score'.
            _diff_mapping(before[key], after[key], "", changes)
        else:
            _diff(before.get(key), after.get(key), key, changes)
    return changes


def _keys(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return list(before) + [key for key in after if key not in before]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    if isinstance(value, dict):
        given = {key: item for key, item in value.items() if item not in (None, [], {})}
        shown = (f"{key}: {_show(item)}" for key, item in given.items())
        return "(" + ", ".join(shown) + ")"
    return str(value)


def _diff(old: Any, new: Any, path: str, out: list[str]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        _diff_mapping(old, new, path, out)
    elif isinstance(old, list) and isinstance(new, list) and _keyed(old + new):
        _diff_keyed(old, new, path, out)
    elif isinstance(old, list) and isinstance(new, list):
        _diff_items(old, new, path, out)
    else:
        out.append(f"{path}: {_show(old)} -> {_show(new)}")


def _diff_mapping(old: dict[str, Any], new: dict[str, Any], path: str, out: list[str]) -> None:
    for key in _keys(old, new):
        where = _join(path, str(key))
        if key not in old:
            out.append(f"{where}: added {_show(new[key])}")
        elif key not in new:
            out.append(f"{where}: removed")
        else:
            _diff(old[key], new[key], where, out)


def _identity(item: dict[str, Any]) -> str:
    return next(str(item[name]) for name in _IDENTITY if name in item)


def _keyed(items: list[Any]) -> bool:
    return bool(items) and all(
        isinstance(item, dict) and any(name in item for name in _IDENTITY) for item in items
    )


def _diff_keyed(old: list[dict[str, Any]], new: list[dict[str, Any]], path: str,
                out: list[str]) -> None:
    before = {_identity(item): item for item in old}
    after = {_identity(item): item for item in new}
    for name in _keys(before, after):
        where = f"{path}[{name}]"
        if name not in before:
            out.append(f"{where}: added {_show(after[name])}")
        elif name not in after:
            out.append(f"{where}: removed")
        else:
            _diff(before[name], after[name], where, out)
    common_before = [name for name in before if name in after]
    common_after = [name for name in after if name in before]
    if common_before != common_after:
        out.append(f"{path}: order {', '.join(common_before)} -> {', '.join(common_after)}")


def _diff_items(old: list[Any], new: list[Any], path: str, out: list[str]) -> None:
    added = [f"+ {_show(item)}" for item in new if item not in old]
    removed = [f"- {_show(item)}" for item in old if item not in new]
    if added or removed:
        out.append(f"{path}: {'; '.join(added + removed)}")
    else:
        out.append(f"{path}: order {_show(old)} -> {_show(new)}")
