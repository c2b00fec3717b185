"""Notices on screen: S on EM27 shows a notice's text (EM2N); EM62 previews a manual notice
from a template and queues it, and the next nightly prints it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import Engine, func, select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import AuditEntry, Case, Notice, NoticeType
from emsterm.screens.kit.conversation import Context, Request
from emsterm.screens.notice_screens import manual_notice
from tests.conftest import BUSINESS_DATE, Ems
from tests.households import one_earner_case
from tests.pilot import SIZE, audit_actions, fill, make_app, row, settle, shown, sign_on, type_command

WORDS = "Please bring your last four pay stubs."
TYPED = {
    "type": "MANL",
    "program": "SNAP",
    "r1": "L01",
    "r2": "",
    "r3": "",
    "r4": "",
    "effective": "",
    "text1": WORDS,
    "text2": "",
    "text3": "",
}


def _case(url: str) -> str:
    engine = make_engine(url)
    with transaction(engine) as session:
        number = one_earner_case(session).case_number
    engine.dispose()
    return number


def _notices(url: str, number: str) -> list[tuple[str, str, str, str | None]]:
    engine = make_engine(url)
    with transaction(engine) as session:
        rows = session.execute(
            select(Notice.notice_type, Notice.status, Notice.reason_codes, Notice.free_text)
            .join(Case, Case.id == Notice.case_id)
            .where(Case.case_number == number)
            .order_by(Notice.seq)
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_a_manual_notice_is_previewed_queued_and_shown(terminal_db: str) -> None:
    number = _case(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"=5.2;EM62 {number}")
        assert row(app, 1).startswith("EMS0620") and number in row(app, 4)
        await fill(pilot, {k: v for k, v in TYPED.items() if v})
        assert row(app, 23) == "EMS134I REVIEW THE NOTICE - ENTER QUEUES IT FOR PRINTING"
        preview = shown(app)
        assert "JANE DOE" in preview and "ROW 1 TO 10 OF" in preview
        for _ in range(2):
            await pilot.press("f8")
            await settle(pilot)
            preview += shown(app)
        assert "NOTICE ABOUT YOUR CASE: SUPPLEMENTAL NUTRITION ASSISTANCE" in preview.upper() and WORDS in preview
        assert "We need information from you to keep your case up to date. (L01)" in preview
        assert _notices(terminal_db, number) == []
        await pilot.press("enter")
        await settle(pilot)
        assert row(app, 23) == f"EMS135I NOTICE 1 QUEUED ON CASE {number} FOR THE NEXT PRINT RUN"
        assert _notices(terminal_db, number) == [("MANL", "P", "L01", WORDS)]
        await type_command(pilot, "EM27")
        assert row(app, 1).startswith("EMS0270") and "MANL" in row(app, 8)
        app.map_screen.field("notices.sel.0").focus()  # type: ignore[union-attr]
        await pilot.press("s", "enter")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0275") and "MANL" in row(app, 5)
        assert row(app, 23).startswith("EMS131I NOTICE 1:")
        assert "JANE DOE" in shown(app) and "ROW 1 TO 14 OF" in shown(app)
        await pilot.press("f8")
        await settle(pilot)
        assert WORDS in shown(app) and "ROW 15 TO" in shown(app)
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0270")
    assert [entry for entry in audit_actions(terminal_db) if entry[1].startswith(number)] == [
        ("ISRT", f"{number}:1", "DEMO")
    ]


async def test_a_bad_reason_code_is_marked_and_nothing_is_queued(terminal_db: str) -> None:
    number = _case(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM62 {number}")
        await fill(pilot, {"type": "ADVR", "program": "SNAP", "r1": "T01"})
        assert row(app, 23) == "EMS132E REASON CODE T01 IS NOT A REASON OF SNAP OR ALL PROGRAMS"
        screen = app.map_screen
        assert (
            screen is not None
            and "-error" in screen.field("r1").classes
            and "-error" in screen.field("effective").classes
        )
        await fill(pilot, {"r1": "B01", "effective": "02/01/2025"})
        assert row(app, 23) == "EMS029E EFFECTIVE DATE CANNOT BE BEFORE 03/01/2025"
        await fill(pilot, {"type": "XXXX"})
        assert row(app, 23).startswith("EMS025E NOTICE TYPE MUST BE ONE OF: MANL")
    assert _notices(terminal_db, number) == []


async def test_an_operator_may_not_write_notices(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="OPER")
        for code in ("EM62", "EM2N"):
            await type_command(pilot, code)
            assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"


def test_a_queued_manual_notice_prints_in_the_next_nightly(engine: Engine, db_url: str, tmp_path: Path) -> None:
    with transaction(engine) as session:
        number = one_earner_case(session).case_number
    context = Context(business_date=BUSINESS_DATE, user_id="DEMO", roles=("worker",), office="HFD", scope=("HFD",))
    values = {"case_no": number, **TYPED, "text2": "Call us with questions."}
    state: dict[str, object] = {}
    for _ in range(2):  # the preview, then the confirmation
        with transaction(engine) as session:
            state = manual_notice(
                session, Request("ENTER", values, context, state=state, page_sizes={"preview": 10})
            ).state
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 1
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.segment == "NOTICE")) == 1
    outbox = tmp_path / "outbox"
    result = Ems(db_url, dt.date(2025, 3, 3))(
        "batch", "nightly", "--date", "2025-03-03", "--outbox", str(outbox), "--force"
    )
    assert result.exit_code in (0, 4), result.output
    pdf = next(outbox.glob("nightly-2025-03-03-*")) / "notices.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert f"{WORDS} Call us with questions." in " ".join(text.split())
    with transaction(engine) as session:
        # (the nightly also assigned the HUSKY D head a managed care plan, with its own notice)
        assert session.scalars(select(Notice.status).where(Notice.notice_type == NoticeType.MANUAL)).all() == ["M"]
