"""The pathway group in the scenario editor, beyond its single-valued inputs
(:mod:`bakuhub.web.pages.corridor_scenario_pathway_inputs`): the renewable targets by
year and country as repeatable rows (``ptargets-<i>-year``, ``-country``, ``-share``).

A scenario without the group is shown with the group's defaults (the official targets
filled in); saved again it leaves them out of its dump (``scenario.py``), so its
digest is unchanged. Nothing here acts where the scenario has no pathway group.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bakuhub.i18n import _
from bakuhub.web.pages.corridor_scenario_field import Values, text
from bakuhub.web.pages.corridor_scenario_inputs import countries
from bakuhub.web.pages.corridor_scenario_pathway_inputs import pathway_model, pathway_years
from bakuhub.web.pages.corridor_scenario_rows import Row, repeat_rows

__all__ = [
    "TARGETS",
    "pathway_values",
    "read_pathway",
    "target_row",
    "target_year_rows",
    "with_pathway",
]

TARGETS = "ptargets"
COLUMNS = ("year", "country", "share")


def with_pathway(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario with its pathway group whole (the defaults where it is left out)."""
    default = pathway_model()().model_dump(mode="json")
    return {**spec, "pathway": {**default, **dict(spec.get("pathway") or {})}}


def pathway_values(spec: Mapping[str, Any]) -> Values:
    """The target rows of a scenario (its group whole: :func:`with_pathway`)."""
    targets = dict((spec.get("pathway") or {}).get("renewable_targets") or {})
    values: Values = {}
    rows = [(y, c, s) for y, shares in targets.items() for c, s in dict(shares).items()]
    for i, (year, country, share) in enumerate(rows):
        values[f"{TARGETS}-{i}-year"] = str(year)
        values[f"{TARGETS}-{i}-country"] = str(country)
        values[f"{TARGETS}-{i}-share"] = text(share)
    return values


def _filled(values: Values) -> list[tuple[int, dict[str, str]]]:
    found = sorted(
        {
            int(m.group(1))
            for key in values
            if (m := re.match(rf"^{TARGETS}-(\d{{1,3}})-[a-z_]+$", key)) is not None
        }
    )
    rows = [(i, {c: str(values.get(f"{TARGETS}-{i}-{c}", "")) for c in COLUMNS}) for i in found]
    return [(i, row) for i, row in rows if any(row.values())]


def read_pathway(values: Values, spec: dict[str, Any]) -> dict[str, str]:
    """The target rows into ``spec``'s pathway group (its single-valued inputs are
    there already) and the errors the form finds (input name -> sentence)."""
    errors: dict[str, str] = {}
    targets: dict[str, dict[str, str]] = {}
    for i, row in _filled(values):
        year, country = row["year"], row["country"]
        if not year:
            errors[f"{TARGETS}-{i}-year"] = _(
                "Year of pathway target row {row}: choose a year."
            ).format(row=i + 1)
        elif not country:
            errors[f"{TARGETS}-{i}-country"] = _(
                "Country of pathway target row {row}: choose a country."
            ).format(row=i + 1)
        elif country in targets.get(year, {}):
            errors[f"{TARGETS}-{i}-country"] = _(
                "Country of pathway target row {row}: {country} has a target for {year} in "
                "another row; keep one."
            ).format(row=i + 1, country=country, year=year)
        else:
            targets.setdefault(year, {})[country] = row["share"]  # validation reads it
    spec.setdefault("pathway", {})["renewable_targets"] = targets
    return errors


def target_row(values: Values, year: str, country: str) -> int | None:
    """The row of the target of ``country`` in ``year`` (None: no such row)."""
    for i, row in _filled(values):
        if (row["year"], row["country"]) == (year, country):
            return i
    return None


def target_year_rows(values: Values, errors: Mapping[str, str]) -> list[Row]:
    """The renewable targets by year, with two empty rows to add more."""
    none = ("", _("(choose)"))
    columns = (
        ("year", _("Year"), "select", (none, *((y, y) for y in pathway_years()))),
        ("country", _("Country"), "select", (none, *((c, c) for c in countries()))),
        ("share", _("Share of renewables (0 to 1)"), "number", ()),
    )
    return repeat_rows(values, errors, TARGETS, columns)
