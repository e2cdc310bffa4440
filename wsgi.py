"""Run Snowball from a checkout: `python wsgi.py` starts one process (eventlet, SQLite by default).

The same as `snowball serve` (server/serve.py). Importing this file gives a WSGI `app`, monkey-patched
for SNOWBALL_ASYNC_MODE first.
"""
from __future__ import annotations

import sys

from server import serve

if __name__ == "__main__":
    sys.exit(serve.main())

app = serve.build(serve.Settings())
