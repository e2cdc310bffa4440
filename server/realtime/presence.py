"""Who is online on a board, across every process of a deployment (scale-out mode).

One process: `connections` counts sockets in memory and that is the truth. Several processes (REDIS_URL
set): each process keeps its own counts in Redis, one hash per board and process,

    snowball:<channel>:presence:<board>:<process>   participant_id -> open sockets on that process
    snowball:<channel>:presence:<board>:procs       process -> time of its last heartbeat (sorted set)

so a participant is online when the processes still alive hold at least one socket of theirs. A
process heartbeats every `ttl / 3` seconds; one that stopped (crash, SIGKILL) is dropped by the first
other process that notices its heartbeat is older than `ttl`, which then says `online: false` for the
participants that had sockets only there. Presence frames are hints: a client also takes the full
`online` list from every `sync` reply. After each announcement the announcer reads the count again and
corrects itself, so two processes racing (one socket closing here while another opens there) end
with the right last word on every screen.
"""
from __future__ import annotations

import logging
import time
import uuid

from ..protection import outages
from .hub import broadcast_ephemeral

log = logging.getLogger(__name__)

POOL_SIZE = 64  # Redis connections a process's presence may hold

# Decrement a participant's count on this process and drop the field at zero, atomically.
_DECREMENT = """
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return left
"""

# A participant's open sockets over the live processes, in one round trip (not one to list the processes,
# then one to read their counts): a connect asks twice, and each round trip waits a hub cycle under load.
# KEYS[1]: the board's process set; ARGV: live since, the counts key prefix, the participant.
_COUNT = """
local total = 0
for _, process in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')) do
  local n = tonumber(redis.call('HGET', ARGV[2] .. process, ARGV[3]) or '0')
  if n > 0 then total = total + n end
end
return total
"""

# The participants with at least one socket on a live process, in one round trip (each sync asks).
# KEYS[1]: the board's process set; ARGV: live since, the counts key prefix.
_ONLINE = """
local seen, ids = {}, {}
for _, process in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')) do
  local counts = redis.call('HGETALL', ARGV[2] .. process)
  for i = 1, #counts, 2 do
    if tonumber(counts[i + 1]) > 0 and not seen[counts[i]] then
      seen[counts[i]] = true
      ids[#ids + 1] = counts[i]
    end
  end
end
return ids
"""


