"""Does a connect/disconnect cycle leak? Server RSS over waves of connection churn, with a pause between.

    .venv/bin/python bench/connection_churn.py [--cycles 2000] [--waves 3] [--pause 130]

One server subprocess (SQLite), one board, 50 participants; each cycle opens a raw WebSocket, connects
as one of them, sends `sync`, and closes. RSS (VmRSS of the server) is printed every 500 cycles; between
waves the server idles `--pause` seconds, longer than the per-connection rate-limit windows (60 s,
kept up to 2 windows), so what a closed connection left behind has expired. A leak keeps growing
wave after wave by the same amount; state that expires (or memory the allocator keeps and reuses)
does not.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.raw_client import RawSocket  # noqa: E402
from tests.support.server import ServerProcess, create_board, join_board  # noqa: E402


def rss_kib(pid: int) -> int:
    """The resident set size of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=2000, help="connect/disconnect cycles per wave")
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--pause", type=float, default=130, help="seconds the server idles between waves")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="churn-"))
    # Exempt from the per-address limits: 2,000 connects a wave from one address is a load test, not a room.
    server = ServerProcess(f"sqlite:///{folder / 'churn.sqlite3'}", log_dir=folder,
                           env={"SNOWBALL_RATE_LIMIT_EXEMPT": "127.0.0.1"}).start()
    try:
        created = create_board(server.url)
        code = created["board"]["code"]
        tokens = [join_board(server.url, code, f"P{n}")["token"] for n in range(50)]
        pid = server.proc.pid
        print(f"{'wave':>4} {'cycles':>7} {'RSS KiB':>9} {'Δ since wave start':>19} {'bytes/cycle':>12}")
        for wave in range(1, args.waves + 1):
            start = rss_kib(pid)
            print(f"{wave:>4} {0:>7} {start:>9} {0:>19} {'':>12}")
            for n in range(1, args.cycles + 1):
                sock = RawSocket(server.url)
                try:
                    assert sock.connect({"board": code, "token": tokens[n % len(tokens)]})[0]
                    assert sock.call("sync", {"since": 0})["ok"]
                finally:
                    sock.close()
                if n % 500 == 0:
                    now = rss_kib(pid)
                    print(f"{wave:>4} {n:>7} {now:>9} {now - start:>19} {(now - start) * 1024 / n:>12.0f}", flush=True)
            if wave < args.waves:
                time.sleep(args.pause)  # let per-connection windows expire (this is the experiment, not a wait on state)
                print(f"{'idle':>4} {'':>7} {rss_kib(pid):>9}   after {args.pause:.0f} s idle", flush=True)
        tracebacks = server.log_path.read_text(errors="replace").count("Traceback")
        print(f"server log tracebacks: {tracebacks}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
