"""Tables of the risk index: a run (the exact inputs and settings) and its scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bakuhub.db import Base, utcnow


class RiskRun(Base):
    """One computation of an index, stored with everything needed to reproduce it.

    ``settings`` holds the full index specification (pillar tree, weights,
    treatments, Monte Carlo draws and seed) and the conflict window; ``inputs`` the
    aligned raw indicator values the engine scored. Their SHA-256 digests let a
    published ranking be matched and recomputed.
    """

    __tablename__ = "risk_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    preset: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    engine_version: Mapped[str] = mapped_column(String(20))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    settings_digest: Mapped[str] = mapped_column(String(64), index=True)
    inputs_digest: Mapped[str] = mapped_column(String(64), index=True)
    countries: Mapped[int] = mapped_column(Integer)
    ranked: Mapped[int] = mapped_column(Integer)

    scores: Mapped[list[RiskScore]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RiskScore.position"
    )


class RiskScore(Base):
    """One country's result in a run: score, rank with its interval, class,
    completeness and pillar scores."""

    __tablename__ = "risk_scores"
    __table_args__ = (UniqueConstraint("run_id", "iso3"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("risk_runs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    iso3: Mapped[str] = mapped_column(String(3), index=True)
    name: Mapped[str] = mapped_column(String(200))
    score: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    rank_median: Mapped[int | None] = mapped_column(Integer)
    rank_low: Mapped[int | None] = mapped_column(Integer)
    rank_high: Mapped[int | None] = mapped_column(Integer)
    risk_class: Mapped[str | None] = mapped_column(String(40))
    completeness: Mapped[float] = mapped_column(Float)
    pillars: Mapped[dict[str, Any]] = mapped_column(JSON)
