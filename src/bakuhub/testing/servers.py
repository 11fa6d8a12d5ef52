"""Live servers for tests: a free port, the app under uvicorn in a thread, a health wait.

uvicorn and httpx are imported on call, so importing ``bakuhub.testing`` stays light.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bakuhub.testing.payloads import API

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the system picks it; bind it soon)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_in_thread(
    app: Any, *, start_timeout: float = 30.0, stop_timeout: float = 30.0
) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a daemon thread on 127.0.0.1: its base URL.

    Waits until the server has started (``AssertionError`` after ``start_timeout`` s or
    when the thread dies); on exit asks it to stop and asserts the thread ended within
    ``stop_timeout`` s (a stuck event loop never stops).
    """
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        app,
        host=HOST,
        port=port,
        log_level="warning",
        proxy_headers=False,  # as `bakuhub serve`: X-Forwarded-For is not the client
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() >= deadline:
            raise AssertionError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=stop_timeout)
        if thread.is_alive():
            raise AssertionError("the server did not stop when asked (event loop stuck)")


def wait_until_healthy(
    base_url: str,
    *,
    timeout: float,
    process: subprocess.Popen[Any] | None = None,
    interval: float = 0.2,
) -> None:
    """Poll ``{base_url}/api/v1/health`` until it answers 200.

    ``AssertionError`` after ``timeout`` s, or as soon as ``process`` (the server, when
    started as one) has exited: the message holds its captured output.
    """
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base_url}{API}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server exited:\n{_output(process)}")
        if time.monotonic() >= deadline:
            raise AssertionError(f"the server did not start within {timeout:g} s")
        time.sleep(interval)


def _output(process: subprocess.Popen[Any]) -> str:
    if process.stdout is None:
        return ""
    out = process.stdout.read()
    return out.decode(errors="replace") if isinstance(out, bytes) else str(out)
