"""A missing optional extra is one sentence that says how to install it, not a traceback."""

from __future__ import annotations

import sys

import pytest

from bakuhub.errors import MissingExtra
from bakuhub.risk import gw


def test_country_converter_is_an_optional_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    gw.converter.cache_clear()
    monkeypatch.setitem(sys.modules, "country_converter", None)  # as if not installed
    try:
        with pytest.raises(MissingExtra) as caught:
            gw.converter()
    finally:
        gw.converter.cache_clear()
    assert caught.value.message.startswith("country_converter is not installed")
    assert "pip install bakuhub[ucdp]" in caught.value.message
    assert caught.value.exit_code == 2


def test_the_shipped_risk_index_needs_no_country_converter() -> None:
    """The default ranking reads the shipped mapping: country_converter is never imported."""
    import subprocess

    code = (
        "import sys; sys.modules['country_converter'] = None\n"
        "sys.argv = ['bakuhub', 'risk', 'rank', '--top', '3']\n"
        "from bakuhub.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "187 ranked" in done.stdout and "SOM" in done.stdout


def test_postgresql_without_psycopg_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from bakuhub.db import make_engine

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    with pytest.raises(MissingExtra) as caught:
        make_engine("postgresql+psycopg://user:pw@127.0.0.1:5432/bakuhub")
    assert caught.value.message.startswith("psycopg is not installed")
    assert "pip install bakuhub[postgres]" in caught.value.message
