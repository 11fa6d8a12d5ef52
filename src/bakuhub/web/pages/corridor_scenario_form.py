"""The scenario editor's form: a corridor scenario as the form's values, and back.

Single-valued inputs are mapped to their scenario path by
:mod:`bakuhub.web.pages.corridor_scenario_inputs` (``co2-price_eur_t`` <->
``co2.price_eur_t``); lists and dictionaries are edited here as checkboxes (nodes),
one row per dataset link (``links-<i>-<column>``), one line per technology
(``build-<tech>-on``, ``build-<tech>-nodes``) and repeatable rows (``limits-<i>-...``:
per-node technology limits; ``targets-<i>-...``: renewable targets).

:func:`form_of` turns a scenario (its JSON) into the form's values, :func:`spec_of` the
values back into scenario data (what a person typed is kept as text: the scenario's
validation judges it). The errors are put beside their inputs by
:mod:`~bakuhub.web.pages.corridor_scenario_errors` and the rows drawn by
:mod:`~bakuhub.web.pages.corridor_scenario_rows` (both re-exported here).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from bakuhub.i18n import _
from bakuhub.web.pages.corridor_scenario_errors import place, plain
from bakuhub.web.pages.corridor_scenario_field import text
from bakuhub.web.pages.corridor_scenario_inputs import (
    EXTENDABLE,
    GROUPS,
    LIMIT_COLUMNS,
    LINK_COLUMNS,
    MAX_ROWS,
    TARGET_COLUMNS,
    TECH_LABELS,
    Values,
    cable_levels,
    groups,
    inputs,
    links,
    nodes,
    shown_inputs,
    translated,
)
from bakuhub.web.pages.corridor_scenario_molecules import (
    demand_rows,
    molecule_values,
    read_molecules,
    split_nodes,
    with_molecules,
)
from bakuhub.web.pages.corridor_scenario_pathway import (
    pathway_values,
    read_pathway,
    target_year_rows,
    with_pathway,
)
from bakuhub.web.pages.corridor_scenario_rows import Row, limit_rows, link_rows, target_rows

__all__ = [
    "EXTENDABLE",
    "GROUPS",
    "TECH_LABELS",
    "Row",
    "Values",
    "cable_levels",
    "demand_rows",
    "form_of",
    "groups",
    "inputs",
    "limit_rows",
    "link_rows",
    "nodes",
    "place",
    "plain",
    "shown_inputs",
    "spec_of",
    "target_rows",
    "target_year_rows",
    "translated",
    "values_of",
]


# -- scenario -> form -----------------------------------------------------------------


def _at(spec: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = spec
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


KEPT: tuple[str, ...] = ()
"""Groups of a scenario this editor has no inputs for yet: carried through the form as
they are (a hidden field, validated with the rest), never dropped by an edit. None now:
the hydrogen and ammonia group (``molecules``) has its inputs."""


def form_of(spec: Mapping[str, Any]) -> Values:
    """The form's values of a scenario (its validated JSON)."""
    spec = with_pathway(with_molecules(spec))
    values: Values = {i.name: text(_at(spec, i.path)) for i in inputs()}
    for one in inputs():
        if one.kind == "multi":
            values[one.name] = [str(v) for v in _at(spec, one.path) or []]
    values.update(molecule_values(spec))
    values.update(pathway_values(spec))
    for group in KEPT:
        if spec.get(group) is not None:
            values[f"kept-{group}"] = json.dumps(spec[group], separators=(",", ":"))
    known = [code for code, _name, _country in nodes()]
    chosen = spec.get("nodes", "all")
    values["nodes"] = list(known) if chosen == "all" else [str(n) for n in chosen]
    values["demand_nodes_excluded"] = [str(n) for n in spec.get("demand_nodes_excluded", [])]
    given = dict(spec.get("links") or {})
    names = [name for name, _about in links()] + [n for n in given if n not in dict(links())]
    for i, name in enumerate(names):
        option = given.get(name) or {}
        values[f"links-{i}-name"] = name
        for column in LINK_COLUMNS:
            values[f"links-{i}-{column}"] = text(option.get(column))
    build = dict(spec.get("build") or {})
    limits = []
    for tech in EXTENDABLE:
        option = build.get(tech)
        values[f"build-{tech}-on"] = "true" if option is not None else ""
        where = (option or {}).get("nodes", "all")
        values[f"build-{tech}-nodes"] = "all" if where == "all" else ", ".join(where)
        limits += [(tech, node, mw) for node, mw in ((option or {}).get("max_mw") or {}).items()]
    for i, (tech, node, mw) in enumerate(limits):
        values.update({f"limits-{i}-technology": tech, f"limits-{i}-node": node})
        values[f"limits-{i}-max_mw"] = text(mw)
    for i, (country, share) in enumerate(dict(spec.get("renewable_targets") or {}).items()):
        values.update({f"targets-{i}-country": country, f"targets-{i}-share": text(share)})
    return values


# -- form -> scenario -----------------------------------------------------------------


