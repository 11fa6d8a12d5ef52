"""The scenario editor's form: a corridor scenario as the form's values, and back.

Single-valued inputs are mapped to their scenario path by
:mod:`bakuhub.web.pages.corridor_scenario_inputs` (``co2-price_eur_t`` <->
``co2.price_eur_t``); lists and dictionaries are edited here as checkboxes (nodes),
one row per dataset link (``links-<i>-<column>``), one line per technology
(``build-<tech>-on``, ``build-<tech>-nodes``) and repeatable rows (``limits-<i>-...``:
per-node technology limits; ``targets-<i>-...``: renewable targets).

:func:`form_of` turns a scenario (its JSON) into the form's values, :func:`spec_of` the
values back into scenario data (what a person typed is kept as text: the scenario's
validation judges it), and :func:`place` puts each error of the service's
``InvalidInput.details`` (``loc`` = scenario path) beside its input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bakuhub.i18n import N_, _
from bakuhub.web.pages.corridor_scenario_inputs import (
    BLANK_ROWS,
    EXTENDABLE,
    GROUPS,
    LIMIT_COLUMNS,
    LINK_COLUMNS,
    LINK_LABELS,
    LINK_MODES,
    LINK_WORDS,
    MAX_ROWS,
    TARGET_COLUMNS,
    TECH_LABELS,
    Values,
    by_name,
    cable_levels,
    countries,
    groups,
    inputs,
    links,
    node_options,
    nodes,
    shown_inputs,
    translated,
)

__all__ = [
    "EXTENDABLE",
    "GROUPS",
    "TECH_LABELS",
    "Row",
    "Values",
    "cable_levels",
    "form_of",
    "groups",
    "inputs",
    "nodes",
    "place",
    "plain",
    "shown_inputs",
    "spec_of",
    "translated",
    "values_of",
]


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


# -- scenario -> form -----------------------------------------------------------------


def text(value: Any) -> str:
    """A value as the form shows it (``80`` not ``80.0``; empty for none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _at(spec: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = spec
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


KEPT = ("molecules",)
"""Groups of a scenario this editor has no inputs for yet: carried through the form as
they are (a hidden field, validated with the rest), never dropped by an edit."""


def form_of(spec: Mapping[str, Any]) -> Values:
    """The form's values of a scenario (its validated JSON)."""
    values: Values = {i.name: text(_at(spec, i.path)) for i in inputs()}
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
    for key in ("nodes", "demand_nodes_excluded"):
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
        if one.kind == "checkbox":
            _put(spec, one.path, raw in ("true", "on"))
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


# -- errors beside their inputs -------------------------------------------------------

_PLAIN = (
    (
        r"Input should be a valid number, unable to parse string as a number",
        N_("write a number"),
    ),
    (
        r"Input should be a valid integer, unable to parse string as an integer",
        N_("write a whole number"),
    ),
    (
        r"Input should be a valid integer, got a number with a fractional part",
        N_("write a whole number"),
    ),
    (r"Input should be greater than or equal to (?P<limit>\S+)", N_("must be at least {limit}")),
    (r"Input should be less than or equal to (?P<limit>\S+)", N_("must be at most {limit}")),
    (r"Input should be greater than (?P<limit>\S+)", N_("must be more than {limit}")),
    (r"Input should be less than (?P<limit>\S+)", N_("must be less than {limit}")),
    (r"Input should be (?P<rest>[^\n]*)", N_("must be {rest}")),
)


def plain(message: str) -> str:
    """A validation message in a person's words (no "Input should be"), its words in
    the reader's language (pydantic's own values, such as the choices, stay as said)."""
    for said, meant in _PLAIN:
        found = re.search(said, message)
        if found is not None:
            words = _(meant).format(**found.groupdict())
            message = message[: found.start()] + words + message[found.end() :]
    return message.rstrip(".")


def _row_of(values: Values, prefix: str, column: str, wanted: str) -> int | None:
    for key, value in values.items():
        match = re.match(rf"^{prefix}-(\d{{1,3}})-{column}$", key)
        if match and value == wanted:
            return int(match.group(1))
    return None


def _limit_row(values: Values, tech: str, node: str) -> int | None:
    for key, value in values.items():
        match = re.match(r"^limits-(\d{1,3})-technology$", key)
        if match and value == tech and values.get(f"limits-{match.group(1)}-node") == node:
            return int(match.group(1))
    return None


def input_of(loc: list[Any], msg: str, values: Values) -> tuple[str, str]:
    """(input name, label) an error at scenario path ``loc`` belongs to ('': the form)."""
    path = tuple(str(p) for p in loc)
    named = {"ref": N_("Reference"), "name": N_("Reference"), "title": N_("Title")}
    if path[:1] and path[0] in named:
        return ("ref" if path[0] == "name" else path[0]), _(named[path[0]])
    if path[:1] in (("nodes",), ("demand_nodes_excluded",)):
        label = _("Nodes") if path[0] == "nodes" else _("Nodes without demand")
        return path[0], label
    if path[:1] == ("links",) and len(path) > 1:
        i = _row_of(values, "links", "name", path[1])
        if i is None:
            return "", _("Link {link}").format(link=path[1])
        column = path[2] if len(path) > 2 else ""
        if column not in LINK_COLUMNS:
            column = next((c for c in ("p_nom_mw", "max_mw") if c in msg), "mode")
        label = _("Link {link}, {column}").format(link=path[1], column=_(LINK_LABELS[column]))
        return f"links-{i}-{column}", label
    if path[:1] == ("build",) and len(path) > 1:
        tech = path[1]
        if len(path) > 3 and path[2] == "max_mw":
            i = _limit_row(values, tech, path[3])
            if i is not None:
                label = _("Limit of {technology} at {node} (MW)").format(
                    technology=tech, node=path[3]
                )
                return f"limits-{i}-max_mw", label
        if len(path) > 2 and path[2] == "nodes":
            return f"build-{tech}-nodes", _("Where {technology} may be built").format(
                technology=tech
            )
        return f"build-{tech}-on", _(TECH_LABELS.get(tech, tech))
    if path[:1] == ("renewable_targets",):
        country = path[1] if len(path) > 1 else msg.split(":", 1)[0]
        i = _row_of(values, "targets", "country", country)
        if i is not None:  # msg: "AZ: ..."
            return f"targets-{i}-share", _("Renewable target of {country}").format(country=country)
        return "", _("Renewable targets")
    found = [i for i in inputs() if path[: len(i.path)] == i.path]
    if found:
        best = max(found, key=lambda i: len(i.path))
        return best.name, translated(best).label
    if path[:1] in (("solver",), ("weather",), ("costs",), ("co2",), ("europe",)):
        fallback = {"solver": "solver-name", "weather": "weather-source"}.get(path[0], "")
        if fallback:
            return fallback, translated(by_name()[fallback]).label
    return "", ".".join(path) or _("The scenario")


def place(details: list[dict[str, Any]], values: Values) -> dict[str, str]:
    """Each error of ``details`` beside its input (key '' for the form as a whole)."""
    errors: dict[str, str] = {}
    for detail in details:
        msg = plain(str(detail.get("msg") or _("is not valid")))
        name, label = input_of(list(detail.get("loc") or []), msg, values)
        if name.startswith("targets-"):
            msg = msg.split(": ", 1)[-1]  # the country is in the label already
        for column, words in LINK_WORDS.items():
            msg = msg.replace(column, _(words)) if name.startswith("links-") else msg
        sentence = _("{label}: {message}.").format(label=label, message=msg)
        errors[name] = f"{errors[name]} {sentence}" if name in errors and name else sentence
    return errors


# -- what the template draws ----------------------------------------------------------


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


def _repeat(
    values: Values,
    errors: Mapping[str, str],
    prefix: str,
    columns: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...],
) -> list[Row]:
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


def limit_rows(values: Values, errors: Mapping[str, str]) -> list[Row]:
    """The per-node technology limits, with two empty rows to add more."""
    techs = (("", _("(choose)")), *((t, _(TECH_LABELS[t])) for t in EXTENDABLE))
    where = (("", _("(choose)")), *node_options())
    columns = (
        ("technology", _("Technology"), "select", techs),
        ("node", _("Node"), "select", where),
        ("max_mw", _("At most (MW)"), "number", ()),
    )
    return _repeat(values, errors, "limits", columns)


def target_rows(values: Values, errors: Mapping[str, str]) -> list[Row]:
    """The renewable targets, with two empty rows to add more."""
    choices = (("", _("(choose)")), *((c, c) for c in countries()))
    columns = (
        ("country", _("Country"), "select", choices),
        ("share", _("Share of renewables (0 to 1)"), "number", ()),
    )
    return _repeat(values, errors, "targets", columns)
