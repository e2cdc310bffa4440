"""Summarise a py-spy collapsed-stack profile (`py-spy record --format raw`): the frames where the time goes.

    .venv/bin/python bench/profile_top.py /tmp/prof/snowball-500-0-1400.txt [--top 30] [--match engineio]

Prints, per function, the share of samples in which it is on the stack (inclusive) and at its top (self).
Idle samples (the hub waiting in epoll/poll) are counted apart, so shares are of the busy samples.
"""
from __future__ import annotations

import argparse
from collections import Counter

IDLE = ("epoll", "poll (eventlet", "wait (eventlet/hubs", "select (selectors")


def frames(stack: str) -> list[str]:
    """The frames of one collapsed stack line, outermost first, without their line numbers."""
    out = []
    for frame in stack.split(";"):
        name, _, rest = frame.partition(" (")
        where = rest.rsplit(":", 1)[0] if rest else ""
        out.append(f"{name} ({where.rsplit('site-packages/', 1)[-1]}" + (")" if where else ""))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--match", default="", help="only functions whose name or file contains this")
    args = parser.parse_args()
    inclusive, selfs = Counter(), Counter()
    busy = idle = 0
    for line in open(args.profile):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(count)
        names = frames(stack)
        if any(mark in names[-1] for mark in IDLE):
            idle += n
            continue
        busy += n
        for name in set(names):
            inclusive[name] += n
        selfs[names[-1]] += n
    total = busy + idle
    print(f"samples: {total} (busy {busy}, {100 * busy / max(total, 1):.0f} %; idle {idle})")
    print(f"\n{'incl %':>7} {'self %':>7}  function (file)")
    for name, n in inclusive.most_common():
        if args.match and args.match not in name:
            continue
        print(f"{100 * n / max(busy, 1):7.1f} {100 * selfs[name] / max(busy, 1):7.1f}  {name}")
        args.top -= 1
        if args.top <= 0:
            break
    print(f"\ntop self:")
    for name, n in selfs.most_common(15):
        print(f"{100 * n / max(busy, 1):7.1f}  {name}")


if __name__ == "__main__":
    main()
