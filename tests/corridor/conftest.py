"""Fixtures for the corridor data tests (``shared_data`` comes from tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

AGORA_INPUT = Path("agora-central-asia/centralasia/input/global_input")


@pytest.fixture(scope="session")
def agora_real(shared_data: Path) -> pd.DataFrame:
    """The real Agora availability, UTC, renamed to the shipped series names."""
    from bakuhub.corridor.data.loaders import read_agora_availability
    from bakuhub.corridor.data.weather import PROFILE_TECH
    from bakuhub.corridor.datasets import read_table

    real = read_agora_availability(shared_data / AGORA_INPUT / "availability.csv")
    columns = {}
    for node in read_table("nodes.csv").itertuples():
        for code, carrier in PROFILE_TECH.items():
            key = f"{node.agora_node}|{code}"
            if isinstance(node.agora_node, str) and key in real.columns:
                columns[f"{node.node}|{carrier}"] = real[key]
    return pd.DataFrame(columns)
