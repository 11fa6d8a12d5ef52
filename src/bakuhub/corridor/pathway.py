"""A study over several years (issue 17): capacity built in one step stays until the end
of its life.

Two ways, both from a builder ``build(year) -> pypsa.Network`` whose extendable assets
carry their ``lifetime`` (years) and that year's annualised ``capital_cost``:

- **myopic** (the default): solve the years in order; after each, the capacity built
  becomes a fixed asset ``NAME YEAR`` of every later year while ``year < build_year +
  lifetime``, and the same asset's room to grow (``p_nom_max``) and its minimum size
  (``p_nom_min``: a cable of ``mode: fixed`` or ``bounds``) shrink by it, both being
  limits on what stands. Each step is a one-year model, so the pathway costs N one-year
  solves, and it decides as the partners do: with the costs of the year, not knowing
  the next.
- **perfect foresight**: one LP over all years with PyPSA's multi-period investment
  (``n.investment_periods``; an extendable asset per year it may be built in, with
  ``build_year``; PyPSA keeps it active while ``build_year <= period < build_year +
  lifetime`` and charges its capital cost in each active period). It is N times the
  one-year model and solved at once: the bound that myopic cannot beat.

Costs: ``C = sum_y W_y * (capex_y + opex_y)`` with ``W_y = sum_{t=y}^{y+Y_y-1}
(1 + r)^-(t - y_0)``, ``Y_y`` the years until the next step (the last step repeats the
gap before it).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from bakuhub.corridor.adds import Batch
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

Mode = Literal["myopic", "perfect-foresight"]
DEFAULT_MODE: Mode = "myopic"
COMPONENTS = ("Carrier", "Bus", "Load", "Generator", "Link", "Store", "StorageUnit")
NOMINAL = {"Generator": "p_nom", "Link": "p_nom", "Store": "e_nom", "StorageUnit": "p_nom"}
SCALED = {
    "Generator": ("p_max_pu", "p_min_pu"),
    "Link": ("p_max_pu", "p_min_pu"),
    "Store": ("e_max_pu",),
    "StorageUnit": ("p_max_pu", "p_min_pu"),
}
"""Per-unit limits through which a fixed asset's capacity of each year is given."""
MIN_BUILT = 1e-3
"""Capacities below this (MW or MWh) are not carried to later years (solver noise)."""

Builder = Callable[[int], "pypsa.Network"]
Solver = Callable[["pypsa.Network"], None]


def period_weights(years: Sequence[int], rate: float) -> pd.DataFrame:
    """``years`` (``Y_y``) and ``objective`` (``W_y``) of each step, indexed by year."""
    import pandas as pd

    check_years(years)
    gaps = [b - a for a, b in itertools.pairwise(years)]
    gaps.append(gaps[-1] if gaps else 1)
    first = years[0]
    weights = [
        sum((1.0 + rate) ** -(t - first) for t in range(year, year + gap))
        for year, gap in zip(years, gaps, strict=True)
    ]
    return pd.DataFrame({"years": gaps, "objective": weights}, index=pd.Index(years, name="period"))


def check_years(years: Sequence[int]) -> None:
    """Strictly increasing years, or a sentence saying what to give."""
    if not years or any(b <= a for a, b in itertools.pairwise(years)):
        raise InvalidInput(
            _("pathway years must be one or more years in increasing order, not {years}.").format(
                years=", ".join(str(y) for y in years)
            )
        )


def _extendable(n: pypsa.Network, cls: str) -> pd.Index:
    static = n.components[cls].static
    index: pd.Index = static.index[static[f"{NOMINAL[cls]}_extendable"]]
    return index


def highs(n: pypsa.Network) -> None:
    """Solve with HiGHS (the default of the pathway's tiny cases); a multi-period network
    as one (``multi_investment_periods``)."""
    status = n.optimize(
        solver_name="highs",
        io_api="direct",
        output_flag=False,
        include_objective_constant=False,
        multi_investment_periods=not n.investment_periods.empty,
    )
    if status != ("ok", "optimal"):
        raise InvalidInput(
            _("a pathway step has no optimal solution: {status}").format(status=status)
        )


@dataclass
class Built:
    """An asset built in a step, carried while ``year < build_year + lifetime``."""

    cls: str
    name: str
    build_year: int
    lifetime: float
    capacity: float
    attrs: dict[str, Any] = field(default_factory=dict)

    def alive(self, year: int) -> bool:
        """Whether the asset still stands in ``year``."""
        return year < self.build_year + self.lifetime


