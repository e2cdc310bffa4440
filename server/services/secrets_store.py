"""Secrets are kept only as hashes: tokens, facilitator and projector links, rejoin codes."""
from __future__ import annotations

import hashlib


def hash_secret(secret: str) -> str:
    """SHA-256 of a high-entropy secret (a token) or a rate-limited short code."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
