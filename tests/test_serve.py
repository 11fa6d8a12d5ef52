"""`bakuhub serve` on a fresh data directory: creates, migrates, seeds and serves."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_first_start_serves_the_demo_record(tmp_path: Path) -> None:
    port = _free_port()
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
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "server did not start within 60 s"
            time.sleep(0.2)
        projects = httpx.get(f"{base}/api/v1/projects").json()
        assert projects["total"] == 4
        assert "CASPIAN-LINK-FEASIBILITY" in {p["ref"] for p in projects["items"]}
        assert (tmp_path / "fresh" / "bakuhub.sqlite3").is_file()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    output = proc.stdout.read() if proc.stdout else ""
    assert "BAKUHUB_SECRET_KEY is not set" in output, output
