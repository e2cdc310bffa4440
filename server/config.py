"""Settings read from the environment, in one place."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .paths import client_dir

ROOT = Path(__file__).resolve().parent.parent
DB_FILE = "snowball.sqlite3"


def user_data_dir() -> Path:
    """The per-user data folder: ~/.local/share/snowball (XDG_DATA_HOME), ~/Library/Application Support/Snowball on macOS."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Snowball"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "snowball"


def instance_dir() -> Path:
    """The default SQLite file's folder: SNOWBALL_INSTANCE, else a checkout's ./instance that already holds one, else user_data_dir()."""
    if os.environ.get("SNOWBALL_INSTANCE"):
        return Path(os.environ["SNOWBALL_INSTANCE"])
    legacy = ROOT / "instance"  # where earlier versions kept it; `git clean -fdx` deletes it
    if (legacy / DB_FILE).exists():
        return legacy
    return user_data_dir()


def _default_database_url() -> str:
    instance = instance_dir()
    instance.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance / DB_FILE}"


def async_mode_from_environment() -> str:
    """SNOWBALL_ASYNC_MODE (eventlet by default): read before anything loads, to monkey-patch first."""
    return os.environ.get("SNOWBALL_ASYNC_MODE", "eventlet")


def database_url_from_environment() -> str:
    """DATABASE_URL, or the default SQLite file (created folder and all): what the server, the CLI and Alembic open."""
    return os.environ.get("DATABASE_URL") or _default_database_url()


