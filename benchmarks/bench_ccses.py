"""Benchmark: the CCSES stream (`ems batch ccses`) over the seeded state-scale support caseload.

Seeds 400,000 EMS cases without history (EMS_BENCH_CASES to change; EMS_BENCH_CCSES_DB to start
from a copy of a database already seeded for 03/01/2025), which gives about 200,000 support
cases, puts a DOL new-hire file naming 20,000 of the non-custodial parents in the inbox, runs the
CCSES stream the next day in a child process, and prints the elapsed time, the support cases
processed per second, each step, and the child's peak memory, against the targets: at most
300 s and 1 GiB (the EMS monthly cycle's figures are bench_batch's).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from measure import ems_measured

CASES = int(os.environ.get("EMS_BENCH_CASES", "400000"))
SEED_DATE, RUN_DATE = "2025-03-01", "2025-03-02"
HIRES = 20_000
TARGET_SECONDS, TARGET_BYTES = 300.0, 1024**3


def _ems(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "emsterm", "--db", url, *args], capture_output=True, text=True, check=False
    )


def _database(folder: Path) -> str:
    path = folder / "ccses.db"
    given = os.environ.get("EMS_BENCH_CCSES_DB")
    if given:
        shutil.copy(given, path)
        return f"sqlite:///{path}"
    url = f"sqlite:///{path}"
    seed = ("--date", SEED_DATE, "seed", "--cases", str(CASES), "--seed", "1", "--history-months", "0")
    for args in (("db", "upgrade"), seed):
        done = _ems(url, *args)
        if done.returncode:
            raise SystemExit(f"bench_ccses: could not prepare the database: {done.stderr.strip()}")
    return url


def _new_hires(path: Path, inbox: Path) -> int:
    """A new-hire file naming non-custodial parents with an SSN (the ones in locate first)."""
    from emsterm.interfaces import ccses_new_hire
    from emsterm.interfaces.locate_files import Located

    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT p.ssn, p.last_name, p.first_name FROM support_party p JOIN support_case c"
            " ON c.id = p.support_case_id WHERE p.role = 'NP' AND p.ssn IS NOT NULL"
            " ORDER BY c.status <> 'LO', p.id LIMIT ?",
            (HIRES,),
        ).fetchall()
    hired = dt.date.fromisoformat(SEED_DATE)
    hires = [
        ccses_new_hire.NewHire(
            Located(
                ssn,
                last.upper()[:30],
                first.upper()[:20],
                None,
                "100 MAIN ST",
                "HARTFORD",
                "CT",
                "06103",
                employer="ELECTRIC BOAT",
            ),
            hired,
            "061234567",
            Decimal("2600.00"),
        )
        for ssn, last, first in rows
    ]
    (inbox / f"cs-new-hire-{RUN_DATE.replace('-', '')}.txt").write_bytes(ccses_new_hire.build(hired, hires))
    return len(hires)


def main() -> int:
    """Run the benchmark; exit status 1 when a target is missed."""
    with tempfile.TemporaryDirectory(prefix="ems-bench-ccses-") as tmp:
        folder = Path(tmp)
        print(f"bench_ccses: preparing {CASES:,} EMS cases and their support side ...", flush=True)
        url = _database(folder)
        inbox = folder / "inbox"
        inbox.mkdir()
        hires = _new_hires(folder / "ccses.db", inbox)
        done = ems_measured(url, "--date", RUN_DATE, "batch", "ccses", "--date", RUN_DATE, "--inbox", str(inbox),
                            "--outbox", str(folder / "outbox"))  # fmt: skip
        elapsed, peak = done.seconds, done.peak_bytes
        if done.returncode not in (0, 4):
            print(done.stdout, done.stderr, sep="\n")
            raise SystemExit(f"bench_ccses: the CCSES run ended with RC {done.returncode}")
        (run,) = (folder / "outbox").iterdir()
        summary = json.loads((run / "summary.json").read_text())
        with sqlite3.connect(folder / "ccses.db") as db:
            cases = db.execute("SELECT COUNT(*) FROM support_case").fetchone()[0]
        steps = {s["step"]: s for s in summary["steps"]}
        print(f"CCSES stream over {cases:,} support cases: {elapsed:.1f} s (target <= {TARGET_SECONDS:.0f} s)")
        print(f"  {cases / elapsed:,.0f} support cases/s over the whole run; new-hire file of {hires:,} records")
        for name, step in steps.items():
            counts = ", ".join(f"{k} {v:,}" for k, v in sorted(step["counts"].items()) if isinstance(v, int))
            print(f"  {name:<8} RC {step['return_code']:02d} {counts}")
        print(f"  peak memory (child): {peak / 1024**2:,.0f} MiB (target <= {TARGET_BYTES / 1024**3:.0f} GiB)")
    return 0 if elapsed <= TARGET_SECONDS and peak <= TARGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
