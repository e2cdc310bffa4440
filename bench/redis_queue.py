"""What scale-out's Redis queue costs per event: server CPU to publish one emit, and to receive one from Redis.

Run by hand (never in the test suite); it prints a Markdown table:

    .venv/bin/python bench/redis_queue.py                  # 50 and 1,000 events/s, 5 s each, 3 rounds
    .venv/bin/python bench/redis_queue.py --rates 50 --seconds 3 --rounds 1   # a quick look

Two eventlet processes, as in production (python-socketio's server with Snowball's
ResilientRedisManager, server/realtime/message_queue.py), with no sockets attached, so only the
queue's own work is measured:
- the **sender** emits board events (a ~300-byte frame, like a map move) to a board room at `--rate`,
  in ticks of 10 ms; its CPU per event is compared with the same emits on python-socketio's plain
  in-memory manager (no queue), alternating: the difference is the publish cost (JSON encoding, the
  outbox, one pipeline per burst, reading back its own message from the subscription);
- the **receiver** subscribes and hands every message to `_handle_emit` (JSON decoding, the board's
  seq order, python-socketio's room lookup, with nobody in the room): its CPU per event received.
CPU is the process's user + system time (time.process_time) over the run. Everything talks to the
local Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/0) on a channel of its own.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAME = {"type": "map_node_moved", "actor": "participant:17", "at": "2026-12-04T01:30:00.000000+00:00",
         "data": {"map_id": 12, "node_id": 345, "x": 0.4182, "y": 0.7731, "ring": "network", "moved_by": 17,
                  "label": "Friend 123", "project_id": 9}}


def role_main(args: argparse.Namespace) -> None:
    """One side, in its own monkey-patched process; prints one JSON line with what it measured."""
    import eventlet

    eventlet.monkey_patch()
    sys.path.insert(0, str(ROOT))
    import socketio

    from server.realtime.message_queue import ResilientRedisManager

    queue = ResilientRedisManager(args.url, args.channel) if args.role != "plain" else None
    server = socketio.Server(async_mode="eventlet", client_manager=queue)
    manager = server.manager
    if args.role == "receiver":
        received = {"n": 0}
        handle = manager._handle_emit

        def counted(message):
            received["n"] += 1
            handle(message)

        manager._handle_emit = counted
        manager.initialize()  # starts the listener
        while not manager.subscribed:
            eventlet.sleep(0.01)
        print(json.dumps({"ready": True}), flush=True)
        deadline = time.monotonic() + args.seconds + 30
        cpu0 = time.process_time()
        while received["n"] < args.events and time.monotonic() < deadline:
            eventlet.sleep(0.05)  # the listener runs meanwhile; this only checks the count
        print(json.dumps({"cpu_s": time.process_time() - cpu0, "events": received["n"]}), flush=True)
        return
    if queue is not None:
        manager.initialize()  # its own listener too: every process reads back what it published
        while not manager.subscribed:
            eventlet.sleep(0.01)
    per_tick = max(1, round(args.rate / 100))
    ticks = args.events // per_tick
    cpu0 = time.process_time()
    start = time.monotonic()
    seq = 1
    for tick in range(ticks):
        for _ in range(per_tick):
            server.emit("event", {**FRAME, "seq": seq}, to="board:1")
            seq += 1
        delay = start + (tick + 1) * per_tick / args.rate - time.monotonic()
        eventlet.sleep(max(0.0, delay))
    if queue is not None:
        queue.flushed(30)
        eventlet.sleep(0.2)  # its own messages read back from the subscription (part of the cost)
    cpu = time.process_time() - cpu0
    out = {"cpu_s": cpu, "events": seq - 1}
    if queue is not None:
        out.update(published=queue.published, batches=queue.batches, dropped=queue.dropped)
    print(json.dumps(out), flush=True)


def spawn(role: str, args: argparse.Namespace, channel: str, events: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--role", role, "--url", args.url, "--channel", channel,
                             "--rate", str(args.rate), "--events", str(events), "--seconds", str(args.seconds)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)


def one_round(args: argparse.Namespace, rate: float) -> dict:
    """Plain emits, then the same through Redis with a receiver: CPU µs per event on each side."""
    args.rate = rate
    events = int(rate * args.seconds)
    channel = f"bench-queue-{uuid.uuid4().hex[:8]}"
    plain = spawn("plain", args, channel, events)
    plain_out = json.loads(plain.stdout.readline())
    plain.wait(30)
    receiver = spawn("receiver", args, channel, events)
    assert json.loads(receiver.stdout.readline())["ready"]
    sender = spawn("sender", args, channel, events)
    sent = json.loads(sender.stdout.readline())
    got = json.loads(receiver.stdout.readline())
    sender.wait(30)
    receiver.wait(30)
    return {
        "plain_us": plain_out["cpu_s"] / plain_out["events"] * 1e6,
        "sender_us": sent["cpu_s"] / sent["events"] * 1e6,
        "receiver_us": got["cpu_s"] / max(1, got["events"]) * 1e6,
        "per_pipeline": sent["published"] / max(1, sent["batches"]),
        "lost": sent["events"] - got["events"], "dropped": sent["dropped"],
    }


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} [{min(values):.0f} – {max(values):.0f}]"


def main() -> int:
    parser = argparse.ArgumentParser(description="CPU per event of scale-out's Redis queue (prints a Markdown table).")
    parser.add_argument("--rates", default="50,1000", help="events per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per rate (median and spread)")
    parser.add_argument("--url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--role", help=argparse.SUPPRESS)
    parser.add_argument("--channel", help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--events", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        role_main(args)
        return 0
    sys.path.insert(0, str(ROOT))
    from bench.bench_support import machine

    print(f"Redis queue cost per event — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at start")
    print(f"command: bench/redis_queue.py {' '.join(sys.argv[1:])}  ({args.seconds:g} s per run, {args.rounds} rounds)\n")
    rows = []
    for rate in [float(r) for r in args.rates.split(",")]:
        rounds = [one_round(args, rate) for _ in range(args.rounds)]
        rows.append((rate, rounds))
    print("| events/s | emit, no queue µs/event | emit + publish µs/event | publish cost µs/event | receive µs/event | "
          "events per pipeline | lost | dropped |")
    print("|---|---|---|---|---|---|---|---|")
    for rate, rounds in rows:
        print(f"| {rate:g} | {spread([r['plain_us'] for r in rounds])} | {spread([r['sender_us'] for r in rounds])} | "
              f"{spread([r['sender_us'] - r['plain_us'] for r in rounds])} | {spread([r['receiver_us'] for r in rounds])} | "
              f"{statistics.median(r['per_pipeline'] for r in rounds):.1f} | {sum(r['lost'] for r in rounds)} | "
              f"{sum(r['dropped'] for r in rounds)} |")
    print(f"\n(load average {os.getloadavg()[0]:.1f} at the end; medians [min – max] over {args.rounds} rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
