"""Each constraint family of ``corridor/constraints.py``, compared equation by
equation with the constraint written by hand from the model's variables (no solve).

The networks come from ``bakuhub.testing.networks``; ``test_tiny_networks.py``
solves the same networks and checks the optimum.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pandas as pd
import pytest

from bakuhub.corridor import constraints
from bakuhub.corridor.constraints import (
    PYPSA_STORE_CONSTRAINTS,
    define_battery_power_balance,
    define_export_target,
    define_renewable_share,
    define_representative_day_storage,
    define_shared_link_capacity,
)
from bakuhub.testing import (
    assert_constraint_equal,
    expression_rows,
    pv_battery,
    rep_days,
    two_buses,
)


@pytest.fixture(autouse=True)
def _quiet() -> None:
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)


def _at(variable: Any, **labels: Any) -> Any:
    """One element of a variable or expression, without its coordinate (a term to add)."""
    return variable.sel(labels, drop=True)


def _model(n: Any) -> Any:
    return n.optimize.create_model(include_objective_constant=False)


def _added(before: set[str], m: Any) -> set[str]:
    return set(m.constraints) - before


def test_shared_link_capacity() -> None:
    """``P_nom[c fwd] - P_nom[c bwd] = 0``: one row per cable, named after its fwd link."""
    n = two_buses()
    m = _model(n)
    before = set(m.constraints)
    define_shared_link_capacity(n)
    assert _added(before, m) == {"link_shared_capacity"}
    p_nom = m["Link-p_nom"]
    expected = expression_rows(
        "name", ["c fwd"], [_at(p_nom, name="c fwd") - _at(p_nom, name="c bwd")]
    )
    assert_constraint_equal(m.constraints["link_shared_capacity"], expected == 0)


def test_shared_link_capacity_is_absent_without_a_pair() -> None:
    n = pv_battery()
    m = _model(n)
    before = set(m.constraints)
    define_shared_link_capacity(n)
    assert _added(before, m) == set()


def test_battery_power_balance() -> None:
    """``P_nom[charger] - P_nom[discharger] = 0``, one row per battery."""
    n = pv_battery()
    m = _model(n)
    before = set(m.constraints)
    define_battery_power_balance(n)
    assert _added(before, m) == {"battery_inverter"}
    p_nom = m["Link-p_nom"]
    charger, discharger = "b battery charger", "b battery discharger"
    expected = expression_rows(
        "name", [charger], [_at(p_nom, name=charger) - _at(p_nom, name=discharger)]
    )
    assert_constraint_equal(m.constraints["battery_inverter"], expected == 0)


def test_battery_power_balance_is_absent_without_a_battery() -> None:
    n = two_buses()
    m = _model(n)
    before = set(m.constraints)
    define_battery_power_balance(n)
    assert _added(before, m) == set()


def test_export_target() -> None:
    """With snapshot weights 2 h and 3 h: ``-2 p_0 - 3 p_1 = 7`` (MWh)."""
    n = two_buses()
    n.snapshot_weightings["generators"] = [2.0, 3.0]
    m = _model(n)
    define_export_target(n, "gen b", 7.0)
    p = _at(m["Generator-p"], name="gen b")
    expected = -2 * _at(p, snapshot=0) - 3 * _at(p, snapshot=1)
    assert_constraint_equal(m.constraints["export_target"], expected == 7.0)


def test_renewable_share() -> None:
    """Country AZ (bus a) needs 50 % of its demand from solar. Demand with weights
    2 h, 3 h: 0 MW * 2 h + 2 MW * 3 h = 6 MWh, so ``2 p_0 + 3 p_1 >= 3`` (MWh)."""
    n = two_buses()
    n.buses["country"] = ["AZ", "GE"]
    n.generators["carrier"] = ["solar", "gas"]
    n.snapshot_weightings["generators"] = [2.0, 3.0]
    m = _model(n)
    define_renewable_share(n, "AZ", 0.5, ("solar", "onwind"))
    p = _at(m["Generator-p"], name="gen a")
    expected = 2 * _at(p, snapshot=0) + 3 * _at(p, snapshot=1)
    assert_constraint_equal(m.constraints["renewable_share_AZ"], expected >= 3.0)
    before = set(m.constraints)
    define_renewable_share(n, "GE", 0.5, ("solar",))  # no solar in GE: nothing to add
    assert _added(before, m) == set()


def _rep_day_model() -> tuple[Any, Any]:
    """Two representative days of two 2-h snapshots (day 0: snapshots 0, 1; day 1:
    2, 3) and the calendar 0, 1, 1; representative-day storage added."""
    n, temporal = rep_days(calendar=[0, 1, 1])
    temporal = dataclasses.replace(temporal, duration=pd.Series([2.0] * 4))
    m = _model(n)
    define_representative_day_storage(n, temporal)
    return n, m


def test_representative_day_storage_replaces_pypsa_store_constraints() -> None:
    n, temporal = rep_days()
    m = _model(n)
    assert set(PYPSA_STORE_CONSTRAINTS) <= set(m.constraints)  # PyPSA still names them so
    before = set(m.constraints)
    define_representative_day_storage(n, temporal)
    assert not set(PYPSA_STORE_CONSTRAINTS) & set(m.constraints)
    assert _added(before, m) == {
        "storage_intraday_balance",
        "storage_intraday_max_def",
        "storage_intraday_min_def",
        "storage_interday_balance",
        "storage_day_level_upper",
        "storage_day_level_lower",
    }


def test_intraday_balance_restarts_each_representative_day() -> None:
    """``e_t - e_(t-1) + d p_t = 0`` with d = 2 h, and ``e_(t-1) = 0`` on a day's first hour."""
    _n, m = _rep_day_model()
    e, p = m["Store-e"].sel(name=["s"]), m["Store-p"].sel(name=["s"])

    def e_(t: int) -> Any:
        return _at(e, snapshot=t)

    def p_(t: int) -> Any:
        return _at(p, snapshot=t)

    expected = expression_rows(
        "snapshot",
        [0, 1, 2, 3],
        [
            e_(0) + 2 * p_(0),
            e_(1) - e_(0) + 2 * p_(1),
            e_(2) + 2 * p_(2),  # day 1 starts from its own zero
            e_(3) - e_(2) + 2 * p_(3),
        ],
    )
    assert_constraint_equal(m.constraints["storage_intraday_balance"], expected == 0)


