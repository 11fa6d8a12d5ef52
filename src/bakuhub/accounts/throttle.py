"""Sign-in limits: per user name and address, and per address across names.

An attempt is written (and committed) *before* the password is checked and deleted
when the password was right, so an attempt the database could not record is never
checked (fail closed), and concurrent attempts cannot slip past the count. The
client's address is the connection's peer; ``X-Forwarded-For`` is read only when the
peer is one of the operator's trusted proxies.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bakuhub.accounts.models import LoginFailure, User
from bakuhub.db import utcnow
from bakuhub.errors import BakuhubError, Busy
from bakuhub.i18n import N_, _, ngettext

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Throttled(BakuhubError):
    """Too many failed sign-ins (HTTP 429)."""

    status_code = 429
    exit_code = 5


@dataclass(frozen=True)
class Limits:
    """Attempts allowed within ``window_s`` seconds: per name and address, per address."""

    per_name: int
    per_address: int
    window_s: int


def _networks(trusted: str) -> list[Network]:
    found: list[Network] = []
    for part in trusted.split(","):
        if part.strip():
            try:
                found.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                continue
    return found


def _trusted(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(peer: str | None, forwarded_for: str | None, trusted: str) -> str:
    """The address a sign-in is counted under.

    The connection's peer, unless it is a trusted proxy: then the right-most address
    of ``X-Forwarded-For`` that is not itself a trusted proxy (the left part of the
    header is written by the client and cannot be believed).
    """
    address = peer or "unknown"
    networks = _networks(trusted)
    if not forwarded_for or not _trusted(address, networks):
        return address[:64]
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        address = hop
        if not _trusted(hop, networks):
            break
    return address[:64]


def _count(session: Session, since: dt.datetime, address: str, username: str | None) -> int:
    stmt = select(func.count()).where(LoginFailure.address == address, LoginFailure.at >= since)
    if username is not None:
        stmt = stmt.where(LoginFailure.username == username)
    return int(session.scalar(stmt) or 0)


def _check(session: Session, username: str, address: str, limits: Limits, slack: int) -> None:
    """Throttled when the counts exceed the limits (``slack``: this attempt's own row)."""
    since = utcnow() - dt.timedelta(seconds=limits.window_s)
    minutes = max(1, round(limits.window_s / 60))
    if _count(session, since, address, username) >= limits.per_name + slack:
        raise Throttled(
            ngettext(
                "Too many failed sign-ins for '{username}'; wait {minutes} minute and try "
                "again, or ask an administrator to reset your password (that lifts the lock).",
                "Too many failed sign-ins for '{username}'; wait {minutes} minutes and try "
                "again, or ask an administrator to reset your password (that lifts the lock).",
                minutes,
            ).format(username=username, minutes=minutes)
        )
    if _count(session, since, address, None) >= limits.per_address + slack:
        raise Throttled(
            ngettext(
                "Too many failed sign-ins from your address, across user names; wait "
                "{minutes} minute and try again.",
                "Too many failed sign-ins from your address, across user names; wait "
                "{minutes} minutes and try again.",
                minutes,
            ).format(minutes=minutes)
        )


BUSY = N_(
    "The database is busy, so this sign-in attempt could not be recorded and the "
    "password was not checked; try again in a moment."
)
"""Translated where raised (``_(BUSY)``)."""


def _commit(session: Session) -> None:
    try:
        session.commit()
    except OperationalError:
        session.rollback()
        raise Busy(_(BUSY)) from None


def record_attempt(*, session: Session, username: str, address: str, limits: Limits) -> None:
    """Count an attempt before its password is checked (Throttled or Busy instead)."""
    name = username.lower()[:80]
    try:
        _check(session, name, address, limits, slack=0)
        session.add(LoginFailure(key=f"{name}|{address}"[:200], username=name, address=address))
        session.commit()
        _check(session, name, address, limits, slack=1)  # concurrent attempts counted too
    except OperationalError:
        session.rollback()
        raise Busy(_(BUSY)) from None


def forget_attempts(*, session: Session, username: str, address: str) -> None:
    """After a right password: the attempts for this name from this address are cleared."""
    name = username.lower()[:80]
    session.execute(
        delete(LoginFailure).where(LoginFailure.username == name, LoginFailure.address == address)
    )
    _commit(session)


def lift_lockout(*, session: Session, user: User) -> None:
    """Forget every failed sign-in for a user's name (a password reset does this)."""
    name = user.username.lower()[:80]
    session.execute(
        delete(LoginFailure).where(
            (LoginFailure.username == name) | LoginFailure.key.startswith(f"{name}|")
        )
    )
    session.flush()
