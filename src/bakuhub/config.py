"""Settings: one typed class, read from the environment (prefix ``BAKUHUB_``).

Nothing is read at import time: call :func:`get_settings` (cached) or build
``Settings(...)`` yourself in tests.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "change-me-in-production"
"""The published stand-in key: fine on your own machine, forgeable anywhere else."""


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
        default=SecretStr(DEFAULT_SECRET_KEY),
        description="Secret used to sign session cookies and tokens; set a long random "
        "value in production (the server warns at start while it is unset).",
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
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Server processes of `bakuhub serve` (more than one needs "
        "BAKUHUB_DASK_SCHEDULER: each process would otherwise start its own job cluster).",
    )
    answer_cache_entries: int = Field(
        default=2000,
        ge=0,
        le=100_000,
        description="How many JSON answers of the registry's list and detail endpoints each "
        "server process keeps while the database has not changed (0: keep none).",
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
    login_attempts_per_address: int = Field(
        default=30,
        ge=1,
        description="Failed sign-ins allowed from one address across all user names within "
        "the login window (slows password spraying); further attempts from it are refused.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks (e.g. 10.0.0.2,192.168.1.0/24) of "
        "reverse proxies whose X-Forwarded-For names the client for the sign-in limits. "
        "Empty: the connection's own address is the client; the header is ignored.",
    )
    jobs_per_user: int = Field(
        default=4,
        ge=1,
        le=1000,
        description="Corridor jobs one user may have queued or running at once through the "
        "web and the API; at most one of them at a fine resolution (4,000 snapshots or more, "
        "e.g. hourly or 2h). The command line is not limited.",
    )

    @property
    def effective_database_url(self) -> str:
        """The database URL in force (SQLite under the data directory by default)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'bakuhub.sqlite3').resolve()}"

    @property
    def secret_key_is_default(self) -> bool:
        """Whether sessions would be signed with the published default key (or none)."""
        key = self.secret_key.get_secret_value().strip()
        return key in ("", DEFAULT_SECRET_KEY)

    @property
    def documents_dir(self) -> Path:
        """Where attached documents are stored, by checksum."""
        return self.data_dir / "documents"


def secret_key_warning(settings: Settings) -> str | None:
    """The warning to log at start while the secret key is the default, else None."""
    if not settings.secret_key_is_default:
        return None
    return (
        "BAKUHUB_SECRET_KEY is not set: session cookies are signed with the default key "
        "published in the source, so anyone could forge a sign-in. Fine for trying bakuhub "
        "on your own machine; before anyone else uses this server, set BAKUHUB_SECRET_KEY "
        "to a long random value, e.g. the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()
