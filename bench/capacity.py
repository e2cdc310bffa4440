"""Reproducible fan-out figures: Snowball and the bare Flask-SocketIO anchor, alternating, with medians and spread.

Run by hand (never in the test suite); it prints Markdown tables:

    .venv/bin/python bench/capacity.py                      # 3 pairs, N = 1000 capacity search, N = 500 at 20 ops/s
    .venv/bin/python bench/capacity.py --pairs 1 --n 100 --n-light 50 --rates 10,20 --duration 8   # a quick look

Why this and not bench/fanout.py's single p95: at N = 1,000 both servers sit near a full core, where queueing
makes one p95 a coin toss (two reruns 15 minutes apart gave Snowball ÷ anchor 5.06× and 0.63×). So, per pair
(anchor then Snowball, A B A B …, each scenario a fresh server and fresh clients from bench/fanout.py):

- **cost**: server CPU seconds per 1,000 deliveries (frames received by clients: board events and drag frames),
  at the first step of the search — CPU per unit of work holds whatever else the machine does;
- **capacity**: the largest committed ops/s (the same mix, drags included) at N for which fan-out p95 stays
  ≤ `--p95-limit` ms with 0 lost and no refused operation — a step search over `--rates`, stopped after
  `--stop-after` steps in a row fail (default 2: at N = 1,000 here the anchor's p95 is not monotonic in the
  rate — its writers batch more as the rate rises — and one step's verdict can flip on noise);
- **light p95**: fan-out p95 at `--n-light` participants and `--light-rate` ops/s, a load where neither saturates.

The summary quotes each figure's median with its [min – max] over the pairs, and the Snowball ÷ anchor ratio
computed within each pair (so a slow minute of the machine hits both sides), with the load average seen.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_support import machine  # noqa: E402
from bench.fanout import Scenario, run_scenario  # noqa: E402
from bench.report import fmt  # noqa: E402

# name -> (server kind, compression, processes); the first of --kinds is the reference of the ratios
KINDS = {"anchor": ("anchor", "off", 1), "snowball": ("snowball", "threshold", 1),
         "snowball x2": ("snowball", "threshold", 2)}


def scenario_args(base: argparse.Namespace, rate: float) -> argparse.Namespace:
    """The arguments bench/fanout.py's run_scenario reads, at one rate."""
    return argparse.Namespace(seed=base.seed, rate=rate, duration=base.duration, join_share=base.join_share,
                              database=base.database, workers=base.workers)


def passes(result: dict, p95_limit: float) -> bool:
    """A step passes when p95 holds, nothing is lost and no operation was refused or failed."""
    return (result["p95"] == result["p95"] and result["p95"] <= p95_limit and result["lost"] == 0
            and not result["errors"] and not result["worker_errors"])


def measure(kind: str, args: argparse.Namespace, tmp: Path) -> dict:
    """One side of a pair: the capacity search at N (its first step gives the cost), then the light run."""
    server_kind, compression, processes = KINDS[kind]
    steps = []
    failed_in_a_row = 0
    for rate in args.rates:
        result = run_scenario(Scenario(kind, server_kind, args.n, compression, processes), scenario_args(args, rate), tmp)
        ok = passes(result, args.p95_limit)
        steps.append((rate, result, ok))
        print(f"    {kind} N={args.n} at {rate:g} ops/s: {fmt(result['ops_s'])} committed, p95 {fmt(result['p95'])} ms, "
              f"lost {result['lost']}, refused {sum(result['errors'].values())}, CPU {fmt(result['cpu_s'])} s for "
              f"{result['deliveries']} deliveries, machine busy {fmt(result['machine_busy'], 0)} %, server waited for a core "
              f"{' + '.join(fmt(w, 0) for w in result['cpu_wait'])} % -> {'pass' if ok else 'FAIL'}", flush=True)
        failed_in_a_row = 0 if ok else failed_in_a_row + 1
        if failed_in_a_row >= args.stop_after:
            break
    first = steps[0][1]
    passed = [r for _, r, ok in steps if ok]
    light = run_scenario(Scenario(kind, server_kind, args.n_light, compression, processes), scenario_args(args, args.light_rate), tmp)
    print(f"    {kind} N={args.n_light} at {args.light_rate:g} ops/s: p95 {fmt(light['p95'])} ms, lost {light['lost']}", flush=True)
    return {
        "cost": first["cpu_s"] / first["deliveries"] * 1000 if first["deliveries"] else float("nan"),
        "capacity": max((r["ops_s"] for r in passed), default=0.0),
        "capped": len(passed) == len(args.rates),  # every step passed: the true capacity is higher
        "light_p95": light["p95"], "light_lost": light["lost"],
        "join_p95": first["join_p95"], "load": max(first["machine_load"], light["machine_load"]),
        # cost at every rate it ran: python-engineio's writers batch more as the rate rises, so the anchor's cost falls with load
        "costs": {rate: r["cpu_s"] / r["deliveries"] * 1000 for rate, r, _ in steps if r["deliveries"]},
    }


def spread(values: list[float], digits: int = 2) -> str:
    """Median [min – max] of a figure over the pairs."""
    values = [v for v in values if v == v]
    if not values:
        return "–"
    return f"{statistics.median(values):.{digits}f} [{min(values):.{digits}f} – {max(values):.{digits}f}]"


