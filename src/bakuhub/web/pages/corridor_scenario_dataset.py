"""What the scenario editor shows of the shipped corridor dataset: its nodes, links and
submarine cable-cost levels (with their sources)."""

from __future__ import annotations

from functools import cache
from typing import Any

from bakuhub import i18n
from bakuhub.corridor.scenario import CABLE_LEVELS
from bakuhub.i18n import _

__all__ = ["cable_levels", "countries", "level_options", "links", "node_options", "nodes"]


@cache
def cable_levels() -> tuple[dict[str, Any], ...]:
    """The shipped cable-cost levels: level, year, value, unit, source."""
    from bakuhub.corridor.datasets import cable_cost_levels

    frame = cable_cost_levels()
    return tuple({str(k): v for k, v in row.items()} for row in frame.to_dict("records"))


def level_options() -> tuple[tuple[str, str], ...]:
    """The cable-cost levels with their EUR/MW/km (the table lists the sources), in the
    reader's language and digits."""
    out = []
    for level in CABLE_LEVELS:
        found = sorted(float(r["value"]) for r in cable_levels() if r["level"] == level)
        if not found:
            out.append((level, level))
            continue
        low, high = i18n.number(found[0]), i18n.number(found[-1])
        if found[0] != found[-1]:
            text = _("{level} ({low} to {high} EUR/MW/km by year)")
        elif len(found) > 1:
            text = _("{level} ({low} EUR/MW/km by year)")
        else:
            text = _("{level} ({low} EUR/MW/km)")
        out.append((level, text.format(level=level, low=low, high=high)))
    return tuple(out)


@cache
def nodes() -> tuple[tuple[str, str, str], ...]:
    """The dataset's nodes: (code, name, country)."""
    from bakuhub.corridor.datasets import read_table

    frame = read_table("nodes.csv")
    return tuple(
        (str(r["node"]), str(r["name"]), str(r["country"])) for _unused, r in frame.iterrows()
    )


@cache
def links() -> tuple[tuple[str, str], ...]:
    """The dataset's links: (name, description)."""
    from bakuhub.corridor.datasets import read_table

    frame = read_table("links.csv")
    return tuple(
        (str(r["link"]), f"{r['bus0']} - {r['bus1']}, {r['technology']} ({r['status']})")
        for _unused, r in frame.iterrows()
    )


def node_options() -> tuple[tuple[str, str], ...]:
    """The nodes as a select's choices: ``code: name``."""
    return tuple((code, f"{code}: {name}") for code, name, _unused in nodes())


def countries() -> tuple[str, ...]:
    """The dataset's countries, each once, in the nodes' order."""
    return tuple(dict.fromkeys(country for _unused, _unused2, country in nodes()))
