"""The scenario's hydrogen and ammonia options (issue 17): off by default.

A scenario without a ``molecules`` group, or with the default one, builds the same
network and has the same digest as before the group existed (``scenario.py`` leaves
the default group out of its dump). Units: energy of hydrogen and ammonia in MWh of
lower heating value (LHV), prices in EUR per MWh LHV, water in litres per kg H2.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bakuhub.i18n import _

Name = Annotated[str, Field(min_length=1, max_length=64)]
MAX_ITEMS = 100
MAX_PRICE = 1e5

Electrolyser = Literal["alkaline", "alkaline-jrc", "pem-jrc"]
"""``alkaline``: technology-data ``electrolysis`` (DEA AEC 100 MW, the row PyPSA-Eur
uses); ``alkaline-jrc``: ``Alkaline electrolyzer large size``; ``pem-jrc``: ``PEM
electrolyzer small size`` (both JRC-EU-TIMES)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class MoleculeExport(_Strict):
    """Hydrogen or ammonia sold at a port: a market at a price (up to ``max_twh`` a
    year), or a yearly target; either way delivered at most at the steady rate of the
    year's quantity (``TWh * 1e6 / 8760`` MW), so a target is a constant delivery.

    ``port``: ``KZ_WS`` (Aktau, Caspian shipping) or ``GE_ANA`` (Anaklia, Black Sea),
    or any molecule node. ``shipping_km`` > 0 (ammonia only) adds the ship's cost per
    MWh from the technology-data ship row; ``crack_at_destination`` prices (or counts
    the target in) hydrogen recovered from the ammonia by a cracker at the destination.
    """

    mode: Literal["none", "market", "target"] = "none"
    carrier: Literal["hydrogen", "ammonia"] = "ammonia"
    port: Name = "KZ_WS"
    price_eur_mwh: float | None = Field(
        default=None, ge=0, le=MAX_PRICE, description="EUR per MWh (LHV) of the sold carrier"
    )
    target_twh: float | None = Field(
        default=None, ge=0, le=1e4, description="TWh (LHV) a year of the sold carrier"
    )
    max_twh: float | None = Field(
        default=None, gt=0, le=1e4, description="most the market takes, TWh (LHV) a year"
    )
    shipping_km: float = Field(default=0.0, ge=0, le=30_000, description="sea route, km")
    ship_speed_km_h: float = Field(
        default=27.8, gt=0, le=100, description="ship speed, km/h (15 knots: an assumption)"
    )
    crack_at_destination: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> MoleculeExport:
        if self.mode == "market" and (self.price_eur_mwh is None or self.max_twh is None):
            raise ValueError(
                _(
                    "molecule export mode 'market' needs price_eur_mwh and max_twh (the "
                    "buyer's size)"
                )
            )
        if self.mode == "target" and self.target_twh is None:
            raise ValueError(_("molecule export mode 'target' needs target_twh"))
        if self.carrier == "hydrogen" and (self.shipping_km > 0 or self.crack_at_destination):
            raise ValueError(
                _(
                    "shipping_km and crack_at_destination are for ammonia; set carrier to "
                    "ammonia or leave them out"
                )
            )
        return self


class Molecules(_Strict):
    """Electrolysis, hydrogen storage and pipelines, ammonia, and their export."""

    enabled: bool = False
    electrolyser: Electrolyser = "alkaline"
    nodes: Annotated[list[Name], Field(max_length=MAX_ITEMS)] | Literal["all"] = Field(
        default="all", description="where electrolysers may be built (not the EU gateway)"
    )
    underground_storage: list[Name] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="nodes whose geology allows hydrogen caverns (the user's statement)",
    )
    ammonia: bool = Field(default=False, description="Haber-Bosch and ammonia tanks")
    pipelines: bool = Field(default=False, description="hydrogen pipelines beside the links")
    hydrogen_demand_twh: dict[Name, Annotated[float, Field(ge=0, le=1e4)]] = Field(
        default_factory=dict, max_length=MAX_ITEMS, description="constant demand, TWh H2 a year"
    )
    water: Literal["desalination", "fresh"] = "desalination"
    water_l_per_kg: float = Field(
        default=9.0, ge=8.9, le=100, description="water drawn per kg H2, litres"
    )
    fresh_water_eur_m3: float = Field(default=0.0, ge=0, le=1e3)
    export: MoleculeExport = Field(default_factory=MoleculeExport)

    @model_validator(mode="after")
    def _needs_ammonia(self) -> Molecules:
        if self.export.mode != "none" and self.export.carrier == "ammonia" and not self.ammonia:
            raise ValueError(_("an ammonia export needs ammonia: true"))
        return self
