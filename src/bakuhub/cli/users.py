"""``bakuhub users``: accounts for the first administrator and beyond."""

from __future__ import annotations

import typer

from bakuhub.cli.common import cli_author, cli_session

app = typer.Typer(
    help="Create accounts, set passwords, roles and API tokens.", no_args_is_help=True
)

ROLES = "administrator, secretariat, focal_point or viewer"
PASSWORD = typer.Option(
    ...,
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="The password (asked for when not given; at least 10 characters, not a common or "
    "repetitive one).",
)


@app.command(help="Create an account (a focal point names its party with --party).")
def create(
    username: str = typer.Argument(..., help="Sign-in name, e.g. a.aliyev"),
    role: str = typer.Option(..., "--role", help=ROLES),
    party: str = typer.Option(None, "--party", help="Ref of a focal point's party (e.g. AZE)."),
    name: str = typer.Option("", "--name", help="Display name."),
    password: str = PASSWORD,
) -> None:
    from bakuhub.accounts.service import create_user

    with cli_session() as session:
        user = create_user(
            session=session,
            username=username,
            password=password,
            role=role,
            party_ref=party,
            display_name=name,
            actor=cli_author(),
        )
        typer.echo(f"user {user.username} created ({user.role})")


@app.command(
    "set-password",
    help="Replace a user's password: ends their sessions, revokes their API tokens and "
    "lifts a sign-in lock.",
)
def set_password(
    username: str = typer.Argument(..., help="Sign-in name"), password: str = PASSWORD
) -> None:
    from bakuhub.accounts.service import set_password as run

    with cli_session() as session:
        run(session=session, username=username, password=password, actor=cli_author())
    typer.echo(
        f"password of {username} changed; their sessions ended, their tokens were revoked "
        "and any sign-in lock lifted"
    )


@app.command(help="Disable an account: its sessions and API tokens stop at once.")
def disable(username: str = typer.Argument(..., help="Sign-in name")) -> None:
    from bakuhub.accounts.admin import set_active

    with cli_session() as session:
        set_active(session=session, username=username, active=False, actor=cli_author())
    typer.echo(f"{username} is disabled")


@app.command(help="Enable a disabled account again (its unrevoked tokens work again).")
def enable(username: str = typer.Argument(..., help="Sign-in name")) -> None:
    from bakuhub.accounts.admin import set_active

    with cli_session() as session:
        set_active(session=session, username=username, active=True, actor=cli_author())
    typer.echo(f"{username} is enabled")


@app.command("revoke-tokens", help="Revoke every API token of a user.")
def revoke_tokens(username: str = typer.Argument(..., help="Sign-in name")) -> None:
    from bakuhub.accounts.admin import revoke_user_tokens

    with cli_session() as session:
        count = revoke_user_tokens(session=session, username=username, actor=cli_author())
    typer.echo(f"{count} token(s) of {username} revoked")


@app.command(
    "set-role",
    help="Change a user's role (a focal point names its party); ends their sessions.",
)
def set_role(
    username: str = typer.Argument(..., help="Sign-in name"),
    role: str = typer.Argument(..., help=ROLES),
    party: str = typer.Option(None, "--party", help="Ref of a focal point's party."),
) -> None:
    from bakuhub.accounts.admin import update_account

    with cli_session() as session:
        user = update_account(
            session=session,
            actor=cli_author(),
            username=username,
            role=role,
            party_ref=party,
            operator=True,
        )
        typer.echo(f"{user.username} is now {user.role}")


@app.command("list", help="List accounts with their roles.")
def list_() -> None:
    from bakuhub.accounts.admin import list_users

    with cli_session() as session:
        for user in list_users(session=session):
            party = f" of {user.party.ref}" if user.party else ""
            state = "" if user.active else " (disabled)"
            typer.echo(f"{user.username}\t{user.role}{party}{state}")


@app.command(help="Create a personal API token for a user (printed once).")
def token(
    username: str = typer.Argument(..., help="Sign-in name"),
    name: str = typer.Option("cli", "--name", help="What the token is for."),
    role: str = typer.Option(None, "--role", help="A lower role to scope the token to."),
) -> None:
    from bakuhub.accounts.service import create_token

    with cli_session() as session:
        _row, clear = create_token(
            session=session, username=username, name=name, role=role, actor=cli_author()
        )
    typer.echo(clear)
