"""Dashboards: one page per country and per funder (projects, results, money)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
