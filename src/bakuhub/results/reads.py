"""Results frameworks as the API reads them: results, indicators, periods with status."""

from __future__ import annotations

from typing import Any

from bakuhub.results import models as m
from bakuhub.results.rollup import period_status
from bakuhub.timestamps import as_utc


def read_period(p: m.IndicatorPeriod) -> dict[str, Any]:
    """A period as the API returns it, with its status and who reviewed it when."""
    ind = p.indicator
    return {
        "id": p.id,
        "version": p.version,
        "start": p.start,
        "end": p.end,
        "target": p.target,
        "actual": p.actual,
        "target_comment": p.target_comment,
        "actual_comment": p.actual_comment,
        "evidence_url": p.evidence_url,
        "weight": p.weight,
        "disaggregations": [
            {"side": d.side, "dimension": d.dimension, "category": d.category, "value": d.value}
            for d in p.disaggregations
        ],
        "state": p.state,
        "state_comment": p.state_comment,
        "value_source": p.value_source,
        "status": period_status(
            target=p.target,
            actual=p.actual,
            baseline=ind.baseline_value,
            ascending=ind.ascending,
            measure=ind.measure,
        ).value,
        "updated_at": as_utc(p.updated_at),
        "updated_by": p.updated_by,
        "reviewed_by": p.reviewed_by,
        "reviewed_at": as_utc(p.reviewed_at) if p.reviewed_at else None,
    }


def read_indicator(i: m.Indicator) -> dict[str, Any]:
    """An indicator with its periods."""
    return {
        "id": i.id,
        "code": i.code,
        "title": i.title,
        "description": i.description,
        "measure": i.measure,
        "unit": i.unit,
        "ascending": i.ascending,
        "baseline_year": i.baseline_year,
        "baseline_value": i.baseline_value,
        "baseline_comment": i.baseline_comment,
        "include_in_rollup": i.include_in_rollup,
        "periods": [read_period(p) for p in i.periods],
    }


def read_result(r: m.Result) -> dict[str, Any]:
    """A result with its indicators."""
    return {
        "id": r.id,
        "kind": r.kind,
        "title": r.title,
        "description": r.description,
        "indicators": [read_indicator(i) for i in r.indicators],
    }
