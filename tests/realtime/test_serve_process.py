"""The server process as an operator sees it: a taken port refused, the start banner, logs, metrics, the dev mode."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests

from server import network
from tests.support.clients import BoardClient
from tests.support.server import ROOT, ServerProcess, create_board, free_port, join_board, wait_until_answering


def _serve(env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server.serve"], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **env})


def test_a_second_server_on_a_taken_port_refuses_to_start(server, tmp_path):
    done = _serve({"DATABASE_URL": f"sqlite:///{tmp_path / 'second.sqlite3'}", "SNOWBALL_PORT": str(server.port),
                   "SNOWBALL_HOST": "127.0.0.1"})
    assert done.returncode == 2
    assert f"127.0.0.1:{server.port} is already in use" in done.stderr
    assert requests.get(f"{server.url}/healthz", timeout=5).ok  # the first one is untouched


def test_the_banner_lists_the_lan_links_when_no_public_url_is_set(monkeypatch):
    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.1.20", "10.0.0.5"])
    lines = network.start_banner("0.0.0.0", 5000, None, "sqlite")
    assert lines[0] == "Snowball on http://127.0.0.1:5000/ (sqlite)"
    assert "http://192.168.1.20:5000/" in lines[1] and "http://10.0.0.5:5000/" in lines[1]
    assert "SNOWBALL_PUBLIC_URL" in lines[2]
    local = network.start_banner("127.0.0.1", 5000, None, "sqlite")
    assert "SNOWBALL_HOST=0.0.0.0 SNOWBALL_PUBLIC_URL=http://192.168.1.20:5000" in local[1]
    assert network.start_banner("0.0.0.0", 5000, "https://board.example.org", "sqlite")[1:] == [
        "Links and QR codes point to https://board.example.org"]


def test_a_server_on_every_interface_prints_this_machines_addresses(tmp_path):
    addresses = network.lan_addresses()
    assert addresses, "this machine has no non-loopback IPv4 address to show"
    process = ServerProcess(f"sqlite:///{tmp_path / 'lan.sqlite3'}", env={"SNOWBALL_HOST": "0.0.0.0"}, log_dir=tmp_path)
    process.start()
    try:
        output = process.log_path.read_text()
    finally:
        process.stop()
    assert "The room can reach this laptop at:" in output
    assert all(f"http://{address}:{process.port}/" in output for address in addresses)


@pytest.fixture
def observed(tmp_path):
    """A server with metrics on (token "scrape-me")."""
    process = ServerProcess(f"sqlite:///{tmp_path / 'observed.sqlite3'}", env={"SNOWBALL_METRICS_TOKEN": "scrape-me"},
                            log_dir=tmp_path).start()
    yield process
    process.stop()


def _metric(url: str, line_start: str) -> float:
    body = requests.get(f"{url}/metrics", headers={"Authorization": "Bearer scrape-me"}, timeout=5).text
    values = [float(line.rsplit(" ", 1)[1]) for line in body.splitlines() if line.startswith(line_start + " ")]
    assert values, f"{line_start} not in /metrics"
    return values[0]


def test_logs_and_metrics_follow_what_people_do(observed):
    created = create_board(observed.url)
    code = created["board"]["code"]
    joined = join_board(observed.url, code, "Ana")
    ana = BoardClient(observed.url, code, joined["token"])
    ana.connect()
    assert ana.command("project_post", project={"title": "Fanfare", "pitch": "brass for all"})["ok"]
    refused = ana.command("project_post", project={"title": "", "pitch": ""})
    assert not refused["ok"]
    assert _metric(observed.url, "snowball_connections") == 1
    assert _metric(observed.url, 'snowball_commands_total{name="project_post",result="ok"}') == 1
    assert _metric(observed.url, 'snowball_commands_total{name="project_post",result="refused"}') == 1
    assert _metric(observed.url, 'snowball_fanout_seconds_count') >= 2  # the join and the post
    assert _metric(observed.url, 'snowball_ack_seconds_count{kind="command"}') == 2
    deadline = time.monotonic() + 10
    while "snowball_event_loop_lag_seconds " not in requests.get(
            f"{observed.url}/metrics", headers={"Authorization": "Bearer scrape-me"}, timeout=5).text:
        assert time.monotonic() < deadline
        time.sleep(0.1)  # polling the endpoint until the loop watcher's first sample
    ana.disconnect()

    output = observed.log_path.read_text()
    assert f"board={code} board created (en)" in output
    assert f"board={code} participant {joined['participant']['id']} joined" in output
    assert f"board={code} sid=" in output and "connected as participant" in output
    assert "POST /api/boards 201" in output and f"POST /api/boards/{code}/join 201" in output
    for secret in (created["facilitator_token"], joined["token"], joined["rejoin_code"]):
        assert secret not in output
    assert "Eventlet is deprecated" not in output  # one log line instead of the 8-line notice


def test_threading_is_a_working_development_mode(tmp_path):
    process = ServerProcess(f"sqlite:///{tmp_path / 'dev.sqlite3'}", env={"SNOWBALL_ASYNC_MODE": "threading"},
                            log_dir=tmp_path).start()
    try:
        created = create_board(process.url)
        code = created["board"]["code"]
        ana, bruno = (BoardClient(process.url, code, join_board(process.url, code, name)["token"]) for name in ("Ana", "Bruno"))
        ana.connect()
        bruno.connect()
        ack = ana.command("project_post", project={"title": "Fanfare", "pitch": "brass for all"})
        assert ack["ok"], ack
        bruno.wait_for_seq(ack["seq"])
        assert any(f["type"] == "project_posted" for f in bruno.frames)
        ana.disconnect()
        bruno.disconnect()
    finally:
        process.stop()
    assert "development server" in process.log_path.read_text()


def test_flask_run_serves_websockets_in_development_mode(tmp_path):
    """`flask --app server run` does not monkey-patch: the app falls back to threading instead of a 500 on upgrade."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'flask-run.sqlite3'}", "SNOWBALL_ASYNC_MODE": "eventlet"}
    log_file = open(tmp_path / "flask-run.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "server", "run", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=log_file, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, proc, 60, log=tmp_path / "flask-run.log")
        created = create_board(url)
        code = created["board"]["code"]
        ana = BoardClient(url, code, join_board(url, code, "Ana")["token"])  # WebSocket transport only
        ana.connect()
        ack = ana.command("project_post", project={"title": "Fanfare", "pitch": "brass for all"})
        ana.disconnect()
        assert ack["ok"], ack
    finally:
        proc.terminate()
        proc.wait(20)
        log_file.close()
    assert "serving in threading mode, for development only" in (tmp_path / "flask-run.log").read_text()
