"""Snapshots of the look: sign-on, main menu and a submenu, in both themes, at 80x24."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.conftest import BUSINESS_DATE
from tests.pilot import SIZE, fill, make_app, settle, sign_on, type_command

THEMES = ["3270", "mono"]


@pytest.mark.parametrize("theme", THEMES)
def test_sign_on(snap_compare, terminal_db: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    async def ready(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(terminal_db, theme=theme), terminal_size=SIZE, run_before=ready)


@pytest.mark.parametrize("theme", THEMES)
def test_main_menu(snap_compare, terminal_db: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    async def signed_on(pilot: Pilot[None]) -> None:
        await sign_on(pilot)

    assert snap_compare(make_app(terminal_db, theme=theme), terminal_size=SIZE, run_before=signed_on)


@pytest.mark.parametrize("theme", THEMES)
def test_inquiry_menu(snap_compare, terminal_db: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    async def inquiry(pilot: Pilot[None]) -> None:
        await sign_on(pilot)
        await type_command(pilot, "1")

    assert snap_compare(make_app(terminal_db, theme=theme), terminal_size=SIZE, run_before=inquiry)


def _first_hartford_case(url: str) -> str:
    from sqlalchemy import select

    from emsterm.database.engine import make_engine, transaction
    from emsterm.model import Case

    engine = make_engine(url)
    with transaction(engine) as session:
        number = session.scalars(
            select(Case.case_number).where(Case.office_code == "HFD", Case.status == "AC").order_by(Case.id)
        ).first()
    engine.dispose()
    assert number is not None
    return number


def test_case_summary(snap_compare, terminal_db: str) -> None:  # type: ignore[no-untyped-def]
    number = _first_hartford_case(terminal_db)

    async def summary(pilot: Pilot[None]) -> None:
        await sign_on(pilot)
        await type_command(pilot, f"EM21 {number}")

    assert snap_compare(make_app(terminal_db), terminal_size=SIZE, run_before=summary)


def test_budget_screen(snap_compare, terminal_db: str) -> None:  # type: ignore[no-untyped-def]
    from emsterm.database.engine import make_engine, transaction
    from emsterm.services.edbc import determine_case
    from tests.households import one_earner_case

    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        case = one_earner_case(session, 97001)
        determine_case(session, case, BUSINESS_DATE)
        number = case.case_number
    engine.dispose()

    async def budget(pilot: Pilot[None]) -> None:
        await sign_on(pilot)
        await type_command(pilot, f"EM52 {number}")
        await fill(pilot, {"program": "SNAP", "month": "03/2025"})

    assert snap_compare(make_app(terminal_db), terminal_size=SIZE, run_before=budget)


def test_intake_members(snap_compare, terminal_db: str) -> None:  # type: ignore[no-untyped-def]
    async def members(pilot: Pilot[None]) -> None:
        await sign_on(pilot)
        await type_command(pilot, "EM31")
        await fill(
            pilot,
            {
                "last_name": "ZABRISKIE",
                "first_name": "MARTA",
                "dob": "07/14/1994",
                "sex": "F",
                "cit": "US",
                "street": "77 PARK ST APT 2",
                "town_name": "HARTFORD",
                "zip": "06106",
            },
        )
        await fill(
            pilot,
            {"last_name": "ZABRISKIE", "first_name": "LUCA", "dob": "04/02/2019", "sex": "M", "cit": "US", "rel": "CH"},
        )
        await fill(
            pilot,
            {
                "last_name": "ZABRISKIE",
                "first_name": "ANA",
                "dob": "09/20/2022",
                "sex": "F",
                "cit": "US",
                "rel": "CH",
                "preg": "N",
            },
            enter=False,
        )

    assert snap_compare(make_app(terminal_db), terminal_size=SIZE, run_before=members)
