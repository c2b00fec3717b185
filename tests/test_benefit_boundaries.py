"""Benefits where the rules change: a change in the middle of a month, the month after an
application, a denial at application, months held for advance notice. Each test is a wrong
benefit a user met (issue 18), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.model import Action, BudgetLine, Case, Eligibility, Income, Issuance, Notice, Program
from emsterm.reports.participation import participation
from emsterm.screens import eligibility, intake, maintenance
from emsterm.screens.kit.conversation import Context, Reply, Request
from emsterm.services.caseload import redetermine_chunk
from emsterm.services.edbc import current_determinations, decide_months, determine_case
from emsterm.services.notices import NoticeComposer
from emsterm.services.users import NewUser, add_user
from tests.conftest import Ems
from tests.households import family_of_three_case, parent_and_child_case

DECEMBER, JANUARY = dt.date(2026, 12, 1), dt.date(2027, 1, 1)
MONDAY = dt.date(2026, 12, 7)
WORKER = Context(business_date=MONDAY, user_id="WRK1", roles=("worker",), office="HFD", scope=("HFD",))
PAGES = {"items": 3, "effects": 6}

Handler = Callable[[Any, Request], Reply]


class Screen:
    """One worker at one change screen, keeping the screen state between keys."""

    def __init__(self, engine: Engine, handler: Handler, context: Context = WORKER) -> None:
        self.engine, self.handler, self.context = engine, handler, context
        self.state: dict[str, Any] = {}
        self.values: dict[str, str] = {}

    def send(self, aid: str, **values: str) -> Reply:
        """Press a key with the fields typed so far plus `values`."""
        self.values.update(values)
        with transaction(self.engine) as session:
            reply = self.handler(session, Request(aid, dict(self.values), self.context, dict(self.state), PAGES))
        self.state = reply.state
        for name in reply.clear:
            self.values[name] = ""
        return reply


def _line(determination: Any, label: str) -> Decimal | None:
    return next(line.shown for line in determination.budget if line.label == label)


@pytest.fixture
def mid_month(engine: Engine) -> str:
    """The parent-and-child case determined for December and January as the monthly cycle left it."""
    with transaction(engine) as session:
        case = parent_and_child_case(session)
        determine_case(session, case, DECEMBER)
        determine_case(session, case, JANUARY)
        return case.case_number


def test_a_mid_month_income_change_counts_each_income_for_its_days(engine: Engine, mid_month: str) -> None:
    """Wages of 2,451.77 a month end on 12/14 and 700.00 a week (3,010.00 a month) start on
    12/15: December counts 14/31 of the one and 17/31 of the other, never both in full."""
    with transaction(engine) as session:
        before = {
            (e.program_code, e.benefit_month): e
            for e in session.scalars(select(Eligibility).where(Eligibility.current.is_(True)))
        }
        assert before["SNAP", DECEMBER].amount == Decimal("269.00")
        assert before["MA", DECEMBER].member_groups == "01:HUSA 02:HUSA"
    screen = Screen(engine, maintenance.income_change)
    screen.send("ENTER", case_no=mid_month)
    reply = screen.send("ENTER", action="C", member="01", item="01", amount="700.00", freq="W", effective="12/15/2026")
    assert reply.message is not None and reply.message.id == "EMS060I", reply.message
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == mid_month)).one()
        december, january = decide_months(session, case, [DECEMBER, JANUARY])  # nothing was saved: the old income
        assert _line(next(d for d in december if d.program == "SNAP"), "Gross earned income") == Decimal("2451.77")
    rows = {(r["program"], r["month"]): r for r in reply.lists["effects"].rows}
    # the parent's MAGI income in December, 1,107.25 + 1,650.65 = 2,757.90, is over HUSKY A's
    # 143% line for two (21,640 x 1.43 / 12 = 2,578.77): she loses HUSKY A, after notice
    assert rows["MA", "12/2026"]["when"] == "01/01/2027 AFTER NOTICE"
    assert rows["MA", "01/2027"]["when"] != "NO CHANGE"
    assert rows["SNAP", "12/2026"]["when"] == "01/01/2027 AFTER NOTICE"

    assert screen.send("ENTER").message.id == "EMS061I"  # type: ignore[union-attr]
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == mid_month)).one()
        december, january = decide_months(session, case, [DECEMBER, JANUARY])
        snap_dec = next(d for d in december if d.program == "SNAP")
        ma_dec = next(d for d in december if d.program == "MA")
        assert _line(snap_dec, "Gross earned income") == Decimal("2757.90")  # 1,107.25 + 1,650.65
        assert _line(ma_dec, "MAGI household income") == Decimal("2757.90")
        assert _line(next(d for d in january if d.program == "SNAP"), "Gross earned income") == Decimal("3010.00")
        assert ma_dec.member_groups == "02:HUSA"
        current = {
            (e.program_code, e.benefit_month): e
            for e in session.scalars(select(Eligibility).where(Eligibility.current.is_(True)))
        }
        # December is held for the advance notice: what the household has stands
        assert current["SNAP", DECEMBER].amount == Decimal("269.00")
        assert current["MA", DECEMBER].member_groups == "01:HUSA 02:HUSA"
        assert current["MA", JANUARY].member_groups == "02:HUSA"
        notices = {n.program_code: n for n in session.scalars(select(Notice))}
        assert notices["MA"].notice_type == "ADVR" and notices["MA"].effective_date == JANUARY
        actions = {a.program_code: a for a in session.scalars(select(Action))}
        assert actions["MA"].effective_date == JANUARY


# -- intake: the application month, the month after, a denial ------------------------------------


def _run(
    engine: Engine,
    handler: Handler,
    case: str,
    aid: str = "ENTER",
    state: dict[str, Any] | None = None,
    context: Context = WORKER,
    **values: str,
) -> Reply:
    with transaction(engine) as session:
        return handler(
            session,
            Request(aid, {"case_no": case, **values}, context.with_case(case) if case else context, state or {}, PAGES),
        )


@pytest.fixture(autouse=True)
def worker(engine: Engine) -> None:
    """The signed-on worker is a user of the Hartford office (new cases are assigned to them)."""
    with transaction(engine) as session:
        add_user(session, NewUser("WRK1", ("worker",), "HFD", "PASSWORD1", name="Intake Worker"), MONDAY)


def apply_for(
    engine: Engine,
    serial: int,
    weekly_wages: str,
    programs: tuple[str, ...],
    applied: str = "12/07/2026",
    context: Context = WORKER,
) -> str:
    """A mother and her daughter apply through EM31-EM35 (transactions, no terminal): the case number."""
    reply = _run(
        engine,
        intake.register_applicant,
        "",
        context=context,
        last_name=f"Applicant{serial}",
        first_name="Rosa",
        dob=f"03/{serial:02d}/1994",
        sex="F",
        cit="US",
        street="12 Oak St",
        town_name="HARTFORD",
        zip="06106",
        app_date=applied,
        id_ver="Y",
        res_ver="Y",
    )
    assert reply.message is not None and reply.message.id == "EMS070I", reply.message
    case = reply.context.case_number
    state = _run(engine, intake.intake_members, case, "INIT", context=context).state
    reply = _run(
        engine,
        intake.intake_members,
        case,
        state=state,
        context=context,
        last_name=f"Applicant{serial}",
        first_name="Lia",
        dob=f"05/{serial:02d}/2020",
        sex="F",
        cit="US",
        rel="CH",
    )
    assert reply.message is not None and reply.message.id == "EMS073I", reply.message
    state = _run(engine, intake.intake_items, case, "INIT", context=context).state
    for item in (
        {
            "member": "01",
            "kind": "I",
            "type": "WAGE",
            "freq": "W",
            "amount": weekly_wages,
            "detail": "DINER",
            "verified": "Y",
        },
        {"member": "01", "kind": "E", "type": "RENT", "amount": "1100.00", "verified": "Y"},
        {"member": "01", "kind": "E", "type": "HEAT", "amount": "150.00", "verified": "Y"},
    ):
        reply = _run(engine, intake.intake_items, case, state=state, context=context, **item)
        assert reply.message is not None and reply.message.id == "EMS079I", reply.message
    state = _run(engine, intake.programs_applied, case, "INIT", context=context).state
    chosen = {name: "Y" for name, code in intake.PROGRAM_FIELDS.items() if code in programs}
    reply = _run(engine, intake.programs_applied, case, state=state, context=context, app_date=applied, **chosen)
    assert reply.message is not None and reply.message.id == "EMS075I", reply.message
    return case


def open_case(engine: Engine, case: str, context: Context = WORKER) -> Reply:
    """EM35: EDBC shown, then Y in OPEN CASE."""
    shown = _run(engine, intake.run_and_open, case, "INIT", context=context)
    reply = _run(engine, intake.run_and_open, case, state=shown.state, context=context, open="Y")
    assert reply.message is not None and reply.message.id == "EMS077I", reply.message
    return shown


def _stored(engine: Engine, case: str) -> dict[tuple[str, dt.date], Eligibility]:
    with transaction(engine) as session:
        rows = session.scalars(
            select(Eligibility).join(Case).where(Case.case_number == case, Eligibility.current.is_(True))
        )
        return {(e.program_code, e.benefit_month): e for e in rows}


def test_a_program_denied_at_application_has_no_later_months_and_pays_no_income(engine: Engine) -> None:
    """350.00 a week (1,505.00 a month) is over TFA's applicant need standard: TFA is denied for
    December, so January has no TFA either, and SNAP does not count a TFA payment that will
    never come."""
    case = apply_for(engine, 1, "350.00", ("SNAP", "TFA", "MA"))
    shown = open_case(engine, case)
    rows = {r["program"]: r for r in shown.lists["results"].rows}
    assert rows["TFA"]["result"] == "NOT ELIGIBLE" and "G01" in rows["TFA"]["reasons"]
    assert rows["TFA"]["next"].strip() == "0.00"
    stored = _stored(engine, case)
    assert ("TFA", JANUARY) not in stored
    assert not stored["TFA", DECEMBER].eligible
    with transaction(engine) as session:
        lines = session.scalars(
            select(BudgetLine.label).where(BudgetLine.eligibility_id == stored["SNAP", JANUARY].id)
        ).all()
        assert not [label for label in lines if "TFA" in label]
        programs = {
            p.program_code: p.status
            for p in session.scalars(select(Program).join(Case).where(Case.case_number == case))
        }
        assert programs == {"SNAP": "AC", "TFA": "DN", "MA": "AC"}


def test_participation_does_not_count_a_denied_program(engine: Engine) -> None:
    """Five families denied TFA and approved for SNAP: January counts ten SNAP recipients and
    no TFA recipients (five families, so nothing is suppressed)."""
    for serial in range(1, 6):
        open_case(engine, apply_for(engine, serial, "350.00", ("SNAP", "TFA", "MA")))
    with transaction(engine) as session:
        counts = {(r.month, r.program): r.count for r in participation(session, DECEMBER, JANUARY) if not r.plan}
    assert counts[JANUARY, "Temporary Family Assistance"] == 0
    assert counts[DECEMBER, "Temporary Family Assistance"] == 0
    assert counts[JANUARY, "Supplemental Nutrition Assistance Program"] == 10


def test_the_first_nightly_keeps_the_application_month_prorated(engine: Engine, tmp_path: Path) -> None:
    """SNAP applied for on 12/07 is prorated for 25 of December's 31 days when the case opens;
    the nightly that follows redetermines December with the same proration and issues that."""
    case = apply_for(engine, 7, "150.00", ("SNAP",))
    open_case(engine, case)
    december = _stored(engine, case)["SNAP", DECEMBER].amount
    january = _stored(engine, case)["SNAP", JANUARY].amount
    assert december == (january * 25 / 31).quantize(Decimal("1"), rounding="ROUND_FLOOR")
    with transaction(engine) as session:
        # the case changed after it was determined (a note, say): the nightly redetermines it
        stored = session.scalars(select(Case).where(Case.case_number == case)).one()
        stored.street = "14 Oak St"
    runner = Ems(str(engine.url.render_as_string(hide_password=False)), MONDAY + dt.timedelta(days=1))
    result = runner("batch", "nightly", "--outbox", str(tmp_path / "out"), "--inbox", str(tmp_path))
    assert result.exit_code in (0, 4), result.output
    assert _stored(engine, case)["SNAP", DECEMBER].amount == december
    with transaction(engine) as session:
        issued = session.scalars(
            select(Issuance).join(Case).where(Case.case_number == case, Issuance.benefit_month == DECEMBER)
        ).all()
        assert [i.amount for i in issued] == [december]


def _closed_snap_cases(engine: Engine) -> list[str]:
    """Five one-person cases determined for December and January whose SNAP closed from
    January 1 (the January determination was stored before the closing)."""
    numbers = []
    with transaction(engine) as session:
        for serial in range(1, 6):
            case = parent_and_child_case(session, 91000 + serial)
            determine_case(session, case, DECEMBER)
            determine_case(session, case, JANUARY)
            snap = session.scalars(
                select(Program).where(Program.case_id == case.id, Program.program_code == "SNAP")
            ).one()
            snap.status, snap.status_date, snap.status_reason = "CL", JANUARY, "D01"
            numbers.append(case.case_number)
    return numbers


def test_participation_counts_a_program_only_in_the_months_it_was_open(engine: Engine) -> None:
    _closed_snap_cases(engine)
    with transaction(engine) as session:
        counts = {(r.month, r.program): r.count for r in participation(session, DECEMBER, JANUARY) if not r.plan}
    assert counts[DECEMBER, "Supplemental Nutrition Assistance Program"] == 10
    assert counts[JANUARY, "Supplemental Nutrition Assistance Program"] == 0


def test_the_nightly_retires_determinations_of_programs_no_longer_open(engine: Engine, tmp_path: Path) -> None:
    """An eligible January left current for a program that closed from January 1 (or was
    denied) is no longer current after the nightly; December's stays."""
    numbers = _closed_snap_cases(engine)
    runner = Ems(str(engine.url.render_as_string(hide_password=False)), MONDAY)
    result = runner("batch", "nightly", "--outbox", str(tmp_path / "out"), "--inbox", str(tmp_path))
    assert result.exit_code in (0, 4), result.output
    for number in numbers:
        stored = _stored(engine, number)
        assert ("SNAP", JANUARY) not in stored
        assert stored["SNAP", DECEMBER].eligible and ("MA", JANUARY) in stored


