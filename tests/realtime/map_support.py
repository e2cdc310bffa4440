"""Tribe-map helpers for the socket tests: a reducer mirroring the browser's, and waiting on frames."""
from __future__ import annotations

import copy
import time

from tests.support.clients import BoardClient


# --- the reducer (mirrors client/js/state/maps.js: upserts and removes keyed by id) ---------------

def empty_map(project_id: int) -> dict:
    return {"project_id": project_id, "settings": {"average_pledge": 30, "conversion_pct": 20},
            "nodes": {}, "links": {}, "plan_items": {}, "email_drafts": {}}


def from_snapshot(snapshot: dict) -> dict[int, dict]:
    """The maps of a snapshot, keyed like the reducer's state."""
    maps = {}
    for entry in snapshot.get("tribe_maps", []):
        maps[entry["project_id"]] = {
            "project_id": entry["project_id"],
            "settings": dict(entry["settings"]),
            "nodes": {n["id"]: n for n in entry["nodes"]},
            "links": {link["id"]: link for link in entry["links"]},
            "plan_items": {i["id"]: i for i in entry["plan_items"]},
            "email_drafts": {d["ring"]: d for d in entry["email_drafts"]},
        }
    return maps


def apply(maps: dict[int, dict], frame: dict) -> None:
    """Apply one event frame to the maps state (events of other capabilities are ignored)."""
    kind, data = frame["type"], frame["data"]
    if kind == "project_deleted":
        maps.pop(data["project_id"], None)
        return
    if not (kind.startswith("map_") or kind.startswith("plan_item_") or kind == "email_draft_saved"):
        return
    m = maps.setdefault(data["project_id"], empty_map(data["project_id"]))
    if kind in ("map_node_added", "map_node_moved", "map_node_edited"):
        m["nodes"][data["node"]["id"]] = data["node"]
    elif kind == "map_node_removed":
        m["nodes"].pop(data["node_id"], None)
        for link_id in data["link_ids"]:
            m["links"].pop(link_id, None)
        for item in data["plan_items"]:
            m["plan_items"][item["id"]] = item
    elif kind == "map_link_added":
        m["links"][data["link"]["id"]] = data["link"]
    elif kind == "map_link_removed":
        m["links"].pop(data["link_id"], None)
    elif kind in ("plan_item_added", "plan_item_edited"):
        m["plan_items"][data["item"]["id"]] = data["item"]
    elif kind == "plan_item_removed":
        m["plan_items"].pop(data["item_id"], None)
    elif kind == "map_settings_edited":
        m["settings"] = data["settings"]
    elif kind == "email_draft_saved":
        m["email_drafts"][data["draft"]["ring"]] = data["draft"]
    else:
        raise AssertionError(f"the reducer does not know {kind}")


def reduce(start: dict[int, dict], frames: list[dict]) -> dict[int, dict]:
    """A copy of `start` with `frames` applied in seq order."""
    maps = copy.deepcopy(start)
    for frame in sorted(frames, key=lambda f: f["seq"]):
        apply(maps, frame)
    return maps


# --- a client's view, built as the browser builds it ----------------------------------------------

def frames_after(client: BoardClient, after: int) -> dict[int, dict]:
    """Every distinct frame the client holds with seq > after (frames may arrive out of seq order)."""
    with client._cond:
        return {f["seq"]: f for f in client.frames if f["seq"] > after}


def wait_for_all(client: BoardClient, after: int, head: int, timeout: float = 30) -> list[dict]:
    """Wait until the client holds every frame after..head, then return them in seq order.

    Broadcasts of concurrent commands may arrive out of seq order; like the browser, order them by
    seq. A frame still missing after the wait is fetched with `sync`, as the browser does on a gap.
    """
    deadline = time.monotonic() + timeout
    with client._cond:
        while True:
            have = {f["seq"] for f in client.frames if f["seq"] > after}
            if all(seq in have for seq in range(after + 1, head + 1)):
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            client._cond.wait(remaining)
    got = frames_after(client, after)
    missing = [seq for seq in range(after + 1, head + 1) if seq not in got]
    if missing:
        reply = client.sio.call("sync", {"since": missing[0] - 1}, timeout=15)
        for frame in reply.get("events", []):
            got.setdefault(frame["seq"], frame)
    assert all(seq in got for seq in range(after + 1, head + 1)), f"frames missing up to {head}"
    return [got[seq] for seq in range(after + 1, head + 1)]


def client_maps(client: BoardClient, head: int) -> dict[int, dict]:
    """The client's maps at `head`: its first snapshot plus every frame after it, in seq order."""
    assert client.snapshot is not None, "connect the client without `since` to get a first snapshot"
    start_seq = client.snapshot["seq"]
    return reduce(from_snapshot(client.snapshot), wait_for_all(client, start_seq, head))


def server_snapshot(client: BoardClient) -> dict:
    """A fresh snapshot from the server (a sync without `since`)."""
    reply = client.sio.call("sync", {}, timeout=15)
    assert reply["ok"] and "snapshot" in reply, reply
    return reply["snapshot"]


def new_id(frame: dict) -> int:
    """The id of what an *_added event created."""
    data = frame["data"]
    for key in ("node", "link", "item"):
        if key in data:
            return data[key]["id"]
    raise AssertionError(f"no new entity in {frame['type']}")


def frame_of(client: BoardClient, seq: int, timeout: float = 10) -> dict:
    """The frame with this seq, once the client has it (in any arrival order)."""
    deadline = time.monotonic() + timeout
    with client._cond:
        while True:
            for frame in client.frames:
                if frame["seq"] == seq:
                    return frame
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"frame {seq} never arrived")
            client._cond.wait(remaining)


def ephemeral_of(client: BoardClient, name: str, predicate=lambda data: True, timeout: float = 10) -> dict:
    """The first ephemeral message `name` whose data satisfies `predicate` (waits for it)."""
    deadline = time.monotonic() + timeout
    with client._cond:
        while True:
            for got_name, data in client.ephemeral:
                if got_name == name and predicate(data):
                    return data
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {name} message arrived")
            client._cond.wait(remaining)
