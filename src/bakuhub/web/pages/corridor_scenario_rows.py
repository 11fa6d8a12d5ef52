"""What the scenario editor draws of its tables of inputs: one row per dataset link, and
the repeatable rows of technology limits and renewable targets (with empty rows to add
more)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bakuhub.i18n import _
from bakuhub.web.pages.corridor_scenario_inputs import (
    BLANK_ROWS,
    EXTENDABLE,
    LINK_LABELS,
    LINK_MODES,
    MAX_ROWS,
    TECH_LABELS,
    Values,
    countries,
    links,
    node_options,
)

__all__ = ["Cell", "Row", "limit_rows", "link_rows", "node_choices", "repeat_rows", "target_rows"]


@dataclass
class Cell:
    """One input of a row as the template draws it."""

    name: str
    label: str
    kind: str
    value: str
    options: tuple[tuple[str, str], ...] = ()
    error: str = ""


@dataclass
class Row:
    """A row of a table of inputs (a link, a limit, a target)."""

    title: str
    cells: list[Cell] = field(default_factory=list)


def _indices(values: Values, prefix: str) -> list[int]:
    found = {
        int(m.group(1))
        for key in values
        if (m := re.match(rf"^{prefix}-(\d{{1,3}})-[a-z_]+$", key)) is not None
    }
    return sorted(found)


def link_rows(values: Values, errors: Mapping[str, str]) -> list[Row]:
    """One row per link: its name (fixed) and its mode and capacities."""
    about = dict(links())
    out = []
    for i in _indices(values, "links"):
        name = str(values.get(f"links-{i}-name", ""))
        row = Row(f"{name}: {about.get(name) or _('not a link of the dataset')}")
        row.cells.append(Cell(f"links-{i}-name", _("Link"), "hidden", name))
        for column, label in LINK_LABELS.items():
            kind = "select" if column == "mode" else "number"
            key = f"links-{i}-{column}"
            options = tuple((v, _(t)) for v, t in LINK_MODES) if kind == "select" else ()
            value = str(values.get(key, ""))
            row.cells.append(Cell(key, _(label), kind, value, options, errors.get(key, "")))
        out.append(row)
    return out


def repeat_rows(
    values: Values,
    errors: Mapping[str, str],
    prefix: str,
    columns: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...],
) -> list[Row]:
    """Repeatable rows of ``prefix``: the filled ones, then two empty rows to add more."""
    used = _indices(values, prefix)
    filled = [i for i in used if any(values.get(f"{prefix}-{i}-{c[0]}") for c in columns)]
    start = (max(used) + 1) if used else 0
    out = []
    for n, i in enumerate([*filled, *range(start, start + BLANK_ROWS)][:MAX_ROWS]):
        row = Row(_("row {number}").format(number=n + 1))
        for column, label, kind, options in columns:
            key = f"{prefix}-{i}-{column}"
            value = str(values.get(key, ""))
            row.cells.append(Cell(key, label, kind, value, options, errors.get(key, "")))
        out.append(row)
    return out


def node_choices() -> tuple[tuple[str, str], ...]:
    """The dataset's nodes as a row's choices, none chosen first."""
    return (("", _("(choose)")), *node_options())


def limit_rows(values: Values, errors: Mapping[str, str]) -> list[Row]:
    """The per-node technology limits, with two empty rows to add more."""
    techs = (("", _("(choose)")), *((t, _(TECH_LABELS[t])) for t in EXTENDABLE))
    where = node_choices()
    columns = (
        ("technology", _("Technology"), "select", techs),
        ("node", _("Node"), "select", where),
        ("max_mw", _("At most (MW)"), "number", ()),
    )
    return repeat_rows(values, errors, "limits", columns)


def target_rows(values: Values, errors: Mapping[str, str]) -> list[Row]:
    """The renewable targets, with two empty rows to add more."""
    choices = (("", _("(choose)")), *((c, c) for c in countries()))
    columns = (
        ("country", _("Country"), "select", choices),
        ("share", _("Share of renewables (0 to 1)"), "number", ()),
    )
    return repeat_rows(values, errors, "targets", columns)
