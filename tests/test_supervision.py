"""Supervision: a supervisor's override (EM53) and changes above a worker's authority that wait
for a supervisor's approval (EM54)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine, func, select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import AuditEntry, Case, Eligibility, Income, Member, Notice, PendingChange
from emsterm.screens.approvals import pending_approvals
from emsterm.screens.kit.conversation import Context, Reply, Request
from emsterm.screens.maintenance import income_change
from emsterm.services.edbc import determine_case
from emsterm.services.notices import NoticeComposer
from tests.conftest import BUSINESS_DATE
from tests.households import family_of_three_case, one_earner_case
from tests.pilot import SIZE, add_worker, audit_actions, fill, make_app, row, settle, shown, sign_on, type_command

MARCH = dt.date(2025, 3, 1)
WORKER = Context(business_date=BUSINESS_DATE, user_id="WORKER1", roles=("worker",), office="HFD", scope=("HFD",))
SUPERVISOR = Context(
    business_date=BUSINESS_DATE, user_id="DEMO", roles=("worker", "supervisor"), office="HFD", scope=("HFD",)
)


def _determined_case(url: str) -> str:
    engine = make_engine(url)
    with transaction(engine) as session:
        case = one_earner_case(session)
        determine_case(session, case, MARCH)
        number = case.case_number
    engine.dispose()
    return number


def _current_snap(url: str, number: str) -> Eligibility:
    engine = make_engine(url)
    with transaction(engine) as session:
        row = session.scalars(
            select(Eligibility)
            .join(Case, Case.id == Eligibility.case_id)
            .where(Case.case_number == number, Eligibility.program_code == "SNAP", Eligibility.current.is_(True))
        ).one()
        session.expunge(row)
    engine.dispose()
    return row


async def test_a_supervisor_overrides_a_determination(terminal_db: str) -> None:
    number = _determined_case(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"=4.3;EM53 {number}")
        assert row(app, 1).startswith("EMS0530")
        await fill(pilot, {"program": "SNAP", "month": "03/2025"})
        assert row(app, 23) == "EMS146I SNAP 03/2025 IN FORCE - TYPE THE OVERRIDE, ENTER SHOWS IT"
        assert "ELIGIBLE" in row(app, 7) and "278.00" in row(app, 7)
        await fill(
            pilot, {"eligible": "Y", "amount": "300.00", "reason": "G01", "text": "Hearing decision of 02/27/2025"}
        )
        assert row(app, 23) == "EMS149E REASON CODE: G01 IS NOT AN OVERRIDE REASON"
        assert "-error" in app.map_screen.field("reason").classes  # type: ignore[union-attr]
        await fill(pilot, {"reason": "O01"})
        assert row(app, 23) == "EMS147I REVIEW THE OVERRIDE - ENTER STORES IT"
        assert "ELIGIBLE 300.00 O01" in row(app, 14)
        assert _current_snap(terminal_db, number).amount == Decimal("278.00")
        await pilot.press("enter")
        await settle(pilot)
        assert row(app, 23) == "EMS148I SNAP 03/2025 OVERRIDDEN: 300.00 - NOTICE 1 WRITTEN"
        await type_command(pilot, f"EM52 {number}")
        await fill(pilot, {"program": "SNAP", "month": "03/2025"})
        assert "300.00" in row(app, 5) and "OVERRIDE O01 BY DEMO" in row(app, 5)
    snap = _current_snap(terminal_db, number)
    assert (snap.amount, snap.override_reason, snap.override_by, snap.override_text) == (
        Decimal("300.00"),
        "O01",
        "DEMO",
        "Hearing decision of 02/27/2025",
    )
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        notice = session.scalars(
            select(Notice).join(Case, Case.id == Notice.case_id).where(Case.case_number == number)
        ).one()
        text = NoticeComposer(session).compose(notice).text
        assert (notice.notice_type, notice.old_amount, notice.new_amount) == (
            "CHNG",
            Decimal("278.00"),
            Decimal("300.00"),
        )
        assert "Hearing decision of 02/27/2025" in text and "set by a fair hearing decision. (O01)" in text
        assert "Supervisor override O01 by DEMO" in text
    engine.dispose()
    assert ("REPL", f"{number}:SNAP:2025-03", "DEMO") in audit_actions(terminal_db)


async def test_a_worker_may_not_override_nor_approve(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, add_worker(terminal_db))
        for code in ("EM53", "EM54"):
            await type_command(pilot, code)
            assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"
        assert "SUPERVISOR OVERRIDE" not in (await _menu(pilot, app))


async def _menu(pilot, app) -> str:  # type: ignore[no-untyped-def]
    await type_command(pilot, "=4")
    return shown(app)


def _high_earner(session) -> Case:  # type: ignore[no-untyped-def]
    """The family of three with wages of 5,000.00: no TFA, no SNAP; ending the wages raises both."""
    case = family_of_three_case(session)
    wage = session.scalars(
        select(Income).join(Member, Member.id == Income.member_id).where(Member.case_id == case.id)
    ).one()
    wage.monthly_amount = Decimal("5000.00")
    session.flush()
    return case


def _send(
    engine: Engine,
    handler,
    context: Context,
    values: dict[str, str],
    state: dict,
    aid: str = "ENTER",
    trancode: str = "",
) -> Reply:  # type: ignore[no-untyped-def,type-arg]
    with transaction(engine) as session:
        return handler(
            session,
            Request(aid, values, context, state=state, page_sizes={"items": 3, "pending": 13}, trancode=trancode),
        )


def _end_wages(engine: Engine, number: str) -> Reply:
    values = {"case_no": number, "action": "E", "member": "01", "item": "01", "effective": "03/01/2025"}
    state = _send(engine, income_change, WORKER, {"case_no": number}, {}, aid="INIT", trancode="EM43").state
    preview = _send(engine, income_change, WORKER, values, state, trancode="EM43")
    assert preview.message is not None and preview.message.id == "EMS060I"
    return _send(engine, income_change, WORKER, values, preview.state, trancode="EM43")


def _facts(engine: Engine, number: str) -> tuple[dt.date | None, int, list[str]]:
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        end = session.scalar(
            select(Income.end_date).join(Member, Member.id == Income.member_id).where(Member.case_id == case.id)
        )
        determined = (
            session.scalar(select(func.count()).select_from(Eligibility).where(Eligibility.case_id == case.id)) or 0
        )
        statuses = list(
            session.scalars(
                select(PendingChange.status).where(PendingChange.case_id == case.id).order_by(PendingChange.seq)
            )
        )
    return end, determined, statuses


def test_a_big_increase_by_a_worker_waits_and_a_supervisor_applies_it(engine: Engine) -> None:
    with transaction(engine) as session:
        number = _high_earner(session).case_number
    held = _end_wages(engine, number)
    assert held.message is not None and held.message.id == "EMS140W", held.message
    assert _facts(engine, number) == (None, 0, ["P"])
    listed = _send(engine, pending_approvals, SUPERVISOR, {}, {}, aid="INIT")
    (item,) = listed.lists["pending"].rows
    assert (item["case"], item["by"], item["tran"]) == (number, "WORKER1", "EM43") and Decimal(
        item["increase"].replace(",", "")
    ) > 300
    nothing = _send(engine, pending_approvals, SUPERVISOR, {"pending.sel.0": "R"}, listed.state)
    assert nothing.message is not None and nothing.message.id == "EMS020E" and _facts(engine, number)[2] == ["P"]
    applied = _send(engine, pending_approvals, SUPERVISOR, {"pending.sel.0": "A"}, listed.state)
    assert applied.message is not None and applied.message.id == "EMS141I", applied.message
    end, determined, statuses = _facts(engine, number)
    assert end == dt.date(2025, 2, 28) and determined > 0 and statuses == ["A"]
    with transaction(engine) as session:
        actions = [
            (a.action, a.user_id)
            for a in session.scalars(select(AuditEntry).where(AuditEntry.segment == "PENDCHG").order_by(AuditEntry.id))
        ]
        assert actions == [("ISRT", "WORKER1"), ("APPROVE", "DEMO")]
        tfa = session.scalars(
            select(Eligibility).where(
                Eligibility.program_code == "TFA", Eligibility.benefit_month == MARCH, Eligibility.current.is_(True)
            )
        ).one()
        assert tfa.eligible and tfa.amount > 0


def test_a_rejected_change_leaves_the_case_as_it_was(engine: Engine) -> None:
    with transaction(engine) as session:
        number = _high_earner(session).case_number
    _end_wages(engine, number)
    listed = _send(engine, pending_approvals, SUPERVISOR, {}, {}, aid="INIT")
    rejected = _send(
        engine,
        pending_approvals,
        SUPERVISOR,
        {"pending.sel.0": "R", "reason": "PAY STUBS SHOW THE JOB CONTINUES"},
        listed.state,
    )
    assert rejected.message is not None and rejected.message.id == "EMS142I"
    assert rejected.lists["pending"].total == 0
    assert _facts(engine, number) == (None, 0, ["R"])
    with transaction(engine) as session:
        (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "REJECT"))
        assert (
            entry.user_id == "DEMO"
            and entry.after is not None
            and entry.after["reason"] == "PAY STUBS SHOW THE JOB CONTINUES"
        )


def test_a_supervisors_own_change_is_applied_at_once(engine: Engine) -> None:
    with transaction(engine) as session:
        number = _high_earner(session).case_number
    values = {"case_no": number, "action": "E", "member": "01", "item": "01", "effective": "03/01/2025"}
    state = _send(engine, income_change, SUPERVISOR, {"case_no": number}, {}, aid="INIT", trancode="EM43").state
    preview = _send(engine, income_change, SUPERVISOR, values, state, trancode="EM43")
    saved = _send(engine, income_change, SUPERVISOR, values, preview.state, trancode="EM43")
    assert saved.message is not None and saved.message.id == "EMS061I"
    end, determined, statuses = _facts(engine, number)
    assert end == dt.date(2025, 2, 28) and determined > 0 and statuses == []


async def test_a_worker_change_waits_on_the_supervisors_screen(terminal_db: str) -> None:
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        number = _high_earner(session).case_number
    engine.dispose()
    worker = add_worker(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, worker)
        await type_command(pilot, f"EM43 {number}")
        change = {"action": "E", "member": "01", "item": "01", "effective": "03/01/2025"}
        await fill(pilot, change)
        assert row(app, 23).startswith("EMS060I")
        await pilot.press("enter")
        await settle(pilot)
        assert row(app, 23).startswith("EMS140W ABOVE YOUR AUTHORITY: +") and "PENDING APPROVAL, ITEM 1" in row(app, 23)
        await type_command(pilot, "=X")
        await sign_on(pilot)
        await type_command(pilot, "=4.4")
        assert (
            row(app, 1).startswith("EMS0540")
            and row(app, 23) == "EMS144I 1 CHANGES WAIT FOR APPROVAL - A APPROVES R REJECTS"
        )
        assert number in row(app, 7) and "WORKER1" in row(app, 7) and "EM43" in row(app, 7)
        await fill(pilot, {"pending.sel.0": "X"})
        assert row(app, 23) == "EMS026E SELECTION CODE X IS NOT VALID ON THIS LIST"
        await fill(pilot, {"pending.sel.0": "A"})
        assert row(app, 23).startswith(f"EMS141I APPROVED - CASE {number}:")
        assert row(app, 7).strip() == "" and "ROW 0 OF 0" in row(app, 21)
    engine = make_engine(terminal_db)
    assert _facts(engine, number)[2] == ["A"]
    engine.dispose()
