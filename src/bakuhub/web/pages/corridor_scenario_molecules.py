"""The hydrogen and ammonia group in the scenario editor, beyond its single-valued
inputs (:mod:`bakuhub.web.pages.corridor_scenario_molecule_inputs`): the hydrogen
demand per node as repeatable rows (``h2demand-<i>-node``, ``h2demand-<i>-twh``), the
node codes checked against the dataset, and an export's needs told beside the input
that lacks them (a market needs a price and the buyer's size, a target its quantity,
ammonia's shipping and cracking need ammonia, an ammonia export needs the plants).

A scenario without the group is shown with the group's defaults; saved again it leaves
them out of its dump (``scenario.py``), so its digest is unchanged.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from bakuhub.corridor.hydrogen_options import Molecules
from bakuhub.i18n import _
from bakuhub.web.pages.corridor_scenario_field import Values, text
from bakuhub.web.pages.corridor_scenario_inputs import by_name, nodes, translated
from bakuhub.web.pages.corridor_scenario_rows import Row, node_choices, repeat_rows

__all__ = [
    "DEMAND",
    "demand_rows",
    "export_problem",
    "molecule_values",
    "read_molecules",
    "split_nodes",
    "with_molecules",
]

DEMAND = "h2demand"
DEMAND_COLUMNS = ("node", "twh")
_SPLIT = re.compile(r"[,;\s]+")


def with_molecules(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario with its molecules group whole (the defaults where it is left out)."""
    default = Molecules().model_dump(mode="json")
    given = dict(spec.get("molecules") or {})
    export = {**default["export"], **dict(given.get("export") or {})}
    return {**spec, "molecules": {**default, **given, "export": export}}


def molecule_values(spec: Mapping[str, Any]) -> Values:
    """The hydrogen demand rows of a scenario (its group whole: :func:`with_molecules`)."""
    demand = dict((spec.get("molecules") or {}).get("hydrogen_demand_twh") or {})
    values: Values = {}
    for i, (node, twh) in enumerate(demand.items()):
        values[f"{DEMAND}-{i}-node"] = str(node)
        values[f"{DEMAND}-{i}-twh"] = text(twh)
    return values


def split_nodes(raw: str) -> str | list[str]:
    """``all``, or the node codes of a text separated by commas."""
    return "all" if raw.strip() == "all" else [n for n in _SPLIT.split(raw) if n]


def _label(name: str) -> str:
    return translated(by_name()[name]).label


def _number(raw: Any) -> float | None:
    try:
        value = float(str(raw))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def export_problem(values: Values) -> tuple[str, str] | None:
    """What an export lacks, beside the input that should change: (input, sentence)."""
    mode = values.get("molecules-export-mode")
    carrier = values.get("molecules-export-carrier")
    if mode == "market" and not values.get("molecules-export-price_eur_mwh"):
        name, said = (
            "molecules-export-price_eur_mwh",
            _("a market export needs a price; write one, or choose another export mode"),
        )
    elif mode == "market" and not values.get("molecules-export-max_twh"):
        name, said = (
            "molecules-export-max_twh",
            _(
                "a market export needs the most the buyer takes; write it, or choose another "
                "export mode"
            ),
        )
    elif mode == "target" and not values.get("molecules-export-target_twh"):
        name, said = (
            "molecules-export-target_twh",
            _("a target export needs the quantity a year; write it, or choose another export mode"),
        )
    elif carrier == "hydrogen" and (
        (_number(values.get("molecules-export-shipping_km")) or 0) > 0
        or values.get("molecules-export-crack_at_destination") in ("true", "on")
    ):
        name, said = (
            "molecules-export-carrier",
            _(
                "shipping and cracking at the destination are for ammonia; choose ammonia, or "
                "set the sea route to 0 and untick the cracking"
            ),
        )
    elif (
        mode in ("market", "target")
        and carrier == "ammonia"
        and values.get("molecules-ammonia") not in ("true", "on")
    ):
        name, said = (
            "molecules-ammonia",
            _("an ammonia export needs ammonia plants; tick this box, or export hydrogen"),
        )
    else:
        return None
    return name, _("{label}: {message}.").format(label=_label(name), message=said)