def print_tables(pairs: list[dict], args: argparse.Namespace) -> None:
    """Every pair's figures, then medians with spread and the within-pair ratios."""
    print()
    print(f"| pair | server | cost: CPU s / 1,000 deliveries (N={args.n}, {args.rates[0]:g} ops/s) | capacity ops/s (N={args.n}, p95 ≤ {args.p95_limit:g} ms, 0 lost) "
          f"| p95 ms (N={args.n_light}, {args.light_rate:g} ops/s) | join snapshot p95 ms | machine load |")
    print("|---|---|---|---|---|---|---|")
    for i, pair in enumerate(pairs, 1):
        for kind in args.kinds:
            r = pair[kind]
            cap = f"< {args.rates[0]:g}" if not r["capacity"] else f"{fmt(r['capacity'])}{'+' if r['capped'] else ''}"
            print(f"| {i} | {kind} | {fmt(r['cost'], 3)} | {cap} | {fmt(r['light_p95'])} | {fmt(r['join_p95'], 0)} | {fmt(r['load'])} |")
    print()
    ref, others = args.kinds[0], args.kinds[1:]
    print(f"Medians [min – max] over the pairs; ratios ÷ {ref} taken within each pair:")
    print()
    print(f"| figure | {' | '.join(args.kinds)} | {' | '.join(f'{k} ÷ {ref}' for k in others)} |")
    print("|---|" + "---|" * (len(args.kinds) + len(others)))
    for key, label, digits in (("cost", "CPU s per 1,000 deliveries", 3), ("capacity", "capacity ops/s", 1),
                               ("light_p95", "p95 ms, unsaturated", 1), ("join_p95", "join snapshot p95 ms", 0)):
        a = [p[ref][key] for p in pairs]
        cells = [spread([p[k][key] for p in pairs], digits) for k in args.kinds]
        for k in others:
            ratios = [y / x for x, y in zip(a, [p[k][key] for p in pairs]) if x and x == x and y == y]
            cells.append(spread(ratios))
        print(f"| {label} | {' | '.join(cells)} |")
    for k in others:
        loaded = []
        for p in pairs:
            common = set(p[ref]["costs"]) & set(p[k]["costs"])
            if common:
                rate = max(common)
                loaded.append((rate, p[k]["costs"][rate] / p[ref]["costs"][rate]))
        if loaded:
            print(f"\nCost ratio {k} ÷ {ref} at the highest rate both ran in a pair (the anchor's cost falls with load): "
                  + ", ".join(f"{ratio:.2f} at {rate:g} ops/s" for rate, ratio in loaded)
                  + f"; median {statistics.median(r for _, r in loaded):.2f}.")
    if any(not p[ref]["capacity"] for p in pairs):
        print(f"\n'< {args.rates[0]:g}': no step passed, the first {args.stop_after} failed (capacity 0 in the medians); a ratio "
              f"skips a pair whose {ref} did — start --rates lower.")
    if any(p[k]["capped"] for p in pairs for k in args.kinds):
        print("\n'+': every step of --rates passed; the capacity is at least that (add higher rates).")


def main() -> None:
    parser = argparse.ArgumentParser(description="Snowball vs anchor: cost, capacity and unsaturated p95, alternating.")
    parser.add_argument("--pairs", type=int, default=3, help="anchor/Snowball pairs, run A B A B …")
    parser.add_argument("--n", type=int, default=1000, help="participants for cost and capacity")
    parser.add_argument("--rates", default="20,30,45,60,80,100", help="committed ops/s of the step search, ascending")
    parser.add_argument("--stop-after", type=int, default=2, help="stop the search after this many failed steps in a row")
    parser.add_argument("--p95-limit", type=float, default=250.0, help="fan-out p95 a step must hold (ms)")
    parser.add_argument("--n-light", type=int, default=500, help="participants of the unsaturated run")
    parser.add_argument("--light-rate", type=float, default=20.0, help="ops/s of the unsaturated run")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load per step")
    parser.add_argument("--workers", type=int, default=2, help="load-generator processes")
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--join-share", type=float, default=0.05, help="share of the operations that are joins")
    parser.add_argument("--kinds", default="anchor,snowball", help=f"servers of a pair, in order, the first the reference ({', '.join(KINDS)})")
    args = parser.parse_args()
    args.rates = [float(r) for r in args.rates.split(",")]
    args.kinds = [k.strip() for k in args.kinds.split(",")]
    unknown = [k for k in args.kinds if k not in KINDS] + (["snowball x2 needs postgresql"] if "snowball x2" in args.kinds and args.database != "postgresql" else [])
    if unknown or len(args.kinds) < 2:
        parser.error(f"--kinds: two or more of {', '.join(KINDS)} ({', '.join(unknown) or 'only one given'})")
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"snowball-capacity-{uuid.uuid4().hex[:6]}"
    tmp.mkdir(parents=True)
    started = time.monotonic()
    print(f"Snowball capacity benchmark — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}; load average at start {os.getloadavg()[0]:.1f}")
    print(f"command: {' '.join(sys.argv)}  (database {args.database}, {args.duration:g} s per step, logs in {tmp})", flush=True)
    pairs = []
    for i in range(args.pairs):
        print(f"pair {i + 1} of {args.pairs}", flush=True)
        pairs.append({kind: measure(kind, args, tmp) for kind in args.kinds})
    print_tables(pairs, args)
    print(f"\n(total {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
