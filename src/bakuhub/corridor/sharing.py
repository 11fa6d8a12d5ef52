"""Proposals for sharing a cable's cost between countries: pure functions over numbers.

Two rules, and a test of each proposal:

- **in proportion to net positive benefit**: the cross-border cost allocation logic of
  EU regulators (ACER Recommendation No 02/2023 of 22 June 2023 on good practices for
  the treatment of investment requests, including cross-border cost allocation
  requests, for projects of common interest, which replaced Recommendation No 05/2015
  under Regulation (EU) 2022/869): the cost ``K`` is borne by the countries that gain,
  each ``K * max(B_i, 0) / sum_j max(B_j, 0)`` for gross benefit ``B_i``;
- **the Shapley value** of a coalition game ``v`` over players ``N`` (what each
  coalition ``S`` of countries gains when only its members cooperate, ``v({}) = 0``):
  ``phi_i = sum_(S not containing i) |S|! (|N|-|S|-1)! / |N|! (v(S + i) - v(S))``,
  each player's average marginal contribution over every order of joining;
- **the core**: an allocation ``x`` (net gains, ``sum_i x_i = v(N)``) is in the core
  when no coalition does better alone, ``sum_(i in S) x_i >= v(S)`` for every ``S``.
  Whether the core is empty is the linear programme ``min sum_i x_i`` subject to
  ``x(S) >= v(S)``: the core is non-empty exactly when its optimum is at most ``v(N)``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Coalition = frozenset[str]
Game = Mapping[Coalition, float]

TOLERANCE = 1e-9
"""Relative slack (of the largest ``|v|``) before a coalition counts as blocking."""


def coalitions(players: Sequence[str]) -> list[Coalition]:
    """Every coalition of ``players``, the empty one first, by size then order."""
    return [
        frozenset(c)
        for size in range(len(players) + 1)
        for c in itertools.combinations(players, size)
    ]


def _checked(players: Sequence[str], game: Game) -> dict[Coalition, float]:
    """The game with ``v({}) = 0`` filled in; ``ValueError`` naming a missing coalition."""
    if len(set(players)) != len(players) or not players:
        raise ValueError("players must be a non-empty list of distinct names")
    values = {frozenset(k): float(v) for k, v in game.items()}
    values.setdefault(frozenset(), 0.0)
    missing = [sorted(c) for c in coalitions(players) if c not in values]
    if missing:
        raise ValueError(
            f"the game has no value for the coalition(s) {missing}; give v(S) for all "
            f"{2 ** len(players)} subsets of {list(players)}"
        )
    return values


def shapley(players: Sequence[str], game: Game) -> dict[str, float]:
    """The Shapley value of each player (same unit as ``v``); it sums to ``v(N)``."""
    v = _checked(players, game)
    k = len(players)
    out = dict.fromkeys(players, 0.0)
    for i in players:
        others = [p for p in players if p != i]
        for size in range(k):
            weight = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            for members in itertools.combinations(others, size):
                s = frozenset(members)
                out[i] += weight * (v[s | {i}] - v[s])
    return out


def proportional(cost: float, gains: Mapping[str, float]) -> dict[str, float]:
    """``cost`` shared in proportion to each party's positive gain (a party that loses
    pays nothing); ``ValueError`` when no party gains."""
    positive = {k: max(float(g), 0.0) for k, g in gains.items()}
    total = sum(positive.values())
    if total <= 0:
        raise ValueError("no party gains: there is no benefit to share the cost in proportion to")
    return {k: cost * g / total for k, g in positive.items()}


@dataclass(frozen=True)
class Blocking:
    """A coalition that does better alone than the allocation gives it."""

    coalition: tuple[str, ...]
    allocated: float
    alone: float


def _slack(v: Mapping[Coalition, float], noise: float) -> float:
    """How far below ``v(S)`` still counts as equal: :data:`TOLERANCE` of the largest
    ``|v|``, or ``noise`` (EUR/a) where the values carry a solver's noise larger than that."""
    return max(noise, TOLERANCE * max(1.0, *(abs(x) for x in v.values())))


def blocking(
    players: Sequence[str], game: Game, allocation: Mapping[str, float], noise: float = 0.0
) -> list[Blocking]:
    """Coalitions ``S`` with ``sum_(i in S) x_i < v(S)`` (beyond :func:`_slack`):
    empty when ``allocation`` is in the core (given it shares out ``v(N)``)."""
    v = _checked(players, game)
    slack = _slack(v, noise)
    out = []
    for s in coalitions(players):
        if not s:
            continue
        allocated = sum(float(allocation[i]) for i in s)
        if allocated < v[s] - slack:
            out.append(Blocking(tuple(p for p in players if p in s), allocated, v[s]))
    return out


def in_core(
    players: Sequence[str], game: Game, allocation: Mapping[str, float], noise: float = 0.0
) -> bool:
    """Whether ``allocation`` shares out exactly ``v(N)`` and no coalition blocks it."""
    v = _checked(players, game)
    slack = _slack(v, noise)
    total = sum(float(allocation[i]) for i in players)
    blocked = blocking(players, game, allocation, noise)
    return abs(total - v[frozenset(players)]) <= slack and not blocked


def core_is_empty(players: Sequence[str], game: Game, noise: float = 0.0) -> bool:
    """Whether no allocation of ``v(N)`` satisfies every coalition (a linear programme:
    ``min sum_i x_i`` s.t. ``x(S) >= v(S)``; the core is empty when the minimum exceeds
    ``v(N)``)."""
    import numpy as np
    from scipy.optimize import linprog

    v = _checked(players, game)
    proper = [s for s in coalitions(players) if s]
    a_ub = -np.array([[1.0 if p in s else 0.0 for p in players] for s in proper])
    b_ub = -np.array([v[s] for s in proper])
    result = linprog(
        np.ones(len(players)), A_ub=a_ub, b_ub=b_ub, bounds=[(None, None)] * len(players)
    )
    if not result.success:
        raise RuntimeError(f"the core's linear programme failed: {result.message}")
    return bool(result.fun > v[frozenset(players)] + _slack(v, noise))


def cost_shares(gains: Mapping[str, float], net: Mapping[str, float]) -> dict[str, float]:
    """What each party pays so that its gross gain less its payment is ``net``:
    ``share_i = B_i - x_i`` (a negative share is a payment received)."""
    return {k: float(gains[k]) - float(net[k]) for k in net}
