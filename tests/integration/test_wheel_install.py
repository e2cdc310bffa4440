"""The built wheel installs into a fresh virtual environment (locked runtime packages only) and runs from anywhere.

Slow by nature (a build and ~55 packages, from pip's cache after the first run): one test does it all.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

from tests.support.server import free_port, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=kwargs.pop("timeout", 600), **kwargs)
    assert done.returncode == 0, f"{args}: {done.stderr[-3000:]}"
    return done


def test_the_wheel_installs_alone_and_serves_the_board(tmp_path):
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "dist"), str(ROOT))
    wheel = next((tmp_path / "dist").glob("snowball_board-*.whl"))
    _run(sys.executable, "-m", "venv", str(tmp_path / "venv"))
    python = tmp_path / "venv" / "bin" / "python"
    _run(str(python), "-m", "pip", "install", "--quiet", "--require-hashes", "-r", str(ROOT / "requirements" / "runtime.txt"))
    _run(str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel))
    _run(str(python), "-m", "pip", "check")
    assert _run(str(python), "-c", "import importlib.util as u; print(u.find_spec('playwright'))").stdout.strip() == "None"

    elsewhere = tmp_path / "elsewhere"  # not the checkout: only the installed package can answer
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNOWBALL_")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'installed.sqlite3'}", PYTHONPATH="")
    boards = _run(str(tmp_path / "venv" / "bin" / "snowball"), "boards", cwd=elsewhere, env=env, timeout=120)
    assert boards.stdout.split()[:2] == ["code", "starts"]

    port = free_port()
    server = subprocess.Popen([str(tmp_path / "venv" / "bin" / "snowball"), "serve"], cwd=elsewhere,
                              env={**env, "SNOWBALL_PORT": str(port)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(base, server, 60)
        page = requests.get(f"{base}/", timeout=5)
        assert page.status_code == 200 and '<script type="importmap">' in page.text
        client = requests.get(f"{base}/vendor/socket.io.esm.min.js", timeout=5)
        assert client.status_code == 200 and "javascript" in client.headers["Content-Type"] and len(client.content) > 10_000
        assert requests.get(f"{base}/static/js/main.js", timeout=5).status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
        server.stdout.close()
