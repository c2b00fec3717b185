"""One worker at a terminal, as a separate process, doing the same kind of change many times
through `dispatch.perform` (the terminal's path): `tests/test_concurrency.py` runs two at once.

    python -m tests.concurrent_worker URL KIND CASE_NUMBER COUNT WORKER START_AT

KIND is `note` (EM46), `income` (EM43 adds an income to member 01, preview then confirm) or
`intake` (EM31 registers a new applicant). The worker waits until the wall clock reaches
START_AT so both processes begin together, and prints one JSON line: how often each message
came back. An exception ends it with a traceback and exit status 1.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections import Counter
from typing import Any

from emsterm.database.engine import make_engine
from emsterm.screens import intake, maintenance
from emsterm.screens.kit.conversation import Context, Request
from emsterm.screens.kit.dispatch import Handler, perform

BUSINESS_DATE = dt.date(2025, 3, 3)
PAGES = {"items": 3, "effects": 6, "dups": 4}


def main(url: str, kind: str, case_number: str, count: int, worker: int, start_at: float) -> dict[str, int]:
    """Do `count` changes of `kind`; answer the message ids seen and how often."""
    engine = make_engine(url)
    context = Context(
        business_date=BUSINESS_DATE, user_id=f"WRK{worker}", roles=("worker",), office="HFD", scope=("HFD",)
    )
    seen: Counter[str] = Counter()

    def send(handler: Handler, values: dict[str, str], state: dict[str, Any]) -> dict[str, Any]:
        reply = perform(engine, handler, Request("ENTER", values, context, state, PAGES))
        seen[reply.message.id if reply.message else "-"] += 1
        return reply.state

    time.sleep(max(0.0, start_at - time.time()))
    for i in range(count):
        if kind == "note":
            send(maintenance.narrative_entry, {"case_no": case_number, "note1": f"note {i} by worker {worker}"}, {})
        elif kind == "income":
            values = {"case_no": case_number}
            state = send(maintenance.income_change, values, {})
            values |= {
                "action": "A",
                "member": "01",
                "type": "UIB",
                "amount": f"{100 + i}.00",
                "freq": "M",
                "effective": "03/01/2025",
            }
            state = send(maintenance.income_change, values, state)
            send(maintenance.income_change, values, state)
        elif kind == "intake":
            born = dt.date(1950, 1, 1) + dt.timedelta(days=worker * 5000 + i)
            send(
                intake.register_applicant,
                {
                    "last_name": f"Worker{'ABCDEFGH'[worker]}",
                    "first_name": f"Person{i}",
                    "dob": f"{born:%m/%d/%Y}",
                    "sex": "F",
                    "cit": "US",
                    "street": "1 Main St",
                    "town_name": "HARTFORD",
                    "zip": "06103",
                    "app_date": f"{BUSINESS_DATE:%m/%d/%Y}",
                },
                {},
            )
        else:
            raise SystemExit(f"unknown kind {kind}")
    engine.dispose()
    return dict(seen)


if __name__ == "__main__":
    url, kind, case, count, worker, start = sys.argv[1:7]
    print(json.dumps(main(url, kind, case, int(count), int(worker), float(start))))
