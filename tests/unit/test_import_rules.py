"""The dependency rules of pyproject.toml ([tool.importlinter]) hold, so a broken one shows in the test report too."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_server_keeps_every_import_rule():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_rules_catch_a_loop_and_an_upward_import(tmp_path):
    # The same contract types on a tiny package that breaks both: the check can fail.
    package = tmp_path / "tiny"
    (package / "low").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "high.py").write_text("")
    (package / "low" / "__init__.py").write_text("")
    (package / "low" / "a.py").write_text("def f():\n    from . import b  # a function-level import counts too\n")
    (package / "low" / "b.py").write_text("from . import a\nfrom .. import high\n")
    (tmp_path / "rules.toml").write_text(textwrap.dedent("""
        [tool.importlinter]
        root_package = "tiny"

        [[tool.importlinter.contracts]]
        name = "layers"
        type = "layers"
        layers = ["tiny.high", "tiny.low"]

        [[tool.importlinter.contracts]]
        name = "no loop"
        type = "acyclic_siblings"
        ancestors = ["tiny"]
        depth = 4
    """))
    done = _lint(tmp_path, "--config", "rules.toml")
    assert done.returncode != 0
    assert "2 broken" in done.stdout
    assert "tiny.low.b -> tiny.high" in done.stdout
