"""The scenario's ``pathway`` option group (issue 17): several years in one study; off
by default (no years).

A scenario without a ``pathway`` group, or with the default one, builds the same
network and has the same digest as before the group existed (``scenario.py`` leaves
the default group out of its dump).

Years: the years whose technology-data rows the corridor dataset ships (technology-data
v0.14.0 publishes 2025-2050 in 5-year steps; ``costs.csv`` holds 2030, 2035, 2040 and
2050), strictly increasing, two or more.

Mode: ``myopic`` is the default. It solves one year after the other with that year's
costs only, as the partners decide (a cable or a wind farm is committed on today's
prices, not on 2050's), its memory and time are those of one single-year study per
year, and it runs at every resolution. ``perfect-foresight`` (PyPSA's multi-period
investment, ``corridor/pathway_foresight.py``) solves all years as one LP, each year's
targets, caps and representative-day storage on its own period: the least-cost path if
the future were known, the bound myopic cannot beat, about N times the size of one
year's model in one solve (measured in ``docs/corridor-benchmark.md``).
"""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bakuhub.i18n import _

Name = Annotated[str, Field(min_length=1, max_length=64)]
PathwayYear = Literal[2030, 2035, 2040, 2050]
"""Years with shipped technology-data rows (``datasets/corridor/costs.csv``)."""
YEARS = (2030, 2035, 2040, 2050)
Share = Annotated[float, Field(ge=0, le=1)]

DEMAND_GROWTH_PCT = 2.3
"""Demand growth after 2035, % a year: the 2030-2035 growth of the Agora loads of
Kazakhstan, Uzbekistan and Kyrgyzstan together (291.8 -> 326.3 TWh, ``demand.csv``,
agoenergy/training-data-central-asia ref/power/loads.csv), 2.26 %/a, continued. An
assumption: no cited projection beyond 2035 covers the corridor."""
GROWTH_FROM = 2035
"""The last year with published demand for Kazakhstan, Uzbekistan and Kyrgyzstan."""

OFFICIAL_TARGETS: dict[int, dict[str, float]] = {
    2030: {"KZ": 0.15, "UZ": 0.40, "AZ": 0.30},
    2050: {"KZ": 0.50},
}
"""Current official renewable-electricity targets, share of electricity (0-1).

- KZ 15 % by 2030 and 50 % by 2050: Ministry of Energy of Kazakhstan (reported by 3e.kz,
  March 2024; the 2030 figure by President Tokayev to the Foreign Investors' Council,
  June 2023). Kazakhstan's law counts hydro plants up to 35 MW only; the model counts
  all hydro and run-of-river, so the model's target is the easier one.
- UZ 40 % by 2030: Energy Minister Mirzamahmudov at Uzbekistan Energy Week, 14 May 2024
  (gazeta.uz, 15 May 2024): solar and wind only, from 25 GW; earlier statements said
  25 %. The model counts hydro as well.
- AZ 30 % by 2030: docs/corridor-facts.md (the figure of the shipped 2030 scenarios).

No official figure was found for 2035 or 2040 (any country) or for Uzbekistan and
Azerbaijan in 2050: none is invented. A year without a figure keeps the country's latest
earlier one (:func:`targets_in`): a target met is not undone."""


class PathwayOptions(BaseModel):
    """Years of the pathway, how they are solved, demand after 2035, and targets."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    years: list[PathwayYear] = Field(
        default_factory=list, max_length=4, description="years solved; none: no pathway"
    )
    mode: Literal["myopic", "perfect-foresight"] = "myopic"
    demand_growth_after_2035_pct: float = Field(
        default=DEMAND_GROWTH_PCT,
        ge=-5,
        le=10,
        description="demand growth after 2035, % a year (compounded from the 2035 figure)",
    )
    renewable_targets: dict[int, dict[Name, Share]] = Field(
        default_factory=lambda: {y: dict(t) for y, t in OFFICIAL_TARGETS.items()},
        max_length=4,
        description="share of electricity (0-1) by year and country; default OFFICIAL_TARGETS",
    )

    @field_validator("years")
    @classmethod
    def _increasing(cls, value: list[int]) -> list[int]:
        if len(value) == 1 or any(b <= a for a, b in itertools.pairwise(value)):
            raise ValueError(
                _(
                    "pathway years must be two or more of 2030, 2035, 2040, 2050 in "
                    "increasing order, not {years}"
                ).format(years=", ".join(str(y) for y in value))
            )
        return value

    @field_validator("renewable_targets")
    @classmethod
    def _target_years(cls, value: dict[int, dict[str, float]]) -> dict[int, dict[str, float]]:
        wrong = sorted(y for y in value if y not in YEARS)
        if wrong:
            raise ValueError(
                _("renewable target years must be among {years}, not {wrong}").format(
                    years=", ".join(str(y) for y in YEARS), wrong=", ".join(str(y) for y in wrong)
                )
            )
        return value

    @property
    def enabled(self) -> bool:
        """Whether the scenario asks for a pathway."""
        return bool(self.years)

    def targets_in(self, year: int) -> dict[str, float]:
        """Each country's target in ``year``: its latest figure at or before ``year``."""
        found: dict[str, float] = {}
        for given in sorted(y for y in self.renewable_targets if y <= year):
            found.update(self.renewable_targets[given])
        return found

    def demand_factor(self, year: int) -> float:
        """``(1 + g / 100) ^ max(year - 2035, 0)``: the multiplier on the 2035 demand."""
        return float(
            (1.0 + self.demand_growth_after_2035_pct / 100.0) ** max(year - GROWTH_FROM, 0)
        )