NOVEMBER = dt.date(2026, 11, 1)


def test_a_month_held_for_notice_keeps_the_determination_in_force(engine: Engine) -> None:
    """The nightly finds December undetermined (the case was last determined for November) and
    its facts now lower SNAP: December must wait for the notice, so November's determination
    is carried into December, and January takes the lower amount with an advance notice."""
    with transaction(engine) as session:
        case = parent_and_child_case(session)
        determine_case(session, case, NOVEMBER)
        head = case.members[0]
        session.add(
            Income(
                member_id=head.id,
                seq=2,
                income_type="UIB",
                monthly_amount=Decimal("400.00"),
                frequency="M",
                start_date=NOVEMBER,
            )
        )
        session.flush()
        november = current_determinations(session, case, NOVEMBER)["SNAP"]
        redetermine_chunk(session, [case.id], [DECEMBER, JANUARY], MONDAY)
        number, amount = case.case_number, november.amount
    stored = _stored(engine, number)
    assert stored["SNAP", DECEMBER].amount == amount and stored["SNAP", DECEMBER].eligible
    assert stored["SNAP", JANUARY].amount < amount
    with transaction(engine) as session:
        labels = session.scalars(
            select(BudgetLine.label)
            .where(BudgetLine.eligibility_id == stored["SNAP", DECEMBER].id)
            .order_by(BudgetLine.seq)
        ).all()
        assert labels[-1] == "Monthly allotment"
        action = session.scalars(select(Action).where(Action.program_code == "SNAP")).one()
        assert (action.effective_date, action.old_amount) == (JANUARY, amount)