def values_of(form: Any) -> Values:
    """The posted form as values (text stripped and bounded; checkbox groups as lists)."""
    values: Values = {}
    multi = [i.name for i in inputs() if i.kind == "multi"]
    for key in ("nodes", "demand_nodes_excluded", *multi):
        values[key] = [str(v)[:64] for v in form.getlist(key) if isinstance(v, str)][:MAX_ROWS]
    for key, value in form.multi_items():
        if isinstance(value, str) and key not in values and len(values) < 2000:
            values[key] = value.strip()[:4000]
    return values


def _put(spec: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = spec
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _rows(
    values: Values, prefix: str, columns: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    """Filled rows of a repeatable group, with their index in the form."""
    found: set[int] = set()
    pattern = re.compile(rf"^{prefix}-(\d{{1,3}})-[a-z_]+$")
    for key in values:
        match = pattern.match(key)
        if match:
            found.add(int(match.group(1)))
    out = []
    for i in sorted(found):
        row = {c: str(values.get(f"{prefix}-{i}-{c}", "")) for c in columns}
        if any(row.values()):
            out.append((i, row))
    return out


def spec_of(values: Values, *, ref: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Scenario data from the form's values, and the errors found reading the rows
    (input name -> sentence; the scenario's validation finds the rest)."""
    errors: dict[str, str] = {}
    spec: dict[str, Any] = {"name": ref or "scenario"}
    for one in inputs():
        raw = str(values.get(one.name, ""))
        if one.kind == "multi":
            ticked = [str(v) for v in values.get(one.name) or []]
            _put(spec, one.path, [int(v) if v.isdigit() and len(v) < 6 else v for v in ticked])
        elif one.kind == "checkbox":
            _put(spec, one.path, raw in ("true", "on"))
        elif raw and one.kind == "nodes":
            _put(spec, one.path, split_nodes(raw))
        elif raw and one.path == ("year",):
            _put(spec, one.path, int(raw) if raw.isdigit() and len(raw) < 6 else raw)
        elif raw:
            _put(spec, one.path, raw)  # validation reads the number
        elif one.optional:
            _put(spec, one.path, None)
    for group in KEPT:
        raw = str(values.get(f"kept-{group}", ""))
        if raw:
            try:
                spec[group] = json.loads(raw)
            except ValueError:
                errors["kept"] = _(
                    "The scenario's {group} group came back damaged; reload the scenario and "
                    "edit it again."
                ).format(group=group)
    errors.update(read_molecules(values, spec))
    errors.update(read_pathway(values, spec))
    solver = spec.get("solver", {})
    solver["options"] = {k: v for k, v in solver.get("options", {}).items() if v is not None}
    known = [code for code, _name, _country in nodes()]
    chosen = list(values.get("nodes") or [])
    if not chosen:
        errors["nodes"] = _("Nodes: tick at least one node of the model.")
    spec["nodes"] = "all" if set(known) <= set(chosen) else chosen
    spec["demand_nodes_excluded"] = list(values.get("demand_nodes_excluded") or [])
    spec["links"] = {}
    for i, row in _rows(values, "links", ("name", *LINK_COLUMNS)):
        if not row["mode"]:
            continue
        option: dict[str, Any] = {"mode": row["mode"]}
        option.update({c: row[c] for c in ("p_nom_mw", "min_mw", "max_mw") if row[c]})
        spec["links"][row["name"] or f"(row {i + 1})"] = option  # a key, not for reading
    spec["build"] = {}
    for kind in EXTENDABLE:
        if values.get(f"build-{kind}-on") not in ("true", "on"):
            continue
        where = str(values.get(f"build-{kind}-nodes", "")).strip()
        listed = [n for n in re.split(r"[,;\s]+", where) if n]
        spec["build"][kind] = {"nodes": "all" if where in ("", "all") else listed, "max_mw": {}}
    for i, row in _rows(values, "limits", LIMIT_COLUMNS):
        tech, node = row["technology"], row["node"]
        if tech not in spec["build"]:
            key = f"limits-{i}-technology"
            errors[key] = _(
                "Technology of limit row {row}: choose a technology that may be built "
                "(ticked above)."
            ).format(row=i + 1)
        elif not node:
            errors[f"limits-{i}-node"] = _("Node of limit row {row}: choose a node.").format(
                row=i + 1
            )
        elif node in spec["build"][tech]["max_mw"]:
            errors[f"limits-{i}-node"] = _(
                "Node of limit row {row}: {technology} at {node} is limited in another row already."
            ).format(row=i + 1, technology=tech, node=node)
        else:
            spec["build"][tech]["max_mw"][node] = row["max_mw"]
    spec["renewable_targets"] = {}
    for i, row in _rows(values, "targets", TARGET_COLUMNS):
        if not row["country"]:
            errors[f"targets-{i}-country"] = _(
                "Country of target row {row}: choose a country."
            ).format(row=i + 1)
        elif row["country"] in spec["renewable_targets"]:
            errors[f"targets-{i}-country"] = _(
                "Country of target row {row}: {country} has a target in another row."
            ).format(row=i + 1, country=row["country"])
        else:
            spec["renewable_targets"][row["country"]] = row["share"]
    return spec, errors
