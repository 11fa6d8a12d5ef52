"""Set an energy project's indicator actuals from a solved corridor scenario.

The corridor model writes one JSON summary per solved scenario::

    {"scenario": "name", "scenario_hash": "sha256...", "year": 2030,
     "capacity_built_mw": {"<node>/<technology>": MW, ...},
     "export_twh": TWh, "co2_avoided_mt": Mt}

Each figure becomes the actual of the period covering ``year`` of the project's
indicator with the matching code (created when missing), recorded with the
scenario it came from (``value_source``); each period written gets its audit
entry. Capacity built is ``sum_(node, technology) MW``, disaggregated by location
(node): the sum over a node's technologies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from bakuhub.errors import Conflict, InvalidInput
from bakuhub.i18n import _
from bakuhub.registry.models import Project
from bakuhub.results import models as m
from bakuhub.results.codes import EDITABLE_STATES, Measure, PeriodState, ResultKind
from bakuhub.results.schemas import DisaggregationIn, PeriodIn, ScenarioSummary
from bakuhub.results.service import (
    fetch_project,
    flush,
    log_change,
    project_results,
    read_period,
    write_period,
)

ENERGY_THEME = "mitigation-energy"
CORRIDOR_RESULT = "Green energy corridor: capacity, exports and emissions avoided"
CORRIDOR_INDICATORS: dict[str, tuple[str, str, str]] = {
    "capacity_built_mw": ("corridor-capacity-built-mw", "Generation capacity built", "MW"),
    "export_twh": ("corridor-export-twh", "Electricity exported", "TWh"),
    "co2_avoided_mt": ("corridor-co2-avoided-mt", "CO2 emissions avoided", "Mt CO2"),
}
"""Summary field -> (indicator code, title, unit)."""


def _indicator(session: Session, project: Project, code: str) -> m.Indicator | None:
    for result in project_results(session, project.id):
        for indicator in result.indicators:
            if indicator.code == code:
                return indicator
    return None


def _corridor_result(session: Session, project: Project, author: str) -> m.Result:
    results = project_results(session, project.id)
    for result in results:
        if result.title == CORRIDOR_RESULT:
            return result
    result = m.Result(
        project_id=project.id,
        position=len(results),
        kind=ResultKind.outcome.value,
        title=CORRIDOR_RESULT,
        description="Figures taken from solved scenarios of the corridor model.",
        created_by=author,
    )
    session.add(result)
    return result


def _period_for(indicator: m.Indicator, year: int) -> m.IndicatorPeriod | None:
    covering = [p for p in indicator.periods if p.start.year <= year <= p.end.year]
    ending = [p for p in covering if p.end.year == year]
    chosen = ending or covering
    return chosen[0] if chosen else None


def apply_scenario_summary(
    *, session: Session, project_ref: str, summary: ScenarioSummary, author: str
) -> dict[str, Any]:
    """Set the project's capacity, export and CO2 actuals for ``summary.year``."""
    project = fetch_project(session, project_ref)
    if ENERGY_THEME not in (project.themes or []):
        raise InvalidInput(
            _(
                "Project '{ref}' is not an energy project (its themes do not include "
                "{theme}); corridor figures go to energy projects only."
            ).format(ref=project_ref, theme=ENERGY_THEME)
        )
    by_node: dict[str, float] = {}
    for key, mw in summary.capacity_built_mw.items():
        node = key.split("/")[0]
        by_node[node] = by_node.get(node, 0.0) + mw
    values: dict[str, tuple[float, list[DisaggregationIn]]] = {
        "capacity_built_mw": (
            sum(summary.capacity_built_mw.values()),
            [
                DisaggregationIn(side="actual", dimension="location", category=n, value=v)
                for n, v in sorted(by_node.items())
            ],
        ),
        "export_twh": (summary.export_twh, []),
        "co2_avoided_mt": (summary.co2_avoided_mt, []),
    }
    targets = []
    for field, (code, title, unit) in CORRIDOR_INDICATORS.items():
        indicator = _indicator(session, project, code)
        if indicator is None:
            result = _corridor_result(session, project, author)
            indicator = m.Indicator(
                code=code,
                title=title,
                measure=Measure.unit.value,
                unit=unit,
                ascending=True,
                position=len(result.indicators),
            )
            result.indicators.append(indicator)
            flush(
                session, _("indicator {code} of project '{ref}'").format(code=code, ref=project_ref)
            )
        period = _period_for(indicator, summary.year)
        created = period is None
        if period is None:
            period = m.IndicatorPeriod(
                start=dt.date(summary.year, 1, 1),
                end=dt.date(summary.year, 12, 31),
                state=PeriodState.draft.value,
                version=1,
                created_by=author,
                updated_by=author,
            )
            indicator.periods.append(period)
            flush(
                session, _("period {year} of indicator {code}").format(year=summary.year, code=code)
            )
        elif PeriodState(period.state) not in EDITABLE_STATES:
            raise Conflict(
                _(
                    "The {year} period of indicator {code} of project '{ref}' is "
                    "{state}; return it before taking new figures from a scenario."
                ).format(year=summary.year, code=code, ref=project_ref, state=period.state)
            )
        targets.append((field, code, period, created))
    applied = []
    for field, code, period, created in targets:
        value, parts = values[field]
        kept = [
            DisaggregationIn.model_validate(
                {"side": d.side, "dimension": d.dimension, "category": d.category, "value": d.value}
            )
            for d in period.disaggregations
            if d.side == "target"
        ]
        payload = PeriodIn(
            start=period.start,
            end=period.end,
            target=period.target,
            actual=value,
            target_comment=period.target_comment,
            actual_comment=f"From corridor scenario '{summary.scenario}' ({summary.year}).",
            evidence_url=period.evidence_url,
            weight=period.weight,
            disaggregations=[*kept, *parts],
        )
        source = {
            "kind": "corridor-scenario",
            "scenario": summary.scenario,
            "scenario_hash": summary.scenario_hash,
            "year": summary.year,
            "field": field,
        }
        before = None if created else read_period(period)
        write_period(session, period, payload, author, source=source)
        after = read_period(period)
        log_change(session, author, "corridor actuals", "periods", period.id, before, after)
        applied.append(
            {"indicator": code, "period": period.id, "actual": value, "created_period": created}
        )
    return {
        "project": project.ref,
        "scenario": summary.scenario,
        "scenario_hash": summary.scenario_hash,
        "year": summary.year,
        "periods": applied,
    }