@dataclass
class Step:
    """One solved year of a myopic pathway: its network, its cost (EUR/a): the
    objective plus the capital cost of the assets carried from earlier years, and those
    assets (``carried``: what :func:`carry` adds to the year's network)."""

    year: int
    network: pypsa.Network
    cost: float
    carried: list[Built] = field(default_factory=list)


def carry(n: pypsa.Network, built: list[Built], year: int) -> float:
    """Add the earlier years' assets alive in ``year`` as fixed ones; their yearly
    capital cost (EUR/a)."""
    fixed = 0.0
    for asset in built:
        if not asset.alive(year):
            continue
        nominal = NOMINAL[asset.cls]
        attrs = {**asset.attrs, nominal: asset.capacity, f"{nominal}_extendable": False}
        n.add(asset.cls, f"{asset.name} {asset.build_year}", **attrs)
        static = n.components[asset.cls].static  # after add: it makes a new frame
        if asset.name in static.index:  # its room to grow and its minimum shrink by it
            for bound in (f"{nominal}_max", f"{nominal}_min"):
                limit = float(static.at[asset.name, bound])
                static.loc[asset.name, bound] = max(limit - asset.capacity, 0.0)
            for frame in n.components[asset.cls].dynamic.values():
                if asset.name in frame:
                    frame[f"{asset.name} {asset.build_year}"] = frame[asset.name]
        fixed += asset.capacity * float(asset.attrs.get("capital_cost", 0.0))
    return fixed


def record(
    n: pypsa.Network,
    year: int,
    carried: set[str] | frozenset[str] = frozenset(),
    capacity: Callable[[str, str], float] | None = None,
) -> list[Built]:
    """The extendable assets of ``n`` built in ``year`` (above :data:`MIN_BUILT`), their
    capacity the solved one of ``n`` or ``capacity(cls, name)`` (a perfect-foresight
    solution read back onto the year's network); the ``carried`` ones (a solve may have
    made them extendable, pinned at their size) were built before and are not recorded
    again."""
    built = []
    for cls in NOMINAL:
        static = n.components[cls].static
        if static.empty:
            continue
        inputs = _inputs(n, cls)
        for name in _extendable(n, cls).difference(sorted(carried)):
            size = (
                float(static.at[name, f"{NOMINAL[cls]}_opt"])
                if capacity is None
                else capacity(cls, str(name))
            )
            if size > MIN_BUILT:
                attrs = {a: static.at[name, a] for a in inputs if not a.startswith(NOMINAL[cls])}
                life = float(static.at[name, "lifetime"])
                built.append(Built(cls, str(name), year, life, size, attrs))
    return built


def myopic(build: Builder, years: Sequence[int], solve: Solver = highs) -> list[Step]:
    """Solve ``years`` in order, carrying what each builds (see the module's text)."""
    check_years(years)
    built: list[Built] = []
    steps = []
    for year in years:
        n = build(year)
        alive = [asset for asset in built if asset.alive(year)]
        fixed = carry(n, alive, year)
        solve(n)
        steps.append(Step(year, n, float(n.objective or 0.0) + fixed, alive))
        built += record(n, year, {f"{a.name} {a.build_year}" for a in alive})
    return steps


def myopic_cost(steps: Sequence[Step], rate: float) -> float:
    """``sum_y W_y * cost_y`` (EUR) of a myopic pathway."""
    weights = period_weights([s.year for s in steps], rate)["objective"]
    return float(sum(weights[s.year] * s.cost for s in steps))


def _inputs(n: pypsa.Network, cls: str) -> list[str]:
    defaults = n.components[cls].defaults
    static = n.components[cls].static
    return [
        a
        for a in static.columns
        if a in defaults.index and str(defaults.at[a, "status"]).startswith("Input")
    ]


def perfect_foresight(build: Builder, years: Sequence[int], rate: float) -> pypsa.Network:
    """One multi-period network of ``years`` (not solved): every fixed asset once (its
    capacity the largest of the years, each year's share through ``p_max_pu``), every
    extendable asset once per year as ``NAME YEAR`` with ``build_year = YEAR``."""
    import pypsa

    check_years(years)
    nets = {year: build(year) for year in years}
    first = nets[years[0]]
    n = pypsa.Network(name=first.name)
    n.set_snapshots(list(first.snapshots))
    n.snapshot_weightings = first.snapshot_weightings.copy()
    n.set_investment_periods(list(years))
    n.investment_period_weightings = period_weights(years, rate)
    for cls in COMPONENTS:
        for year, net in nets.items():
            _merge(n, net, cls, year)
    for cls in COMPONENTS:
        _series(n, nets, cls)
    return n


