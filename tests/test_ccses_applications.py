"""Never-assistance applications for IV-D services, through the CCSES service on SQLite and
PostgreSQL: the application makes a support case of type NA at intake with its parties and its
fee (the CCSES parameter APPLICATION_FEE in force on the application date: none in Connecticut,
and when a table change brings one, who paid it is required); the 20 days to open it run from
the application (45 CFR 303.2(b)) and the stream's TIMEFRAM step opens it like a referral; bad
facts are refused in words and nothing is half-written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from emsterm.ccses.applications import Application, Person, apply_for_services
from emsterm.ccses.inquiry import show_case
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.ccses.parameters import fee_terms
from emsterm.database.engine import transaction
from emsterm.model import (
    AuditEntry,
    CycleParameter,
    FeePayer,
    SupportApplication,
    SupportCase,
    SupportCaseType,
    SupportParty,
    SupportStatus,
)
from emsterm.model.base import acting_as
from tests.conftest import Ems

TODAY = dt.date(2025, 3, 1)


def _application(applied: dt.date = TODAY, **changes: object) -> Application:
    """Dana Okafor applies for support from Marcus Bell for their daughter Zoe."""
    facts: dict[str, object] = {
        "applied": applied,
        "custodial": Person("OKAFOR", "DANA", "222334444", dt.date(1991, 4, 2), "9 ELM ST", "NEW HAVEN", "CT", "06511"),
        "parent": Person("BELL", "MARCUS", None, dt.date(1989, 11, 30), "", "", "", "", employer="YALE NEW HAVEN"),
        "children": (Person("OKAFOR", "ZOE", None, dt.date(2019, 6, 15)),),
    }
    facts.update(changes)
    return Application(**facts)  # type: ignore[arg-type]


def _count(engine: Engine) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(SupportCase)) or 0


def test_an_application_makes_a_never_assistance_case_with_its_parties_and_no_fee(engine: Engine) -> None:
    with transaction(engine) as session, acting_as("CSW1"):
        case = apply_for_services(session, _application(dt.date(2025, 2, 24)), TODAY, "CSW1")
        number = case.support_number
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase).where(SupportCase.support_number == number)).one()
        assert (case.case_type, case.status, case.ems_case_number) == (
            SupportCaseType.NEVER_ASSISTANCE,
            SupportStatus.INTAKE,
            None,
        )
        assert (case.referral_date, case.opened_date, case.status_date) == (dt.date(2025, 2, 24), TODAY, TODAY)
        parties = [
            (p.seq, str(p.role), p.last_name, p.first_name, p.ssn, p.employer, p.city)
            for p in session.scalars(select(SupportParty).order_by(SupportParty.seq))
        ]
        assert parties == [
            (1, "CP", "OKAFOR", "DANA", "222334444", "", "NEW HAVEN"),
            (2, "NP", "BELL", "MARCUS", None, "YALE NEW HAVEN", ""),
            (3, "CH", "OKAFOR", "ZOE", None, "", ""),
        ]
        application = session.scalars(select(SupportApplication)).one()
        assert (application.application_date, application.taken_by, application.fee, application.fee_paid_by) == (
            dt.date(2025, 2, 24),
            "CSW1",
            Decimal("0.00"),
            None,
        )
        shown = show_case(session, case, TODAY)
        assert shown["history"][0]["reason"] == "APPLICATION FOR SERVICES"
        assert shown["application"] == {"date": "2025-02-24", "taken_by": "CSW1", "fee": "0.00", "fee_paid_by": None}
        opening = shown["timeframes"][0]
        assert (opening["timeframe"], opening["deadline"], opening["days_left"]) == ("OPEN", "2025-03-16", 15)
        trail = [(a.action, a.segment, a.segment_key) for a in session.scalars(select(AuditEntry))]
        assert ("ISRT", "SUPAPPL", f"{number}:1") in trail


def test_the_annual_fee_terms_change_on_october_1_2018(engine: Engine) -> None:
    with transaction(engine) as session:
        before, after = fee_terms(session, dt.date(2018, 9, 30)), fee_terms(session, dt.date(2018, 10, 1))
    assert (before.application_fee, before.annual_fee, before.annual_threshold) == (
        Decimal("0.00"),
        Decimal("25.00"),
        Decimal("500.00"),
    )
    assert (after.annual_fee, after.annual_threshold) == (Decimal("35.00"), Decimal("550.00"))


def test_a_fee_brought_by_a_table_change_applies_from_its_date_and_needs_its_payer(engine: Engine) -> None:
    """A dated table change: a 25.00 fee from 04/01/2025. An application of 03/31 pays none (and
    a payer typed for it is refused); one of 04/01 is refused without its payer, taken with it."""
    with transaction(engine) as session:
        old = session.scalars(select(CycleParameter).where(CycleParameter.name == "APPLICATION_FEE")).one()
        old.effective_to = dt.date(2025, 4, 1)  # the first day it is no longer in force
        session.add(
            CycleParameter(
                stream="CCSES",
                name="APPLICATION_FEE",
                value="25.00",
                description="test",
                effective_from=dt.date(2025, 4, 1),
                source="test table change",
            )
        )
    on = dt.date(2025, 4, 2)
    with transaction(engine) as session:
        with pytest.raises(EstablishmentRefused, match="no application fee is charged on 03/31/2025") as refused:
            apply_for_services(session, _application(dt.date(2025, 3, 31), fee_paid_by=FeePayer.STATE), on, "CSW1")
        assert refused.value.field == "fee_paid_by"
        with pytest.raises(EstablishmentRefused, match=r"the application fee of 25\.00 needs who paid it") as refused:
            apply_for_services(session, _application(dt.date(2025, 4, 1)), on, "CSW1")
        assert refused.value.field == "fee_paid_by"
        march = apply_for_services(session, _application(dt.date(2025, 3, 31)), on, "CSW1")
        april = apply_for_services(
            session, _application(dt.date(2025, 4, 1), fee_paid_by=FeePayer.APPLICANT), on, "CSW1"
        )
        fees = {a.support_case_id: (a.fee, a.fee_paid_by) for a in session.scalars(select(SupportApplication))}
        assert fees == {march.id: (Decimal("0.00"), None), april.id: (Decimal("25.00"), FeePayer.APPLICANT)}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"applied": dt.date(2025, 3, 2)}, "applied", "the application date cannot be after 03/01/2025"),
        ({"custodial": Person("", "DANA")}, "cp_last", "the custodial party needs a last and a first name"),
        ({"parent": Person("", "", None)}, "np_last", "the non-custodial parent needs a last name or an SSN"),
        ({"children": ()}, "child1_last", "the application names at least one child"),
        (
            {"children": (Person("OKAFOR", "ZOE", None, None),)},
            "child1_birth",
            "child 1 needs a last name, a first name and a birth date",
        ),
        (
            {"children": (Person("OKAFOR", "ZOE", None, dt.date(2025, 3, 1)),)},
            "child1_birth",
            "child 1 was born after the application",
        ),
        ({"parent": Person("BELL", "MARCUS", None, zip="651")}, "np_zip", "ZIP '651' is not five digits"),
    ],
)
def test_bad_applications_are_refused_in_words_and_nothing_is_written(
    engine: Engine, changes: dict[str, object], field: str, words: str
) -> None:
    with transaction(engine) as session, pytest.raises(EstablishmentRefused, match=words) as refused:
        apply_for_services(session, _application(**{"applied": dt.date(2025, 2, 28), **changes}), TODAY, "CSW1")
    assert refused.value.field == field
    assert _count(engine) == 0


def test_the_stream_opens_the_application_like_a_referral(engine: Engine, db_url: str, tmp_path: Path) -> None:
    """The parent's employer is known, so TIMEFRAM opens the case to establishment; the opening
    clock is met on the stream's date, within the 20 days from the application."""
    with transaction(engine) as session, acting_as("CSW1"):
        number = apply_for_services(session, _application(dt.date(2025, 2, 24)), TODAY, "CSW1").support_number
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    day = dt.date(2025, 3, 3)
    result = Ems(db_url)(
        "batch", "ccses", "--force", "--date", day.isoformat(), "--inbox", str(inbox), "--outbox", str(outbox)
    )
    assert result.exit_code in (0, 4), result.output
    summary = json.loads(next(outbox.glob(f"ccses-{day.isoformat()}-*/summary.json")).read_text())
    timeframes = next(s for s in summary["steps"] if s["step"] == "TIMEFRAM")
    assert timeframes["counts"]["opened_establishment"] == 1, timeframes
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase).where(SupportCase.support_number == number)).one()
        assert (case.status, case.initiated_date, case.located_date) == (SupportStatus.ESTABLISHMENT, day, day)
        opening = show_case(session, case, day)["timeframes"][0]
        assert (opening["timeframe"], opening["state"]) == ("OPEN", "M")
