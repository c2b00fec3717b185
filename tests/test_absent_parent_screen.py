"""The absent-parent screen (EM49, maintenance 3.9 and intake 2.6): a worker records a child's
absent parent (bad fields marked, nothing stored until all are right), a new address, the
client's cooperation and a good-cause claim, each audited; the nightly then refers it."""

from __future__ import annotations

from sqlalchemy import delete, select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import AbsentParent, Case, Client, Member
from tests.pilot import SIZE, add_worker, audit_actions, fill, make_app, row, shown, sign_on, type_command


def _family(url: str) -> tuple[str, int, str]:
    """An HFD case with a child (its absent parents removed): case number, child seq, child name."""
    engine = make_engine(url)
    with transaction(engine) as session:
        case, member, client = session.execute(
            select(Case, Member, Client)
            .join(Member, Member.case_id == Case.id)
            .join(Client, Client.id == Member.client_id)
            .where(Case.office_code == "HFD", Member.relationship_code == "CH")
            .order_by(Case.id, Member.seq)
        ).first()  # type: ignore[misc]
        session.execute(delete(AbsentParent).where(AbsentParent.case_id == case.id))
        found = (case.case_number, member.seq, client.last_name)
    engine.dispose()
    return found


def _parents(url: str, number: str) -> list[AbsentParent]:
    engine = make_engine(url)
    with transaction(engine) as session:
        found = list(
            session.scalars(
                select(AbsentParent).join(Case, Case.id == AbsentParent.case_id).where(Case.case_number == number)
            )
        )
        session.expunge_all()
    engine.dispose()
    return found


async def test_a_worker_records_an_absent_parent_and_changes_it(terminal_db: str) -> None:
    number, child, child_last = _family(terminal_db)
    worker = add_worker(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, worker)
        await type_command(pilot, "=3.9")
        assert row(app, 1).startswith("EMS0490"), shown(app)
        await type_command(pilot, f"EM49 {number}")
        assert row(app, 23).startswith("EMS250I 0 ABSENT PARENTS"), shown(app)
        await fill(pilot, {"child": "99", "last_name": "Rivera", "first_name": "Jose", "ssn": "12345"})
        assert row(app, 23) == "EMS023E SSN IS NOT A VALID SSN", shown(app)
        await fill(pilot, {"ssn": "123456789", "zip": "061"})
        assert row(app, 23) == "EMS021E ZIP MUST BE NUMERIC", shown(app)
        await fill(pilot, {"zip": "06106"})
        assert row(app, 23) == "EMS063E MEMBER 99 IS NOT IN THIS CASE", shown(app)
        assert _parents(terminal_db, number) == []  # nothing stored while a field was wrong
        await fill(pilot, {"child": str(child), "street": "12 Main St", "city": "Hartford", "state": "CT",
                           "employer": "Electric Boat", "cooperation": "CO"})  # fmt: skip
        assert row(app, 23) == "EMS253I ABSENT PARENT 1 ADDED - THE NIGHTLY REFERS IT TO CCSES", shown(app)
        assert row(app, 7).split()[:2] == ["1", f"{child_last.upper()},"], shown(app)
        assert "RIVERA, JOSE" in row(app, 7) and row(app, 7).split()[-2:] == ["123456789", "CO"]
        (parent,) = _parents(terminal_db, number)
        assert (parent.last_name, parent.city, parent.employer, parent.cooperation) == (
            "RIVERA", "HARTFORD", "ELECTRIC BOAT", "CO")  # fmt: skip
        await fill(pilot, {"parents.sel.0": "A", "street": "", "city": "Bronx", "state": "NY", "zip": "10451"})
        assert row(app, 23) == "EMS020E STREET IS REQUIRED", shown(app)
        await fill(pilot, {"parents.sel.0": "A", "street": "400 Grand Concourse", "city": "Bronx", "state": "NY",
                           "zip": "10451", "employer": ""})  # fmt: skip
        assert row(app, 23) == "EMS254I ABSENT PARENT 1 ADDRESS CHANGED", shown(app)
        await fill(pilot, {"parents.sel.0": "C", "cooperation": "XX"})
        assert row(app, 23).startswith("EMS025E COOPERATION MUST BE ONE OF: CO NC ND"), shown(app)
        await fill(pilot, {"parents.sel.0": "G", "cooperation": "", "good_cause": "P"})
        assert row(app, 23) == "EMS255I GOOD CAUSE RECORDED FOR PARENT 1 - IT STOPS THE REFERRAL", shown(app)
        assert row(app, 7).split()[-3:] == ["123456789", "CO", "P"], shown(app)
    (parent,) = _parents(terminal_db, number)
    assert (parent.street, parent.state, parent.zip, parent.employer) == ("400 GRAND CONCOURSE", "NY", "10451",
                                                                          "ELECTRIC BOAT")  # fmt: skip
    assert parent.good_cause == "P" and parent.good_cause_date is not None
    changes = [(a, k) for a, k, u in audit_actions(terminal_db) if k.startswith(f"{number}:") and u == worker]
    assert changes == [("ISRT", f"{number}:1"), ("REPL", f"{number}:1"), ("REPL", f"{number}:1")]
