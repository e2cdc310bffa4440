"""The browser tests keep one home per concern: helpers in e2e/pages and e2e/support, fixtures in e2e/conftest.py.

A test module that imports from another test module (or from the conftest, which pytest loads itself)
grows a second, drifting copy of a helper; a fixture defined in a test module is a second server recipe.
"""
from __future__ import annotations

import ast
from pathlib import Path

E2E = Path(__file__).resolve().parents[2] / "e2e"


def imported_modules(path: Path, root: Path) -> set[str]:
    """Dotted names of every module a file imports (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(root.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.add(module)
            # `from e2e import test_vote` names the module in the alias.
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def forbidden_imports(root: Path) -> list[str]:
    """'file: module' for each import, anywhere under root, of a test module or of the conftest."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for module in sorted(imported_modules(path, root)):
            last = module.rsplit(".", 1)[-1]
            if module.startswith(f"{root.name}.") and (last.startswith("test_") or last == "conftest"):
                found.append(f"{path.relative_to(root.parent)}: {module}")
    return found


def fixtures_outside_conftest(root: Path) -> list[str]:
    """'file: name' for each pytest fixture defined in a test module instead of the conftest."""
    found = []
    for path in sorted(root.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any("fixture" in ast.unparse(d) for d in node.decorator_list):
                found.append(f"{path.relative_to(root.parent)}: {node.name}")
    return found


def test_the_walk_sees_the_e2e_imports():
    """The walk finds what a test module really imports (so an empty answer below means something)."""
    seen = imported_modules(E2E / "test_vote.py", E2E)
    assert {"e2e.pages.board", "e2e.support.links", "playwright.sync_api"} <= seen


def test_no_e2e_module_imports_a_test_module_or_the_conftest():
    assert forbidden_imports(E2E) == []


def test_e2e_fixtures_live_in_the_conftest_only():
    assert fixtures_outside_conftest(E2E) == []


def test_the_checks_catch_a_test_module_import_and_a_local_fixture(tmp_path):
    """The rule fails on the shapes it forbids: absolute, relative and module imports, and a local fixture."""
    root = tmp_path / "e2e"
    root.mkdir()
    (root / "test_a.py").write_text(
        "import pytest\nfrom e2e.test_b import helper\nfrom .test_c import other\nfrom e2e import test_d\n"
        "from e2e.conftest import join_as\n\n@pytest.fixture\ndef live_server():\n    pass\n")
    assert forbidden_imports(root) == ["e2e/test_a.py: e2e.conftest", "e2e/test_a.py: e2e.test_b",
                                       "e2e/test_a.py: e2e.test_c", "e2e/test_a.py: e2e.test_d"]
    assert fixtures_outside_conftest(root) == ["e2e/test_a.py: live_server"]
