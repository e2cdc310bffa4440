"""Exit 1 when an installed snowball-board requirement is missing or out of its range (the lock is stale).

    python .ci/lock_covers.py          the runtime requirements
    python .ci/lock_covers.py '[dev]'  ... and the dev extra's
"""
from __future__ import annotations

import sys
from importlib import metadata

from packaging.requirements import Requirement


def unmet(extra: str | None) -> list[str]:
    """The requirements of snowball-board (with `extra`) that the environment does not satisfy."""
    problems = []
    for line in metadata.requires("snowball-board") or []:
        requirement = Requirement(line)
        env = {"extra": extra or ""}
        if requirement.marker is not None and not requirement.marker.evaluate(env):
            continue
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{requirement} (not installed)")
            continue
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement} (installed {version})")
    return problems


if __name__ == "__main__":
    extra = sys.argv[1].strip("[]") if len(sys.argv) > 1 and sys.argv[1] else None
    missing = unmet(extra)
    for problem in missing:
        print(f"[setup] not in the lock: {problem}", file=sys.stderr)
    sys.exit(1 if missing else 0)
