"""Tables of accounts: users, personal API tokens, login failures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bakuhub.db import Base, utcnow
from bakuhub.registry.models import Party


class User(Base):
    """A person who signs in; ``party`` is set for focal points."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Bumped to end every session of the user (sign-out, password change, disabling)."""
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    """The language the user chose for the pages ('' = the browser's preference)."""
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    party: Mapped[Party | None] = relationship(lazy="joined")


class ApiToken(Base):
    """A personal API token; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(lazy="joined")


class LoginFailure(Base):
    """A sign-in attempt not (yet) successful, counted by the login rate limits.

    Written before the password is checked, deleted when it was right.
    """

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    username: Mapped[str] = mapped_column(String(80), default="", server_default="", index=True)
    address: Mapped[str] = mapped_column(String(64), default="", server_default="", index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
