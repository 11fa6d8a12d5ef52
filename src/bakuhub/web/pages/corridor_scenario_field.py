"""One input of the scenario editor: the :class:`Input` type (name, scenario path,
label, group, kind, choices, help) and the form's :data:`Values`.

The inputs themselves are listed group by group (``corridor_scenario_*_inputs.py``) and
gathered, in the form's order, by :mod:`bakuhub.web.pages.corridor_scenario_inputs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Input", "Values", "choices", "schema_limits", "text"]

Values = dict[str, Any]
"""The form's values by input name: text, or a list of texts for a checkbox group."""


@dataclass(frozen=True)
class Input:
    """One single-valued input: its name, scenario path, label, kind and choices.

    ``optional``: empty means "none" (null in the scenario); otherwise empty leaves the
    field out, so the scenario's default applies (said in ``help``). ``label``, ``help``
    and the choices' texts are English, marked for translation:
    :func:`bakuhub.web.pages.corridor_scenario_inputs.translated` gives them in the
    reader's language (``{option}`` and ``{about}`` filled in then, and each of
    ``numbers``, e.g. ``{low}``, in the reader's digits).

    ``kind``: ``number`` (a text input of a number), ``text``, ``textarea``,
    ``select``, ``checkbox``, or ``nodes`` (``all`` or node codes separated by commas).
    """

    name: str
    path: tuple[str, ...]
    label: str
    group: str
    kind: str = "number"
    options: tuple[tuple[str, str], ...] = ()
    help: str = ""
    optional: bool = False
    about: str = ""
    numbers: tuple[tuple[str, float], ...] = ()


def choices(*values: str) -> tuple[tuple[str, str], ...]:
    """Choices shown as their own values (codes, names of solvers)."""
    return tuple((v, v) for v in values)


def text(value: Any) -> str:
    """A value as the form shows it (``80`` not ``80.0``; empty for none; a list of
    node codes separated by commas)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def schema_limits(schema: dict[str, Any], *path: str) -> dict[str, float]:
    """The bounds and default of a number in a pydantic model's JSON ``schema`` (path of
    property names; a dictionary's values for a dictionary), as the model states them:
    ``low``, ``high`` (strict or not: the help text says which) and ``default`` if any."""
    node: dict[str, Any] = schema
    for key in path:
        node = node["properties"][key]
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    one = dict(node.get("additionalProperties") or node)
    for option in one.get("anyOf", ()):
        if option.get("type") == "number":
            one = {**option, "default": one.get("default")}
    found = {
        "low": one.get("minimum", one.get("exclusiveMinimum")),
        "high": one.get("maximum", one.get("exclusiveMaximum")),
        "default": one.get("default"),
    }
    return {k: float(v) for k, v in found.items() if isinstance(v, int | float)}
