"""Who looked at whom: every inquiry of a case and every full-SSN search is in the audit trail
(hardening issue, finding 6), on SQLite and PostgreSQL, and through the terminal."""

from __future__ import annotations

from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.model import AuditEntry, Case, Client, Member
from emsterm.screens.inquiry import case_programs, client_search
from emsterm.screens.kit.conversation import Context, Request
from emsterm.screens.kit.dispatch import perform
from emsterm.seed.writer import seed_caseload
from tests.conftest import BUSINESS_DATE
from tests.pilot import SIZE, fill, make_app, settle, shown, sign_on, type_command

CONTEXT = Context(BUSINESS_DATE, user_id="WRK7", roles=("worker",), office="HFD", scope=("HFD",))


def _looks(engine: Engine) -> list[tuple[str, str, str, str, str]]:
    with transaction(engine) as session:
        return [
            (a.action, a.segment, a.segment_key, a.user_id, a.detail)
            for a in session.scalars(
                select(AuditEntry).where(AuditEntry.action.in_(("INQY", "SSNQ"))).order_by(AuditEntry.id)
            )
        ]


def _a_client(engine: Engine) -> tuple[str, str, str]:
    """(case number, client number, SSN) of a seeded head of household with an SSN."""
    with transaction(engine) as session:
        case, client = session.execute(
            select(Case, Client)
            .join(Member, Member.case_id == Case.id)
            .join(Client, Client.id == Member.client_id)
            .where(Client.ssn.is_not(None))
            .order_by(Case.id)
        ).first()
        return case.case_number, client.client_number, client.ssn


def test_a_case_inquiry_is_audited_once_per_look_not_per_page(engine: Engine) -> None:
    seed_caseload(engine, 5, 1, BUSINESS_DATE)
    case_number, _, _ = _a_client(engine)
    request = Request("ENTER", {"case_no": case_number}, CONTEXT, trancode="EM24")
    reply = perform(engine, case_programs, request)
    assert reply.values["case_no"] == case_number
    perform(engine, case_programs, Request("DOWN", {"case_no": ""}, CONTEXT, state=dict(reply.state), trancode="EM24"))
    assert _looks(engine) == [("INQY", "CASE", case_number, "WRK7", "EM24")]


def test_an_unknown_case_is_no_look(engine: Engine) -> None:
    seed_caseload(engine, 2, 1, BUSINESS_DATE)
    perform(engine, case_programs, Request("ENTER", {"case_no": "1"}, CONTEXT, trancode="EM24"))
    assert _looks(engine) == []


def test_a_case_number_search_is_a_look_only_when_the_case_exists(engine: Engine) -> None:
    seed_caseload(engine, 3, 1, BUSINESS_DATE)
    case_number, _, _ = _a_client(engine)
    perform(engine, client_search, Request("ENTER", {"case_no": "9999999999"}, CONTEXT, trancode="EM11"))
    assert _looks(engine) == []
    perform(engine, client_search, Request("ENTER", {"case_no": case_number}, CONTEXT, trancode="EM11"))
    assert _looks(engine) == [("INQY", "CASE", case_number, "WRK7", "EM11")]


def test_a_full_ssn_search_names_who_was_found_but_not_the_ssn(engine: Engine) -> None:
    seed_caseload(engine, 5, 1, BUSINESS_DATE)
    _, client_number, ssn = _a_client(engine)
    reply = perform(
        engine, client_search, Request("ENTER", {"ssn": f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}"}, CONTEXT, trancode="EM11")
    )
    assert reply.lists["clients"].total >= 1
    [(action, segment, key, user, detail)] = _looks(engine)
    assert (action, segment, user) == ("SSNQ", "CLIENT", "WRK7")
    assert client_number in key.split(",")
    assert detail.startswith(f"SSN ***-**-{ssn[-4:]}") and ssn not in detail and ssn not in key


def test_an_ssn_search_that_finds_nobody_is_still_audited(engine: Engine) -> None:
    seed_caseload(engine, 2, 1, BUSINESS_DATE)
    perform(engine, client_search, Request("ENTER", {"ssn": "000000001"}, CONTEXT, trancode="EM11"))
    assert _looks(engine) == [("SSNQ", "CLIENT", "-", "WRK7", "SSN ***-**-0001: 0 found")]


def test_a_name_search_is_not_an_ssn_search(engine: Engine) -> None:
    seed_caseload(engine, 2, 1, BUSINESS_DATE)
    perform(engine, client_search, Request("ENTER", {"last_name": "SMITH"}, CONTEXT, trancode="EM11"))
    assert _looks(engine) == []


async def test_the_terminal_audits_the_signed_on_worker(terminal_db: str) -> None:
    from emsterm.database.engine import make_engine

    engine = make_engine(terminal_db)
    case_number, _, ssn = _a_client(engine)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM11")
        await fill(pilot, {"ssn": ssn})
        assert "***-**-" + ssn[-4:] in shown(app)
        await type_command(pilot, f"EM24 {case_number}")
        await settle(pilot)
        assert shown(app).startswith("EMS0240")
    looks = _looks(engine)
    engine.dispose()
    assert [(a, s, u) for a, s, _, u, _ in looks] == [("SSNQ", "CLIENT", "DEMO"), ("INQY", "CASE", "DEMO")]
    assert looks[1][2] == case_number
