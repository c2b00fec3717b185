"""Integrated intake on the terminal (EM31-EM35): a three-person household from registration
to an open case, the duplicate-client check, and the results EDBC shows before the case opens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Alert, AuditEntry, Case, Client, Eligibility, Member, Notice, Program, Verification
from emsterm.model.numbers import valid_check_digit
from tests.pilot import SIZE, fill, make_app, row, shown, sign_on, type_command

APPLICANT = {
    "last_name": "ZABRISKIE",
    "first_name": "MARTA",
    "dob": "07/14/1994",
    "sex": "F",
    "ssn": "912-44-1234",
    "cit": "US",
    "street": "77 PARK ST APT 2",
    "town_name": "HARTFORD",
    "zip": "06106",
    "id_ver": "Y",
    "res_ver": "Y",
}
MARCH = dt.date(2025, 3, 1)


EXPECTED = {
    # TFA: the payment standard for 3, 73% of 55% of the guideline in force on 10/01/2024
    # (25,820 / 12 x .4015 = 863.89); the 800 wages are under the need standard less $90 and
    # under 230% of the guideline, so all of them are disregarded.
    "TFA": (True, Decimal("863.89"), None),
    # SNAP, 3 people, March 2025 (applied 03/01, no proration): income 800 wages + 863.89 TFA =
    # 1663.89; - 160 (20% of earnings) - 204 standard = 1299.89; shelter 1000 rent + 950 heating
    # SUA - 649.95 = 1300.06, capped at 712; net 587.89 -> 588; 768 maximum - 177 (30% of 588
    # rounded up) = 591.
    "SNAP": (True, Decimal("591.00"), None),
    # Medical: two children and their caretaker far under HUSKY A's limits.
    "MA": (True, Decimal("0.00"), "HUSA"),
}


async def test_intake_of_a_three_person_household_to_an_open_case(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=2.1")
        assert row(app, 1).startswith("EMS0310") and "REGISTER APPLICANT" in row(app, 1)
        assert app.map_screen.field("app_date").value == "03/01/2025"  # type: ignore[union-attr]
        await fill(pilot, APPLICANT)
        assert row(app, 1).startswith("EMS0320"), shown(app)
        number = app.context.case_number
        assert (
            valid_check_digit(number)
            and row(app, 23) == f"EMS070I CASE {number} PENDING - ADD THE HOUSEHOLD MEMBERS (EM32)"
        )
        assert "ZABRISKIE, MARTA" in row(app, 6)
        await fill(
            pilot,
            {"last_name": "ZABRISKIE", "first_name": "LUCA", "dob": "04/02/2019", "sex": "M", "cit": "US", "rel": "CH"},
        )
        assert row(app, 23) == f"EMS073I MEMBER 02 ADDED TO CASE {number}", shown(app)
        await fill(
            pilot,
            {"last_name": "ZABRISKIE", "first_name": "ANA", "dob": "09/20/2022", "sex": "F", "cit": "US", "rel": "CH"},
        )
        assert row(app, 23) == f"EMS073I MEMBER 03 ADDED TO CASE {number}"
        assert "ZABRISKIE, ANA" in row(app, 8) and "CH" in row(app, 8)

        await type_command(pilot, "EM33")
        await fill(
            pilot,
            {
                "member": "01",
                "kind": "I",
                "type": "WAGE",
                "freq": "M",
                "amount": "800.00",
                "detail": "STOP AND SHOP",
                "verified": "Y",
            },
        )
        assert row(app, 23) == "EMS079I INCOME ADDED FOR MEMBER 01", shown(app)
        await fill(
            pilot,
            {"member": "01", "kind": "E", "type": "RENT", "amount": "1000", "freq": "", "detail": "", "verified": "Y"},
        )
        await fill(pilot, {"member": "01", "kind": "E", "type": "HEAT", "amount": "150", "verified": "Y"})
        assert row(app, 23) == "EMS079I EXPENSE ADDED FOR MEMBER 01"

        await type_command(pilot, "EM34")
        await fill(pilot, {"p_snap": "Y", "p_tfa": "Y", "p_ma": "Y"})
        assert row(app, 1).startswith("EMS0350"), shown(app)
        assert row(app, 23) == "EMS075I 3 PROGRAMS APPLIED FOR ON 03/01/2025 - RUN EDBC (EM35)"
        expected = EXPECTED
        screen = shown(app)
        for program, (eligible, amount, group) in expected.items():
            line = next(text for text in screen.splitlines() if text[3:8].strip() == program)
            assert ("ELIGIBLE" if eligible else "NOT ELIGIBLE") in line and f"{amount:,.2f}" in line, (program, line)
            if group:
                assert group in line

        await fill(pilot, {"open": "Y"})
        assert row(app, 23) == f"EMS077I CASE {number} OPENED - 3 APPROVED, 0 DENIED", shown(app)

    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        assert (case.status, case.office_code, case.worker_id, case.opened_date, case.application_date) == (
            "AC",
            "HFD",
            "DEMO",
            MARCH,
            MARCH,
        )
        members = session.execute(
            select(Member.seq, Member.relationship_code, Client.first_name)
            .join(Client)
            .where(Member.case_id == case.id)
            .order_by(Member.seq)
        ).all()
        assert members == [(1, "HH", "Marta"), (2, "CH", "Luca"), (3, "CH", "Ana")]
        programs = {
            p.program_code: (p.status, p.cert_start, p.cert_end, p.coverage_group)
            for p in session.scalars(select(Program).where(Program.case_id == case.id))
        }
        assert programs == {
            "SNAP": ("AC", MARCH, dt.date(2026, 2, 28), None),
            "TFA": ("AC", MARCH, dt.date(2026, 2, 28), None),
            "MA": ("AC", MARCH, dt.date(2026, 2, 28), "HUSA"),
        }
        stored = {
            (e.program_code, e.benefit_month): e.amount
            for e in session.scalars(
                select(Eligibility).where(Eligibility.case_id == case.id, Eligibility.current.is_(True))
            )
        }
        assert stored[("SNAP", MARCH)] == expected["SNAP"][1] and stored[("TFA", MARCH)] == expected["TFA"][1]
        assert len(stored) == 6  # three programs, March and April
        notices = sorted(
            (n.notice_type, n.program_code) for n in session.scalars(select(Notice).where(Notice.case_id == case.id))
        )
        assert notices == [("APPR", "MA"), ("APPR", "SNAP"), ("APPR", "TFA")]
        # proof of citizenship and of the SSN was not seen: requested, with an alert for the worker
        pending = sorted(
            v.item
            for v in session.scalars(
                select(Verification).join(Member).where(Member.case_id == case.id, Verification.status == "P")
            )
        )
        assert pending == ["CITZ", "SSN"]
        assert {a.alert_type for a in session.scalars(select(Alert).where(Alert.case_id == case.id))} == {"VERO"}
        audit = {(a.action, a.segment) for a in session.scalars(select(AuditEntry).where(AuditEntry.user_id == "DEMO"))}
        assert {
            ("ISRT", "CLIENT"),
            ("ISRT", "CASEROOT"),
            ("ISRT", "MEMBER"),
            ("ISRT", "INCOME"),
            ("ISRT", "PROGRAM"),
            ("REPL", "PROGRAM"),
            ("ISRT", "ELIGIB"),
            ("REPL", "CASEROOT"),
        } <= audit
    engine.dispose()


async def test_duplicate_client_check_before_a_new_client(terminal_db: str) -> None:
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        known = session.scalars(select(Client).where(Client.ssn.is_not(None)).order_by(Client.id)).first()
        assert known is not None
        facts = (known.client_number, known.last_name, known.first_name, known.birth_date, known.ssn)
        clients_before = len(session.scalars(select(Client)).all())
    engine.dispose()
    client_number, last, first, born, ssn = facts
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM31")
        # a spelling that sounds alike, the same birth date: listed as a possible duplicate
        await fill(
            pilot,
            {
                **APPLICANT,
                "last_name": last.upper() + "E",
                "first_name": first.upper(),
                "dob": f"{born:%m/%d/%Y}",
                "ssn": "",
            },
        )
        assert row(app, 23).startswith("EMS071W POSSIBLE DUPLICATES"), shown(app)
        assert client_number in row(app, 14) and row(app, 1).startswith("EMS0310")
        # the same SSN cannot become a second client
        await fill(pilot, {"ssn": f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}", "new_client": "Y"})
        assert row(app, 23) == f"EMS072E SSN BELONGS TO CLIENT {client_number} - SELECT IT WITH S", shown(app)
        # S uses the known client as the applicant
        await fill(pilot, {"dups.sel.0": "S"})
        assert row(app, 1).startswith("EMS0320"), shown(app)
        number = app.context.case_number
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        assert len(session.scalars(select(Client)).all()) == clients_before
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        head = session.scalars(select(Member).where(Member.case_id == case.id)).one()
        assert head.client.client_number == client_number and case.status == "PE"
    engine.dispose()
