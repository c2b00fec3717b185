"""Benchmark: posting and distributing a month of child support collections for the seeded
state-scale caseload (`ems ccses post-payments FILE`).

Seeds 400,000 EMS cases without history for 03/01/2025 (EMS_BENCH_CASES to change;
EMS_BENCH_CCSES_DB to start from a copy of a database already seeded so), which gives about
200,000 support cases with their ledgers brought forward; writes March's collections file
(`ems ccses sample-collections`: about 250,000 payments), then posts it on 03/31 in a child
process: each case charged for March, each collection matched, distributed and entered in the
ledger, the unmatched held in suspense. Prints the time, payments per second and the child's
peak memory against the targets (at most 300 s and 1 GiB: a night's window with room for the
rest of the stream), then reconciles every ledger (`ems ccses reconcile`) and prints how long
that took.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bench_ccses import CASES, _database, _ems
from measure import ems_measured

POST_DATE = "2025-03-31"
TARGET_SECONDS, TARGET_BYTES = 300.0, 1024**3


def main() -> int:
    """Run the benchmark; exit status 1 when a target is missed."""
    with tempfile.TemporaryDirectory(prefix="ems-bench-payments-") as tmp:
        folder = Path(tmp)
        print(f"bench_payments: preparing {CASES:,} EMS cases and their support side ...", flush=True)
        url = _database(folder)
        collections = folder / "collections-20250331.txt"
        made = _ems(
            url, "--date", POST_DATE, "ccses", "sample-collections", "--month", "2025-03", "--out", str(collections)
        )
        if made.returncode:
            raise SystemExit(f"bench_payments: could not write the collections: {made.stderr.strip()}")
        print(f"  {made.stdout.strip()}")
        done = ems_measured(
            url, "--date", POST_DATE, "ccses", "post-payments", str(collections), "--outbox", str(folder / "out")
        )
        elapsed, peak = done.seconds, done.peak_bytes
        if done.returncode not in (0, 4):
            print(done.stdout, done.stderr, sep="\n")
            raise SystemExit(f"bench_payments: the posting run ended with RC {done.returncode}")
        (run,) = (folder / "out").iterdir()
        counts = json.loads((run / "summary.json").read_text())["steps"][0]["counts"]
        posted = counts.get("posted", 0)
        print(f"posted {posted:,} collections ({counts.get('suspended', 0):,} to suspense) in {elapsed:.1f} s"
              f" (target <= {TARGET_SECONDS:.0f} s): {posted / elapsed:,.0f} payments/s")  # fmt: skip
        dollars, held = counts.get("posted_cents", 0) / 100, counts.get("held_cents", 0) / 100
        print(f"  dollars posted {dollars:,.2f}, held {held:,.2f}")
        print(f"  peak memory (child): {peak / 1024**2:,.0f} MiB (target <= {TARGET_BYTES / 1024**3:.0f} GiB)")
        started = time.perf_counter()
        checked = _ems(url, "ccses", "reconcile")
        said = checked.stdout.strip().splitlines()[-1] if checked.stdout.strip() else checked.stderr.strip()
        print(f"  reconcile: {said} in {time.perf_counter() - started:.1f} s")
        if checked.returncode:
            return 1
    return 0 if elapsed <= TARGET_SECONDS and peak <= TARGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
