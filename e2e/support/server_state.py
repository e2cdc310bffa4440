"""What the server holds, asked over a socket as a given identity (never what a page shows)."""
from __future__ import annotations

import socketio


def token_of(page, code: str) -> str:
    """A participant page's device token (kept in its localStorage)."""
    return page.evaluate("code => JSON.parse(localStorage.getItem(`snowball:${code}:participant`)).token", code)


def sync_as(live_server, code: str, token: str, since: int | None = None) -> dict:
    """The server's answer to `sync` for this identity: a fresh snapshot, or the log since `since`."""
    client = socketio.Client(reconnection=False)
    client.connect(live_server.url, auth={"board": code, "token": token}, transports=["websocket"], wait_timeout=10)
    try:
        return client.call("sync", {} if since is None else {"since": since}, timeout=10)
    finally:
        client.disconnect()


def server_snapshot(live_server, board: dict) -> dict:
    """The facilitator's fresh snapshot of a board created over the API."""
    return sync_as(live_server, board["board"]["code"], board["facilitator_token"])["snapshot"]


def server_titles(live_server, board: dict) -> list[str]:
    """The cards as the server has them, in its order."""
    return [p["title"] for p in server_snapshot(live_server, board)["projects"]]


def my_dots(live_server, code: str, token: str) -> dict[str, int]:
    """The dots this participant has on the server in the current round, by story title."""
    snap = sync_as(live_server, code, token)["snapshot"]
    titles = {p["id"]: p["title"] for p in snap["projects"]}
    mine = snap["vote"]["mine"]
    return {titles[d["project_id"]]: d["dots"] for d in mine["dots"] if d["round"] == mine["round"] and d["dots"]}


def map_of(live_server, board: dict, title: str) -> dict:
    """A project's tribe map as the server has it (a fresh snapshot), or {} before its first change."""
    snap = server_snapshot(live_server, board)
    project_id = next(p["id"] for p in snap["projects"] if p["title"] == title)
    return next((m for m in snap.get("tribe_maps", []) if m["project_id"] == project_id), {})


def map_labels(live_server, board: dict, title: str) -> list[str]:
    """The labels of a project's map nodes on the server, in id order."""
    return [n["label"] for n in map_of(live_server, board, title).get("nodes", [])]


def board_log(live_server, board: dict) -> list[dict]:
    """Every event of the board, in seq order (the replay from 0; the board must be under the replay limit)."""
    reply = sync_as(live_server, board["board"]["code"], board["facilitator_token"], since=0)
    assert "events" in reply, "the log is longer than the replay limit"
    return reply["events"]
