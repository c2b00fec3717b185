"""Case maintenance through its transactions (no terminal): preview, confirm, advance notice,
optimistic locking, office scope and field checks, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from emsterm.database.engine import transaction
from emsterm.model import Action, AuditEntry, Case, Eligibility, Income, Member, Notice
from emsterm.screens import maintenance
from emsterm.screens.kit.cases import LOOKS
from emsterm.screens.kit.conversation import Context, Reply, Request
from emsterm.services.changes import adverse_effective_date, affected_months
from emsterm.services.edbc import determine_case
from tests.conftest import BUSINESS_DATE
from tests.households import one_earner_case

WORKER = Context(business_date=BUSINESS_DATE, user_id="WRK1", roles=("worker",), office="HFD", scope=("HFD",))
PAGES = {"items": 3, "effects": 6}
MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)

Handler = Callable[[Any, Request], Reply]


class Screen:
    """One worker at one change screen: keeps the screen state between interactions."""

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
        self.values.update({k: v for k, v in reply.values.items() if k == "case_no"})
        return reply


@pytest.fixture
def case_number(engine: Engine) -> str:
    """The one-earner case (SNAP 278.00 and HUSKY D in March 2025), determined for March."""
    with transaction(engine) as session:
        case = one_earner_case(session)
        determine_case(session, case, MARCH)
        return case.case_number


def _count(engine: Engine, model: Any) -> int:
    """Rows of `model`; of the audit trail, the changes (not the looks at a case)."""
    query = select(func.count()).select_from(model)
    if model is AuditEntry:
        query = query.where(AuditEntry.action.not_in(LOOKS))
    with transaction(engine) as session:
        return session.scalar(query) or 0


def test_months_and_notice_dates() -> None:
    assert affected_months(dt.date(2025, 3, 1), dt.date(2025, 2, 15)) == [MARCH, APRIL]
    assert affected_months(dt.date(2025, 3, 1), dt.date(2025, 6, 1)) == [dt.date(2025, 6, 1)]
    assert adverse_effective_date(dt.date(2025, 3, 1), 10) == APRIL
    assert adverse_effective_date(dt.date(2025, 3, 22), 10) == APRIL  # April 1 is exactly ten days on
    assert adverse_effective_date(dt.date(2025, 3, 23), 10) == dt.date(2025, 5, 1)


def test_income_increase_previews_then_saves_with_advance_notice(engine: Engine, case_number: str) -> None:
    screen = Screen(engine, maintenance.income_change)
    reply = screen.send("ENTER", case_no=case_number)
    assert reply.message is not None and reply.message.id == "EMS065I"
    assert [(r["member"], r["type"], r["amount"].strip()) for r in reply.lists["items"].rows] == [
        ("01", "WAGE", "1,200.00")
    ]
    audit_before = _count(engine, AuditEntry)

    reply = screen.send("ENTER", action="C", member="1", item="1", amount="1500.00", freq="M", effective="03/01/2025")
    assert reply.message is not None and reply.message.id == "EMS060I", reply.message
    rows = reply.lists["effects"].rows
    snap = [r for r in rows if r["program"] == "SNAP"]
    # At 1500 wages: 1500 - 300 (20% earned) - 204 standard = 996 adjusted; shelter 900 + 950 heating
    # SUA - 498 = 1352, capped at 712; net 284; 292 maximum - 86 (30% of 284, rounded up) = 206.
    assert [(r["month"], r["old"].strip(), r["new"].strip(), r["when"]) for r in snap] == [
        ("03/2025", "278.00", "206.00", "04/01/2025 AFTER NOTICE"),
        ("04/2025", "278.00", "206.00", "AT ONCE"),
    ]
    assert _count(engine, AuditEntry) == audit_before  # nothing saved by the preview
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Income)) == 1

    reply = screen.send("ENTER")  # the same fields again: confirm
    assert reply.message is not None and reply.message.id == "EMS061I", reply.message
    assert "action" in reply.clear and reply.message.text.startswith("CHANGE SAVED")
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == case_number)).one()
        incomes = session.scalars(select(Income).order_by(Income.seq)).all()
        assert [(i.seq, i.monthly_amount, i.start_date, i.end_date) for i in incomes] == [
            (1, Decimal("1200.00"), dt.date(2024, 1, 1), dt.date(2025, 2, 28)),
            (2, Decimal("1500.00"), MARCH, None),
        ]
        current = {
            (e.program_code, e.benefit_month): e.amount
            for e in session.scalars(select(Eligibility).where(Eligibility.current.is_(True)))
        }
        assert current[("SNAP", MARCH)] == Decimal("278.00")  # held until the notice period ends
        assert current[("SNAP", APRIL)] == Decimal("206.00")
        action = session.scalars(select(Action)).one()
        assert (
            action.program_code,
            action.action_type,
            action.effective_date,
            action.old_amount,
            action.new_amount,
            action.status,
        ) == ("SNAP", "REDU", APRIL, Decimal("278.00"), Decimal("206.00"), "S")
        notices = session.scalars(select(Notice)).all()
        assert [(n.notice_type, n.program_code, n.effective_date, n.old_amount, n.new_amount) for n in notices] == [
            ("ADVR", "SNAP", APRIL, Decimal("278.00"), Decimal("206.00")),
        ]
        assert case.version == 2 and case.updated_by == "WRK1"
        audit = [
            (a.action, a.segment, a.user_id)
            for a in session.scalars(select(AuditEntry).where(AuditEntry.action.not_in(LOOKS)).order_by(AuditEntry.id))
        ][audit_before:]
        assert ("REPL", "INCOME", "WRK1") in audit and ("ISRT", "INCOME", "WRK1") in audit
        assert ("ISRT", "ACTION", "WRK1") in audit and ("ISRT", "NOTICE", "WRK1") in audit
        before = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "REPL", AuditEntry.segment == "INCOME")
        ).one()
        assert (
            before.before is not None
            and before.before["end_date"] is None
            and before.after is not None
            and before.after["end_date"] == "2025-02-28"
        )


def test_a_favourable_change_takes_effect_at_once(engine: Engine, case_number: str) -> None:
    screen = Screen(engine, maintenance.income_change)
    screen.send("ENTER", case_no=case_number)
    screen.send("ENTER", action="E", member="01", item="01", effective="03/01/2025")
    reply = screen.send("ENTER")
    assert reply.message is not None and reply.message.id == "EMS061I"
    with transaction(engine) as session:
        assert not session.scalars(select(Action)).all()
        current = {
            (e.program_code, e.benefit_month): e.amount
            for e in session.scalars(select(Eligibility).where(Eligibility.current.is_(True)))
        }
        assert current[("SNAP", MARCH)] == current[("SNAP", APRIL)] == Decimal("292.00")  # no income: the maximum
        notice = session.scalars(select(Notice)).one()
        assert (notice.notice_type, notice.effective_date, notice.new_amount) == ("CHNG", MARCH, Decimal("292.00"))


def test_changed_fields_preview_again_instead_of_saving(engine: Engine, case_number: str) -> None:
    screen = Screen(engine, maintenance.income_change)
    screen.send("ENTER", case_no=case_number)
    screen.send("ENTER", action="C", member="01", item="01", amount="1500.00", freq="M", effective="03/01/2025")
    reply = screen.send("ENTER", amount="1300.00")
    assert reply.message is not None and reply.message.id == "EMS060I"
    assert _count(engine, Notice) == 0


def test_second_worker_is_told_the_case_changed(engine: Engine, case_number: str) -> None:
    first = Screen(engine, maintenance.income_change)
    second = Screen(
        engine,
        maintenance.income_change,
        Context(business_date=BUSINESS_DATE, user_id="WRK2", roles=("worker",), office="HFD", scope=("HFD",)),
    )
    for screen in (first, second):
        screen.send("ENTER", case_no=case_number)
    first.send("ENTER", action="C", member="01", item="01", amount="1500.00", freq="M", effective="03/01/2025")
    second.send("ENTER", action="A", member="01", type="UIB", amount="400.00", freq="M", effective="03/01/2025")
    assert first.send("ENTER").message.id == "EMS061I"  # type: ignore[union-attr]
    reply = second.send("ENTER")
    assert (
        reply.message is not None
        and reply.message.line() == "EMS032E RECORD CHANGED BY ANOTHER USER - REVIEW AND RETRY"
    )
    assert reply.errors == ("case_no",)
    # the fresh data: the list shows the first worker's new income, and nothing of the second's was saved
    assert [r["amount"].strip() for r in reply.lists["items"].rows] == ["1,500.00"]  # the old one ended in February
    with transaction(engine) as session:
        assert [i.income_type for i in session.scalars(select(Income).order_by(Income.seq))] == ["WAGE", "WAGE"]
    # retrying on the fresh data works
    second.send("ENTER", action="A", member="01", type="UIB", amount="400.00", freq="M", effective="03/01/2025")
    assert second.send("ENTER").message.id == "EMS061I"  # type: ignore[union-attr]


def test_bad_fields_are_named_and_nothing_is_written(engine: Engine, case_number: str) -> None:
    screen = Screen(engine, maintenance.income_change)
    screen.send("ENTER", case_no=case_number)
    audit_before = _count(engine, AuditEntry)
    reply = screen.send("ENTER", action="X", member="07", type="PAY", amount="12.345", effective="02/30/2025")
    assert reply.message is not None and reply.message.line() == "EMS025E ACTION MUST BE ONE OF: A C E"
    assert reply.errors == ("action", "member", "type", "amount", "effective")
    reply = screen.send("ENTER", action="A", member="01", type="PAY", amount="10", freq="M", effective="03/01/2025")
    assert (
        reply.message is not None and reply.message.text == "TYPE MUST BE ONE OF: CSUP OTHU RSDI SELF SSI TFA UIB WAGE"
    )
    reply = screen.send("ENTER", action="C", member="02", item="1", type="", amount="10", freq="M")
    assert reply.message is not None and reply.message.line() == "EMS063E MEMBER 02 IS NOT IN THIS CASE"
    reply = screen.send("ENTER", member="01", item="09")
    assert reply.message is not None and reply.message.line() == "EMS064E INCOME 09 OF MEMBER 01 NOT FOUND"
    reply = screen.send("ENTER", item="01", effective="01/01/2024")
    assert reply.message is not None and reply.message.line() == "EMS029E EFFECTIVE DATE CANNOT BE BEFORE 01/02/2024"
    assert _count(engine, AuditEntry) == audit_before and _count(engine, Notice) == 0


def test_only_cases_of_the_offices_in_scope(engine: Engine, case_number: str) -> None:
    outsider = Screen(
        engine,
        maintenance.income_change,
        Context(business_date=BUSINESS_DATE, user_id="WRK9", roles=("worker",), office="NHV", scope=("NHV",)),
    )
    chosen = outsider.send("ENTER", case_no=case_number)
    # refused when the case is chosen, before any change is typed
    assert chosen.message is not None and chosen.message.id == "EMS033E" and chosen.errors == ("case_no",)
    assert "items" not in chosen.lists
    reply = outsider.send("ENTER", action="E", member="01", item="01", effective="03/01/2025")
    assert reply.message is not None and reply.message.id == "EMS033E"
    with transaction(engine) as session:
        assert (
            len(
                session.scalars(
                    select(AuditEntry).where(AuditEntry.action == "DENIED", AuditEntry.user_id == "WRK9")
                ).all()
            )
            == 2
        )
        assert session.scalars(select(Income)).one().end_date is None


def test_member_and_address_changes(engine: Engine, case_number: str) -> None:
    with transaction(engine) as session:
        other = one_earner_case(session, 90002)
        client_id = session.scalars(select(Member).where(Member.case_id == other.id)).one().client.client_number
    members = Screen(engine, maintenance.member_change)
    members.send("ENTER", case_no=case_number)
    reply = members.send("ENTER", action="A", client_id=client_id, rel="SP", effective="03/01/2025")
    assert reply.message is not None and reply.message.id == "EMS060I", reply.message
    assert members.send("ENTER").message.id == "EMS061I"  # type: ignore[union-attr]
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == case_number)).one()
        assert [(m.seq, m.relationship_code, m.start_date) for m in case.members] == [
            (1, "HH", dt.date(2024, 1, 10)),
            (2, "SP", MARCH),
        ]
    address = Screen(engine, maintenance.address_change)
    address.send("ENTER", case_no=case_number)
    reply = address.send("ENTER", street="12 ELM ST", town_name="NOWHERE", zip="06510", effective="03/01/2025")
    assert reply.message is not None and reply.errors == ("town_name",)
    address.send("ENTER", town_name="NEW HAVEN")
    assert address.send("ENTER").message.id == "EMS061I"  # type: ignore[union-attr]
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == case_number)).one()
        assert (case.street, case.town_code, case.zip) == ("12 ELM ST", "093", "06510")
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.segment == "CASEROOT", AuditEntry.action == "REPL")
        ).one()
        assert entry.before["street"] == "1 Main St" and entry.after["town_code"] == "093"  # type: ignore[index]
