"""Every environment variable is read in server/config.py, so Settings lists each one a process takes."""
from __future__ import annotations

import re
from pathlib import Path

from server.config import Settings

SERVER = Path(__file__).resolve().parents[2] / "server"
READ = re.compile(r"os\.environ\.get\(|os\.environ\[|getenv\(")  # WSGI environs are not the environment


def test_no_module_but_config_reads_the_environment():
    readers = [str(path.relative_to(SERVER)) for path in SERVER.rglob("*.py")
               if path.name != "config.py" and READ.search(path.read_text())]
    assert readers == []


def test_the_settings_once_read_elsewhere_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SNOWBALL_PG_READS", "blocking")
    monkeypatch.setenv("SNOWBALL_PDF_MEMORY_MB", "512")
    monkeypatch.setenv("SNOWBALL_SOCKET_IO_DIR", str(tmp_path))
    monkeypatch.setenv("SNOWBALL_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("SNOWBALL_LOG_FORMAT", "json")
    settings = Settings(database_url="sqlite://")
    assert (settings.pg_reads, settings.pdf_memory_mb, settings.socket_io_dir) == ("blocking", 512, tmp_path)
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")


def test_their_defaults(monkeypatch):
    for name in ("SNOWBALL_PG_READS", "SNOWBALL_PDF_MEMORY_MB", "SNOWBALL_SOCKET_IO_DIR", "SNOWBALL_LOG_LEVEL",
                 "SNOWBALL_LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(database_url="sqlite://")
    assert (settings.pg_reads, settings.pdf_memory_mb, settings.socket_io_dir) == ("cooperative", 4096, None)
    assert (settings.log_level, settings.log_format) == ("INFO", "text")
