"""The load generator of bench/fanout.py: many Socket.IO clients per OS process, on asyncio + websockets.

Each client speaks Engine.IO 4 / Socket.IO 5 over one WebSocket (no long-polling), offers
permessage-deflate as browsers do, answers pings, applies `event` frames in seq order, repairs gaps
with `sync` after 300 ms (as client/js/net/socket.js does), reconnects and resyncs if the server drops
it, and sends its scheduled commands one at a time (the next after the previous ack). Every receipt is
timestamped with time.monotonic() (one clock for every process of the machine), so the orchestrator
can compute fan-out latency from the sender's emit to each other client's receipt.

The clients share the machine's two cores with the server they measure, so they are kept cheap (uvloop's
event loop, orjson's parser: together the two load processes' CPU at N = 1,000 and 25 ops/s fell from 75 %
to 43 % of a core beside the anchor, from 98 % to 77 % beside Snowball, one run each) and run at a lower
priority (nice 10), so that the load generator does not set the capacity it reports (docs/performance.md).
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import time
import urllib.request
from array import array

import orjson
import uvloop
import websockets

GAP_WAIT_S = 0.3
DEBUG = bool(os.environ.get("BENCH_DEBUG"))
ACK_TIMEOUT_S = 60


class Client:
    """One simulated participant on one WebSocket."""

    def __init__(self, worker: "Worker", index: int, participant_id: int, token: str, view: int | None,
                 ws_url: str | None = None) -> None:
        self.w = worker
        self.ws_url = ws_url or worker.ws_url
        self.index = index
        self.participant_id = participant_id
        self.token = token
        self.view = view
        self.ws = None
        self.acks: dict[int, asyncio.Future] = {}
        self.next_ack = 0
        self.started = False
        self.start_seq = 0
        self.last_seq = 0
        self.ahead: set[int] = set()
        self.gap_task: asyncio.Task | None = None
        self.loading = False
        self.connected = asyncio.Event()
        self.closing = False
        self.reconnects = 0
        self.repaired = 0
        self.snapshot_ms: float | None = None
        self.snapshot_bytes = 0

    # --- connection -------------------------------------------------------------------------------
    async def connect(self, since: int | None, sync: bool = True) -> None:
        """Open the socket, authenticate, sync (replay from `since`, or a snapshot), say which map we look at."""
        self.connected.clear()
        self.ws = await websockets.connect(
            self.ws_url, compression="deflate", max_size=2 ** 24, ping_interval=None,
            open_timeout=60, close_timeout=2, max_queue=None)
        self.ready = asyncio.get_running_loop().create_future()
        asyncio.create_task(self.reader(self.ws))
        if since is not None:
            self.last_seq = max(self.last_seq, since)
        self.loading = True  # frames before the sync reply wait (the browser ignores them until loaded)
        await self.ws.send("40" + json.dumps({"board": self.w.board, "token": self.token}))
        await asyncio.wait_for(self.ready, 60)
        if not sync:
            self.connected.set()
            return
        t0 = time.monotonic()
        reply, _, size = await self.call("sync", {} if since is None else {"since": since}, with_size=True)
        self.sync_seq = reply["seq"]
        if "snapshot" in reply:
            self.snapshot_ms = (time.monotonic() - t0) * 1000
            self.snapshot_bytes = size
            self.last_seq = max(self.last_seq, reply["snapshot"]["seq"])
        for frame in reply.get("events", []):
            self.apply(frame["seq"], repaired=True)
        if "events" in reply and not reply["events"]:
            # Nothing missed (Snowball), or a server with no log (the anchor): start from its head.
            self.last_seq = max(self.last_seq, reply["seq"])
        self.loading = False
        self.ahead = {s for s in self.ahead if s > self.last_seq}
        self.apply_ahead()
        if not self.started:
            self.started = True
            self.start_seq = self.last_seq if since is None else since
        if self.view is not None:
            await self.ws.send('42["map_presence",' + json.dumps({"project_id": self.view}) + "]")
        self.connected.set()

    async def reader(self, ws) -> None:
        try:
            async for msg in ws:
                t = time.monotonic()
                kind = msg[0]
                if kind == "4":
                    sub = msg[1]
                    if sub == "2":
                        name, data = orjson.loads(msg[2:])[:2]
                        if name == "event":
                            self.w.recv_seq.append(data["seq"])
                            self.w.recv_t.append(t)
                            self.w.recv_client.append(self.index)
                            self.apply(data["seq"])
                        elif name == "map_node_drag":
                            self.w.drag_recv.append((data["participant_id"], data["node_id"], data["x"], t))
                    elif sub == "3":
                        i = 2
                        while msg[i].isdigit():
                            i += 1
                        future = self.acks.pop(int(msg[2:i]), None)
                        if future is not None and not future.done():
                            future.set_result((orjson.loads(msg[i:])[0], t, len(msg)))
                    elif sub == "0" and not self.ready.done():
                        self.ready.set_result(True)
                    elif sub == "4" and not self.ready.done():
                        self.ready.set_exception(RuntimeError(f"connect refused: {msg[2:200]}"))
                elif kind == "2":
                    await ws.send("3")
        except (websockets.ConnectionClosed, OSError):
            pass
        except Exception as exc:  # noqa: BLE001 - a frame this client cannot read: count it, reconnect
            self.w.errors.append(f"reader: {type(exc).__name__}: {exc}"[:200])
            await ws.close()
        if not self.closing:
            self.w.disconnects += 1
            asyncio.create_task(self.reconnect())

    async def reconnect(self) -> None:
        """The server dropped us (back-pressure, restart): come back and resync, as the browser does."""
        for attempt in range(20):
            try:
                self.reconnects += 1
                await self.connect(self.last_seq)
                return
            except Exception:  # noqa: BLE001
                await asyncio.sleep(min(2.0, 0.1 * 2 ** attempt))

    # --- frames in seq order -------------------------------------------------------------------------
    def apply(self, seq: int, repaired: bool = False) -> None:
        if seq <= self.last_seq:
            return
        if seq == self.last_seq + 1 and not self.loading:
            self.last_seq = seq
            if repaired:
                self.repaired += 1
            self.apply_ahead()
            return
        self.ahead.add(seq)
        if not self.loading and (self.gap_task is None or self.gap_task.done()):
            self.gap_task = asyncio.create_task(self.repair_gap())

    def apply_ahead(self) -> None:
        while self.last_seq + 1 in self.ahead:
            self.ahead.discard(self.last_seq + 1)
            self.last_seq += 1
        if self.ahead and (self.gap_task is None or self.gap_task.done()):
            self.gap_task = asyncio.create_task(self.repair_gap())

    async def repair_gap(self) -> None:
        await asyncio.sleep(GAP_WAIT_S)
        if not self.ahead or self.loading:
            return
        self.w.gaps += 1
        if DEBUG and self.w.gaps <= 5:
            print(f"gap: client {self.index} last {self.last_seq} ahead {sorted(self.ahead)[:5]} t={time.monotonic():.3f}", flush=True)
        try:
            reply, _, _ = await self.call("sync", {"since": self.last_seq})
        except Exception:  # noqa: BLE001 - the socket went away: reconnect resyncs
            return
        for frame in reply.get("events", []):
            self.apply(frame["seq"], repaired=True)
        if "snapshot" in reply:
            self.last_seq = max(self.last_seq, reply["snapshot"]["seq"])
        self.ahead = {s for s in self.ahead if s > self.last_seq}
        self.apply_ahead()

    # --- sending ---------------------------------------------------------------------------------------
    async def call(self, name: str, payload: dict, with_size: bool = False):  # noqa: ARG002
        """Emit with an ack; returns (ack, receive time, frame size)."""
        self.next_ack += 1
        ack_id = self.next_ack
        future = asyncio.get_running_loop().create_future()
        self.acks[ack_id] = future
        await self.ws.send(f"42{ack_id}" + json.dumps([name, payload]))
        return await asyncio.wait_for(future, ACK_TIMEOUT_S)

    async def volatile(self, name: str, payload: dict) -> None:
        """An unacked frame (a drag): dropped, like a browser's, when the socket is down (counted as an error)."""
        try:
            await self.ws.send("42" + json.dumps([name, payload]))
        except websockets.ConnectionClosed:
            self.w.errors.append(f"{name} while disconnected")

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()


