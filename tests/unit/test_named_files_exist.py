"""Every repository path named in code, comments and docs exists (a moved file leaves no stale pointer behind)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# a path with at least one folder and a file extension, not part of a URL or a longer path
NAMED_PATH = re.compile(r"(?<![\w./:%-])((?:[\w-]+/)+[\w-]+\.(?:py|js|mjs|md|css|html|json|svg|toml|txt|sh|sql))\b")
SCANNED = (".py", ".js", ".mjs", ".md", ".css", ".html", ".toml", ".sh")
# Paths that name files on purpose absent: a made-up tree the e2e layout test writes in tmp_path.
MADE_UP = {"e2e/test_a.py"}


def tracked_files() -> list[str]:
    """The repository's files as git knows them."""
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [name for name in out.split() if (ROOT / name).is_file()]


def test_every_named_repository_file_exists():
    files = tracked_files()
    assert len(files) > 100
    dangling: dict[str, set[str]] = {}
    for name in files:
        if not (name.endswith(SCANNED) or name.startswith(".ci/")) or name.startswith("requirements/"):
            continue
        for match in NAMED_PATH.finditer((ROOT / name).read_text(errors="ignore")):
            path = match.group(1)
            if path in MADE_UP or path in files or any(f.endswith("/" + path) for f in files):
                continue
            dangling.setdefault(path, set()).add(name)
    assert not dangling, f"named but not in the repository: {dangling}"


def test_the_scan_finds_a_stale_name():
    moved = "client/js/views/" + "map_words.js"   # split, so this file does not name it
    assert [m.group(1) for m in NAMED_PATH.finditer(f"the words come from {moved} (moved)")] == [moved]
    assert moved not in tracked_files()
