"""Helpers shared by the web tests."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

API = "/api/v1"
TEST_PASSWORD = "correct horse battery staple"  # as in tests/conftest.py
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def project_body(ref: str, **extra: Any) -> dict[str, Any]:
    """A project of Chad implemented by IOM (fields overridable)."""
    body: dict[str, Any] = {
        "ref": ref,
        "title": f"Project {ref}",
        "status": "2",
        "countries": [{"country": "TCD", "share": 100}],
        "organisations": [{"party": "IOM", "role": "implementing"}],
    }
    body.update(extra)
    return body


def result_body(start: str = "2025-01-01", end: str = "2025-12-31") -> dict[str, Any]:
    """A result with one count indicator and one period with a target."""
    return {
        "kind": "output",
        "title": "Households with solar pumps",
        "indicators": [
            {
                "title": "Households reached",
                "unit": "households",
                "periods": [{"start": start, "end": end, "target": 100}],
            }
        ],
    }


class _FormReader(HTMLParser):
    """Collects the values a browser would send for the record form on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "record-form" in a.get("class", ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, unescape("".join(self._text))))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def form_values(html: str) -> dict[str, list[str]]:
    """What the record form on a page would submit as it is (name -> values)."""
    reader = _FormReader()
    reader.convert_charrefs = True
    reader.feed(html)
    values: dict[str, list[str]] = {}
    for name, value in reader.fields:
        values.setdefault(name, []).append(value)
    return values


def summary(name: str, cost: float, export: float, caspian: float) -> dict[str, Any]:
    """A study summary as the corridor model writes it (the fields compared)."""
    return {
        "scenario": name,
        "year": 2030,
        "resolution": "segments:400",
        "total_system_cost_eur_a": cost,
        "export_twh": export,
        "gateway_price_eur_mwh": 61.5,
        "co2_emitted_mt": 40.0,
        "co2_avoided_mt": 3.0,
        "cables": {"CASPIAN": {"capacity_mw": caspian}, "BLACKSEA": {"capacity_mw": 1000.0}},
        "capacity_built_mw": {"AZ/solar": 500.0, "KZ/onwind": 300.0, "KZ/solar": 250.0},
        "unserved_twh": 0.0,
        "curtailment_twh": 1.25,
    }


def write_study(root: Path, name: str, data: dict[str, Any]) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(data), encoding="utf-8")
    return folder