def test_em25_redetermines_a_month_through_the_change_engine(engine: Engine, mid_month: str) -> None:
    """EDBC for a month typed on EM25 is a change like any other: a lower benefit waits for its
    advance notice (December keeps 269.00, January takes the new amount), with a notice, and
    the determinations are the signed-on worker's."""
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == mid_month)).one()
        session.add(
            Income(
                member_id=case.members[0].id,
                seq=2,
                income_type="UIB",
                monthly_amount=Decimal("400.00"),
                frequency="M",
                start_date=NOVEMBER,
            )
        )
    shown = _run(engine, eligibility.eligibility_history, mid_month, "INIT")
    reply = _run(engine, eligibility.eligibility_history, mid_month, state=shown.state, month="12/2026")
    assert reply.message is not None and reply.message.id == "EMS047I", reply.message
    reply = _run(engine, eligibility.eligibility_history, mid_month, state=reply.state, month="01/2027")
    stored = _stored(engine, mid_month)
    assert stored["SNAP", DECEMBER].amount == Decimal("269.00")
    assert stored["SNAP", JANUARY].amount < Decimal("269.00")
    assert stored["SNAP", JANUARY].created_by == "WRK1"
    with transaction(engine) as session:
        notices = session.scalars(select(Notice).where(Notice.program_code == "SNAP")).all()
        assert [(n.notice_type, n.effective_date) for n in notices] == [("ADVR", JANUARY)]
        assert session.scalars(select(Action).where(Action.program_code == "SNAP")).one().effective_date == JANUARY


