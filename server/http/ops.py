"""For operators: /healthz (database, and Redis when configured) and /metrics (Prometheus, behind a token)."""
from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy import text

from .. import metrics

bp = Blueprint("ops", __name__)
REDIS_TIMEOUT_S = 2


def _redis_answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@bp.get("/healthz")
def health():
    """200 when the process reaches its database (and Redis, in scale-out); 503 saying which does not answer.

    A database that does not answer raises: http/errors.py turns that into the JSON `503 unavailable`
    (with Retry-After) every route answers during an outage.
    """
    snowball = current_app.extensions["snowball"]
    with snowball.db.read() as session:
        session.execute(text("SELECT 1"))
    checks = {"database": "ok"}
    if snowball.settings.redis_url:
        checks["redis"] = "ok" if _redis_answers(snowball.settings.redis_url) else "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    return jsonify(ok=healthy, **checks), 200 if healthy else 503


@bp.get("/metrics")
def prometheus():
    """Prometheus metrics, for `Authorization: Bearer <SNOWBALL_METRICS_TOKEN>` only (404 when no token is set)."""
    token = current_app.extensions["snowball"].settings.metrics_token
    if not token:
        abort(404)  # not public unless the operator turns it on
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return Response("metrics need Authorization: Bearer <SNOWBALL_METRICS_TOKEN>\n", 401,
                        {"WWW-Authenticate": 'Bearer realm="snowball-metrics"'}, mimetype="text/plain")
    return Response(metrics.exposition(), mimetype="text/plain; version=0.0.4")
