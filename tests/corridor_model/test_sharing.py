"""Cost-sharing rules on textbook games whose answers are known."""

from __future__ import annotations

import pytest

from bakuhub.corridor.sharing import (
    blocking,
    coalitions,
    core_is_empty,
    cost_shares,
    in_core,
    proportional,
    shapley,
)

PLAYERS = ["A", "B", "C"]


def _game(value: object) -> dict[frozenset[str], float]:
    return {s: float(value(s)) for s in coalitions(PLAYERS)}  # type: ignore[operator]


def test_glove_game() -> None:
    """A holds a left glove, B and C a right one; a pair is worth 1. Shapley value
    (2/3, 1/6, 1/6); the core is the single point (1, 0, 0), so the Shapley value is
    outside it: A and B together get 5/6 but could make 1 alone."""
    game = _game(lambda s: 1.0 if "A" in s and ({"B", "C"} & s) else 0.0)
    phi = shapley(PLAYERS, game)
    assert phi == pytest.approx({"A": 2 / 3, "B": 1 / 6, "C": 1 / 6})
    assert sum(phi.values()) == pytest.approx(1.0)
    assert not core_is_empty(PLAYERS, game)
    assert in_core(PLAYERS, game, {"A": 1.0, "B": 0.0, "C": 0.0})
    blocked = {b.coalition for b in blocking(PLAYERS, game, phi)}
    assert blocked == {("A", "B"), ("A", "C")}
    assert not in_core(PLAYERS, game, phi)


def test_airport_game() -> None:
    """A runway for planes needing 1, 2 and 4 (cost of a coalition: the longest it
    needs). Shapley shares: 1/3; 1/3 + 1/2; 1/3 + 1/2 + 2 (Littlechild and Owen 1973:
    each segment split equally among those who use it). As savings over building alone
    (v(S) = sum of own costs - joint cost), that allocation is in the (non-empty) core."""
    need = {"A": 1.0, "B": 2.0, "C": 4.0}
    cost = _game(lambda s: max((need[p] for p in s), default=0.0))
    assert shapley(PLAYERS, cost) == pytest.approx({"A": 1 / 3, "B": 5 / 6, "C": 17 / 6})
    savings = _game(lambda s: sum(need[p] for p in s) - cost[frozenset(s)])
    phi = shapley(PLAYERS, savings)
    assert phi == pytest.approx({"A": 2 / 3, "B": 7 / 6, "C": 7 / 6})
    assert in_core(PLAYERS, savings, phi)
    assert not core_is_empty(PLAYERS, savings)


def test_majority_game_has_an_empty_core() -> None:
    """Any two of three split 1: every allocation leaves some pair with less than 1."""
    game = _game(lambda s: 1.0 if len(s) >= 2 else 0.0)
    phi = shapley(PLAYERS, game)
    assert phi == pytest.approx({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3})
    assert core_is_empty(PLAYERS, game)
    assert len(blocking(PLAYERS, game, phi)) == 3


def test_proportional_to_positive_gains() -> None:
    """Cost 90 between gains 60, 30 and -10: the loser pays nothing, the others 60 and 30."""
    shares = proportional(90.0, {"A": 60.0, "B": 30.0, "C": -10.0})
    assert shares == pytest.approx({"A": 60.0, "B": 30.0, "C": 0.0})
    with pytest.raises(ValueError, match="no party gains"):
        proportional(90.0, {"A": -1.0, "B": 0.0})


def test_cost_shares_from_net_gains() -> None:
    assert cost_shares({"A": 10.0, "B": 5.0}, {"A": 4.0, "B": 6.0}) == {"A": 6.0, "B": -1.0}


def test_a_missing_coalition_is_named() -> None:
    game = _game(lambda s: float(len(s)))
    del game[frozenset({"A", "C"})]
    with pytest.raises(ValueError, match=r"\['A', 'C'\]"):
        shapley(PLAYERS, game)
