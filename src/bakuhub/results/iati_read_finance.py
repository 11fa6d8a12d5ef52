"""Read IATI ``budget`` and ``transaction`` elements into finance payloads."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from typing import Any

from bakuhub.i18n import _
from bakuhub.results.codes import BUDGET_STATUS_CODES, BUDGET_TYPE_CODES, TRANSACTION_CODES
from bakuhub.results.iati_activity import Activity
from bakuhub.results.iati_xml import clean, first_text, inverse, iso_date, validated
from bakuhub.results.schemas import BudgetIn, TransactionIn

LEGACY_TRANSACTIONS = {
    "IF": "1",
    "C": "2",
    "D": "3",
    "E": "4",
    "contribution": "1",
    "incoming": "1",
    "incoming-funds": "1",
    "commitment": "2",
    "disbursement": "3",
    "expenditure": "4",
}


def _money(
    v: ET.Element | None, currency: str | None
) -> tuple[Decimal | None, str | None, dt.date | None]:
    if v is None:
        return None, None, None
    try:
        amount = Decimal(clean(v.text))
    except InvalidOperation:
        return None, None, None
    return amount, v.get("currency") or currency, iso_date(v, "value-date")


def budget_from_xml(b: ET.Element, currency: str | None, act: Activity) -> None:
    amount, cur, value_date = _money(b.find("value"), currency)
    if amount is None or cur is None:
        act.skipped.append({"element": b.tag, "reason": _("no value or no currency")})
        return
    if b.tag == "budget-planned":
        act.notes.append(_("budget-planned read as an original, indicative budget"))
    data = {
        "kind": inverse(BUDGET_TYPE_CODES).get(b.get("type", "1"), "original"),
        "status": inverse(BUDGET_STATUS_CODES).get(b.get("status", "1"), "indicative"),
        "period_start": iso_date(b.find("period-start")),
        "period_end": iso_date(b.find("period-end")),
        "value": amount,
        "currency": cur,
        "value_date": value_date,
    }
    budget = validated(BudgetIn, data, b.tag, act.skipped)
    if budget is not None:
        act.budgets.append(budget)


def _org(el: ET.Element | None, side: str, lang: str) -> dict[str, Any] | None:
    if el is None:
        return None
    return {
        "ref": el.get("ref"),
        "type": el.get("type"),
        "name": first_text(el, lang)[:300],
        "activity": el.get(f"{side}-activity-id"),
    }


def transaction_from_xml(t: ET.Element, currency: str | None, lang: str, act: Activity) -> None:
    type_el = t.find("transaction-type")
    raw = type_el.get("code", "") if type_el is not None else t.get("type", "")
    code = LEGACY_TRANSACTIONS.get(raw, raw)
    kinds = inverse(TRANSACTION_CODES)
    if code not in kinds:
        act.skipped.append(
            {
                "element": "transaction",
                "reason": _("transaction type '{type}' is not recorded").format(type=raw),
            }
        )
        return
    amount, cur, value_date = _money(t.find("value"), currency)
    when = iso_date(t.find("transaction-date")) or value_date
    if t.find("transaction-date") is None and when is not None:
        act.notes.append(_("transaction without transaction-date: its value-date is used"))
    if amount is None or cur is None or when is None:
        act.skipped.append({"element": "transaction", "reason": _("no value, currency or date")})
        return
    provider, receiver = (
        _org(t.find("provider-org"), "provider", lang),
        _org(t.find("receiver-org"), "receiver", lang),
    )
    for side, org in (("provider", provider), ("receiver", receiver)):
        legacy = t.find(f"{side}-activity")
        if org is not None and legacy is not None and not org["activity"]:
            org["activity"] = legacy.get("ref")
    data = {
        "kind": kinds[code],
        "date": when,
        "value": amount,
        "currency": cur,
        "value_date": value_date or when,
        "description": first_text(t.find("description"), lang),
        "ref": t.get("ref"),
        "provider": provider,
        "receiver": receiver,
    }
    transaction = validated(TransactionIn, data, "transaction", act.skipped)
    if transaction is not None:
        act.transactions.append(transaction)
