"""The carbon border (CBAM) on networks small enough to solve by hand (EUR, MW, MWh).

A Georgian gas plant (0.2 t/MWh_th at 50 %: 0.4 t/MWh_el, 5 EUR/MWh) and solar that
shines in hour 0 only export over a 10 MW cable to the EU sink at a Romanian gateway.
"""

from __future__ import annotations

import logging

import pypsa
import pytest

from bakuhub.corridor import interior
from bakuhub.corridor.cbam import (
    compare,
    contracted_generators,
    define_green_match,
    without_cbam,
)
from bakuhub.corridor.cbam_rules import (
    CbamOptions,
    charge_eur_mwh,
    exporting_country,
    fossil_factor,
)
from bakuhub.corridor.constraints import define_export_target
from bakuhub.corridor.network import EXPORT
from bakuhub.corridor.scenario import Scenario, parse_scenario, shipped_scenario
from bakuhub.errors import InvalidInput

SOLVER = "highs"


@pytest.fixture(params=["highs", "clarabel"])
def _solver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)
    monkeypatch.setitem(globals(), "SOLVER", request.param)


def corridor(
    *, solar: float | None = None, market: float | None = None, options: CbamOptions
) -> pypsa.Network:
    """Two buses, GE and RO; ``solar``: fixed MW (None: extendable at 8 EUR/MW);
    ``market``: EU price (None: an export target, added when solving). The sink's
    marginal cost is the price less the CBAM charge, as ``network._add_export`` sets it."""
    n = pypsa.Network()
    n.set_snapshots(range(2))
    n.add("Carrier", "CCGT", co2_emissions=0.2)
    n.add("Carrier", ["solar", "export"], co2_emissions=0.0)
    n.add("Bus", "ge", country="GE")
    n.add("Bus", "ro", country="RO")
    n.add("Link", "cable", bus0="ge", bus1="ro", p_nom=10.0)
    n.add("Generator", "ge gas", bus="ge", carrier="CCGT", p_nom=10, efficiency=0.5)
    n.generators.loc["ge gas", "marginal_cost"] = 5.0
    pv = {"p_nom": solar} if solar is not None else {"p_nom_extendable": True}
    n.add("Generator", "ge solar", bus="ge", carrier="solar", p_max_pu=[1.0, 0.0], **pv)
    n.generators.loc["ge solar", "capital_cost"] = 8.0
    n.add("Generator", EXPORT, bus="ro", carrier="export", p_nom=10, p_max_pu=0.0, p_min_pu=-1.0)
    charge, _factor = charge_eur_mwh(n, options, "ro", 0.0)
    n.generators.loc[EXPORT, "marginal_cost"] = (market or 0.0) - charge
    return n


def _solve(n: pypsa.Network, options: CbamOptions, target_mwh: float | None) -> None:
    n.optimize.create_model(include_objective_constant=False)
    if target_mwh is not None:
        define_export_target(n, EXPORT, target_mwh)
    define_green_match(n, options)
    if SOLVER == "clarabel":
        status = interior.solve_network(n)
    else:
        status = n.optimize.solve_model(solver_name="highs", io_api="direct", output_flag=False)
    assert status == ("ok", "optimal")


def _scenario(**cbam: object) -> Scenario:
    data = shipped_scenario("reference-2030").model_dump(mode="json")
    data["cbam"] = cbam
    return parse_scenario(data)


def test_the_default_factor_is_the_fossil_fleets_intensity() -> None:
    """Annex IV 1(d): CO2 of fossil electricity over fossil generation: 0.2 / 0.5."""
    n = corridor(options=CbamOptions())
    assert exporting_country(n, "ro") == "GE"
    assert fossil_factor(n, "GE") == pytest.approx(0.4)
    assert fossil_factor(n, "RO") is None


@pytest.mark.usefixtures("_solver")
def test_default_factor_charges_every_mwh_delivered() -> None:
    """Target 2 MWh: gas 2 MWh (10 EUR) plus CBAM 100 EUR/t x 0.4 t/MWh x 2 MWh (80 EUR).
    The plan is the same as without CBAM: a default value does not depend on the mix."""
    options = CbamOptions(mode="default-factor", carbon_price_eur_t=100.0)
    base = corridor(options=CbamOptions())
    _solve(base, CbamOptions(), 2.0)
    taxed = corridor(options=options)
    _solve(taxed, options, 2.0)
    assert base.objective == pytest.approx(10.0, abs=1e-5)
    assert taxed.objective == pytest.approx(90.0, abs=1e-5)
    scenario = _scenario(mode="default-factor", carbon_price_eur_t=100.0)
    out = compare(base, taxed, scenario)
    assert out["cbam"]["charge_eur_mwh"] == pytest.approx(40.0)
    assert out["cbam"]["export_mwh"] == pytest.approx(2.0, abs=1e-5)
    assert out["cbam"]["payment_eur_a"] == pytest.approx(80.0, abs=1e-4)
    assert out["change"]["system_cost_change_eur_per_mwh_delivered"] == pytest.approx(40.0)
    assert out["change"]["capacity"] == []


