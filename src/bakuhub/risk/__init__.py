"""Composite-index engine: indicators -> transform -> outliers -> normalise -> weight ->
aggregate -> classify -> rank, with the missing-data rule, completeness, Monte Carlo
rank intervals and per-country explanations; presets Hub (default), ND-GAIN, INFORM.

The engine (``spec``, ``steps``, ``index``, ``montecarlo``, ``explain``, ``pipeline``)
is pure; ``service`` and ``models`` hold the database side. Names below are loaded on
first use, so importing ``bakuhub.risk.models`` does not pull in numpy and pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bakuhub.risk.index import IndexResult, IndicatorData, score_index
    from bakuhub.risk.inputs import Window, assemble
    from bakuhub.risk.montecarlo import RankInterval, rank_intervals
    from bakuhub.risk.pipeline import Outcome, run, table
    from bakuhub.risk.presets import PRESETS, get_preset
    from bakuhub.risk.spec import (
        Classes,
        IndexModel,
        Indicator,
        MonteCarlo,
        Node,
        Treatment,
        model_from_dict,
        model_to_dict,
    )

_WHERE = {
    "IndexResult": "index",
    "IndicatorData": "index",
    "score_index": "index",
    "Window": "inputs",
    "assemble": "inputs",
    "RankInterval": "montecarlo",
    "rank_intervals": "montecarlo",
    "Outcome": "pipeline",
    "run": "pipeline",
    "table": "pipeline",
    "PRESETS": "presets",
    "get_preset": "presets",
    "Classes": "spec",
    "IndexModel": "spec",
    "Indicator": "spec",
    "MonteCarlo": "spec",
    "Node": "spec",
    "Treatment": "spec",
    "model_from_dict": "spec",
    "model_to_dict": "spec",
}

__all__ = [
    "PRESETS",
    "Classes",
    "IndexModel",
    "IndexResult",
    "Indicator",
    "IndicatorData",
    "MonteCarlo",
    "Node",
    "Outcome",
    "RankInterval",
    "Treatment",
    "Window",
    "assemble",
    "get_preset",
    "model_from_dict",
    "model_to_dict",
    "rank_intervals",
    "run",
    "score_index",
    "table",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'bakuhub.risk' has no attribute {name!r}")
    return getattr(importlib.import_module(f"bakuhub.risk.{_WHERE[name]}"), name)
