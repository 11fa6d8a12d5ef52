"""Tables of saved scenarios, studies and their comments.

- ``corridor_scenarios``: a scenario saved by a user (author, version for the optimistic
  lock, the parent it was forked from, draft or published), its validated JSON and digest.
- ``corridor_studies``: one row per solved (or queued) study, whatever started it, with
  the exact scenario JSON and its hash, where its files are (relative to the data
  directory) and its key figures.
- ``comments``: the discussion on a scenario or a study (markdown source).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bakuhub.db import Base, utcnow

ORIGINS = ("page", "api", "cli", "startup", "sweep")
STUDY_STATES = ("queued", "ready", "failed")
TARGETS = ("scenario", "study")


def _within(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class SavedScenario(Base):
    """A corridor scenario saved as a record (``spec``: validated, no server paths)."""

    __tablename__ = "corridor_scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(120), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    parent: Mapped[str | None] = mapped_column(String(120))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Study(Base):
    """One study: its inputs (exact JSON and hash), who started it how, its files and
    key figures. ``folder`` is relative to the data directory and never comes from a
    caller; ``scenario_ref`` names a saved scenario, ``shipped`` a shipped one."""

    __tablename__ = "corridor_studies"
    __table_args__ = (
        CheckConstraint(_within("origin", ORIGINS), name="origin"),
        CheckConstraint(_within("state", STUDY_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    scenario_name: Mapped[str] = mapped_column(String(100))
    scenario_ref: Mapped[str | None] = mapped_column(String(80), index=True)
    shipped: Mapped[str | None] = mapped_column(String(80))
    scenario_json: Mapped[dict[str, Any]] = mapped_column(JSON)
    scenario_hash: Mapped[str] = mapped_column(String(64))
    resolution: Mapped[str] = mapped_column(String(32), index=True)
    weather: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(120), index=True)
    origin: Mapped[str] = mapped_column(String(12), index=True)
    job_id: Mapped[int | None] = mapped_column(Integer, index=True)
    folder: Mapped[str | None] = mapped_column(String(300), unique=True)
    counterfactual: Mapped[str | None] = mapped_column(String(100))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(12), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Comment(Base):
    """A comment on a scenario or a study (``target_type``, ``target``: ref or name)."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(_within("target_type", TARGETS), name="target_type"),
        Index("ix_comments_target", "target_type", "target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_type: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(120))
    author: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
