"""EM48, the managed care plan screen, through the terminal (Pilot) on the seeded caseload: a
member's plan now and over time, a worker's change with its notice and audit entry, and the
refusals (a plan that does not serve the member, a bad code, a case outside the office scope)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Case, ManagedCareEnrollment, Notice, NoticeType, PlanSelection
from emsterm.services.managed_care import husky_members
from tests.pilot import SIZE, audit_actions, fill, make_app, row, shown, sign_on, type_command

MARCH = dt.date(2025, 3, 1)


def _husky_case(url: str, own_office: bool = True) -> tuple[str, int, int]:
    """A case with a HUSKY A/B/D member (of DEMO's office, or of another): its number, the
    member's line on EM48 (0-based) and the member's client id."""
    engine = make_engine(url)
    with transaction(engine) as session:
        for member in husky_members(session, MARCH):
            case = session.get(Case, member.case_id)
            assert case is not None
            if (case.office_code == "HFD") == own_office:
                seqs = sorted(m.seq for m in case.members if m.end_date is None or m.end_date >= MARCH)
                result = (case.case_number, seqs.index(member.seq), member.client_id)
                break
        else:
            raise AssertionError("the seed has HUSKY members")
    engine.dispose()
    return result


async def test_a_worker_changes_a_members_plan_and_sees_the_history(terminal_db: str) -> None:
    case_number, line, client_id = _husky_case(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM48 {case_number}")
        assert row(app, 1).startswith("EMS0480"), shown(app)
        assert row(app, 23) == f"EMS170I CASE {case_number} MANAGED CARE - S SHOWS PLANS AND C CHANGES ONE"
        assert row(app, 8 + line)[31:35].strip() in ("HUSA", "HUSB", "HUSD"), shown(app)

        # a plan that does not exist (or does not serve the member) is refused, naming the choices
        await fill(
            pilot,
            {f"members.sel.{line}": "C", "new_plan": "ZZZZ", "start": "03/01/2025", "how": "W", "reason": "Asked"},
        )
        assert row(app, 23).startswith("EMS173E PLAN ZZZZ DOES NOT SERVE THIS MEMBER - USE ONE OF: "), shown(app)
        assert "CHNC" in row(app, 23)
        await fill(pilot, {f"members.sel.{line}": "C", "new_plan": "CHNC", "how": "Q"})
        assert row(app, 23) == "EMS025E HOW MUST BE ONE OF: C W", shown(app)

        await fill(pilot, {f"members.sel.{line}": "C", "new_plan": "CHNC", "how": "W", "reason": "Client asked"})
        assert row(app, 23).startswith("EMS171I PLAN CHNC FROM 03/01/2025 SAVED FOR "), shown(app)
        assert "CHNC" in row(app, 8 + line) and "03/01/2025" in row(app, 8 + line), shown(app)
        assert row(app, 17).startswith(" CHNC COMMUNITY HEALTH NETWORK"), shown(app)
        assert " W " in row(app, 17) and "CLIENT ASKED" in row(app, 17)

        await fill(pilot, {f"members.sel.{line}": "S"})
        assert row(app, 23).startswith("EMS174I PLANS OF "), shown(app)
        assert "CHNC" in row(app, 17)

    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        spans = session.scalars(select(ManagedCareEnrollment).where(ManagedCareEnrollment.client_id == client_id)).all()
        assert [(s.plan_code, s.selection, s.created_by) for s in spans][-1] == (
            "CHNC",
            PlanSelection.WORKER_CHANGE,
            "DEMO",
        )
        case = session.scalars(select(Case).where(Case.case_number == case_number)).one()
        notices = session.scalars(
            select(Notice).where(Notice.case_id == case.id, Notice.notice_type == NoticeType.MANAGED_CARE)
        ).all()
        assert len(notices) == 1 and notices[0].free_text and "Community Health Network" in notices[0].free_text
    engine.dispose()
    assert any(action in ("ISRT", "REPL") and user == "DEMO" for action, key, user in audit_actions(terminal_db))


async def test_a_case_outside_the_scope_may_be_seen_not_changed(terminal_db: str) -> None:
    case_number, line, _ = _husky_case(terminal_db, own_office=False)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM48 {case_number}")
        assert row(app, 23).startswith("EMS170I"), shown(app)
        await fill(
            pilot, {f"members.sel.{line}": "C", "new_plan": "CHNC", "start": "03/01/2025", "how": "C", "reason": ""}
        )
        assert row(app, 23) == "EMS033E CASE IS OUTSIDE YOUR OFFICE SCOPE", shown(app)
    assert ("DENIED", case_number, "DEMO") in audit_actions(terminal_db)
