"""An executor of fresh Python processes: each task runs in a new interpreter
(``python -m bakuhub.corridor.processes``), its function and arguments pickled to the
child's standard input, its result (or the exception it raised) pickled back through a
file. Unlike ``multiprocessing`` it never re-imports the caller's main module, needs no
main guard and may be used from a daemonic process or a threaded server; the tasks'
chatter (solver banners) stays out of the caller's output. A task that dies without an
answer (killed, out of memory) fails with the end of what it wrote to its error stream.

Only this package's own functions are sent (pickle by reference); nothing a caller
sends names the function or a path.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from types import TracebackType
from typing import Any

STDERR_TAIL = 2000
"""Characters of a dead task's error stream its failure reports."""


class TaskDied(RuntimeError):
    """A task's process ended without an answer."""


class Processes(Executor):
    """Run each submitted task in a fresh Python process, at most ``workers`` at once.
    Leaving the ``with`` block after an error (or :meth:`shutdown` with
    ``cancel_futures``) kills the running tasks' processes."""

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self._slots = threading.Semaphore(workers)
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self._threads: list[threading.Thread] = []
        self._futures: list[Future[Any]] = []
        self._closed = False  # no new tasks
        self._killing = False  # running tasks are being stopped

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        payload = pickle.dumps((fn, args, kwargs))
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot submit a task after shutdown")
            thread = threading.Thread(
                target=self._run, args=(future, payload), name="bakuhub-task", daemon=True
            )
            self._threads.append(thread)
            self._futures.append(future)
        thread.start()
        return future

    def _run(self, future: Future[Any], payload: bytes) -> None:
        with self._slots:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(self._call(payload))
            except BaseException as error:  # the task's own exception, or its death
                future.set_exception(error)

    def _call(self, payload: bytes) -> Any:
        with tempfile.TemporaryDirectory(prefix="bakuhub-task-") as folder:
            answer, errors = Path(folder) / "answer.pickle", Path(folder) / "stderr.txt"
            with errors.open("wb") as stderr:
                command = [
                    sys.executable,
                    "-m",
                    "bakuhub.corridor.processes",
                    str(answer),
                    str(os.getpid()),
                ]
                child = subprocess.Popen(
                    command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=stderr
                )
                with self._lock:
                    self._running.add(child)
                    killing = self._killing
                if killing:  # stopped while it started
                    child.kill()
                try:
                    child.communicate(payload)
                finally:
                    with self._lock:
                        self._running.discard(child)
            if not answer.exists() or answer.stat().st_size == 0:
                tail = errors.read_text(encoding="utf-8", errors="replace")[-STDERR_TAIL:]
                raise TaskDied(
                    f"a side process ended without an answer (exit status {child.returncode})"
                    + (f": {tail.strip()}" if tail.strip() else "")
                )
            ok, value = pickle.loads(answer.read_bytes())
        if ok:
            return value
        raise value

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            self._killing = self._killing or cancel_futures
            running = list(self._running) if cancel_futures else []
            waiting = list(self._futures) if cancel_futures else []
        for future in waiting:
            future.cancel()  # those not yet started
        for child in running:
            child.kill()
        if wait:
            for thread in list(self._threads):
                thread.join()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> bool | None:
        self.shutdown(wait=True, cancel_futures=kind is not None)
        return None


ORPHAN_CHECK_S = 2.0
"""How often a task's process looks whether its caller is still there."""


def _exit_with(parent: int) -> None:
    """End this process when its caller has gone (killed without leaving its block): a
    solve nobody waits for stops within :data:`ORPHAN_CHECK_S` seconds."""
    while True:
        time.sleep(ORPHAN_CHECK_S)
        if os.getppid() != parent:
            os._exit(1)


def _serve(answer: Path, parent: int) -> None:
    """The child's side: read the task from standard input, write the answer (``parent``:
    the caller's process id, given before this process could look for itself)."""
    watch = threading.Thread(target=_exit_with, args=(parent,), daemon=True)
    watch.start()
    fn, args, kwargs = pickle.loads(sys.stdin.buffer.read())
    try:
        result: tuple[bool, Any] = (True, fn(*args, **kwargs))
    except Exception as error:  # sent back and raised in the caller
        result = (False, error)
    data = pickle.dumps(result)
    partial = answer.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, answer)


if __name__ == "__main__":
    _serve(Path(sys.argv[1]), int(sys.argv[2]))
