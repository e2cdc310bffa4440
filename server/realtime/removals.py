"""A removed participant's open sockets are closed on every process, not only the one that removed them.

One process: the facilitator's process holds every socket, and closes them. Several processes
(REDIS_URL): a socket of the removed person may live on another process, which would otherwise keep
sending it the board's broadcasts until it disconnects by itself (its writes are already refused, and
its token no longer connects). The removing process publishes `(board, participant, frame)` on a Redis
channel of the deployment; every process, itself included, closes the sockets it holds for that
participant after sending them the `participant_removed` frame, so their client stops reconnecting.
"""
from __future__ import annotations

import json
import logging

from ..protection import outages
from . import connections, hub
from .hub import socketio

log = logging.getLogger(__name__)

_redis = None
_channel: str | None = None


def configure(settings) -> None:
    """Scale-out: listen for removals announced by any process of the deployment."""
    global _redis, _channel
    if settings.redis_url is None:
        _redis, _channel = None, None
        return
    import redis

    _redis = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=5)
    _channel = f"snowball:{settings.redis_channel}:removals"
    socketio.start_background_task(_listen_forever, settings.redis_url, _channel)


def announce(board_id: int, participant_id: int, frame: dict) -> None:
    """Close the participant's sockets here and, in scale-out, on every other process."""
    if _redis is None:
        close_local(board_id, participant_id, frame)
        return
    if outages.is_down(outages.REDIS):  # every socket was closed meanwhile; the removed token no longer connects
        close_local(board_id, participant_id, frame)
        return
    message = json.dumps({"board": board_id, "participant": participant_id, "frame": frame})
    try:
        _redis.publish(_channel, message)  # this process hears it too, like the others
    except Exception as exc:  # noqa: BLE001 - Redis away: close what this process holds, at least
        if outages.dependency_of(exc) == outages.REDIS:
            outages.failed(outages.REDIS, exc)
        else:
            log.exception("could not announce the removal of participant %s", participant_id)
        close_local(board_id, participant_id, frame)


def close_local(board_id: int, participant_id: int, frame: dict) -> int:
    """Send the removal frame to this process's sockets of the participant, then close them; how many."""
    closed = 0
    for sid in hub.local_sids(board_id):
        conn = connections.get(sid)
        if conn is not None and conn.actor.participant_id == participant_id:
            hub.send_event_then_close_here(sid, frame)  # it must arrive before the close
            closed += 1
    return closed


def _listen_forever(url: str, channel: str) -> None:
    import redis

    while True:
        try:
            pubsub = redis.Redis.from_url(url, socket_connect_timeout=5).pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(channel)
        except Exception as exc:  # noqa: BLE001 - Redis does not answer: an outage (one line), try every second
            if outages.dependency_of(exc) != outages.REDIS:
                log.exception("removals listener could not subscribe")
            else:
                outages.failed(outages.REDIS, exc)
            socketio.sleep(1)
            continue
        try:
            for message in pubsub.listen():
                data = json.loads(message["data"])
                close_local(int(data["board"]), int(data["participant"]), data["frame"])
        except Exception as exc:  # noqa: BLE001 - the subscription dropped: subscribe again at once
            if outages.dependency_of(exc) != outages.REDIS:
                log.exception("removals listener failed; subscribing again")
