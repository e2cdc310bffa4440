"""The anchor of the fan-out benchmark: a bare Flask-SocketIO broadcast server, no persistence.

Same stack and async mode as Snowball (Flask-SocketIO on eventlet, same ping settings and payload
limit, same WebSocket compression policy switch), none of the work: no validation, no database, no
authentication, no rate limits. It speaks just enough of Snowball's protocol for the same load
generator: connect with any auth, `sync` answers with the head seq, any command gets the next seq,
is broadcast as an `event` frame to the board and acked `{ok, seq}`; `map_presence` and
`map_node_drag` relay drags to the viewers of a map, as Snowball does; `POST /api/boards/<code>/join`
is a join (a seq and a broadcast).

    python bench/anchor_server.py --port 5100 --compression off
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import eventlet

eventlet.monkey_patch()

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datetime import datetime, timezone  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import SocketIO, join_room, leave_room  # noqa: E402

from server.realtime import fanout, ws_policy  # noqa: E402

app = Flask(__name__)
socketio = SocketIO()
state = {"seq": 0, "participants": 0}
viewing: dict[str, str] = {}


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def next_frame(type_: str, data: dict) -> dict:
    state["seq"] += 1
    return {"seq": state["seq"], "type": type_, "data": data, "at": now()}


@app.get("/healthz")
def health():
    return jsonify(ok=True)


@app.post("/api/boards/<code>/join")
def join(code: str):
    state["participants"] += 1
    pid = state["participants"]
    participant = {"id": pid, "name": (request.get_json(silent=True) or {}).get("name", ""), "joined_at": now()}
    frame = next_frame("participant_joined", {"participant": participant})
    socketio.emit("event", frame, to="board")
    return jsonify(ok=True, board_code=code, participant=participant, token=f"t{pid}", rejoin_code="X", seq=frame["seq"]), 201


@socketio.on("connect")
def on_connect(auth=None):
    join_room("board")
    join_room("undeclared")


@socketio.on("sync")
def on_sync(data=None):
    return {"ok": True, "seq": state["seq"], "events": [], "online": [], "server_now": now()}


@socketio.on("map_presence")
def on_map_presence(data):
    previous = viewing.pop(request.sid, None)
    if previous:
        leave_room(previous)
    leave_room("undeclared")
    if data.get("project_id") is not None:
        viewing[request.sid] = f"map:{data['project_id']}"
        join_room(viewing[request.sid])


@socketio.on("map_node_drag")
def on_drag(data):
    socketio.emit("map_node_drag", {**data, "participant_id": 0}, to=[f"map:{data.get('project_id')}", "undeclared"],
                  skip_sid=request.sid)


@socketio.on("*")
def on_command(event, data=None):
    frame = next_frame(f"{event}_done", data or {})
    socketio.emit("event", frame, to="board")
    return {"ok": True, "seq": frame["seq"], "duplicate": False}


@socketio.on("disconnect")
def on_disconnect(reason=None):
    viewing.pop(request.sid, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5100)
    parser.add_argument("--compression", choices=ws_policy.MODES, default="off")
    parser.add_argument("--threshold", type=int, default=1024)
    parser.add_argument("--lanes", action="store_true", help="Snowball's send path (server/realtime/fanout.py), to measure it alone")
    args = parser.parse_args()
    socketio.init_app(app, async_mode="eventlet", max_http_buffer_size=64 * 1024, ping_interval=20, ping_timeout=20)
    ws_policy.install(socketio.server, args.compression, args.threshold)
    if args.lanes:
        fanout.install(socketio.server.eio)
    print(f"anchor on 127.0.0.1:{args.port} (compression {args.compression}) pid {os.getpid()}", flush=True)
    socketio.run(app, host="127.0.0.1", port=args.port, log_output=False, max_size=10000)


if __name__ == "__main__":
    main()
