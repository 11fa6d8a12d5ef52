"""Modelled hourly availability where no open measured series exists (AZ, GE, RO).

Everything here is *modelled, not measured*: a clear-sky PV profile scaled to a cited
annual irradiation, and a synthetic wind speed pushed through a real turbine power curve and
scaled to a cited annual mean speed or capacity factor. The shipped series say so in their
``kind`` column.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import numpy as np

from bakuhub.corridor.data import assumptions
from bakuhub.corridor.data.loaders import hourly_index_utc
from bakuhub.errors import MissingExtra as MissingExtra
from bakuhub.errors import optional_import

if TYPE_CHECKING:
    from types import ModuleType


def optional(module: str) -> ModuleType:
    """Import ``module`` of the ``data-build`` extra (pvlib, windpowerlib), or say how to get it."""
    return optional_import(
        module,
        extra="data-build",
        needed_for="to model the Azerbaijan, Georgia and Romania profiles when the corridor "
        "data are built from upstream files (and for weather.source 'agora')",
    )


def pv_clearsky_availability(lat: float, lon: float, ghi_kwh_m2: float) -> np.ndarray:
    """Hourly PV availability (p.u. of DC peak), clear sky scaled to a cited annual GHI.

    Parameters
    ----------
    lat, lon
        Site, decimal degrees.
    ghi_kwh_m2
        Cited long-term annual global horizontal irradiation, kWh/m2.

    Returns
    -------
    numpy.ndarray
        8,760 values in [0, 1]:
        ``a_t = min(1, POA_t(s * GHI_cs, s * DNI_cs, s * DHI_cs) / 1000 W/m2 * (1 - L))``
        with clear-sky irradiance from pvlib's Ineichen model and its Linke turbidity
        climatology, evaluated at mid-hour; ``s = GHI_cited / sum_t GHI_cs`` (capped at 1)
        a uniform cloud derating; plane tilted 30 deg facing south; ``L`` the Global Solar
        Atlas system losses (3.5 % soiling, 7.5 % other). Temperature losses are ignored.
    """
    import pandas as pd

    pvlib = optional("pvlib")

    times = hourly_index_utc() + pd.Timedelta(minutes=30)
    site = pvlib.location.Location(lat, lon, tz="UTC", altitude=0.0)
    clear = site.get_clearsky(times, model="ineichen")
    scale = min(1.0, ghi_kwh_m2 * 1000.0 / float(clear["ghi"].sum()))
    sun = site.get_solarposition(times)
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=assumptions.PV_TILT_DEG,
        surface_azimuth=180.0,
        solar_zenith=sun["apparent_zenith"],
        solar_azimuth=sun["azimuth"],
        dni=clear["dni"] * scale,
        ghi=clear["ghi"] * scale,
        dhi=clear["dhi"] * scale,
    )
    out = poa["poa_global"].fillna(0.0).to_numpy() / 1000.0 * assumptions.PV_SYSTEM_LOSSES
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=float)


def synthetic_uniform(seed: int, n: int = 8760) -> np.ndarray:
    """Uniform(0, 1) values with AR(1) persistence, from a fixed seed.

    ``z_0 ~ N(0,1)``, ``z_t = rho z_(t-1) + sqrt(1 - rho^2) e_t``, ``u_t = Phi(z_t)``, with
    ``rho`` = ``assumptions.WIND_HOURLY_AUTOCORR`` and ``Phi`` the standard normal CDF.
    """
    from scipy.special import ndtr

    rng = np.random.default_rng(seed)
    eps = rng.standard_normal(n)
    rho = assumptions.WIND_HOURLY_AUTOCORR
    z = np.empty(n)
    z[0] = eps[0]
    innovation = math.sqrt(1.0 - rho * rho)
    for t in range(1, n):
        z[t] = rho * z[t - 1] + innovation * eps[t]
    return np.asarray(ndtr(z), dtype=float)


def turbine_curve() -> tuple[np.ndarray, np.ndarray]:
    """Power curve of the reference turbine: wind speeds (m/s) and output (p.u. of rated).

    windpowerlib reads its turbine library (CSV files) on every ``WindTurbine``; the curve
    is read once a process (the calibration calls it about 180 times a weather year)."""
    optional("windpowerlib")  # says how to install it, cached curve or not
    speeds, values = _turbine_curve()
    return speeds.copy(), values.copy()


@functools.lru_cache(maxsize=1)
def _turbine_curve() -> tuple[np.ndarray, np.ndarray]:
    wind_turbine = optional("windpowerlib").WindTurbine

    turbine = wind_turbine(turbine_type=assumptions.WIND_TURBINE, hub_height=117.0)
    curve = turbine.power_curve
    speeds = curve["wind_speed"].to_numpy(dtype=float)
    values = curve["value"].to_numpy(dtype=float) / float(turbine.nominal_power)
    return speeds, np.clip(values, 0.0, 1.0)


def wind_availability(uniform: np.ndarray, weibull_scale: float) -> np.ndarray:
    """Availability (p.u.) from Weibull wind speeds through the turbine power curve.

    ``v_t = lambda (-ln(1 - u_t))^(1/k)`` (Weibull quantile, k = 2), then
    ``a_t = P(v_t) / P_rated`` by windpowerlib's power-curve interpolation (zero above
    cut-out).
    """
    import pandas as pd

    power_curve = optional("windpowerlib.power_output").power_curve

    speeds, values = turbine_curve()
    u = np.clip(uniform, 1e-12, 1.0 - 1e-12)
    v = weibull_scale * (-np.log1p(-u)) ** (1.0 / assumptions.WIND_WEIBULL_SHAPE)
    out = power_curve(pd.Series(v), pd.Series(speeds), pd.Series(values))
    return np.asarray(np.clip(np.asarray(out, dtype=float), 0.0, 1.0), dtype=float)


def weibull_scale_for(target: float, kind: str, uniform: np.ndarray) -> float:
    """Weibull scale ``lambda`` (m/s) meeting a cited mean wind speed or capacity factor.

    Mean speed: ``lambda = v_mean / Gamma(1 + 1/k)``. Capacity factor: bisection on
    ``lambda`` in [2, 20] m/s until ``mean_t a_t(lambda)`` equals the target within 1e-6.
    """
    if kind == "mean_speed_ms":
        return target / math.gamma(1.0 + 1.0 / assumptions.WIND_WEIBULL_SHAPE)
    if kind != "capacity_factor":
        raise ValueError(f"unknown wind target kind {kind!r}")
    lo, hi = 2.0, 20.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if float(wind_availability(uniform, mid).mean()) < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def modelled_series() -> dict[str, np.ndarray]:
    """Hourly modelled availability per series id (``NODE|solar``, ``NODE|onwind``), UTC."""
    nodes = {n.node: n for n in assumptions.NODES}
    out: dict[str, np.ndarray] = {}
    for i, site in enumerate(assumptions.MODELLED_SITES):
        node = nodes[site.node]
        out[f"{site.node}|solar"] = pv_clearsky_availability(node.lat, node.lon, site.ghi_kwh_m2)
        uniform = synthetic_uniform(assumptions.MODELLED_SEED + i)
        scale = weibull_scale_for(site.wind_target, site.wind_target_kind, uniform)
        out[f"{site.node}|onwind"] = wind_availability(uniform, scale)
    return out
