"""Peak days: re-size on the days of the full year the design fell short on.

Representative days average the year's residual-load peaks away, so a design sized on
them can lack firm capacity in the real year (the reference scenario's default design
leaves 0.095 TWh unserved in 28 winter days of the Agora year: see
``docs/corridor-benchmark.md``). The scheme adds those days back, the way a cutting
plane adds the constraints that bind:

1. size on the representative days (the scenario's resolution);
2. operate the design through the full year (the real-year check, ``real_year.py``);
3. every calendar day with more than :data:`SHORT_MWH` unserved becomes its own
   representative day: its real 24 hours, unsegmented, standing for itself (taken out
   of the cluster it was in, so the weights still sum to the year and the calendar
   keeps the chronology); re-size and go back to 2, until the check finds no new short
   day or ``rounds`` re-sizings are done.

Exactness: with every day of the year its own day the model is the chronological
hourly model (each day's hours as they are, the calendar the identity), so the scheme
ends, at the latest, at the hourly optimum; when it stops earlier, the days it left
clustered are those on which the design operates without shedding.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from bakuhub.corridor.real_year import RealYear, check_design
from bakuhub.corridor.solve import Progress, Solved, objective, solve_scenario
from bakuhub.i18n import _, number

if TYPE_CHECKING:
    import pypsa

Design = TypeVar("Design")
SHORT_MWH = 1.0
"""A day is short when the design leaves more than this unserved in it (MWh; below it
is solver noise and hours of a few kilowatts)."""


@dataclass(frozen=True)
class Round:
    """One sizing of the scheme and its real-year check."""

    own_days: tuple[int, ...]
    snapshots: int
    sizing_cost: float
    real_cost: float
    unserved_twh: float
    short_days: tuple[int, ...]
    seconds: float

    def summary(self) -> dict[str, Any]:
        return {
            "own_days": len(self.own_days),
            "snapshots": self.snapshots,
            "sizing_cost_eur_a": self.sizing_cost,
            "real_year_cost_eur_a": self.real_cost,
            "unserved_twh": self.unserved_twh,
            "new_short_days": len(self.short_days),
            "seconds": round(self.seconds, 1),
        }


def short_days(n: pypsa.Network, threshold_mwh: float = SHORT_MWH) -> tuple[int, ...]:
    """Calendar days (0-364) of an operated full year with more than ``threshold_mwh``
    unserved (``n``: the real-year check's network, 8,760 hourly snapshots)."""
    shed_gens = n.generators.index[n.generators.carrier == "unserved"]
    if len(n.snapshots) % 24 or len(shed_gens) == 0:
        return ()
    w = n.snapshot_weightings.generators.to_numpy()
    shed = n.generators_t.p.reindex(columns=shed_gens).fillna(0.0).to_numpy()
    by_day = (shed.sum(axis=1) * w).reshape(-1, 24).sum(axis=1)
    return tuple(int(d) for d in np.flatnonzero(by_day > threshold_mwh))


def iterate(
    size: Callable[[tuple[int, ...]], Design],
    operate: Callable[[Design], pypsa.Network],
    rounds: int,
    threshold_mwh: float = SHORT_MWH,
    settled: Callable[[tuple[int, ...]], None] | None = None,
) -> tuple[Design, pypsa.Network, list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """The scheme on any model: ``size(own_days)`` sizes with those calendar days as
    they were, ``operate(design)`` runs a design through the full year (hourly, shedding
    allowed). Returns the last design, its operated year, and per sizing the own days
    it had and the new short days its year showed. ``settled(own_days)`` hears, once
    and as soon as they are known, the own days of the last design (before its sizing
    when the round limit makes it the last, else when a check finds no new short day)."""
    told = False

    def settle(own: tuple[int, ...]) -> None:
        nonlocal told
        if settled is not None and not told:
            told = True
            settled(own)

    own: tuple[int, ...] = ()
    if rounds == 0:
        settle(own)
    design = size(own)
    year = operate(design)
    history = []
    for k in range(rounds + 1):
        short = tuple(d for d in short_days(year, threshold_mwh) if d not in set(own))
        history.append((own, short))
        if not short or k == rounds:
            break
        own = tuple(sorted({*own, *short}))
        if k + 1 == rounds:
            settle(own)
        design = size(own)
        year = operate(design)
    settle(own)
    return design, year, history


def add_peak_days(
    sized: Solved,
    rounds: int,
    *,
    progress: Progress | None = None,
    solver_log: bool = False,
    settled: Callable[[tuple[int, ...]], None] | None = None,
) -> tuple[Solved, RealYear, list[Round]]:
    """Re-size ``sized`` with the days its real-year check found short, at most
    ``rounds`` times; the last design, its real-year check and every sizing's round.
    ``settled``: as for :func:`iterate` (a study starts its side solves then)."""
    say = progress or (lambda _line: None)
    started = time.perf_counter()
    checks: dict[int, RealYear] = {}
    done: list[Round] = []

    owns: dict[int, tuple[int, ...]] = {}

    def size(own: tuple[int, ...]) -> Solved:
        if not own:
            return sized
        say(
            _("peak days: re-sizing with {count} days of the full year as they were").format(
                count=number(len(own))
            )
        )
        solved = solve_scenario(sized.scenario, own_days=own, progress=say, solver_log=solver_log)
        owns[id(solved)] = own
        return solved

    def operate(solved: Solved) -> pypsa.Network:
        own = set(owns.get(id(solved), ()))

        def stops(year: pypsa.Network) -> bool:
            """Whether the scheme ends with this check: only then does a far-off verdict
            advise sizing finer (else the study re-sizes by itself right after)."""
            new = [d for d in short_days(year) if d not in own]
            return len(done) >= rounds or not new

        check = check_design(solved, remedy=stops, progress=say, solver_log=solver_log)
        checks[id(solved)] = check
        done.append(
            Round(
                own_days=(),
                snapshots=len(solved.temporal.series),
                sizing_cost=objective(solved.network),
                real_cost=float(check.summary["system_cost_eur_a"]),
                unserved_twh=float(check.summary["unserved_twh"]),
                short_days=(),
                seconds=time.perf_counter() - started,
            )
        )
        return check.network

    if sized.temporal.chronological:  # every day is there already, in its blocks
        rounds = 0
    solved, _year, history = iterate(size, operate, rounds, settled=settled)
    rounds_done = [
        replace(r, own_days=own, short_days=short)
        for r, (own, short) in zip(done, history, strict=True)
    ]
    return solved, checks[id(solved)], rounds_done
