"""The scenario editor's inputs of the hydrogen and ammonia group (``molecules``,
:mod:`bakuhub.corridor.hydrogen_options`): electrolysers, storage, pipelines, ammonia,
water, and the export at a port.

The bounds said in each help text are read from the pydantic model's JSON schema
(:func:`limits`), so the page says what the server checks. The hydrogen demand per
node (a dictionary) is drawn and read by
:mod:`bakuhub.web.pages.corridor_scenario_molecules`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bakuhub.corridor.hydrogen_options import Molecules
from bakuhub.i18n import N_
from bakuhub.web.pages.corridor_scenario_dataset import node_options
from bakuhub.web.pages.corridor_scenario_field import Input, schema_limits

__all__ = ["limits", "molecule_inputs"]

GROUP, EXPORT = "molecules", "molecules_export"


@cache
def _schema() -> dict[str, Any]:
    return Molecules.model_json_schema()


def limits(*path: str) -> dict[str, float]:
    """The bounds and default of a number of the ``molecules`` group (path below it,
    e.g. ``("export", "shipping_km")``): ``low``, ``high`` (and ``default`` if any)."""
    return schema_limits(_schema(), *path)


def _number(name: str, label: str, group: str, help_text: str, optional: bool = False) -> Input:
    """A number input of the group, its bounds (and default) from the model."""
    path = tuple(name.split("-")[1:])
    found = limits(*path)
    return Input(
        name,
        ("molecules", *path),
        label,
        group,
        help=help_text,
        optional=optional,
        numbers=tuple(found.items()),
    )


def molecule_inputs() -> tuple[Input, ...]:
    """The single-valued inputs of the groups molecules and molecules_export."""
    return (
        Input(
            "molecules-enabled",
            ("molecules", "enabled"),
            N_("Model hydrogen and ammonia (electrolysers, hydrogen storage, pipelines)"),
            GROUP,
            "checkbox",
            help=N_(
                "Unticked, nothing of this group and the next is modelled (the values are kept)."
            ),
        ),
        Input(
            "molecules-electrolyser",
            ("molecules", "electrolyser"),
            N_("Electrolyser technology"),
            GROUP,
            "select",
            (
                ("alkaline", N_("alkaline, 100 MW (Danish Energy Agency)")),
                ("alkaline-jrc", N_("alkaline, large (JRC-EU-TIMES)")),
                ("pem-jrc", N_("PEM, small (JRC-EU-TIMES)")),
            ),
            help=N_("Costs and efficiency from PyPSA technology-data v0.14.0."),
        ),
        Input(
            "molecules-nodes",
            ("molecules", "nodes"),
            N_("Nodes where electrolysers may be built"),
            GROUP,
            "nodes",
            help=N_(
                "all, or node codes separated by commas (e.g. AZ_SUM, KZ_WS); never the EU "
                "gateway. Empty: all."
            ),
        ),
        Input(
            "molecules-underground_storage",
            ("molecules", "underground_storage"),
            N_("Nodes with underground hydrogen storage (salt caverns)"),
            GROUP,
            "nodes",
            help=N_(
                "Node codes separated by commas where the geology allows caverns (your "
                "statement: the model does not check it). Every node may build tanks. "
                "Empty: none."
            ),
        ),
        Input(
            "molecules-pipelines",
            ("molecules", "pipelines"),
            N_("Hydrogen pipelines beside the links (onshore and subsea)"),
            GROUP,
            "checkbox",
        ),
        Input(
            "molecules-ammonia",
            ("molecules", "ammonia"),
            N_("Ammonia: Haber-Bosch plants and ammonia tanks at the nodes"),
            GROUP,
            "checkbox",
            help=N_("Needed to export ammonia."),
        ),
        Input(
            "molecules-water",
            ("molecules", "water"),
            N_("Water for the electrolysers"),
            GROUP,
            "select",
            (
                ("desalination", N_("desalinated sea water (the plant and its power counted)")),
                ("fresh", N_("fresh water bought at a price")),
            ),
        ),
        _number(
            "molecules-water_l_per_kg",
            N_("Water drawn per kg of hydrogen (litres)"),
            GROUP,
            N_("{low} to {high}; {low} is about what the reaction itself takes. Empty: {default}."),
        ),
        _number(
            "molecules-fresh_water_eur_m3",
            N_("Price of fresh water (EUR per m3)"),
            GROUP,
            N_("For fresh water only. {low} to {high}. Empty: {default}."),
        ),
        Input(
            "molecules-export-mode",
            ("molecules", "export", "mode"),
            N_("Export mode (hydrogen or ammonia)"),
            EXPORT,
            "select",
            (
                ("none", N_("none: no export")),
                ("market", N_("market: sell at a price, up to what the buyer takes")),
                ("target", N_("target: deliver a quantity a year")),
            ),
            help=N_("Either way delivered at a steady rate through the year."),
        ),
        Input(
            "molecules-export-carrier",
            ("molecules", "export", "carrier"),
            N_("Exported carrier"),
            EXPORT,
            "select",
            (("ammonia", N_("ammonia")), ("hydrogen", N_("hydrogen"))),
        ),
        Input(
            "molecules-export-port",
            ("molecules", "export", "port"),
            N_("Port of export"),
            EXPORT,
            "select",
            node_options(),
            help=N_(
                "KZ_WS (Aktau) for Caspian shipping, GE_ANA (Anaklia) for the Black Sea, or "
                "another node where hydrogen is made."
            ),
        ),
        _number(
            "molecules-export-price_eur_mwh",
            N_("Sale price (EUR per MWh of the carrier, lower heating value; market)"),
            EXPORT,
            N_("Needed for a market. {low} to {high}."),
            optional=True,
        ),
        _number(
            "molecules-export-max_twh",
            N_("Most the buyer takes (TWh a year; market)"),
            EXPORT,
            N_("Needed for a market. More than {low}, at most {high}."),
            optional=True,
        ),
        _number(
            "molecules-export-target_twh",
            N_("Quantity to deliver (TWh a year, lower heating value; target)"),
            EXPORT,
            N_("Needed for a target. {low} to {high}."),
            optional=True,
        ),
        _number(
            "molecules-export-shipping_km",
            N_("Sea route to the buyer (km; ammonia only)"),
            EXPORT,
            N_(
                "Adds the ship's cost per MWh (technology-data); 0: sold at the port. "
                "{low} to {high}. Empty: {default}."
            ),
        ),
        _number(
            "molecules-export-ship_speed_km_h",
            N_("Ship speed (km per hour)"),
            EXPORT,
            N_("More than {low}, at most {high}. Empty: {default} (15 knots, an assumption)."),
        ),
        Input(
            "molecules-export-crack_at_destination",
            ("molecules", "export", "crack_at_destination"),
            N_("Crack the ammonia back to hydrogen at the destination (ammonia only)"),
            EXPORT,
            "checkbox",
            help=N_("The price or the quantity then counts the hydrogen recovered."),
        ),
    )
