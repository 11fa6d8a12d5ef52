"""Solved corridor studies side by side: the key figures of their ``summary.json``.

One comparison for ``bakuhub corridor compare DIR DIR`` and the corridor page. It
reads only the summaries the corridor model writes (``corridor.run_study.summarise``);
a figure a summary lacks (an older or partial study) is ``None``, shown as n/a.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
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

    def of(self, summary: Summary) -> float | None:
        """The figure of one study, or None when its summary lacks it."""
        try:
            value = self.read(summary)
        except (KeyError, TypeError, AttributeError):
            return None
        return None if value is None else float(value)


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


def compare(summaries: Sequence[Summary]) -> list[dict[str, Any]]:
    """One row per key figure: ``label``, ``unit``, ``values`` (one per study, None
    where missing) and ``difference`` (last minus first; None unless both known)."""
    rows = []
    for figure in FIGURES:
        values = [figure.of(s) for s in summaries]
        first, last = (values[0], values[-1]) if values else (None, None)
        difference = None if first is None or last is None else last - first
        rows.append(
            {
                "label": figure.label,
                "unit": figure.unit,
                "values": values,
                "difference": difference,
            }
        )
    return rows


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
