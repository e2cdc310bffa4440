"""Errors no view handled: JSON, never Flask's HTML page; a dependency away is a `503 unavailable`.

A Redis or database outage used to reach browsers and other clients as Flask's HTML `500 Internal
Server Error` page. Now an exception that means a dependency is unreachable (`outages.dependency_of`)
is answered `503` with `{"ok": false, "error": {"code": "unavailable", "params": {"dependency",
"retry_after"}}}` and `Retry-After`, logged once per outage; any other unexpected exception is a JSON
`500 server_error` (with its traceback in the log). HTTP errors (404, 405, 413...) keep Flask's answers.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from ..protection import outages

log = logging.getLogger(__name__)


def install(app: Flask) -> None:
    """Answer every unhandled exception of the app as JSON (503 for a dependency away, else 500)."""

    @app.errorhandler(Exception)
    def _unhandled(exc: Exception):
        if isinstance(exc, HTTPException):
            return exc
        dependency = outages.dependency_of(exc)
        if dependency is not None:
            outages.failed(dependency, exc)
            error = outages.unavailable_error(dependency)
            response = jsonify(ok=False, error=error.as_dict())
            response.status_code = 503
            response.headers["Retry-After"] = str(error.params["retry_after"])
            return response
        log.exception("%s %s failed", request.method, request.path)
        response = jsonify(ok=False, error={"code": "server_error", "message": "the server could not answer; try again",
                                            "params": {}})
        response.status_code = 500
        return response

    @app.after_request
    def _database_back(response):
        if response.status_code < 500 and outages.is_down(outages.DATABASE):
            outages.recovered(outages.DATABASE)  # a request went through: the database answers again
        return response