def _demand(values: Values, group: dict[str, Any], errors: dict[str, str]) -> None:
    """The hydrogen demand rows into ``group`` (errors by input name)."""
    demand: dict[str, Any] = {}
    for i, row in _filled(values):
        key = f"{DEMAND}-{i}-node"
        if not row["node"]:
            errors[key] = _("Node of hydrogen demand row {row}: choose a node.").format(row=i + 1)
        elif row["node"] in demand:
            errors[key] = _(
                "Node of hydrogen demand row {row}: {node} has a demand in another row; "
                "add the two or remove one."
            ).format(row=i + 1, node=row["node"])
        else:
            demand[row["node"]] = row["twh"]  # validation reads the number
    group["hydrogen_demand_twh"] = demand


def _filled(values: Values) -> list[tuple[int, dict[str, str]]]:
    found = sorted(
        {
            int(m.group(1))
            for key in values
            if (m := re.match(rf"^{DEMAND}-(\d{{1,3}})-[a-z_]+$", key)) is not None
        }
    )
    rows = [
        (i, {c: str(values.get(f"{DEMAND}-{i}-{c}", "")) for c in DEMAND_COLUMNS}) for i in found
    ]
    return [(i, row) for i, row in rows if any(row.values())]


def _nodes_known(values: Values, group: dict[str, Any], errors: dict[str, str]) -> None:
    """Every node named is a node of the dataset, and those that need a molecule node
    are among the nodes where electrolysers may be built."""
    known = [code for code, _name, _country in nodes()]
    where = group.get("nodes", "all")
    chosen = known if where == "all" else list(where)
    export = group.get("export") or {}
    named = {
        "molecules-nodes": [] if where == "all" else list(where),
        "molecules-underground_storage": list(group.get("underground_storage") or []),
        "molecules-export-port": [export["port"]] if export.get("mode") != "none" else [],
    }
    for name, codes in named.items():
        if stray := [c for c in codes if c not in known]:
            errors[name] = _(
                "{label}: {codes} not a node of the dataset; use some of {known}."
            ).format(label=_label(name), codes=", ".join(stray), known=", ".join(known))
        elif name != "molecules-nodes" and (stray := [c for c in codes if c not in chosen]):
            errors[name] = _(
                "{label}: {codes} not among the nodes where electrolysers may be built; add "
                "it there, or choose another."
            ).format(label=_label(name), codes=", ".join(stray))
    for i, row in _filled(values):
        key = f"{DEMAND}-{i}-node"
        if key not in errors and row["node"] and row["node"] not in chosen:
            errors[key] = _(
                "Node of hydrogen demand row {row}: {node} is not among the nodes where "
                "electrolysers may be built; add it there, or choose another."
            ).format(row=i + 1, node=row["node"])


def read_molecules(values: Values, spec: dict[str, Any]) -> dict[str, str]:
    """The demand rows into ``spec``'s molecules group (its single-valued inputs are
    there already) and the errors the form finds (input name -> sentence)."""
    errors: dict[str, str] = {}
    group = spec.setdefault("molecules", {})
    _demand(values, group, errors)
    _nodes_known(values, group, errors)
    found = export_problem(values)
    if found is not None:
        errors.setdefault(*found)
    return errors


def demand_rows(values: Values, errors: Mapping[str, str]) -> list[Row]:
    """The hydrogen demand per node, with two empty rows to add more."""
    columns = (
        ("node", _("Node"), "select", node_choices()),
        ("twh", _("Hydrogen demand (TWh a year)"), "number", ()),
    )
    return repeat_rows(values, errors, DEMAND, columns)
