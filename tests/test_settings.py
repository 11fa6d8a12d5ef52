"""Settings: typed, read from BAKUHUB_* variables, every one documented in the README."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bakuhub.config import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_described_and_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"
        assert f"BAKUHUB_{name.upper()}" in readme, f"BAKUHUB_{name.upper()} is not in README.md"


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BAKUHUB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BAKUHUB_PORT", "8123")
    settings = Settings()
    assert settings.port == 8123
    assert settings.effective_database_url == f"sqlite:///{tmp_path.resolve()}/bakuhub.sqlite3"
    monkeypatch.setenv("BAKUHUB_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert Settings().effective_database_url == "postgresql+psycopg://u@h/db"


def test_a_bad_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAKUHUB_PORT", "not-a-port")
    with pytest.raises(ValueError, match="port"):
        Settings()


def test_the_default_secret_key_is_warned_about_at_start(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    from bakuhub.web.app import create_app

    with caplog.at_level(logging.WARNING, logger="bakuhub"):
        create_app(Settings(data_dir=tmp_path))
    (warning,) = [r for r in caplog.records if "SECRET_KEY" in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert "set BAKUHUB_SECRET_KEY to a long random value" in warning.getMessage()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bakuhub"):
        create_app(Settings(data_dir=tmp_path, secret_key="x" * 40))
    assert not [r for r in caplog.records if "SECRET_KEY" in r.getMessage()]
    assert Settings(secret_key="  ").secret_key_is_default  # blank is no key either
