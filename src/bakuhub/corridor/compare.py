"""Solved corridor studies side by side: the key figures of their ``summary.json``.

One comparison for ``bakuhub corridor compare DIR DIR``, the corridor pages and the
API. It reads only the summaries the corridor model writes
(``corridor.run_study.summarise``); a figure a summary lacks (an older or partial study)
is ``None``, shown as n/a.

Figures are rounded to what the model can tell (:data:`DECIMALS` per unit: the solver
stops at a relative gap of about 1e-6, and the inputs carry three or four significant
digits), so solver noise such as ``-7.99e-15`` MW reads 0; differences are taken
between the rounded figures. :func:`warnings` says when studies differ in resolution,
weather or year, which changes figures as much as the scenario itself.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bakuhub.errors import InvalidInput

Summary = dict[str, Any]


@dataclass(frozen=True)
class Figure:
    """One compared quantity: its label, unit and how to read it from a summary."""

    label: str
    unit: str
    read: Callable[[Summary], Any]

    @property
    def key(self) -> str:
        """A name for the figure in JSON (``total_system_cost``)."""
        return re.sub(r"[^a-z0-9]+", "_", self.label.lower()).strip("_")

    def of(self, summary: Summary) -> float | None:
        """The figure of one study (rounded, noise removed), or None when its summary
        lacks it."""
        try:
            value = self.read(summary)
        except (KeyError, TypeError, AttributeError):
            return None
        return None if value is None else clean(float(value), self.unit)


DECIMALS = {"bn EUR/a": 3, "TWh/a": 3, "EUR/MWh": 2, "Mt/a": 3, "MW": 0}
"""Decimals each unit is shown with: about what the model can tell (1 MW of a cable,
1 GWh of energy, a cent per MWh, a kilotonne of CO2, a million euros a year)."""


def clean(value: float | None, unit: str) -> float | None:
    """``value`` rounded to its unit's :data:`DECIMALS`, without a negative zero (solver
    noise like ``-7.99e-15`` becomes 0.0); None and non-finite values stay None."""
    if value is None or not math.isfinite(value):
        return None
    rounded = round(value, DECIMALS.get(unit, 3))
    return 0.0 if rounded == 0 else rounded


def _built(summary: Summary, technology: str) -> float:
    built = summary["capacity_built_mw"]
    return float(sum(v for k, v in built.items() if k.endswith(f"/{technology}")))


def _cable(summary: Summary, name: str) -> float:
    return float(summary["cables"].get(name, {}).get("capacity_mw", 0.0))


FIGURES: tuple[Figure, ...] = (
    Figure("Total system cost", "bn EUR/a", lambda s: s["total_system_cost_eur_a"] / 1e9),
    Figure("Export", "TWh/a", lambda s: s["export_twh"]),
    Figure("Cost at the EU gateway", "EUR/MWh", lambda s: s["gateway_price_eur_mwh"]),
    Figure("CO2 emitted", "Mt/a", lambda s: s["co2_emitted_mt"]),
    Figure("CO2 avoided vs no Caspian cable", "Mt/a", lambda s: s["co2_avoided_mt"]),
    Figure("Caspian cable", "MW", lambda s: _cable(s, "CASPIAN")),
    Figure("Black Sea cable", "MW", lambda s: _cable(s, "BLACKSEA")),
    Figure("Solar built", "MW", lambda s: _built(s, "solar")),
    Figure("Wind built", "MW", lambda s: _built(s, "onwind") + _built(s, "offwind")),
    Figure("Battery built", "MW", lambda s: _built(s, "battery")),
    Figure("Unserved energy", "TWh/a", lambda s: s["unserved_twh"]),
    Figure("Curtailment", "TWh/a", lambda s: s["curtailment_twh"]),
)


def _minus(value: float | None, first: float | None, unit: str) -> float | None:
    return None if value is None or first is None else clean(value - first, unit)


def compare(summaries: Sequence[Summary]) -> list[dict[str, Any]]:
    """One row per key figure: ``key``, ``label``, ``unit``, ``values`` (one per study,
    None where missing), ``differences`` (each study minus the first) and
    ``difference`` (last minus first); a difference is None unless both are known."""
    rows = []
    for figure in FIGURES:
        values = [figure.of(s) for s in summaries]
        first = values[0] if values else None
        differences = [_minus(v, first, figure.unit) for v in values]
        rows.append(
            {
                "key": figure.key,
                "label": figure.label,
                "unit": figure.unit,
                "values": values,
                "differences": differences,
                "difference": differences[-1] if differences else None,
            }
        )
    return rows


def key_figures(summary: Summary) -> dict[str, float | None]:
    """The key figures of one summary by :attr:`Figure.key` (rounded, noise removed)."""
    return {figure.key: figure.of(summary) for figure in FIGURES}


COMPARED = (("resolution", "resolutions"), ("weather", "weather sources"), ("year", "years"))


def warnings(studies: Sequence[Mapping[str, Any]]) -> list[str]:
    """A sentence for each of resolution, weather and year that differs between
    ``studies`` (mappings with ``name`` and those keys; a missing key is not compared)."""
    out = []
    for key, plural in COMPARED:
        seen = {str(s[key]) for s in studies if s.get(key) is not None}
        if len(seen) > 1:
            listed = ", ".join(
                f"{s.get('name', '?')}: {s[key]}" for s in studies if s.get(key) is not None
            )
            out.append(
                f"The studies differ in their {plural} ({listed}); part of each difference "
                f"comes from the {key}, not only from the scenario."
            )
    return out


def load_summary(folder: Path) -> Summary:
    """The summary.json of a study folder (or the file itself), or a user error."""
    path = folder / "summary.json" if folder.is_dir() else folder
    if not path.is_file():
        raise InvalidInput(
            f"{folder} holds no summary.json; give folders written by 'bakuhub corridor solve'."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{path} is not a readable summary ({exc}).") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path} is not a study summary (a JSON object).")
    return data
