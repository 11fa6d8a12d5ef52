"""Finance pages: budgets, transactions and exchange rates of the record, and the
finance parts of the project page (``_project_finance.html``) and of the home page
(``_home_finance.html``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Principal
from bakuhub.errors import BakuhubError
from bakuhub.results import finance

router = APIRouter(include_in_schema=False)


def project_finance_context(
    session: Session, principal: Principal | None, project: dict[str, Any]
) -> dict[str, Any]:
    """What ``_project_finance.html`` shows on a project's page."""
    money = finance.project_finance(
        session=session, project_ref=project["ref"], published_only=principal is None
    )
    return {"finance": money, "finance_chart": _finance_chart(money)}


def home_finance(
    session: Session, principal: Principal | None, currency: str = "USD"
) -> dict[str, Any]:
    """Committed and disbursed over the projects the reader sees (public: published)."""
    try:
        table = finance.totals(
            session=session, by="project", currency=currency, published_only=principal is None
        )
    except BakuhubError as exc:
        return {"currency": currency, "error": exc.message}
    sums: dict[str, Decimal] = {"commitment": Decimal(0), "disbursement": Decimal(0)}
    for group in table["groups"]:
        for kind in sums:
            sums[kind] += Decimal(str(group.get(kind, 0)))
    return {
        "currency": currency,
        "committed": sums["commitment"],
        "disbursed": sums["disbursement"],
    }


def _finance_chart(money: dict[str, Any]) -> dict[str, Any] | None:
    """Cumulative transactions per kind and currency, for a plotly line chart."""
    series: dict[str, list[tuple[str, float]]] = {}
    for t in money["transactions"]:
        key = f"{t['kind']} ({t['currency']})"
        total = (series[key][-1][1] if series.get(key) else 0.0) + float(t["value"])
        series.setdefault(key, []).append((str(t["date"]), total))
    if not series:
        return None
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": k,
                "line": {"shape": "hv"},
                "x": [p[0] for p in v],
                "y": [p[1] for p in v],
            }
            for k, v in series.items()
        ],
        "layout": {
            "title": {"text": "Cumulative transactions"},
            "height": 320,
            "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
        },
    }
