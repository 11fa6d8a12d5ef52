"""The ``bakuhub`` command line, run as a user runs it (a real process, SQLite)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

from bakuhub.cli import app


def _bakuhub(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BAKUHUB_DATA_DIR": str(tmp_path / "data")}
    env.pop("BAKUHUB_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bakuhub", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def test_every_command_has_help() -> None:
    root = typer.main.get_command(app)
    paths = _commands(root)
    for expected in [
        ("serve",),
        ("db", "upgrade"),
        ("db", "seed"),
        ("registry", "list"),
        ("registry", "show"),
        ("registry", "import"),
        ("registry", "export"),
    ]:
        assert expected in paths
    runner = CliRunner()
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output


def test_upgrade_seed_list_show_export_import(tmp_path: Path) -> None:
    assert _bakuhub(tmp_path, "db", "upgrade").returncode == 0
    seeded = _bakuhub(tmp_path, "db", "seed", "--demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "created" in seeded.stdout
    listing = _bakuhub(tmp_path, "registry", "list", "projects", "-f", "country=TCD")
    assert "BAKU-HUB-PILOT-TCD" in listing.stdout
    assert "(1 of 1)" in listing.stdout
    shown = _bakuhub(tmp_path, "registry", "show", "agreements", "baku-green-energy-2024")
    assert '"signed": "2024-11-13"' in shown.stdout
    out = tmp_path / "parties.csv"
    assert _bakuhub(tmp_path, "registry", "export", "parties", "-o", str(out)).returncode == 0
    assert out.read_text().startswith("ref,kind,name,iso3")
    again = _bakuhub(tmp_path, "registry", "import", "parties", str(out))
    assert again.returncode == 0, again.stderr
    assert "0 created" in again.stdout


def test_user_mistakes_are_sentences_not_tracebacks(tmp_path: Path) -> None:
    _bakuhub(tmp_path, "db", "upgrade")
    bad = tmp_path / "bad.csv"
    bad.write_text("ref,kind,iso3\nX,country,QQQ\n", encoding="utf-8")
    result = _bakuhub(tmp_path, "registry", "import", "parties", str(bad))
    assert result.returncode == 2
    assert "line 2, column iso3" in result.stderr
    assert "Traceback" not in result.stderr
    missing = _bakuhub(tmp_path, "registry", "show", "projects", "NOPE")
    assert missing.returncode == 3
    assert "There is no project with ref 'NOPE'" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_usage_errors_print_usage_and_exit_2(tmp_path: Path) -> None:
    for args, says in [
        (("nosuchcommand",), "No such command 'nosuchcommand'"),
        (("registry", "list", "nosuchtype"), "'nosuchtype' is not one of"),
        (("registry", "list", "projects", "--limit", "0"), "'--limit'"),
    ]:
        result = _bakuhub(tmp_path, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Usage: bakuhub" in result.stderr
        assert says in result.stderr
        assert "Traceback" not in result.stderr


def test_every_command_group_is_wired() -> None:
    """A group module that fails to import breaks the CLI loudly, never drops a group."""
    root = typer.main.get_command(app)
    groups = {name for name, cmd in root.commands.items() if hasattr(cmd, "commands")}  # type: ignore[attr-defined]
    assert groups == {"db", "registry", "corridor", "risk", "results", "iati", "jobs", "users"}
