"""The docs stay true: every module is in docs/architecture.md, every README command exists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

from bakuhub.cli import app

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE = REPO_ROOT / "src" / "bakuhub"


def _modules() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(("migrations/versions/", "datasets/")) or "__pycache__" in rel:
            continue
        if path.name == "__init__.py" and path.stat().st_size < 400:
            continue  # a package marker with a docstring, not a module of its own
        found.append(rel)
    return found


def test_every_module_is_in_the_architecture_doc() -> None:
    text = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [rel for rel in _modules() if f"`{rel}`" not in text]
    assert not missing, f"docs/architecture.md does not name these modules: {missing}"


def _readme_commands() -> list[list[str]]:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith(("bakuhub ", ".venv/bin/bakuhub ")):
                commands.append(line.split()[1:])
    return commands


def _command_path(root: Any, words: list[str]) -> list[str]:
    path: list[str] = []
    group = root
    for word in words:
        commands = getattr(group, "commands", None)
        if not commands or word not in commands:
            break
        path.append(word)
        group = commands[word]
    return path


def test_every_readme_command_exists_and_has_help() -> None:
    root = typer.main.get_command(app)
    commands = _readme_commands()
    assert len(commands) >= 20, commands
    runner = CliRunner()
    for words in commands:
        path = _command_path(root, words)
        assert path, f"README command 'bakuhub {' '.join(words)}' is not a bakuhub command"
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output
