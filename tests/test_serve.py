"""`bakuhub serve` on a fresh data directory: creates, migrates, seeds and serves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from bakuhub import testing


def test_first_start_serves_the_demo_record(tmp_path: Path) -> None:
    port = testing.free_port()
    env = {
        **os.environ,
        "BAKUHUB_DATA_DIR": str(tmp_path / "fresh"),
        "BAKUHUB_PORT": str(port),
        "BAKUHUB_REFERENCE_STUDY": "false",
    }  # the corridor tests cover the study
    env.pop("BAKUHUB_DATABASE_URL", None)
    env.pop("BAKUHUB_SECRET_KEY", None)  # a fresh machine: starts, and warns
    proc = subprocess.Popen(
        [sys.executable, "-m", "bakuhub", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        testing.wait_until_healthy(base, timeout=60, process=proc)
        projects = httpx.get(f"{base}/api/v1/projects").json()
        assert projects["total"] == 4
        assert "CASPIAN-LINK-FEASIBILITY" in {p["ref"] for p in projects["items"]}
        assert (tmp_path / "fresh" / "bakuhub.sqlite3").is_file()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    output = proc.stdout.read() if proc.stdout else ""
    assert "BAKUHUB_SECRET_KEY is not set" in output, output
