"""The benchmark's Markdown tables: every scenario, Snowball ÷ anchor with the targets, the join snapshot."""
from __future__ import annotations


def fmt(v, digits=1) -> str:
    if isinstance(v, float) and v != v:
        return "–"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def ratio(a: float, b: float) -> str:
    if not b or a != a or b != b:
        return "–"
    return f"{a / b:.2f}×"


def print_tables(scenarios: list, snapshots: list[dict], args) -> None:
    """Print the tables of a run (scenarios: fanout.Scenario with .result)."""
    print()
    print("| scenario | N | ops/s | p50 ms | p95 ms | p99 ms | last p95 ms | drag p95 ms | ack p95 ms | lost | gap repairs | drops | server CPU % | PG CPU % | loadgen CPU % | RSS/conn KB | join snapshot ms / KB | errors | machine load | machine busy % | server waited for a core % |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for sc in scenarios:
        r = sc.result
        if not r:
            continue
        print(f"| {sc.name} | {sc.n} | {fmt(r['ops_s'])} | {fmt(r['p50'])} | {fmt(r['p95'])} | {fmt(r['p99'])} | {fmt(r['last_p95'])} | "
              f"{fmt(r['drag_p95'])} | {fmt(r['ack_p95'])} | {r['lost']} | {r['gaps']} | {r['disconnects']} | {' + '.join(fmt(c, 0) for c in r['cpu'])} | "
              f"{fmt(r['pg_cpu'], 0)} | {fmt(r['load_cpu'], 0)} | {fmt(r['rss_conn_kb'])} | {fmt(r['join_ms'], 0)} / {fmt(r['join_kb'], 0)} | "
              f"{sum(r['errors'].values())} | {fmt(r.get('machine_load', float('nan')))} | {fmt(r.get('machine_busy', float('nan')), 0)} | "
              f"{' + '.join(fmt(w, 0) for w in r.get('cpu_wait', [])) or '–'} |")
    print()
    print("Snowball ÷ anchor (same N, same run; anchor without deflate):")
    print()
    print("| N | scenario | p50 | p95 | p99 | drag p95 | server CPU | RSS/conn | target p95 ≤ 1.25× | target RSS ≤ 1.5× | lost = 0 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    anchors = {sc.n: sc.result for sc in scenarios if sc.name == "anchor" and sc.result}
    for sc in scenarios:
        a = anchors.get(sc.n)
        if sc.kind != "snowball" or not sc.result or not a:
            continue
        r = sc.result
        p95, rss = r["p95"] / a["p95"], r["rss_conn_kb"] / a["rss_conn_kb"] if a["rss_conn_kb"] > 0 else float("nan")
        print(f"| {sc.n} | {sc.name} | {ratio(r['p50'], a['p50'])} | {ratio(r['p95'], a['p95'])} | {ratio(r['p99'], a['p99'])} | "
              f"{ratio(r['drag_p95'], a['drag_p95'])} | {ratio(sum(r['cpu']), sum(a['cpu']))} | {ratio(r['rss_conn_kb'], a['rss_conn_kb'])} | "
              f"{'met' if p95 <= 1.25 else 'MISSED'} | {'met' if rss <= 1.5 else 'MISSED'} | {'met' if r['lost'] == 0 else 'MISSED'} |")
    one = next((sc.result for sc in scenarios if sc.name == "snowball" and sc.n == max(s.n for s in scenarios) and sc.result), None)
    two = next((sc.result for sc in scenarios if sc.name == "snowball x2" and sc.result), None)
    if one and two:
        verdict = "met" if two["p95"] <= 2 * one["p95"] else "MISSED"
        print()
        print(f"Two processes (PostgreSQL + Redis) ÷ one process, p95: {ratio(two['p95'], one['p95'])} (target ≤ 2×: {verdict})")
    if snapshots:
        print()
        print(f"Join snapshot of a growing board ({snapshots[0]['participants']} participants; a participant's snapshot):")
        print()
        print("| projects | map nodes | build ms (server, DB + dicts) | JSON encode ms | sync round trip ms (p50 / p95) | JSON KB | deflated KB on the wire | target < 50 ms, < 300 KB |")
        print("|---|---|---|---|---|---|---|---|")
        for s in snapshots:
            server_ms = s["build_ms"] + s["encode_ms"]
            ok = "met" if server_ms < 50 and s["wire_kb"] < 300 else "MISSED"
            print(f"| {s['projects']} | {s['nodes']} | {fmt(s['build_ms'])} | {fmt(s['encode_ms'])} | {fmt(s['rtt_ms'])} / {fmt(s['rtt_p95_ms'])} | "
                  f"{fmt(s['json_kb'], 0)} | {fmt(s['wire_kb'], 0)} | {ok} |")
    for sc in scenarios:
        if sc.result.get("errors") or sc.result.get("worker_errors"):
            print(f"\n{sc.name} N={sc.n}: refused/failed ops {sc.result['errors']} {sc.result.get('worker_errors')}")