def _merge(n: pypsa.Network, net: pypsa.Network, cls: str, year: int) -> None:
    static = net.components[cls].static
    if static.empty:
        return
    defaults = net.components[cls].defaults.index  # and columns of our own (bus country)
    inputs = _inputs(net, cls) + [a for a in static.columns if a not in defaults]
    extendable = set(_extendable(net, cls)) if cls in NOMINAL else set()
    present = n.components[cls].static.index
    with Batch(n) as batch:  # added when the year's rows are read
        for name, row in static[inputs].iterrows():
            attrs = row.to_dict()
            if name in extendable:
                batch.add(cls, f"{name} {year}", **{**attrs, "build_year": year})
            elif name not in present:
                batch.add(cls, str(name), **attrs)
            elif cls in NOMINAL:
                nominal = NOMINAL[cls]
                current = n.components[cls].static
                larger = max(float(current.at[name, nominal]), float(row[nominal]))
                current.loc[name, nominal] = larger


def _series(n: pypsa.Network, nets: dict[int, pypsa.Network], cls: str) -> None:
    """Each period's time series from its year's network; a fixed asset's capacity of
    the year as a share of its largest (``p_max_pu``, ``p_min_pu``; ``e_max_pu``). A
    build year's copy ``NAME b`` in a year whose network lacks ``NAME`` (no room to build
    it then) keeps running on year ``b``'s series, as myopic carries it."""
    target = n.components[cls]
    if target.static.empty:
        return
    scaled = SCALED.get(cls, ())
    attrs = set(scaled) | _varying(n, nets, cls)
    for net in nets.values():
        attrs |= {a for a, f in net.components[cls].dynamic.items() if not f.empty}
    for attr in sorted(attrs):
        frame = {}
        for name in target.static.index:
            base, _sep, tail = str(name).rpartition(" ")
            copy = tail.isdigit() and int(tail) in nets
            own = base if copy else str(name)
            parts = []
            for net in nets.values():
                lacks = own not in net.components[cls].static.index
                source = nets[int(tail)] if copy and lacks else net
                parts.append(_values(source, cls, own, attr, len(net.snapshots), scaled, n, name))
            frame[name] = np.concatenate(parts)
        import pandas as pd

        target.dynamic[attr] = pd.DataFrame(frame, index=n.snapshots)


def _varying(n: pypsa.Network, nets: dict[int, pypsa.Network], cls: str) -> set[str]:
    """Attributes that may be series and whose static value for an asset merged once
    differs between the years (a fuel's marginal cost, say): each period gets its own."""
    import pandas as pd

    defaults = n.components[cls].defaults
    merged = n.components[cls].static.index
    found = set()
    for attr in defaults.index:
        kind, status = str(defaults.at[attr, "type"]), str(defaults.at[attr, "status"])
        if "series" not in kind or not status.startswith("Input"):
            continue
        frames = [net.components[cls].static for net in nets.values()]
        values = [f[attr].reindex(merged) for f in frames if attr in f]
        if values and pd.concat(values, axis=1).nunique(axis=1).gt(1).any():
            found.add(attr)
    return found


def _values(
    net: pypsa.Network,
    cls: str,
    own: str,
    attr: str,
    length: int,
    scaled: tuple[str, ...],
    n: pypsa.Network,
    name: object,
) -> np.ndarray:
    comp = net.components[cls]
    default = float(n.components[cls].static.at[name, attr]) if attr in comp.static else 0.0
    if own not in comp.static.index:  # absent this year: no output, no demand
        return np.zeros(length) if attr in (*scaled, "p_set") else np.full(length, default)
    frame = comp.dynamic.get(attr)
    if frame is not None and own in frame:
        values: np.ndarray = frame[own].to_numpy(dtype=float)
    elif own != name:  # a build year's copy keeps that year's figure (as myopic carries it)
        values = np.full(length, default)
    else:
        values = np.full(length, float(comp.static.at[own, attr]))
    if attr in scaled and cls in NOMINAL and own == name:
        nominal = NOMINAL[cls]
        largest = float(n.components[cls].static.at[name, nominal])
        if largest > 0:
            values = values * float(comp.static.at[own, nominal]) / largest
    return values
