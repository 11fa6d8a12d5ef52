"""Finance pages: budgets, transactions and exchange rates of the record."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
