"""Finance API: editing and deleting budgets and transactions (version checked)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["finance"])
