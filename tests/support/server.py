"""Start a real Snowball server in a subprocess on a free port (never inside the pytest process)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
# The async mode of every server the tests start (CI runs tests/realtime under both: .ci/test).
ASYNC_MODE = os.environ.get("SNOWBALL_TEST_ASYNC_MODE", "eventlet")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(url: str, proc: subprocess.Popen, timeout: float, healthy: bool = True,
                         log: Path | None = None) -> None:
    """Wait until `url`/healthz answers (200, or anything with healthy=False) while `proc` runs; raise otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {log}")
        try:
            if requests.get(f"{url}/healthz", timeout=1).ok or not healthy:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)  # polling a subprocess for readiness, not waiting on app state
    raise RuntimeError(f"server did not answer within {timeout}s; see {log}")


class ServerProcess:
    """One `python wsgi.py` process; restartable on the same port and database."""

    def __init__(self, database_url: str, port: int | None = None, env: dict | None = None, log_dir: Path | None = None) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.extra_env = env or {}
        self.log_dir = log_dir
        self.proc: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0, healthy: bool = True) -> "ServerProcess":
        """Start the process and wait until /healthz answers (200; any answer with healthy=False, when a
        dependency is down on purpose)."""
        env = {**os.environ, "DATABASE_URL": self.database_url, "SNOWBALL_PORT": str(self.port),
               "SNOWBALL_HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1", "SNOWBALL_ASYNC_MODE": ASYNC_MODE,
               **self.extra_env}
        log_path = (self.log_dir or Path(os.environ.get("TMPDIR", "/tmp"))) / f"snowball-{self.port}.log"
        self.log_path = log_path  # the server's stdout and stderr (warnings, tracebacks)
        if self._log:  # left open by kill(): a start after a crash reuses the port, so the same file
            self._log.close()
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "wsgi.py")], cwd=ROOT, env=env,
                                     stdout=self._log, stderr=subprocess.STDOUT)
        wait_until_answering(self.url, self.proc, timeout, healthy, log_path)
        return self

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), then hard if needed."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self._log:
            self._log.close()
            self._log = None

    def kill(self) -> None:
        """SIGKILL: the process dies mid-work, as in a crash."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def restart(self) -> "ServerProcess":
        """Stop and start again on the same port and database."""
        self.stop()
        return self.start()


def create_board(base_url: str, title: str = "Atelier crowdfunding", language: str = "en") -> dict:
    """Create a board over HTTP; returns the API's answer (board, facilitator_token, links)."""
    response = requests.post(f"{base_url}/api/boards", json={"title": title, "language": language}, timeout=10)
    response.raise_for_status()
    return response.json()


def join_board(base_url: str, code: str, name: str) -> dict:
    """Join as a participant over HTTP; returns token, participant and rejoin code."""
    response = requests.post(f"{base_url}/api/boards/{code}/join", json={"name": name}, timeout=10)
    response.raise_for_status()
    return response.json()
