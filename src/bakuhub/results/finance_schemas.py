"""Payloads that change or remove budgets, transactions and exchange rates.

A change names the ``version`` it was read at (budgets, transactions) or the ``stamp``
of the rate as read (exchange rates carry no version column: the stamp is a digest of
the stored values); the fields sent replace the stored ones, the rest stay.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from bakuhub.registry.schemas import Strict, Text, nulls_as
from bakuhub.results.codes import BudgetKind, BudgetStatus, TransactionKind
from bakuhub.results.schemas import BudgetIn, Currency, OrgIn, RateIn, TransactionIn

STAMP = 16
"""Characters of an exchange rate's stamp (hex digest of its stored values)."""


class BudgetUpdate(Strict):
    """A change of a budget, based on the version read."""

    model_config = ConfigDict(json_schema_extra=nulls_as(BudgetIn))

    version: int = Field(ge=1, description="The version you read; a stale one is refused (409)")
    kind: BudgetKind | None = None
    status: BudgetStatus | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    value: Decimal | None = Field(default=None, ge=0, max_digits=20, decimal_places=4)
    currency: Currency | None = None
    value_date: dt.date | None = None


class TransactionUpdate(Strict):
    """A change of a transaction, based on the version read (null removes an organisation)."""

    model_config = ConfigDict(json_schema_extra=nulls_as(TransactionIn))

    version: int = Field(ge=1, description="The version you read; a stale one is refused (409)")
    kind: TransactionKind | None = None
    date: dt.date | None = None
    value: Decimal | None = Field(default=None, max_digits=20, decimal_places=4)
    currency: Currency | None = None
    value_date: dt.date | None = None
    description: Text | None = None
    ref: str | None = Field(default=None, max_length=200)
    provider: OrgIn | None = None
    receiver: OrgIn | None = None


class RateUpdate(Strict):
    """A change of an exchange rate (secretariat); ``stamp`` as read guards against a race."""

    model_config = ConfigDict(json_schema_extra=nulls_as(RateIn))

    stamp: str | None = Field(
        default=None,
        min_length=STAMP,
        max_length=STAMP,
        description="The rate's stamp as you read it; refused (409) if the rate changed since",
    )
    currency: Currency | None = None
    quote: Currency | None = None
    rate: Decimal | None = Field(default=None, gt=0, max_digits=24, decimal_places=10)
    valid_on: dt.date | None = None
    source: str | None = Field(default=None, min_length=1, max_length=500)


class BudgetOut(BaseModel):
    """A budget as the API answers it."""

    id: int
    kind: str = Field(description="original or revised")
    status: str = Field(description="indicative or committed")
    period_start: dt.date
    period_end: dt.date
    value: Decimal
    currency: str
    value_date: dt.date
    version: int


class OrgOut(BaseModel):
    """A transaction's provider or receiver: a party of the record, or named only."""

    party: str | None = Field(description="The party's ref, when it is in the record")
    ref: str | None
    name: str
    type: str | None
    activity: str | None


class TransactionOut(BaseModel):
    """A transaction as the API answers it."""

    id: int
    ref: str | None
    kind: str
    date: dt.date
    value: Decimal
    currency: str
    value_date: dt.date
    description: str
    provider: OrgOut | None
    receiver: OrgOut | None
    version: int


class RateOut(BaseModel):
    """An exchange rate with its source and its stamp (send it back to change the rate)."""

    id: int
    currency: str
    quote: str
    rate: Decimal
    valid_on: dt.date
    source: str
    stamp: str


class FinanceOut(BaseModel):
    """A project's budgets and transactions."""

    project: str
    budgets: list[BudgetOut]
    transactions: list[TransactionOut]
