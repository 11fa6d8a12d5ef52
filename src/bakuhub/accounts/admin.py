"""Account administration: create accounts, change a role or party, set a password,
disable and enable, revoke tokens; always keeping one active administrator.

Used by the pages, the JSON API and ``bakuhub users``; every change is audited
(``record_type`` ``users``). Every problem with an input is reported at once, one
``InvalidInput.details`` row per field (``loc``: ``[field]``), so a form shows each
beside its field.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bakuhub.accounts.models import ApiToken, User
from bakuhub.accounts.passwords import MIN_PASSWORD, weakness
from bakuhub.accounts.permissions import RANK, Forbidden, Role, role_names
from bakuhub.accounts.service import (
    USERNAME,
    account_view,
    audit_account,
    create_user,
    end_sessions,
    fetch_user,
    revoke_all_tokens,
    set_password,
)
from bakuhub.audit import service as audit
from bakuhub.errors import Conflict, InvalidInput
from bakuhub.i18n import N_, _
from bakuhub.registry.models import Party

MAX_PASSWORD = 256
"""Longest password accepted (a passphrase fits; argon2 hashes any length)."""
MAX_DISPLAY_NAME = 200
FIELDS = {
    "username": N_("username"),
    "display_name": N_("display name"),
    "role": N_("role"),
    "party": N_("party"),
    "password": N_("password"),
    "confirm": N_("confirm"),
}
"""The fields of an account form, as a refusal names them (translated when raised)."""


class Keep:
    """The party is kept as it is (when the role stays focal point)."""


KEEP = Keep()
Problems = dict[str, str]


def _refuse(problems: Problems, *, conflict: bool = False) -> NoReturn:
    details = [{"loc": [name], "msg": text} for name, text in problems.items()]
    message = " ".join(
        _("{field}: {problem}").format(field=_(FIELDS.get(name, name)), problem=text)
        for name, text in problems.items()
    )
    raise (Conflict if conflict else InvalidInput)(message, details=details)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _check_username(session: Session, username: str, problems: Problems) -> bool:
    """Note a problem with a new user name; whether the name is taken."""
    if not username:
        problems["username"] = _("Type a user name: 2 to 80 letters, digits or . _ @ -.")
    elif not USERNAME.match(username):
        problems["username"] = _(
            "'{username}' cannot be a user name; use 2 to 80 letters, digits or "
            ". _ @ -, starting with a letter or digit."
        ).format(username=_short(username))
    elif session.scalar(select(User.id).where(User.username == username)) is not None:
        problems["username"] = _(
            "There is already an account '{username}'; choose another name."
        ).format(username=username)
        return True
    return False


def _check_role(role: str, problems: Problems) -> Role | None:
    try:
        return Role(role)
    except ValueError:
        problems["role"] = _("'{role}' is not a role; choose one of {roles}.").format(
            role=_short(role), roles=role_names()
        )
        return None


def _check_party(
    session: Session, role: Role | None, party_ref: str | None, problems: Problems
) -> int | None:
    """The id of a focal point's party (None for other roles), noting any problem."""
    if role is None:
        return None
    if role != Role.focal_point:
        if party_ref:
            problems["party"] = _(
                "Only a focal point acts for a party; leave the party empty, or choose the "
                "role focal point."
            )
        return None
    if not party_ref:
        problems["party"] = _(
            "A focal point needs the ref of its party; choose the party it acts for "
            "(e.g. TCD for Chad)."
        )
        return None
    found = session.scalar(select(Party.id).where(Party.ref == party_ref[:100]))
    if found is None:
        problems["party"] = _("There is no party '{ref}'; choose one from the list.").format(
            ref=_short(party_ref)
        )
    return found


def _check_password(password: str, username: str, confirm: str | None, problems: Problems) -> None:
    if len(password) > MAX_PASSWORD:
        why: str | None = _("it has {count} characters; use at most {maximum}").format(
            count=len(password), maximum=MAX_PASSWORD
        )
    else:
        why = weakness(password, username, own=False)
    if why is not None:
        problems["password"] = _(
            "This password is refused: {why}. Choose another of at least {minimum} "
            "characters, e.g. a few unrelated words."
        ).format(why=why, minimum=MIN_PASSWORD)
    elif confirm is not None and confirm != password:
        problems["confirm"] = _("The two passwords differ; type the same password twice.")


def _check_display_name(display_name: str, problems: Problems) -> None:
    if len(display_name) > MAX_DISPLAY_NAME:
        problems["display_name"] = _(
            "It has {count} characters; shorten it to {maximum} at most."
        ).format(count=len(display_name), maximum=MAX_DISPLAY_NAME)


def _no_token(via_token: bool, what: str) -> None:
    """Forbidden through an API token; ``what`` (marked with ``N_``) is translated here."""
    if via_token:
        raise Forbidden(
            _(
                "An API token cannot {what} (a leaked token could otherwise hand out access "
                "that outlives it); sign in with your password to do it."
            ).format(what=_(what))
        )


def create_account(
    *,
    session: Session,
    actor: str,
    username: str,
    password: str,
    role: str,
    party_ref: str | None = None,
    display_name: str = "",
    confirm: str | None = None,
    via_token: bool = False,
) -> User:
    """An administrator creates an account with an initial password (every problem at once).

    ``confirm`` (the password typed again) is checked when given; a name already taken
    alone is a Conflict (409). Never through an API token.
    """
    _no_token(via_token, N_("create accounts"))
    problems: Problems = {}
    taken = _check_username(session, username, problems)
    checked = _check_role(role, problems)
    _check_party(session, checked, party_ref, problems)
    _check_password(password, username, confirm, problems)
    _check_display_name(display_name, problems)
    if problems:
        _refuse(problems, conflict=taken and len(problems) == 1)
    return create_user(
        session=session,
        username=username,
        password=password,
        role=role,
        party_ref=party_ref or None,
        display_name=display_name,
        actor=actor,
    )


