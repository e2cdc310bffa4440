"""Write transactions on PostgreSQL never yield to other green threads, under eventlet and under gevent.

A write claims its board's seq first, which locks the board's row until COMMIT: a transaction that
yields at each round trip holds that lock while the loop runs everything else (persistence/write_gate.py).
Each mode runs in its own process (monkey-patching is process-wide); reads are the control: they do yield.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_a_write_transaction_does_not_yield_while_it_holds_its_locks(pg_url, mode):
    probe = subprocess.run([sys.executable, "-m", "tests.support.write_gate_probe", mode, pg_url], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    report = json.loads(probe.stdout.strip().splitlines()[-1])
    assert report["gate"] is True
    assert report["read"] > 10, report  # a read's round trips let the other green thread run (the check can fail)
    assert report["write"] == 0, report
    assert report["combined"] == [[0, 0], [1, 0], [2, 0]], report
