"""Tables of long-running work: a job (inputs, state, progress, timings) and the
result stored once per input hash."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bakuhub.db import Base, utcnow

QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = (
    "queued",
    "running",
    "succeeded",
    "failed",
    "cancelled",
)
STATES = (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)
ACTIVE = (QUEUED, RUNNING)
FINISHED = (SUCCEEDED, FAILED, CANCELLED)
MAX_ATTEMPTS = 3
STATE_CHECK = "state IN (" + ", ".join(f"'{s}'" for s in STATES) + ")"


class JobResult(Base):
    """What a job computed, stored once per input hash.

    ``location`` is the folder holding the result files (for a corridor study:
    summary.json, tables, network.nc, report.html); ``summary`` a copy of the key
    results so that lists and tables need no file access.
    """

    __tablename__ = "job_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    input_hash: Mapped[str] = mapped_column(String(64), unique=True)
    location: Mapped[str] = mapped_column(String(1000))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    compute_seconds: Mapped[float] = mapped_column(Float)
    job_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Job(Base):
    """One piece of long work: what to compute (``inputs``, hashed), where it stands.

    ``state`` moves queued -> running -> succeeded | failed | cancelled; a job left
    running by a stopped server or worker goes back to queued on recovery, at most
    ``max_attempts`` starts in all. ``succeeded`` is only ever written in the same
    transaction as the job's ``result``.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(STATE_CHECK, name="state"),
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    batch: Mapped[str | None] = mapped_column(String(120), index=True)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    input_hash: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(12), index=True, default=QUEUED)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(500), default="")
    log: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=MAX_ATTEMPTS)
    cached: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(200))
    result_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_results.id", ondelete="SET NULL"), index=True
    )
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    result: Mapped[JobResult | None] = relationship(lazy="selectin")

    @property
    def seconds(self) -> float | None:
        """Wall time from start to finish (or to now while running), in seconds."""
        if self.started_at is None:
            return None
        end = self.finished_at or utcnow()
        start = self.started_at
        if start.tzinfo is None:  # SQLite returns naive datetimes
            start = start.replace(tzinfo=dt.UTC)
        if end.tzinfo is None:
            end = end.replace(tzinfo=dt.UTC)
        return round((end - start).total_seconds(), 3)
