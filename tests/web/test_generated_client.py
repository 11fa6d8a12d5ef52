"""A Python client generated from the API's OpenAPI description (openapi-python-client,
in the tool environment ``make`` builds: ``.venv-tools``), used against a live server
without hand edits: the main flows of the registry, paging, an update with ``null``, a
stale version, a 404 and a 422, each answer parsed into the generated models."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bakuhub.config import Settings
from bakuhub.testing.servers import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(os.environ.get("BAKUHUB_TOOLS_VENV", ROOT / ".venv-tools"))
WALK = Path(__file__).with_name("generated_client_walk.py")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """A live server with an administrator's token, and its OpenAPI document on disk."""
    from bakuhub.accounts.service import create_token, create_user
    from bakuhub.db import make_engine, make_sessionmaker, session_scope
    from bakuhub.startup import prepare
    from bakuhub.web.app import create_app

    if not (TOOLS / "bin" / "openapi-python-client").exists():
        pytest.skip(f"no tool environment at {TOOLS}: run make install (make test makes it)")
    root = tmp_path_factory.mktemp("generated-client")
    settings = Settings(data_dir=root / "data", seed_demo=False, reference_study=False)
    prepare(settings)
    engine = make_engine(settings.effective_database_url)
    with session_scope(make_sessionmaker(engine)) as session:
        create_user(
            session=session, username="sec", password="a long passphrase 1", role="administrator"
        )
        _row, token = create_token(session=session, username="sec", name="client")
    engine.dispose()
    app = create_app(settings)
    spec = root / "openapi.json"
    spec.write_text(json.dumps(app.openapi()), encoding="utf-8")
    with serve_in_thread(app, stop_timeout=10) as base:
        yield base, token, spec


def test_a_client_generated_from_the_openapi_walks_the_main_flows(
    live: tuple[str, str, Path], tmp_path: Path
) -> None:
    base, token, spec = live
    folder = tmp_path / "client"
    made = subprocess.run(
        [
            str(TOOLS / "bin" / "openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(folder / "bakuhub_client"),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    # the operations a partner walks are generated (file downloads are left out with a
    # warning: binary answers; the JSON operations are all there)
    api = folder / "bakuhub_client" / "api"
    assert {p.stem for p in (api / "projects").glob("*.py")} >= {
        "create_project",
        "get_project",
        "list_projects",
        "update_project",
        "delete_project",
    }
    walked = subprocess.run(
        [str(TOOLS / "bin" / "python"), str(WALK), base, token, str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert walked.returncode == 0 and walked.stdout.strip() == "walked", (
        walked.stdout + walked.stderr
    )
