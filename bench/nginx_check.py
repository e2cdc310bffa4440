"""Check docs/deploy.md's nginx configuration for real, on 127.0.0.1 (run by hand; needs Debian's nginx).

    .venv/bin/python bench/nginx_check.py [--idle 50]

It takes the first ```nginx block of docs/deploy.md, changes only the ports (and adds the few
top-level lines a standalone nginx needs), starts two Snowball processes on a fresh PostgreSQL
database and one Redis channel behind it, and checks, through nginx only:
1. the page asks for the WebSocket transport, and long-polling is refused;
2. WebSockets are spread over both processes (least_conn), and everyone sees every command in one order;
3. with --idle S, a quiet connection survives S seconds (pings every 20 s; proxy_read_timeout 75 s);
4. killing one process (SIGKILL): its clients reconnect through nginx to the other, nothing lost.
Prints what it saw; exits non-zero on the first failed check. Stops everything it started.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import fresh_pg_database  # noqa: E402
from tests.support.scale_clients import FailoverBoardClient  # noqa: E402
from tests.support.server import ServerProcess, create_board, free_port, join_board  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def nginx_block() -> str:
    text = (ROOT / "docs" / "deploy.md").read_text()
    match = re.search(r"```nginx\n(.*?)```", text, re.S)
    if not match:
        raise SystemExit("no ```nginx block in docs/deploy.md")
    return match.group(1)


def render(block: str, listen: int, backends: list[int], prefix: Path) -> str:
    servers = iter(backends)
    block = re.sub(r"server 127\.0\.0\.1:\d+", lambda m: f"server 127.0.0.1:{next(servers)}", block)
    block = block.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    return (f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log info;\nworker_processes 1;\n"
            f"events {{ worker_connections 1024; }}\n"
            f"http {{\n  access_log {prefix}/access.log;\n  client_body_temp_path {prefix}/body;\n"
            f"  proxy_temp_path {prefix}/proxy;\n{block}\n}}\n")


def established_to(port: int) -> int:
    """How many TCP connections on this machine are established to 127.0.0.1:port (nginx -> backend)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in rows.read().splitlines()[1:]:
                cols = row.split()
                if cols[3] == "01" and int(cols[2].rsplit(":", 1)[1], 16) == port:
                    count += 1
    return count


def check(ok: bool, what: str) -> None:
    print(("  ok    " if ok else "  FAIL  ") + what, flush=True)
    if not ok:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=0.0, help="also keep connections idle this many seconds")
    args = parser.parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
    print(f"nginx_check — {version}")
    prefix = Path(tempfile.mkdtemp(prefix="snowball-nginx-"))
    channel = f"nginx-check-{uuid.uuid4().hex[:8]}"
    env = {"REDIS_URL": REDIS_URL, "SNOWBALL_REDIS_CHANNEL": channel, "SNOWBALL_TRUSTED_PROXIES": "1"}
    clients: list[FailoverBoardClient] = []
    proc = None
    with fresh_pg_database() as url:
        a = ServerProcess(url, env=env, log_dir=prefix).start()
        b = ServerProcess(url, env=env, log_dir=prefix).start()
        try:
            listen = free_port()
            conf = prefix / "nginx.conf"
            conf.write_text(render(nginx_block(), listen, [a.port, b.port], prefix))
            test = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(prefix)], capture_output=True, text=True)
            check(test.returncode == 0, f"nginx -t accepts the configuration from docs/deploy.md ({test.stderr.strip().splitlines()[-1]})")
            proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"])
            base = f"http://127.0.0.1:{listen}"
            deadline = time.monotonic() + 10
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)

            code = create_board(base, "Through nginx")["board"]["code"]
            page = urllib.request.urlopen(f"{base}/b/{code}", timeout=5).read().decode()
            check('name="snowball-transports" content="websocket"' in page, "the board page asks for the WebSocket transport only")
            try:
                urllib.request.urlopen(f"{base}/socket.io/?EIO=4&transport=polling", timeout=5)
                polling = True
            except urllib.error.HTTPError:
                polling = False
            check(not polling, "long-polling is refused (no sticky sessions needed)")

            before = (established_to(a.port), established_to(b.port))
            for i in range(8):
                joined = join_board(base, code, f"Person {i}")
                client = FailoverBoardClient([base], code, joined["token"])
                clients.append(client)
                client.connect(since=0)
            spread = (established_to(a.port) - before[0], established_to(b.port) - before[1])
            check(min(spread) >= 3, f"least_conn spread 8 WebSockets over both processes: {spread[0]} + {spread[1]} new connections")

            for i, client in enumerate(clients):
                client.send("project_post", project={"title": f"Card {i}", "pitch": "through nginx"})
            acks = {op: ack for c in clients for op, ack in c.wait_for_acks().items()}
            head = max(ack["seq"] for ack in acks.values())
            for client in clients:
                client.wait_for_seq(head)
            orders = {tuple((f["seq"], f["type"]) for f in c.applied[:head]) for c in clients}
            check(len(orders) == 1 and len(next(iter(orders))) == head,
                  f"every client has seq 1..{head} in the same order, across both processes")

            if args.idle:
                time.sleep(args.idle)  # the check itself: stay quiet this long
                check(all(c.sio.connected and c.failovers == 0 for c in clients),
                      f"after {args.idle:.0f} s idle every WebSocket is still open (no proxy_read_timeout cut)")

            b.kill()
            for i, client in enumerate(clients):
                client.send("project_post", project={"title": f"After {i}", "pitch": "after the kill"})
            for client in clients:
                client.wait_for_acks(timeout=30)
            moved = sum(c.failovers for c in clients)
            head = max(ack["seq"] for c in clients for ack in c.acks.values())
            for client in clients:
                client.wait_for_seq(head, timeout=30)
            orders = {tuple((f["seq"], f["type"]) for f in c.applied[:head]) for c in clients}
            check(moved >= 3 and len(orders) == 1,
                  f"SIGKILL of one process: {moved} clients reconnected through nginx, all at seq {head}, same order, nothing lost")
            print("all checks passed")
        finally:
            for client in clients:
                client.disconnect()
            if proc is not None:
                proc.send_signal(signal.SIGQUIT)
                proc.wait(10)
            a.stop()
            b.stop()


if __name__ == "__main__":
    main()
