"""Hypothesis throws generated payloads at every command, request and ephemeral frame of a real server.

Payloads are the valid template of each name (tests/support/board_seed.py) mutated: a key replaced by
any JSON value, a key added or dropped, a string over its limit (or full of NULs, lone surrogates,
markup, right-to-left marks), integers at and beyond every bound, floats and booleans where integers
go, JSON nested hundreds deep, a bad op_id, no argument or two; or any JSON value at all. Sent in
batches over raw sockets (several connections per role, so the per-connection rate limit stays out
of the way), then checked:
- every request gets an ack, `ok: true` or a clear error (never `server_error`);
- sent by the projector (who may change nothing), no command is accepted and the board's snapshot
  and log head are exactly as before;
- sent by the facilitator and a participant, the log grows by exactly the accepted commands, and a
  batch with no accepted command leaves the snapshot exactly as it was;
- the server still answers at the end.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.realtime.events import COMMANDS, EPHEMERAL, REQUESTS
from tests.support.board_seed import seed, templates, with_op_id
from tests.support.raw_client import RawClosed, RawSocket
from tests.support.server import ServerProcess

SERVER_ONLY_EPHEMERAL = {"presence"}        # sent by the server only; a client sending it gets unknown_event
CLIENT_EPHEMERAL = tuple(name for name in EPHEMERAL if name not in SERVER_ONLY_EPHEMERAL)
NAMES = tuple(COMMANDS) + tuple(REQUESTS) + CLIENT_EPHEMERAL
FRAME_BUDGET = 60_000                       # stay under the transport limit (64 KiB); bigger frames: test_fuzz_frames
EXAMPLES = {"projector": 120, "writers": 180}
BATCH = 24

STATS = {"payloads": 0, "accepted": 0, "refused": 0, "rate_limited": 0, "ephemeral": 0, "batches": 0}


@dataclass
class Case:
    role: str
    name: str
    args: tuple


class Pool:
    """A few authenticated raw sockets for one role, used in turn."""

    def __init__(self, url: str, code: str, token: str, size: int) -> None:
        self.url, self.code, self.token = url, code, token
        self.sockets = [self._open() for _ in range(size)]
        self.turn = 0

    def _open(self) -> RawSocket:
        sock = RawSocket(self.url)
        ok, refusal = sock.connect({"board": self.code, "token": self.token})
        assert ok, refusal
        return sock

    def next(self) -> RawSocket:
        self.turn = (self.turn + 1) % len(self.sockets)
        return self.sockets[self.turn]

    def replace(self, sock: RawSocket) -> RawSocket:
        sock.close()
        fresh = self.sockets[self.sockets.index(sock)] = self._open()
        return fresh

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()


@pytest.fixture(scope="module")
def arena(tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("fuzz")
    server = ServerProcess(f"sqlite:///{log_dir / 'fuzz.sqlite3'}", log_dir=log_dir).start()
    board = seed(server.url)
    pools = {role: Pool(server.url, board.code, board.tokens[role], 10) for role in ("projector", "facilitator", "author")}
    pools["observer"] = Pool(server.url, board.code, board.tokens["facilitator"], 6)
    yield server, board, pools
    for pool in pools.values():
        pool.close()
    server.stop()
    print(f"\nfuzz: {STATS['payloads']} payloads in {STATS['batches']} batches; {STATS['accepted']} accepted, "
          f"{STATS['refused']} refused with an error ack ({STATS['rate_limited']} of them rate_limited), "
          f"{STATS['ephemeral']} ephemeral frames (never acked)")


def test_every_client_name_has_a_template(arena):
    _, board, _ = arena
    assert set(NAMES) <= set(templates(board)), f"no fuzz template for {sorted(set(NAMES) - set(templates(board)))}"
    assert set(templates(board)) <= set(NAMES), "a template for a name the server does not list"


# -- strategies ------------------------------------------------------------------------------------------
WEIRD_TEXT = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\ud800", "\udfff", "\u202eevil", "<script>alert(1)</script>", "</svg><img src=x onerror=1>",
    "'; DROP TABLE events; --", "=HYPERLINK(\"http://x\")", "\U0001F4A5" * 30, "e\u0301" * 40, "\n\r\t", "%s%n", "${jndi:x}",
])
TEXT = st.one_of(st.text(max_size=40), WEIRD_TEXT)
INTS = st.one_of(
    st.integers(min_value=-3, max_value=3), st.sampled_from([2**31 - 1, 2**31, 2**53 + 1, 2**63, 10**30, -(10**30)]),
    st.integers(min_value=-(2**70), max_value=2**70),
)
LEAF = st.one_of(st.none(), st.booleans(), INTS, st.floats(allow_nan=False, allow_infinity=False), TEXT)
JSON = st.recursive(LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)


@dataclass(frozen=True)
class Deep:
    """JSON nested `depth` levels deep, kept as text (Python's json module cannot write it past ~1,000)."""

    depth: int
    kind: str

    @property
    def text(self) -> str:
        if self.kind == "list":
            return "[" * self.depth + "1" + "]" * self.depth
        return '{"a":' * self.depth + "1" + "}" * self.depth


DEEP = st.builds(Deep, st.sampled_from([30, 200, 900, 990, 1500, 5000]), st.sampled_from(["list", "dict"]))


def wire(name: str, args: tuple) -> str:
    """The event's JSON array as sent, with every Deep spliced in as its text."""
    deep: list[Deep] = []

    def hole(value):
        if isinstance(value, Deep):
            deep.append(value)
            return f"@@DEEP{len(deep) - 1}@@"
        raise TypeError(value)

    text = json.dumps([name, *args], default=hole)
    for index, value in enumerate(deep):
        text = text.replace(f'"@@DEEP{index}@@"', value.text, 1)
    return text
BAD_OP_IDS = st.one_of(st.sampled_from(["", "short", "x" * 65, "has space!!", "ünïcödé-op", "a" * 8 + "\x00"]), INTS, st.none())


def paths(value, prefix=()):
    """Every (path, leaf value) inside a template."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from paths(inner, prefix + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from paths(inner, prefix + (index,))
    yield prefix, value


def put(value, path, new):
    """A copy of `value` with the thing at `path` replaced by `new` (or removed, when `new` is DROP)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        copy = dict(value)
        if rest or new is not DROP:
            copy[head] = put(value[head], rest, new)
        else:
            copy.pop(head, None)
        return copy
    copy = list(value)
    if rest or new is not DROP:
        copy[head] = put(value[head], rest, new)
    else:
        del copy[head]  # dropping a list item (a template with a list, e.g. an agenda's phases)
    return copy


DROP = object()


@st.composite
def mutated(draw, template: dict):
    targets = [p for p, _ in paths(template) if p]
    how = draw(st.sampled_from(["any", "replace", "add", "drop", "long", "number", "deep", "op_id", "valid"]))
    if how == "any" or not targets and how in ("replace", "drop", "long", "number"):
        return draw(st.one_of(JSON, DEEP))
    if how == "valid":
        return template
    if how == "add":
        return {**template, draw(TEXT): draw(JSON)}
    if how == "op_id":
        return {**template, "op_id": draw(BAD_OP_IDS)}
    if how == "deep":
        return put(template, draw(st.sampled_from(targets)) if targets else (), draw(DEEP)) if targets else draw(DEEP)
    path = draw(st.sampled_from(targets))
    if how == "drop":
        return put(template, path, DROP)
    if how == "long":
        size = draw(st.sampled_from([41, 61, 121, 201, 501, 1001, 4001, 5001, 20000]))
        filler = draw(st.sampled_from(["x", "é", "\U0001F30D", "\x00"]))
        return put(template, path, filler * size)
    if how == "number":
        return put(template, path, draw(st.one_of(INTS, st.floats(allow_nan=False), st.sampled_from([True, False, "1", [], {}]))))
    return put(template, path, draw(JSON))


@st.composite
def case(draw, roles: tuple[str, ...], board_templates: dict):
    name = draw(st.sampled_from(NAMES))
    payload = draw(mutated(with_op_id(name, board_templates[name])))
    arity = draw(st.sampled_from([1] * 8 + [0, 2]))
    args = () if arity == 0 else (payload,) if arity == 1 else (payload, draw(JSON))
    return Case(draw(st.sampled_from(roles)), name, args)


def encoded_size(item: Case) -> int:
    return len(wire(item.name, item.args))


# -- sending and checking --------------------------------------------------------------------------------
def send_batch(pools: dict, batch: list[Case]) -> list[tuple[Case, dict]]:
    """Send every case (acked ones pipelined); returns (case, ack) for the acked ones."""
    pending = []
    for item in batch:
        sock = pools[item.role].next()
        try:
            if item.name in CLIENT_EPHEMERAL:
                sock.emit_encoded(wire(item.name, item.args), ack=False)
                STATS["ephemeral"] += 1
            else:
                pending.append((item, sock, sock.emit_encoded(wire(item.name, item.args))))
        except RawClosed:
            pools[item.role].replace(sock)
            raise
    answered = []
    for item, sock, ack_id in pending:
        ack = sock.wait_ack(ack_id, timeout=20)
        sock.events.clear()
        answered.append((item, ack))
    STATS["payloads"] += len(batch)
    STATS["batches"] += 1
    return answered


def check_ack(item: Case, ack) -> bool:
    """A clear answer; True when the command was accepted (changed the board)."""
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), (item, ack)
    if ack["ok"]:
        STATS["accepted"] += item.name in COMMANDS
        return item.name in COMMANDS and not ack.get("duplicate")
    error = ack["error"]
    assert isinstance(error["code"], str) and error["code"] and isinstance(error["message"], str), (item, ack)
    assert error["code"] != "server_error", f"the server failed on {item.name} {str(item.args)[:300]}: {ack}"
    STATS["refused"] += 1
    STATS["rate_limited"] += error["code"] == "rate_limited"
    return False


