"""A corridor scenario's fields as its page reads them (``/corridor/scenarios/{ref}``):
the single-valued fields in their groups as (label, value), and the lists (nodes,
links, technologies, limits, targets, hydrogen demand, pathway targets) in words."""

from __future__ import annotations

from typing import Any

from bakuhub.i18n import _
from bakuhub.web.pages import corridor_scenario_form as sf

__all__ = ["shown_groups", "shown_lists"]


SWITCHES = {"molecules": "molecules-enabled", "pathway": "pathway-years"}
"""The input that switches a group on; while it is off the page shows it alone."""


def shown_groups(values: sf.Values) -> list[dict[str, Any]]:
    """The scenario's fields as readable groups of (label, value); a group that is off
    (hydrogen and ammonia not modelled, no pathway years) shows its switch alone, and
    the hydrogen export is left out then."""
    groups = []
    off = {key for key, name in SWITCHES.items() if not values.get(name)}
    if "molecules" in off:
        off.add("molecules_export")
    for key, title in sf.groups()[1:]:  # the first, "The scenario", is the page's head
        if key in off and key not in SWITCHES:
            continue
        items = []
        for i in sf.shown_inputs():
            if i.group != key or i.name == "description":
                continue
            if key in off and i.name != SWITCHES.get(key):
                continue
            given = values.get(i.name, "")
            raw = ", ".join(given) if isinstance(given, list) else str(given)
            if i.kind == "checkbox":
                shown = _("yes") if raw else _("no")
            elif i.kind == "multi" and not raw:
                shown = _("none")
            else:
                shown = dict(i.options).get(raw, raw) if i.options else raw
            if raw or not i.optional:
                items.append((i.label, shown or _("(default)")))
        groups.append({"key": key, "title": title, "items": items, "off": key in off})
    return groups


def _link(row: sf.Row) -> tuple[str, str]:
    """A link's setting as read: its title, and its mode and capacities in words."""
    said = [
        _("{label}: {value}").format(label=c.label, value=dict(c.options).get(c.value, c.value))
        for c in row.cells[1:]
        if c.value
    ]
    return row.title, "; ".join(said)


def shown_lists(values: sf.Values) -> dict[str, Any]:
    """Nodes, links, technologies, limits, targets, hydrogen demand and pathway targets
    of a scenario, for reading."""
    known = [code for code, _name, _country in sf.nodes()]
    chosen = list(values.get("nodes") or [])
    return {
        "nodes": _("all") if set(known) <= set(chosen) else ", ".join(chosen),
        "excluded": ", ".join(values.get("demand_nodes_excluded") or []) or _("none"),
        "links": [_link(r) for r in sf.link_rows(values, {}) if r.cells[1].value],
        "build": [
            (_(sf.TECH_LABELS[t]), _where(values.get(f"build-{t}-nodes")))
            for t in sf.EXTENDABLE
            if values.get(f"build-{t}-on")
        ],
        "limits": [r for r in sf.limit_rows(values, {}) if r.cells[0].value],
        "targets": [r for r in sf.target_rows(values, {}) if r.cells[0].value],
        "demand": [r for r in sf.demand_rows(values, {}) if r.cells[0].value],
        "pathway_targets": [r for r in sf.target_year_rows(values, {}) if r.cells[0].value],
    }


def _where(nodes: Any) -> str:
    """Where a technology may be built, as the page says it."""
    return _("all") if not nodes or nodes == "all" else str(nodes)
