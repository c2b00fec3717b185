"""CS04 LOCATE HISTORY and CS07 CCSES ALERT QUEUE driven through Textual's Pilot: a CCSES
worker lists their open alerts by due date, a bad filter and a close without a disposition are
refused with a message, C closes one (audited), S shows the case's Locate History; CS04 refuses a
support case that does not exist."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select

from emsterm.ccses.alerts import NewAlert, alert_text, raise_alerts
from emsterm.ccses.cases import apply_referral
from emsterm.database.engine import make_engine, transaction
from emsterm.model import (
    AuditEntry,
    LocateConfidence,
    LocateSource,
    SupportAlert,
    SupportAlertType,
    SupportLocate,
    SupportStatus,
)
from emsterm.seed.demo import DEMO_PASSWORD
from emsterm.services.users import NewUser, add_user
from tests.conftest import BUSINESS_DATE
from tests.pilot import SIZE, fill, make_app, row, shown, sign_on, type_command
from tests.test_ccses_stream import _referral

CSWORKER = "CSWORK1"
ACME = "ACME TOOL AND DIE OF NEW HAVEN INC"


def support_data(url: str) -> str:
    """A CCSES worker and a support case located by a new-hire hit, with two open alerts (a
    locate hit to verify and a review due); the case's support number."""
    engine = make_engine(url)
    with transaction(engine) as session:
        user = add_user(session, NewUser(CSWORKER, ("csworker",), "HFD", DEMO_PASSWORD), BUSINESS_DATE)
        user.must_change_password, user.password_changed = False, BUSINESS_DATE
        referral = _referral("0000090002", "000900022", "333445555", parent_ssn="333445555")
        case = apply_referral(session, referral, BUSINESS_DATE, Counter())
        assert case is not None
        case.status, case.located_date = SupportStatus.ESTABLISHMENT, BUSINESS_DATE
        for seq, (source, confidence, street, employer, name) in enumerate(
            [
                (LocateSource.NEW_HIRE, LocateConfidence.HIGH, "40 STATE ST", ACME, "cs-new-hire-20250301.txt"),
                (LocateSource.DMV, LocateConfidence.LOW, "9 ELM ST", "", "cs-dmv-20250301.txt"),
            ],
            start=1,
        ):  # fmt: skip
            session.add(
                SupportLocate(support_case_id=case.id, seq=seq, party_seq=2, source=source,
                              locate_date=BUSINESS_DATE, confidence=confidence, street=street, city="NEW HAVEN",
                              state="CT", zip="06510", employer=employer, file_name=name, applied=seq == 1)
            )  # fmt: skip
        due = BUSINESS_DATE + dt.timedelta(days=10)
        raise_alerts(
            session,
            [
                NewAlert(case.id, SupportAlertType.LOCATE_HIT, BUSINESS_DATE, due,
                         alert_text(SupportAlertType.LOCATE_HIT, due, "NEW HIRE")),
                NewAlert(case.id, SupportAlertType.REVIEW, dt.date(2022, 2, 20), dt.date(2025, 2, 20),
                         alert_text(SupportAlertType.REVIEW, dt.date(2025, 2, 20))),
            ],
            BUSINESS_DATE,
        )  # fmt: skip
        number = case.support_number
    engine.dispose()
    return number


async def test_the_ccses_worker_works_the_alert_queue_and_sees_locate_history(terminal_db: str) -> None:
    number = support_data(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, CSWORKER)
        await type_command(pilot, "CS07")
        assert row(app, 1).startswith("CS0070"), shown(app)
        assert row(app, 23) == "EMS203I 2 OPEN CCSES ALERTS - S SHOWS LOCATE HISTORY, C CLOSES", shown(app)
        assert row(app, 8).split()[:4] == ["02/20/2025", "*", "REVW", number]  # overdue, first by due date
        assert row(app, 9).split()[:3] == ["03/11/2025", "LHIT", number]
        await fill(pilot, {"type": "XXXX"})
        assert row(app, 23).startswith("EMS025E ALERT TYPE MUST BE ONE OF:"), shown(app)
        await fill(pilot, {"type": "ENFC"})
        assert row(app, 23) == "EMS205I NO OPEN CCSES ALERTS"
        await fill(pilot, {"type": ""})
        await fill(pilot, {"alerts.sel.0": "C"})
        assert row(app, 23) == "EMS020E DISPOSITION IS REQUIRED", shown(app)
        await fill(pilot, {"alerts.sel.0": "C", "disp": "DN"})
        assert row(app, 23) == "EMS204I 1 CCSES ALERTS CLOSED WITH DISPOSITION DN", shown(app)
        assert row(app, 8).split()[1] == "LHIT"
        await fill(pilot, {"alerts.sel.0": "S"})
        assert row(app, 1).startswith("CS0040"), shown(app)
        assert row(app, 23) == f"EMS200I 2 LOCATE HITS FOR CASE {number} - * SET ADDRESS OR EMPLOYER"
        assert "CARLOS RIVERA" in row(app, 5) and "333-44-5555" in row(app, 5)
        assert row(app, 9).split()[:4] == ["03/01/2025", "MV", "L", "9"], shown(app)  # newest first
        assert row(app, 10).split()[:4] == ["03/01/2025", "NH", "H", "*"], shown(app)
        assert "40 STATE ST" in row(app, 10) and "cs-new-hire" in row(app, 10)
        await fill(pilot, {"support_no": "9999999"})
        assert row(app, 23) == "EMS220E NO SUPPORT CASE 9999999", shown(app)
        await fill(pilot, {"support_no": number.lstrip("0")})
        assert row(app, 4).split()[3] == number and row(app, 23).startswith("EMS200I 2 LOCATE HITS")
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        review = session.scalars(select(SupportAlert).where(SupportAlert.alert_type == "REVW")).one()
        assert (review.status, review.disposition, review.worker_id, review.closed_date) == (
            "C",
            "DN",
            CSWORKER,
            BUSINESS_DATE,
        )
        (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.segment == "SUPALERT")).all()
        assert entry.user_id == CSWORKER and entry.after["disposition"] == "DN"  # type: ignore[index]
        looks = session.scalars(
            select(AuditEntry).where(AuditEntry.segment == "SUPCASE", AuditEntry.detail == "CS04")
        ).all()
        assert [(a.action, a.user_id) for a in looks] == [("INQY", CSWORKER)] * 2  # from CS07's S, then typed
    engine.dispose()


async def test_an_ems_worker_may_not_use_the_ccses_screens(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "CS07")
        assert not row(app, 1).startswith("CS0070"), shown(app)
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION", shown(app)
