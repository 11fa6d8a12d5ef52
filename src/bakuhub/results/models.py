"""Tables of results frameworks, finance and IATI activity details.

A project (``bakuhub.registry.models.Project``) has results -> indicators ->
periods (with disaggregations), budgets and transactions, and one optional
IATI profile (identifier, reporting organisation, sectors, markers...).
Exchange rates are kept by the user, each dated and cited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bakuhub.db import Base, utcnow
from bakuhub.registry.models import Party, Project

MONEY = Numeric(20, 4)
RATE = Numeric(24, 10)


class ActivityProfile(Base):
    """IATI details of a project that the registry does not hold."""

    __tablename__ = "iati_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), unique=True
    )
    identifier: Mapped[str | None] = mapped_column(String(200), unique=True)
    reporting_org_ref: Mapped[str | None] = mapped_column(String(200))
    reporting_org_type: Mapped[str | None] = mapped_column(String(4))
    reporting_org_name: Mapped[str | None] = mapped_column(String(300))
    default_currency: Mapped[str | None] = mapped_column(String(3))
    default_lang: Mapped[str] = mapped_column(String(8), default="en")
    humanitarian: Mapped[bool | None] = mapped_column(Boolean)
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    sectors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    policy_markers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    humanitarian_scopes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    project: Mapped[Project] = relationship(lazy="joined")


class Result(Base):
    """An impact, outcome or output of a project."""

    __tablename__ = "results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="system")

    project: Mapped[Project] = relationship(lazy="joined")
    indicators: Mapped[list[Indicator]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="Indicator.position",
        back_populates="result",
    )


class Indicator(Base):
    """What a result is measured by; ``code`` links the same indicator across projects."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str | None] = mapped_column(String(100), index=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(String(12))
    unit: Mapped[str] = mapped_column(String(60), default="")
    ascending: Mapped[bool] = mapped_column(Boolean, default=True)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_comment: Mapped[str] = mapped_column(Text, default="")
    include_in_rollup: Mapped[bool] = mapped_column(Boolean, default=True)

    result: Mapped[Result] = relationship(back_populates="indicators", lazy="joined")
    periods: Mapped[list[IndicatorPeriod]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="IndicatorPeriod.start",
        back_populates="indicator",
    )


class IndicatorPeriod(Base):
    """A reporting period of an indicator: target, actual, state; versioned."""

    __tablename__ = "indicator_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    target: Mapped[float | None] = mapped_column(Float)
    actual: Mapped[float | None] = mapped_column(Float)
    target_comment: Mapped[str] = mapped_column(Text, default="")
    actual_comment: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str | None] = mapped_column(String(1000))
    weight: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    state_comment: Mapped[str] = mapped_column(Text, default="")
    value_source: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    updated_by: Mapped[str] = mapped_column(String(120), default="system")
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()

    indicator: Mapped[Indicator] = relationship(back_populates="periods", lazy="joined")
    disaggregations: Mapped[list[Disaggregation]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Disaggregation.id"
    )

    __mapper_args__ = {  # noqa: RUF012 - read by SQLAlchemy when the class is made
        "version_id_col": version,
        "version_id_generator": False,
    }


class Disaggregation(Base):
    """Part of a period's target or actual for one category of one dimension."""

    __tablename__ = "indicator_disaggregations"
    __table_args__ = (UniqueConstraint("period_id", "side", "dimension", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("indicator_periods.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(6))
    dimension: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(100))
    value: Mapped[float] = mapped_column(Float)


class Budget(Base):
    """A budget of a project for one period."""

    __tablename__ = "budgets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="original")
    status: Mapped[str] = mapped_column(String(10), default="indicative")
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    value_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[dt.datetime | None] = mapped_column(onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(120))

    __mapper_args__ = {  # noqa: RUF012 - read by SQLAlchemy when the class is made
        "version_id_col": version,
        "version_id_generator": False,
    }


class Transaction(Base):
    """Money committed, disbursed, spent or received by a project."""

    __tablename__ = "transactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    value: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    value_date: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    provider_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT"), index=True
    )
    provider_ref: Mapped[str | None] = mapped_column(String(200))
    provider_name: Mapped[str] = mapped_column(String(300), default="")
    provider_type: Mapped[str | None] = mapped_column(String(4))
    provider_activity: Mapped[str | None] = mapped_column(String(200))
    receiver_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT"), index=True
    )
    receiver_ref: Mapped[str | None] = mapped_column(String(200))
    receiver_name: Mapped[str] = mapped_column(String(300), default="")
    receiver_type: Mapped[str | None] = mapped_column(String(4))
    receiver_activity: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[dt.datetime | None] = mapped_column(onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(120))

    __mapper_args__ = {  # noqa: RUF012 - read by SQLAlchemy when the class is made
        "version_id_col": version,
        "version_id_generator": False,
    }

    provider_party: Mapped[Party | None] = relationship(
        foreign_keys=[provider_party_id], lazy="joined"
    )
    receiver_party: Mapped[Party | None] = relationship(
        foreign_keys=[receiver_party_id], lazy="joined"
    )


class ExchangeRate(Base):
    """One unit of ``currency`` is worth ``rate`` units of ``quote`` from ``valid_on``."""

    __tablename__ = "exchange_rates"
    __table_args__ = (UniqueConstraint("currency", "quote", "valid_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), index=True)
    quote: Mapped[str] = mapped_column(String(3), index=True)
    rate: Mapped[Decimal] = mapped_column(RATE)
    valid_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="system")
