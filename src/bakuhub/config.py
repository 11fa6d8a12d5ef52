"""Settings: one typed class, read from the environment (prefix ``BAKUHUB_``).

Nothing is read at import time: call :func:`get_settings` (cached) or build
``Settings(...)`` yourself in tests.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of bakuhub; each field's description is its documentation."""

    model_config = SettingsConfigDict(env_prefix="BAKUHUB_", env_file=None, extra="ignore")

    data_dir: Path = Field(
        default=Path("var"),
        description="Directory for the embedded SQLite database, uploaded documents and "
        "study outputs; created on first start.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy database URL, e.g. postgresql+psycopg://user:pw@host/db. "
        "Empty: SQLite file bakuhub.sqlite3 inside the data directory.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port of the web server.")
    secret_key: SecretStr = Field(
        default=SecretStr("change-me-in-production"),
        description="Secret used to sign session cookies and tokens; set a long random "
        "value in production.",
    )
    seed_demo: bool = Field(
        default=True,
        description="Load the demo record (public COP29 facts) on first start when the "
        "database is empty.",
    )
    reference_study: bool = Field(
        default=True,
        description="Solve the reference corridor study (reference-2030) in the background "
        "on first start, into <data dir>/studies.",
    )
    page_size_max: int = Field(
        default=500, ge=1, description="Largest page size a list endpoint accepts."
    )
    log_level: str = Field(default="info", description="Log level of the server.")
    dask_scheduler: str | None = Field(
        default=None,
        description="Address of a Dask scheduler that runs jobs and sweeps, e.g. "
        "tcp://10.0.0.5:8786 (its workers need bakuhub and the same database and data "
        "directory). Empty: an in-process local Dask cluster, started on the first job.",
    )
    session_max_age: int = Field(
        default=8 * 3600,
        ge=60,
        description="Seconds a sign-in lasts before the browser must sign in again.",
    )
    cookie_secure: bool = Field(
        default=True,
        description="Send the session cookie only over HTTPS (browsers also accept it on "
        "http://127.0.0.1 and http://localhost); set false only for plain-HTTP testing.",
    )
    login_attempts: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins allowed per user name and address within the login "
        "window; further attempts are refused until the window has passed.",
    )
    login_window: int = Field(
        default=900, ge=1, description="Length of the login rate-limit window, in seconds."
    )

    @property
    def effective_database_url(self) -> str:
        """The database URL in force (SQLite under the data directory by default)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'bakuhub.sqlite3').resolve()}"

    @property
    def documents_dir(self) -> Path:
        """Where attached documents are stored, by checksum."""
        return self.data_dir / "documents"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()
