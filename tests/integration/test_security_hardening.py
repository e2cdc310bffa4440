"""HTTP hardening: the CSP and security headers on every kind of response, no user text in server-made
HTML, secrets only hashed at rest (SQLite and PostgreSQL), and foreign origins kept off the socket."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import requests
from sqlalchemy import inspect, select, text

from server.protection.headers import CSP

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def create(http, title: str = "Atelier") -> dict:
    response = http.post("/api/boards", json={"title": title, "language": "en"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def board(http):
    created = create(http, title=HOSTILE[:120])
    joined = http.post(f"/api/boards/{created['board']['code']}/join", json={"name": HOSTILE[:40]}).get_json()
    return created, joined


def every_kind_of_response(http, created, joined):
    code = created["board"]["code"]
    facilitator = {"Authorization": f"Bearer {created['facilitator_token']}"}
    return [
        ("home", http.get("/"), 200),
        ("participant page", http.get(f"/b/{code}"), 200),
        ("facilitator page", http.get(f"/b/{code}/host"), 200),
        ("projector page", http.get(f"/b/{code}/screen"), 200),
        ("join QR code", http.get(f"/b/{code}/qr.svg"), 200),
        ("unknown board's QR code", http.get("/b/ACDEFG/qr.svg"), 404),
        ("static file", http.get("/static/index.html"), 200),
        ("health", http.get("/healthz"), 200),
        ("API answer", http.get(f"/api/boards/{code}"), 200),
        ("API error", http.get("/api/boards/ACDEFG"), 404),
        ("join", http.post(f"/api/boards/{code}/join", json={"name": "Bo"}), 201),
        ("export", http.get(f"/api/boards/{code}/exports/summary.md", headers=facilitator), 200),
        ("export refused", http.get(f"/api/boards/{code}/exports/summary.md"), 401),
        ("wrong method", http.delete("/api/boards"), 405),
        ("no such page", http.get("/no/such/page"), 404),
        ("body too large", http.post(f"/api/boards/{code}/join", data="x" * 300_000, content_type="application/json"), 413),
    ]


def test_every_kind_of_response_carries_the_csp_and_security_headers(http, board):
    for what, response, status in every_kind_of_response(http, *board):
        with response:
            assert response.status_code == status, (what, response.status_code)
            for name, value in HEADERS.items():
                assert response.headers.get(name) == value, (what, name, response.headers.get(name))


def test_a_rate_limited_answer_carries_them_too(make_app):
    http = make_app().test_client()
    for _ in range(31):
        http.get("/api/boards/ACDEFG")
    response = http.get("/api/boards/ACDEFG")
    assert response.status_code == 429 and response.headers["Retry-After"]
    for name, value in HEADERS.items():
        assert response.headers[name] == value


def test_the_csp_allows_no_inline_script_and_no_foreign_source():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP and "*" not in CSP
    assert directives["script-src"].split()[0] == "'self'"
    assert all(source in ("'self'",) or source.startswith("'sha256-") for source in directives["script-src"].split())
    # ws:/wss: any host, because older Safari does not match same-origin WebSockets with 'self';
    # with no inline or foreign script allowed, no script of another origin runs here to use it.
    assert directives["connect-src"] == "'self' ws: wss:"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"


def test_server_made_html_never_holds_user_text(http, board):
    created, joined = board
    code = created["board"]["code"]
    for path in ("/", f"/b/{code}", f"/b/{code}/host", f"/b/{code}/screen", f"/b/{code}/qr.svg"):
        body = http.get(path).get_data(as_text=True)
        assert "<script>alert" not in body and "onerror=alert" not in body, path
        assert "alert(" not in body, path
    # What people typed reaches clients only as JSON, never sniffed as HTML.
    info = http.get(f"/api/boards/{code}")
    assert info.mimetype == "application/json" and info.get_json()["board"]["title"] == HOSTILE[:120]


@pytest.mark.parametrize("path", ["/b/<script>alert(1)</script>", "/nothing/<img src=x onerror=alert(1)>",
                                  "/api/boards/<script>alert(1)</script>", "/b/%3Cscript%3Ealert(1)%3C%2Fscript%3E/qr.svg"])
def test_hostile_paths_are_not_echoed_as_markup(http, path):
    response = http.get(path)
    body = response.get_data(as_text=True)
    assert "alert(1)" not in body and "<img src=x" not in body, (response.status_code, body[:300])


def test_polling_answers_carry_nosniff_and_foreign_origins_are_refused(server):
    """Engine.IO long-polling is answered outside Flask; its answers carry text the board's people typed."""
    poll = f"{server.url}/socket.io/?EIO=4&transport=polling"
    own = requests.get(poll, timeout=10)
    assert own.status_code == 200
    assert own.headers["X-Content-Type-Options"] == "nosniff" and own.headers["Cache-Control"] == "no-store"
    foreign = requests.get(poll, headers={"Origin": "https://evil.example"}, timeout=10)
    assert foreign.status_code == 400
    same = requests.get(poll, headers={"Origin": server.url}, timeout=10)
    assert same.status_code == 200


