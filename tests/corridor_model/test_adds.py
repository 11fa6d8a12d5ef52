"""A batched build gives the network that single adds give, in the same order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from bakuhub.corridor.adds import Batch

PROFILES = {"b": np.array([0.5, 0.2, 0.0]), "d": np.array([0.1, 0.9, 0.3])}


def _rows() -> list[tuple[str, str, dict[str, object]]]:
    rows: list[tuple[str, str, dict[str, object]]] = [("Bus", "x", {"carrier": "AC"})]
    for name in "abcde":  # generators with and without a time series, interleaved
        attrs: dict[str, object] = {"bus": "x", "p_nom": float(ord(name)), "carrier": "gas"}
        if name in PROFILES:
            attrs = {**attrs, "p_max_pu": PROFILES[name], "carrier": "solar"}
        rows.append(("Generator", name, attrs))
    rows.append(("Load", "l", {"bus": "x", "p_set": np.array([1.0, 2.0, 3.0])}))
    rows.append(("Generator", "f", {"bus": "x", "marginal_cost": 9.0}))
    return rows


def _network() -> pypsa.Network:
    n = pypsa.Network()
    n.set_snapshots(range(3))
    return n


def test_a_batch_builds_the_network_single_adds_build() -> None:
    single, batched = _network(), _network()
    for class_name, name, attrs in _rows():
        single.add(class_name, name, **attrs)
    with Batch(batched) as batch:
        for class_name, name, attrs in _rows():
            batch.add(class_name, name, **attrs)
    assert list(batched.generators.index) == list("abcdef")
    for class_name in ("Bus", "Generator", "Load"):
        one, other = single.components[class_name], batched.components[class_name]
        pd.testing.assert_frame_equal(one.static, other.static)
        for attr, frame in one.dynamic.items():
            pd.testing.assert_frame_equal(frame, other.dynamic[attr], check_freq=False)
    assert list(batched.generators_t.p_max_pu.columns) == ["b", "d"]


def test_nothing_is_added_when_the_builder_fails() -> None:
    n = _network()
    try:
        with Batch(n) as batch:
            batch.add("Bus", "x")
            raise ValueError("a builder's error")
    except ValueError:
        pass
    assert n.buses.empty
