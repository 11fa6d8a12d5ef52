"""Helpers of the scenario editor's tests: a fork's form values, an error beside its
input."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from bakuhub.testing import form_values

BASE = "/corridor/scenarios"


def fork_values(web: TestClient, ref: str = "reference-2030") -> dict[str, Any]:
    """The editor's values of a new scenario forked from ``ref``."""
    page = web.get(f"{BASE}/new?from={ref}")
    assert page.status_code == 200, page.text[:300]
    return form_values(page.text)


def beside(page: str, name: str) -> str:
    """The error sentence shown beside input ``name``."""
    found = re.search(rf'id="err-{re.escape(name)}">([^<]*)<', page)
    assert found, f"no error beside {name}"
    return found.group(1)
