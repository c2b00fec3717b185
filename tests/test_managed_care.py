"""HUSKY managed care over the hand-built caseload of test_batch, on SQLite and PostgreSQL: the
nightly's MCASSIGN step assigns a plan when the choice period (MC_CHOICE_DAYS, 30) is over,
round robin within the town and a family kept together; the 834 carries the plan as a second
loop 2300 (HD03 HMO), a plan change is a 001 change, pyx12 validates every file; the household
gets a managed care notice; a worker's change keeps the history.

Case A (one earner, Hartford): HUSKY D since the certification of 04/16/2024. Case B (a family
of three, Hartford): HUSKY A from 03/01/2025, so its choice period is over on 03/31/2025. The
plans in force in Hartford (region NORTH) for HUSKY A and D, in code order: AETN, ANTH, CHNC.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import (
    Case,
    Client,
    ManagedCareEnrollment,
    ManagedCarePlan,
    Member,
    Notice,
    NoticeType,
    PlanSelection,
)
from emsterm.model.reference import in_force
from emsterm.services.managed_care import change_plan, husky_members, span_on
from tests.conftest import Ems
from tests.test_batch import batch, caseload, pdf_text  # noqa: F401  (the fixture)
from tests.test_batch_restart import ems as ems_process
from tests.test_batch_restart import prepare, two_databases  # noqa: F401  (the fixture)
from tests.test_mmis_834 import validate


def plans(engine: Engine) -> list[tuple[str, int, str, dt.date, dt.date | None, str]]:
    """Every span: case number, member seq, plan, start, end, how chosen."""
    with transaction(engine) as session:
        rows = session.execute(
            select(
                Case.case_number,
                Member.seq,
                ManagedCareEnrollment.plan_code,
                ManagedCareEnrollment.start_date,
                ManagedCareEnrollment.end_date,
                ManagedCareEnrollment.selection,
            )
            .join(Case, Case.id == ManagedCareEnrollment.case_id)
            .join(Member, (Member.case_id == Case.id) & (Member.client_id == ManagedCareEnrollment.client_id))
            .order_by(Case.case_number, Member.seq, ManagedCareEnrollment.seq)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def hd_lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.startswith(("INS*", "HD*"))]


def test_auto_assignment_round_robin_family_together_and_the_834(
    caseload: tuple[Engine, Ems, Path],  # noqa: F811
) -> None:
    engine, ems, outbox = caseload
    with transaction(engine) as session:
        a, b = session.scalars(select(Case).order_by(Case.id)).all()
        a_number, b_number = a.case_number, b.case_number

    # 03/03: A's choice period is long over: the town's first family gets the first plan; B's
    # family (HUSKY A from 03/01) still has time to choose.
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))
    assert code == 0
    steps = {s["step"]: s for s in summary["steps"]}
    assert steps["MCASSIGN"]["return_code"] == 0 and steps["MCASSIGN"]["counts"]["assigned"] == 1
    assert plans(engine) == [(a_number, 1, "AETN", dt.date(2025, 3, 3), None, PlanSelection.AUTO_ASSIGNED)]
    assert summary["notices_written"].get("MCPL") == 1
    text = pdf_text(next(outbox.glob("nightly-2025-03-03-*")) / "notices.pdf")
    assert "NOTICE OF YOUR HUSKY HEALTH PLAN" in text and "Aetna Better Health of Connecticut from 03/03/2025" in text
    first = next(outbox.glob("nightly-2025-03-03-*")) / "mmis-834-changes.x12"
    assert validate(first) == (True, [])
    lines = first.read_text().splitlines()
    assert "HD*021**HLT*HUSKYD~" in lines and "HD*021**HMO*AETN~" in lines
    assert lines[lines.index("HD*021**HMO*AETN~") + 1] == "DTP*348*D8*20250303~"
    assert sum(line.startswith("HD*021**HMO*") for line in lines) == 1  # B's members have no plan yet

    # 03/04: nothing is due; A is never assigned twice.
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 4))
    assert code == 0 and {s["step"]: s for s in summary["steps"]}["MCASSIGN"]["counts"].get("assigned", 0) == 0
    assert len(plans(engine)) == 1

    # 03/31: B's choice period is over: its three members get the town's next plan, together.
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 31))
    assert code == 0
    b_spans = [p for p in plans(engine) if p[0] == b_number]
    assert [(p[1], p[2], p[3]) for p in b_spans] == [(seq, "ANTH", dt.date(2025, 3, 31)) for seq in (1, 2, 3)]
    assert summary["notices_written"].get("MCPL") == 1  # one notice to the household
    # the 834 tells the MMIS: a plan change of B's members, a 001 with the HMO loop
    change = next(outbox.glob("nightly-2025-03-31-*")) / "mmis-834-changes.x12"
    assert validate(change) == (True, [])
    assert hd_lines(change).count("HD*001**HMO*ANTH~") == 3
    assert all(line.split("*")[3] == "001" for line in hd_lines(change) if line.startswith("INS*"))

    # The monthly's audit file carries every member's plan.
    code, summary = batch(ems, outbox, "monthly", date=dt.date(2025, 4, 18))
    assert code in (0, 4)
    audit = next(outbox.glob("monthly-2025-04-18-*")) / "mmis-834-audit.x12"
    assert validate(audit) == (True, [])
    assert {line for line in hd_lines(audit) if "HMO" in line} == {"HD*030**HMO*AETN~", "HD*030**HMO*ANTH~"}


def test_a_worker_change_keeps_the_history_is_a_change_and_a_notice(
    caseload: tuple[Engine, Ems, Path],  # noqa: F811
) -> None:
    engine, ems, outbox = caseload
    assert batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))[0] == 0
    with transaction(engine) as session:
        a = session.scalars(select(Case).order_by(Case.id)).first()
        assert a is not None
        head = session.scalars(select(Member).where(Member.case_id == a.id, Member.seq == 1)).one()
        chnc = session.scalars(
            in_force(ManagedCarePlan, dt.date(2025, 3, 5)).where(ManagedCarePlan.code == "CHNC")
        ).one()
        change_plan(
            session,
            case=a,
            client_id=head.client_id,
            plan=chnc,
            start=dt.date(2025, 4, 1),
            selection=PlanSelection.WORKER_CHANGE,
            reason="Client asked for CHNC",
            business_date=dt.date(2025, 3, 5),
        )
        a_number = a.case_number
    assert plans(engine) == [
        (a_number, 1, "AETN", dt.date(2025, 3, 3), dt.date(2025, 3, 31), PlanSelection.AUTO_ASSIGNED),
        (a_number, 1, "CHNC", dt.date(2025, 4, 1), None, PlanSelection.WORKER_CHANGE),
    ]
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 5))
    assert code == 0 and summary["notices_printed"].get("MCPL") == 1
    path = next(outbox.glob("nightly-2025-03-05-*")) / "mmis-834-changes.x12"
    assert validate(path) == (True, [])
    lines = path.read_text().splitlines()
    assert [line for line in lines if line.startswith(("INS*", "HD*", "DTP*348"))] == [
        "INS*Y*18*001*AI*A***FT~",
        "HD*001**HLT*HUSKYD~",
        "DTP*348*D8*20250401~",
        "HD*001**HMO*CHNC~",
        "DTP*348*D8*20250401~",
    ]
    with transaction(engine) as session:
        notice = session.scalars(
            select(Notice).where(Notice.notice_type == NoticeType.MANAGED_CARE).order_by(Notice.id.desc())
        ).first()
        assert notice is not None and notice.free_text is not None and "Community Health Network" in notice.free_text


def test_a_family_member_with_a_plan_keeps_the_family_together(
    caseload: tuple[Engine, Ems, Path],  # noqa: F811
) -> None:
    """B's mother chose CHNC herself: on 03/31 her children are assigned CHNC, not the town's next plan."""
    engine, ems, outbox = caseload
    with transaction(engine) as session:
        b = session.scalars(select(Case).order_by(Case.id.desc())).first()
        assert b is not None
        mother = session.scalars(select(Member).where(Member.case_id == b.id, Member.seq == 1)).one()
        chnc = session.scalars(
            in_force(ManagedCarePlan, dt.date(2025, 3, 10)).where(ManagedCarePlan.code == "CHNC")
        ).one()
        change_plan(
            session,
            case=b,
            client_id=mother.client_id,
            plan=chnc,
            start=dt.date(2025, 3, 10),
            selection=PlanSelection.CLIENT_CHOICE,
            reason="",
            business_date=dt.date(2025, 3, 10),
        )
        b_number = b.case_number
    assert batch(ems, outbox, "nightly", date=dt.date(2025, 3, 31))[0] == 0
    b_spans = [(p[1], p[2], p[5]) for p in plans(engine) if p[0] == b_number]
    assert b_spans == [
        (1, "CHNC", PlanSelection.CLIENT_CHOICE),
        (2, "CHNC", PlanSelection.AUTO_ASSIGNED),
        (3, "CHNC", PlanSelection.AUTO_ASSIGNED),
    ]


def test_only_husky_a_b_d_members_are_in_managed_care(caseload: tuple[Engine, Ems, Path]) -> None:  # noqa: F811
    engine, ems, outbox = caseload
    assert batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))[0] == 0
    with transaction(engine) as session:
        found = husky_members(session, dt.date(2025, 3, 1))
        assert sorted({m.group for m in found}) == ["HUSA", "HUSD"]
        client_ids = {m.client_id for m in found}
        assert all(session.get(Client, c) is not None for c in client_ids)
        assert span_on([], dt.date(2025, 3, 1)) is None


def _spans(url: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return [
                tuple(r)
                for r in session.execute(
                    select(
                        ManagedCareEnrollment.client_id,
                        ManagedCareEnrollment.seq,
                        ManagedCareEnrollment.case_id,
                        ManagedCareEnrollment.plan_code,
                        ManagedCareEnrollment.start_date,
                        ManagedCareEnrollment.selection,
                    ).order_by(ManagedCareEnrollment.client_id, ManagedCareEnrollment.seq)
                )
            ]
    finally:
        engine.dispose()


@pytest.mark.parametrize("two_databases", ["sqlite"], indirect=True)
def test_a_killed_assignment_resumes_to_the_same_plans(two_databases: tuple[str, str], tmp_path: Path) -> None:  # noqa: F811
    """A seeded caseload (HUSKY households that applied in February are still choosing on
    03/01): the nightly of 03/31 killed in the middle of MCASSIGN's second chunk, then run
    again, assigns the very plans an unbroken run assigns, each member once."""
    killed_url, reference_url = two_databases
    for url in two_databases:
        prepare(url)
    before = _spans(reference_url)
    run = ("batch", "nightly", "--date", "2025-03-31", "--chunk", "2")
    reference = ems_process(reference_url, *run, "--outbox", str(tmp_path / "reference"))
    assert reference.returncode == 0, reference.stderr
    assigned = len(_spans(reference_url)) - len(before)
    assert assigned >= 3, "the seed leaves households choosing"

    first = ems_process(killed_url, *run, "--outbox", str(tmp_path / "killed"), kill="MCASSIGN:2:mid")
    assert first.returncode == -9, (first.returncode, first.stdout, first.stderr)
    second = ems_process(killed_url, *run, "--outbox", str(tmp_path / "killed"))
    assert second.returncode == 0, second.stderr
    assert _spans(killed_url) == _spans(reference_url)
    spans = _spans(killed_url)
    assert len({(client, seq) for client, seq, *_ in spans}) == len(spans)


def test_the_seed_gives_husky_households_past_their_choice_period_a_plan(engine: Engine, ems: Ems) -> None:
    seeded = Ems(ems.url, date=dt.date(2025, 3, 1))("seed", "--cases", "120", "--seed", "11")
    assert seeded.exit_code == 0, seeded.output
    with transaction(engine) as session:
        spans = session.scalars(select(ManagedCareEnrollment)).all()
        assert spans and {s.plan_code for s in spans} <= {"ANTH", "CHNC"}
        assert len({s.client_id for s in spans}) == len(spans)  # a person has one plan
        by_case: dict[int, set[str]] = {}
        for s in spans:
            by_case.setdefault(s.case_id, set()).add(s.plan_code)
        assert all(len(plans) == 1 for plans in by_case.values())  # a family together
        assert {s.selection for s in spans} == {PlanSelection.CLIENT_CHOICE, PlanSelection.AUTO_ASSIGNED}
        assert all(s.start_date <= dt.date(2025, 3, 1) for s in spans)