@pytest.mark.usefixtures("_solver")
def test_default_factor_stops_exports_that_no_longer_pay_in_a_market() -> None:
    """EU price 100: the netback is 100 - 0.4 p_CO2. At 100 EUR/t it is 60 > 5 (gas):
    export 10 MW both hours. At 300 EUR/t it is -20 < 5: nothing is exported."""
    cheap = CbamOptions(mode="default-factor", carbon_price_eur_t=100.0)
    n = corridor(solar=0.0, market=100.0, options=cheap)
    _solve(n, cheap, None)
    assert n.objective == pytest.approx(20 * 5 - 20 * 60, abs=1e-4)
    dear = CbamOptions(mode="default-factor", carbon_price_eur_t=300.0)
    n = corridor(solar=0.0, market=100.0, options=dear)
    _solve(n, dear, None)
    assert n.generators_t.p[EXPORT].abs().max() == pytest.approx(0.0, abs=1e-5)


@pytest.mark.usefixtures("_solver")
def test_green_match_builds_solar_for_an_export_target() -> None:
    """Target 2 MWh. Without CBAM gas is cheapest (2 x 5 = 10 EUR). With the green match
    nothing can leave in hour 1 (no sun): 2 MW of solar (16 EUR) export 2 MWh in hour 0."""
    options = CbamOptions(mode="green-match")
    base = corridor(options=CbamOptions())
    _solve(base, CbamOptions(), 2.0)
    green = corridor(options=options)
    _solve(green, options, 2.0)
    assert green.objective == pytest.approx(16.0, abs=1e-4)
    assert green.generators.at["ge solar", "p_nom_opt"] == pytest.approx(2.0, abs=1e-4)
    assert green.generators_t.p[EXPORT].tolist() == pytest.approx([-2.0, 0.0], abs=1e-4)
    out = compare(base, green, _scenario(mode="green-match"))
    assert out["cbam"]["payment_eur_a"] == 0.0
    assert out["cbam"]["export_in_binding_snapshots_share"] == pytest.approx(1.0)
    assert out["change"]["system_cost_change_eur_per_mwh_delivered"] == pytest.approx(3.0)
    [row] = out["change"]["capacity"]
    assert (row["country"], row["technology"]) == ("GE", "solar")
    assert row["change"] == pytest.approx(2.0, abs=1e-4)


@pytest.mark.usefixtures("_solver")
def test_green_match_limits_exports_to_the_sun_in_a_market() -> None:
    """1 MW of solar, EU price 100: without the match gas fills the sink (10 MW both
    hours); with it, export follows the sun: 1 MW in hour 0, nothing in hour 1."""
    options = CbamOptions(mode="green-match")
    n = corridor(solar=1.0, market=100.0, options=options)
    _solve(n, options, None)
    assert n.generators_t.p[EXPORT].tolist() == pytest.approx([-1.0, 0.0], abs=1e-4)
    assert n.objective == pytest.approx(-100.0, abs=1e-4)


def test_only_new_plants_may_be_contracted_when_asked() -> None:
    """An existing run-of-river plant in GE counts for the green match with ``all``, not
    with ``new``; the gateway country's plants never count."""
    n = corridor(options=CbamOptions())
    n.add("Carrier", "ror", co2_emissions=0.0)
    n.add("Generator", "ge ror", bus="ge", carrier="ror", p_nom=5.0)
    n.add("Generator", "ro solar", bus="ro", carrier="solar", p_nom=5.0)
    assert contracted_generators(n) == ["ge solar", "ge ror"]
    assert contracted_generators(n, new_only=True) == ["ge solar"]


def test_cbam_options_are_checked_and_off_by_default() -> None:
    assert shipped_scenario("reference-2030").cbam.mode == "off"
    with pytest.raises(InvalidInput, match="carbon_price_eur_t"):
        _scenario(mode="default-factor")
    with pytest.raises(InvalidInput, match=r"cbam\.factor_t_mwh"):
        _scenario(mode="default-factor", carbon_price_eur_t=80.0, factor_t_mwh=5.0)
    with pytest.raises(InvalidInput, match=r"cbam\.mode"):
        _scenario(mode="on")


def test_a_scenario_without_cbam_keeps_its_hash() -> None:
    """The option is left out of a scenario's dump (and hash) while it is off."""
    scenario = shipped_scenario("reference-2030")
    assert "cbam" not in scenario.model_dump()
    taxed = _scenario(mode="default-factor", carbon_price_eur_t=80.0)
    assert taxed.digest() != scenario.digest()
    assert without_cbam(taxed).digest() != scenario.digest()
    assert without_cbam(taxed).cbam == scenario.cbam


def test_the_corridor_network_charges_the_gateway_sink() -> None:
    """The reference network with a default factor: the sink pays 100 EUR/t x Georgia's
    fleet factor, which lies between a CCGT's and coal's (gas-fired fleet)."""
    from bakuhub.corridor.datasets import load_dataset
    from bakuhub.corridor.network import build_network
    from bakuhub.corridor.temporal import build_temporal

    scenario = _scenario(mode="default-factor", carbon_price_eur_t=100.0)
    data = load_dataset(2030, "project")
    temporal = build_temporal(data.profiles, "segments:4", None)
    n = build_network(scenario, data, temporal)
    factor = fossil_factor(n, "GE")
    assert factor is not None and 0.3 < factor < 0.6
    assert n.generators.at[EXPORT, "marginal_cost"] == pytest.approx(-100.0 * factor)
