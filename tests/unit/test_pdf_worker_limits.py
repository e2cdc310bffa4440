"""The PDF worker caps its memory where the system allows it, and still runs where it does not (macOS)."""
from __future__ import annotations

import resource

from server.export import pdf_worker


def test_memory_limit_refused_by_the_system_is_skipped_not_fatal(monkeypatch):
    def refuse(_kind, _limits):
        raise ValueError("not supported")  # what macOS answers for RLIMIT_AS

    monkeypatch.setattr(resource, "setrlimit", refuse)
    assert pdf_worker.limit_memory(4096) is False


def test_memory_limit_is_never_tried_on_macos(monkeypatch):
    calls = []
    monkeypatch.setattr(resource, "setrlimit", lambda *args: calls.append(args))
    monkeypatch.setattr(pdf_worker.sys, "platform", "darwin")
    assert pdf_worker.limit_memory(4096) is False
    assert calls == []


def test_memory_limit_is_set_on_linux(monkeypatch):
    calls = []
    monkeypatch.setattr(resource, "setrlimit", lambda *args: calls.append(args))
    monkeypatch.setattr(pdf_worker.sys, "platform", "linux")
    assert pdf_worker.limit_memory(512) is True
    assert calls == [(resource.RLIMIT_AS, (512 * 1024 * 1024, 512 * 1024 * 1024))]
