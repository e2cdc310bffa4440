"""The HTTP status of each refusal (a `DomainError` code); any other refusal is `400`."""
from __future__ import annotations

STATUS_OF = {
    "board_not_found": 404, "participant_not_found": 404, "export_not_found": 404, "unauthorised": 401,
    "forbidden": 403, "archive_too_large": 413, "unsupported_media_type": 415, "rate_limited": 429,
    "export_failed": 500, "export_timeout": 503, "export_too_large": 413, "import_failed": 500, "import_timeout": 503,
}


def status_of(code: str) -> int:
    """The HTTP status answering a refusal with this code."""
    return STATUS_OF.get(code, 400)
