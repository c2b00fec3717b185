"""Benchmark: the real-time eligibility verification server (X12 270/271 over CAQH CORE HTTP)
against a state-scale SQLite database (400,000 cases).

Starts `ems evs serve` in its own process on a free loopback port, then CLIENTS client threads
on keep-alive connections send REQUESTS inquiries in all (random clients of the caseload by
client number, name and birth date, for the business date), each a whole CORE envelope with its
270, and read the 271. Prints the median, 95th and 99th percentile of the round trip and the
requests per second, against the target (95th percentile under 20 ms, at least 300 requests a
second on a 2-core machine). Every answer must be a 271 that says active or inactive.
EMS_BENCH_CASES changes the caseload; EMS_BENCH_DB reuses a database already seeded.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select

from emsterm.database.engine import make_engine, transaction
from emsterm.interfaces import core_envelope, evs_x12
from emsterm.interfaces.evs_x12 import Subscriber
from emsterm.model import Client, EvsInquiry
from emsterm.model.codes import EvsAnswer
from emsterm.servers.evs_client import TRACE_ORIGINATOR, build_inquiry

CASES = int(os.environ.get("EMS_BENCH_CASES", "400000"))
CLIENTS = int(os.environ.get("EMS_BENCH_CLIENTS", "4"))
REQUESTS = 2000
TARGET_P95_MS = 20.0
TARGET_RATE = 300.0
TODAY = dt.date(2025, 3, 1)


def _seed(folder: Path) -> str:
    url = f"sqlite:///{folder / 'evs.db'}"
    ems = [sys.executable, "-m", "emsterm", "--db", url, "--date", TODAY.isoformat()]
    subprocess.run([*ems, "db", "upgrade"], check=True, capture_output=True)
    subprocess.run([*ems, "seed", "--cases", str(CASES), "--seed", "1"], check=True, capture_output=True)
    return url


def _inquiries(url: str) -> list[bytes]:
    """REQUESTS envelopes about random clients (bodies; one Content-Type boundary for all)."""
    engine = make_engine(url)
    rng = random.Random(7)
    with transaction(engine) as session:
        top = session.scalar(select(func.max(Client.id))) or 0
        ids = [rng.randrange(1, top + 1) for _ in range(REQUESTS)]
        people = {c.id: c for c in session.scalars(select(Client).where(Client.id.in_(sorted(set(ids))[:30_000])))}
    engine.dispose()
    bodies = []
    for number, client_id in enumerate(ids, start=1):
        person = people.get(client_id)
        if person is None:
            continue
        subscriber = Subscriber(
            trace=f"BENCH{number}",
            trace_originator=TRACE_ORIGINATOR,
            member_id=person.client_number,
            last_name=person.last_name,
            first_name=person.first_name,
            birth_date=person.birth_date,
            service_date=TODAY,
        )
        payload = build_inquiry(subscriber, dt.datetime.combine(TODAY, dt.time(9, 0)), control=number)
        body, _ = core_envelope.encode(
            {
                "PayloadType": core_envelope.REQUEST_TYPE,
                "ProcessingMode": core_envelope.REAL_TIME,
                "PayloadID": f"bench-{number}",
                "TimeStamp": "2025-03-01T09:00:00Z",
                "SenderID": "BENCH",
                "ReceiverID": "CTDSSEMS",
                "CORERuleVersion": core_envelope.RULE_VERSION,
                "Payload": payload,
            },
            boundary="EMSBENCH",
        )
        bodies.append(body)
    return bodies


def _client(address: tuple[str, int], path: str, bodies: list[bytes]) -> tuple[list[float], int]:
    connection = http.client.HTTPConnection(*address, timeout=30)
    times: list[float] = []
    wrong = 0
    headers = {"Content-Type": "multipart/form-data; boundary=EMSBENCH"}
    try:
        for body in bodies:
            started = time.perf_counter()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            times.append(time.perf_counter() - started)
            fields = core_envelope.decode(data, response.headers.get("Content-Type", ""))
            replies = evs_x12.parse_271(fields.get("Payload", ""))
            if (
                response.status != 200
                or not isinstance(replies, list)
                or replies[0].status not in (EvsAnswer.ACTIVE, EvsAnswer.INACTIVE)
            ):
                wrong += 1
    finally:
        connection.close()
    return times, wrong


def run(url: str) -> bool:
    """Serve the database at `url` and load it; True when the targets are met."""
    bodies = _inquiries(url)
    command = [sys.executable, "-m", "emsterm", "--db", url, "--date", TODAY.isoformat(), "evs", "serve", "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline() if server.stdout else ""
        if "http://" not in line:
            print(f"EVS server did not start: {line.strip()} {server.stderr.read() if server.stderr else ''}")
            return False
        parts = urlsplit(line.split()[3])
        address = (parts.hostname or "127.0.0.1", parts.port or 0)
        _client(address, parts.path, bodies[:50])  # warm the server's caches and the file's pages
        shares = [bodies[i::CLIENTS] for i in range(CLIENTS)]
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(lambda share: _client(address, parts.path, share), shares))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    times = sorted(t for result, _ in results for t in result)
    wrong = sum(w for _, w in results)
    p50 = statistics.median(times) * 1000
    p95 = times[int(len(times) * 0.95) - 1] * 1000
    p99 = times[int(len(times) * 0.99) - 1] * 1000
    rate = len(times) / elapsed
    engine = make_engine(url)
    with transaction(engine) as session:
        logged = session.scalar(select(func.count()).select_from(EvsInquiry).where(EvsInquiry.sender_id == "BENCH"))
    engine.dispose()
    met = p95 < TARGET_P95_MS and rate >= TARGET_RATE and wrong == 0
    print(f"EVS 270/271 over HTTP, {CASES:,} cases, {CLIENTS} clients, {len(times):,} requests")
    print(f"  p50 {p50:.1f} ms   p95 {p95:.1f} ms   p99 {p99:.1f} ms   {rate:,.0f} requests/s")
    print(
        f"  wrong answers {wrong}; inquiries logged {logged:,}"
        f" (target: p95 < {TARGET_P95_MS:.0f} ms, >= {TARGET_RATE:.0f}/s)"
    )
    print("  targets met" if met else "  TARGET MISSED")
    return met


def main() -> int:
    """Seed (or reuse) the database and run the benchmark."""
    if os.environ.get("EMS_BENCH_DB"):
        return 0 if run(os.environ["EMS_BENCH_DB"]) else 1
    with tempfile.TemporaryDirectory(prefix="ems-bench-evs-") as folder:
        return 0 if run(_seed(Path(folder))) else 1


if __name__ == "__main__":
    sys.exit(main())