def observe(pools: dict) -> tuple[int, dict]:
    """The board's log head and the facilitator's snapshot (without its clock reading), right now."""
    observers = pools["observer"]
    sock = observers.next()
    reply = sock.call("sync", {}, timeout=20)
    if not reply["ok"] and reply["error"]["code"] == "rate_limited":
        sock = observers.replace(sock)  # this one spent its syncs: a new connection has its own budget
        reply = sock.call("sync", {}, timeout=20)
    assert reply["ok"], reply
    snapshot = reply["snapshot"]
    snapshot.get("show", {}).pop("server_now", None)
    return reply["seq"], snapshot


FUZZ_SETTINGS = dict(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))


@settings(max_examples=EXAMPLES["projector"], **FUZZ_SETTINGS)
@given(data=st.data())
def test_fuzz_as_the_projector_changes_nothing(arena, data):
    server, board, pools = arena
    board_templates = templates(board)
    batch = [item for item in data.draw(st.lists(case(("projector",), board_templates), min_size=BATCH // 2, max_size=BATCH))
             if encoded_size(item) <= FRAME_BUDGET]
    head, before = observe(pools)
    for item, ack in send_batch(pools, batch):
        assert not check_ack(item, ack) and not (ack["ok"] and item.name in COMMANDS), (item, ack)
    assert observe(pools) == (head, before)


@settings(max_examples=EXAMPLES["writers"], **FUZZ_SETTINGS)
@given(data=st.data())
def test_fuzz_as_facilitator_and_author_logs_exactly_the_accepted_commands(arena, data):
    server, board, pools = arena
    board_templates = templates(board)
    batch = [item for item in data.draw(st.lists(case(("facilitator", "author"), board_templates), min_size=BATCH // 2, max_size=BATCH))
             if encoded_size(item) <= FRAME_BUDGET]
    head, before = observe(pools)
    accepted = [ack["seq"] for item, ack in send_batch(pools, batch) if check_ack(item, ack)]
    head_after, after = observe(pools)
    assert sorted(accepted) == list(range(head + 1, head_after + 1)), "the log holds something no ack accepted"
    if not accepted:
        assert after == before, "a refused command changed the board"


def test_the_server_still_serves_after_the_fuzz(arena):
    server, board, pools = arena
    assert server.proc.poll() is None
    head, snapshot = observe(pools)
    assert snapshot["seq"] == head and not math.isnan(head)
    log = server.log_path.read_text(errors="replace")
    assert "Traceback" not in log, log[log.index("Traceback") - 200:][:3000]