@dataclass
class Settings:
    """Every setting of a Snowball process."""

    database_url: str = field(default_factory=database_url_from_environment)
    redis_url: str | None = field(default_factory=lambda: os.environ.get("REDIS_URL") or None)
    # eventlet by default; gevent or threading work too (ENGINEERING.md: keep it a setting).
    async_mode: str = field(default_factory=async_mode_from_environment)
    host: str = field(default_factory=lambda: os.environ.get("SNOWBALL_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(os.environ.get("SNOWBALL_PORT", os.environ.get("PORT", "5000"))))
    secret_key: str = field(default_factory=lambda: os.environ.get("SNOWBALL_SECRET_KEY") or os.urandom(32).hex())
    public_url: str | None = field(default_factory=lambda: os.environ.get("SNOWBALL_PUBLIC_URL") or None)
    client_dir: Path = field(default_factory=client_dir)
    # socket.io-client's browser build: the client's node_modules (or the wheel's copy) unless set.
    socket_io_dir: Path | None = field(default_factory=lambda: Path(os.environ["SNOWBALL_SOCKET_IO_DIR"])
                                       if os.environ.get("SNOWBALL_SOCKET_IO_DIR") else None)
    # A reconnecting client this far behind gets a snapshot instead of a replay.
    replay_limit: int = field(default_factory=lambda: int(os.environ.get("SNOWBALL_REPLAY_LIMIT", "500")))
    max_payload_bytes: int = 64 * 1024
    # Scale-out: the Redis pub/sub channel shared by the processes of one deployment (one per test run).
    redis_channel: str = field(default_factory=lambda: os.environ.get("SNOWBALL_REDIS_CHANNEL", "snowball"))
    # A process's presence entries in Redis expire this long after its last heartbeat (crash clean-up).
    presence_ttl_s: float = field(default_factory=lambda: float(os.environ.get("SNOWBALL_PRESENCE_TTL", "30")))
    # WebSocket permessage-deflate (eventlet): "threshold" = frames from this size up, deflated once per
    # broadcast; "off" = declined; "all" = eventlet's own (every frame, per recipient). docs/performance.md.
    ws_compression: str = field(default_factory=lambda: os.environ.get("SNOWBALL_WS_COMPRESSION", "threshold"))
    ws_compression_threshold: int = field(default_factory=lambda: int(os.environ.get("SNOWBALL_WS_COMPRESSION_THRESHOLD", "1024")))
    # Open connections one process serves at once (eventlet's own default, 1,024, is below a festival
    # board: each WebSocket holds one green thread; gevent: the pool's size). The file-descriptor limit must be higher.
    max_connections: int = field(default_factory=lambda: int(os.environ.get("SNOWBALL_MAX_CONNECTIONS", "10000")))
    # Engine.IO heartbeat: the server pings every `ping_interval_s`; a client silent `ping_timeout_s` more
    # is closed (presence goes offline). nginx's proxy_read_timeout must exceed their sum (docs/deploy.md).
    ping_interval_s: float = field(default_factory=lambda: float(os.environ.get("SNOWBALL_PING_INTERVAL", "20")))
    ping_timeout_s: float = field(default_factory=lambda: float(os.environ.get("SNOWBALL_PING_TIMEOUT", "20")))
    # A connection must send its request line and headers within this many seconds (also the idle limit
    # of a keep-alive connection between requests); and one address may hold at most this share of
    # `max_connections` waiting for their headers (both green servers; http/listener.py).
    header_timeout_s: float = field(default_factory=lambda: float(os.environ.get("SNOWBALL_HEADER_TIMEOUT", "10")))
    half_open_share: float = 0.25
    # Once its headers are in, a request's body (an API POST, a long-polling POST) must arrive within this.
    body_timeout_s: float = field(default_factory=lambda: float(os.environ.get("SNOWBALL_BODY_TIMEOUT", "30")))
    # Reverse proxies in front that append to X-Forwarded-For (nginx: 1); 0 = the TCP peer is the client.
    trusted_proxies: int = field(default_factory=lambda: int(os.environ.get("SNOWBALL_TRUSTED_PROXIES", "0") or 0))
    # Addresses spared the per-address rate limits (comma-separated): load benchmarks on 127.0.0.1 only.
    rate_limit_exempt: frozenset[str] = field(default_factory=lambda: frozenset(
        a.strip() for a in os.environ.get("SNOWBALL_RATE_LIMIT_EXEMPT", "").split(",") if a.strip()))
    # SQLite: how long a write waits for a lock another process holds before it is an outage (503).
    # The driver waits in C, so under eventlet the whole process waits with it (measured: /healthz held
    # 2.7 s by a write waiting 3 s): short, well under the ping timeout.
    sqlite_busy_timeout_s: float = field(default_factory=lambda: float(os.environ.get("SNOWBALL_SQLITE_BUSY_TIMEOUT", "5")))
    # The wrong-code budget per address and the syncs a connection may ask for (`limits` notation).
    failed_lookup_limits: str = field(default_factory=lambda: os.environ.get("SNOWBALL_FAILED_LOOKUP_LIMITS", "30/minute;300/hour"))
    sync_limits: str = field(default_factory=lambda: os.environ.get("SNOWBALL_SYNC_LIMITS", "5/second;60/minute"))

    # SIGTERM: how long commands in flight may take to finish before every socket is closed.
    drain_timeout_s: float = field(default_factory=lambda: float(os.environ.get("SNOWBALL_DRAIN_TIMEOUT", "10")))
    # /metrics answers only with `Authorization: Bearer <this>`; unset = no /metrics at all (404).
    metrics_token: str | None = field(default_factory=lambda: os.environ.get("SNOWBALL_METRICS_TOKEN") or None)
    # Under eventlet with PostgreSQL, reads wait cooperatively ("cooperative") or block like writes ("blocking").
    pg_reads: str = field(default_factory=lambda: os.environ.get("SNOWBALL_PG_READS", "cooperative"))
    # The address space of each PDF layout's child process (a board too big for it is `export_too_large`).
    pdf_memory_mb: int = field(default_factory=lambda: int(os.environ.get("SNOWBALL_PDF_MEMORY_MB", "4096")))
    # Logging (server/logs.py): DEBUG | INFO | WARNING | ERROR, and text | json.
    log_level: str = field(default_factory=lambda: os.environ.get("SNOWBALL_LOG_LEVEL") or "INFO")
    log_format: str = field(default_factory=lambda: os.environ.get("SNOWBALL_LOG_FORMAT") or "text")

    @property
    def websocket_only(self) -> bool:
        """Scale-out mode: clients must stay on one process, so no long-polling."""
        return self.redis_url is not None
