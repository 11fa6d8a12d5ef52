"""What the finance parts of the pages show beside converted totals: the rates used
(pair, date and source, a link when the source is one) and the rates missing, worded
for who reads them (no router: ``pages.finance`` has the routes).

- the public: a plain note that some amounts in a currency are not included;
- signed-in readers who cannot add rates (viewers, focal points): the missing rate
  named, and that the secretariat adds it;
- the secretariat: the missing rate named with a link to the form that adds it,
  filled in with the pair and the date.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bakuhub import i18n
from bakuhub.accounts.permissions import Principal
from bakuhub.i18n import N_, _
from bakuhub.results import finance
from bakuhub.web.pages.common import render
from bakuhub.web.pages.finance_forms import TRANSACTION_KINDS, names

DELETE_TITLES = {
    "budget": N_("Delete budget {id}"),
    "transaction": N_("Delete transaction {id}"),
    "exchange rate": N_("Delete exchange rate {id}"),
}
"""The title of the page that asks before deleting, per kind of record."""


def _is_link(text: str) -> bool:
    return text.startswith(("https://", "http://")) and " " not in text


def rate_links(rates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rates with ``link`` set when their source is a web address, and ``shown``: the
    rate as the reader's locale writes it."""
    return [
        {
            **r,
            "link": r["source"] if _is_link(str(r["source"])) else "",
            "shown": i18n.decimal(r["rate"], 10),
        }
        for r in rates
    ]


def add_rate_link(missing: dict[str, Any]) -> str:
    """The exchange-rate form filled in with a missing pair and the date it is needed on."""
    query = {
        "currency": missing["currency"],
        "quote": missing["quote"],
        "valid_on": str(missing["on_or_before"]),
    }
    return f"/exchange-rates/new?{urlencode(query)}"


def home_missing(missing: list[dict[str, Any]], principal: Principal | None) -> dict[str, Any]:
    """The missing rates as the reader may act on them (see the module's docstring)."""
    if not missing:
        return {}
    if principal is None:
        return {"audience": "public", "currencies": sorted({m["currency"] for m in missing})}
    rates = [{**m, "add": add_rate_link(m)} for m in missing]
    return {"audience": "staff" if principal.is_staff else "reader", "rates": rates}


def staff_missing(session: Session, currency: str) -> list[dict[str, Any]]:
    """The rates the secretariat's totals in ``currency`` lack, with the form to add each."""
    table = finance.totals(session=session, by="project", currency=currency, partial=True)
    return [{**m, "add": add_rate_link(m)} for m in table["missing"]]


def finance_chart(money: dict[str, Any]) -> dict[str, Any] | None:
    """Cumulative transactions per kind and currency, for a plotly line chart."""
    series: dict[str, list[tuple[str, float]]] = {}
    for t in money["transactions"]:
        kind = _(TRANSACTION_KINDS[t["kind"]]) if t["kind"] in TRANSACTION_KINDS else t["kind"]
        key = f"{kind} ({t['currency']})"
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
            "title": {"text": _("Cumulative transactions")},
            "separators": i18n.separators(),
            "height": 320,
            "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
        },
    }


def confirm_page(
    request: Request,
    what: str,
    project: dict[str, Any] | None,
    item: dict[str, Any],
    base: str,
    error: str = "",
    status_code: int = 200,
) -> Response:
    """The page that asks before a budget, transaction or rate is deleted."""
    if what == "exchange rate":
        item = rate_links([item])[0]
    context = {
        "title": _(DELETE_TITLES[what]).format(id=item["id"]),
        "what": what,
        "names": names(),
        "project": project,
        "item": item,
        "action": f"{base}/{item['id']}/delete",
        "back": f"/projects/{project['ref']}#finance" if project else "/exchange-rates",
        "form_error": error,
    }
    return render(request, "finance_delete.html", context, status_code=status_code)
