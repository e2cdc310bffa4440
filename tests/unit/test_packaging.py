"""The lock files pin every dependency pyproject.toml declares, inside its range (so .ci/setup installs what the code needs)."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")


def pins(lock: str) -> dict[str, str]:
    """name -> version of every package pinned in requirements/<lock>.txt."""
    found = {}
    for line in (ROOT / "requirements" / f"{lock}.txt").read_text().splitlines():
        match = PIN.match(line)
        if match:
            found.setdefault(canonicalize_name(match[1]), match[2])
    return found


def declared(extra: str | None) -> list[Requirement]:
    project = PYPROJECT["project"]
    lines = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize(("lock", "extra"), [("runtime", None), ("dev", "dev")])
def test_lock_pins_every_declared_dependency_within_its_range(lock, extra):
    pinned = pins(lock)
    environment = default_environment()
    missing = []
    for requirement in declared(extra):
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            missing.append(f"{requirement} (lock: {version})")
    assert missing == [], f"requirements/{lock}.txt is out of date with pyproject.toml: run .ci/lock ({missing})"


def test_runtime_lock_holds_no_test_tools():
    pinned = pins("runtime")
    assert not {"playwright", "pytest", "pytest-playwright", "hypothesis"} & set(pinned)


def test_every_pin_has_hashes():
    for lock in ("runtime", "dev"):
        text = (ROOT / "requirements" / f"{lock}.txt").read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
        for block in blocks:
            if PIN.match(block):
                assert "--hash=sha256:" in block, block.splitlines()[0]


def third_party_imports() -> dict[str, str]:
    """import name -> distribution of every installed third-party library server/ imports (at any depth)."""
    distributions = packages_distributions()
    names: set[str] = set()
    for path in (ROOT / "server").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {name: distributions[name][0] for name in names
            if name in distributions and name not in sys.stdlib_module_names}


def test_directly_imported_libraries_are_declared():
    """Every library the server imports itself is declared, not left to arrive with another one."""
    names = {canonicalize_name(r.name) for r in declared(None)}
    imported = third_party_imports()
    assert {"jinja2", "markupsafe", "gevent", "simple_websocket", "werkzeug"} <= imported.keys()  # the walk sees them
    missing = {name: dist for name, dist in imported.items() if canonicalize_name(dist) not in names}
    assert not missing, f"imported by server/ but not declared in pyproject.toml: {missing}"
    assert PYPROJECT["project"]["name"] == "snowball-board"
