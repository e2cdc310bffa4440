"""WeasyPrint's layout of one HTML export as PDF bytes (in this process: the server calls it through `pdf_worker`)."""
from __future__ import annotations


def html_to_pdf(document: str) -> bytes:
    """Lay out one HTML export as PDF bytes; only data: URLs may be read (the page holds no other)."""
    # Imported here: WeasyPrint loads Pango and fonts, a cost only PDF exports should pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=document, base_url=None, url_fetcher=fetcher).write_pdf()
