"""The links an HTTP answer gives out, on the address people reach (SNOWBALL_PUBLIC_URL, else the request's host)."""
from __future__ import annotations

from flask import current_app, request

from ..domain import boards as board_rules


def board_links(code: str, facilitator_secret: str, projector_secret: str) -> dict[str, str]:
    """The join, facilitator and projector links of a board just created or imported."""
    base = current_app.extensions["snowball"].settings.public_url or request.host_url
    return board_rules.links(base, code, facilitator_secret, projector_secret)
