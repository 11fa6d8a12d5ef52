"""Valid bodies for records (as the API, the services and the CSV files take them)
and corridor study summaries; each call returns a new, freely mutable object."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

API = "/api/v1"
"""The prefix of the JSON API."""


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


def count_indicator(code: str, periods: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """An outcome with one indicator ``code`` counting people over ``periods``."""
    return {
        "kind": "outcome",
        "title": f"Result measured by {code}",
        "indicators": [
            {
                "code": code,
                "title": f"Indicator {code}",
                "measure": "unit",
                "unit": "people",
                "periods": periods,
                **extra,
            }
        ],
    }


def party_bodies() -> list[dict[str, Any]]:
    """Two organisations (IOM with an IATI id, GCF) and two countries (TCD, AZE)."""
    return [
        {
            "kind": "organisation",
            "ref": "IOM",
            "name": "International Organization for Migration",
            "org_type": "40",
            "iati_ref": "XM-DAC-47066",
        },
        {"kind": "organisation", "ref": "GCF", "name": "Green Climate Fund", "org_type": "40"},
        {"kind": "country", "iso3": "TCD"},
        {"kind": "country", "iso3": "AZE"},
    ]


def agreement_body(ref: str, parent: str | None = None) -> dict[str, Any]:
    """An agreement signed 2024-11-13, or an implementation programme under ``parent``."""
    body: dict[str, Any] = {
        "ref": ref,
        "title": f"Agreement {ref}",
        "kind": "agreement",
        "signed": "2024-11-13",
    }
    if parent:
        body.update(kind="implementation-programme", parent=parent)
    return body


_FULL_RESULT: dict[str, Any] = {
    "kind": "outcome",
    "title": "Displaced households are more resilient to drought",
    "description": "Households in camps and host communities.",
    "indicators": [
        {
            "code": "HUB-PEOPLE-REACHED",
            "title": "People reached by climate-resilient livelihoods support",
            "description": "Unique people, counted once.",
            "measure": "unit",
            "unit": "people",
            "ascending": True,
            "baseline_year": 2024,
            "baseline_value": 0,
            "baseline_comment": "No support before the project.",
            "periods": [
                {
                    "start": "2025-01-01",
                    "end": "2025-12-31",
                    "target": 1000,
                    "actual": 800,
                    "target_comment": "Year-one plan.",
                    "actual_comment": "Field reports.",
                    "evidence_url": "https://example.org/reports/2025.pdf",
                    "disaggregations": [
                        {"side": "target", "dimension": "sex", "category": "female", "value": 500},
                        {"side": "target", "dimension": "sex", "category": "male", "value": 500},
                        {"side": "actual", "dimension": "sex", "category": "female", "value": 450},
                        {"side": "actual", "dimension": "sex", "category": "male", "value": 350},
                        {
                            "side": "actual",
                            "dimension": "displacement",
                            "category": "idp",
                            "value": 600,
                        },
                        {
                            "side": "actual",
                            "dimension": "displacement",
                            "category": "host",
                            "value": 200,
                        },
                    ],
                },
                {"start": "2026-01-01", "end": "2026-12-31", "target": 1500},
            ],
        },
        {
            "code": "HUB-HOUSEHOLDS-WATER",
            "title": "Share of households with year-round water",
            "measure": "percentage",
            "unit": "%",
            "baseline_year": 2024,
            "baseline_value": 40,
            "periods": [
                {
                    "start": "2025-01-01",
                    "end": "2025-12-31",
                    "target": 60,
                    "actual": 50,
                    "weight": 300,
                },
            ],
        },
        {
            "title": "Community view of the early-warning system",
            "measure": "qualitative",
            "ascending": False,
            "include_in_rollup": False,
            "periods": [
                {
                    "start": "2025-01-01",
                    "end": "2025-12-31",
                    "target_comment": "Trusted by most villages.",
                    "actual_comment": "Trusted in 7 of 10 villages.",
                },
            ],
        },
    ],
}


def full_result() -> dict[str, Any]:
    """A result using every field: count, percentage and qualitative indicators,
    disaggregations, comments, evidence and weights."""
    return copy.deepcopy(_FULL_RESULT)


def full_project_body(ref: str) -> dict[str, Any]:
    """A project under programme ``prog-1`` in Chad and Azerbaijan, by IOM and GCF,
    with every date, a location, themes and a milestone."""
    return {
        "ref": ref,
        "title": "Climate-resilient livelihoods for displaced people in Chad",
        "status": "2",
        "description": "Livelihoods, water and early warning in eastern Chad.",
        "agreement": "prog-1",
        "themes": ["adaptation", "migration-displacement", "humanitarian"],
        "planned_start": "2025-01-01",
        "actual_start": "2025-02-15",
        "planned_end": "2027-12-31",
        "actual_end": "2027-11-30",
        "latitude": 13.8,
        "longitude": 20.8,
        "countries": [{"country": "TCD", "share": 60}, {"country": "AZE", "share": 40}],
        "organisations": [
            {"party": "IOM", "role": "implementing"},
            {"party": "GCF", "role": "funding"},
        ],
        "milestones": [{"title": "Inception", "due": "2025-03-31"}],
    }


def full_profile(ref: str) -> dict[str, Any]:
    """An IATI profile of project ``ref`` reported by IOM, with translations, sectors,
    policy markers and a humanitarian scope."""
    return {
        "identifier": f"XM-DAC-47066-{ref}",
        "reporting_org_ref": "XM-DAC-47066",
        "reporting_org_type": "40",
        "reporting_org_name": "International Organization for Migration",
        "default_currency": "EUR",
        "default_lang": "en",
        "humanitarian": True,
        "titles": {"fr": "Moyens de subsistance résilients au Tchad"},
        "descriptions": {"fr": "Moyens de subsistance, eau et alerte précoce."},
        "sectors": [
            {"vocabulary": "1", "code": "43072", "percentage": 60},
            {"vocabulary": "1", "code": "14030", "percentage": 40},
        ],
        "policy_markers": [
            {"marker": "adaptation", "significance": "2"},
            {"marker": "mitigation", "significance": "0"},
        ],
        "humanitarian_scopes": [
            {
                "type": "2",
                "vocabulary": "2-1",
                "code": "HTCD24",
                "narrative": "Chad Humanitarian Response Plan 2024",
            },
        ],
    }


def full_budgets() -> list[dict[str, Any]]:
    """An original (indicative) and a revised (committed) budget for 2025, in EUR."""
    return [
        {
            "kind": kind,
            "status": status,
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "value": value,
            "currency": "EUR",
        }
        for kind, status, value in (
            ("original", "indicative", "1200000"),
            ("revised", "committed", "1350000.50"),
        )
    ]


def full_transactions() -> list[dict[str, Any]]:
    """Incoming funds from GCF, a commitment and a USD disbursement to a local NGO,
    and an expenditure."""
    return [
        {
            "kind": "incoming-funds",
            "date": "2025-01-10",
            "value": "1000000",
            "currency": "EUR",
            "provider": {"party": "GCF"},
            "receiver": {"party": "IOM"},
            "ref": "GCF-TX-1",
            "description": "First tranche",
        },
        {
            "kind": "commitment",
            "date": "2025-01-20",
            "value": "900000",
            "currency": "EUR",
            "provider": {"party": "IOM"},
            "receiver": {
                "name": "Local NGO",
                "type": "24",
                "ref": "TD-NGO-1",
                "activity": "TD-NGO-1-A",
            },
        },
        {
            "kind": "disbursement",
            "date": "2025-03-01",
            "value": "400000",
            "currency": "USD",
            "value_date": "2025-02-28",
            "provider": {"party": "IOM"},
            "receiver": {"name": "Local NGO", "type": "24", "ref": "TD-NGO-1"},
        },
        {
            "kind": "expenditure",
            "date": "2025-06-30",
            "value": "120000.25",
            "currency": "EUR",
            "description": "Seeds and tools",
        },
    ]


def study_summary(name: str, cost: float, export: float, caspian: float) -> dict[str, Any]:
    """A study summary as the corridor model writes it (the fields compared).

    ``cost`` is the total system cost (EUR/a), ``export`` the export (TWh),
    ``caspian`` the capacity of the Caspian cable (MW).
    """
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
    """Write ``data`` as ``root/name/summary.json`` (a solved study); the study folder."""
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(data), encoding="utf-8")
    return folder
