"""CCSES's caseload report: support cases by type and status at each month's end, from their
dated history; CSV and PNG from `ems report support-caseload`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from emsterm.ccses.reports import caseload_by_month, timeframe_compliance
from emsterm.database.engine import transaction
from emsterm.model import SupportAlertType, SupportCase, SupportCaseType, SupportStatus, SupportStatusHistory
from emsterm.seed.writer import seed_caseload
from tests.conftest import BUSINESS_DATE, Ems, migrated


def _case(session, number: str, steps: list[tuple[str, SupportStatus, SupportCaseType]]) -> None:  # type: ignore[no-untyped-def]
    first = dt.date.fromisoformat(steps[0][0])
    last = steps[-1]
    case = SupportCase(support_number=number, ems_case_number=None, referral_key=None, case_type=last[2],
                       status=last[1], status_date=dt.date.fromisoformat(last[0]), referral_date=first,
                       opened_date=first)  # fmt: skip
    session.add(case)
    session.flush()
    for seq, (on, status, case_type) in enumerate(steps, start=1):
        session.add(SupportStatusHistory(support_case_id=case.id, seq=seq, status=status, case_type=case_type,
                                         effective_date=dt.date.fromisoformat(on)))  # fmt: skip


def test_a_case_counts_in_the_status_it_had_on_each_month_end(db_url: str) -> None:
    engine = migrated(db_url)
    ca, fa = SupportCaseType.CURRENT_ASSISTANCE, SupportCaseType.FORMER_ASSISTANCE
    with transaction(engine) as session:
        # referred on the last day of January; located on March 1; TFA closed on March 31
        steps = [
            ("2025-01-31", SupportStatus.INTAKE, ca),
            ("2025-02-10", SupportStatus.LOCATE, ca),
            ("2025-03-01", SupportStatus.ESTABLISHMENT, ca),
            ("2025-03-31", SupportStatus.ESTABLISHMENT, fa),
        ]
        _case(session, "0000000001", steps)
        _case(session, "0000000002", [("2025-02-01", SupportStatus.INTAKE, ca)])
    with transaction(engine) as session:
        rows = caseload_by_month(session, dt.date(2024, 12, 1), dt.date(2025, 6, 1), dt.date(2025, 4, 15))
    found = {(r.month.month, r.case_type, r.status): r.cases for r in rows if r.cases}
    assert found == {
        (1, ca, SupportStatus.INTAKE): 1,
        (2, ca, SupportStatus.LOCATE): 1,
        (2, ca, SupportStatus.INTAKE): 1,
        (3, fa, SupportStatus.ESTABLISHMENT): 1,
        (3, ca, SupportStatus.INTAKE): 1,
        (4, fa, SupportStatus.ESTABLISHMENT): 1,
        (4, ca, SupportStatus.INTAKE): 1,
    }
    # every type and status of every month up to the business date's, zeros too; none after
    assert {r.month for r in rows} == {dt.date(2024, 12, 1), *(dt.date(2025, m, 1) for m in range(1, 5))}
    assert len(rows) == 5 * len(SupportCaseType) * len(SupportStatus)
    engine.dispose()


def test_the_last_month_agrees_with_the_seeded_cases(ems: Ems, tmp_path: Path) -> None:
    engine = migrated(ems.url)
    seed_caseload(engine, 400, 2, BUSINESS_DATE, history_months=0)
    with transaction(engine) as session:
        by_type_status = select(SupportCase.case_type, SupportCase.status, func.count()).group_by(
            SupportCase.case_type, SupportCase.status
        )
        now = {(t, s): n for t, s, n in session.execute(by_type_status)}
    month = f"{BUSINESS_DATE:%Y-%m}"
    result = ems("report", "support-caseload", "--from", "2020-01", "--to", month,
                 "--csv", str(tmp_path / "s.csv"), "--png", str(tmp_path / "s.png"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = list(csv.reader(io.StringIO((tmp_path / "s.csv").read_text("utf-8-sig"))))
    assert table[0] == ["Month", "Case Type", "Status", "Cases"]
    last = {(r[1], r[2]): int(r[3]) for r in table[1:] if r[0] == month}
    assert sum(last.values()) == sum(now.values()) > 150
    assert sum(int(r[3]) for r in table[1:] if r[0] == "2020-01") < sum(now.values())
    assert last["Never assistance", "Enforcement"] == now[SupportCaseType.NEVER_ASSISTANCE, SupportStatus.ENFORCEMENT]
    bad = ems("report", "support-caseload", "--from", "2025-05", "--to", "2025-01")
    assert bad.exit_code != 0 and "after" in bad.output
    engine.dispose()


def test_timeframe_compliance_counts_each_clock_in_the_month_it_was_decided(db_url: str) -> None:
    engine = migrated(db_url)
    ca = SupportCaseType.CURRENT_ASSISTANCE
    with transaction(engine) as session:
        for number, opened in (("0000000001", "2025-01-21"), ("0000000002", "2025-01-22"), ("0000000003", None)):
            _case(session, number, [("2025-01-01", SupportStatus.INTAKE, ca)])
            session.flush()
            case = session.scalars(select(SupportCase).where(SupportCase.support_number == number)).one()
            case.initiated_date = dt.date.fromisoformat(opened) if opened else None
    with transaction(engine) as session:
        # the 20-day clock from 01/01 is due 01/21: met on the day; one day late is missed in
        # January (the day after the deadline); never opened is missed on 01/22 too
        rows = timeframe_compliance(session, dt.date(2025, 1, 1), dt.date(2025, 3, 1), dt.date(2025, 3, 1))
        opens = {r.month.month: (r.met, r.missed, r.percent) for r in rows if r.timeframe == SupportAlertType.OPEN}
        assert opens == {1: (1, 2, Decimal("33.3")), 2: (0, 0, None), 3: (0, 0, None)}
        # on 01/21 the late ones are not decided yet
        early = timeframe_compliance(session, dt.date(2025, 1, 1), dt.date(2025, 1, 1), dt.date(2025, 1, 21))
        assert [(r.met, r.missed) for r in early if r.timeframe == SupportAlertType.OPEN] == [(1, 0)]
    engine.dispose()
