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
from bakuhub.i18n import N_, _

Summary = dict[str, Any]


@dataclass(frozen=True)
class Figure:
    """One compared quantity: its label (English, marked with ``N_``: translate it where
    it is shown), unit and how to read it from a summary."""

    label: str
    unit: str
    read: Callable[[Summary], Any]

    @property
    def key(self) -> str:
        """A name for the figure in JSON (``total_system_cost``)."""
        return re.sub(r"[^a-z0-9]+", "_", self.label.lower()).strip("_")

    @property
    def title(self) -> str:
        """The label in the reader's language."""
        return _(self.label)

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
    Figure(N_("Total system cost"), "bn EUR/a", lambda s: s["total_system_cost_eur_a"] / 1e9),
    Figure(N_("Export"), "TWh/a", lambda s: s["export_twh"]),
    Figure(N_("Cost at the EU gateway"), "EUR/MWh", lambda s: s["gateway_price_eur_mwh"]),
    Figure(N_("CO2 emitted"), "Mt/a", lambda s: s["co2_emitted_mt"]),
    Figure(N_("CO2 avoided vs no Caspian cable"), "Mt/a", lambda s: s["co2_avoided_mt"]),
    Figure(N_("Caspian cable"), "MW", lambda s: _cable(s, "CASPIAN")),
    Figure(N_("Black Sea cable"), "MW", lambda s: _cable(s, "BLACKSEA")),
    Figure(N_("Solar built"), "MW", lambda s: _built(s, "solar")),
    Figure(N_("Wind built"), "MW", lambda s: _built(s, "onwind") + _built(s, "offwind")),
    Figure(N_("Battery built"), "MW", lambda s: _built(s, "battery")),
    Figure(N_("Unserved energy"), "TWh/a", lambda s: s["unserved_twh"]),
    Figure(N_("Curtailment"), "TWh/a", lambda s: s["curtailment_twh"]),
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
                "label": figure.title,
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


COMPARED = (
    (
        "resolution",
        N_(
            "The studies differ in their resolutions ({studies}); part of each difference "
            "comes from the resolution, not only from the scenario."
        ),
    ),
    (
        "weather",
        N_(
            "The studies differ in their weather sources ({studies}); part of each "
            "difference comes from the weather, not only from the scenario."
        ),
    ),
    (
        "year",
        N_(
            "The studies differ in their years ({studies}); part of each difference comes "
            "from the year, not only from the scenario."
        ),
    ),
)
"""Each compared setting and the sentence said when studies differ in it."""


def warnings(studies: Sequence[Mapping[str, Any]]) -> list[str]:
    """A sentence for each of resolution, weather and year that differs between
    ``studies`` (mappings with ``name`` and those keys; a missing key is not compared)."""
    out = []
    for key, sentence in COMPARED:
        seen = {str(s[key]) for s in studies if s.get(key) is not None}
        if len(seen) > 1:
            listed = ", ".join(
                f"{s.get('name', '?')}: {s[key]}" for s in studies if s.get(key) is not None
            )
            out.append(_(sentence).format(studies=listed))
    return out


def load_summary(folder: Path) -> Summary:
    """The summary.json of a study folder (or the file itself), or a user error."""
    path = folder / "summary.json" if folder.is_dir() else folder
    if not path.is_file():
        raise InvalidInput(
            _(
                "{folder} holds no summary.json; give folders written by 'bakuhub corridor solve'."
            ).format(folder=folder)
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            _("{path} is not a readable summary ({error}).").format(path=path, error=exc)
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(_("{path} is not a study summary (a JSON object).").format(path=path))
    return data
