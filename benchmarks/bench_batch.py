"""Benchmark: the monthly cycle (`ems batch monthly`) over a state-scale SQLite caseload.

Seeds 400,000 cases (EMS_BENCH_CASES to change; EMS_BENCH_DB to start from a copy of a
database already seeded for 03/01/2025), runs the monthly stream on its cycle date in a child
process, and prints the elapsed time, active cases determined per second, what was issued, and
the child's peak memory, against the targets: at most 300 s and 2 GB.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import ems_measured

CASES = int(os.environ.get("EMS_BENCH_CASES", "400000"))
SEED_DATE, CYCLE_DATE = "2025-03-01", "2025-03-20"
TARGET_SECONDS, TARGET_BYTES = 300.0, 2 * 1024**3


def _ems(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "emsterm", "--db", url, *args], capture_output=True, text=True, check=False
    )


def _database(folder: Path) -> str:
    path = folder / "monthly.db"
    given = os.environ.get("EMS_BENCH_DB")
    if given:
        shutil.copy(given, path)
        return f"sqlite:///{path}"
    url = f"sqlite:///{path}"
    for args in (("db", "upgrade"), ("--date", SEED_DATE, "seed", "--cases", str(CASES), "--seed", "1")):
        done = _ems(url, *args)
        if done.returncode:
            raise SystemExit(f"bench_batch: could not prepare the database: {done.stderr.strip()}")
    return url


def main() -> int:
    """Run the benchmark; exit status 1 when a target is missed."""
    with tempfile.TemporaryDirectory(prefix="ems-bench-batch-") as tmp:
        folder = Path(tmp)
        print(f"bench_batch: preparing {CASES:,} cases ...", flush=True)
        url = _database(folder)
        done = ems_measured(url, "batch", "monthly", "--date", CYCLE_DATE, "--outbox", str(folder / "outbox"))
        elapsed, peak = done.seconds, done.peak_bytes
        if done.returncode not in (0, 4):
            print(done.stdout, done.stderr, sep="\n")
            raise SystemExit(f"bench_batch: the monthly run ended with RC {done.returncode}")
        (run,) = (folder / "outbox").iterdir()
        summary = json.loads((run / "summary.json").read_text())
        report(summary, run, elapsed, peak, _step_seconds(url, summary["run"]))
    return 0 if elapsed <= TARGET_SECONDS and peak <= TARGET_BYTES else 1


def _step_seconds(url: str, run_id: int) -> dict[str, float]:
    """Each step's time from the batch control tables (summary.json stays free of the clock)."""
    import sqlite3

    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT name, started_at, ended_at FROM batch_step WHERE run_id = ? ORDER BY seq", (run_id,)
        ).fetchall()
    seconds = {}
    for name, started, ended in rows:
        if started and ended:
            seconds[name] = (dt.datetime.fromisoformat(ended) - dt.datetime.fromisoformat(started)).total_seconds()
    return seconds


def report(summary: dict, run: Path, elapsed: float, peak: int, seconds: dict[str, float]) -> None:
    """Print the run's figures: time, cases, issuance, each step, the 834 and extract files."""
    steps = {s["step"]: s for s in summary["steps"]}
    cases = steps["EDBCMON"]["counts"].get("cases", 0)
    print(f"monthly cycle over {CASES:,} cases: {elapsed:.1f} s (target <= {TARGET_SECONDS:.0f} s)")
    print(f"  active cases determined: {cases:,} ({cases / elapsed:,.0f} cases/s over the whole run)")
    print(f"  issued: {summary['issued']['issuances']:,} benefits, ${summary['issued']['dollars']}")
    for name, step in steps.items():
        took = f" in {seconds[name]:,.1f} s" if name in seconds else ""
        print(f"  {name:<8} RC {step['return_code']:02d} records {step['counts'].get('records', 0):,}{took}")
    for file in summary["files"]:
        if file["interface"] in ("X12-834", "DSS-EXTRACT"):
            size = sum(p.stat().st_size for p in run.rglob(file["file"]))
            name, records = f"{file['interface']:<11} {file['file']:<24}", file["records"]
            print(f"  {name} {records:>9,} records {size / 1024**2:8.1f} MiB")
    print(f"  peak memory (child): {peak / 1024**2:,.0f} MiB (target <= {TARGET_BYTES / 1024**3:.0f} GiB)")


if __name__ == "__main__":
    sys.exit(main())