class Worker:
    """One OS process: its share of the clients and of the schedule."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.ws_url = config["ws_url"]
        self.board = config["board"]
        self.recv_seq = array("l")
        self.recv_t = array("d")
        self.recv_client = array("l")
        self.drag_recv: list[tuple] = []
        self.drag_sent: list[tuple] = []
        self.sent: list[tuple] = []      # (client index, op kind, t_send, t_ack, seq or None, error code or None)
        self.disconnects = 0
        self.gaps = 0
        self.errors: list[str] = []
        self.clients: dict[int, Client] = {}
        self.joined: list[Client] = []

    async def connect_all(self) -> None:
        limit = asyncio.Semaphore(self.config["connect_concurrency"])

        async def one(spec):
            client = Client(self, spec["index"], spec["participant_id"], spec["token"], spec["view"], spec.get("url"))
            self.clients[spec["index"]] = client
            async with limit:
                await client.connect(spec["since"])

        await asyncio.gather(*(one(spec) for spec in self.config["clients"]))

    async def run(self, t0: float) -> None:
        by_client: dict[int, list[dict]] = {}
        for action in self.config["schedule"]:
            by_client.setdefault(action["client"], []).append(action)
        await asyncio.gather(*(self.act(index, actions, t0) for index, actions in by_client.items()))

    async def act(self, index: int, actions: list[dict], t0: float) -> None:
        for action in sorted(actions, key=lambda a: a["t"]):
            if action["kind"] == "join":
                await self.join(action, t0)
                continue
            client = self.clients[index]
            at = t0 + action["t"]
            if action["kind"] == "move":
                await self.drag(client, action, at)
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            await client.connected.wait()
            t_send = time.monotonic()
            try:
                ack, t_ack, _ = await client.call(action["event"], action["payload"])
            except Exception as exc:  # noqa: BLE001 - counted as an error in the table
                self.sent.append((index, action["kind"], t_send, time.monotonic(), None, type(exc).__name__))
                continue
            ok = ack.get("ok")
            self.sent.append((index, action["kind"], t_send, t_ack, ack.get("seq") if ok else None,
                              None if ok else ack.get("error", {}).get("code")))

    async def drag(self, client: Client, action: dict, at: float) -> None:
        """Live drag frames at 20/s for the second before the drop (x encodes the frame number)."""
        payload = action["payload"]
        frames = self.config["drag_frames"]
        for k in range(frames):
            await asyncio.sleep(max(0.0, at - (frames - k) / 20 - time.monotonic()))
            x = round(0.3 + (action["drag_serial"] % 50) * 0.01 + k * 0.0005, 4)  # (node, x) names the frame
            self.drag_sent.append((client.participant_id, payload["node_id"], x, time.monotonic()))
            await client.volatile("map_node_drag", {"project_id": payload["project_id"], "node_id": payload["node_id"],
                                                    "x": x, "y": 0.45, "done": k == frames - 1})

    async def join(self, action: dict, t0: float) -> None:
        """A newcomer: join over HTTP, connect, load the whole board (a snapshot), look at a map."""
        await asyncio.sleep(max(0.0, t0 + action["t"] - time.monotonic()))
        t_send = time.monotonic()
        body = json.dumps({"name": action["name"]}).encode()

        def post():
            req = urllib.request.Request(f"{self.config['http_url']}/api/boards/{self.board}/join", data=body,
                                         headers={"Content-Type": "application/json"}, method="POST")
            with urllib.request.urlopen(req, timeout=60) as resp:
                return json.loads(resp.read())

        try:
            joined = await asyncio.get_running_loop().run_in_executor(None, post)
        except Exception as exc:  # noqa: BLE001
            self.sent.append((action["client"], "join", t_send, time.monotonic(), None, type(exc).__name__))
            return
        self.sent.append((action["client"], "join", t_send, time.monotonic(), joined["seq"], None))
        client = Client(self, action["client"], joined["participant"]["id"], joined["token"], action.get("view"),
                        action.get("url"))
        self.clients[action["client"]] = client
        self.joined.append(client)
        try:
            await client.connect(None)
        except Exception:  # noqa: BLE001
            self.disconnects += 1

    async def close_all(self) -> None:
        await asyncio.gather(*(c.close() for c in self.clients.values()), return_exceptions=True)

    def report(self, head: int) -> dict:
        missing = 0
        for client in self.clients.values():
            if client.last_seq < head:
                missing += len([s for s in range(client.last_seq + 1, head + 1) if s not in client.ahead])
        return {
            "recv_seq": self.recv_seq.tobytes(), "recv_t": self.recv_t.tobytes(), "recv_client": self.recv_client.tobytes(),
            "drag_recv": self.drag_recv, "drag_sent": self.drag_sent, "sent": self.sent,
            "missing": missing, "repaired": sum(c.repaired for c in self.clients.values()),
            "start_seq": {c.index: c.start_seq for c in self.clients.values()},
            "disconnects": self.disconnects, "reconnects": sum(c.reconnects for c in self.clients.values()),
            "gaps": self.gaps, "clients": len(self.clients), "errors": self.errors[:5],
            "join_snapshots": [(c.snapshot_ms, c.snapshot_bytes) for c in self.joined if c.snapshot_ms is not None],
        }


def worker_main(config: dict, conn) -> None:
    """Entry point of a load-generator process: connect, wait for the start, run, report."""
    random.seed(config["seed"])
    # In a room the clients are other machines; here they share the 2 cores with the server and
    # PostgreSQL. At a lower priority they take the cores the server leaves, instead of making the
    # server (and PostgreSQL, which a write transaction waits for) queue for a core.
    os.nice(config.get("nice", 10))

    async def main():
        worker = Worker(config)
        try:
            await worker.connect_all()
            conn.send(("ready", len(worker.clients)))
        except Exception as exc:  # noqa: BLE001
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
            return
        loop = asyncio.get_running_loop()
        message = await loop.run_in_executor(None, conn.recv)
        await worker.run(message["t0"])
        conn.send(("ran", None))
        message = await loop.run_in_executor(None, conn.recv)  # the head seq
        deadline = time.monotonic() + message["drain_s"]
        while time.monotonic() < deadline and any(c.last_seq < message["head"] for c in worker.clients.values()):
            await asyncio.sleep(0.05)  # let the last frames (and gap repairs) arrive
        conn.send(("report", worker.report(message["head"])))
        await worker.close_all()

    uvloop.run(main())
