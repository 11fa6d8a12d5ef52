"""The scenario editor's errors beside their inputs: each error of the service's
``InvalidInput.details`` (``loc`` = scenario path) is put beside the input it belongs
to (:func:`place`), in a person's words (:func:`plain`)."""

from __future__ import annotations

import re
from typing import Any

from bakuhub.i18n import N_, _
from bakuhub.web.pages.corridor_scenario_inputs import (
    LINK_COLUMNS,
    LINK_LABELS,
    LINK_WORDS,
    TECH_LABELS,
    Values,
    by_name,
    inputs,
    translated,
)
from bakuhub.web.pages.corridor_scenario_molecules import DEMAND, export_problem
from bakuhub.web.pages.corridor_scenario_pathway import TARGETS, target_row

__all__ = ["input_of", "place", "plain"]

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
    if path[:2] == ("pathway", "renewable_targets") and len(path) > 3:
        i = target_row(values, path[2], path[3])
        if i is not None:
            label = _("Pathway target of {country} in {year}").format(country=path[3], year=path[2])
            return f"{TARGETS}-{i}-share", label
    if path[:1] == ("molecules",):
        placed = _molecules_input(path, values)
        if placed is not None:
            return placed
    found = [i for i in inputs() if path[: len(i.path)] == i.path]
    if found:
        best = max(found, key=lambda i: len(i.path))
        return best.name, translated(best).label
    if path[:1] in (("solver",), ("weather",), ("costs",), ("co2",), ("europe",)):
        fallback = {"solver": "solver-name", "weather": "weather-source"}.get(path[0], "")
        if fallback:
            return fallback, translated(by_name()[fallback]).label
    return "", ".".join(path) or _("The scenario")


def _molecules_input(path: tuple[str, ...], values: Values) -> tuple[str, str] | None:
    """The input of an error in the molecules group that is not one input's: a node's
    hydrogen demand (its row), or the export's needs (the input that lacks)."""
    if path[:2] == ("molecules", "hydrogen_demand_twh"):
        node = path[2] if len(path) > 2 else ""
        i = _row_of(values, DEMAND, "node", node)
        if i is None:
            return "", _("Hydrogen demand per node")
        label = _("Hydrogen demand at {node} (TWh a year)").format(node=node)
        return f"{DEMAND}-{i}-twh", label
    if path in (("molecules",), ("molecules", "export")):
        problem = export_problem(values)
        if problem is not None:
            name = problem[0]
        else:
            name = "molecules-export-mode" if len(path) > 1 else "molecules-enabled"
        return name, translated(by_name()[name]).label
    return None


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