def test_intraday_bounds_of_each_representative_day() -> None:
    """``u_k - e_t >= 0`` and ``l_k - e_t <= 0`` for each snapshot t of day k."""
    _n, m = _rep_day_model()
    e = m["Store-e"].sel(name=["s"])
    upper, lower = m["storage_intraday_max"], m["storage_intraday_min"]
    assert float(upper.lower.min()) == 0.0 and float(lower.upper.max()) == 0.0
    day_of = [0, 0, 1, 1]
    for bound, sign in ((upper, ">="), (lower, "<=")):
        rows = [_at(bound, repday=k) - _at(e, snapshot=t) for t, k in enumerate(day_of)]
        expected = expression_rows("snapshot", [0, 1, 2, 3], rows)
        name = "storage_intraday_max_def" if sign == ">=" else "storage_intraday_min_def"
        wanted = expected >= 0 if sign == ">=" else expected <= 0
        assert_constraint_equal(m.constraints[name], wanted)


def test_day_levels_follow_the_calendar() -> None:
    """Calendar 0, 1, 1 (last snapshots of the days: 1 and 3), cyclic:
    ``E_(s+1) - E_s - e_(last(k(s))) = 0``; ``E_s + u_k(s) <= E_nom``; ``E_s + l_k(s) >= 0``."""
    _n, m = _rep_day_model()
    level = m["storage_day_level"]
    upper, lower = m["storage_intraday_max"], m["storage_intraday_min"]
    e = m["Store-e"].sel(name=["s"])
    e_nom = m["Store-e_nom"].sel(name=["s"])
    assert float(level.lower.min()) == 0.0

    def level_(s: int) -> Any:
        return _at(level, day=s)

    balance = expression_rows(
        "day",
        [0, 1, 2],
        [
            level_(1) - level_(0) - _at(e, snapshot=1),
            level_(2) - level_(1) - _at(e, snapshot=3),
            level_(0) - level_(2) - _at(e, snapshot=3),  # the year wraps around
        ],
    )
    assert_constraint_equal(m.constraints["storage_interday_balance"], balance == 0)

    day_type = [0, 1, 1]
    top = [level_(s) + _at(upper, repday=k) - e_nom for s, k in enumerate(day_type)]
    assert_constraint_equal(
        m.constraints["storage_day_level_upper"], expression_rows("day", [0, 1, 2], top) <= 0
    )
    bottom = [level_(s) + _at(lower, repday=k) for s, k in enumerate(day_type)]
    assert_constraint_equal(
        m.constraints["storage_day_level_lower"], expression_rows("day", [0, 1, 2], bottom) >= 0
    )


def test_a_chronological_year_keeps_pypsa_storage() -> None:
    n, temporal = rep_days()
    m = _model(n)
    before = set(m.constraints)
    define_representative_day_storage(n, dataclasses.replace(temporal, period=None))
    assert set(m.constraints) == before


def test_a_renamed_pypsa_constraint_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    """When PyPSA no longer defines a constraint by the name we remove, the model
    would keep both storage formulations: raise, naming the missing constraint."""
    renamed = ("Store-energy_balance", "Store-renamed-by-pypsa")
    monkeypatch.setattr(constraints, "PYPSA_STORE_CONSTRAINTS", renamed)
    n, temporal = rep_days()
    m = _model(n)
    with pytest.raises(RuntimeError, match="Store-renamed-by-pypsa"):
        define_representative_day_storage(n, temporal)
    assert "Store-energy_balance" in m.constraints  # nothing removed before the check
    assert "storage_intraday_balance" not in m.constraints
