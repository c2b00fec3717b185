"""Benchmark: seed a state-scale caseload (400,000 cases, about 550,000 clients) into SQLite,
with the history `ems seed` gives it by default (for 400,000 cases, the last benefit month:
determinations and budgets, issuances, notices; see emsterm/seed/history.py).

Prints elapsed seconds, rows per second and peak memory of the `ems seed` process (the larger
of it and the second process it starts for the history when another core is idle), against
the targets: at most 180 s and 2 GB on a 2-core machine. Exits 1 when a target is missed.
EMS_BENCH_CASES changes the number of cases (for a quick look); EMS_BENCH_HISTORY the months of
history (`--history-months`).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select

from emsterm.model import Client, Eligibility, metadata

CASES = int(os.environ.get("EMS_BENCH_CASES", "400000"))
HISTORY = os.environ.get("EMS_BENCH_HISTORY", "")
TARGET_SECONDS = 180.0
TARGET_BYTES = 2 * 1024**3


def main() -> int:
    """Run the benchmark and print its figures."""
    with tempfile.TemporaryDirectory(prefix="ems-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        ems = [sys.executable, "-m", "emsterm", "--db", url, "--date", "2025-03-01"]
        subprocess.run([*ems, "db", "upgrade"], check=True, capture_output=True)
        started = time.perf_counter()
        done = subprocess.run(
            [*ems, "seed", "--cases", str(CASES), "--seed", "1", *(["--history-months", HISTORY] if HISTORY else [])],
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        engine = create_engine(url)
        with engine.connect() as connection:
            seeded = (
                "client",
                "bank_account",
                "case_root",
                "member",
                "program",
                "income",
                "asset",
                "expense",
                "verification",
                "alert",
                "narrative",
                "sec_user",
                "sec_user_role",
                "sec_user_office",
                "eligibility",
                "budget_line",
                "issuance",
                "notice",
            )
            rows = sum(
                connection.execute(select(func.count()).select_from(metadata.tables[t])).scalar() or 0 for t in seeded
            )
            clients = connection.execute(select(func.count()).select_from(Client)).scalar() or 0
            months = connection.execute(select(func.count(func.distinct(Eligibility.benefit_month)))).scalar() or 0
            determinations = connection.execute(select(func.count()).select_from(Eligibility)).scalar() or 0
        engine.dispose()
        size = (Path(folder) / "bench.db").stat().st_size
    print(f"seed benchmark: {CASES:,} cases, {clients:,} clients, {rows:,} rows")
    print(f"  ems seed     {done.stdout.strip().splitlines()[-1]}")
    print(f"  history      {months:8d} months  ({determinations:,} determinations with their budgets)")
    print(f"  elapsed      {elapsed:8.1f} s     (target <= {TARGET_SECONDS:.0f} s)")
    print(f"  throughput   {rows / elapsed:8,.0f} rows/s")
    print(f"  peak memory  {peak / 1024**2:8,.0f} MiB   (target <= {TARGET_BYTES / 1024**3:.0f} GiB)")
    print(f"  database     {size / 1024**2:8,.0f} MiB")
    met = elapsed <= TARGET_SECONDS and peak <= TARGET_BYTES
    print("  targets met" if met else "  TARGET MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
