"""A sweep sent to the server: fields from the allow-list only, values checked by the
scenario's own rules, bounded runs; Latin-hypercube and Sobol samples."""

from __future__ import annotations

from typing import Any

import pytest

from bakuhub.corridor.scenario import Scenario, shipped_scenario
from bakuhub.errors import InvalidInput, validated
from bakuhub.jobs.sweep_define import MAX_RUNS, SweepIn, base_scenario, define
from bakuhub.jobs.sweep_fields import sweep_fields


@pytest.fixture(scope="module")
def base() -> Scenario:
    return shipped_scenario("reference-2030")


def refusal(base: Scenario, **body: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        define(SweepIn.model_validate({"base": "reference-2030", **body}), base)
    return caught.value


def test_the_allow_list_follows_the_scenario_model(base: Scenario) -> None:
    fields = sweep_fields(base)
    price = fields["co2.price_eur_t"]
    assert (price.kind, price.low, price.high) == ("number", 0.0, 1e5)  # the model's limits
    assert fields["economics.horizon_years"].kind == "integer"
    assert set(fields["costs.cable_cost"].choices) == {"reference", "project", "mid", "low"}
    assert "links.CASPIAN.max_mw" in fields  # a candidate link of the dataset
    assert "renewable_targets.AZ" in fields  # a target the base sets
    # names, node lists, the weather (server paths) and the solver are not swept
    assert not [p for p in fields if p.split(".")[0] in ("name", "weather", "solver", "nodes")]


def test_a_grid_makes_every_combination_as_validated_scenarios(base: Scenario) -> None:
    body = {
        "resolution": "segments:12",
        "grid": {"costs.cable_cost": ["low", "reference"], "co2.price_eur_t": [0, 150]},
    }
    spec, found = define(SweepIn.model_validate({"base": "reference-2030", **body}), base)
    assert len(found) == 4
    assert [(v.scenario.costs.cable_cost, v.scenario.co2.price_eur_t) for v in found] == [
        ("low", 0),
        ("low", 150),
        ("reference", 0),
        ("reference", 150),
    ]
    assert {v.scenario.resolution for v in found} == {"segments:12"}
    assert spec.varied == ["costs.cable_cost", "co2.price_eur_t"]


def test_an_unknown_field_is_named_beside_its_input(base: Scenario) -> None:
    error = refusal(base, grid={"weather.path": ["/etc"], "co2.price_eur_t": [1, 2]})
    assert error.details[0]["loc"] == ["grid", "weather.path"]
    assert "not a scenario field a sweep may vary" in error.details[0]["msg"]
    assert "nothing was run" in error.message


def test_a_value_the_scenario_refuses_is_a_sentence_beside_its_field(base: Scenario) -> None:
    error = refusal(base, grid={"co2.price_eur_t": [0, -5]})
    (detail,) = error.details
    assert detail["loc"] == ["grid", "co2.price_eur_t"]
    assert "refuses -5" in detail["msg"] and "0 to 100000" in detail["msg"]
    wrong = refusal(base, grid={"costs.cable_cost": ["cheap"]}).details[0]["msg"]
    assert "'cheap' is not one of reference, project, mid, low" in wrong
    assert "twice" in refusal(base, grid={"co2.price_eur_t": [80, 80.0]}).details[0]["msg"]


def test_too_many_runs_are_refused_before_anything_is_made(base: Scenario) -> None:
    values = [float(i) for i in range(9)]
    error = refusal(
        base, grid={"co2.price_eur_t": values, "costs.wacc": [0.01 * i for i in range(1, 9)]}
    )
    assert error.details == [
        {
            "loc": ["grid"],
            "msg": f"the grid makes 72 runs; a sweep makes at most {MAX_RUNS}: "
            "use fewer values, or samples",
        }
    ]
    with pytest.raises(InvalidInput):
        validated(SweepIn, {"base": "x", "samples": {"n": MAX_RUNS + 1, "ranges": {"a": [0, 1]}}})


def test_a_fine_resolution_is_refused(base: Scenario) -> None:
    error = refusal(base, resolution="hourly", grid={"co2.price_eur_t": [0, 1]})
    assert error.details[0]["loc"] == ["resolution"]
    assert "8,760 snapshots" in error.details[0]["msg"]


def test_samples_take_number_ranges_only(base: Scenario) -> None:
    bad = refusal(
        base,
        samples={
            "n": 4,
            "ranges": {
                "costs.cable_cost": [0, 1],
                "co2.price_eur_t": [10, 5],
                "costs.wacc": [0.01, 0.9],
            },
        },
    )
    by_path = {d["loc"][2]: d["msg"] for d in bad.details}
    assert "list its values in a grid" in by_path["costs.cable_cost"]
    assert "below" in by_path["co2.price_eur_t"]
    assert "refuses 0.9" in by_path["costs.wacc"]


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_samples_are_seeded_and_inside_their_ranges(base: Scenario, method: str) -> None:
    body = {
        "base": "reference-2030",
        "samples": {
            "n": 8,
            "seed": 7,
            "method": method,
            "ranges": {"co2.price_eur_t": [0, 80], "costs.wacc": [0.04, 0.1]},
        },
    }
    _, found = define(SweepIn.model_validate(body), base)
    _, again = define(SweepIn.model_validate(body), base)
    assert [v.params for v in found] == [v.params for v in again]
    prices = sorted(v.scenario.co2.price_eur_t for v in found)
    assert all(0 <= p <= 80 for p in prices) and all(
        0.04 <= v.scenario.costs.wacc <= 0.1 for v in found
    )
    # both designs spread the 8 draws: one in each eighth of the price range
    assert [int(p // 10) for p in prices] == list(range(8))


def test_sobol_needs_a_power_of_two(base: Scenario) -> None:
    body = {"n": 6, "method": "sobol", "ranges": {"co2.price_eur_t": [0, 80]}}
    with pytest.raises(InvalidInput, match="powers of two") as caught:
        validated(SweepIn, {"base": "reference-2030", "samples": body})
    assert caught.value.details[0]["loc"] == ["samples"]


def test_the_base_is_a_shipped_name_never_a_path() -> None:
    with pytest.raises(InvalidInput) as caught:
        base_scenario("../../etc/passwd")
    assert caught.value.details[0]["loc"] == ["base"]
