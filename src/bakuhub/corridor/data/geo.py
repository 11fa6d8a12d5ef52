"""Great-circle distances and routed cable lengths."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), km."""


def great_circle_km(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    """Great-circle distance between two WGS84 points, km (haversine formula).

    Parameters
    ----------
    lat0, lon0, lat1, lon1
        Latitudes and longitudes in decimal degrees.

    Returns
    -------
    float
        ``d = 2 R asin( sqrt( sin^2(dphi/2) + cos(phi0) cos(phi1) sin^2(dlambda/2) ) )``
        with ``R = 6371.0088 km``.
    """
    phi0, phi1 = math.radians(lat0), math.radians(lat1)
    dphi = phi1 - phi0
    dlam = math.radians(lon1 - lon0)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi0) * math.cos(phi1) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def routed_length_km(great_circle: float, routing_factor: float) -> float:
    """Cable route length, km: ``L = f * d_gc`` with a stated routing factor ``f >= 1``."""
    if routing_factor < 1:
        raise ValueError("a routing factor below 1 would make the route shorter than the chord")
    return great_circle * routing_factor
