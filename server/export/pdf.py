"""PDF exports: WeasyPrint lays out the printable HTML export (A4), fetching nothing from anywhere."""
from __future__ import annotations

from . import html


def html_to_pdf(document: str) -> bytes:
    """Lay out one HTML export as PDF bytes; only data: URLs may be read (the page holds no other)."""
    # Imported here: WeasyPrint loads Pango and fonts, a cost only PDF exports should pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=document, base_url=None, url_fetcher=fetcher).write_pdf()


def render_summary(snapshot: dict) -> bytes:
    """The board summary as PDF."""
    return html_to_pdf(html.render_summary(snapshot))


def render_booklet(snapshot: dict, participant_id: int) -> bytes:
    """One participant's booklet as PDF."""
    return html_to_pdf(html.render_booklet(snapshot, participant_id))