def test_the_approval_notice_gives_the_ongoing_amount_and_the_certification_period(engine: Engine) -> None:
    case = apply_for(engine, 8, "150.00", ("SNAP", "MA"))
    open_case(engine, case)
    with transaction(engine) as session:
        composer = NoticeComposer(session)
        notices = {
            n.program_code: composer.compose(n).text
            for n in session.scalars(select(Notice).join(Case).where(Case.case_number == case))
        }
    snap = " ".join(notices["SNAP"].split())
    assert "approved for 12/01/2026 to 11/30/2027" in snap
    assert "For December 2026, counted from the day you applied, you will receive $453.00." in snap
    assert "From January 2027 you will receive $562.00 a month." in snap
    medical = " ".join(notices["MA"].split())
    assert "approved for 12/01/2026 to 11/30/2027" in medical and "Your coverage begins December 2026." in medical
    assert "$0.00" not in medical


def _raise_after_approval(engine: Engine, serial: int) -> tuple[str, dict[tuple[str, dt.date], Eligibility], Reply]:
    """A mother and daughter apply on 12/07 with 150.00 a week and are approved; she reports a
    raise to 400.00 a week from 12/08 on EM43: the case, what was approved and the preview."""
    case = apply_for(engine, serial, "150.00", ("SNAP", "TFA", "MA"))
    open_case(engine, case)
    approved = _stored(engine, case)
    screen = Screen(engine, maintenance.income_change)
    screen.send("ENTER", case_no=case)
    reply = screen.send("ENTER", action="C", member="01", item="01", amount="400.00", freq="W", effective="12/08/2026")
    assert reply.message is not None and reply.message.id == "EMS060I", reply.message
    assert screen.send("ENTER").message.id == "EMS061I"  # type: ignore[union-attr]
    return case, approved, reply


