"""A private redis-server on a free port, killable and restartable by the test (never the shared one on 6379)."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import redis

from tests.support.server import free_port


class RedisProcess:
    """`redis-server` on 127.0.0.1:<free port>, nothing kept on disk."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.log_dir = log_dir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> "RedisProcess":
        """Start it (again, on the same port) and wait until it answers PING (skip, or fail in CI, without redis-server)."""
        binary = shutil.which("redis-server")
        if binary is None:
            from tests.conftest import _unavailable

            _unavailable("redis-server", RuntimeError("not installed (apt-get install -y redis-server)"))
        log = open(self.log_dir / f"redis-{self.port}.log", "ab")
        self.proc = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.log_dir)], stdout=log, stderr=subprocess.STDOUT)
        log.close()
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    client.ping()
                    return self
                except redis.ConnectionError:
                    if time.monotonic() > deadline or self.proc.poll() is not None:
                        raise
                    time.sleep(0.05)  # polling a starting subprocess, not app state
        finally:
            client.close()

    def kill(self) -> None:
        """SIGKILL: Redis vanishes mid-work."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
