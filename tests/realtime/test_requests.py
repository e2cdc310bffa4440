"""The read-only requests (`vote_mine`, `clock`, `show_progress`, `map_email_preview`) go through
`dispatch.request`: one JSON object argument, validated strictly, rate-limited, answered in the ack.

On a real server (SQLite): each request still answers normally; two arguments, wrong types and a
payload that is not an object get `invalid_payload` naming the field; the board is unchanged and
the server log holds no traceback. In process (threading mode) with the wire guard's own argument
check taken out, so the decorator itself is what answers: two arguments are `invalid_payload`, and
a handler that fails answers `server_error` (logged) instead of silence.
"""
from __future__ import annotations

import logging

import pytest

from tests.support.board_seed import seed
from tests.support.raw_client import connect_as, head_and_snapshot
from tests.support.server import ServerProcess

REQUEST_NAMES = ("vote_mine", "clock", "show_progress", "map_email_preview")
# Who sends each request in these tests (show_progress is the facilitator's).
SENDER = {"vote_mine": "author", "clock": "author", "show_progress": "facilitator", "map_email_preview": "author"}
# What a normal answer carries besides "ok".
ANSWER_KEY = {"vote_mine": "mine", "clock": "server_now", "show_progress": "participants", "map_email_preview": "draft"}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("requests")
    server = ServerProcess(f"sqlite:///{log_dir / 'requests.sqlite3'}", log_dir=log_dir).start()
    try:
        yield server, seed(server.url)
    finally:
        server.stop()


def valid(board, name: str) -> dict:
    return {"vote_mine": {}, "clock": {}, "show_progress": {},
            "map_email_preview": {"project_id": board.ids["project"], "ring": "inner"}}[name]


def wrong_types(board) -> list[tuple[str, dict, str]]:
    """(request, payload, the field the error must name)."""
    project = board.ids["project"]
    return [
        ("vote_mine", {"voter_id": "3"}, "voter_id"),
        ("vote_mine", {"voter_id": 1.5}, "voter_id"),
        ("vote_mine", {"voter_id": True}, "voter_id"),
        ("vote_mine", {"voter_id": [3]}, "voter_id"),
        ("vote_mine", {"voter": 3}, "voter"),
        ("clock", {"now": 1}, "now"),
        ("show_progress", {"phase": "vote"}, "phase"),
        ("map_email_preview", {"project_id": str(project), "ring": "inner"}, "project_id"),
        ("map_email_preview", {"project_id": True, "ring": "inner"}, "project_id"),
        ("map_email_preview", {"project_id": float(project), "ring": "inner"}, "project_id"),
        ("map_email_preview", {"project_id": project, "ring": 1}, "ring"),
        ("map_email_preview", {"project_id": project, "ring": "moon"}, "ring"),
        ("map_email_preview", {"project_id": project, "ring": None}, "ring"),
        ("map_email_preview", {"project_id": project}, "ring"),
        ("map_email_preview", {}, "project_id"),
    ]


NOT_AN_OBJECT = ["since=0", 42, 1.5, True, [], [{}]]


def assert_invalid(ack, field: str | None = None) -> None:
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_payload", ack
    assert ack["error"]["message"], ack
    if field is not None:
        assert ack["error"]["params"]["field"] == field, ack


@pytest.mark.parametrize("name", REQUEST_NAMES)
def test_each_request_still_answers_normally(live, name):
    server, board = live
    sock = connect_as(server, board, SENDER[name])
    try:
        ack = sock.call(name, valid(board, name))
        assert ack["ok"] is True and ANSWER_KEY[name] in ack, ack
        if name != "map_email_preview":  # no argument, or null, stands for {}
            for args in ((), (None,)):
                again = sock.call(name, *args)
                assert again["ok"] is True and ANSWER_KEY[name] in again, (args, again)
    finally:
        sock.close()
    if name == "vote_mine":
        assert ack["mine"]["voter_id"] == board.participant_ids["author"]
    if name == "map_email_preview":
        assert ack["draft"]["ring"] == "inner" and ack["draft"]["subject"]
    if name == "show_progress":
        assert {row["participant_id"] for row in ack["participants"]} >= set(board.participant_ids.values())


