"""Snapshots of the look: sign-on, main menu and a submenu, in both themes, at 80x24."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.pilot import SIZE, make_app, settle, sign_on, type_command

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