def keep_an_administrator(*, session: Session, user: User) -> None:
    """Conflict when ``user`` is the last active administrator (about to lose the role).

    The active administrators' rows are locked first (PostgreSQL), so two
    administrators demoting or disabling each other at once cannot both succeed.
    """
    if user.role != Role.administrator.value or not user.active:
        return
    stmt = select(User.id).where(User.role == Role.administrator.value, User.active.is_(True))
    others = [uid for uid in session.scalars(stmt.with_for_update()) if uid != user.id]
    if not others:
        raise Conflict(
            _(
                "{username} is the last active administrator; make another account "
                "administrator first, so that someone can still manage accounts."
            ).format(username=user.username)
        )


def _gives_rights(user: User, role: Role, party_id: int | None) -> bool:
    """Whether the change raises the role or hands over another party."""
    higher = RANK[role] > RANK[Role(user.role)]
    return higher or (party_id is not None and party_id != user.party_id)


def update_account(
    *,
    session: Session,
    actor: str,
    username: str,
    role: str | None = None,
    party_ref: str | Keep | None = KEEP,
    display_name: str | None = None,
    via_token: bool = False,
    operator: bool = False,
) -> User:
    """Change an account's role, party (focal points) or display name.

    A role or party change ends the user's sessions (their tokens go on, acting with
    the lower of the token's and the new role). An administrator cannot change their
    own role or party, a token cannot raise a role or hand over a party, and the last
    active administrator keeps the role, unless ``operator`` (the command line, which
    can always create another administrator).
    """
    user = fetch_user(session, username)
    before = account_view(user)
    problems: Problems = {}
    new_role = Role(user.role) if role is None else _check_role(role, problems)
    if isinstance(party_ref, Keep):
        party_ref = user.party.ref if user.party and new_role == Role.focal_point else None
    party_id = _check_party(session, new_role, party_ref, problems)
    if display_name is not None:
        _check_display_name(display_name, problems)
    if problems or new_role is None:
        _refuse(problems)
    if new_role.value != user.role or party_id != user.party_id:
        if user.username == actor:
            raise Conflict(
                _("You cannot change your own role or party; ask another administrator to do it.")
            )
        if via_token and _gives_rights(user, new_role, party_id):
            _no_token(True, N_("raise a role or give an account another party"))
        if new_role != Role.administrator and not operator:
            keep_an_administrator(session=session, user=user)
        user.role, user.party_id = new_role.value, party_id
        end_sessions(user)
    if display_name is not None:
        user.display_name = display_name or user.username
    session.flush()
    session.expire(user, ["party"])
    after = account_view(user)
    if after != before:
        audit.record(
            session=session,
            actor=actor,
            action="update",
            record_type="users",
            record_ref=user.username,
            before=before,
            after=after,
        )
    return user


def reset_password(
    *,
    session: Session,
    actor: str,
    username: str,
    password: str,
    confirm: str | None = None,
    via_token: bool = False,
) -> int:
    """An administrator sets another user's password; how many of their tokens were revoked.

    Ends their sessions, revokes their tokens and lifts a sign-in lock (as
    ``bakuhub users set-password``). One's own password is changed on /account, which
    asks for the current one.
    """
    _no_token(via_token, N_("set passwords"))
    user = fetch_user(session, username)
    if user.username == actor:
        raise Conflict(
            _(
                "Change your own password on your account page (/account); it asks for the "
                "current one."
            )
        )
    problems: Problems = {}
    _check_password(password, username, confirm, problems)
    if problems:
        _refuse(problems)
    live = live_token_counts(session=session).get(user.id, 0)
    set_password(session=session, username=username, password=password, actor=actor)
    return live


def set_active(*, session: Session, username: str, active: bool, actor: str) -> User:
    """Enable or disable an account; a disabled one's sessions and tokens stop at once."""
    user = fetch_user(session, username)
    if not active and user.username == actor:
        raise Conflict(
            _("You cannot disable your own account; ask another administrator to do it.")
        )
    if not active:
        keep_an_administrator(session=session, user=user)
        end_sessions(user)
    user.active = active
    audit_account(session, actor, "enable" if active else "disable", user, {})
    session.flush()
    return user


def revoke_user_tokens(*, session: Session, username: str, actor: str) -> int:
    """An administrator revokes every token of a user; how many were live."""
    user = fetch_user(session, username)
    count = revoke_all_tokens(session=session, user=user)
    audit_account(session, actor, "revoke tokens", user, {"tokens_revoked": count})
    session.flush()
    return count


def list_users(*, session: Session) -> list[User]:
    """Every account, by name."""
    return list(session.scalars(select(User).order_by(User.username)))


def live_token_counts(*, session: Session) -> dict[int, int]:
    """Tokens not revoked, per user id."""
    stmt = (
        select(ApiToken.user_id, func.count())
        .where(ApiToken.revoked.is_(False))
        .group_by(ApiToken.user_id)
    )
    return {int(uid): int(n) for uid, n in session.execute(stmt)}


def party_choices(*, session: Session) -> list[tuple[str, str]]:
    """(ref, name) of every party, by name: what a focal point may act for."""
    rows = session.execute(select(Party.ref, Party.name).order_by(Party.name, Party.ref))
    return [(str(ref), str(name)) for ref, name in rows]