@pytest.mark.parametrize("name", REQUEST_NAMES)
def test_two_arguments_get_invalid_payload(live, name):
    server, board = live
    before = head_and_snapshot(server, board)
    sock = connect_as(server, board, SENDER[name])
    try:
        for args in ((valid(board, name), valid(board, name)), (valid(board, name), "extra"), ({}, {}, {})):
            assert_invalid(sock.call(name, *args), "payload")
        assert sock.call(name, valid(board, name))["ok"] is True  # the connection still works
    finally:
        sock.close()
    assert head_and_snapshot(server, board) == before


@pytest.mark.parametrize("name", REQUEST_NAMES)
def test_a_payload_that_is_not_an_object_gets_invalid_payload(live, name):
    server, board = live
    sock = connect_as(server, board, SENDER[name])
    try:
        for payload in NOT_AN_OBJECT:
            assert_invalid(sock.call(name, payload), "payload")
    finally:
        sock.close()


def test_wrong_types_get_invalid_payload_naming_the_field(live):
    server, board = live
    before = head_and_snapshot(server, board)
    for name, payload, field in wrong_types(board):
        sock = connect_as(server, board, SENDER[name])
        try:
            assert_invalid(sock.call(name, payload), field)
        finally:
            sock.close()
    assert head_and_snapshot(server, board) == before


def test_the_server_log_holds_no_traceback(live):
    server, _board = live
    log = server.log_path.read_text(errors="replace")
    assert "Traceback" not in log, log[log.index("Traceback") - 200:][:3000]


# -- in process, the decorator on its own -------------------------------------------------------------
@pytest.fixture
def in_process(make_app, monkeypatch):
    """(app, socketio, facilitator auth, participant auth) with the wire guard's argument check taken out."""
    from server.realtime.hub import socketio

    app = make_app()
    http = app.test_client()
    created = http.post("/api/boards", json={"title": "Atelier"}).get_json()
    code = created["board"]["code"]
    joined = http.post(f"/api/boards/{code}/join", json={"name": "Ana"}).get_json()
    # wire_guard.install() shadows the server's _handle_event on the instance; without it, events go
    # straight to the handlers, so what answers here is dispatch.request.
    monkeypatch.delattr(socketio.server, "_handle_event")
    return app, socketio, {"board": code, "token": created["facilitator_token"]}, {"board": code, "token": joined["token"]}


def test_the_decorator_itself_refuses_two_arguments(in_process):
    app, socketio, facilitator, participant = in_process
    senders = {"vote_mine": participant, "clock": participant, "show_progress": facilitator,
               "map_email_preview": participant}
    for name in REQUEST_NAMES:
        client = socketio.test_client(app, auth=senders[name])
        try:
            assert client.is_connected()
            assert_invalid(client.emit(name, {}, {}, callback=True), "payload")
            assert_invalid(client.emit(name, {}, {}, {}, callback=True), "payload")
            assert_invalid(client.emit(name, "text", callback=True), "payload")
            if name != "map_email_preview":
                assert client.emit(name, {}, callback=True)["ok"] is True
            else:  # no such project on this board: a DomainError, answered with its code
                ack = client.emit(name, {"project_id": 999, "ring": "inner"}, callback=True)
                assert ack["ok"] is False and ack["error"]["code"] == "project_not_found", ack
        finally:
            client.disconnect()


def test_a_request_that_fails_answers_server_error_and_logs_it(in_process, monkeypatch, caplog):
    from server.services.votes import use_cases as votes

    app, socketio, _facilitator, participant = in_process

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(votes, "mine", broken)
    client = socketio.test_client(app, auth=participant)
    try:
        with caplog.at_level(logging.ERROR, logger="server.realtime.dispatch"):
            ack = client.emit("vote_mine", {}, callback=True)
        assert ack == {"ok": False, "error": {"code": "server_error", "params": {},
                                              "message": "the server could not answer this request; try again"}}
        assert any("request vote_mine failed" in record.getMessage() and record.exc_info for record in caplog.records)
        assert client.emit("clock", {}, callback=True)["ok"] is True  # still serving
    finally:
        client.disconnect()


def test_a_rate_limited_request_says_when_to_retry(in_process):
    app, socketio, _facilitator, participant = in_process
    client = socketio.test_client(app, auth=participant)
    try:
        acks = [client.emit("clock", {}, callback=True) for _ in range(40)]
    finally:
        client.disconnect()
    refused = [ack for ack in acks if not ack["ok"]]
    assert refused, "40 requests in a moment on one connection: the limit is 30 a second"
    error = refused[0]["error"]
    assert error["code"] == "rate_limited" and error["params"]["scope"] == "commands_per_connection"
    assert error["params"]["retry_after"] >= 1 and error["params"]["limit"]