def test_the_nightly_after_a_raise_in_the_application_month_keeps_tfa(engine: Engine, tmp_path: Path) -> None:
    """The nightly that follows the raise decides December as EM43 did, on the recipient line
    (the batch builds the household as the screens do): TFA stands, nothing is scheduled."""
    case, approved, _ = _raise_after_approval(engine, 12)
    with transaction(engine) as session:
        # the case changed after it was determined (a new address): the nightly redetermines it
        session.scalars(select(Case).where(Case.case_number == case)).one().street = "14 Oak St"
    runner = Ems(str(engine.url.render_as_string(hide_password=False)), MONDAY + dt.timedelta(days=1))
    result = runner("batch", "nightly", "--outbox", str(tmp_path / "out"), "--inbox", str(tmp_path))
    assert result.exit_code in (0, 4), result.output
    stored = _stored(engine, case)
    tfa = approved["TFA", DECEMBER].amount
    assert [(stored["TFA", m].eligible, stored["TFA", m].amount) for m in (DECEMBER, JANUARY)] == [(True, tfa)] * 2
    with transaction(engine) as session:
        number = Case.case_number == case
        assert not session.scalars(select(Action).join(Case).where(number, Action.program_code == "TFA")).all()


def test_a_raise_in_the_application_month_after_approval_keeps_tfa_as_a_recipients(engine: Engine) -> None:
    """A mother and daughter applied on 12/07 with 150.00 a week (under TFA's applicant need
    standard) and were approved; she reports a raise to 400.00 a week from 12/08 (EM43).
    Her earnings are now over the applicant line but, eligibility being established, they are
    disregarded up to the recipient line (UPM 8560.10 C.1.d; CGS 17b-112(d), 230% FPG): TFA
    stays what it was in December and January, with no action and no notice. SNAP counts that
    TFA in December too, so December's SNAP goes down, after notice, not up at once."""
    case, approved, reply = _raise_after_approval(engine, 11)
    tfa = approved["TFA", DECEMBER].amount
    assert approved["TFA", DECEMBER].eligible and approved["TFA", JANUARY].amount == tfa
    rows = {(r["program"], r["month"]): r for r in reply.lists["effects"].rows}
    for month in ("12/2026", "01/2027"):
        assert (rows["TFA", month]["new_el"], rows["TFA", month]["when"]) == ("Y", "NO CHANGE"), rows["TFA", month]
        assert Decimal(rows["TFA", month]["new"].replace(",", "")) == tfa
    assert rows["SNAP", "12/2026"]["when"] == "01/01/2027 AFTER NOTICE"
    stored = _stored(engine, case)
    assert [(stored["TFA", m].eligible, stored["TFA", m].amount) for m in (DECEMBER, JANUARY)] == [(True, tfa)] * 2
    assert stored["SNAP", DECEMBER].amount == approved["SNAP", DECEMBER].amount
    assert stored["SNAP", JANUARY].amount < approved["SNAP", JANUARY].amount
    with transaction(engine) as session:
        number = Case.case_number == case
        assert not session.scalars(select(Action).join(Case).where(number, Action.program_code == "TFA")).all()
        kinds = session.scalars(select(Notice.notice_type).join(Case).where(number, Notice.program_code == "TFA"))
        assert list(kinds) == ["APPR"]
        labels = session.scalars(
            select(BudgetLine.label).where(BudgetLine.eligibility_id == stored["TFA", DECEMBER].id)
        ).all()
        assert "Earnings disregarded up to" in labels


MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)


def test_a_drop_only_in_a_month_held_for_notice_schedules_nothing(engine: Engine) -> None:
    """The family of three (TFA 863.89, SNAP, HUSKY A) reports on 03/03 a second job for March
    only, 5,000.00: March would be ineligible for everything, but a closing needs advance notice,
    so March keeps what the household has; April has only the 800.00 again and is unchanged.
    Nothing takes effect in any month: no closing is scheduled and no notice goes out (before,
    the held March result became a TFA closing from 04/01 while April was still eligible)."""
    today = dt.date(2025, 3, 3)
    with transaction(engine) as session:
        case = family_of_three_case(session)
        determine_case(session, case, MARCH)
        determine_case(session, case, APRIL)
        before = {
            (program, month): (d.eligible, d.amount)
            for month in (MARCH, APRIL)
            for program, d in current_determinations(session, case, month).items()
        }
        session.add(
            Income(
                member_id=case.members[0].id,
                seq=2,
                income_type="WAGE",
                monthly_amount=Decimal("5000.00"),
                frequency="M",
                start_date=MARCH,
                end_date=dt.date(2025, 3, 31),
            )
        )
        session.flush()
        march = {d.program: d for d in decide_months(session, case, [MARCH])[0]}
        assert not march["TFA"].eligible and not march["SNAP"].eligible  # what March would be
        redetermine_chunk(session, [case.id], [MARCH, APRIL], today)
        number = case.case_number
    stored = _stored(engine, number)
    assert before[("TFA", MARCH)] == (True, Decimal("863.89"))
    assert {k: (e.eligible, e.amount) for k, e in stored.items()} == before
    with transaction(engine) as session:
        assert not session.scalars(select(Action)).all()
        assert not session.scalars(select(Notice)).all()