# -- secrets at rest --------------------------------------------------------------------------------------
def every_stored_text(db) -> list[str]:
    """Every value of every column of every table, as text."""
    values = []
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                values.extend(str(value) for value in row if value is not None)
    return values


def test_no_secret_is_stored_in_clear(make_app, db_url, tmp_path):
    app = make_app(db_url)
    http = app.test_client()
    created = create(http)
    code = created["board"]["code"]
    secrets = {"facilitator": created["facilitator_token"], "projector": created["links"]["projector"].split("#", 1)[1]}
    for n in range(3):
        joined = http.post(f"/api/boards/{code}/join", json={"name": f"P{n}"}).get_json()
        secrets[f"token {n}"], secrets[f"rejoin code {n}"] = joined["token"], joined["rejoin_code"]
    rejoined = http.post(f"/api/boards/{code}/rejoin", json={"rejoin_code": secrets["rejoin code 0"]}).get_json()
    secrets["token on a second device"] = rejoined["token"]
    # An archive imported as a new board gets new secrets: those too.
    archive = http.get(f"/api/boards/{code}/exports/archive.json", headers={"Authorization": f"Bearer {secrets['facilitator']}"})
    assert archive.status_code == 200
    imported = http.post("/api/boards/import", data=archive.get_data(), content_type="application/json")
    assert imported.status_code == 201, imported.get_json()
    body = imported.get_json()
    secrets["imported facilitator"], secrets["imported projector"] = body["facilitator_token"], body["projector_token"]
    for person in body["participants"]:
        if person.get("rejoin_code"):
            secrets[f"imported rejoin code {person['id']}"] = person["rejoin_code"]

    stored = "\n".join(every_stored_text(app.extensions["snowball"].db))
    for what, secret in secrets.items():
        assert len(secret) >= 8, what
        assert secret not in stored, f"the {what} is stored in clear"
    # The scan sees the hashes, so it would have seen the secrets.
    for what in ("facilitator", "projector", "token 0", "rejoin code 1", "imported facilitator"):
        assert hashlib.sha256(secrets[what].encode()).hexdigest() in stored, what
    if db_url.startswith("sqlite"):
        raw = b"".join(p.read_bytes() for p in Path(db_url.split("///", 1)[1]).parent.glob("*.sqlite3*"))
        assert not [what for what, secret in secrets.items() if secret.encode() in raw]


def test_the_event_log_and_snapshots_carry_no_token(make_app):
    app = make_app()
    http = app.test_client()
    created = create(http)
    code = created["board"]["code"]
    joined = http.post(f"/api/boards/{code}/join", json={"name": "Ana"}).get_json()
    from server.persistence.models import Event

    with app.extensions["snowball"].db.read() as session:
        frames = json.dumps([e.data for e in session.execute(select(Event)).scalars()])
    assert joined["token"] not in frames and joined["rejoin_code"] not in frames
    assert created["facilitator_token"] not in frames
