"""What the benchmarks share: server and database subprocesses, /proc readings, HTTP and setup clients.

Used by bench/fanout.py and bench/snapshot_growth.py (run by hand, never by the test suite).
"""
from __future__ import annotations

import asyncio
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402

PY = sys.executable
PG_ADMIN = dict(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
WORDS = ("bread oven street neighbours cooperative film album festival garden repair café bikes books theatre "
         "children school river farm wool honey printing press radio choir workshop market harbour mill bakery "
         "solar roof library studio concert comic podcast museum boat kitchen seeds orchard tools games").split()


def story(rng: random.Random, words: int = 70) -> str:
    """A story of a few sentences in varied words (identical texts would compress unrealistically well)."""
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."



def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]



def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, {mem / 2 ** 20:.1f} GiB RAM, Python {platform.python_version()}"


# --- processes, ports, /proc ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def run_queue_wait_seconds(pid: int) -> float:
    """Seconds the process's main thread spent runnable but waiting for a core (/proc/PID/schedstat)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[1]) / 1e9


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat (every core)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # user nice system idle iowait irq softirq steal
    return total - idle, total


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE


def postgres_pids() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() in ("postgres", "postmaster"):
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    out = {}
    for pid in pids:
        try:
            out[pid] = cpu_seconds(pid)
        except OSError:
            pass
    return out


def total_cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except OSError:
            pass
    return total


class Server:
    """A server subprocess (Snowball or the anchor) on a free port."""

    def __init__(self, args: list[str], env: dict, log: Path) -> None:
        self.port = free_port()
        self.log = open(log, "ab")
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **env, "SNOWBALL_PORT": str(self.port)}
        self.proc = subprocess.Popen([PY, *args, *(["--port", str(self.port)] if "anchor" in args[0] else [])],
                                     cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {log}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start; see {log}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


class Database:
    """A fresh PostgreSQL database (dropped after) or a SQLite file."""

    def __init__(self, kind: str, tmp: Path) -> None:
        self.kind = kind
        if kind == "postgresql":
            import psycopg

            self.name = f"snowball_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(**PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
            self.url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.name}"
        else:
            self.url = f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.sqlite3'}"

    def drop(self) -> None:
        if self.kind == "postgresql":
            import psycopg

            with psycopg.connect(**PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --- HTTP and a setup client -----------------------------------------------------------------------------
def http_json(url: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"},
                                 method="GET" if body is None else "POST")
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def join_many(base: str, code: str, names: list[str]) -> list[dict]:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda name: http_json(f"{base}/api/boards/{code}/join", {"name": name}), names))


class Solo:
    """A single asyncio client outside a worker (setup, snapshot measurements)."""

    def __init__(self, base: str, code: str) -> None:
        self.worker = loadgen.Worker({"ws_url": ws_url(base), "board": code, "http_url": base})

    async def client(self, token: str, since: int | None = None, sync: bool = True) -> loadgen.Client:
        client = loadgen.Client(self.worker, 0, 0, token, None)
        await client.connect(since, sync=sync)
        return client


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"


async def command(client: loadgen.Client, event: str, payload: dict) -> dict:
    """A setup command; waits out the per-connection rate limit (30/s) and retries with the same op_id."""
    payload = {"op_id": uuid.uuid4().hex, **payload}
    for _ in range(20):
        ack, _, _ = await client.call(event, payload)
        if ack.get("ok"):
            return ack
        if ack.get("error", {}).get("code") != "rate_limited":
            break
        await asyncio.sleep(0.25)
    raise RuntimeError(f"{event} refused: {ack}")

