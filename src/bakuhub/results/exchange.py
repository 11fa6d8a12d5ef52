"""Exchange rates: the dated, cited table kept by the secretariat, and lookups in it.

One unit of ``currency`` is worth ``rate`` units of ``quote`` from ``valid_on``. A rate
has no version column; a change or removal may name the ``stamp`` it read (a digest
of the stored values) and is refused when the rate changed since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.errors import Conflict, NotFound, StaleVersion, validated
from bakuhub.i18n import _
from bakuhub.results import models as m
from bakuhub.results.finance_schemas import STAMP, RateUpdate
from bakuhub.results.schemas import RateIn
from bakuhub.results.service import flush, log_change

RATE_FIELDS = ("currency", "quote", "rate", "valid_on", "source")


def rate_stamp(r: m.ExchangeRate) -> str:
    """A short digest of a rate's stored values: it changes whenever the rate does."""
    rate = Decimal(r.rate).normalize()  # 0.9 as sent and 0.9000000000 as stored are one value
    text = "|".join(str(v) for v in (r.id, r.currency, r.quote, rate, r.valid_on, r.source))
    return hashlib.sha256(text.encode()).hexdigest()[:STAMP]


def read_rate(r: m.ExchangeRate) -> dict[str, Any]:
    """An exchange rate with its source (and its stamp, for a later change)."""
    return {
        "id": r.id,
        "currency": r.currency,
        "quote": r.quote,
        "rate": r.rate,
        "valid_on": r.valid_on,
        "source": r.source,
        "stamp": rate_stamp(r),
    }


def fetch_rate(session: Session, rate_id: int) -> m.ExchangeRate:
    """The exchange rate with this id, or NotFound."""
    row = session.get(m.ExchangeRate, rate_id)
    if row is None:
        raise NotFound(
            _(
                "There is no exchange rate with id {id}; it may have been deleted "
                "(see the list of exchange rates)."
            ).format(id=rate_id)
        )
    return row


def get_rate(*, session: Session, rate_id: int) -> dict[str, Any]:
    """One exchange rate as the API reads it."""
    return read_rate(fetch_rate(session, rate_id))


def list_rates(*, session: Session) -> list[dict[str, Any]]:
    """Every exchange rate, by pair and date."""
    stmt = select(m.ExchangeRate).order_by(
        m.ExchangeRate.currency, m.ExchangeRate.quote, m.ExchangeRate.valid_on
    )
    return [read_rate(r) for r in session.scalars(stmt)]


def _check_unique(session: Session, data: RateIn, rate_id: int | None = None) -> None:
    stmt = select(m.ExchangeRate.id).where(
        m.ExchangeRate.currency == data.currency,
        m.ExchangeRate.quote == data.quote,
        m.ExchangeRate.valid_on == data.valid_on,
    )
    if rate_id is not None:
        stmt = stmt.where(m.ExchangeRate.id != rate_id)
    if session.scalar(stmt):
        raise Conflict(
            _(
                "A {currency}->{quote} rate valid on {day} already exists; "
                "choose another date or keep the existing rate."
            ).format(currency=data.currency, quote=data.quote, day=data.valid_on),
            details=[
                {"loc": ["valid_on"], "msg": _("a rate of this pair already starts that day")}
            ],
        )


def add_rate(*, session: Session, data: RateIn, author: str) -> dict[str, Any]:
    """Record an exchange rate (one per pair and date)."""
    _check_unique(session, data)
    row = m.ExchangeRate(created_by=author, **data.model_dump(include=set(RATE_FIELDS)))
    session.add(row)
    flush(session, _("exchange rate"))
    out = read_rate(row)
    log_change(session, author, "create", "exchange-rates", row.id, None, out)
    return out


def _check_stamp(row: m.ExchangeRate, stamp: str | None) -> None:
    if stamp is not None and stamp != rate_stamp(row):
        raise StaleVersion(
            _(
                "The {currency}->{quote} rate {id} was changed by someone else since "
                "you read it; reload it and apply your change again."
            ).format(currency=row.currency, quote=row.quote, id=row.id)
        )


def update_rate(*, session: Session, rate_id: int, data: RateUpdate, author: str) -> dict[str, Any]:
    """Change an exchange rate; every total converted with it changes too."""
    row = fetch_rate(session, rate_id)
    _check_stamp(row, data.stamp)
    before = read_rate(row)
    merged = {f: before[f] for f in RATE_FIELDS}
    merged.update(data.model_dump(exclude_unset=True, exclude={"stamp"}))
    payload = validated(RateIn, merged, what=_("Exchange rate {id}").format(id=rate_id))
    _check_unique(session, payload, rate_id)
    for name in RATE_FIELDS:
        setattr(row, name, getattr(payload, name))
    flush(session, _("exchange rate {id}").format(id=rate_id))
    after = read_rate(row)
    log_change(session, author, "update", "exchange-rates", rate_id, before, after)
    return after


def delete_rate(*, session: Session, rate_id: int, stamp: str | None, author: str) -> None:
    """Remove an exchange rate (the values it converted then need another rate)."""
    row = fetch_rate(session, rate_id)
    _check_stamp(row, stamp)
    before = read_rate(row)
    session.delete(row)
    flush(session, _("exchange rate {id}").format(id=rate_id))
    log_change(session, author, "delete", "exchange-rates", rate_id, before, None)


class RateTable:
    """The user's exchange rates, looked up by pair and date."""

    def __init__(self, session: Session) -> None:
        self._rates: dict[tuple[str, str], list[m.ExchangeRate]] = defaultdict(list)
        for rate in session.scalars(select(m.ExchangeRate).order_by(m.ExchangeRate.valid_on)):
            self._rates[(rate.currency, rate.quote)].append(rate)
        self.used: dict[int, m.ExchangeRate] = {}
        self.missing: dict[tuple[str, str, dt.date], list[Decimal]] = defaultdict(list)

    def _latest(self, pair: tuple[str, str], on: dt.date) -> m.ExchangeRate | None:
        found = None
        for rate in self._rates.get(pair, []):
            if rate.valid_on <= on:
                found = rate
        return found

    def convert(self, value: Decimal, currency: str, quote: str, on: dt.date) -> Decimal | None:
        """``value`` in ``quote`` at the rate in force on ``on``; None (and noted) if none."""
        if currency == quote:
            return value
        direct = self._latest((currency, quote), on)
        if direct is not None:
            self.used[direct.id] = direct
            return value * direct.rate
        inverse = self._latest((quote, currency), on)
        if inverse is not None:
            self.used[inverse.id] = inverse
            return value / inverse.rate
        self.missing[(currency, quote, on)].append(value)
        return None

    def missing_rates(self) -> list[dict[str, Any]]:
        """The rates the table lacks, one per pair: the earliest date one is needed on.

        A rate of that pair valid on or before ``on_or_before`` converts every value left
        out (``values`` of them, adding up to ``amount`` in ``currency``).
        """
        pairs: dict[tuple[str, str], dict[str, Any]] = {}
        for (currency, quote, on), values in sorted(self.missing.items()):
            entry = pairs.setdefault(
                (currency, quote),
                {"currency": currency, "quote": quote, "on_or_before": on, "values": 0},
            )
            entry["values"] += len(values)
            entry["amount"] = entry.get("amount", Decimal(0)) + sum(values, Decimal(0))
        return list(pairs.values())

    def used_rates(self) -> list[dict[str, Any]]:
        """The rates the conversions used, with their sources."""
        return [read_rate(r) for r in sorted(self.used.values(), key=lambda r: r.id)]
