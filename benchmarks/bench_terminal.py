"""Benchmark: the terminal's start-up and its response to menu navigation.

Prints the time from starting `ems tui` (a fresh Python process, headless) to the sign-on
screen with its message (target at most 1.5 s), and the median time from a key press to the
next screen fully shown for menu navigation (target at most 50 ms). Exits 1 on a miss.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from emsterm.database.engine import transaction
from emsterm.seed.demo import DEMO_PASSWORD, ensure_demo_users
from emsterm.seed.writer import seed_caseload

TARGET_START = 1.5
TARGET_KEY = 0.050
DATE = dt.date(2025, 3, 1)
CHILD = """
import sys, time, asyncio, datetime as dt
started = float(sys.argv[2])
from emsterm.app import EmsApp
from emsterm.config import Settings
async def main():
    app = EmsApp(Settings(database_url=sys.argv[1], business_date=dt.date(2025, 3, 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        while not (app.map_screen and app.map_screen.message):
            await pilot.pause(0.005)
        print(f"{time.time() - started:.4f}")
asyncio.run(main())
"""


def prepare(folder: Path) -> str:
    """A database with 1,000 cases and the demo users."""
    from tests.conftest import migrated

    url = f"sqlite:///{folder / 'bench.db'}"
    engine = migrated(url)
    seed_caseload(engine, 1000, 1, DATE)
    with transaction(engine) as session:
        ensure_demo_users(session, DATE)
    engine.dispose()
    return url


def start_up(url: str, runs: int = 5) -> float:
    """Median seconds from process start to the sign-on screen with its message."""
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", CHILD, url, str(time.time())], capture_output=True, text=True, check=True
        )
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


async def _shown(app, expected: str) -> None:  # type: ignore[no-untyped-def]
    """Until the expected screen is current, laid out, and every message queue is drained."""
    while True:
        screen = app.map_screen
        if (
            screen is not None
            and screen.spec.id == expected
            and screen.is_mounted
            and app._message_queue.empty()
            and screen._message_queue.empty()
            and screen.canvas._message_queue.empty()
            and not screen._layout_required
        ):
            return
        await asyncio.sleep(0)


async def navigation(url: str, rounds: int = 40) -> list[float]:
    """Seconds from the ENTER (or PF3) key event to the next menu fully processed and laid out.

    Keys go to the app as a terminal driver would send them; Pilot's own waiting is not timed.
    """
    from textual import events

    from tests.pilot import make_app, settle, sign_on

    app = make_app(url)
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_on(pilot, password=DEMO_PASSWORD)
        for _ in range(rounds):
            for key, expected in (("enter", "EMS0110"), ("f3", "EMS0100")):
                if key == "enter":
                    await pilot.press("home", "1")
                await settle(pilot)
                event = events.Key(key, "\r" if key == "enter" else None)
                event.set_sender(app)
                started = time.perf_counter()
                app._driver.send_message(event)
                await _shown(app, expected)
                times.append(time.perf_counter() - started)
        await settle(pilot)
    return times


def main() -> int:
    """Run both measurements and print them."""
    with tempfile.TemporaryDirectory(prefix="ems-bench-") as folder:
        url = prepare(Path(folder))
        start = start_up(url)
        keys = asyncio.run(navigation(url))
    median = statistics.median(keys)
    print("terminal benchmark")
    print(f"  start to sign-on screen   {start:6.2f} s    (target <= {TARGET_START} s, median of 5 starts)")
    print(
        f"  key to next screen        {median * 1000:6.1f} ms"
        f"   (target <= {TARGET_KEY * 1000:.0f} ms, median of {len(keys)} menu moves)"
    )
    print(f"  slowest key to screen     {max(keys) * 1000:6.1f} ms")
    met = start <= TARGET_START and median <= TARGET_KEY
    print("  targets met" if met else "  TARGET MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