class RedisPresence:
    """This process's presence counts in Redis, and the board-wide view over every live process."""

    def __init__(self, url: str, channel: str, ttl_s: float, process_id: str | None = None, on_first_socket=None) -> None:
        import redis

        # A bounded pool that waits for a free connection: a connect storm must not fail with
        # "Too many connections" (redis-py's default pool refuses past 100). Each round trip holds
        # its connection for a hub cycle: 16 capped a 1,000-socket connect storm at ~20 connects/s.
        pool = redis.BlockingConnectionPool.from_url(url, max_connections=POOL_SIZE, timeout=5,
                                                     socket_timeout=5, socket_connect_timeout=5)
        self.redis = redis.Redis(connection_pool=pool)
        self.prefix = f"snowball:{channel}:presence"
        self.process_id = process_id or uuid.uuid4().hex[:12]
        self.ttl_s = ttl_s
        self._local: dict[int, dict[int, int]] = {}  # board -> participant -> sockets open here
        self._decrement = self.redis.register_script(_DECREMENT)
        self._count = self.redis.register_script(_COUNT)
        self._online = self.redis.register_script(_ONLINE)
        self._on_first_socket = on_first_socket  # starts the heartbeat once a socket is really open
        self._boards_written: set[int] = set()  # boards whose counts this process wrote to Redis

    def _counts(self, board_id: int, process_id: str) -> str:
        return f"{self.prefix}:{board_id}:{process_id}"

    def _procs(self, board_id: int) -> str:
        return f"{self.prefix}:{board_id}:procs"

    def _beat(self, pipe, board_id: int) -> None:
        pipe.zadd(self._procs(board_id), {self.process_id: time.time()})
        pipe.expire(self._procs(board_id), int(self.ttl_s * 4) + 1)
        pipe.expire(self._counts(board_id, self.process_id), int(self.ttl_s * 2) + 1)

    def _shared(self, call, fallback):
        """`call()` on Redis; while Redis is away (or when this call finds it away), `fallback()`: this process's view."""
        if outages.is_down(outages.REDIS):
            return fallback()
        try:
            return call()
        except Exception as exc:
            if outages.dependency_of(exc) != outages.REDIS:
                raise
            outages.failed(outages.REDIS, exc)
            return fallback()

    def add(self, board_id: int, participant_id: int) -> None:
        """One more socket of this participant on this process."""
        if self._on_first_socket is not None:
            start, self._on_first_socket = self._on_first_socket, None
            start()
        board = self._local.setdefault(board_id, {})
        board[participant_id] = board.get(participant_id, 0) + 1
        self._boards_written.add(board_id)

        def write() -> None:
            pipe = self.redis.pipeline()
            pipe.hincrby(self._counts(board_id, self.process_id), str(participant_id), 1)
            self._beat(pipe, board_id)
            pipe.execute()

        self._shared(write, lambda: None)  # `restore` writes the counts again once Redis is back

    def remove(self, board_id: int, participant_id: int) -> None:
        """One socket fewer of this participant on this process."""
        board = self._local.get(board_id, {})
        left = board.get(participant_id, 0) - 1
        if left > 0:
            board[participant_id] = left
        else:
            board.pop(participant_id, None)
            if not board:
                self._local.pop(board_id, None)
        self._shared(lambda: self._decrement(keys=[self._counts(board_id, self.process_id)], args=[str(participant_id)]),
                     lambda: None)

    def local_count(self, board_id: int, participant_id: int) -> int:
        """Sockets this participant has open on this process."""
        return self._local.get(board_id, {}).get(participant_id, 0)

    def restore(self) -> None:
        """After an outage: write this process's counts again from memory (drops the ones Redis kept from before)."""
        boards = sorted(self._boards_written | set(self._local))
        pipe = self.redis.pipeline()
        for board_id in boards:
            key = self._counts(board_id, self.process_id)
            pipe.delete(key)
            counts = {str(pid): n for pid, n in self._local.get(board_id, {}).items() if n > 0}
            if counts:
                pipe.hset(key, mapping=counts)
                self._beat(pipe, board_id)
        pipe.execute()
        self._boards_written = set(self._local)

    def count(self, board_id: int, participant_id: int) -> int:
        """Sockets this participant has open on every live process (this process's alone while Redis is away)."""
        def shared() -> int:
            return int(self._count(keys=[self._procs(board_id)],
                                   args=[time.time() - self.ttl_s, f"{self.prefix}:{board_id}:", str(participant_id)]))

        return self._shared(shared, lambda: self.local_count(board_id, participant_id))

    def online_ids(self, board_id: int) -> list[int]:
        """Participants with at least one socket open on a live process (on this one while Redis is away)."""
        def shared() -> list[int]:
            ids = self._online(keys=[self._procs(board_id)], args=[time.time() - self.ttl_s, f"{self.prefix}:{board_id}:"])
            return sorted(int(pid) for pid in ids)

        return self._shared(shared, lambda: sorted(pid for pid, n in self._local.get(board_id, {}).items() if n > 0))

    def heartbeat(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Refresh this process's entries and drop processes that stopped.

        Returns (went offline, came back): the (board, participant) pairs whose only sockets were on a
        process that stopped, and the ones of this process if another one had taken it for stopped
        (a stall longer than the TTL): its counts are written again from memory.
        """
        boards = list(self._local)
        pipe = self.redis.pipeline()
        for board_id in boards:
            self._beat(pipe, board_id)
        answers = pipe.execute()
        came_back: list[tuple[int, int]] = []
        for board_id, added in zip(boards, answers[::3]):
            if added:  # we had been reaped: our counts hash is gone, write it again
                counts = {str(pid): n for pid, n in self._local.get(board_id, {}).items()}
                if counts:
                    key = self._counts(board_id, self.process_id)
                    self.redis.hset(key, mapping=counts)
                    self.redis.expire(key, int(self.ttl_s * 2) + 1)
                    came_back += [(board_id, int(pid)) for pid in counts]
        went_offline: list[tuple[int, int]] = []
        for board_id in boards:
            stale = self.redis.zrangebyscore(self._procs(board_id), "-inf", time.time() - self.ttl_s)
            for raw in stale:
                dead = raw.decode()
                # ZREM answers 1 to exactly one process: that one announces, once.
                if dead == self.process_id or not self.redis.zrem(self._procs(board_id), dead):
                    continue
                key = self._counts(board_id, dead)
                orphans = [int(pid) for pid in self.redis.hkeys(key)]
                self.redis.delete(key)
                went_offline += [(board_id, pid) for pid in orphans if self.count(board_id, pid) == 0]
        return went_offline, came_back


_store: RedisPresence | None = None


def store() -> RedisPresence | None:
    """The Redis presence store of this process, or None in single-process mode."""
    return _store


def configure(settings, socketio) -> None:
    """Scale-out mode: count presence in Redis and heartbeat it from a background task."""
    global _store
    if settings.redis_url is None:
        _store = None
        return
    _store = RedisPresence(settings.redis_url, settings.redis_channel, settings.presence_ttl_s,
                           on_first_socket=lambda: socketio.start_background_task(_heartbeat_forever, _store, socketio))


def _heartbeat_forever(presence: RedisPresence, socketio) -> None:
    while True:
        socketio.sleep(presence.ttl_s / 3)
        if outages.is_down(outages.REDIS):
            continue  # `restore` rewrites this process's entries once Redis is back
        try:
            went_offline, came_back = presence.heartbeat()
            for board_id, participant_id in went_offline:
                broadcast_ephemeral(board_id, "presence", {"participant_id": participant_id, "online": False})
            for board_id, participant_id in came_back:
                broadcast_ephemeral(board_id, "presence", {"participant_id": participant_id, "online": True})
        except Exception as exc:  # noqa: BLE001 - Redis away: reported once per outage; try again at the next beat
            if outages.dependency_of(exc) == outages.REDIS:
                outages.failed(outages.REDIS, exc)
            else:
                log.exception("presence heartbeat failed")
