"""The disconnect handler never sends and never raises (in process, Flask-SocketIO's test client).

A broadcast sent from inside a disconnect reached other sockets whose ping had timed out; engineio
closed each of them on the spot and ran *their* disconnect inside it: 200 dropped laptops nested 200
disconnects deep (RecursionError), and the people after it stayed "online". Now the handler only
forgets the socket and leaves the announcement to a task of its own.
"""
from __future__ import annotations

import logging


def test_a_disconnect_sends_nothing_itself_and_announces_from_its_own_task(make_app, monkeypatch):
    from server.realtime import hub
    from server.realtime.hub import socketio

    app = make_app()
    http = app.test_client()
    code = http.post("/api/boards", json={"title": "Atelier"}).get_json()["board"]["code"]
    ana = http.post(f"/api/boards/{code}/join", json={"name": "Ana"}).get_json()
    client = socketio.test_client(app, auth={"board": code, "token": ana["token"]})
    assert client.is_connected()

    sent, tasks = [], []
    monkeypatch.setattr(hub.socketio, "emit", lambda *args, **kwargs: sent.append((args, kwargs)))
    monkeypatch.setattr(hub.socketio, "start_background_task", lambda fn, *args: tasks.append((fn, args)))
    client.disconnect()
    assert sent == [], "the disconnect handler sent something itself"
    assert [fn.__name__ for fn, _ in tasks] == ["announce_if_offline"]

    fn, args = tasks[0]
    fn(*args)  # the task, run later: Ana went offline
    assert [(a[0], a[1]) for a, _ in sent] == [("presence", {"participant_id": ana["participant"]["id"], "online": False})]


def test_a_disconnect_that_fails_inside_is_logged_in_one_line_not_raised(make_app, monkeypatch, caplog):
    from server.realtime import connections
    from server.realtime.hub import socketio

    app = make_app()
    http = app.test_client()
    code = http.post("/api/boards", json={"title": "Atelier"}).get_json()["board"]["code"]
    ana = http.post(f"/api/boards/{code}/join", json={"name": "Ana"}).get_json()
    client = socketio.test_client(app, auth={"board": code, "token": ana["token"]})

    def broken(sid):
        raise RuntimeError("boom")

    monkeypatch.setattr(connections, "remove", broken)
    with caplog.at_level(logging.WARNING):
        client.disconnect()  # would raise into engineio's close before
    lines = [r for r in caplog.records if "disconnect of" in r.getMessage()]
    assert len(lines) == 1 and "RuntimeError: boom" in lines[0].getMessage() and lines[0].exc_info is None
