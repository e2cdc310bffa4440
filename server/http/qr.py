"""The join QR code as SVG (segno): the projector shows it during Join."""
from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, current_app, request

from ..domain.errors import DomainError
from ..services import boards

bp = Blueprint("qr", __name__)


def join_url(code: str) -> str:
    """The participants' join link for a board code, on the public URL when one is set."""
    base = (current_app.extensions["snowball"].settings.public_url or request.host_url).rstrip("/")
    return f"{base}/b/{code}"


@bp.get("/b/<code>/qr.svg")
def join_qr(code: str):
    """An SVG QR code of the board's join link (black on white: scanners need the contrast)."""
    try:
        board = boards.board_info(current_app.extensions["snowball"].db, code)
    except DomainError:
        return Response("no board has this code", status=404, mimetype="text/plain")
    url = join_url(board["code"])
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=10, border=2, dark="#000", light="#fff",
                                     xmldecl=False, title=url, nl=False)
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
