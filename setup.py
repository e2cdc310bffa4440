"""Build step only (metadata lives in pyproject.toml): copy client/ and migrations/ into the wheel.

The repository keeps `client/` and `migrations/` at its top level; an installed wheel has no
checkout around it, so the build puts copies under `server/_bundle/` (found by server/paths.py).
Of `client/node_modules` only socket.io-client's browser build goes in (the one file the pages
load, with its licence); run `npm ci --prefix client` before building.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SOCKET_IO = Path("node_modules/socket.io-client")
SOCKET_IO_FILES = [SOCKET_IO / "dist/socket.io.esm.min.js", SOCKET_IO / "LICENSE"]
CLIENT_SKIP = ("node_modules", "package.json", "package-lock.json")


class BuildWithBundle(build_py):
    """build_py, then the bundle: client files, socket.io-client's browser file, the migrations."""

    def run(self) -> None:
        if not self.editable_mode:  # build/lib from an earlier build may hold files removed since
            shutil.rmtree(Path(self.build_lib) / "server", ignore_errors=True)
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        bundle = Path(self.build_lib) / "server" / "_bundle"
        shutil.rmtree(bundle, ignore_errors=True)
        shutil.copytree(HERE / "client", bundle / "client", ignore=shutil.ignore_patterns(*CLIENT_SKIP))
        for name in SOCKET_IO_FILES:
            source = HERE / "client" / name
            if not source.exists():
                raise SystemExit(f"{source} is missing: run `npm ci --prefix client` before building the wheel")
            (bundle / "client" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, bundle / "client" / name)
        shutil.copytree(HERE / "migrations", bundle / "migrations", ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithBundle})
