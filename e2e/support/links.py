"""A board's links, as paths on the test server (the secrets stay in the fragment)."""
from __future__ import annotations


def join_path(created: dict) -> str:
    """The participants' join page of a board created over the API."""
    return f"/b/{created['board']['code']}"


def host_path(created: dict) -> str:
    """The facilitator's secret link, as a path."""
    return f"/b/{created['board']['code']}/host#{created['facilitator_token']}"


def projector_path(created: dict) -> str:
    """The projector's read-only link, as a path."""
    return "/" + created["links"]["projector"].split("/", 3)[3]
